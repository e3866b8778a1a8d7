//! The emulator's own endpoints under `/emulator`: outbox (JSON and an HTML page that also
//! lists users and roles), faults, stats, coverage, a clock for tests, a reset, and the QR-code
//! images referenced by MFA challenges.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use loginradius::codes;

use crate::errors::{ApiError, json_response};
use crate::faults::Fault;
use crate::state::AppState;

type Shared = State<Arc<AppState>>;

pub(crate) async fn outbox(State(state): Shared) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "messages": state.outbox.list(), "webhooks": state.deliveries.log.list() }),
    )
}

pub(crate) async fn clear_outbox(State(state): Shared) -> Response {
    state.outbox.clear();
    state.deliveries.log.clear();
    json_response(StatusCode::OK, &json!({ "IsDeleted": true }))
}

pub(crate) async fn list_faults(State(state): Shared) -> Response {
    json_response(StatusCode::OK, &json!({ "faults": state.faults.list() }))
}

pub(crate) async fn add_fault(State(state): Shared, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => {
            return ApiError::new(codes::INVALID_POST_BODY)
                .with_description(format!("Invalid fault: {e}"))
                .into_response();
        }
    };
    match state.faults.add(fault.clone()) {
        Ok(()) => json_response(StatusCode::OK, &json!({ "IsPosted": true, "Fault": fault })),
        Err(reason) => ApiError::new(codes::INVALID_POST_BODY)
            .with_description(format!("Invalid fault: {reason}"))
            .into_response(),
    }
}

pub(crate) async fn clear_faults(State(state): Shared) -> Response {
    state.faults.clear();
    json_response(StatusCode::OK, &json!({ "IsDeleted": true }))
}

pub(crate) async fn stats(State(state): Shared) -> Response {
    let endpoints = state.stats.snapshot();
    let total: u64 = endpoints.values().sum();
    json_response(
        StatusCode::OK,
        &json!({ "total": total, "endpoints": endpoints }),
    )
}

pub(crate) async fn reset_stats(State(state): Shared) -> Response {
    state.stats.reset();
    json_response(StatusCode::OK, &json!({ "IsDeleted": true }))
}

pub(crate) async fn coverage() -> Response {
    json_response(StatusCode::OK, &json!(crate::coverage::report()))
}

#[derive(Deserialize)]
pub(crate) struct ClockBody {
    advance_seconds: u64,
}

/// `POST /emulator/clock {"advance_seconds": n}` moves the emulator's clock forward (token,
/// link, challenge and SOTT expiry all follow it; TOTP codes too).
pub(crate) async fn advance_clock(State(state): Shared, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockBody>(&body) {
        Ok(b) => {
            state.advance_clock(std::time::Duration::from_secs(
                b.advance_seconds.min(10 * 365 * 86_400),
            ));
            json_response(
                StatusCode::OK,
                &json!({ "IsPosted": true, "Now": crate::times::iso(state.now()) }),
            )
        }
        Err(e) => ApiError::new(codes::INVALID_POST_BODY)
            .with_description(format!("Invalid body: {e}"))
            .into_response(),
    }
}

/// `POST /emulator/reset`: back to the state after start (seeds and imports; empty outbox, no
/// faults, zeroed counters, the clock not moved).
pub(crate) async fn reset(State(state): Shared) -> Response {
    state.reset();
    json_response(
        StatusCode::OK,
        &json!({ "IsPosted": true, "Now": crate::times::iso(state.now()) }),
    )
}

/// `GET /emulator/qr?chl=<text>`: the text as a QR code (SVG), like the chart URL LoginRadius
/// puts in `QRCode`, served locally so that the secret never leaves the machine.
pub(crate) async fn qr(uri: Uri) -> Response {
    let text = crate::request::Query::parse(uri.query())
        .get("chl")
        .unwrap_or_default()
        .to_owned();
    if text.is_empty() || text.len() > 2000 {
        return ApiError::new(codes::INVALID_PARAMETER_FORMAT)
            .with_description("chl must be 1 to 2000 characters")
            .into_response();
    }
    match loginradius::web::qr_svg(&text) {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        None => ApiError::new(codes::INVALID_PARAMETER_FORMAT)
            .with_description("chl cannot be encoded")
            .into_response(),
    }
}

/// Escapes text for HTML element content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

fn link_cell(link: Option<&str>) -> String {
    match link {
        // Only http(s) links are clickable: a `javascript:` URL supplied as a verification URL
        // must not run in the page.
        Some(l) if l.starts_with("http://") || l.starts_with("https://") => {
            format!("<a href=\"{0}\">{0}</a>", escape(l))
        }
        Some(l) => escape(l),
        None => String::new(),
    }
}

/// The outbox rows of the page, newest first.
fn outbox_rows(state: &AppState) -> String {
    let mut rows = String::new();
    for m in state.outbox.list().iter().rev() {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
            escape(&m.sent_at),
            escape(&m.kind),
            escape(&m.to),
            escape(m.token.as_deref().unwrap_or("")),
            escape(m.otp.as_deref().unwrap_or("")),
            link_cell(m.link.as_deref()),
        ));
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"6\">No messages yet.</td></tr>");
    }
    rows
}

