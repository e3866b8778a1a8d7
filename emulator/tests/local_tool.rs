//! The emulator is safe to leave running on a developer's machine: a web page cannot change its
//! state, and the links it emails point where its configuration says, never where a request's
//! `Host` header or an unknown caller's URL says. Each attack is replayed over real HTTP.

mod common;

use common::{Harness, PASSWORD, with_user};
use loginradius_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::{Value, json};

/// Asks for a reset link for the seeded user and returns the link the emulator emailed.
async fn reset_link(h: &Harness, path: &str) -> String {
    h.json(Method::POST, path, &json!({ "email": "seed@example.com" }))
        .await
        .ok();
    h.emulator
        .last_message_to("seed@example.com")
        .and_then(|m| m.link)
        .expect("a reset link")
}

async fn faults(h: &Harness) -> Value {
    h.send(
        h.http
            .get(format!("{}/emulator/faults", h.emulator.base_url())),
    )
    .await
    .ok()["faults"]
        .clone()
}

#[tokio::test]
async fn a_page_from_another_local_origin_cannot_store_a_fault() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "seed@example.com")).await;
    let url = format!("{}/emulator/faults", h.emulator.base_url());
    let fault = json!({ "path": "/identity/v2/auth/login", "status": 500 }).to_string();

    // What Chromium sends for fetch(url, {mode: "no-cors", method: "POST", body}) from a page on
    // http://127.0.0.1:5000.
    let no_cors = h
        .send(
            h.http
                .post(&url)
                .header("origin", "http://127.0.0.1:5000")
                .header("sec-fetch-site", "same-site")
                .header("sec-fetch-mode", "no-cors")
                .header("content-type", "text/plain;charset=UTF-8")
                .body(fault.clone()),
        )
        .await;
    no_cors.error(loginradius::codes::INVALID_REQUEST, 403);
    assert!(
        no_cors.body["Description"]
            .as_str()
            .is_some_and(|d| d.contains("another site or origin")),
        "{}",
        no_cors.text
    );

    // The same from a browser without fetch metadata, and a JSON body from another origin.
    for origin in ["http://localhost:5000", "null"] {
        let answer = h
            .send(
                h.http
                    .post(&url)
                    .header("origin", origin)
                    .header("content-type", "application/json")
                    .body(fault.clone()),
            )
            .await;
        assert_eq!(answer.status, 403, "{origin}: {}", answer.text);
    }
    // A form post (what an HTML <form> can send without CORS) is not JSON.
    let form = h
        .send(
            h.http
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("path=/identity/v2/auth/login&status=500"),
        )
        .await;
    assert_eq!(form.status, 415, "{}", form.text);
    // Nor can a page move the clock or clear the outbox.
    let clock = h
        .send(
            h.http
                .post(format!("{}/emulator/clock", h.emulator.base_url()))
                .header("sec-fetch-site", "cross-site")
                .header("content-type", "text/plain")
                .body(r#"{"advance_seconds": 99999}"#),
        )
        .await;
    assert_eq!(clock.status, 403);

    assert_eq!(faults(&h).await, json!([]), "nothing was stored");
    h.login("seed@example.com", PASSWORD).await.ok();

    // A tool posting JSON still can.
    h.send(
        h.http
            .post(&url)
            .header("content-type", "application/json")
            .body(fault),
    )
    .await
    .ok();
    assert_eq!(faults(&h).await.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn emailed_links_start_at_the_configured_origin_whatever_the_host_header_says() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "seed@example.com")).await;
    h.send(
        h.req(Method::POST, "/identity/v2/auth/password")
            .header("host", "evil.example")
            .header("content-type", "application/json")
            .body(json!({ "email": "seed@example.com" }).to_string()),
    )
    .await
    .ok();
    let link = h
        .emulator
        .last_message_to("seed@example.com")
        .and_then(|m| m.link)
        .expect("a reset link");
    assert!(
        link.starts_with(&format!("{}/", h.emulator.base_url())),
        "{link}"
    );

    let configured = Harness::start(
        with_user(EmulatorConfig::default(), "seed@example.com")
            .with_public_url("https://emulator.test:8443/"),
    )
    .await;
    let link = reset_link(&configured, "/identity/v2/auth/password").await;
    assert!(link.starts_with("https://emulator.test:8443/"), "{link}");
}

#[tokio::test]
async fn a_callers_link_base_must_be_on_loopback_or_an_allowed_origin() {
    let h = Harness::start(
        with_user(EmulatorConfig::default(), "seed@example.com")
            .with_allowed_link_origin("https://app.example.com"),
    )
    .await;
    let forgot = |url: &str| {
        format!(
            "/identity/v2/auth/password?resetpasswordurl={}",
            url.replace(':', "%3A").replace('/', "%2F")
        )
    };
    for refused in [
        "https://evil.example/reset",
        "https://app.example.com.evil.example/reset",
        "javascript:alert(1)",
    ] {
        h.json(
            Method::POST,
            &forgot(refused),
            &json!({ "email": "seed@example.com" }),
        )
        .await
        .error(1249, 403);
    }
    assert!(h.emulator.outbox().is_empty(), "no link was sent");

    for allowed in [
        "https://app.example.com/reset",
        "http://127.0.0.1:5000/reset",
    ] {
        let link = reset_link(&h, &forgot(allowed)).await;
        assert!(link.starts_with(allowed), "{link}");
    }
}
