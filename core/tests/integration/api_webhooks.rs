//! WebHookApi through a recording transport: the key and secret in the query as `apikey` and
//! `apisecret`, never signed, exact bodies, and the subscription models.

use crate::support::{
    API_KEY, API_SECRET, assert_refused_before_sending, client, client_with_signing, public_client,
};
use loginradius::Error;
use loginradius::models::{NewWebhook, WebhookUpdate};
use loginradius::transport::RecordingTransport;
use serde_json::json;

const HOOK: &str = "3a0bcd6e-2f1d-4c1b-9a8e-7f6d5c4b3a21";
const BASE: &str = "https://api.loginradius.com";

fn subscription() -> serde_json::Value {
    json!({
        "Id": HOOK, "TargetUrl": "https://example.com/hooks/login", "Event": "Login",
        "CreatedDate": "2024-01-02T03:04:05.123Z", "LastModifiedDate": "2024-01-03T03:04:05Z",
        "SecretName": "primary", "Name": "audit", "IsIntegrationWebhook": false,
        "Headers": {"X-Source": "loginradius"}, "QueryParams": {}, "Authentication": null
    })
}

#[tokio::test]
async fn every_call_has_its_method_url_and_body() {
    let q = format!("apikey={API_KEY}&apisecret={API_SECRET}");
    for signing in [false, true] {
        let transport = RecordingTransport::new();
        let c = client_with_signing(&transport, signing);
        let hooks = c.webhooks();
        let _ = hooks.get(HOOK).await;
        let _ = hooks
            .create(
                &NewWebhook::new("Login", "https://example.com/hooks/login")
                    .name("audit")
                    .header("X-Source", "lr"),
            )
            .await;
        let _ = hooks.delete(HOOK).await;
        let _ = hooks
            .update(
                HOOK,
                &WebhookUpdate::new()
                    .query_param("tenant", "eu")
                    .authentication(json!({"AuthType": "None"})),
            )
            .await;
        let _ = hooks.list().await;
        let _ = hooks.events().await;

        let expected = [
            ("GET", format!("{BASE}/v2/manage/webhooks/{HOOK}?{q}"), None),
            (
                "POST",
                format!("{BASE}/v2/manage/webhooks?{q}"),
                Some(
                    json!({"Event": "Login", "TargetUrl": "https://example.com/hooks/login", "Name": "audit", "Headers": {"X-Source": "lr"}}),
                ),
            ),
            (
                "DELETE",
                format!("{BASE}/v2/manage/webhooks/{HOOK}?{q}"),
                Some(json!({})),
            ),
            (
                "PUT",
                format!("{BASE}/v2/manage/webhooks/{HOOK}?{q}"),
                Some(
                    json!({"QueryParams": {"tenant": "eu"}, "Authentication": {"AuthType": "None"}}),
                ),
            ),
            ("GET", format!("{BASE}/v2/manage/webhooks?{q}"), None),
            ("GET", format!("{BASE}/v2/manage/webhooks/events?{q}"), None),
        ];
        let sent = transport.requests();
        assert_eq!(sent.len(), expected.len());
        for (request, (method, url, body)) in sent.iter().zip(expected) {
            assert_eq!(request.method.as_str(), method);
            assert_eq!(request.url, url, "signing={signing}");
            match body {
                None => assert!(request.body.is_empty(), "{url}"),
                Some(body) => assert_eq!(request.json(), Some(body), "{method} {url}"),
            }
            for header in [
                "digest",
                "x-request-expires",
                "x-loginradius-apisecret",
                "authorization",
            ] {
                assert!(
                    request.header(header).is_none(),
                    "{header} on {method} {url} (signing={signing})"
                );
            }
            assert_eq!(request.header("content-type"), Some("application/json"));
        }
    }
}

#[tokio::test]
async fn hook_ids_are_one_encoded_path_segment() {
    let transport = RecordingTransport::new();
    let _ = client(&transport)
        .webhooks()
        .delete("x/../../identity?y=")
        .await;
    let sent = transport.last().unwrap();
    assert_eq!(
        sent.path(),
        "/v2/manage/webhooks/x%2F..%2F..%2Fidentity%3Fy%3D"
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let errors = [
        c.webhooks().get("").await.map(drop),
        c.webhooks().delete(" ").await.map(drop),
        c.webhooks()
            .update(HOOK, &WebhookUpdate::new())
            .await
            .map(drop),
        c.webhooks()
            .update("", &WebhookUpdate::new().header("a", "b"))
            .await
            .map(drop),
        c.webhooks()
            .create(&NewWebhook::new("", "https://example.com"))
            .await
            .map(drop),
        c.webhooks()
            .create(&NewWebhook::new("Login", " "))
            .await
            .map(drop),
    ];
    assert_refused_before_sending(errors, &transport);
}

#[tokio::test]
async fn answers_are_decoded() {
    let transport = RecordingTransport::new();
    let c = client(&transport);

    transport.reply_json(200, json!({"Data": [subscription()]}));
    let list = c.webhooks().list().await.unwrap();
    assert_eq!(list.subscriptions.len(), 1);
    assert_eq!(list.subscriptions[0].headers["X-Source"], "loginradius");

    transport.reply_json(200, json!({"Data": [subscription()]}));
    let one = c.webhooks().get(HOOK).await.unwrap();
    assert_eq!(one.subscriptions[0].id, HOOK);

    transport.reply_json(200, subscription());
    let created = c
        .webhooks()
        .create(&NewWebhook::new("Login", "https://example.com/hooks/login"))
        .await
        .unwrap();
    assert_eq!(created.event, "Login");
    assert!(created.created_date.is_some());

    transport.reply_json(200, json!({"IsDeleted": true}));
    assert!(c.webhooks().delete(HOOK).await.unwrap().is_deleted);

    transport.reply_json(200, json!({"Data": ["Login", "Register", "UpdateProfile"]}));
    assert_eq!(c.webhooks().events().await.unwrap().events.len(), 3);

    transport.reply_json(
        403,
        json!({"ErrorCode": 1066, "Message": "API secret is invalid", "Description": "x"}),
    );
    let e = c.webhooks().list().await.unwrap_err();
    assert_eq!(e.code(), Some(1066));
}

#[tokio::test]
async fn webhook_calls_need_the_secret() {
    let transport = RecordingTransport::new();
    let c = public_client(&transport);
    assert!(matches!(c.webhooks().list().await, Err(Error::Config(_))));
    assert!(transport.is_empty());
}
