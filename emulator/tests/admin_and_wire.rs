//! Outbox, faults, stats, coverage, case-insensitive matching, unknown and unsupported paths.

mod common;

use std::time::{Duration, Instant};

use common::{Harness, PASSWORD, with_user};
use loginradius_emulator::{EmulatorConfig, Fault};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn outbox_json_and_html_page() {
    let h = Harness::default().await;
    h.register("<b>x</b>@example.com", json!({}))
        .await
        .error(1038, 400);
    h.register("page@example.com", json!({})).await.ok();
    let outbox = h
        .send(
            h.http
                .get(format!("{}/emulator/outbox", h.emulator.base_url())),
        )
        .await
        .ok();
    let msg = &outbox["messages"][0];
    for key in ["type", "to", "token", "otp", "link", "sent_at"] {
        assert!(msg.get(key).is_some(), "{key} in {msg}");
    }
    assert_eq!(msg["type"], "email_verification");
    assert_eq!(msg["to"], "page@example.com");

    // A verification URL with markup is escaped on the page (a `javascript:` one is refused
    // outright: only loopback and allowed origins may be link bases).
    h.json(
        Method::PUT,
        "/identity/v2/auth/register?verificationurl=javascript:alert(%22<script>%22)",
        &json!({ "email": "page@example.com" }),
    )
    .await
    .error(1249, 403);
    h.json(
        Method::PUT,
        "/identity/v2/auth/register?verificationurl=http://127.0.0.1/%22%3E%3Cscript%3E",
        &json!({ "email": "page@example.com" }),
    )
    .await
    .ok();
    let page = h
        .http
        .get(format!("{}/emulator", h.emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("page@example.com"));
    assert!(
        html.contains("<a href=\"http://"),
        "the first link is clickable"
    );
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
    assert!(!html.contains("href=\"javascript:"));

    h.send(
        h.http
            .delete(format!("{}/emulator/outbox", h.emulator.base_url())),
    )
    .await
    .ok();
    assert!(h.emulator.outbox().is_empty());
}

#[tokio::test]
async fn faults_status_rate_limit_malformed_latency_path_and_count() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "f@example.com")).await;
    let faults_url = format!("{}/emulator/faults", h.emulator.base_url());

    // 503 twice on one path only (over HTTP), then normal service.
    let add = h
        .send(
            h.http
                .post(&faults_url)
                .header("content-type", "application/json")
                .body(
                    json!({ "status": 503, "path": "/identity/v2/serverinfo", "count": 2 })
                        .to_string(),
                ),
        )
        .await;
    add.ok();
    h.get("/identity/v2/serverinfo").await.error(950, 503);
    h.get("/Identity/V2/ServerInfo").await.error(950, 503);
    h.get("/identity/v2/serverinfo").await.ok();

    // 429 with Retry-After.
    h.emulator
        .add_fault(Fault::rate_limited(7).times(1))
        .unwrap();
    let limited = h.get("/identity/v2/serverinfo").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "7");
    assert_eq!(limited.code(), Some(429));

    // Malformed: 200 with a body that is not JSON.
    h.emulator.add_fault(Fault::malformed().times(1)).unwrap();
    let bad = h.get("/identity/v2/serverinfo").await;
    assert_eq!(bad.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&bad.text).is_err());

    // Latency.
    h.emulator
        .add_fault(Fault::latency(Duration::from_millis(300)).times(1))
        .unwrap();
    let start = Instant::now();
    h.get("/identity/v2/serverinfo").await.ok();
    assert!(start.elapsed() >= Duration::from_millis(300));

    // A chosen error code, for a path template.
    h.emulator
        .add_fault(
            Fault::status(403)
                .with_error_code(906)
                .only_path("/identity/v2/manage/account/{uid}"),
        )
        .unwrap();
    h.manage(Method::GET, "/identity/v2/manage/account/abc", None)
        .await
        .error(906, 403);
    h.send(h.http.delete(&faults_url)).await.ok();
    h.manage(Method::GET, "/identity/v2/manage/account/abc", None)
        .await
        .error(938, 403);

    // Invalid faults are refused.
    let bad = h
        .send(
            h.http
                .post(&faults_url)
                .header("content-type", "application/json")
                .body(r#"{"status": 200}"#),
        )
        .await;
    bad.error(965, 400);
    let bad = h
        .send(
            h.http
                .post(&faults_url)
                .header("content-type", "application/json")
                .body(r#"{"status": 500, "rate": 2}"#),
        )
        .await;
    bad.error(965, 400);
    assert!(h.emulator.faults().is_empty());
    h.login("f@example.com", PASSWORD).await.ok();
}

#[tokio::test]
async fn stats_count_calls_per_endpoint_template() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "s@example.com")).await;
    let token = h.token("s@example.com").await;
    for _ in 0..3 {
        h.bearer(
            Method::GET,
            "/identity/v2/auth/access_token/Validate",
            &token,
            None,
        )
        .await
        .ok();
    }
    h.manage(Method::GET, "/identity/v2/manage/account/some-uid", None)
        .await;
    h.get("/no/such/path").await;
    assert_eq!(
        h.emulator
            .calls("GET", "/identity/v2/auth/access_token/validate"),
        3
    );
    assert_eq!(h.emulator.calls("post", "/identity/v2/auth/login"), 1);
    assert_eq!(
        h.emulator.calls("GET", "/identity/v2/manage/account/{uid}"),
        1
    );
    let stats = h
        .send(
            h.http
                .get(format!("{}/emulator/stats", h.emulator.base_url())),
        )
        .await
        .ok();
    assert_eq!(
        stats["endpoints"]["GET /identity/v2/auth/access_token/validate"],
        3
    );
    assert_eq!(stats["endpoints"]["GET (unknown)"], 1);
    assert_eq!(stats["total"], 6);
    h.send(
        h.http
            .delete(format!("{}/emulator/stats", h.emulator.base_url())),
    )
    .await
    .ok();
    assert!(h.emulator.stats().is_empty());
}

