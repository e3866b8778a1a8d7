//! One-time codes as second factors against the emulator: SMS (number set by token or during
//! the login challenge, enabled with a texted code, login with a texted code, resend, reset) and
//! email (send, enable, login, reset by token and by uid), with the documented refusals.

use loginradius::codes;
use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";
const PHONE: &str = "+16045552368";

fn code_of(emulator: &Emulator, to: &str, kind: &str) -> String {
    last_message(emulator, to, kind)
        .otp
        .expect("the message carries a code")
}

fn other_code(code: &str) -> String {
    let n: u32 = code.parse().expect("digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

async fn optional_mfa() -> (Emulator, LoginRadius) {
    emulator(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user(EMAIL)),
    )
    .await
}

#[tokio::test]
async fn sms_factor_set_up_by_token_then_required_at_login() {
    let (emulator, client) = optional_mfa().await;
    let token = token_of(&login(&client, EMAIL).await);
    let mfa = client.mfa();
    // Nothing to reset yet, and without a number there is nothing to verify.
    expect_code(
        mfa.reset_sms_otp(token.as_str()).await,
        codes::SMS_OTP_MFA_NOT_ENABLED,
    );
    expect_code(
        mfa.enable_sms_otp(token.as_str(), "123456").await,
        codes::MFA_NOT_CONFIGURED,
    );
    let receipt = mfa
        .set_sms_phone(token.as_str(), PHONE)
        .await
        .expect("set phone");
    assert!(receipt.sid.is_some());
    let code = code_of(&emulator, PHONE, message_kind::SMS_SECOND_FACTOR);
    expect_code(
        mfa.enable_sms_otp(token.as_str(), other_code(&code)).await,
        codes::OTP_INVALID,
    );
    assert!(
        !mfa.settings(token.as_str())
            .await
            .expect("settings")
            .is_otp_authenticator_verified
    );
    mfa.enable_sms_otp(token.as_str(), code)
        .await
        .expect("enable SMS");
    let settings = mfa.settings(token.as_str()).await.expect("settings");
    assert!(settings.is_otp_authenticator_verified);
    let masked = settings.otp_phone_no.expect("masked number");
    assert!(masked.ends_with("68") && masked.contains('*'), "{masked}");

    // Now the login asks for a second factor and texts a code at once.
    let challenge = mfa
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
        .into_challenge()
        .expect("a challenge");
    assert!(challenge.settings.is_otp_authenticator_verified);
    assert!(challenge.settings.otp_status.is_some());
    let sent = code_of(&emulator, PHONE, message_kind::SMS_SECOND_FACTOR);
    mfa.resend_sms_otp(challenge.token.clone())
        .await
        .expect("resend");
    let resent = code_of(&emulator, PHONE, message_kind::SMS_SECOND_FACTOR);
    if resent != sent {
        expect_code(
            mfa.verify_sms_otp(challenge.token.clone(), sent).await,
            codes::OTP_INVALID,
        );
    }
    // Another number cannot be slipped in during the login.
    expect_code(
        mfa.set_login_sms_phone(challenge.token.clone(), "+15550000000")
            .await,
        codes::MFA_PHONE_UPDATE_INVALID,
    );
    let signed_in = mfa
        .verify_sms_otp(challenge.token.clone(), resent.clone())
        .await
        .expect("verify SMS code");
    assert_eq!(uid_of(&signed_in).len(), 32);
    // The challenge is spent.
    expect_code(
        mfa.verify_sms_otp(challenge.token, resent).await,
        codes::MFA_TOKEN_INVALID,
    );

    // Reset: the login needs no second factor again.
    assert!(
        mfa.reset_sms_otp_for_user(&uid_of(&signed_in))
            .await
            .expect("reset by uid")
            .is_deleted
    );
    assert!(
        mfa.login_by_email(EMAIL, PASSWORD)
            .await
            .expect("login")
            .into_challenge()
            .is_none()
    );
}

#[tokio::test]
async fn sms_number_set_during_a_required_login() {
    let (emulator, client) = emulator(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Required)
            .with_user(user(EMAIL)),
    )
    .await;
    let mfa = client.mfa();
    let challenge = mfa
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
        .into_challenge()
        .expect("a challenge");
    expect_code(
        mfa.resend_sms_otp(challenge.token.clone()).await,
        codes::MFA_NOT_CONFIGURED,
    );
    mfa.set_login_sms_phone(challenge.token.clone(), PHONE)
        .await
        .expect("set phone at login");
    let code = code_of(&emulator, PHONE, message_kind::SMS_SECOND_FACTOR);
    let signed_in = mfa
        .verify_sms_otp(challenge.token, code)
        .await
        .expect("verify");
    let settings = mfa
        .settings(signed_in.access_token.expose())
        .await
        .expect("settings");
    assert!(settings.is_otp_authenticator_verified);
    expect_code(
        mfa.verify_sms_otp("not-a-challenge", "123456").await,
        codes::MFA_TOKEN_INVALID,
    );
}

#[tokio::test]
async fn email_factor_set_up_used_and_reset() {
    let (emulator, client) = optional_mfa().await;
    let signed_in = login(&client, EMAIL).await;
    let token = token_of(&signed_in);
    let mfa = client.mfa();
    expect_code(
        mfa.reset_email_otp(token.as_str()).await,
        codes::EMAIL_OTP_MFA_NOT_ENABLED,
    );
    expect_code(
        mfa.send_setup_email_otp(token.as_str(), "someone-else@example.com")
            .await,
        codes::EMAIL_NOT_FOUND,
    );
    mfa.send_setup_email_otp(token.as_str(), EMAIL)
        .await
        .expect("send");
    let code = code_of(&emulator, EMAIL, message_kind::EMAIL_SECOND_FACTOR);
    expect_code(
        mfa.enable_email_otp(token.as_str(), EMAIL, other_code(&code))
            .await,
        codes::EMAIL_OTP_INVALID,
    );
    mfa.enable_email_otp(token.as_str(), EMAIL, code.clone())
        .await
        .expect("enable");
    expect_code(
        mfa.enable_email_otp(token.as_str(), EMAIL, code).await,
        codes::EMAIL_OTP_INVALID,
    );
    assert!(
        mfa.settings(token.as_str())
            .await
            .expect("settings")
            .is_email_otp_authenticator_verified
    );

    let challenge = mfa
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
        .into_challenge()
        .expect("a challenge");
    assert!(challenge.settings.is_email_otp_authenticator_verified);
    mfa.send_email_otp(challenge.token.clone(), EMAIL)
        .await
        .expect("send at login");
    let code = code_of(&emulator, EMAIL, message_kind::EMAIL_SECOND_FACTOR);
    mfa.verify_email_otp(challenge.token, EMAIL, code)
        .await
        .expect("verify at login");

    assert!(
        mfa.reset_email_otp_for_user(&uid_of(&signed_in))
            .await
            .expect("reset by uid")
            .is_deleted
    );
    expect_code(
        mfa.reset_email_otp(token.as_str()).await,
        codes::EMAIL_OTP_MFA_NOT_ENABLED,
    );
}