/// The webhook delivery rows of the page, newest first.
fn delivery_rows(state: &AppState) -> String {
    let mut rows = String::new();
    for d in state.deliveries.log.list().iter().rev() {
        let status = d.status.map(|s| s.to_string()).unwrap_or_default();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&d.time),
            escape(&d.event),
            escape(&d.uid),
            escape(&d.url),
            escape(&d.outcome),
            escape(&status),
            escape(d.error.as_deref().unwrap_or("")),
        ));
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"7\">No webhook deliveries yet.</td></tr>");
    }
    rows
}

fn yes_no(on: bool) -> &'static str {
    if on { "yes" } else { "no" }
}

/// The user and role rows of the page, by uid and by name.
fn user_and_role_rows(state: &AppState) -> (String, String) {
    let store = state.store();
    let mut users = String::new();
    for user in store.users.values() {
        users.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&user.uid),
            escape(user.primary_email().unwrap_or("")),
            yes_no(user.email_verified),
            escape(&user.roles.join(", ")),
            yes_no(user.authenticator_enabled()),
        ));
    }
    if users.is_empty() {
        users.push_str("<tr><td colspan=\"5\">No users yet.</td></tr>");
    }
    let mut roles = String::new();
    for (name, permissions) in &store.roles {
        let granted: Vec<&str> = permissions
            .iter()
            .filter(|(_, on)| **on)
            .map(|(p, _)| p.as_str())
            .collect();
        roles.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            escape(name),
            escape(&granted.join(", ")),
        ));
    }
    if roles.is_empty() {
        roles.push_str("<tr><td colspan=\"2\">No roles yet.</td></tr>");
    }
    (users, roles)
}

/// `GET /emulator`: the outbox, the users and the roles, as a page a person can click through.
pub(crate) async fn page(State(state): Shared) -> Response {
    let outbox = outbox_rows(&state);
    let webhooks = delivery_rows(&state);
    let (users, roles) = user_and_role_rows(&state);
    let config = &state.config;
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>LoginRadius emulator</title>\
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}.warn{{color:#a00;font-weight:bold}}</style></head>\
<body><h1>LoginRadius emulator</h1><p class=\"warn\">Not for production: in-memory state, fake credentials.</p>\
<p>API key <code>{}</code> · email verification {} · MFA {} · token TTL {} s</p>\
<h2>Outbox</h2><table><thead><tr><th>Sent</th><th>Type</th><th>To</th><th>Token</th><th>OTP</th><th>Link</th></tr></thead><tbody>\n{}</tbody></table>\
<h2>Webhook deliveries</h2><table><thead><tr><th>Time</th><th>Event</th><th>Uid</th><th>URL</th><th>Outcome</th><th>Status</th><th>Error</th></tr></thead><tbody>\n{}</tbody></table>\
<h2>Users</h2><table><thead><tr><th>Uid</th><th>Email</th><th>Verified</th><th>Roles</th><th>MFA</th></tr></thead><tbody>\n{}</tbody></table>\
<h2>Roles</h2><table><thead><tr><th>Role</th><th>Permissions</th></tr></thead><tbody>\n{}</tbody></table>\
<p>JSON: <a href=\"/emulator/outbox\">/emulator/outbox</a> · <a href=\"/emulator/stats\">/emulator/stats</a> · <a href=\"/emulator/coverage\">/emulator/coverage</a></p></body></html>\n",
        escape(&config.api_key),
        config.email_verification,
        config.mfa,
        config.token_ttl.as_secs(),
        outbox,
        webhooks,
        users,
        roles
    );
    Html(html).into_response()
}

/// Any other method on an `/emulator` path.
pub(crate) async fn method_not_allowed() -> Response {
    ApiError::new(codes::INVALID_REQUEST)
        .with_status(StatusCode::METHOD_NOT_ALLOWED)
        .with_description("This method is not allowed on this emulator endpoint.")
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_links() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert!(!link_cell(Some("javascript:alert(1)")).contains("<a"));
        assert!(
            link_cell(Some("http://x/?a=1&b=\"2\""))
                .contains("href=\"http://x/?a=1&amp;b=&quot;2&quot;\"")
        );
    }

    #[tokio::test]
    async fn qr_serves_an_svg_of_the_text() {
        let response = qr(Uri::from_static(
            "/emulator/qr?chl=otpauth%3A%2F%2Ftotp%2Fa%40b.c%3Fsecret%3DABC%26issuer%3Dx",
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "image/svg+xml");
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let svg = String::from_utf8(body.to_vec()).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<path"));
        assert_eq!(
            Some(svg),
            loginradius::web::qr_svg("otpauth://totp/a@b.c?secret=ABC&issuer=x")
        );
        let empty = qr(Uri::from_static("/emulator/qr?chl=")).await;
        assert_eq!(
            empty.status(),
            StatusCode::FORBIDDEN,
            "LoginRadius answers 908 with 403"
        );
    }
}
