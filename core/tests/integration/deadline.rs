//! A request builder's `deadline`: every attempt and every wait between attempts fits before it,
//! a retry or a `Retry-After` wait that would not is not started, and what was answered so far
//! is returned at once. Time is paused: the sleeps and timeouts run on tokio's clock.

use std::time::Duration;

use loginradius::transport::{HttpResponse, RecordingTransport};
use loginradius::{Error, LoginRadius, RetryPolicy};
use serde_json::json;
use tokio::time::Instant;

/// A client retrying reads up to 3 times, about 1 s apart, with a 10 s request timeout.
fn client(transport: &RecordingTransport) -> LoginRadius {
    LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .transport(transport.clone())
        .request_timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default()
                .max_retries(3)
                .base_delay(Duration::from_secs(1)),
        )
        .build()
        .expect("valid settings")
}

fn answer(code: u16, retry_after: Option<&str>) -> HttpResponse {
    let mut response = http::Response::new(bytes::Bytes::new());
    *response.status_mut() = http::StatusCode::from_u16(code).expect("a valid status");
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_str(seconds).expect("a valid header value"),
        );
    }
    response
}

#[tokio::test(start_paused = true)]
async fn a_slow_upstream_is_given_up_on_at_the_deadline_not_after_every_retry() {
    let transport = RecordingTransport::new();
    transport.set_delay(Duration::from_secs(60));
    let c = client(&transport);
    let started = Instant::now();
    let e = c
        .roles()
        .of_user("uid-1")
        .deadline(started + Duration::from_secs(3))
        .await
        .expect_err("nothing answers within 3 s");
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(3),
        "ended at the deadline"
    );
    assert_eq!(
        transport.len(),
        1,
        "no retry was started after the deadline"
    );

    // Without a deadline the same call waits out every attempt: 10 s each, then a backoff.
    transport.clear();
    let started = Instant::now();
    c.roles()
        .of_user("uid-1")
        .await
        .expect_err("nothing answers");
    assert!(
        started.elapsed() >= Duration::from_secs(40),
        "{:?} after {} requests",
        started.elapsed(),
        transport.len()
    );
    assert_eq!(transport.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_longer_than_what_is_left_is_returned_at_once() {
    let transport = RecordingTransport::new();
    transport.reply(Ok(answer(429, Some("7"))));
    transport.reply_json(200, json!({ "Roles": ["editor"] }));
    let c = client(&transport);
    let started = Instant::now();
    let e = c
        .roles()
        .of_user("uid-1")
        .deadline(started + Duration::from_secs(3))
        .await
        .expect_err("the 429 is the answer");
    match e {
        Error::RateLimited { retry_after } => {
            assert_eq!(
                retry_after,
                Some(Duration::from_secs(7)),
                "carried to the caller"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(started.elapsed(), Duration::ZERO, "no wait was started");
    assert_eq!(transport.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn retries_that_fit_are_still_made() {
    let transport = RecordingTransport::new();
    transport.reply(Ok(answer(503, None)));
    transport.reply_json(200, json!({ "Roles": ["editor"] }));
    let c = client(&transport);
    let started = Instant::now();
    let roles = c
        .roles()
        .of_user("uid-1")
        .deadline(started + Duration::from_secs(3))
        .await
        .expect("the retry fits: 1 s backoff, 3 s budget");
    assert_eq!(roles.roles, ["editor"]);
    assert_eq!(transport.len(), 2);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn a_deadline_already_past_sends_nothing() {
    let transport = RecordingTransport::new();
    transport.reply_json(200, json!({ "Roles": ["editor"] }));
    let c = client(&transport);
    let e = c
        .roles()
        .of_user("uid-1")
        .deadline(Instant::now())
        .await
        .expect_err("no time left");
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    assert!(transport.is_empty(), "nothing was sent");
}
