//! PIN authentication against the emulator (a PIN site): the password login asks for the PIN
//! to be set (`pinAuthToken`) and then for the PIN (`session_token`); change, forgot and reset
//! the PIN by link, code and security answers; revoke a session token.

use std::time::Duration;

use loginradius::codes;
use loginradius::models::{LoginResponse, ProfileUpdate};
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";
const PHONE: &str = "+16045552368";
const PET: &str = "db7b5a8d5f6a4c0f9e1d2c3b4a596871";

fn extra(login: &LoginResponse, key: &str) -> String {
    login.extra[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {:?}", login.extra.keys().collect::<Vec<_>>()))
        .to_owned()
}

async fn pin_site() -> (Emulator, LoginRadius) {
    emulator(
        EmulatorConfig::default()
            .with_pin_login()
            .with_user(user(EMAIL).username("jane")),
    )
    .await
}

/// Password login, then the PIN: a signed-in response.
async fn sign_in_with_pin(client: &LoginRadius, pin: &str) -> LoginResponse {
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("password step");
    client
        .pin()
        .login(extra(&step, "session_token"), pin)
        .await
        .expect("PIN step")
}

#[tokio::test]
async fn set_the_pin_then_sign_in_with_it() {
    let (emulator, client) = pin_site().await;
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("password step");
    // No tokens yet: the placeholder, and a token to set the PIN.
    expect_code(
        client.auth().profile(step.access_token.expose()).await,
        codes::ACCESS_TOKEN_INVALID,
    );
    let auth_token = extra(&step, "pinAuthToken");
    assert!(!step.extra.contains_key("session_token"));
    expect_code(
        client
            .pin()
            .set_with_auth_token("not-a-token", "4321")
            .await,
        codes::PIN_AUTH_TOKEN_INVALID,
    );
    let signed_in = client
        .pin()
        .set_with_auth_token(auth_token.clone(), "4321")
        .await
        .expect("set PIN");
    client
        .auth()
        .profile(signed_in.access_token.expose())
        .await
        .expect("a live token");
    expect_code(
        client.pin().set_with_auth_token(auth_token, "4321").await,
        codes::PIN_AUTH_TOKEN_INVALID,
    );

    // Next time: a session token, finished with the PIN.
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("password step");
    let session = extra(&step, "session_token");
    expect_code(
        client.pin().login(session.clone(), "0000").await,
        codes::PIN_INVALID,
    );
    let signed_in = client
        .pin()
        .login(session.clone(), "4321")
        .await
        .expect("PIN login");
    client
        .auth()
        .validate_token(signed_in.access_token.expose())
        .await
        .expect("a live token");
    expect_code(
        client.pin().login(session, "4321").await,
        codes::PIN_SESSION_TOKEN_INVALID,
    );

    // A session token can be revoked, and it expires.
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("step");
    let session = extra(&step, "session_token");
    client
        .pin()
        .invalidate_session_token(session.clone())
        .await
        .expect("invalidate");
    expect_code(
        client.pin().login(session.clone(), "4321").await,
        codes::PIN_SESSION_TOKEN_INVALID,
    );
    expect_code(
        client.pin().invalidate_session_token(session).await,
        codes::PIN_SESSION_TOKEN_INVALID,
    );
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("step");
    emulator.advance_clock(Duration::from_secs(16 * 60));
    expect_code(
        client
            .pin()
            .login(extra(&step, "session_token"), "4321")
            .await,
        codes::PIN_SESSION_TOKEN_EXPIRED,
    );
}

#[tokio::test]
async fn change_and_reset_the_pin() {
    let (emulator, client) = pin_site().await;
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("step");
    let signed_in = client
        .pin()
        .set_with_auth_token(extra(&step, "pinAuthToken"), "4321")
        .await
        .expect("set");
    let token = signed_in.access_token.expose().to_owned();
    let pin = client.pin();
    expect_code(
        pin.change(token.as_str(), "0000", "5555").await,
        codes::CURRENT_PIN_INVALID,
    );
    pin.change(token.as_str(), "4321", "5555")
        .await
        .expect("change");
    sign_in_with_pin(&client, "5555").await;

    // Forgot by email: the link's token resets it once.
    pin.send_reset_email(EMAIL).await.expect("forgot");
    let message = last_message(&emulator, EMAIL, message_kind::RESET_PIN);
    let reset = message.token.clone().expect("token");
    assert!(message.link.expect("link").contains(&reset));
    pin.reset_with_token(reset.clone(), "6666")
        .await
        .expect("reset");
    expect_code(
        pin.reset_with_token(reset, "7777").await,
        codes::VERIFICATION_TOKEN_INVALID,
    );
    sign_in_with_pin(&client, "6666").await;

    // By username and the emailed code.
    pin.send_reset_email_by_username("jane")
        .await
        .expect("forgot");
    let code = last_message(&emulator, EMAIL, message_kind::RESET_PIN)
        .otp
        .expect("code");
    expect_code(
        pin.reset_by_username_and_otp("jane", "000000", "7777")
            .await,
        codes::OTP_INVALID,
    );
    pin.reset_by_email_and_otp(EMAIL, code, "7777")
        .await
        .expect("reset by code");
    sign_in_with_pin(&client, "7777").await;

    // By phone and a texted code.
    let uid = uid_by_email(&client, EMAIL).await;
    client
        .account()
        .set_phone(&uid, PHONE)
        .await
        .expect("phone");
    pin.send_reset_otp(PHONE).await.expect("forgot by phone");
    let code = last_message(&emulator, PHONE, message_kind::SMS_RESET_PIN)
        .otp
        .expect("code");
    pin.reset_by_phone_and_otp(PHONE, code, "8888")
        .await
        .expect("reset by texted code");
    sign_in_with_pin(&client, "8888").await;

    // By security answers.
    expect_code(
        pin.reset_by_email_and_security_answers(EMAIL, [(PET, "Rex")], "9999")
            .await,
        codes::SECURITY_ANSWERS_NOT_SAVED,
    );
    let token = sign_in_with_pin(&client, "8888").await.access_token;
    client
        .auth()
        .update_profile(
            token.expose(),
            &ProfileUpdate::new().field("SecurityQuestionAnswer", json!({ PET: "Rex" })),
        )
        .await
        .expect("answers");
    expect_code(
        pin.reset_by_phone_and_security_answers(PHONE, [(PET, "Max")], "9999")
            .await,
        codes::SECURITY_ANSWER_INCORRECT,
    );
    pin.reset_by_username_and_security_answers("jane", [(PET, "rex")], "9999")
        .await
        .expect("reset by answers");
    sign_in_with_pin(&client, "9999").await;
}
