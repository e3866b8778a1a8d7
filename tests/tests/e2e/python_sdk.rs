//! The official LoginRadius Python SDK (PyPI `loginradius-v2`), unchanged, against the emulator:
//! runs `tests/python/official_sdk_flows.py` with the interpreter named by `LOGINRADIUS_PYTHON`
//! (`scripts/test` creates `target/py-sdk` with the SDK and exports it).

use std::process::Command;
use std::time::Duration;

use loginradius_test_support::e2e::*;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/official_sdk_flows.py");

fn python() -> String {
    match std::env::var("LOGINRADIUS_PYTHON") {
        Ok(path) if !path.trim().is_empty() => path,
        _ => panic!(
            "LOGINRADIUS_PYTHON is not set: it must name a Python interpreter that has the official \
             LoginRadius SDK (`pip install loginradius-v2 requests`). Run the suite with scripts/test, \
             which creates target/py-sdk and exports LOGINRADIUS_PYTHON."
        ),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn official_python_sdk_runs_its_flows_against_the_emulator() {
    let python = python();
    // Email verification required (the default) and MFA optional.
    let (main, _client) = emulator(EmulatorConfig::default().with_mfa(MfaMode::Optional)).await;
    let (signing, _signed) = emulator(EmulatorConfig::default().with_required_signing(true)).await;
    let pin_email = "python-pin@example.com";
    let (pin, _pinned) = emulator(
        EmulatorConfig::default()
            .with_pin_login()
            .with_user(user(pin_email)),
    )
    .await;
    assert_eq!(main.api_key(), signing.api_key());
    assert_eq!(main.api_key(), pin.api_key());
    let consent_email = "python-consent@example.com";
    let (consent, _consenting) = emulator(
        EmulatorConfig::default()
            .with_login_consent()
            .with_user(user(consent_email)),
    )
    .await;

    let mut command = Command::new(&python);
    command
        .arg("-u")
        .arg(SCRIPT)
        .args(["--base-url", main.base_url()])
        .args(["--signing-base-url", signing.base_url()])
        .args(["--pin-base-url", pin.base_url()])
        .args(["--pin-email", pin_email])
        .args(["--consent-base-url", consent.base_url()])
        .args(["--consent-email", consent_email])
        .env("LOGINRADIUS_API_KEY", main.api_key())
        .env("LOGINRADIUS_API_SECRET", main.api_secret())
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let output = run_process(command, Duration::from_secs(180)).await;
    println!("--- official_sdk_flows.py stdout ---\n{}", output.stdout);
    println!("--- official_sdk_flows.py stderr ---\n{}", output.stderr);
    assert!(
        output.status.success(),
        "the official Python SDK flows failed ({}); see the output above",
        output.status
    );
    assert!(
        output
            .stdout
            .contains("all official Python SDK flows passed")
    );

    // The SDK really went through the emulator's endpoints.
    for (method, path) in [
        ("GET", "/identity/v2/manage/account/sott"),
        ("POST", "/identity/v2/auth/register"),
        ("GET", "/identity/v2/auth/email"),
        ("POST", "/identity/v2/auth/login"),
        ("GET", "/identity/v2/auth/account"),
        ("POST", "/identity/v2/auth/login/2fa"),
        (
            "PUT",
            "/identity/v2/auth/login/2fa/verification/authenticatorcode",
        ),
        ("POST", "/identity/v2/manage/role"),
        ("PUT", "/identity/v2/manage/account/{uid}/role"),
        ("GET", "/identity/v2/manage/account/{uid}/role"),
        ("GET", "/identity/v2/auth/phone"),
        ("PUT", "/identity/v2/auth/phone/otp"),
        ("GET", "/identity/v2/auth/account/2fa/otp/email"),
        (
            "PUT",
            "/identity/v2/auth/account/2fa/verification/otp/email",
        ),
        ("POST", "/identity/v2/auth/login/2fa/otp/email"),
        ("PUT", "/identity/v2/auth/login/2fa/verification/otp/email"),
        ("POST", "/identity/v2/auth/consent/profile"),
        ("GET", "/identity/v2/auth/consent/verify"),
        ("PUT", "/identity/v2/auth/consent"),
        ("GET", "/identity/v2/auth/consent/logs"),
        ("GET", "/identity/v2/manage/account/{uid}/consent/logs"),
    ] {
        assert!(
            main.calls(method, path) > 0,
            "the SDK called {method} {path}: {:#?}",
            main.stats()
        );
    }
    assert!(
        signing.calls("GET", "/identity/v2/manage/role") >= 3,
        "{:#?}",
        signing.stats()
    );
    assert!(
        signing.calls("POST", "/identity/v2/manage/account") > 0,
        "{:#?}",
        signing.stats()
    );
    for (method, path) in [
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
