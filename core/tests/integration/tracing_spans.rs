//! Every request is a `tracing` span with the endpoint name, method and status, and nothing
//! secret is ever logged, even at TRACE level.

use crate::support::{API_SECRET, LogBuffer, TOKEN};
use loginradius::LoginRadius;
use loginradius::transport::RecordingTransport;

#[tokio::test]
async fn requests_are_spans_with_endpoint_method_and_status_and_no_secrets() {
    let buffer = LogBuffer::default();
    let _guard = buffer.capture();

    let t = RecordingTransport::new();
    let c = LoginRadius::builder()
        .api_key("key")
        .api_secret(API_SECRET)
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

    let log = buffer.contents();
    assert!(log.contains("loginradius.request"), "{log}");
    assert!(
        log.contains("endpoint=\"roles.of_user\"") || log.contains("endpoint=roles.of_user"),
        "{log}"
    );
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("status=403"), "{log}");
    assert!(!log.contains(API_SECRET), "secret logged: {log}");
    assert!(!log.contains(TOKEN), "token logged: {log}");
}
