//! The core `loginradius` client against the emulator: every flow through the typed API, with
//! and without request signing, including the documented error codes.

mod common;

use std::time::Duration;

use common::{PASSWORD, totp_code, wrong_code};
use loginradius::LoginRadius;
use loginradius::models::{NewAccount, ProfileUpdate, Registration};
use loginradius_emulator::{Emulator, EmulatorConfig, MfaMode, SeedUser};
use serde_json::json;

fn client(emulator: &Emulator, signing: bool) -> LoginRadius {
    LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .config_url(emulator.base_url())
        .request_signing(signing)
        .build()
        .expect("client builds")
}

fn code(result: Result<impl std::fmt::Debug, loginradius::Error>) -> Option<i64> {
    result.expect_err("an API error").code()
}

#[tokio::test]
async fn registration_verification_login_profile_and_passwords() {
    let emulator =
        Emulator::start(EmulatorConfig::default().with_allowed_link_origin("https://app.example"))
            .await
            .unwrap();
    let lr = client(&emulator, false);

    let sott = lr.local_sott(Duration::from_secs(600)).unwrap();
    let user = Registration::new("cli@example.com", PASSWORD).first_name("Cli");
    let registered = lr.auth().register(&user, sott.clone()).await.unwrap();
    assert!(registered.is_posted && registered.data.is_none());
    assert_eq!(code(lr.auth().register(&user, sott).await), Some(936));
    assert_eq!(
        code(
            lr.auth()
                .register(&Registration::new("x@example.com", PASSWORD), "bad*sott")
                .await
        ),
        Some(1049)
    );
    assert_eq!(
        code(lr.auth().login_by_email("cli@example.com", PASSWORD).await),
        Some(970)
    );

    let token = emulator
        .last_message_to("cli@example.com")
        .and_then(|m| m.token)
        .unwrap();
    let verified = lr.auth().verify_email(token).await.unwrap();
    assert!(
        verified
            .data
            .and_then(|d| d.profile)
            .is_some_and(|p| p.email_verified)
    );

    let login = lr
        .auth()
        .login_by_email("cli@example.com", PASSWORD)
        .await
        .unwrap();
    let access = login.access_token.clone();
    let profile = lr.auth().profile(access.clone()).await.unwrap();
    assert_eq!(profile.first_name.as_deref(), Some("Cli"));
    let valid = lr.auth().validate_token(access.clone()).await.unwrap();
    assert_eq!(valid.access_token, access);
    assert!(
        lr.auth()
            .email_exists("cli@example.com")
            .await
            .unwrap()
            .exists
    );

    let updated = lr
        .auth()
        .update_profile(access.clone(), &ProfileUpdate::new().last_name("Client"))
        .await
        .unwrap();
    assert_eq!(
        updated.data.and_then(|p| p.last_name).as_deref(),
        Some("Client")
    );

    assert_eq!(
        code(
            lr.auth()
                .change_password(access.clone(), "not-it", "new-password-1")
                .await
        ),
        Some(967)
    );
    lr.auth()
        .change_password(access.clone(), PASSWORD, "new-password-1")
        .await
        .unwrap();
    assert_eq!(
        code(lr.auth().login_by_email("cli@example.com", PASSWORD).await),
        Some(966)
    );

    lr.auth()
        .forgot_password("cli@example.com", "https://app.example/reset")
        .await
        .unwrap();
    let reset = emulator
        .last_message_to("cli@example.com")
        .and_then(|m| m.token)
        .unwrap();
    lr.auth()
        .reset_password(reset, "after-reset-1")
        .await
        .unwrap();
    lr.auth()
        .login_by_email("cli@example.com", "after-reset-1")
        .await
        .unwrap();

    lr.auth().invalidate_token(access.clone()).await.unwrap();
    assert_eq!(code(lr.auth().profile(access).await), Some(905));
}

#[tokio::test]
async fn tokens_expire_and_refresh() {
    let emulator = Emulator::start(
        EmulatorConfig::default()
            .with_token_ttl(Duration::from_secs(30))
            .with_user(SeedUser::new("tok@example.com", PASSWORD)),
    )
    .await
    .unwrap();
    let lr = client(&emulator, true);
    let login = lr
        .auth()
        .login_by_email("tok@example.com", PASSWORD)
        .await
        .unwrap();
    let refresh = login.refresh_token.clone().expect("refresh token");
    emulator.advance_clock(Duration::from_secs(31));
    let err = lr
        .auth()
        .profile(login.access_token.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(906));
    assert!(err.is_expired_token());
    let fresh = lr
        .account()
        .refresh_access_token(refresh.clone())
        .await
        .unwrap();
    lr.auth().profile(fresh.access_token).await.unwrap();
    assert_eq!(
        code(lr.account().refresh_access_token(refresh).await),
        Some(1217)
    );
}

