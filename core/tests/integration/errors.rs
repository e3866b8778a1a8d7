//! Error mapping and retries, over a real loopback socket (default reqwest transport) and through
//! the recording transport.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::{API_SECRET, TOKEN};
use http::StatusCode;
use loginradius::transport::{RecordingTransport, TransportError};
use loginradius::{Error, LoginRadius, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback HTTP/1.1 server that answers every request with the next canned raw response (the
/// last one repeats) after `delay`, and counts requests.
async fn serve(responses: Vec<String>, delay: Duration) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let response = responses[n.min(responses.len() - 1)].clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut buf).await;
                tokio::time::sleep(delay).await;
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), hits)
}

fn raw(status: u16, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n{headers}\r\n{body}",
        body.len()
    )
}

fn client(base: &str, retry: RetryPolicy) -> LoginRadius {
    LoginRadius::builder()
        .api_key("key")
        .api_secret(API_SECRET)
        .base_url(base)
        .request_timeout(Duration::from_millis(300))
        .retry(retry.base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn assert_no_secrets(e: &Error) {
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(API_SECRET), "secret leaked: {text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
}

#[tokio::test]
async fn envelope_on_4xx_keeps_code_message_and_status() {
    let body = json!({"Description": "The LoginRadius access token has expired", "ErrorCode": 906, "Message": "Access token has expired", "IsProviderError": false, "ProviderErrorResponse": null}).to_string();
    let (base, hits) = serve(vec![raw(403, "", &body)], Duration::ZERO).await;
    let e = client(&base, RetryPolicy::default())
        .auth()
        .profile(TOKEN)
        .await
        .unwrap_err();
    assert!(e.is_expired_token(), "{e:?}");
    assert!(
        matches!(&e, Error::Api { status, code: 906, message, .. } if *status == StatusCode::FORBIDDEN && message == "Access token has expired")
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1, "a 4xx is never retried");
    assert_no_secrets(&e);
}

#[tokio::test]
async fn envelope_on_200_is_an_error_too() {
    let body = json!({"ErrorCode": 1047, "Message": "Role does not exist"}).to_string();
    let (base, _) = serve(vec![raw(200, "", &body)], Duration::ZERO).await;
    let e = client(&base, RetryPolicy::default())
        .roles()
        .of_user("uid")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(1047));
    assert_eq!(e.status(), Some(StatusCode::OK));
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_typed() {
    let (base, hits) = serve(vec![raw(429, "retry-after: 120\r\n", "{}")], Duration::ZERO).await;
    // Retry-After (120 s) is longer than the total wait allowed, so no retry is attempted.
    let e = client(&base, RetryPolicy::default())
        .roles()
        .list()
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(120)),
        "{e:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn get_is_retried_after_a_short_retry_after_and_then_succeeds() {
    let ok = json!({"Roles": ["editor"]}).to_string();
    let (base, hits) = serve(
        vec![raw(429, "retry-after: 0\r\n", "{}"), raw(200, "", &ok)],
        Duration::ZERO,
    )
    .await;
    let roles = client(&base, RetryPolicy::default())
        .roles()
        .of_user("uid")
        .await
        .unwrap();
    assert_eq!(roles.roles, ["editor"]);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn timeouts_map_to_timeout_and_get_retries_are_bounded() {
    let (base, hits) = serve(vec![raw(200, "", "{}")], Duration::from_secs(5)).await;
    let e = client(&base, RetryPolicy::default().max_retries(2))
        .roles()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    assert!(e.is_unavailable());
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "one attempt and exactly two retries"
    );
}

#[tokio::test]
async fn server_errors_are_retried_for_get_only() {
    let (base, hits) = serve(vec![raw(503, "", "<html>down</html>")], Duration::ZERO).await;
    let c = client(&base, RetryPolicy::default().max_retries(3));
    let e = c.roles().list().await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedStatus { status } if status == StatusCode::SERVICE_UNAVAILABLE),
        "{e:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 4, "GET: 1 + 3 retries");

    for write in ["put", "post", "delete"] {
        hits.store(0, Ordering::SeqCst);
        let e = match write {
            "put" => c.roles().assign("uid", ["editor"]).await.map(drop),
            "post" => c
                .roles()
                .create([loginradius::models::Role::new("r", ["p"])])
                .await
                .map(drop),
            _ => c.roles().delete("r").await.map(drop),
        }
        .unwrap_err();
        assert!(e.is_unavailable(), "{write}: {e:?}");
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "{write} is never retried without opting in"
        );
    }
}

#[tokio::test]
async fn writes_are_retried_when_the_caller_opts_in() {
    let (base, hits) = serve(
        vec![raw(500, "", "{}"), raw(200, "", r#"{"Roles":["a"]}"#)],
        Duration::ZERO,
    )
    .await;
    let c = client(&base, RetryPolicy::default().retry_writes(true));
    c.roles().assign("uid", ["a"]).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let e = client(&base, RetryPolicy::none())
        .auth()
        .profile(TOKEN)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Transport(TransportError::Connect(_))),
        "{e:?}"
    );
    assert!(e.is_unavailable());
    assert_no_secrets(&e);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_not_a_network_error() {
    let (base, _) = serve(vec![raw(200, "", "{\"Roles\": [")], Duration::ZERO).await;
    let e = client(&base, RetryPolicy::none())
        .roles()
        .of_user("uid")
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Decode { status, .. } if status == StatusCode::OK),
        "{e:?}"
    );
    let (base, _) = serve(vec![raw(200, "", "not json at all")], Duration::ZERO).await;
    let e = client(&base, RetryPolicy::none())
        .roles()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
}

#[tokio::test]
async fn recording_transport_errors_map_to_variants() {
    let t = RecordingTransport::new();
    let c = LoginRadius::builder()
        .api_key("k")
        .api_secret(API_SECRET)
        .retry(RetryPolicy::none())
        .transport(t.clone())
        .build()
        .unwrap();
    t.reply_error(TransportError::Timeout);
    assert!(matches!(c.roles().list().await, Err(Error::Timeout(_))));
    t.reply_error(TransportError::other("connection reset"));
    assert!(matches!(
        c.roles().list().await,
        Err(Error::Transport(TransportError::Other(_)))
    ));
    t.reply_json(400, json!({"errorCode": 1134, "description": "d", "message": "Validation failed", "Errors": [{"FieldName": "roles", "ErrorMessage": "required"}]}));
    match c.roles().list().await {
        Err(Error::Api {
            code: 1134,
            status,
            details,
            ..
        }) => {
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_eq!(details.field_errors[0].field, "roles");
        }
        other => panic!("{other:?}"),
    }
}
