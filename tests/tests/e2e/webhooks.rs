//! Webhook subscriptions against the emulator: subscribe, list, read, change, unsubscribe, the
//! event list, and the documented refusals (unknown event, invalid URL, already subscribed, not
//! subscribed, wrong secret); and deliveries: signed, verified by the library's own receiver,
//! suppressed on request, refused to a target that is not allowed.

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

/// A loopback app serving the library's webhook receiver at `/hooks` for `authenticator`.
async fn receiver_app(authenticator: loginradius::auth::Authenticator) -> String {
    use loginradius::web::WebhookReceiver;
    let receiver = WebhookReceiver::new(authenticator);
    let app = axum::Router::new().route(
        "/hooks",
        axum::routing::post(
            move |headers: http::HeaderMap, body: axum::body::Bytes| async move {
                let answer = receiver.receive(&headers, &body).await;
                (answer.status, axum::Json(answer.body))
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hooks")
}

/// Waits until the emulator has recorded `n` deliveries that are no longer queued: up to 15 s,
/// three times the emulator's delivery timeout (5 s), so that a delivery that takes its whole
/// timeout on a loaded machine still settles before the test gives up.
async fn settled_deliveries(emulator: &Emulator, n: usize) -> Vec<WebhookDelivery> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let all = emulator.webhook_deliveries();
        if all.len() >= n && all.iter().all(|d| d.outcome != "queued") {
            return all;
        }
        assert!(std::time::Instant::now() < deadline, "deliveries: {all:?}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_role_unassigned_at_the_emulator_reaches_the_receiver_signed_and_the_cached_role_is_refused()
 {
    use loginradius::auth::{AccessToken, Authenticator, Require};
    const EMAIL: &str = "hooked@example.com";
    let (emulator, admin) =
        emulator(EmulatorConfig::default().with_user(user(EMAIL).roles(["editor"]))).await;
    // The app's own client: the unassignment below goes through another one (`admin`), so
    // only the webhook can tell the app.
    let authenticator = Authenticator::builder(client(&emulator))
        .roles_ttl(std::time::Duration::from_secs(3600))
        .build()
        .expect("authenticator");
    let url = receiver_app(authenticator.clone()).await;
    let signed_in = login(&admin, EMAIL).await;
    let uid = uid_of(&signed_in);
    let token = AccessToken::new(token_of(&signed_in));
    let editor = Require::role("editor");
    let user = authenticator.authenticate(&token).await.expect("signed in");
    authenticator
        .authorize(&user, &editor)
        .await
        .expect("an editor");

    admin
        .webhooks()
        .create(&NewWebhook::new("UnassignRoles", &url))
        .await
        .expect("subscribe");
    admin
        .roles()
        .unassign(&uid, ["editor"])
        .await
        .expect("unassign");

    let deliveries = settled_deliveries(&emulator, 1).await;
    let delivery = &deliveries[0];
    assert_eq!(
        (
            delivery.event.as_str(),
            delivery.uid.as_str(),
            delivery.url.as_str()
        ),
        ("UnassignRoles", uid.as_str(), url.as_str())
    );
    assert_eq!(
        (delivery.outcome.as_str(), delivery.status),
        ("delivered", Some(200)),
        "the receiver verified the signature: {delivery:?}"
    );
    let user = authenticator.authenticate(&token).await.expect("signed in");
    assert!(
        authenticator.authorize(&user, &editor).await.is_err(),
        "the cached role is gone"
    );

    // The outbox JSON lists it too.
    let outbox: serde_json::Value = reqwest::get(emulator_url(&emulator, "/emulator/outbox"))
        .await
        .expect("outbox")
        .json()
        .await
        .expect("JSON");
    assert_eq!(outbox["webhooks"][0]["hook_id"], json!(delivery.hook_id));
    assert_eq!(outbox["webhooks"][0]["status"], json!(200));
}

#[tokio::test]
async fn suppressed_calls_raise_no_webhook_and_a_target_not_allowed_is_not_contacted() {
    let (emulator, client) =
        emulator(EmulatorConfig::default().with_user(user("s@example.com"))).await;
    let hooks = client.webhooks();
    hooks
        .create(&NewWebhook::new("Login", "http://127.0.0.1:9/hooks"))
        .await
        .expect("subscribe");
    hooks
        .create(&NewWebhook::new("Login", "https://hooks.example.com/login"))
        .await
        .expect("subscribe");

    // `prevent_webhook=true` in the query: no delivery at all.
    let answer = reqwest::Client::new()
        .post(emulator_url(
            &emulator,
            "/identity/v2/auth/login?prevent_webhook=true",
        ))
        .query(&[("apikey", emulator.api_key())])
        .json(&json!({"email": "s@example.com", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(answer.status(), 200);
    assert!(emulator.webhook_deliveries().is_empty());

    login(&client, "s@example.com").await;
    let deliveries = settled_deliveries(&emulator, 2).await;
    let outcome = |url: &str| {
        deliveries
            .iter()
            .find(|d| d.url == url)
            .map(|d| d.outcome.clone())
    };
    // Port 9 on loopback answers nothing: tried, failed.
    assert_eq!(
        outcome("http://127.0.0.1:9/hooks").as_deref(),
        Some("failed")
    );
    assert_eq!(
        outcome("https://hooks.example.com/login").as_deref(),
        Some("refused"),
        "not an allowed origin: never contacted"
    );
}
