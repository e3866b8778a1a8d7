//! Passwordless login by an emailed link: send, follow (single use, 15-minute lifetime), and the
//! error paths.

use std::time::Duration;

use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";

fn config() -> EmulatorConfig {
    EmulatorConfig::default().with_user(user(EMAIL).username("jane"))
}

#[tokio::test]
async fn the_emailed_link_token_signs_the_user_in_once() {
    let (emulator, client) = emulator(config()).await;
    let sent = client
        .passwordless()
        .send_link_by_email(EMAIL)
        .await
        .expect("send the link");
    assert!(sent.is_posted);
    let token = outbox_token(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN);

    let signed_in = client
        .passwordless()
        .verify_link(token.as_str())
        .await
        .expect("follow the link");
    let profile = signed_in.profile.as_ref().expect("profile");
    assert_eq!(profile.primary_email(), Some(EMAIL));
    let me = client
        .auth()
        .profile(token_of(&signed_in))
        .await
        .expect("the token works");
    assert_eq!(me.uid, profile.uid);

    expect_code(client.passwordless().verify_link(token).await, 1063);
}

#[tokio::test]
async fn the_link_can_be_sent_by_username_and_to_a_custom_url() {
    let (emulator, client) = emulator(config()).await;
    client
        .passwordless()
        .send_link_by_username("jane")
        .verification_url("https://app.example.com/passwordless")
        .await
        .expect("send the link");
    let message = last_message(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN);
    let link = message.link.clone().expect("a link");
    assert!(
        link.starts_with("https://app.example.com/passwordless?"),
        "{link}"
    );
    let token = outbox_token(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN);
    client
        .passwordless()
        .verify_link(token)
        .await
        .expect("follow the link");
}

#[tokio::test]
async fn following_the_default_link_signs_in() {
    let (emulator, client) = emulator(config()).await;
    client
        .passwordless()
        .send_link_by_email(EMAIL)
        .await
        .expect("send the link");
    let link = last_message(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN)
        .link
        .expect("a link");
    let answer = reqwest::get(&link).await.expect("the link answers");
    assert!(answer.status().is_success(), "{link}: {}", answer.status());
    let body: serde_json::Value =
        serde_json::from_str(&answer.text().await.unwrap()).expect("JSON");
    let token = body["access_token"].as_str().expect("an access token");
    client
        .auth()
        .validate_token(token)
        .await
        .expect("the token is valid");
}

#[tokio::test]
async fn the_link_expires_after_fifteen_minutes() {
    let (emulator, client) = emulator(config()).await;
    client
        .passwordless()
        .send_link_by_email(EMAIL)
        .await
        .expect("send the link");
    let token = outbox_token(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN);
    emulator.advance_clock(Duration::from_secs(16 * 60));
    expect_code(client.passwordless().verify_link(token).await, 975);
}

#[tokio::test]
async fn an_unknown_email_or_token_is_refused() {
    let (emulator, client) = emulator(config()).await;
    expect_code(
        client
            .passwordless()
            .send_link_by_email("nobody@example.com")
            .await,
        1023,
    );
    assert!(emulator.outbox().is_empty());
    expect_code(
        client.passwordless().verify_link("not-a-link-token").await,
        1063,
    );
}

#[tokio::test]
async fn a_password_reset_token_is_not_a_passwordless_token() {
    let (emulator, client) = emulator(config()).await;
    client
        .auth()
        .forgot_password(EMAIL, "https://app.example.com/reset")
        .await
        .expect("forgot");
    let reset = outbox_token(&emulator, EMAIL, message_kind::RESET_PASSWORD);
    expect_code(client.passwordless().verify_link(reset).await, 1063);
}
