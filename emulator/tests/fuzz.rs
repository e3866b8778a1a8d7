//! Fuzz-style robustness: thousands of generated requests (garbage and near-valid paths, query
//! strings, headers and bodies) must each get a well-formed HTTP answer (a LoginRadius envelope
//! for every error, never a 500), and the server must keep answering afterwards, also after raw
//! garbage on the TCP socket. Bounded in count and time; loopback only.

mod common;

use std::time::Duration;

use common::{Harness, PASSWORD, with_user};
use loginradius_emulator::{EmulatorConfig, MfaMode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
const KEYS: &[&str] = &[
    "email",
    "Email",
    "password",
    "username",
    "phone",
    "roles",
    "permissions",
    "rolecontext",
    "context",
    "expiration",
    "authenticatorcode",
    "backupcode",
    "authenticator",
    "resettoken",
    "oldpassword",
    "newpassword",
    "FirstName",
    "CustomFields",
    "IsActive",
    "EmailVerified",
    "access_token",
    "additionalpermissions",
    "name",
    "Value",
    "Type",
    "UserName",
    "PhoneId",
];
const QUERY: &[&str] = &[
    "apikey",
    "verificationtoken",
    "email",
    "username",
    "uid",
    "objectname",
    "updatetype",
    "secondfactorauthenticationtoken",
    "refresh_token",
    "fields",
    "timedifference",
    "deletetoken",
    "access_token",
    "nullsupport",
    "verificationurl",
    "chl",
    "preventRefresh",
];

fn garbage(rng: &mut StdRng, max: usize) -> String {
    let len = rng.random_range(0..max);
    (0..len)
        .map(|_| match rng.random_range(0..10) {
            0 => char::from_u32(rng.random_range(0x80..0x2FFF)).unwrap_or('?'),
            1 => [
                '%', '/', '?', '&', '=', '#', '{', '}', '"', '\\', '.', '*', '+',
            ][rng.random_range(0..13)],
            _ => char::from(rng.random_range(b' '..=b'~')),
        })
        .collect()
}

fn random_value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.random_range(0..if depth > 2 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.random::<bool>()),
        2 => json!(rng.random::<i64>()),
        3 => json!(rng.random::<f64>()),
        4 => json!(garbage(rng, 30)),
        5 | 6 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => random_object(rng, depth + 1),
    }
}

