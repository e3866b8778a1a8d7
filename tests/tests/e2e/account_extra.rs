//! Account management and legacy token calls added to the emulator: change a uid, invalidate
//! a phone verification, multipurpose email tokens and SMS codes, the legacy token refresh and
//! the active sessions.

use std::time::Duration;

use loginradius::codes;
use loginradius::models::NewAccount;
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";
const PHONE: &str = "+16045552368";

#[tokio::test]
async fn a_uid_changes_and_the_account_follows() {
    let (_emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let signed_in = login(&client, EMAIL).await;
    let (uid, token) = (uid_of(&signed_in), token_of(&signed_in));
    let account = client.account();
    expect_code(
        account.change_uid(&uid, "not valid!").await,
        codes::UID_INVALID,
    );
    expect_code(
        account.change_uid("no-such-user", "fresh-uid").await,
        codes::USER_NOT_FOUND,
    );
    assert!(
        account
            .change_uid(&uid, "jane-01")
            .await
            .expect("change")
            .is_posted
    );
    assert_eq!(
        account.get("jane-01").await.expect("new uid").uid,
        "jane-01"
    );
    expect_code(account.get(&uid).await, codes::USER_NOT_FOUND);
    // The signed-in session follows the account.
    let profile = client
        .auth()
        .profile(token.as_str())
        .await
        .expect("profile");
    assert_eq!(profile.uid, "jane-01");
    // A taken uid is refused.
    let other = account
        .create(&NewAccount::with_email("other@example.com", PASSWORD))
        .await
        .expect("other");
    expect_code(
        account.change_uid(&other.uid, "jane-01").await,
        codes::UID_INVALID,
    );
}

#[tokio::test]
async fn a_phone_verification_is_invalidated_and_texted_again() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let account = client.account();
    let created = account
        .create(&NewAccount::with_phone(PHONE, PASSWORD).phone_id_verified(true))
        .await
        .expect("create");
    client.phone().login(PHONE, PASSWORD).await.expect("login");
    let no_phone = account
        .create(&NewAccount::with_email(EMAIL, PASSWORD))
        .await
        .expect("create");
    expect_code(
        account.invalidate_phone_verification(&no_phone.uid).await,
        codes::PHONE_INVALIDATION_REFUSED,
    );
    assert!(
        account
            .invalidate_phone_verification(&created.uid)
            .await
            .expect("invalidate")
            .is_posted
    );
    expect_code(
        client.phone().login(PHONE, PASSWORD).await,
        codes::PHONE_NOT_VERIFIED,
    );
    expect_code(
        account.invalidate_phone_verification(&created.uid).await,
        codes::PHONE_ALREADY_UNVERIFIED,
    );
    let code = last_message(&emulator, PHONE, message_kind::SMS_PHONE_VERIFICATION)
        .otp
        .expect("code");
    client
        .phone()
        .verify_otp(PHONE, code)
        .await
        .expect("verify again");
    client
        .phone()
        .login(PHONE, PASSWORD)
        .await
        .expect("login again");
}