#[tokio::test]
async fn coverage_lists_the_catalog_and_unsupported_endpoints_say_so() {
    let h = Harness::default().await;
    let coverage = h
        .send(
            h.http
                .get(format!("{}/emulator/coverage", h.emulator.base_url())),
        )
        .await
        .ok();
    assert_eq!(coverage["catalog_endpoints"], 184);
    let implemented = coverage["implemented_count"].as_u64().unwrap();
    let not_implemented = coverage["not_implemented_count"].as_u64().unwrap();
    assert_eq!(implemented + not_implemented, 184);
    // What the adapters and the demo use.
    let lib = h.emulator.coverage();
    for (m, p) in [
        ("POST", "/identity/v2/auth/login"),
        ("POST", "/identity/v2/auth/register"),
        ("GET", "/identity/v2/auth/account"),
        ("PUT", "/identity/v2/auth/account"),
        ("GET", "/identity/v2/auth/access_token/validate"),
        ("GET", "/identity/v2/auth/access_token/invalidate"),
        ("GET", "/identity/v2/auth/email"),
        ("PUT", "/identity/v2/auth/register"),
        ("POST", "/identity/v2/auth/password"),
        ("PUT", "/identity/v2/auth/password/reset"),
        ("PUT", "/identity/v2/auth/password/change"),
        ("GET", "/identity/v2/auth/login/passwordlesslogin/email"),
        (
            "GET",
            "/identity/v2/auth/login/passwordlesslogin/email/verify",
        ),
        ("POST", "/identity/v2/auth/login/2fa"),
        (
            "PUT",
            "/identity/v2/auth/login/2fa/verification/authenticatorcode",
        ),
        ("GET", "/identity/v2/auth/account/2fa"),
        (
            "PUT",
            "/identity/v2/auth/account/2fa/verification/authenticatorcode",
        ),
        ("DELETE", "/identity/v2/auth/account/2fa/authenticator"),
        ("DELETE", "/identity/v2/manage/account/2fa/authenticator"),
        ("PUT", "/identity/v2/manage/account/{uid}/password"),
        ("GET", "/identity/v2/manage/role"),
        ("GET", "/identity/v2/manage/account/{uid}/role"),
        ("GET", "/identity/v2/manage/account/{uid}/rolecontext"),
        ("GET", "/identity/v2/auth/customobject"),
        ("POST", "/identity/v2/auth/customobject"),
        ("GET", "/identity/v2/manage/account/sott"),
        ("GET", "/identity/v2/serverinfo"),
        ("GET", "/ciam/appinfo"),
    ] {
        assert!(lib.is_implemented(m, p), "{m} {p} should be implemented");
    }
    // Every catalog endpoint is implemented: none answers "not supported".
    assert_eq!(implemented, 184, "{coverage}");
    assert_eq!(coverage["not_implemented"], serde_json::json!([]));
    assert_eq!(lib.implemented_count, 184);
    let answer = h.get("/api/v2/access_token/wechat?code=abc").await;
    assert_ne!(answer.status, 501);
    answer.error(1000, 403);
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_the_envelope() {
    let h = Harness::default().await;
    h.get("/identity/v2/nothing/here").await.error(971, 404);
    h.send(h.req(Method::PATCH, "/identity/v2/auth/account"))
        .await
        .error(971, 405);
    let a = h
        .send(
            h.http
                .put(format!("{}/emulator/stats", h.emulator.base_url())),
        )
        .await;
    a.error(971, 405);
}

#[tokio::test]
async fn paths_query_names_and_body_keys_are_case_insensitive() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "ci@example.com")).await;
    let base = h.emulator.base_url();
    let key = h.emulator.api_key();
    let login = h
        .send(
            h.http
                .post(format!("{base}/IDENTITY/V2/AUTH/LOGIN?APIKEY={key}"))
                .body(json!({ "EMAIL": "ci@example.com", "PassWord": PASSWORD }).to_string()),
        )
        .await
        .ok();
    let token = login["access_token"].as_str().unwrap();
    let profile = h
        .send(h.http.get(format!(
            "{base}/identity/v2/Auth/Account?apiKey={key}&Access_Token={token}"
        )))
        .await
        .ok();
    assert_eq!(profile["Email"][0]["Value"], "ci@example.com");
    let a = h
        .send(
            h.http
                .get(format!(
                    "{base}/identity/v2/auth/access_token/InValidate/?ApiKey={key}"
                ))
                .bearer_auth(token),
        )
        .await;
    assert_eq!(a.ok(), json!({ "IsPosted": true }));
}

