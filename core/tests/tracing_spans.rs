//! Every request is a `tracing` span with the endpoint name, method and status, and nothing
//! secret is ever logged, even at TRACE level.

use std::io::Write;
use std::sync::{Arc, Mutex};

use loginradius::LoginRadius;
use loginradius::transport::RecordingTransport;
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET: &str = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
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
async fn requests_are_spans_with_endpoint_method_and_status_and_no_secrets() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let t = RecordingTransport::new();
    let c = LoginRadius::builder()
        .api_key("key")
        .api_secret(SECRET)
        .transport(t.clone())
        .build()
        .unwrap();
    t.reply_json(200, serde_json::json!({"Roles": []}));
    c.roles().of_user("uid-1").await.unwrap();
    t.reply_json(
        403,
        serde_json::json!({"ErrorCode": 905, "Message": "Access token is invalid"}),
    );
    let _ = c.auth().profile(TOKEN).await;

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("loginradius.request"), "{log}");
    assert!(
        log.contains("endpoint=\"roles.of_user\"") || log.contains("endpoint=roles.of_user"),
        "{log}"
    );
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("status=403"), "{log}");
    assert!(!log.contains(SECRET), "secret logged: {log}");
    assert!(!log.contains(TOKEN), "token logged: {log}");
}
