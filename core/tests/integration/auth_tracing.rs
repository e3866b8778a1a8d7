//! The auth engine is instrumented with `tracing`, and never logs a token, even at TRACE.

use crate::auth_support::*;
use crate::support::{LogBuffer, TOKEN};
use loginradius::auth::Require;
use serde_json::json;

#[tokio::test]
async fn decisions_are_spans_and_tokens_are_never_logged() {
    let buffer = LogBuffer::default();
    let _guard = buffer.capture();

    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.always(
        roles_path("u-1"),
        Reply::Json(200, json!({"Roles": ["viewer"]})),
    );
    upstream.always(INVALIDATE, Reply::Raw(500, vec![], "down"));
    let auth = builder(&upstream).build().unwrap();

    assert!(
        auth.decide(&bearer(TOKEN), &Require::role("viewer"))
            .await
            .is_allowed()
    );
    assert!(
        !auth
            .decide(&bearer(TOKEN), &Require::role("admin"))
            .await
            .is_allowed()
    );
    let _ = auth.logout(&token(TOKEN)).await;
    upstream.always(VALIDATE, Reply::Timeout);
    let _ = auth.decide(&bearer(TOKEN), &Require::authenticated()).await;

    let log = buffer.contents();
    assert!(log.contains("loginradius.auth.authenticate"), "{log}");
    assert!(log.contains("loginradius.auth.authorize"), "{log}");
    assert!(
        log.contains("cache=\"miss\"") || log.contains("cache=miss"),
        "{log}"
    );
    assert!(
        log.contains("cache=\"hit\"") || log.contains("cache=hit"),
        "{log}"
    );
    assert!(
        log.contains("outcome=\"forbidden\"") || log.contains("outcome=forbidden"),
        "{log}"
    );
    assert!(log.contains("unavailable"), "{log}");
    assert!(!log.contains(TOKEN), "token logged: {log}");
    assert!(!log.contains("7f3e2d1c"), "part of the token logged: {log}");
}