#[tokio::test]
async fn site_configuration_and_server_info() {
    let h =
        Harness::start(EmulatorConfig::default().with_mfa(loginradius_emulator::MfaMode::Required))
            .await;
    let info = h.get("/ciam/appinfo").await.ok();
    assert_eq!(info["TwoFactorAuthentication"]["IsRequired"], true);
    assert_eq!(info["EmailVerificationFlow"], "required");
    let server = h
        .get("/identity/v2/serverinfo?timedifference=20")
        .await
        .ok();
    assert_eq!(server["Sott"]["TimeDifference"], "20 Minutes");
    let start =
        loginradius::wire::sott::parse_window_time(server["Sott"]["StartTime"].as_str().unwrap())
            .unwrap();
    let end =
        loginradius::wire::sott::parse_window_time(server["Sott"]["EndTime"].as_str().unwrap())
            .unwrap();
    assert_eq!(end - start, time::Duration::minutes(20));
}

#[tokio::test]
async fn concurrent_requests_are_safe() {
    let h = Harness::start(EmulatorConfig::default().with_role("r", ["p"])).await;
    let uid = h.create_user("conc@example.com").await;
    let path = format!("/identity/v2/manage/account/{uid}/customobject?objectname=n");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let http = h.http.clone();
        let url = h.url(&path);
        let secret = h.emulator.api_secret().to_owned();
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .header("X-LoginRadius-ApiSecret", secret)
                .body(json!({ "i": i }).to_string())
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 200);
    }
    let list = h.manage(Method::GET, &path, None).await.ok();
    assert_eq!(list["Count"], 40);
}
