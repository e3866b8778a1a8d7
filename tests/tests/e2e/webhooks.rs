//! Webhook subscriptions against the emulator: subscribe, list, read, change, unsubscribe, the
//! event list, and the documented refusals (unknown event, invalid URL, already subscribed, not
//! subscribed, wrong secret).

use loginradius::codes;
use loginradius::models::{NewWebhook, WebhookUpdate};
use loginradius_test_support::e2e::*;
use serde_json::json;

#[tokio::test]
async fn a_subscription_is_created_listed_changed_and_deleted() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let hooks = client.webhooks();
    let events = hooks.events().await.expect("events").events;
    assert!(events.iter().any(|e| e == "Login") && events.iter().any(|e| e == "Register"));
    assert!(hooks.list().await.expect("list").subscriptions.is_empty());

    let created = hooks
        .create(
            &NewWebhook::new("login", "https://hooks.example.com/login")
                .name("audit")
                .header("X-Source", "lr")
                .authentication(json!({
                    "AuthType": "Basic",
                    "BasicAuth": { "Username": "u", "Password": "hook-password" }
                })),
        )
        .await
        .expect("create");
    assert_eq!(created.event, "Login", "the event is spelled as listed");
    assert_eq!(created.target_url, "https://hooks.example.com/login");
    assert_eq!(created.name.as_deref(), Some("audit"));
    assert_eq!(created.headers["X-Source"], "lr");
    assert_eq!(created.id.len(), 24);
    assert!(created.created_date.is_some());
    let auth = created.authentication.clone().expect("authentication");
    assert_eq!(auth["BasicAuth"]["Username"], "u");
    assert_eq!(
        auth["BasicAuth"]["Password"], "",
        "the target's password is never echoed"
    );

    let other = hooks
        .create(&NewWebhook::new("Register", "http://127.0.0.1:9/hooks"))
        .await
        .expect("create another");
    let listed = hooks.list().await.expect("list").subscriptions;
    assert_eq!(
        listed.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str(), other.id.as_str()]
    );
    let one = hooks.get(&created.id).await.expect("get").subscriptions;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].target_url, created.target_url);
    assert!(
        hooks
            .get("000000000000000000000000")
            .await
            .expect("get unknown")
            .subscriptions
            .is_empty()
    );

    let changed = hooks
        .update(
            &created.id,
            &WebhookUpdate::new().query_param("tenant", "a"),
        )
        .await
        .expect("update");
    assert_eq!(changed.query_params["tenant"], "a");
    assert_eq!(changed.headers["X-Source"], "lr", "headers are kept");
    assert_eq!(changed.id, created.id);

    let deleted = hooks.delete(&created.id).await.expect("delete");
    assert!(deleted.is_deleted);
    expect_code(
        hooks.delete(&created.id).await,
        codes::WEBHOOK_NOT_SUBSCRIBED,
    );
    expect_code(
        hooks
            .update(&created.id, &WebhookUpdate::new().header("a", "b"))
            .await,
        codes::WEBHOOK_NOT_SUBSCRIBED,
    );
    let left = hooks.list().await.expect("list").subscriptions;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, other.id);
    drop(emulator);
}

#[tokio::test]
async fn the_documented_refusals() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let hooks = client.webhooks();
    expect_code(
        hooks
            .create(&NewWebhook::new(
                "NoSuchEvent",
                "https://hooks.example.com/x",
            ))
            .await,
        codes::WEBHOOK_EVENT_INVALID,
    );
    for bad in ["not a url", "ftp://hooks.example.com/x", "/relative"] {
        expect_code(
            hooks.create(&NewWebhook::new("Login", bad)).await,
            codes::WEBHOOK_URL_INVALID,
        );
    }
    hooks
        .create(&NewWebhook::new("Login", "https://hooks.example.com/x"))
        .await
        .expect("first subscription");
    expect_code(
        hooks
            .create(&NewWebhook::new("Login", "https://hooks.example.com/x"))
            .await,
        codes::WEBHOOK_ALREADY_SUBSCRIBED,
    );
    // The same URL may follow another event.
    hooks
        .create(&NewWebhook::new("Register", "https://hooks.example.com/x"))
        .await
        .expect("another event");
    for n in 1..5 {
        hooks
            .create(&NewWebhook::new(
                "Login",
                format!("https://hooks.example.com/{n}"),
            ))
            .await
            .expect("up to five per event");
    }
    expect_code(
        hooks
            .create(&NewWebhook::new("Login", "https://hooks.example.com/6"))
            .await,
        codes::WEBHOOK_LIMIT_EXCEEDED,
    );

    // The secret is checked: a client with a wrong one is refused and sees nothing.
    let wrong = client_builder(&emulator)
        .api_secret("not-the-secret")
        .build()
        .expect("client");
    expect_code(
        wrong.webhooks().list().await,
        codes::API_SECRET_UNAUTHORIZED,
    );
    expect_code(
        wrong
            .webhooks()
            .create(&NewWebhook::new("Login", "https://hooks.example.com/7"))
            .await,
        codes::API_SECRET_UNAUTHORIZED,
    );
    assert_eq!(hooks.list().await.expect("list").subscriptions.len(), 6);
}