#[tokio::test]
async fn mfa_with_totp_and_backup_codes_through_the_client() {
    let emulator = Emulator::start(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(SeedUser::new("mfa@example.com", PASSWORD)),
    )
    .await
    .unwrap();
    let lr = client(&emulator, false);
    let login = lr
        .auth()
        .login_by_email("mfa@example.com", PASSWORD)
        .await
        .unwrap();
    let access = login.access_token.clone();

    let settings = lr.mfa().settings(access.clone()).await.unwrap();
    let manual = settings
        .manual_entry_code
        .clone()
        .expect("QR data")
        .expose()
        .to_owned();
    assert!(settings.otpauth_uri().is_some_and(|u| u.contains(&manual)));
    assert_eq!(
        code(
            lr.mfa()
                .enable_authenticator(access.clone(), wrong_code(&manual))
                .await
        ),
        Some(1102)
    );
    lr.mfa()
        .enable_authenticator(access.clone(), totp_code(&manual))
        .await
        .unwrap();

    let err = lr
        .auth()
        .login_by_email("mfa@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert!(err.is_mfa_required());
    let outcome = lr
        .mfa()
        .login_by_email("mfa@example.com", PASSWORD)
        .await
        .unwrap();
    let challenge = outcome.into_challenge().expect("a challenge");
    assert!(challenge.settings.qr_code.is_none());
    assert_eq!(
        code(
            lr.mfa()
                .verify_authenticator_code(challenge.token.clone(), wrong_code(&manual))
                .await
        ),
        Some(1102)
    );
    let done = lr
        .mfa()
        .verify_authenticator_code(challenge.token.clone(), totp_code(&manual))
        .await
        .unwrap();
    assert!(done.profile.is_some());

    let codes = lr.mfa().backup_codes(access.clone()).await.unwrap().codes;
    assert_eq!(codes.len(), 10);
    let challenge = lr
        .mfa()
        .login_by_email("mfa@example.com", PASSWORD)
        .await
        .unwrap()
        .into_challenge()
        .unwrap();
    lr.mfa()
        .verify_backup_code(challenge.token.clone(), codes[0].clone())
        .await
        .unwrap();
    let challenge = lr
        .mfa()
        .login_by_email("mfa@example.com", PASSWORD)
        .await
        .unwrap()
        .into_challenge()
        .unwrap();
    assert_eq!(
        code(
            lr.mfa()
                .verify_backup_code(challenge.token, codes[0].clone())
                .await
        ),
        Some(1128)
    );

    lr.mfa().reset_authenticator(access).await.unwrap();
    let outcome = lr
        .mfa()
        .login_by_email("mfa@example.com", PASSWORD)
        .await
        .unwrap();
    assert!(
        outcome.is_complete(),
        "optional MFA without an authenticator logs in directly"
    );
}

#[tokio::test]
async fn required_mfa_first_login_through_the_client() {
    let emulator = Emulator::start(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Required)
            .with_user(SeedUser::new("req@example.com", PASSWORD)),
    )
    .await
    .unwrap();
    let lr = client(&emulator, true);
    let challenge = lr
        .mfa()
        .login_by_email("req@example.com", PASSWORD)
        .await
        .unwrap()
        .into_challenge()
        .unwrap();
    let manual = challenge
        .settings
        .manual_entry_code
        .clone()
        .expect("set-up data")
        .expose()
        .to_owned();
    let login = lr
        .mfa()
        .verify_authenticator_code(challenge.token, totp_code(&manual))
        .await
        .unwrap();
    let uid = login.profile.unwrap().uid;
    lr.mfa().reset_authenticator_for_user(&uid).await.unwrap();
    let again = lr
        .mfa()
        .login_by_email("req@example.com", PASSWORD)
        .await
        .unwrap()
        .into_challenge()
        .unwrap();
    assert!(again.settings.manual_entry_code.is_some());
}

#[tokio::test]
async fn passwordless_accounts_custom_objects_roles_and_sott() {
    for signing in [false, true] {
        let emulator = Emulator::start(
            EmulatorConfig::default()
                .with_required_signing(signing)
                .with_role("editor", ["publish"]),
        )
        .await
        .unwrap();
        let lr = client(&emulator, signing);

        let created = lr
            .account()
            .create(
                &NewAccount::with_email("acc@example.com", PASSWORD)
                    .first_name("Acc")
                    .email_verified(true),
            )
            .await
            .unwrap();
        let uid = created.uid.clone();
        assert_eq!(
            lr.account().by_email("acc@example.com").await.unwrap().uid,
            uid
        );
        let hash = lr
            .account()
            .set_password(&uid, "set-by-admin")
            .await
            .unwrap();
        assert!(format!("{hash:?}").len() > 10);

        lr.passwordless()
            .send_link_by_email("acc@example.com")
            .await
            .unwrap();
        let link = emulator
            .last_message_to("acc@example.com")
            .and_then(|m| m.token)
            .unwrap();
        let login = lr.passwordless().verify_link(link).await.unwrap();
        let access = login.access_token;

        let record = lr
            .custom_objects()
            .create(access.clone(), "prefs", &json!({ "theme": "dark" }))
            .await
            .unwrap();
        let list = lr
            .custom_objects()
            .list_for_user(&uid, "prefs")
            .await
            .unwrap();
        assert_eq!(list.records.len(), 1);
        assert_eq!(list.records[0].id, record.id);
        lr.custom_objects()
            .delete(access.clone(), "prefs", &record.id)
            .await
            .unwrap();
        assert_eq!(
            code(
                lr.custom_objects()
                    .get_for_user(&uid, "prefs", &record.id)
                    .await
            ),
            Some(1057)
        );

        lr.roles().assign(&uid, ["editor"]).await.unwrap();
        assert_eq!(code(lr.roles().assign(&uid, ["ghost"]).await), Some(1047));
        assert_eq!(
            lr.roles().of_user(&uid).await.unwrap().roles,
            vec!["editor".to_owned()]
        );

        let sott = lr.sott().generate().await.unwrap();
        let user = Registration::new("via-sott@example.com", PASSWORD);
        lr.auth().register(&user, sott.sott).await.unwrap();

        lr.account().delete(&uid).await.unwrap();
        assert_eq!(code(lr.account().get(&uid).await), Some(938));
    }
}
