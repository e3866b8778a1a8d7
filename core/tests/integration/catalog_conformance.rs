//! Every method of the reference SDK's catalog (`spec/loginradius-api.json`) is called
//! through our client and a recording transport, and the request is checked against the catalog:
//! HTTP method, path, every query name, body presence and fields, and where each credential went.
//! Run with `cargo test -p loginradius --test integration catalog_conformance -- --nocapture` to
//! see the coverage line. Set `UPDATE_MIGRATION=1` to regenerate `core/MIGRATION.md`.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{self, Case};
use crate::support::{API_KEY, API_SECRET, client_with_signing, spec_json};
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::Value;

fn catalog() -> Vec<Value> {
    spec_json("loginradius-api.json")["endpoints"]
        .as_array()
        .expect("endpoints")
        .clone()
}

async fn record(case: &Case, signing: bool) -> Result<RecordedRequest, String> {
    let transport = RecordingTransport::new();
    (case.run)(client_with_signing(&transport, signing)).await;
    let requests = transport.requests();
    match requests.as_slice() {
        [one] => Ok(one.clone()),
        other => Err(format!("expected exactly one request, saw {}", other.len())),
    }
}

fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// Checks one recorded request against its catalog entry; returns every mismatch.
fn check(entry: &Value, request: &RecordedRequest, signing: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let method = entry["http_method"].as_str().unwrap_or_default();
    if request.method.as_str() != method {
        problems.push(format!("method {} != {method}", request.method));
    }
    let template = entry["path"].as_str().unwrap_or_default();
    if !path_matches(template, request.path()) {
        problems.push(format!("path {} does not match {template}", request.path()));
    }
    let host_ok = match entry["host"].as_str() {
        Some("config") => request.url.starts_with("https://config.lrcontent.com/"),
        _ => request.url.starts_with("https://api.loginradius.com/"),
    };
    if !host_ok {
        problems.push(format!("wrong host for {}", entry["host"]));
    }

    let sent: BTreeMap<String, String> = request.query().into_iter().collect();
    let mut expected: BTreeSet<String> = BTreeSet::new();
    let signed = entry["request_signing"].as_bool() == Some(true);
    for q in entry["query"].as_array().into_iter().flatten() {
        let name = q["name"].as_str().unwrap_or_default().to_owned();
        let sent_as = q["sent_as"].as_str().unwrap_or_default();
        match q["special"].as_str() {
            Some("apiKey") => {
                expected.insert(name.clone());
                if sent.get(&name).map(String::as_str) != Some(API_KEY) {
                    problems.push(format!("API key not in query as {name}"));
                }
            }
            Some("apiSecret") if sent_as.starts_with("query") => {
                expected.insert(name.clone());
                if sent.get(&name).map(String::as_str) != Some(API_SECRET) {
                    problems.push(format!("API secret not in query as {name}"));
                }
            }
            Some("apiSecret") => {
                let header = request.header("x-loginradius-apisecret");
                if signing && signed {
                    if header.is_some()
                        || request.header("digest").is_none()
                        || request.header("x-request-expires").is_none()
                    {
                        problems.push("signed call must carry digest + X-Request-Expires and no secret header".into());
                    }
                } else if header != Some(API_SECRET) {
                    problems.push("API secret header missing".into());
                }
            }
            Some("access_token") if sent_as.starts_with("query") => {
                expected.insert(name.clone());
                if sent.get(&name).map(String::as_str) != Some(catalog::TOKEN) {
                    problems.push("access token not in query".into());
                }
            }
            Some("access_token") => {
                if request.header("authorization") != Some(&format!("Bearer {}", catalog::TOKEN)) {
                    problems.push("Bearer token header missing".into());
                }
            }
            Some("sott") => {
                if request.header("x-loginradius-sott") != Some(catalog::SOTT) {
                    problems.push("SOTT header missing".into());
                }
            }
            _ => {
                expected.insert(name);
            }
        }
    }
    let sent_names: BTreeSet<String> = sent.keys().cloned().collect();
    for missing in expected.difference(&sent_names) {
        problems.push(format!("query `{missing}` not sent"));
    }
    for extra in sent_names.difference(&expected) {
        problems.push(format!("query `{extra}` is not in the catalog"));
    }
    for secret_leak in ["x-loginradius-apisecret", "digest"] {
        if request.header(secret_leak).is_some() && !signed {
            problems.push(format!(
                "{secret_leak} sent on an endpoint that does not take the secret header"
            ));
        }
    }
    if request.header("authorization").is_some()
        && !entry["query"].as_array().into_iter().flatten().any(|q| {
            q["special"] == "access_token"
                && q["sent_as"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("header"))
        })
    {
        problems.push("Authorization header on an endpoint without a bearer token".into());
    }

    let body_kind = entry["body"]["kind"].as_str().unwrap_or_default();
    if method == "GET" {
        if !request.body.is_empty() {
            problems.push("GET with a body".into());
        }
    } else {
        match request.json() {
            None => problems.push("non-GET body is not JSON".into()),
            Some(body) => match body_kind {
                "none" if body != serde_json::json!({}) => {
                    problems.push(format!("body should be {{}}, is {body}"))
                }
                "model" if body.as_object().is_some_and(|o| o.is_empty()) && body.is_object() => {
                    problems.push("model body is empty".into())
                }
                "object" => {
                    let keys: BTreeSet<String> = body
                        .as_object()
                        .map(|o| o.keys().map(|k| k.to_lowercase()).collect())
                        .unwrap_or_default();
                    for field in entry["body"]["fields"].as_array().into_iter().flatten() {
                        let key = field["key"].as_str().unwrap_or_default().to_lowercase();
                        if !keys.contains(&key) {
                            problems.push(format!("body field `{key}` missing"));
                        }
                    }
                }
                _ => {}
            },
        }
    }
    problems
}

