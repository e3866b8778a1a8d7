//! Retries as `RetryPolicy` documents them: writes are sent again only when no connection was
//! made, and every retry draws on the client's retry budget, which runs out and refills.

use std::time::Duration;

use loginradius::transport::{HttpResponse, RecordingTransport, TransportError};
use loginradius::{Error, LoginRadius, RetryBudget, RetryPolicy};
use serde_json::json;

fn client(transport: &RecordingTransport, policy: RetryPolicy) -> LoginRadius {
    LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .transport(transport.clone())
        .retry(policy.base_delay(Duration::from_millis(1)))
        .build()
        .expect("valid settings")
}

/// A response with this status and no body, with `Retry-After` when given.
fn status(code: u16, retry_after: Option<&str>) -> HttpResponse {
    let mut response = http::Response::new(bytes::Bytes::new());
    *response.status_mut() = http::StatusCode::from_u16(code).expect("a valid status");
    if let Some(seconds) = retry_after {
        let value = http::HeaderValue::from_str(seconds).expect("a valid header value");
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, value);
    }
    response
}

/// A client whose only calls fail with 503 (every read retried while the budget lasts).
fn always_unavailable(budget: RetryBudget) -> (LoginRadius, RecordingTransport) {
    let transport = RecordingTransport::with_handler(|_| Ok(status(503, None)));
    let policy = RetryPolicy::default().max_retries(5).budget(budget);
    (client(&transport, policy), transport)
}

/// Requests made by one `roles().list()` call (a GET) that fails.
async fn attempts_of_a_failing_read(client: &LoginRadius, transport: &RecordingTransport) -> usize {
    transport.clear();
    let e = client
        .roles()
        .list()
        .await
        .expect_err("the upstream is down");
    assert!(e.is_unavailable(), "{e:?}");
    transport.len()
}

#[tokio::test]
async fn a_write_is_retried_when_the_connection_was_refused() {
    let transport = RecordingTransport::new();
    transport
        .reply_error(TransportError::connect("connection refused"))
        .reply_error(TransportError::connect("connection refused"))
        .reply_json(200, json!({ "Roles": ["editor"] }));
    let c = client(&transport, RetryPolicy::default());
    let roles = c
        .roles()
        .assign("uid-1", ["editor"])
        .await
        .expect("third try");
    assert_eq!(roles.roles, ["editor"]);
    let requests = transport.requests();
    assert_eq!(
        requests.len(),
        3,
        "PUT: 1 + 2 retries, never seen by the server"
    );
    assert!(requests.iter().all(|r| r.method == http::Method::PUT));
}

#[tokio::test]
async fn a_write_that_may_have_reached_the_server_is_not_retried() {
    let failures = [
        ("timeout", Err(TransportError::Timeout)),
        (
            "connection lost",
            Err(TransportError::other("connection reset")),
        ),
        ("5xx", Ok(status(502, None))),
        ("429", Ok(status(429, Some("0")))),
    ];
    for (name, failure) in failures {
        let transport = RecordingTransport::new();
        transport.reply(failure);
        transport.reply_json(200, json!({ "Roles": ["editor"] }));
        let c = client(&transport, RetryPolicy::default().max_retries(3));
        let e = c
            .roles()
            .assign("uid-1", ["editor"])
            .await
            .expect_err("the failure is returned, not retried");
        assert!(
            e.is_unavailable() || matches!(e, Error::RateLimited { .. }),
            "{name}: {e:?}"
        );
        assert_eq!(transport.len(), 1, "{name}: a PUT is sent once");
    }
}

#[tokio::test]
async fn a_read_is_retried_after_a_timeout() {
    let transport = RecordingTransport::new();
    transport
        .reply_error(TransportError::Timeout)
        .reply_json(200, json!({ "Roles": ["editor"] }));
    let c = client(&transport, RetryPolicy::default());
    let roles = c.roles().of_user("uid-1").await.expect("second try");
    assert_eq!(roles.roles, ["editor"]);
    assert_eq!(transport.len(), 2);
}

#[tokio::test]
async fn the_budget_stops_retries_once_spent_and_refills() {
    // No share of calls, a floor of 1 retry per second over a 1 s window: one retry per window.
    let budget = RetryBudget::default()
        .percent(0)
        .min_per_second(1)
        .window(Duration::from_secs(1));
    let (c, transport) = always_unavailable(budget);

    assert_eq!(
        attempts_of_a_failing_read(&c, &transport).await,
        2,
        "1 + the one retry the budget holds, though the policy allows 5"
    );
    assert_eq!(
        attempts_of_a_failing_read(&c.clone(), &transport).await,
        1,
        "spent, for clones too: no retry"
    );

    // Once the spent retry has left the window, the budget holds one retry again.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(attempts_of_a_failing_read(&c, &transport).await, 2);
    assert_eq!(attempts_of_a_failing_read(&c, &transport).await, 1);
}

#[tokio::test]
async fn retries_are_a_share_of_recent_calls() {
    // No floor, 50%: every two calls pay for one retry.
    let (c, transport) = always_unavailable(RetryBudget::default().min_per_second(0).percent(50));
    let attempts = [
        attempts_of_a_failing_read(&c, &transport).await,
        attempts_of_a_failing_read(&c, &transport).await,
        attempts_of_a_failing_read(&c, &transport).await,
        attempts_of_a_failing_read(&c, &transport).await,
    ];
    assert_eq!(attempts, [1, 2, 1, 2]);
}

#[tokio::test]
async fn a_budget_that_cannot_be_honoured_is_refused() {
    let transport = RecordingTransport::new();
    for budget in [
        RetryBudget::default().window(Duration::ZERO),
        RetryBudget::default().window(Duration::from_secs(3600)),
        RetryBudget::default().percent(1_000_000),
    ] {
        let built = LoginRadius::builder()
            .api_key("key")
            .transport(transport.clone())
            .retry(RetryPolicy::default().budget(budget))
            .build();
        assert!(matches!(built, Err(Error::Config(_))), "{budget:?}");
    }
    assert!(transport.is_empty());
}
