//! The authenticator's circuit breaker on a scripted upstream, on tokio's paused clock: a run
//! of failed lookups opens the token circuit (a `WARN` event of target
//! `loginradius::auth::breaker`, shown in `upstream_health`), lookups are then refused with 503
//! without a call and with the rest of the cool-down as `Retry-After`; after the cool-down one
//! probe goes through and its success closes the circuit. Invalid tokens never open it.

use std::time::Duration;

use crate::auth_support::*;
use crate::support::{LogBuffer, TOKEN};
use http::StatusCode;
use loginradius::auth::{CircuitState, Decision, Require};

#[tokio::test(start_paused = true)]
async fn failed_lookups_open_the_circuit_and_a_good_probe_closes_it() {
    let buffer = LogBuffer::default();
    let _guard = buffer.capture();
    let upstream = Upstream::new();
    upstream.tokens_fail(Reply::Raw(503, vec![], "down"));
    let auth = builder(&upstream)
        .circuit_breaker(2, Duration::from_secs(10))
        .build()
        .unwrap();

    for _ in 0..2 {
        let Decision::Reject(r) = auth.decide(&bearer(TOKEN), &Require::authenticated()).await
        else {
            panic!("let in while LoginRadius is down");
        };
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(
        auth.upstream_health().tokens,
        CircuitState::Open {
            retry_after: Duration::from_secs(10)
        }
    );
    let calls = upstream.total();
    tokio::time::advance(Duration::from_secs(3)).await;
    let Decision::Reject(r) = auth.decide(&bearer(TOKEN), &Require::authenticated()).await else {
        panic!("let in while the circuit is open");
    };
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(upstream.total(), calls, "no call while open");

    // LoginRadius is back; after the cool-down the probe gets in and closes the circuit.
    upstream.user_until(UID, in_an_hour());
    tokio::time::advance(Duration::from_secs(7)).await;
    assert_eq!(auth.upstream_health().tokens, CircuitState::HalfOpen);
    assert!(
        auth.decide(&bearer(TOKEN), &Require::authenticated())
            .await
            .is_allowed()
    );
    assert_eq!(
        auth.upstream_health().tokens,
        CircuitState::Closed { failures: 0 }
    );

    let log = buffer.contents();
    assert!(log.contains("loginradius::auth::breaker"), "{log}");
    assert!(log.contains("circuit open"), "{log}");
    assert!(log.contains("circuit half-open"), "{log}");
    assert!(log.contains("circuit closed"), "{log}");
    assert!(!log.contains(TOKEN), "token logged: {log}");
}

#[tokio::test(start_paused = true)]
async fn invalid_tokens_are_answers_and_never_open_the_circuit() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(401, 905, "invalid token"));
    let auth = builder(&upstream)
        .circuit_breaker(2, Duration::from_secs(10))
        .build()
        .unwrap();
    for _ in 0..5 {
        let Decision::Reject(r) = auth.decide(&bearer(TOKEN), &Require::authenticated()).await
        else {
            panic!("an invalid token let in");
        };
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        auth.upstream_health().tokens,
        CircuitState::Closed { failures: 0 }
    );
}
