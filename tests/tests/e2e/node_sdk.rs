//! The official LoginRadius Node.js SDK (npm `loginradius-sdk`), unchanged, against the
//! emulator: runs `tests/node/official_sdk_flows.js` (login, profile, roles, consent, phone,
//! an email code as the second factor, PIN, consent at sign-in; unsigned) with the
//! package named by `LOGINRADIUS_NODE_SDK` (`scripts/test` installs it under
//! `target/node-sdk` and exports it).

use std::process::Command;
use std::time::Duration;

use loginradius_test_support::e2e::*;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/node/official_sdk_flows.js");

fn sdk_dir() -> String {
    match std::env::var("LOGINRADIUS_NODE_SDK") {
        Ok(path) if !path.trim().is_empty() => path,
        _ => panic!(
            "LOGINRADIUS_NODE_SDK is not set: it must name the installed npm package \
             loginradius-sdk (its node_modules/loginradius-sdk directory). Run the suite with \
             scripts/test, which installs it under target/node-sdk and exports LOGINRADIUS_NODE_SDK."
        ),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn official_node_sdk_runs_its_flows_against_the_emulator() {
    let sdk = sdk_dir();
    let node = std::env::var("LOGINRADIUS_NODE").unwrap_or_else(|_| "node".to_owned());
    let email = "node-sdk@example.com";
    let otp_email = "node-sdk-otp@example.com";
    let pin_email = "node-sdk-pin@example.com";
    // Email verification required (the default) and MFA optional.
    let (emulator, _client) = emulator(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user(email))
            .with_user(user(otp_email)),
    )
    .await;
    let (pin, _pinned) = loginradius_test_support::e2e::emulator(
        EmulatorConfig::default()
            .with_pin_login()
            .with_user(user(pin_email)),
    )
    .await;
    assert_eq!(emulator.api_key(), pin.api_key());
    let consent_email = "node-sdk-consent@example.com";
    let (consent, _consenting) = loginradius_test_support::e2e::emulator(
        EmulatorConfig::default()
            .with_login_consent()
            .with_user(user(consent_email)),
    )
    .await;

    let mut command = Command::new(&node);
    command
        .arg(SCRIPT)
        .env("LOGINRADIUS_NODE_SDK", &sdk)
        .env("LOGINRADIUS_BASE_URL", emulator.base_url())
        .env("LOGINRADIUS_API_KEY", emulator.api_key())
        .env("LOGINRADIUS_API_SECRET", emulator.api_secret())
        .env("LOGINRADIUS_EMAIL", email)
        .env("LOGINRADIUS_PASSWORD", PASSWORD)
        .env("LOGINRADIUS_OTP_EMAIL", otp_email)
        .env("LOGINRADIUS_PIN_BASE_URL", pin.base_url())
        .env("LOGINRADIUS_PIN_EMAIL", pin_email)
        .env("LOGINRADIUS_CONSENT_BASE_URL", consent.base_url())
        .env("LOGINRADIUS_CONSENT_EMAIL", consent_email);
    let output = run_process(command, Duration::from_secs(120)).await;
    println!("--- official_sdk_flows.js stdout ---\n{}", output.stdout);
    println!("--- official_sdk_flows.js stderr ---\n{}", output.stderr);
    assert!(
        output.status.success(),
        "the official Node SDK flows failed ({}); see the output above",
        output.status
    );
    assert!(output.stdout.contains("all official Node SDK flows passed"));
    for (method, path) in [
        ("POST", "/identity/v2/auth/login"),
        ("GET", "/identity/v2/auth/account"),
        ("POST", "/identity/v2/manage/role"),
        ("GET", "/identity/v2/manage/role"),
        ("PUT", "/identity/v2/manage/account/{uid}/role"),
        ("GET", "/identity/v2/manage/account/{uid}/role"),
        ("GET", "/identity/v2/manage/account/sott"),
        ("POST", "/identity/v2/auth/register"),
        ("GET", "/identity/v2/auth/phone"),
        ("PUT", "/identity/v2/auth/phone/otp"),
        ("GET", "/identity/v2/auth/account/2fa/otp/email"),
        (
            "PUT",
            "/identity/v2/auth/account/2fa/verification/otp/email",
        ),
        ("POST", "/identity/v2/auth/login/2fa"),
        ("POST", "/identity/v2/auth/login/2fa/otp/email"),
        ("PUT", "/identity/v2/auth/login/2fa/verification/otp/email"),
        ("POST", "/identity/v2/auth/consent/profile"),
        ("GET", "/identity/v2/auth/consent/verify"),
        ("PUT", "/identity/v2/auth/consent"),
        ("GET", "/identity/v2/auth/consent/logs"),
        ("GET", "/identity/v2/manage/account/{uid}/consent/logs"),
    ] {
        assert!(
            emulator.calls(method, path) > 0,
            "the SDK called {method} {path}: {:#?}",
            emulator.stats()
        );
    }
    for (method, path) in [
        ("POST", "/identity/v2/auth/login"),
        ("POST", "/identity/v2/auth/pin/set/pinauthtoken"),
        ("POST", "/identity/v2/auth/login/pin"),
        ("GET", "/identity/v2/auth/session_token/invalidate"),
    ] {
        assert!(
            pin.calls(method, path) > 0,
            "the SDK called {method} {path}: {:#?}",
            pin.stats()
        );
    }
    assert!(
        consent.calls("POST", "/identity/v2/auth/consent") > 0,
        "the SDK submitted consent by token: {:#?}",
        consent.stats()
    );
}
