//! Helpers shared by the end-to-end tests: start an emulator, make raw HTTP calls on loopback,
//! read JSON answers, make SOTTs and TOTP codes.
#![allow(dead_code)]

pub mod binary;

use loginradius_emulator::{Emulator, EmulatorConfig, SeedUser};
use serde_json::Value;

pub const PASSWORD: &str = "correct-horse-1";

/// A JSON answer: HTTP status, headers and body (`Value::Null` when not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Answer {
    /// The `ErrorCode` of an error envelope.
    pub fn code(&self) -> Option<i64> {
        self.body.get("ErrorCode").and_then(Value::as_i64)
    }

    #[track_caller]
    pub fn ok(self) -> Value {
        assert_eq!(
            self.status, 200,
            "expected 200, got {}: {}",
            self.status, self.text
        );
        self.body
    }

    /// Asserts the LoginRadius envelope with `code` and the documented status.
    #[track_caller]
    pub fn error(&self, code: i64, status: u16) {
        assert_eq!(
            self.code(),
            Some(code),
            "expected code {code}: {} {}",
            self.status,
            self.text
        );
        assert_eq!(self.status, status, "status for {code}: {}", self.text);
        for key in ["Description", "Message"] {
            assert!(
                self.body[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} missing: {}",
                self.text
            );
        }
        assert_eq!(self.body["IsProviderError"], Value::Bool(false));
        assert!(self.body["ProviderErrorResponse"].is_null());
    }
}

/// A running emulator and a raw HTTP client for it.
pub struct Harness {
    pub emulator: Emulator,
    pub http: reqwest::Client,
}

impl Harness {
    pub async fn start(config: EmulatorConfig) -> Self {
        let emulator = Emulator::start(config).await.expect("emulator starts");
        Self {
            emulator,
            http: reqwest::Client::new(),
        }
    }

    pub async fn default() -> Self {
        Self::start(EmulatorConfig::default()).await
    }

    /// `base + path`, with `apikey=` added unless `path` already names one.
    pub fn url(&self, path: &str) -> String {
        let lower = path.to_ascii_lowercase();
        if lower.contains("apikey=") || lower.contains("?key=") || lower.contains("&key=") {
            return format!("{}{path}", self.emulator.base_url());
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        format!(
            "{}{path}{sep}apikey={}",
            self.emulator.base_url(),
            self.emulator.api_key()
        )
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("request reaches the emulator");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            text,
            body,
        }
    }

    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.req(reqwest::Method::GET, path)).await
    }

    pub async fn json(&self, method: reqwest::Method, path: &str, body: &Value) -> Answer {
        self.send(
            self.req(method, path)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    /// With a Bearer token.
    pub async fn bearer(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Answer {
        let mut req = self.req(method, path).bearer_auth(token);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send(req).await
    }

    /// A `/manage` call with the secret header.
    pub async fn manage(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        let mut req = self
            .req(method, path)
            .header("X-LoginRadius-ApiSecret", self.emulator.api_secret());
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send(req).await
    }

    /// Registers `email` with a fresh SOTT.
    pub async fn register(&self, email: &str, extra: Value) -> Answer {
        let mut body = serde_json::json!({
            "Email": [{ "Type": "Primary", "Value": email }],
            "Password": PASSWORD,
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let sott = self.emulator.sott(std::time::Duration::from_secs(600));
        self.send(
            self.req(reqwest::Method::POST, "/identity/v2/auth/register")
                .header("X-LoginRadius-Sott", sott)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    /// Logs in by email and password.
    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.json(
            reqwest::Method::POST,
            "/identity/v2/auth/login",
            &serde_json::json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Logs in and returns the access token.
    pub async fn token(&self, email: &str) -> String {
        let body = self.login(email, PASSWORD).await.ok();
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// Creates a verified user through the management API; returns its uid.
    pub async fn create_user(&self, email: &str) -> String {
        let body = serde_json::json!({
            "Email": [{ "Type": "Primary", "Value": email }],
            "Password": PASSWORD,
            "EmailVerified": true,
            "FirstName": "Test",
        });
        let profile = self
            .manage(
                reqwest::Method::POST,
                "/identity/v2/manage/account",
                Some(&body),
            )
            .await
            .ok();
        profile["Uid"].as_str().expect("Uid").to_owned()
    }

    /// The newest outbox token sent to `to`.
    pub fn outbox_token(&self, to: &str) -> String {
        self.emulator
            .last_message_to(to)
            .and_then(|m| m.token)
            .expect("a message with a token")
    }
}

/// A config with one verified seeded user.
pub fn with_user(config: EmulatorConfig, email: &str) -> EmulatorConfig {
    config
        .with_user(SeedUser::new(email, PASSWORD).username(email.split('@').next().unwrap_or("u")))
}

/// The current TOTP code for a Base32 `ManualEntryCode`.
pub fn totp_code(manual_entry_code: &str) -> String {
    totp_at(manual_entry_code, 0)
}

/// The TOTP code `offset_seconds` from now.
pub fn totp_at(manual_entry_code: &str, offset_seconds: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(manual_entry_code).expect("base32 secret");
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .expect("valid totp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    totp.generate(now.saturating_add_signed(offset_seconds))
        .to_string()
}

/// A code that is not the current one (nor one step around it).
pub fn wrong_code(manual_entry_code: &str) -> String {
    let good: Vec<String> = (-1..=1)
        .map(|s| totp_at(manual_entry_code, s * 30))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !good.contains(c))
        .expect("some wrong code")
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "loginradius-emulator-{label}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary directory");
        Self(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
