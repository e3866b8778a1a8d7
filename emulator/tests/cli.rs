//! The binary: flags and environment variables, the printed base URL, key and warning.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::binary::{Child, start};

async fn get_json(url: &str) -> serde_json::Value {
    let text = reqwest::get(url)
        .await
        .expect("answer")
        .text()
        .await
        .expect("body");
    serde_json::from_str(&text).expect("JSON")
}

#[tokio::test]
async fn binary_prints_its_address_key_and_warning_and_serves_with_defaults() {
    let (_child, base, lines) = start(&["--bind", "127.0.0.1:0", "--demo-data"], &[]);
    let all = lines.join("\n");
    assert!(all.contains("NOT FOR PRODUCTION"), "{all}");
    assert!(all.contains(loginradius_emulator::DEFAULT_API_KEY), "{all}");
    let info = get_json(&format!(
        "{base}/ciam/appinfo?apikey={}",
        loginradius_emulator::DEFAULT_API_KEY
    ))
    .await;
    assert_eq!(info["EmailVerificationFlow"], "required");
    assert_eq!(info["TwoFactorAuthentication"]["IsEnabled"], true);
    assert_eq!(info["TwoFactorAuthentication"]["IsRequired"], false);
    let client = reqwest::Client::new();
    let login = client
        .post(format!(
            "{base}/identity/v2/auth/login?apikey={}",
            loginradius_emulator::DEFAULT_API_KEY
        ))
        .body(r#"{"email":"admin@example.com","password":"password123"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn flags_and_environment_configure_the_binary() {
    let (_child, base, lines) = start(
        &[
            "--bind",
            "127.0.0.1:0",
            "--api-key",
            "my-key",
            "--api-secret",
            "my-secret",
            "--token-ttl",
            "60",
        ],
        &[
            ("LOGINRADIUS_EMULATOR_MFA", "required"),
            ("LOGINRADIUS_EMULATOR_EMAIL_VERIFICATION", "disabled"),
            ("LOGINRADIUS_EMULATOR_REQUIRE_SIGNING", "true"),
        ],
    );
    let all = lines.join("\n");
    assert!(
        all.contains("my-key") && !all.contains("my-secret"),
        "the key is printed, a custom secret is not: {all}"
    );
    let info = get_json(&format!("{base}/ciam/appinfo?apikey=my-key")).await;
    assert_eq!(info["TwoFactorAuthentication"]["IsRequired"], true);
    assert_eq!(info["EmailVerificationFlow"], "disabled");
    let unsigned = reqwest::Client::new()
        .get(format!("{base}/identity/v2/manage/role?apikey=my-key"))
        .header("X-LoginRadius-ApiSecret", "my-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(
        unsigned.status(),
        400,
        "unsigned /manage refused with --require-signing"
    );
}

#[tokio::test]
async fn a_closed_stdout_does_not_end_the_server_and_ctrl_c_shuts_it_down_cleanly() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_loginradius-emulator"))
            .args(["--bind", "127.0.0.1:0", "--demo-data"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts"),
    );
    let mut reader = BufReader::new(child.0.stdout.take().expect("stdout"));
    let mut base = None;
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        if let Some(url) = line
            .trim()
            .strip_prefix("LoginRadius emulator listening on ")
        {
            base = Some(url.to_owned());
        }
        if line.trim_start().starts_with("outbox:") {
            break;
        }
        line.clear();
    }
    let base = base.expect("base URL printed");
    // Nobody reads stdout any more.
    drop(reader);
    let info = get_json(&format!(
        "{base}/ciam/appinfo?apikey={}",
        loginradius_emulator::DEFAULT_API_KEY
    ))
    .await;
    assert_eq!(info["EmailVerificationFlow"], "required");
    // Ctrl-C makes it print `shutting down` into the closed pipe, then exit successfully.
    let pid = child.0.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let status = child.0.wait().expect("exits");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn the_login_consent_flag_makes_consent_a_sign_in_step() {
    let (_child, base, _) = start(
        &["--bind", "127.0.0.1:0", "--demo-data", "--login-consent"],
        &[],
    );
    let key = loginradius_emulator::DEFAULT_API_KEY;
    let client = reqwest::Client::new();
    let login = client
        .post(format!("{base}/identity/v2/auth/login?apikey={key}"))
        .header("content-type", "application/json")
        .body(r#"{"email":"admin@example.com","password":"password123"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 403);
    let body: serde_json::Value = serde_json::from_str(&login.text().await.unwrap()).unwrap();
    assert_eq!(body["ErrorCode"], 1226);
    let token = body["ConsentToken"].as_str().expect("a consent token");
    let consent = client
        .post(format!(
            "{base}/identity/v2/auth/consent?apikey={key}&consentToken={token}"
        ))
        .header("content-type", "application/json")
        .body(
            r#"{"Data":[{"ConsentOptionId":"email_consent","IsAccepted":true}],"Events":[{"Event":"Login","IsCustom":false}]}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&consent.text().await.unwrap()).unwrap();
    assert!(body["access_token"].is_string(), "{body}");
}
