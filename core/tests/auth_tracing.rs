//! The auth engine is instrumented with `tracing`, and never logs a token, even at TRACE.

mod auth_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use auth_support::*;
use loginradius::auth::Require;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

const TOKEN: &str = "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn decisions_are_spans_and_tokens_are_never_logged() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let upstream = Upstream::new();
    upstream.user("u-1", in_an_hour());
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

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
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
