//! The emulator under attack, like LoginRadius: the brute-force lockout (suspend with
//! `LoginLockedTimeout`, CAPTCHA, security question), the unlock endpoint lifting it, and a
//! second-factor token that dies after its allowed wrong codes.

mod common;

use std::time::Duration;

use common::{Harness, PASSWORD, totp_code, with_user, wrong_code};
use loginradius_emulator::{EmulatorConfig, Lockout, LockoutAction, MfaMode};
use reqwest::Method;
use serde_json::json;

const EMAIL: &str = "target@example.com";

#[tokio::test]
async fn wrong_passwords_suspend_the_account_with_1198_until_the_timeout() {
    let config = EmulatorConfig::default().with_lockout(Lockout::suspend(
        3,
        Duration::from_secs(60),
        Duration::from_secs(15 * 60),
    ));
    let h = Harness::start(with_user(config, EMAIL)).await;
    for _ in 0..3 {
        h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    }
    // Locked: the right password is refused too, with when the lock ends.
    let locked = h.login(EMAIL, PASSWORD).await;
    locked.error(1198, 403);
    assert_eq!(locked.body["Message"], "Your account has been locked");
    let until = locked.body["Data"]["LoginLockedTimeout"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(until, &time::format_description::well_known::Rfc3339).is_ok()
    );
    // An unknown email is never locked (and tells nothing).
    h.login("nobody@example.com", "x-password")
        .await
        .error(966, 401);
    h.emulator.advance_clock(Duration::from_secs(15 * 60 + 1));
    h.login(EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn failures_outside_the_window_do_not_add_up_and_a_sign_in_clears_them() {
    let config = EmulatorConfig::default().with_lockout(Lockout::suspend(
        3,
        Duration::from_secs(60),
        Duration::from_secs(60),
    ));
    let h = Harness::start(with_user(config, EMAIL)).await;
    for _ in 0..2 {
        h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    }
    h.emulator.advance_clock(Duration::from_secs(61));
    for _ in 0..2 {
        h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    }
    h.login(EMAIL, PASSWORD).await.ok();
    for _ in 0..2 {
        h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    }
    h.login(EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn a_captcha_lock_is_1132_and_the_unlock_endpoint_lifts_it() {
    let config = EmulatorConfig::default().with_lockout(Lockout {
        attempts: 2,
        window: Duration::from_secs(60),
        action: LockoutAction::Captcha,
    });
    let h = Harness::start(with_user(config, EMAIL)).await;
    // Signed in elsewhere before the attack.
    let token = h.token(EMAIL).await;
    for _ in 0..2 {
        h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    }
    h.login(EMAIL, PASSWORD).await.error(1132, 403);
    // A sign-in with a CAPTCHA answer gets through.
    h.json(
        Method::POST,
        "/identity/v2/auth/login",
        &json!({ "email": EMAIL, "password": PASSWORD, "g-recaptcha-response": "solved" }),
    )
    .await
    .ok();
    // That sign-in cleared the lock; locked again, the unlock endpoint really unlocks.
    for _ in 0..2 {
        h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    }
    h.login(EMAIL, PASSWORD).await.error(1132, 403);
    h.bearer(
        Method::PUT,
        "/identity/v2/auth/account/unlock",
        &token,
        Some(&json!({ "g-recaptcha-response": "solved" })),
    )
    .await
    .ok();
    h.login(EMAIL, PASSWORD).await.ok();
}

#[tokio::test]
async fn a_security_question_lock_is_1148() {
    let config = EmulatorConfig::default().with_lockout(Lockout {
        attempts: 1,
        window: Duration::from_secs(60),
        action: LockoutAction::SecurityQuestion,
    });
    let h = Harness::start(with_user(config, EMAIL)).await;
    h.login(EMAIL, "wrong-password-1").await.error(966, 401);
    let locked = h.login(EMAIL, PASSWORD).await;
    locked.error(1148, 403);
    assert_eq!(locked.body["Message"], "Your account has been locked");
}

#[tokio::test]
async fn a_second_factor_token_dies_after_its_allowed_wrong_codes() {
    let config = EmulatorConfig::default()
        .with_mfa(MfaMode::Required)
        .with_mfa_wrong_codes(3);
    let h = Harness::start(with_user(config, EMAIL)).await;
    let challenge = h
        .json(
            Method::POST,
            "/identity/v2/auth/login/2fa",
            &json!({ "email": EMAIL, "password": PASSWORD }),
        )
        .await
        .ok();
    let sfa = &challenge["SecondFactorAuthentication"];
    let token = sfa["SecondFactorAuthenticationToken"].as_str().unwrap();
    let manual = sfa["ManualEntryCode"].as_str().unwrap();
    let path = format!(
        "/identity/v2/auth/login/2fa/verification/authenticatorcode?secondfactorauthenticationtoken={token}"
    );
    let verify = |code: String| {
        let path = path.clone();
        let h = &h;
        async move {
            h.json(Method::PUT, &path, &json!({ "authenticatorcode": code }))
                .await
        }
    };
    for _ in 0..3 {
        verify(wrong_code(manual)).await.error(1102, 403);
    }
    // The right code no longer works on that token.
    verify(totp_code(manual)).await.error(1103, 403);
}
