//! Multi-factor authentication with a TOTP authenticator (codes computed with totp-rs from the
//! `ManualEntryCode`): the 2FA login and its challenge, verification by code, wrong code 1102,
//! enabling and resetting the authenticator for a signed-in user and by uid, backup codes, and
//! the MFA error paths.

use std::time::Duration;

use loginradius::models::{LoginResponse, MfaLoginOutcome, SecondFactorChallenge};
use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";

fn config(mode: MfaMode) -> EmulatorConfig {
    EmulatorConfig::default()
        .with_mfa(mode)
        .with_user(user(EMAIL).username("jane"))
}

async fn challenge(client: &LoginRadius) -> SecondFactorChallenge {
    match client
        .mfa()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
    {
        MfaLoginOutcome::Challenge(c) => c,
        MfaLoginOutcome::Complete(_) => panic!("expected a second-factor challenge"),
    }
}

async fn verify(
    client: &LoginRadius,
    challenge: &SecondFactorChallenge,
    code: &str,
) -> Result<LoginResponse, Error> {
    client
        .mfa()
        .verify_authenticator_code(challenge.token.clone(), code)
        .await
}

/// Sets the authenticator up for the signed-in user; returns its Base32 secret.
async fn enable_authenticator(client: &LoginRadius, access_token: &str) -> String {
    let settings = client
        .mfa()
        .settings(access_token)
        .await
        .expect("MFA settings");
    assert!(settings.needs_authenticator_setup());
    let manual = settings
        .manual_entry_code
        .as_ref()
        .expect("ManualEntryCode")
        .expose()
        .to_owned();
    client
        .mfa()
        .enable_authenticator(access_token, totp_code(&manual))
        .await
        .expect("enable");
    manual
}

#[tokio::test]
async fn required_mfa_first_login_returns_the_setup_challenge_and_a_totp_code_completes_it() {
    let (_emulator, client) = emulator(config(MfaMode::Required)).await;
    let e = expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 1176);
    assert!(e.is_mfa_required());

    let first = challenge(&client).await;
    assert!(!first.token.is_blank());
    assert!(!first.is_expired_at(time::OffsetDateTime::now_utc()));
    assert!(first.settings.needs_authenticator_setup());
    assert!(!first.settings.has_verified_factor());
    let manual = manual_entry_code(&first);
    let uri = first
        .settings
        .otpauth_uri()
        .expect("the QR code carries an otpauth URI");
    assert!(
        uri.starts_with(&format!("otpauth://totp/{EMAIL}?")),
        "{uri}"
    );
    assert!(uri.contains(&format!("secret={manual}")), "{uri}");
    assert!(uri.contains("issuer="), "{uri}");

    let e = expect_code(
        verify(&client, &first, &wrong_totp_code(&manual)).await,
        1102,
    );
    assert_eq!(e.status().map(|s| s.as_u16()), Some(403));
    let signed_in = verify(&client, &first, &totp_code(&manual))
        .await
        .expect("the TOTP code signs in");
    assert_eq!(
        signed_in.profile.as_ref().and_then(|p| p.primary_email()),
        Some(EMAIL)
    );
    client
        .auth()
        .profile(token_of(&signed_in))
        .await
        .expect("the token works");
    // A challenge is single-use.
    expect_code(verify(&client, &first, &totp_code(&manual)).await, 1103);

    // From now on the challenge asks for the code without offering the set-up again.
    let second = challenge(&client).await;
    assert!(second.settings.is_authenticator_verified);
    assert!(second.settings.has_verified_factor());
    assert!(!second.settings.needs_authenticator_setup());
    assert!(second.settings.qr_code.is_none() && second.settings.manual_entry_code.is_none());
    verify(&client, &second, &totp_code(&manual))
        .await
        .expect("the same authenticator signs in");
}

#[tokio::test]
async fn login_by_username_on_an_mfa_site_also_returns_the_challenge() {
    let (_emulator, client) = emulator(config(MfaMode::Required)).await;
    let outcome = client
        .mfa()
        .login_by_username("jane", PASSWORD)
        .await
        .expect("2FA login");
    let c = outcome.into_challenge().expect("a challenge");
    verify(&client, &c, &totp_code(&manual_entry_code(&c)))
        .await
        .expect("signs in");
}

