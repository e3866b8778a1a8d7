//! Development controls: reset, state export and import (library and binary), seed files,
//! deterministic mode, and the users and roles on the `/emulator` page.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{Harness, PASSWORD, TempDir, binary, with_user};
use loginradius_emulator::{
    EmailVerification, Emulator, EmulatorConfig, Fault, SeedUser, StartError, StateFileError,
};
use reqwest::Method;
use serde_json::{Value, json};

fn example_seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/seed.json")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("file written");
    serde_json::from_str(&text).expect("JSON")
}

/// `POST /emulator/<path>` with a JSON body, as a tool sends it.
async fn admin_post(h: &Harness, path: &str, body: &Value) -> common::Answer {
    h.send(
        h.http
            .post(format!("{}/emulator/{path}", h.emulator.base_url()))
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

#[tokio::test]
async fn reset_over_http_returns_to_the_seed_state() {
    let h = Harness::start(
        with_user(
            EmulatorConfig::default().with_email_verification(EmailVerification::Optional),
            "seed@example.com",
        )
        .with_role("editor", ["edit"]),
    )
    .await;
    h.register("later@example.com", json!({})).await.ok();
    h.login("later@example.com", PASSWORD).await.ok();
    let seed_token = h.token("seed@example.com").await;
    h.manage(
        Method::POST,
        "/identity/v2/manage/role",
        Some(&json!({ "roles": [{ "name": "later-role" }] })),
    )
    .await
    .ok();
    h.emulator
        .add_fault(Fault {
            path: Some("/identity/v2/auth/nothing".into()),
            status: Some(500),
            ..Fault::default()
        })
        .expect("fault accepted");
    admin_post(&h, "clock", &json!({ "advance_seconds": 86_400 }))
        .await
        .ok();
    assert!(!h.emulator.outbox().is_empty());
    assert!(!h.emulator.stats().is_empty());

    // A page on another origin, and a body that is not JSON, cannot reset.
    let url = format!("{}/emulator/reset", h.emulator.base_url());
    h.send(h.http.post(&url).header("origin", "http://localhost:5000"))
        .await
        .error(971, 403);
    h.send(
        h.http
            .post(&url)
            .header("content-type", "text/plain")
            .body("{}"),
    )
    .await
    .error(965, 415);
    assert!(
        !h.emulator.outbox().is_empty(),
        "refused resets change nothing"
    );

    let answer = admin_post(&h, "reset", &json!({})).await.ok();
    assert_eq!(answer["IsPosted"], true);
    let now = time::OffsetDateTime::parse(
        answer["Now"].as_str().expect("Now"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    assert!(
        (now - time::OffsetDateTime::now_utc()).abs() < time::Duration::minutes(5),
        "the clock offset is gone: {now}"
    );
    assert!(h.emulator.outbox().is_empty());
    assert!(h.emulator.faults().is_empty());
    assert!(h.emulator.stats().is_empty());
    // Users and roles as seeded; sessions gone.
    h.login("later@example.com", PASSWORD).await.error(966, 401);
    h.bearer(Method::GET, "/identity/v2/auth/account", &seed_token, None)
        .await
        .error(905, 403);
    h.login("seed@example.com", PASSWORD).await.ok();
    let roles = h
        .manage(Method::GET, "/identity/v2/manage/role", None)
        .await
        .ok();
    assert_eq!(roles["Count"], 1, "{roles}");
    assert_eq!(roles["data"][0]["Name"], "editor");
}

#[tokio::test]
async fn export_then_import_keeps_users_passwords_roles_contexts_and_objects() {
    let dir = TempDir::new("export");
    let h =
        Harness::start(EmulatorConfig::default().with_role("editor", ["edit", "publish"])).await;
    let uid = h.create_user("keep@example.com").await;
    h.manage(
        Method::PUT,
        &format!("/identity/v2/manage/account/{uid}/role"),
        Some(&json!({ "roles": ["editor"] })),
    )
    .await
    .ok();
    h.manage(
        Method::PUT,
        &format!("/identity/v2/manage/account/{uid}/rolecontext"),
        Some(&json!({ "rolecontext": [{ "context": "acme", "roles": ["editor"], "additionalpermissions": ["billing"], "expiration": "2099-01-01T00:00:00Z" }] })),
    )
    .await
    .ok();
    let record = h
        .manage(
            Method::POST,
            &format!("/identity/v2/manage/account/{uid}/customobject?objectname=prefs"),
            Some(&json!({ "theme": "dark", "size": 2 })),
        )
        .await
        .ok();
    let profile_before = h
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/{uid}"),
            None,
        )
        .await
        .ok();
    let hook = h
        .manage(
            Method::POST,
            "/v2/manage/webhooks",
            Some(&json!({ "Event": "UnassignRoles", "TargetUrl": "http://127.0.0.1:9/hooks" })),
        )
        .await
        .ok();
    h.emulator.export(dir.path()).expect("export");

    let users = read_json(&dir.path().join("users.json"));
    assert_eq!(users["version"], 1);
    let user = &users["users"][0];
    assert_eq!(user["uid"], uid.as_str());
    assert!(
        user["password_hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("$argon2id$")),
        "{user}"
    );
    assert_eq!(user["roles"], json!(["editor"]));
    let roles = read_json(&dir.path().join("roles.json"));
    assert_eq!(
        roles,
        json!({ "version": 1, "roles": { "editor": { "edit": true, "publish": true } } })
    );
    let objects = read_json(&dir.path().join("custom_objects.json"));
    assert_eq!(objects["objects"]["prefs"][0]["id"], record["Id"]);
    for file in [
        "users.json",
        "roles.json",
        "custom_objects.json",
        "webhooks.json",
    ] {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(file))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{file} is readable by others: {mode:o}");
        }
        let text = std::fs::read_to_string(dir.path().join(file)).expect("file");
        assert!(!text.contains(PASSWORD), "{file} holds the password");
        assert!(!text.contains(h.emulator.api_secret()), "{file}");
    }

    // A new emulator, configured with nothing but the import.
    let again = Harness::start(EmulatorConfig::default().with_import(dir.path())).await;
    // It exports the very same files: the format is stable.
    let second = TempDir::new("export-again");
    again.emulator.export(second.path()).expect("export");
    for file in [
        "users.json",
        "roles.json",
        "custom_objects.json",
        "webhooks.json",
    ] {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(file)).expect("first"),
            std::fs::read_to_string(second.path().join(file)).expect("second"),
            "{file}"
        );
    }
    let hooks = again
        .manage(Method::GET, "/v2/manage/webhooks", None)
        .await
        .ok();
    assert_eq!(hooks["Data"][0]["Id"], hook["Id"], "{hooks}");
    assert_eq!(hooks["Data"][0]["Event"], "UnassignRoles");
    let login = again.login("keep@example.com", PASSWORD).await.ok();
    assert_eq!(login["Profile"]["Uid"], uid.as_str());
    again
        .login("keep@example.com", "wrong-password")
        .await
        .error(966, 401);
    let profile_after = again
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/{uid}"),
            None,
        )
        .await
        .ok();
    for key in [
        "Uid",
        "ID",
        "Email",
        "EmailVerified",
        "FirstName",
        "Roles",
        "CreatedDate",
    ] {
        assert_eq!(profile_after[key], profile_before[key], "{key}");
    }
    assert_eq!(
        again
            .manage(
                Method::GET,
                &format!("/identity/v2/manage/account/{uid}/role"),
                None
            )
            .await
            .ok(),
        json!({ "Roles": ["editor"] })
    );
    let contexts = again
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/{uid}/rolecontext"),
            None,
        )
        .await
        .ok();
    assert_eq!(
        contexts["Data"][0],
        json!({ "Context": "acme", "Roles": ["editor"], "AdditionalPermissions": ["billing"], "Expiration": "2099-01-01T00:00:00.0000000Z" })
    );
    let listed = again
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/{uid}/customobject?objectname=prefs"),
            None,
        )
        .await
        .ok();
    assert_eq!(listed["data"][0]["Id"], record["Id"], "{listed}");
    assert_eq!(
        listed["data"][0]["CustomObject"],
        json!({ "theme": "dark", "size": 2 })
    );
}

