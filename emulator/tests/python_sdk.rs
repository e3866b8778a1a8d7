//! Runs the official LoginRadius Python SDK (PyPI `loginradius-v2`) against the emulator:
//! registration with a SOTT, login, profile, MFA login with a TOTP code, roles, and a signed
//! `/manage` call (`tests/python_sdk/flows.py`).
//!
//! Needs a Python with the SDK installed, named by `LOGINRADIUS_PYTHON` (`scripts/test` makes
//! one under `target/py-sdk`). Without it the test says so and passes, except in CI (`CI` set),
//! where it fails.

use std::process::Command;

use loginradius_emulator::{Emulator, EmulatorConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_flows_work_against_the_emulator() {
    let Some(python) = std::env::var_os("LOGINRADIUS_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but LOGINRADIUS_PYTHON is not: run the tests through scripts/test"
        );
        eprintln!(
            "skipped: set LOGINRADIUS_PYTHON to a Python with loginradius-v2 installed (scripts/test does)"
        );
        return;
    };
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python_sdk/flows.py");
    let base = format!("{}/", emulator.base_url());
    let (key, secret) = (
        emulator.api_key().to_owned(),
        emulator.api_secret().to_owned(),
    );
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .env("LR_BASE_URL", base)
            .env("LR_API_KEY", key)
            .env("LR_API_SECRET", secret)
            .env("PYTHONWARNINGS", "ignore")
            .output()
    })
    .await
    .expect("join")
    .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "python SDK flows failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all flows passed"));
}
