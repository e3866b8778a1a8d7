//! Request signing: a client with `.request_signing(true)` against an emulator that requires
//! signed `/manage` calls (`with_required_signing(true)`), on GET, POST, PUT and DELETE calls with
//! and without bodies and query strings; unsigned, wrongly signed and expired calls are refused.

use std::time::Duration;

use loginradius::Clock;
use loginradius::api::roles::ContextGrant;
use loginradius::models::{NewAccount, Registration, Role};
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";

fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .with_required_signing(true)
        .with_email_verification(EmailVerification::Disabled)
        .with_role("admin", ["manage_users"])
        .with_user(user(EMAIL))
}

async fn signed(emulator: &Emulator) -> LoginRadius {
    client_builder(emulator)
        .request_signing(true)
        .build()
        .expect("a signing client")
}

#[tokio::test]
async fn signed_manage_calls_succeed_when_signing_is_required() {
    let (emulator, _unsigned) = emulator(config()).await;
    let client = signed(&emulator).await;
    assert!(client.request_signing());

    // GET without query, GET with query.
    let roles = client.roles().list().await.expect("signed GET");
    assert_eq!(roles.count, 1);
    let uid = client
        .account()
        .by_email(EMAIL)
        .await
        .expect("signed GET with a query")
        .uid;
    client
        .account()
        .get(&uid)
        .await
        .expect("signed GET with a path parameter");
    // POST and PUT with bodies.
    client
        .roles()
        .create([Role::new("editor", ["publish"])])
        .await
        .expect("signed POST");
    assert_eq!(
        client
            .roles()
            .assign(&uid, ["editor"])
            .await
            .expect("signed PUT")
            .roles,
        ["editor"]
    );
    client
        .account()
        .update(&uid, &json!({ "FirstName": "Signed" }))
        .await
        .expect("signed PUT");
    client
        .roles()
        .upsert_contexts(&uid, [ContextGrant::new("project", ["editor"])])
        .await
        .expect("signed PUT with a list body");
    // DELETE with a body, DELETE without.
    client
        .roles()
        .unassign(&uid, ["editor"])
        .await
        .expect("signed DELETE with a body");
    client
        .roles()
        .delete_context(&uid, "project")
        .await
        .expect("signed DELETE");
    // Query string and body together.
    let record = client
        .custom_objects()
        .create_for_user(&uid, "notes", &json!({ "text": "a & b = c?" }))
        .await
        .expect("signed POST with a query and a body");
    client
        .custom_objects()
        .get_for_user(&uid, "notes", &record.id)
        .await
        .expect("signed GET");
    // A created account, a password set by uid, a server SOTT.
    let created = client
        .account()
        .create(&NewAccount::with_email("new+tag@example.com", PASSWORD).email_verified(true))
        .await
        .expect("signed POST of an account");
    client
        .account()
        .set_password(&created.uid, "another-pass-9")
        .await
        .expect("signed PUT");
    let sott = client
        .sott()
        .generate()
        .await
        .expect("signed SOTT generation")
        .sott;
    client
        .auth()
        .register(&Registration::new("registered@example.com", PASSWORD), sott)
        .await
        .expect("the server SOTT registers");
    // A refresh token in the query string.
    let signed_in = login(&client, EMAIL).await;
    client
        .account()
        .refresh_access_token(signed_in.refresh_token.expect("refresh"))
        .await
        .expect("signed refresh");
    client
        .account()
        .delete(&created.uid)
        .await
        .expect("signed DELETE");
}

#[tokio::test]
async fn unsigned_manage_call_is_refused_with_1207_when_signing_is_required() {
    let (_emulator, unsigned) = emulator(config()).await;
    assert!(!unsigned.request_signing());
    let e = expect_code(unsigned.roles().list().await, 1207);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    expect_code(unsigned.account().by_email(EMAIL).await, 1207);
    expect_code(unsigned.sott().generate().await, 1207);
    // Calls outside /manage do not need a signature.
    login(&unsigned, EMAIL).await;
}

#[tokio::test]
async fn a_signature_made_with_another_secret_is_refused_with_1208() {
    let (emulator, _client) = emulator(config()).await;
    let forger = client_builder(&emulator)
        .api_secret("not-the-secret-0000")
        .request_signing(true)
        .build()
        .unwrap();
    expect_code(forger.roles().list().await, 1208);
    expect_code(
        forger.roles().create([Role::new("forged", ["x"])]).await,
        1208,
    );
}

#[tokio::test]
async fn an_expired_signature_is_refused_with_1212() {
    let (emulator, _unsigned) = emulator(config()).await;
    let two_hours_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let stale = client_builder(&emulator)
        .request_signing(true)
        .clock(Clock::fixed(two_hours_ago))
        .build()
        .unwrap();
    expect_code(stale.roles().list().await, 1212);
    // The signature also expires on the emulator's clock.
    let fresh = signed(&emulator).await;
    emulator.advance_clock(Duration::from_secs(3601));
    expect_code(fresh.roles().list().await, 1212);
}

#[tokio::test]
async fn signing_also_works_when_it_is_not_required() {
    let (emulator, unsigned) = emulator(config().with_required_signing(false)).await;
    let client = signed(&emulator).await;
    client.roles().list().await.expect("signed");
    unsigned.roles().list().await.expect("secret header");
}