#[tokio::test]
async fn every_catalog_method_is_covered_and_sends_what_the_catalog_says() {
    let entries = catalog();
    let cases = catalog::all();
    let mut by_key: BTreeMap<(&str, &str), &Case> = BTreeMap::new();
    for case in &cases {
        assert!(
            by_key.insert((case.group, case.python), case).is_none(),
            "duplicate mapping {}::{}",
            case.group,
            case.python
        );
    }
    let mut failures = Vec::new();
    let mut covered = 0;
    for entry in &entries {
        let group = entry["group"].as_str().unwrap_or_default();
        let python = entry["python_method"].as_str().unwrap_or_default();
        let Some(case) = by_key.remove(&(group, python)) else {
            failures.push(format!("{group}::{python}: no mapping"));
            continue;
        };
        let mut problems = Vec::new();
        for signing in [false, true] {
            match record(case, signing).await {
                Ok(request) => problems.extend(
                    check(entry, &request, signing)
                        .into_iter()
                        .map(|p| format!("[signing={signing}] {p}")),
                ),
                Err(e) => problems.push(e),
            }
        }
        if problems.is_empty() {
            covered += 1;
        } else {
            failures.push(format!(
                "{group}::{python} ({}): {}",
                case.rust,
                problems.join("; ")
            ));
        }
    }
    for ((group, python), _) in by_key {
        failures.push(format!("{group}::{python}: mapped but not in the catalog"));
    }
    println!("catalog coverage: {covered}/{}", entries.len());
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn migration_table_is_up_to_date() {
    let entries = catalog();
    let cases = catalog::all();
    let mut out = String::from(
        "# Migrating from the official Python and Node SDKs\n\n\
         Generated by `core/tests/integration/catalog_conformance.rs` from the API catalog; regenerate with\n\
         `UPDATE_MIGRATION=1 cargo test -p loginradius --test integration catalog_conformance`.\n\n\
         `client` is a `loginradius::LoginRadius`. Optional arguments of the SDK method are setters on the\n\
         returned builder (`.fields(\"Uid\")`), then `.await`.\n\n\
         | Python SDK | Node SDK | HTTP | Rust |\n|---|---|---|---|\n",
    );
    for entry in &entries {
        let group = entry["group"].as_str().unwrap_or_default();
        let python = entry["python_method"].as_str().unwrap_or_default();
        let rust = cases
            .iter()
            .find(|c| c.group == group && c.python == python)
            .map_or("(not mapped)".to_owned(), |c| format!("`{}`", c.rust));
        out.push_str(&format!(
            "| `{}.{}` | `{}.{}` | `{} {}` | {} |\n",
            entry["python_attribute"].as_str().unwrap_or_default(),
            python,
            entry["node_group"].as_str().unwrap_or_default(),
            entry["node_method"].as_str().unwrap_or_default(),
            entry["http_method"].as_str().unwrap_or_default(),
            entry["path"].as_str().unwrap_or_default(),
            rust
        ));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("MIGRATION.md");
    if std::env::var_os("UPDATE_MIGRATION").is_some() {
        std::fs::write(&path, &out).expect("write MIGRATION.md");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == out,
        "core/MIGRATION.md is stale: run UPDATE_MIGRATION=1 cargo test -p loginradius --test integration catalog_conformance"
    );
}