#[tokio::test]
async fn optional_mfa_without_an_authenticator_signs_in_directly() {
    let (_emulator, client) = emulator(config(MfaMode::Optional)).await;
    let outcome = client
        .mfa()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login");
    let signed_in = outcome
        .into_login()
        .expect("signed in without a second factor");
    client
        .auth()
        .profile(token_of(&signed_in))
        .await
        .expect("the token works");
    login(&client, EMAIL).await;
}

#[tokio::test]
async fn wrong_password_on_the_2fa_login_is_refused_with_966() {
    let (_emulator, client) = emulator(config(MfaMode::Required)).await;
    expect_code(
        client.mfa().login_by_email(EMAIL, "not-the-password").await,
        966,
    );
}

#[tokio::test]
async fn unknown_mfa_token_is_refused_with_1103() {
    let (_emulator, client) = emulator(config(MfaMode::Required)).await;
    expect_code(
        client
            .mfa()
            .verify_authenticator_code("not-an-mfa-token", "123456")
            .await,
        1103,
    );
}

#[tokio::test]
async fn mfa_challenge_expires_with_1104() {
    let (emulator, client) = emulator(config(MfaMode::Required)).await;
    let c = challenge(&client).await;
    let manual = manual_entry_code(&c);
    let later = Duration::from_secs(11 * 60);
    emulator.advance_clock(later);
    expect_code(
        verify(&client, &c, &totp_code_at(&manual, later)).await,
        1104,
    );
}

#[tokio::test]
async fn mfa_on_a_site_without_mfa_is_refused_with_1097() {
    let (_emulator, client) = emulator(config(MfaMode::Disabled)).await;
    expect_code(client.mfa().login_by_email(EMAIL, PASSWORD).await, 1097);
    let signed_in = login(&client, EMAIL).await;
    expect_code(client.mfa().settings(token_of(&signed_in)).await, 1097);
}

#[tokio::test]
async fn signed_in_user_enables_the_authenticator_and_then_needs_it_to_log_in() {
    let (_emulator, client) = emulator(config(MfaMode::Optional)).await;
    let signed_in = login(&client, EMAIL).await;
    let token = token_of(&signed_in);

    let settings = client
        .mfa()
        .settings(token.as_str())
        .await
        .expect("settings");
    assert!(settings.needs_authenticator_setup());
    assert!(settings.otpauth_uri().is_some());
    let manual = settings
        .manual_entry_code
        .as_ref()
        .expect("ManualEntryCode")
        .expose()
        .to_owned();
    // The pending secret is stable until it is enabled.
    let again = client
        .mfa()
        .settings(token.as_str())
        .await
        .expect("settings");
    assert_eq!(again.manual_entry_code, settings.manual_entry_code);

    expect_code(
        client
            .mfa()
            .enable_authenticator(token.as_str(), wrong_totp_code(&manual))
            .await,
        1102,
    );
    let profile = client
        .mfa()
        .enable_authenticator(token.as_str(), totp_code(&manual))
        .await
        .expect("enable with a good code");
    assert_eq!(profile.uid, uid_of(&signed_in));

    let enabled = client
        .mfa()
        .settings(token.as_str())
        .await
        .expect("settings");
    assert!(enabled.is_authenticator_verified);
    assert!(!enabled.needs_authenticator_setup());
    assert!(enabled.manual_entry_code.is_none());

    // A user with an authenticator must use the 2FA login.
    let e = expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 1176);
    assert!(e.is_mfa_required());
    let c = challenge(&client).await;
    assert!(c.settings.is_authenticator_verified);
    expect_code(verify(&client, &c, &wrong_totp_code(&manual)).await, 1102);
    verify(&client, &c, &totp_code(&manual))
        .await
        .expect("signs in with the code");
}

#[tokio::test]
async fn signed_in_user_resets_the_authenticator() {
    let (_emulator, client) = emulator(config(MfaMode::Optional)).await;
    let token = token_of(&login(&client, EMAIL).await);
    let old = enable_authenticator(&client, &token).await;
    expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 1176);

    let reset = client
        .mfa()
        .reset_authenticator(token.as_str())
        .await
        .expect("reset");
    assert!(reset.is_deleted);
    login(&client, EMAIL).await;
    let settings = client
        .mfa()
        .settings(token.as_str())
        .await
        .expect("settings");
    assert!(!settings.is_authenticator_verified);
    let fresh = settings
        .manual_entry_code
        .expect("a new set-up is offered")
        .expose()
        .to_owned();
    assert_ne!(fresh, old, "a new secret");
}

