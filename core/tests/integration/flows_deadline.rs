//! The route helpers' sign-in paths wait for LoginRadius at most the authenticator's upstream
//! deadline, like a guard's lookup: over HTTP to the emulator, whose fault injection makes
//! LoginRadius answer after 15 s, a sign-in with a client timeout of 30 s is refused with 503
//! and a `Retry-After` at the deadline; once the fault clears the same sign-in succeeds.

use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};
use loginradius::auth::Authenticator;
use loginradius::web::{Flows, LinkTokenInput, LoginInput, SessionCookie};
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_emulator::{Emulator, EmulatorConfig, Fault, SeedUser};

const DEADLINE: Duration = Duration::from_secs(1);
/// Generous slack for a loaded 2-core machine: the point is not waiting 15 s.
const SLACK: Duration = Duration::from_millis(700);

async fn flows() -> (Emulator, Flows) {
    let emulator = Emulator::start(
        EmulatorConfig::default().with_user(SeedUser::new("ada@example.com", "password123")),
    )
    .await
    .unwrap();
    let session = SessionCookie::generate();
    // A client that would wait 30 s: only the deadline keeps the sign-in short.
    let client = LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .retry(RetryPolicy::default())
        .request_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let authenticator = Authenticator::builder(client)
        .token_sources(session.token_sources())
        .upstream_deadline(DEADLINE)
        .build()
        .unwrap();
    let flows = Flows::new(authenticator, session).unwrap();
    (emulator, flows)
}

fn login() -> LoginInput {
    serde_json::from_value(serde_json::json!({
        "email": "ada@example.com",
        "password": "password123",
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_is_refused_at_the_deadline_when_loginradius_is_slow() {
    let (emulator, flows) = flows().await;
    emulator
        .add_fault(Fault::latency(Duration::from_secs(15)))
        .unwrap();

    let started = Instant::now();
    let refused = flows.login(&HeaderMap::new(), login()).await;
    let took = started.elapsed();
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.retry_after.is_some(), "503 carries Retry-After");
    assert!(refused.session.session().is_none(), "no session started");
    assert!(took < DEADLINE + SLACK, "refused after {took:?}");

    let started = Instant::now();
    let link: LinkTokenInput =
        serde_json::from_value(serde_json::json!({"token": "a-link-token"})).unwrap();
    let refused = flows.passwordless_verify(&HeaderMap::new(), link).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < DEADLINE + SLACK);

    emulator.clear_faults();
    let signed_in = flows.login(&HeaderMap::new(), login()).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert!(signed_in.session.session().is_some());
}