#[tokio::test]
async fn an_enabled_authenticator_survives_export_and_import() {
    let dir = TempDir::new("mfa");
    let h = Harness::start(with_user(EmulatorConfig::default(), "mfa@example.com")).await;
    let token = h.token("mfa@example.com").await;
    let settings = h
        .bearer(Method::GET, "/identity/v2/auth/account/2fa", &token, None)
        .await
        .ok();
    let manual = settings["ManualEntryCode"]
        .as_str()
        .expect("code")
        .to_owned();
    h.bearer(
        Method::PUT,
        "/identity/v2/auth/account/2fa/verification/authenticatorcode",
        &token,
        Some(&json!({ "authenticatorcode": common::totp_code(&manual) })),
    )
    .await
    .ok();
    h.emulator.export(dir.path()).expect("export");
    let users = read_json(&dir.path().join("users.json"));
    assert_eq!(users["users"][0]["mfa"]["secret"], manual.as_str());

    let again = Harness::start(EmulatorConfig::default().with_import(dir.path())).await;
    // Plain login is refused for a user with an authenticator: the MFA state came along.
    again
        .login("mfa@example.com", PASSWORD)
        .await
        .error(1176, 403);
    let challenge = again
        .json(
            Method::POST,
            "/identity/v2/auth/login/2fa",
            &json!({ "email": "mfa@example.com", "password": PASSWORD }),
        )
        .await
        .ok();
    let second = challenge["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"]
        .as_str()
        .expect("challenge")
        .to_owned();
    let done = again
        .json(
            Method::PUT,
            &format!(
                "/identity/v2/auth/login/2fa/verification/authenticatorcode?secondfactorauthenticationtoken={second}"
            ),
            &json!({ "authenticatorcode": common::totp_code(&manual) }),
        )
        .await
        .ok();
    assert!(done["access_token"].is_string(), "{done}");
}

