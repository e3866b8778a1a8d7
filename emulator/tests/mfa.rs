//! Multi-factor authentication with a TOTP authenticator and backup codes.

mod common;

use std::time::Duration;

use common::{Harness, PASSWORD, totp_code, with_user, wrong_code};
use loginradius_emulator::{EmulatorConfig, MfaMode};
use reqwest::Method;
use serde_json::{Value, json};

async fn mfa_login(h: &Harness, email: &str) -> Value {
    h.json(
        Method::POST,
        "/identity/v2/auth/login/2fa",
        &json!({ "email": email, "password": PASSWORD }),
    )
    .await
    .ok()
}

async fn verify(h: &Harness, token: &str, code: &str) -> common::Answer {
    h.json(
        Method::PUT,
        &format!("/identity/v2/auth/login/2fa/verification/authenticatorcode?secondfactorauthenticationtoken={token}"),
        &json!({ "authenticatorcode": code }),
    )
    .await
}

#[tokio::test]
async fn required_mfa_first_login_sets_up_the_authenticator() {
    let h = Harness::start(with_user(
        EmulatorConfig::default().with_mfa(MfaMode::Required),
        "m@example.com",
    ))
    .await;
    h.login("m@example.com", PASSWORD).await.error(1176, 403);

    let challenge = mfa_login(&h, "m@example.com").await;
    let sfa = &challenge["SecondFactorAuthentication"];
    assert!(challenge["Profile"].is_null());
    assert_eq!(
        challenge["access_token"],
        "00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(sfa["IsAuthenticatorVerified"], false);
    assert_eq!(sfa["IsGoogleAuthenticatorVerified"], false);
    let manual = sfa["ManualEntryCode"]
        .as_str()
        .expect("ManualEntryCode")
        .to_owned();
    let qr = sfa["QRCode"].as_str().expect("QRCode");
    let chl = url::Url::parse(qr)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "chl")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert!(
        chl.starts_with("otpauth://totp/m@example.com?secret=") && chl.contains(&manual),
        "{chl}"
    );
    // The QR image is served by the emulator itself.
    let image = h.http.get(qr).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/svg+xml");
    let token = sfa["SecondFactorAuthenticationToken"]
        .as_str()
        .unwrap()
        .to_owned();

    verify(&h, &token, &wrong_code(&manual))
        .await
        .error(1102, 403);
    verify(&h, "not-a-token", &totp_code(&manual))
        .await
        .error(1103, 403);
    let login = verify(&h, &token, &totp_code(&manual)).await.ok();
    assert!(login["access_token"].is_string());
    assert_eq!(login["Profile"]["Email"][0]["Value"], "m@example.com");
    // The challenge is single-use.
    verify(&h, &token, &totp_code(&manual))
        .await
        .error(1103, 403);

    // Next login: challenge without QR data.
    let again = mfa_login(&h, "m@example.com").await;
    assert!(again["SecondFactorAuthentication"]["QRCode"].is_null());
    assert_eq!(
        again["SecondFactorAuthentication"]["IsAuthenticatorVerified"],
        true
    );
    let token = again["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // Body keys and the query name in any case.
    let a = h
        .json(
            Method::PUT,
            &format!("/identity/v2/auth/login/2FA/Verification/AuthenticatorCode?SecondFactorAuthenticationToken={token}"),
            &json!({ "AuthenticatorCode": totp_code(&manual) }),
        )
        .await;
    a.ok();
}

#[tokio::test]
async fn challenge_tokens_expire() {
    let h = Harness::start(with_user(
        EmulatorConfig::default().with_mfa(MfaMode::Required),
        "x@example.com",
    ))
    .await;
    let challenge = mfa_login(&h, "x@example.com").await;
    let sfa = &challenge["SecondFactorAuthentication"];
    let token = sfa["SecondFactorAuthenticationToken"].as_str().unwrap();
    let manual = sfa["ManualEntryCode"].as_str().unwrap();
    h.emulator.advance_clock(Duration::from_secs(11 * 60));
    // The code is computed for the emulator's clock, so the only failure is the token's age.
    let secret = totp_rs::Secret::try_from_base32(manual).unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 11 * 60;
    verify(&h, token, &totp.generate(now).to_string())
        .await
        .error(1104, 403);
}

#[tokio::test]
async fn optional_mfa_enable_by_token_backup_codes_and_reset() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "o@example.com")).await;
    // No authenticator yet: plain login works and 2FA login answers tokens directly.
    let token = h.token("o@example.com").await;
    let direct = mfa_login(&h, "o@example.com").await;
    assert!(direct["SecondFactorAuthentication"].is_null());
    assert!(direct["access_token"].is_string());

    // Set up: GET the QR data, PUT a code.
    let settings = h
        .bearer(Method::GET, "/identity/v2/auth/account/2fa", &token, None)
        .await
        .ok();
    let manual = settings["ManualEntryCode"].as_str().unwrap().to_owned();
    assert!(settings["QRCode"].is_string());
    let path = "/identity/v2/auth/account/2fa/verification/authenticatorcode";
    h.bearer(
        Method::PUT,
        path,
        &token,
        Some(&json!({ "authenticatorcode": wrong_code(&manual) })),
    )
    .await
    .error(1102, 403);
    let profile = h
        .bearer(
            Method::PUT,
            path,
            &token,
            Some(&json!({ "authenticatorcode": totp_code(&manual) })),
        )
        .await
        .ok();
    assert_eq!(profile["Email"][0]["Value"], "o@example.com");

    // Now plain login is refused and 2FA login challenges.
    h.login("o@example.com", PASSWORD).await.error(1176, 403);
    let challenge = mfa_login(&h, "o@example.com").await;
    assert!(challenge["SecondFactorAuthentication"]["QRCode"].is_null());

    // Backup codes: single use.
    let codes = h
        .bearer(
            Method::GET,
            "/identity/v2/auth/account/2fa/backupcode",
            &token,
            None,
        )
        .await
        .ok();
    let codes: Vec<String> = serde_json::from_value(codes["BackUpCodes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    let sfa_token = challenge["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let backup = |code: String, t: String| {
        let h = &h;
        async move {
            h.json(
                Method::PUT,
                &format!("/identity/v2/auth/login/2fa/verification/backupcode?secondfactorauthenticationtoken={t}"),
                &json!({ "backupcode": code }),
            )
            .await
        }
    };
    backup("00000-00000".into(), sfa_token.clone())
        .await
        .error(1128, 403);
    backup(codes[0].clone(), sfa_token.clone()).await.ok();
    let challenge = mfa_login(&h, "o@example.com").await;
    let t2 = challenge["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"]
        .as_str()
        .unwrap()
        .to_owned();
    backup(codes[0].clone(), t2).await.error(1128, 403);

    // Reset by token: plain login works again.
    let reset = h
        .bearer(
            Method::DELETE,
            "/identity/v2/auth/account/2fa/authenticator",
            &token,
            Some(&json!({ "authenticator": true })),
        )
        .await
        .ok();
    assert_eq!(reset, json!({ "IsDeleted": true }));
    h.login("o@example.com", PASSWORD).await.ok();
}

#[tokio::test]
async fn reset_authenticator_and_backup_codes_by_uid() {
    let h = Harness::start(with_user(
        EmulatorConfig::default().with_mfa(MfaMode::Required),
        "u@example.com",
    ))
    .await;
    let challenge = mfa_login(&h, "u@example.com").await;
    let sfa = &challenge["SecondFactorAuthentication"];
    let manual = sfa["ManualEntryCode"].as_str().unwrap().to_owned();
    let login = verify(
        &h,
        sfa["SecondFactorAuthenticationToken"].as_str().unwrap(),
        &totp_code(&manual),
    )
    .await
    .ok();
    let uid = login["Profile"]["Uid"].as_str().unwrap().to_owned();

    let codes = h
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/2fa/backupcode?uid={uid}"),
            None,
        )
        .await
        .ok();
    let reset = h
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/2fa/backupcode/reset?uid={uid}"),
            None,
        )
        .await
        .ok();
    assert_ne!(codes["BackUpCodes"], reset["BackUpCodes"]);

    h.manage(
        Method::DELETE,
        &format!("/identity/v2/manage/account/2fa/authenticator?uid={uid}"),
        Some(&json!({ "authenticator": true })),
    )
    .await
    .ok();
    let again = mfa_login(&h, "u@example.com").await;
    let new_manual = again["SecondFactorAuthentication"]["ManualEntryCode"]
        .as_str()
        .expect("QR data again");
    assert_ne!(new_manual, manual);
}

#[tokio::test]
async fn mfa_disabled_site() {
    let h = Harness::start(with_user(
        EmulatorConfig::default().with_mfa(MfaMode::Disabled),
        "d@example.com",
    ))
    .await;
    h.json(
        Method::POST,
        "/identity/v2/auth/login/2fa",
        &json!({ "email": "d@example.com", "password": PASSWORD }),
    )
    .await
    .error(1097, 403);
    h.login("d@example.com", PASSWORD).await.ok();
}
