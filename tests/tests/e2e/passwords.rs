//! Passwords: change (967 on a wrong current password), forgot/reset through the emailed token,
//! and set by uid with the API secret.

use std::time::Duration;

use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";
const NEW_PASSWORD: &str = "battery-staple-2";

fn config() -> EmulatorConfig {
    EmulatorConfig::default().with_user(user(EMAIL).username("jane"))
}

#[tokio::test]
async fn change_password_replaces_the_old_one() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let changed = client
        .auth()
        .change_password(token_of(&signed_in), PASSWORD, NEW_PASSWORD)
        .await
        .expect("change password");
    assert!(changed.is_posted);
    expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 966);
    client
        .auth()
        .login_by_email(EMAIL, NEW_PASSWORD)
        .await
        .expect("the new password works");
    client
        .auth()
        .login_by_username("jane", NEW_PASSWORD)
        .await
        .expect("for every login id");
}

#[tokio::test]
async fn change_password_with_a_wrong_current_password_is_refused_with_967() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let e = expect_code(
        client
            .auth()
            .change_password(token_of(&signed_in), "not-the-password", NEW_PASSWORD)
            .await,
        967,
    );
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    login(&client, EMAIL).await;
}

#[tokio::test]
async fn change_password_to_a_too_short_one_is_refused_with_1134() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let e = expect_code(
        client
            .auth()
            .change_password(token_of(&signed_in), PASSWORD, "abc")
            .await,
        1134,
    );
    let Error::Api { details, .. } = e else {
        unreachable!()
    };
    assert!(
        !details.field_errors.is_empty(),
        "the envelope names the field"
    );
    login(&client, EMAIL).await;
}

#[tokio::test]
async fn forgot_password_emails_a_token_that_resets_the_password_once() {
    let (emulator, client) = emulator(config()).await;
    let sent = client
        .auth()
        .forgot_password(EMAIL, "https://app.example.com/reset")
        .await
        .expect("forgot password");
    assert!(sent.is_posted);
    let message = last_message(&emulator, EMAIL, message_kind::RESET_PASSWORD);
    let link = message.link.clone().expect("a link");
    assert!(link.starts_with("https://app.example.com/reset?"), "{link}");
    let token = outbox_token(&emulator, EMAIL, message_kind::RESET_PASSWORD);

    let reset = client
        .auth()
        .reset_password(token.as_str(), NEW_PASSWORD)
        .await
        .expect("reset");
    assert!(reset.is_posted);
    expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 966);
    client
        .auth()
        .login_by_email(EMAIL, NEW_PASSWORD)
        .await
        .expect("the new password works");

    // The reset token is single-use.
    expect_code(
        client
            .auth()
            .reset_password(token, "third-password-3")
            .await,
        1063,
    );
    client
        .auth()
        .login_by_email(EMAIL, NEW_PASSWORD)
        .await
        .expect("still the second password");
}

#[tokio::test]
async fn forgot_password_for_an_unknown_email_is_refused_with_1023() {
    let (emulator, client) = emulator(config()).await;
    expect_code(
        client
            .auth()
            .forgot_password("nobody@example.com", "https://app.example.com/reset")
            .await,
        1023,
    );
    assert!(emulator.outbox().is_empty());
}

#[tokio::test]
async fn reset_with_an_unknown_token_is_refused_with_1063() {
    let (_emulator, client) = emulator(config()).await;
    expect_code(
        client
            .auth()
            .reset_password("not-a-reset-token", NEW_PASSWORD)
            .await,
        1063,
    );
}

#[tokio::test]
async fn reset_token_is_refused_with_975_after_72_hours() {
    let (emulator, client) = emulator(config()).await;
    client
        .auth()
        .forgot_password(EMAIL, "https://app.example.com/reset")
        .await
        .expect("forgot");
    let token = outbox_token(&emulator, EMAIL, message_kind::RESET_PASSWORD);
    emulator.advance_clock(Duration::from_secs(73 * 3600));
    expect_code(client.auth().reset_password(token, NEW_PASSWORD).await, 975);
}

#[tokio::test]
async fn set_password_by_uid_replaces_the_password_and_never_answers_it() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    let hash = client
        .account()
        .set_password(&uid, NEW_PASSWORD)
        .await
        .expect("set password");
    assert!(!hash.hash.is_blank(), "the answer carries the new hash");
    assert!(
        !hash.hash.expose().contains(NEW_PASSWORD),
        "never the password itself"
    );
    let stored = client
        .account()
        .password_hash(&uid)
        .await
        .expect("read the hash");
    assert_eq!(stored.hash, hash.hash);

    expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 966);
    client
        .auth()
        .login_by_email(EMAIL, NEW_PASSWORD)
        .await
        .expect("the new password works");
}

#[tokio::test]
async fn set_password_for_an_unknown_uid_is_refused_with_938() {
    let (_emulator, client) = emulator(config()).await;
    expect_code(
        client
            .account()
            .set_password("0123456789abcdef0123456789abcdef", NEW_PASSWORD)
            .await,
        938,
    );
}