/// Starts an emulator that imports `dir`; the error it fails with.
async fn import_error(dir: &Path) -> String {
    match Emulator::start(EmulatorConfig::default().with_import(dir)).await {
        Ok(_) => panic!("an emulator started from a bad import"),
        Err(e) => {
            assert!(matches!(e, StartError::State(_)), "{e:?}");
            e.to_string()
        }
    }
}

#[tokio::test]
async fn a_malformed_import_fails_start_with_a_clear_error() {
    let dir = TempDir::new("bad-import");
    let h = Harness::start(
        EmulatorConfig::default()
            .with_role("editor", ["edit"])
            .with_user(SeedUser::new("bad@example.com", PASSWORD).roles(["editor"])),
    )
    .await;
    h.emulator.export(dir.path()).expect("export");
    let users = dir.path().join("users.json");
    let good = std::fs::read_to_string(&users).expect("users");

    std::fs::write(&users, "{ \"version\": 1, \"users\": [").expect("write");
    let message = import_error(dir.path()).await;
    assert!(
        message.contains("users.json") && message.contains("line"),
        "{message}"
    );

    std::fs::write(&users, good.replace("\"version\": 1", "\"version\": 2")).expect("write");
    let message = import_error(dir.path()).await;
    assert!(message.contains("version 2 is not supported"), "{message}");

    std::fs::write(&users, good.replace("\"uid\"", "\"user_id\"")).expect("write");
    let message = import_error(dir.path()).await;
    assert!(
        message.contains("users.json") && message.contains("user_id"),
        "{message}"
    );

    std::fs::write(&users, good.replace("$argon2id$", "plain:")).expect("write");
    let message = import_error(dir.path()).await;
    assert!(message.contains("PHC"), "{message}");

    std::fs::write(&users, &good).expect("write");
    std::fs::write(
        dir.path().join("roles.json"),
        "{\"version\": 1, \"roles\": {}}",
    )
    .expect("write");
    let message = import_error(dir.path()).await;
    assert!(message.contains("\"editor\" is not defined"), "{message}");

    let message = import_error(&dir.path().join("missing")).await;
    assert!(message.contains("missing"), "{message}");

    // Importing on top of seeds that hold the same user is refused, not merged.
    std::fs::write(
        dir.path().join("roles.json"),
        "{\"version\": 1, \"roles\": {\"editor\": {}}}",
    )
    .expect("write");
    let clash = Emulator::start(
        with_user(EmulatorConfig::default(), "bad@example.com").with_import(dir.path()),
    )
    .await;
    let message = clash.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("bad@example.com is taken"), "{message}");
}

#[tokio::test]
async fn the_example_seed_file_loads_with_its_users_roles_and_contexts() {
    let h = Harness::start(EmulatorConfig::default().with_seed_file(example_seed())).await;
    let ada = h.login("ada@example.com", "correct-horse-1").await.ok();
    assert_eq!(ada["Profile"]["FirstName"], "Ada");
    assert_eq!(ada["Profile"]["Company"], "Analytical Engines");
    assert_eq!(ada["Profile"]["Roles"], json!(["admin"]));
    let grace = h.login("grace@example.com", "battery-staple-2").await.ok();
    assert_eq!(grace["Profile"]["Uid"], "00000000000000000000000000000002");
    let contexts = h
        .manage(
            Method::GET,
            "/identity/v2/manage/account/00000000000000000000000000000002/rolecontext",
            None,
        )
        .await
        .ok();
    assert_eq!(
        contexts["Data"][0],
        json!({ "Context": "acme", "Roles": ["editor"], "AdditionalPermissions": ["billing"], "Expiration": null })
    );
    assert_eq!(contexts["Data"][1]["Context"], "globex");
    h.login("new@example.com", "not-verified-3")
        .await
        .error(970, 403);
    let roles = h
        .manage(Method::GET, "/identity/v2/manage/role", None)
        .await
        .ok();
    assert_eq!(roles["Count"], 3, "{roles}");
    assert_eq!(
        roles["data"][0],
        json!({ "Name": "admin", "Permissions": { "manage_roles": true, "manage_users": true } })
    );
}