#[tokio::test]
async fn admin_resets_the_authenticator_by_uid() {
    let (_emulator, client) = emulator(config(MfaMode::Optional)).await;
    let signed_in = login(&client, EMAIL).await;
    enable_authenticator(&client, &token_of(&signed_in)).await;
    expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 1176);

    let reset = client
        .mfa()
        .reset_authenticator_for_user(&uid_of(&signed_in))
        .await
        .expect("reset by uid");
    assert!(reset.is_deleted);
    login(&client, EMAIL).await;
    expect_code(
        client
            .mfa()
            .reset_authenticator_for_user("0123456789abcdef0123456789abcdef")
            .await,
        938,
    );
}

#[tokio::test]
async fn required_mfa_after_a_reset_by_uid_offers_the_setup_again() {
    let (_emulator, client) = emulator(config(MfaMode::Required)).await;
    let first = challenge(&client).await;
    let old = manual_entry_code(&first);
    let signed_in = verify(&client, &first, &totp_code(&old))
        .await
        .expect("signs in");
    client
        .mfa()
        .reset_authenticator_for_user(&uid_of(&signed_in))
        .await
        .expect("reset by uid");

    let again = challenge(&client).await;
    assert!(again.settings.needs_authenticator_setup());
    let fresh = manual_entry_code(&again);
    assert_ne!(fresh, old);
    verify(&client, &again, &totp_code(&fresh))
        .await
        .expect("the new authenticator signs in");
}

#[tokio::test]
async fn backup_codes_sign_in_once_each_and_can_be_renewed() {
    let (_emulator, client) = emulator(config(MfaMode::Optional)).await;
    let signed_in = login(&client, EMAIL).await;
    let token = token_of(&signed_in);
    let uid = uid_of(&signed_in);
    enable_authenticator(&client, &token).await;

    let codes = client
        .mfa()
        .backup_codes(token.as_str())
        .await
        .expect("backup codes")
        .codes;
    assert_eq!(codes.len(), 10);
    assert_eq!(
        client
            .mfa()
            .backup_codes(token.as_str())
            .await
            .expect("again")
            .codes,
        codes,
        "stable until reset"
    );
    assert_eq!(
        client
            .mfa()
            .backup_codes_for_user(&uid)
            .await
            .expect("by uid")
            .codes,
        codes
    );

    let c = challenge(&client).await;
    let by_backup = client
        .mfa()
        .verify_backup_code(c.token.clone(), codes[0].clone())
        .await
        .expect("backup code");
    assert_eq!(uid_of(&by_backup), uid);
    // Each code works once.
    let c = challenge(&client).await;
    expect_code(
        client
            .mfa()
            .verify_backup_code(c.token.clone(), codes[0].clone())
            .await,
        1128,
    );
    expect_code(
        client
            .mfa()
            .verify_backup_code(c.token.clone(), "00000-00000")
            .await,
        1128,
    );

    let renewed = client
        .mfa()
        .reset_backup_codes(token.as_str())
        .await
        .expect("reset")
        .codes;
    assert_eq!(renewed.len(), 10);
    assert!(!renewed.contains(&codes[1]));
    expect_code(
        client
            .mfa()
            .verify_backup_code(c.token.clone(), codes[1].clone())
            .await,
        1128,
    );
    client
        .mfa()
        .verify_backup_code(c.token.clone(), renewed[0].clone())
        .await
        .expect("a renewed code works");

    let by_uid = client
        .mfa()
        .reset_backup_codes_for_user(&uid)
        .await
        .expect("reset by uid")
        .codes;
    assert_eq!(by_uid.len(), 10);
    assert!(!by_uid.contains(&renewed[1]));
    let c = challenge(&client).await;
    expect_code(
        client
            .mfa()
            .verify_backup_code(c.token.clone(), renewed[1].clone())
            .await,
        1128,
    );
    client
        .mfa()
        .verify_backup_code(c.token.clone(), by_uid[0].clone())
        .await
        .expect("works");
}

#[tokio::test]
async fn backup_codes_need_an_authenticator_1101() {
    let (_emulator, client) = emulator(config(MfaMode::Optional)).await;
    let signed_in = login(&client, EMAIL).await;
    expect_code(client.mfa().backup_codes(token_of(&signed_in)).await, 1101);
    expect_code(
        client
            .mfa()
            .backup_codes_for_user(&uid_of(&signed_in))
            .await,
        1101,
    );
}