#[tokio::test]
async fn generated_email_tokens_and_sms_codes_work_where_sent_ones_do() {
    let (emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let account = client.account();
    expect_code(
        account
            .generate_email_token("nonsense", &json!({ "Email": EMAIL }))
            .await,
        codes::TOKEN_TYPE_INVALID,
    );
    expect_code(
        account
            .generate_email_token("forgotpassword", &json!({ "Email": "nobody@example.com" }))
            .await,
        codes::EMAIL_NOT_FOUND,
    );
    let reset = account
        .generate_email_token("forgotpassword", &json!({ "Email": EMAIL }))
        .await
        .expect("token");
    assert!(reset.expires_at.is_some());
    assert!(emulator.outbox().is_empty(), "nothing is sent");
    client
        .auth()
        .reset_password(reset.token.expose(), "new-password-2")
        .await
        .expect("reset with the generated token");
    client
        .auth()
        .login_by_email(EMAIL, "new-password-2")
        .await
        .expect("the new password");
    let passwordless = account
        .generate_email_token("passwordlesslogintoken", &json!({ "Email": EMAIL }))
        .await
        .expect("token");
    client
        .passwordless()
        .verify_link(passwordless.token.expose())
        .await
        .expect("sign in with it");

    // SMS codes.
    let uid = uid_by_email(&client, EMAIL).await;
    expect_code(
        account
            .generate_sms_otp("phoneidverificationotp", &json!({ "Uid": uid }))
            .await,
        codes::PHONE_NOT_LINKED,
    );
    account.set_phone(&uid, PHONE).await.expect("set phone");
    expect_code(
        account
            .generate_sms_otp("nonsense", &json!({ "Phone": PHONE }))
            .await,
        codes::TOKEN_TYPE_INVALID,
    );
    let otp = account
        .generate_sms_otp("phoneidverificationotp", &json!({ "Phone": PHONE }))
        .await
        .expect("code");
    assert!(emulator.outbox().is_empty(), "nothing is sent");
    client
        .phone()
        .verify_otp(PHONE, otp.token.expose())
        .await
        .expect("verify with the generated code");
}

#[tokio::test]
async fn legacy_refresh_and_active_sessions() {
    let (emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let first = login(&client, EMAIL).await;
    let second = login(&client, EMAIL).await;
    let uid = uid_of(&first);
    let social = client.social();

    let sessions = social
        .active_sessions(token_of(&first).as_str())
        .await
        .expect("sessions");
    let mut tokens: Vec<String> = sessions
        .sessions
        .iter()
        .map(|s| s.access_token.as_ref().expect("token").expose().to_owned())
        .collect();
    tokens.sort();
    let mut expected = vec![token_of(&first), token_of(&second)];
    expected.sort();
    assert_eq!(tokens, expected);
    assert!(sessions.sessions.iter().all(|s| s.login_date.is_some()));
    assert_eq!(
        social
            .active_sessions_of_user(&uid)
            .await
            .expect("by uid")
            .sessions
            .len(),
        2
    );
    let profile_id = client
        .account()
        .get(&uid)
        .await
        .expect("profile")
        .id
        .expect("the profile id");
    assert_eq!(
        social
            .active_sessions_of_profile(&profile_id)
            .await
            .expect("by profile id")
            .sessions
            .len(),
        2
    );
    expect_code(
        social.active_sessions("not-a-token").await,
        codes::ACCESS_TOKEN_INVALID,
    );
    expect_code(
        social.active_sessions_of_user("no-such-user").await,
        codes::USER_NOT_FOUND,
    );

    // Refresh gives the token a new lifetime; an expired one cannot be refreshed.
    let before = first.expires_in.expect("expiry");
    emulator.advance_clock(Duration::from_secs(60));
    let refreshed = social
        .refresh(token_of(&first).as_str())
        .await
        .expect("refresh");
    assert_eq!(refreshed.access_token.expose(), token_of(&first));
    assert!(refreshed.expires_in.expect("expiry") > before);
    expect_code(
        social.refresh("not-a-token").await,
        codes::ACCESS_TOKEN_INVALID,
    );
    client
        .auth()
        .invalidate_token(token_of(&second).as_str())
        .await
        .expect("log out");
    assert_eq!(
        social
            .active_sessions_of_user(&uid)
            .await
            .expect("by uid")
            .sessions
            .len(),
        1
    );

    // The secret is checked.
    let wrong = client_builder(&emulator)
        .api_secret("not-the-secret")
        .build()
        .expect("client");
    expect_code(
        wrong.social().refresh(token_of(&first).as_str()).await,
        codes::API_SECRET_UNAUTHORIZED,
    );
    expect_code(
        wrong.social().active_sessions_of_user(&uid).await,
        codes::API_SECRET_UNAUTHORIZED,
    );
}