#[tokio::test]
async fn a_bad_seed_file_fails_start_and_names_the_problem() {
    let dir = TempDir::new("bad-seed");
    let path = dir.path().join("seed.json");
    let cases = [
        (
            json!({ "version": 1, "users": [{ "email": "a@example.com", "password": "long-enough", "roles": ["ghost"] }] }),
            "\"ghost\" is not defined",
        ),
        (
            json!({ "version": 1, "users": [{ "email": "a@example.com", "password": "short" }] }),
            "at least 6 characters",
        ),
        (
            json!({ "version": 1, "users": [{ "email": "a@example.com", "passwd": "long-enough" }] }),
            "passwd",
        ),
        (
            json!({ "version": 1, "users": [
                { "email": "a@example.com", "password": "long-enough" },
                { "email": "A@example.com", "password": "long-enough" },
            ] }),
            "is taken",
        ),
        (json!({ "users": [] }), "version"),
    ];
    for (file, expected) in cases {
        std::fs::write(&path, file.to_string()).expect("write");
        let result = Emulator::start(EmulatorConfig::default().with_seed_file(&path)).await;
        let message = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains(expected) && message.contains("seed.json"),
            "{file}: {message}"
        );
    }
    let missing =
        Emulator::start(EmulatorConfig::default().with_seed_file(dir.path().join("no"))).await;
    assert!(matches!(
        missing,
        Err(StartError::State(StateFileError::Read { .. }))
    ));
}

/// A script of calls; every answer, then the outbox, as JSON.
async fn script(h: &Harness) -> Vec<Value> {
    let mut answers = vec![
        h.register("det@example.com", json!({ "FirstName": "Det" }))
            .await
            .ok(),
    ];
    let token = h.outbox_token("det@example.com");
    answers.push(
        h.get(&format!(
            "/identity/v2/auth/email?verificationtoken={token}"
        ))
        .await
        .ok(),
    );
    let login = h.login("det@example.com", PASSWORD).await.ok();
    let access = login["access_token"].as_str().expect("token").to_owned();
    answers.push(login);
    answers.push(
        h.bearer(Method::GET, "/identity/v2/auth/account/2fa", &access, None)
            .await
            .ok(),
    );
    answers.push(
        h.bearer(
            Method::POST,
            "/identity/v2/auth/customobject?objectname=notes",
            &access,
            Some(&json!({ "text": "hello" })),
        )
        .await
        .ok(),
    );
    answers.push(
        h.json(
            Method::POST,
            "/identity/v2/auth/password",
            &json!({ "email": "det@example.com" }),
        )
        .await
        .ok(),
    );
    answers.push(json!(h.emulator.outbox()));
    answers
}

fn deterministic() -> EmulatorConfig {
    EmulatorConfig::default()
        .deterministic()
        .with_public_url("http://localhost:8787")
}

#[tokio::test]
async fn deterministic_mode_gives_identical_answers_and_outbox() {
    let (a, b) = (
        Harness::start(deterministic()).await,
        Harness::start(deterministic()).await,
    );
    let first = script(&a).await;
    assert_eq!(first, script(&b).await);
    // The clock stands at the fixed instant: the answers carry it.
    assert_eq!(
        first[2]["Profile"]["LastLoginDate"],
        "2030-01-01T00:00:00.0000000Z"
    );
    assert!(
        a.emulator
            .outbox()
            .iter()
            .all(|m| m.sent_at == "2030-01-01T00:00:00.0000000Z")
    );
    // After a reset, the same calls give the same answers again (the ids start over).
    a.emulator.reset();
    assert_eq!(first, script(&a).await);
    // Without the mode, two runs differ (fresh ids, the system clock).
    let (c, d) = (
        Harness::start(EmulatorConfig::default().with_public_url("http://localhost:8787")).await,
        Harness::start(EmulatorConfig::default().with_public_url("http://localhost:8787")).await,
    );
    assert_ne!(script(&c).await, script(&d).await);
}

