//! The official LoginRadius Node.js SDK (npm `loginradius-sdk`), unchanged, against the
//! emulator: runs `tests/node/official_sdk_flows.js` (login, profile, roles; unsigned) with the
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
async fn official_node_sdk_runs_login_profile_and_roles() {
    let sdk = sdk_dir();
    let node = std::env::var("LOGINRADIUS_NODE").unwrap_or_else(|_| "node".to_owned());
    let email = "node-sdk@example.com";
    let (emulator, _client) = emulator(EmulatorConfig::default().with_user(user(email))).await;

    let mut command = Command::new(&node);
    command
        .arg(SCRIPT)
        .env("LOGINRADIUS_NODE_SDK", &sdk)
        .env("LOGINRADIUS_BASE_URL", emulator.base_url())
        .env("LOGINRADIUS_API_KEY", emulator.api_key())
        .env("LOGINRADIUS_API_SECRET", emulator.api_secret())
        .env("LOGINRADIUS_EMAIL", email)
        .env("LOGINRADIUS_PASSWORD", PASSWORD);
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
    ] {
        assert!(
            emulator.calls(method, path) > 0,
            "the SDK called {method} {path}: {:#?}",
            emulator.stats()
        );
    }
}
