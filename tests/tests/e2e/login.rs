//! Password login by email and by username, and its error paths: wrong password 966, unknown
//! user 966, unverified email 970, blocked account 991.

use loginradius_test_support::e2e::*;
use serde_json::json;

fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .with_user(
            user("jane@example.com")
                .username("jane")
                .name("Jane", "Doe"),
        )
        .with_user(user("pending@example.com").email_verified(false))
}

#[tokio::test]
async fn login_by_email_answers_the_profile_and_working_tokens() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = client
        .auth()
        .login_by_email("jane@example.com", PASSWORD)
        .await
        .expect("login");
    let profile = signed_in.profile.as_ref().expect("profile");
    assert_eq!(profile.primary_email(), Some("jane@example.com"));
    assert_eq!(profile.first_name.as_deref(), Some("Jane"));
    assert_eq!(profile.user_name.as_deref(), Some("jane"));
    assert!(!profile.uid.is_empty());
    assert!(!signed_in.access_token.is_blank());
    assert!(signed_in.refresh_token.is_some());
    let expires = signed_in.expires_in.expect("expires_in");
    assert!(
        expires > time::OffsetDateTime::now_utc(),
        "the token expires in the future"
    );

    let me = client
        .auth()
        .profile(signed_in.access_token.clone())
        .await
        .expect("the token works");
    assert_eq!(me.uid, profile.uid);
    assert_eq!(me.no_of_logins, Some(1));
}

#[tokio::test]
async fn login_by_email_matches_the_address_case_insensitively() {
    let (_emulator, client) = emulator(config()).await;
    client
        .auth()
        .login_by_email("JANE@Example.COM", PASSWORD)
        .await
        .expect("login");
}

#[tokio::test]
async fn login_by_username_answers_the_same_user() {
    let (_emulator, client) = emulator(config()).await;
    let by_email = login(&client, "jane@example.com").await;
    let by_name = client
        .auth()
        .login_by_username("jane", PASSWORD)
        .await
        .expect("login by username");
    assert_eq!(uid_of(&by_name), uid_of(&by_email));
    assert_ne!(
        by_name.access_token, by_email.access_token,
        "each login has its own token"
    );
}

#[tokio::test]
async fn wrong_password_is_refused_with_966() {
    let (_emulator, client) = emulator(config()).await;
    let e = expect_code(
        client
            .auth()
            .login_by_email("jane@example.com", "not-the-password")
            .await,
        966,
    );
    assert!(e.is_invalid_credentials());
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    expect_code(
        client
            .auth()
            .login_by_username("jane", "not-the-password")
            .await,
        966,
    );
}

#[tokio::test]
async fn unknown_user_is_refused_with_966_like_a_wrong_password() {
    let (_emulator, client) = emulator(config()).await;
    expect_code(
        client
            .auth()
            .login_by_email("nobody@example.com", PASSWORD)
            .await,
        966,
    );
    expect_code(
        client.auth().login_by_username("nobody", PASSWORD).await,
        966,
    );
}

#[tokio::test]
async fn unverified_email_is_refused_with_970_when_verification_is_required() {
    let (_emulator, client) = emulator(config()).await;
    let e = expect_code(
        client
            .auth()
            .login_by_email("pending@example.com", PASSWORD)
            .await,
        970,
    );
    assert!(e.is_email_not_verified());
    // The password is checked first: a wrong one is still 966.
    expect_code(
        client
            .auth()
            .login_by_email("pending@example.com", "wrong-password")
            .await,
        966,
    );
}

#[tokio::test]
async fn unverified_email_may_log_in_when_verification_is_optional() {
    let (_emulator, client) =
        emulator(config().with_email_verification(EmailVerification::Optional)).await;
    let signed_in = login(&client, "pending@example.com").await;
    assert!(!signed_in.profile.expect("profile").email_verified);
}

#[tokio::test]
async fn blocked_account_is_refused_with_991_and_unblocking_restores_login() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, "jane@example.com").await;
    let blocked = client
        .account()
        .update(&uid, &json!({ "IsActive": false }))
        .await
        .expect("block");
    assert!(!blocked.is_active);
    let e = expect_code(
        client
            .auth()
            .login_by_email("jane@example.com", PASSWORD)
            .await,
        991,
    );
    assert!(e.is_account_locked());

    client
        .account()
        .update(&uid, &json!({ "IsActive": true }))
        .await
        .expect("unblock");
    login(&client, "jane@example.com").await;
}