#[tokio::test]
async fn the_page_lists_users_and_roles_escaped() {
    let h = Harness::start(
        EmulatorConfig::default()
            .with_role("<b>boss</b>", ["see & do"])
            .with_user(
                SeedUser::new("page@example.com", PASSWORD)
                    .uid("0123456789abcdef0123456789abcdef")
                    .roles(["<b>boss</b>"]),
            )
            .with_user(SeedUser::new("unverified@example.com", PASSWORD).email_verified(false)),
    )
    .await;
    let html = h
        .http
        .get(format!("{}/emulator", h.emulator.base_url()))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("<h2>Users</h2>") && html.contains("<h2>Roles</h2>"),
        "{html}"
    );
    assert!(html.contains(
        "<tr><td><code>0123456789abcdef0123456789abcdef</code></td><td>page@example.com</td><td>yes</td><td>&lt;b&gt;boss&lt;/b&gt;</td><td>no</td></tr>"
    ), "{html}");
    assert!(
        html.contains("<td>unverified@example.com</td><td>no</td>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td>&lt;b&gt;boss&lt;/b&gt;</td><td>see &amp; do</td></tr>"),
        "{html}"
    );
    assert!(!html.contains("<b>boss</b>"), "{html}");
}

/// Sends `signal` to the binary and waits for it to exit successfully.
fn stop(child: &mut binary::Child, signal: &str) {
    let pid = child.0.id().to_string();
    let sent = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = child.0.wait().expect("exits");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn the_binary_exports_on_sigint_and_sigterm_and_imports_at_start() {
    let dir = TempDir::new("cli");
    let state = dir.path().join("state");
    let state_arg = state.to_str().expect("UTF-8 path");
    let seed = example_seed();
    let (mut child, _base, lines) = binary::start(
        &[
            "--bind",
            "127.0.0.1:0",
            "--seed",
            seed.to_str().expect("UTF-8 path"),
            "--export-on-exit",
            state_arg,
        ],
        &[],
    );
    assert!(!state.exists(), "nothing written before exit: {lines:?}");
    stop(&mut child, "-INT");
    let users = read_json(&state.join("users.json"));
    let emails: Vec<&str> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["emails"][0]["value"].as_str())
        .collect();
    assert_eq!(emails.len(), 3, "{users}");
    assert!(emails.contains(&"ada@example.com"), "{emails:?}");

    // Import what was written, register one more user, stop with SIGTERM: both are exported.
    let (mut child, base, _) = binary::start(
        &[
            "--bind",
            "127.0.0.1:0",
            "--email-verification",
            "disabled",
            "--import",
            state_arg,
            "--export-on-exit",
            state_arg,
        ],
        &[],
    );
    let http = reqwest::Client::new();
    let key = loginradius_emulator::DEFAULT_API_KEY;
    let login = http
        .post(format!("{base}/identity/v2/auth/login?apikey={key}"))
        .header("content-type", "application/json")
        .body(json!({ "email": "ada@example.com", "password": "correct-horse-1" }).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(login.status(), 200, "the imported user signs in");
    let body: Value = serde_json::from_str(&login.text().await.expect("body")).expect("JSON");
    assert_eq!(body["Profile"]["Roles"], json!(["admin"]));
    let created = http
        .post(format!("{base}/identity/v2/manage/account?apikey={key}"))
        .header(
            "X-LoginRadius-ApiSecret",
            loginradius_emulator::DEFAULT_API_SECRET,
        )
        .header("content-type", "application/json")
        .body(json!({ "Email": [{ "Type": "Primary", "Value": "late@example.com" }], "Password": PASSWORD }).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(created.status(), 200);
    stop(&mut child, "-TERM");
    let users = read_json(&state.join("users.json"));
    assert_eq!(users["users"].as_array().map(Vec::len), Some(4), "{users}");
    assert!(users.to_string().contains("late@example.com"));

    // A broken import ends the binary with a message, not a panic.
    std::fs::write(state.join("roles.json"), "not json").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_loginradius-emulator"))
        .args(["--bind", "127.0.0.1:0", "--import", state_arg])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roles.json") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_clock_moves_token_expiry_and_reset_brings_it_back() {
    let h = Harness::start(with_user(
        deterministic().with_token_ttl(Duration::from_secs(60)),
        "clock@example.com",
    ))
    .await;
    let token = h.token("clock@example.com").await;
    let validate = "/identity/v2/auth/access_token/validate";
    h.bearer(Method::GET, validate, &token, None).await.ok();
    let moved = admin_post(&h, "clock", &json!({ "advance_seconds": 61 }))
        .await
        .ok();
    assert_eq!(moved["Now"], "2030-01-01T00:01:01.0000000Z");
    h.bearer(Method::GET, validate, &token, None)
        .await
        .error(906, 403);
    let reset = admin_post(&h, "reset", &json!({})).await.ok();
    assert_eq!(reset["Now"], "2030-01-01T00:00:00.0000000Z");
}
