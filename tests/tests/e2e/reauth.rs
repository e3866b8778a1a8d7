//! Re-authentication against the emulator: by password, PIN and second factors, each answering
//! a one-time `SecondFactorValidationToken` that the server validates for that user and kind.

use std::time::Duration;

use loginradius::codes;
use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";
const PHONE: &str = "+16045552368";

#[tokio::test]
async fn password_proof_is_validated_once_for_its_user_and_kind() {
    let (emulator, client) = emulator(
        EmulatorConfig::default()
            .with_user(user(EMAIL))
            .with_user(user("other@example.com")),
    )
    .await;
    let signed_in = login(&client, EMAIL).await;
    let (uid, token) = (uid_of(&signed_in), token_of(&signed_in));
    let other = uid_by_email(&client, "other@example.com").await;
    let reauth = client.reauth();
    expect_code(
        reauth
            .verify_password(token.as_str(), "wrong-password-1")
            .await,
        codes::INVALID_PASSWORD,
    );
    let proof = reauth
        .verify_password(token.as_str(), PASSWORD)
        .await
        .expect("reauth");
    assert!(proof.expires_at.is_some());
    let proof = proof.token.expose().to_owned();
    // Not another user's, not another kind's.
    assert!(
        !reauth
            .validate_password_token(&other, proof.as_str())
            .await
            .expect("validate")
            .is_valid
    );
    assert!(
        !reauth
            .validate_pin_token(&uid, proof.as_str())
            .await
            .expect("validate")
            .is_valid
    );
    assert!(
        reauth
            .validate_password_token(&uid, proof.as_str())
            .await
            .expect("validate")
            .is_valid
    );
    // Spent.
    assert!(
        !reauth
            .validate_password_token(&uid, proof.as_str())
            .await
            .expect("validate")
            .is_valid
    );

    // A proof expires.
    let proof = reauth
        .verify_password(token.as_str(), PASSWORD)
        .await
        .expect("reauth")
        .token;
    emulator.advance_clock(Duration::from_secs(11 * 60));
    assert!(
        !reauth
            .validate_password_token(&uid, proof.expose())
            .await
            .expect("validate")
            .is_valid
    );
    expect_code(
        reauth.verify_password("not-a-token", PASSWORD).await,
        codes::ACCESS_TOKEN_INVALID,
    );
}

#[tokio::test]
async fn second_factor_and_pin_proofs() {
    let (emulator, client) = emulator(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user(EMAIL)),
    )
    .await;
    let signed_in = login(&client, EMAIL).await;
    let (uid, token) = (uid_of(&signed_in), token_of(&signed_in));
    let reauth = client.reauth();
    let mfa = client.mfa();

    // Authenticator.
    expect_code(
        reauth
            .verify_authenticator_code(token.as_str(), "123456")
            .await,
        codes::MFA_NOT_CONFIGURED,
    );
    let manual = mfa
        .settings(token.as_str())
        .await
        .expect("settings")
        .manual_entry_code
        .expect("code")
        .expose()
        .to_owned();
    mfa.enable_authenticator(token.as_str(), totp_code(&manual))
        .await
        .expect("enable");
    let started = reauth.start(token.as_str()).await.expect("start");
    assert!(started.is_authenticator_verified);
    expect_code(
        reauth
            .verify_authenticator_code(token.as_str(), wrong_totp_code(&manual))
            .await,
        codes::MFA_CODE_INCORRECT,
    );
    let proof = reauth
        .verify_authenticator_code(token.as_str(), totp_code(&manual))
        .await
        .expect("by authenticator")
        .token;
    assert!(
        !reauth
            .validate_password_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );
    assert!(
        reauth
            .validate_otp_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );

    // Backup code, once.
    let codes_list = mfa.backup_codes(token.as_str()).await.expect("codes").codes;
    let backup = codes_list[0].expose().to_owned();
    let proof = reauth
        .verify_backup_code(token.as_str(), backup.as_str())
        .await
        .expect("by backup code")
        .token;
    assert!(
        reauth
            .validate_otp_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );
    expect_code(
        reauth
            .verify_backup_code(token.as_str(), backup.as_str())
            .await,
        codes::MFA_BACKUP_CODE_INVALID,
    );

    // SMS.
    expect_code(
        reauth.verify_otp(token.as_str(), "123456").await,
        codes::SMS_OTP_MFA_NOT_ENABLED,
    );
    mfa.set_sms_phone(token.as_str(), PHONE)
        .await
        .expect("phone");
    let code = last_message(&emulator, PHONE, message_kind::SMS_SECOND_FACTOR)
        .otp
        .expect("otp");
    mfa.enable_sms_otp(token.as_str(), code)
        .await
        .expect("enable SMS");
    reauth
        .start(token.as_str())
        .await
        .expect("start texts a code");
    let code = last_message(&emulator, PHONE, message_kind::SMS_SECOND_FACTOR)
        .otp
        .expect("otp");
    let proof = reauth
        .verify_otp(token.as_str(), code)
        .await
        .expect("by SMS")
        .token;
    assert!(
        reauth
            .validate_otp_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );

    // Email.
    expect_code(
        reauth.send_email_otp(token.as_str(), EMAIL).await,
        codes::EMAIL_OTP_MFA_NOT_ENABLED,
    );
    mfa.send_setup_email_otp(token.as_str(), EMAIL)
        .await
        .expect("send");
    let code = last_message(&emulator, EMAIL, message_kind::EMAIL_SECOND_FACTOR)
        .otp
        .expect("otp");
    mfa.enable_email_otp(token.as_str(), EMAIL, code)
        .await
        .expect("enable email");
    reauth
        .send_email_otp(token.as_str(), EMAIL)
        .await
        .expect("send");
    let code = last_message(&emulator, EMAIL, message_kind::EMAIL_SECOND_FACTOR)
        .otp
        .expect("otp");
    expect_code(
        reauth
            .verify_email_otp(token.as_str(), EMAIL, "000000")
            .await,
        codes::EMAIL_OTP_INVALID,
    );
    let proof = reauth
        .verify_email_otp(token.as_str(), EMAIL, code)
        .await
        .expect("by email")
        .token;
    assert!(
        reauth
            .validate_otp_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );

    // PIN: none set yet.
    expect_code(
        reauth.verify_pin(token.as_str(), "4321").await,
        codes::PIN_NOT_AVAILABLE,
    );
}

#[tokio::test]
async fn pin_proof() {
    let (_emulator, client) = emulator(
        EmulatorConfig::default()
            .with_pin_login()
            .with_user(user(EMAIL)),
    )
    .await;
    let step = client
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("step");
    let auth_token = step.extra["pinAuthToken"]
        .as_str()
        .expect("pinAuthToken")
        .to_owned();
    let signed_in = client
        .pin()
        .set_with_auth_token(auth_token, "4321")
        .await
        .expect("set PIN");
    let token = signed_in.access_token.expose().to_owned();
    let uid = uid_of(&signed_in);
    let reauth = client.reauth();
    expect_code(
        reauth.verify_pin(token.as_str(), "0000").await,
        codes::PIN_INVALID,
    );
    let proof = reauth
        .verify_pin(token.as_str(), "4321")
        .await
        .expect("by PIN")
        .token;
    assert!(
        !reauth
            .validate_otp_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );
    assert!(
        reauth
            .validate_pin_token(&uid, proof.expose())
            .await
            .expect("v")
            .is_valid
    );
}
