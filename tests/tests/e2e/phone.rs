//! Phone authentication against the emulator: registration by phone with the code texted to
//! it, login by phone (refused until verified), resend and verify, forgot password by SMS code,
//! number update by token, removal, and the documented refusals.

use std::time::Duration;

use loginradius::codes;
use loginradius::models::Registration;
use loginradius_test_support::e2e::*;

const PHONE: &str = "+16045552368";

/// The code of the newest SMS of `kind` to `phone`.
#[track_caller]
fn sms_code(emulator: &Emulator, phone: &str, kind: &str) -> String {
    let message = last_message(emulator, phone, kind);
    assert!(message.link.is_none() && message.token.is_none());
    let code = message.otp.expect("the SMS carries a code");
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    code
}

/// A code of six digits that is not `code`.
fn other_code(code: &str) -> String {
    let n: u32 = code.parse().expect("digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

async fn register(emulator: &Emulator, client: &LoginRadius, phone: &str) {
    let sott = client.sott().generate().await.expect("SOTT").sott;
    let answer = client
        .phone()
        .register(sott, &Registration::with_phone(phone, PASSWORD))
        .await
        .expect("register by phone");
    assert!(answer.is_posted);
    assert_eq!(
        messages_to(emulator, phone, message_kind::SMS_PHONE_VERIFICATION),
        1
    );
}

#[tokio::test]
async fn register_verify_and_log_in_by_phone() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let phone = client.phone();
    assert!(!phone.exists(PHONE).await.expect("exists").exists);
    register(&emulator, &client, PHONE).await;
    assert!(phone.exists(PHONE).await.expect("exists").exists);

    // Not verified yet: the login is refused, and a wrong code does not verify.
    expect_code(
        phone.login(PHONE, PASSWORD).await,
        codes::PHONE_NOT_VERIFIED,
    );
    let first = sms_code(&emulator, PHONE, message_kind::SMS_PHONE_VERIFICATION);
    expect_code(
        phone.verify_otp(PHONE, other_code(&first)).await,
        codes::OTP_INVALID,
    );
    // A resend replaces the code: the first one no longer works.
    let resent = phone.resend_verification_otp(PHONE).await.expect("resend");
    assert!(resent.is_posted && resent.data.expect("receipt").sid.is_some());
    let code = sms_code(&emulator, PHONE, message_kind::SMS_PHONE_VERIFICATION);
    if code != first {
        expect_code(phone.verify_otp(PHONE, first).await, codes::OTP_INVALID);
    }
    let verified = phone.verify_otp(PHONE, code.clone()).await.expect("verify");
    let profile = verified.profile.expect("profile");
    assert_eq!(profile.phone_id.as_deref(), Some(PHONE));
    assert!(profile.phone_id_verified);
    // Used once.
    expect_code(
        phone.verify_otp(PHONE, code).await,
        codes::PHONE_ALREADY_VERIFIED,
    );
    expect_code(
        phone.resend_verification_otp(PHONE).await,
        codes::PHONE_ALREADY_VERIFIED,
    );

    let login = phone.login(PHONE, PASSWORD).await.expect("phone login");
    client
        .auth()
        .validate_token(login.access_token.expose())
        .await
        .expect("a live token");
    expect_code(
        phone.login(PHONE, "wrong-password-1").await,
        codes::INVALID_LOGIN,
    );

    // Taken numbers and malformed ones.
    let sott = client.sott().generate().await.expect("SOTT").sott;
    expect_code(
        phone
            .register(sott.clone(), &Registration::with_phone(PHONE, PASSWORD))
            .await,
        codes::PHONE_ALREADY_REGISTERED,
    );
    expect_code(
        phone
            .register(sott, &Registration::with_phone("call me", PASSWORD))
            .await,
        codes::PHONE_INVALID,
    );
    expect_code(
        phone.resend_verification_otp("+15550000000").await,
        codes::PHONE_NOT_REGISTERED,
    );
}

#[tokio::test]
async fn a_code_expires() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    register(&emulator, &client, PHONE).await;
    let code = sms_code(&emulator, PHONE, message_kind::SMS_PHONE_VERIFICATION);
    emulator.advance_clock(Duration::from_secs(11 * 60));
    expect_code(
        client.phone().verify_otp(PHONE, code.clone()).await,
        codes::OTP_EXPIRED,
    );
    // Gone once refused as expired.
    expect_code(
        client.phone().verify_otp(PHONE, code).await,
        codes::OTP_INVALID,
    );
}

#[tokio::test]
async fn forgot_password_by_phone() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    register(&emulator, &client, PHONE).await;
    let phone = client.phone();
    expect_code(
        phone.send_forgot_password_otp("+15550000000").await,
        codes::PHONE_NOT_REGISTERED,
    );
    phone
        .send_forgot_password_otp(PHONE)
        .await
        .expect("forgot password");
    let code = sms_code(&emulator, PHONE, message_kind::SMS_RESET_PASSWORD);
    expect_code(
        phone
            .reset_password(PHONE, other_code(&code), "new-password-2")
            .await,
        codes::OTP_INVALID,
    );
    phone
        .reset_password(PHONE, code.clone(), "new-password-2")
        .await
        .expect("reset");
    expect_code(
        phone.reset_password(PHONE, code, "third-password-3").await,
        codes::OTP_INVALID,
    );
    // The texted code proved the number; the new password works, the old one does not.
    expect_code(phone.login(PHONE, PASSWORD).await, codes::INVALID_LOGIN);
    phone
        .login(PHONE, "new-password-2")
        .await
        .expect("login with the new password");
}

#[tokio::test]
async fn update_and_remove_the_number_by_token() {
    let (emulator, client) =
        emulator(EmulatorConfig::default().with_user(user("jane@example.com"))).await;
    let token = token_of(&login(&client, "jane@example.com").await);
    let phone = client.phone();
    expect_code(phone.remove(token.as_str()).await, codes::PHONE_NOT_LINKED);

    let new = "+447700900123";
    let sent = phone
        .update_number(token.as_str(), new)
        .await
        .expect("update");
    assert!(sent.is_posted);
    // Not the login number until verified.
    assert!(!phone.exists(new).await.expect("exists").exists);
    phone
        .resend_verification_otp_by_token(token.as_str(), new)
        .await
        .expect("resend to the new number");
    let code = sms_code(&emulator, new, message_kind::SMS_PHONE_VERIFICATION);
    expect_code(
        phone
            .verify_otp_by_token(token.as_str(), other_code(&code))
            .await,
        codes::OTP_INVALID,
    );
    phone
        .verify_otp_by_token(token.as_str(), code)
        .await
        .expect("verify by token");
    let profile = client
        .auth()
        .profile(token.as_str())
        .await
        .expect("profile");
    assert_eq!(profile.phone_id.as_deref(), Some(new));
    assert!(profile.phone_id_verified);
    phone
        .login(new, PASSWORD)
        .await
        .expect("login by the new number");

    // Another account cannot take it.
    let sott = client.sott().generate().await.expect("SOTT").sott;
    expect_code(
        phone
            .register(sott, &Registration::with_phone(new, PASSWORD))
            .await,
        codes::PHONE_ALREADY_REGISTERED,
    );

    assert!(
        phone
            .remove(token.as_str())
            .await
            .expect("remove")
            .is_deleted
    );
    assert!(!phone.exists(new).await.expect("exists").exists);
    expect_code(phone.remove(token.as_str()).await, codes::PHONE_NOT_LINKED);
    // The token is required.
    expect_code(
        phone.remove("not-a-token").await,
        codes::ACCESS_TOKEN_INVALID,
    );
}