fn random_object(rng: &mut StdRng, depth: u32) -> Value {
    let mut map = serde_json::Map::new();
    for _ in 0..rng.random_range(0..6) {
        let key = if rng.random_bool(0.8) {
            KEYS[rng.random_range(0..KEYS.len())].to_owned()
        } else {
            garbage(rng, 12)
        };
        map.insert(key, random_value(rng, depth));
    }
    Value::Object(map)
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A method and a path: mostly a catalog endpoint with its own method, sometimes garbage.
fn random_target(rng: &mut StdRng, uid: &str) -> (String, String) {
    let catalog = loginradius_emulator::catalog::CATALOG;
    let any_method = |rng: &mut StdRng| METHODS[rng.random_range(0..METHODS.len())].to_owned();
    match rng.random_range(0..10) {
        0 => (any_method(rng), format!("/{}", encode(&garbage(rng, 40)))),
        1 => (
            any_method(rng),
            format!(
                "/emulator/{}",
                ["outbox", "stats", "faults", "coverage", "qr", "clock", ""]
                    [rng.random_range(0..7)]
            ),
        ),
        _ => {
            let (method, template) = catalog[rng.random_range(0..catalog.len())];
            let method = if rng.random_bool(0.9) {
                method.to_owned()
            } else {
                any_method(rng)
            };
            let mut path = String::new();
            for segment in template.split('/').filter(|s| !s.is_empty()) {
                path.push('/');
                if segment.starts_with('{') {
                    path.push_str(&match rng.random_range(0..4) {
                        0 => uid.to_owned(),
                        1 => "admin".to_owned(),
                        _ => encode(&garbage(rng, 20)),
                    });
                } else if rng.random_bool(0.3) {
                    path.push_str(&segment.to_ascii_uppercase());
                } else {
                    path.push_str(segment);
                }
            }
            if rng.random_bool(0.1) {
                path.push('/');
            }
            (method, path)
        }
    }
}

#[tokio::test]
async fn generated_requests_always_get_well_formed_answers() {
    let h = Harness::start(
        with_user(
            EmulatorConfig::default().with_mfa(MfaMode::Optional),
            "fuzz@example.com",
        )
        .with_role("admin", ["all"]),
    )
    .await;
    let token = h.token("fuzz@example.com").await;
    let uid = h
        .bearer(
            reqwest::Method::GET,
            "/identity/v2/auth/account",
            &token,
            None,
        )
        .await
        .ok()["Uid"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut rng = StdRng::seed_from_u64(0x1061_4ad1_u64);
    let base = h.emulator.base_url().to_owned();
    let started = std::time::Instant::now();
    let mut codes = std::collections::BTreeMap::<i64, u32>::new();
    let mut successes = 0u32;

    for i in 0..1500 {
        if started.elapsed() > Duration::from_secs(120) {
            break;
        }
        let (method, path) = random_target(&mut rng, &uid);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut query = Vec::new();
        if rng.random_bool(0.8) {
            query.push(format!("apikey={}", encode(h.emulator.api_key())));
        }
        for _ in 0..rng.random_range(0..4) {
            let name = if rng.random_bool(0.8) {
                QUERY[rng.random_range(0..QUERY.len())].to_owned()
            } else {
                garbage(&mut rng, 10)
            };
            let value = match rng.random_range(0..4) {
                0 => uid.clone(),
                1 => token.clone(),
                _ => garbage(&mut rng, 30),
            };
            query.push(format!("{}={}", encode(&name), encode(&value)));
        }
        let url = format!("{base}{path}?{}", query.join("&"));
        let mut req = client.request(method.clone(), &url);
        if rng.random_bool(0.5) {
            req = req.header("X-LoginRadius-ApiSecret", h.emulator.api_secret());
        }
        if rng.random_bool(0.4) {
            let t = if rng.random_bool(0.6) {
                token.clone()
            } else {
                garbage(&mut rng, 40).replace(|c: char| !c.is_ascii_graphic(), "x")
            };
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        if rng.random_bool(0.1) {
            req = req.header(
                "X-LoginRadius-Sott",
                format!(
                    "{}*{}",
                    garbage(&mut rng, 30).replace(|c: char| !c.is_ascii_graphic(), "A"),
                    "0".repeat(32)
                ),
            );
        }
        if rng.random_bool(0.1) {
            req = req.header("digest", "SHA-256=AAAA").header(
                "X-Request-Expires",
                ["2099-1-1 0:0:0", "garbage", "2000-01-01 00:00:00"][rng.random_range(0..3)],
            );
        }
        if rng.random_bool(0.7) {
            let body = match rng.random_range(0..4) {
                0 => garbage(&mut rng, 200),
                _ => random_object(&mut rng, 0).to_string(),
            };
            req = req.body(body);
        }
        let response = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("request {i} {method} {url}: no answer: {e}"));
        let status = response.status().as_u16();
        let is_admin = path.starts_with("/emulator");
        let head = method == reqwest::Method::HEAD;
        let text = response.text().await.unwrap_or_default();
        assert!(status != 500, "request {i} {method} {url}: 500 {text}");
        if status >= 400 && !head {
            let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
                panic!("request {i} {method} {url}: non-JSON error {status}: {text}")
            });
            assert!(
                body["ErrorCode"].is_number(),
                "request {i} {method} {url}: no ErrorCode: {text}"
            );
            assert!(body["Description"].is_string() && body["Message"].is_string());
            *codes
                .entry(body["ErrorCode"].as_i64().unwrap_or(0))
                .or_default() += 1;
        } else if status == 200 && !is_admin && !head {
            assert!(
                serde_json::from_str::<Value>(&text).is_ok(),
                "request {i} {method} {url}: non-JSON 200: {text}"
            );
            successes += 1;
        }
    }
    // The generator reaches the handlers, not only the credential checks.
    eprintln!("fuzz: {successes} successes, error codes {codes:?}");
    assert!(successes >= 10, "only {successes} successful requests");
    assert!(
        codes.len() >= 15,
        "only {} distinct error codes: {codes:?}",
        codes.len()
    );
    // Still serving.
    h.get("/identity/v2/serverinfo").await.ok();
    h.login("fuzz@example.com", PASSWORD).await;
}

#[tokio::test]
async fn raw_socket_garbage_does_not_stop_the_server() {
    let h = Harness::default().await;
    let addr = h.emulator.local_addr();
    let mut rng = StdRng::seed_from_u64(7);
    let samples: Vec<Vec<u8>> = vec![
        b"\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET /identity/v2/serverinfo HTTP/1.1\r\nHost: \xff\xfe\r\n\r\n".to_vec(),
        b"POST /identity/v2/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{".to_vec(),
        b"POST /identity/v2/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n".to_vec(),
        format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(20_000)).into_bytes(),
        format!("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000)).into_bytes(),
    ];
    let random: Vec<Vec<u8>> = (0..30)
        .map(|_| {
            (0..rng.random_range(1..400))
                .map(|_| rng.random())
                .collect()
        })
        .collect();
    for bytes in samples.into_iter().chain(random) {
        let Ok(Ok(mut stream)) =
            tokio::time::timeout(Duration::from_secs(2), tokio::net::TcpStream::connect(addr))
                .await
        else {
            panic!("cannot connect");
        };
        let _ = stream.write_all(&bytes).await;
        let _ = stream.shutdown().await;
        let mut sink = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut sink)).await;
        if !sink.is_empty() {
            assert!(
                sink.starts_with(b"HTTP/1."),
                "answer is HTTP: {:?}",
                String::from_utf8_lossy(&sink[..sink.len().min(80)])
            );
        }
    }
    h.get("/identity/v2/serverinfo").await.ok();
}
