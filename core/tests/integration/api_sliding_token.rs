//! `client.sliding_token()`.

use crate::support::{API_KEY, TOKEN, public_client};
use loginradius::Error;
use loginradius::transport::RecordingTransport;
use serde_json::json;

#[tokio::test]
async fn extend_sends_the_bearer_token_and_reads_the_renewed_token() {
    let transport = RecordingTransport::new();
    transport.reply_json(
        200,
        json!({"access_token": TOKEN, "refresh_token": "rt", "expires_in": "2030-01-01T00:00:00Z"}),
    );
    let renewed = public_client(&transport)
        .sliding_token()
        .extend(TOKEN)
        .await
        .unwrap();
    assert_eq!(renewed.access_token.expose(), TOKEN);
    assert_eq!(renewed.expires_in.unwrap().year(), 2030);
    let r = transport.last().unwrap();
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(
        r.url,
        format!(
            "https://api.loginradius.com/identity/v2/auth/access_token/sliding_token?apiKey={API_KEY}"
        )
    );
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn an_empty_token_is_refused_before_any_request() {
    let transport = RecordingTransport::new();
    let e = public_client(&transport)
        .sliding_token()
        .extend(" ")
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidInput {
                field: "access_token",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(transport.is_empty());
}
