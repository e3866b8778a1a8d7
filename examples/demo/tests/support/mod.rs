//! Shared by the demo's tests: the demo over an in-process emulator, a cookie-keeping HTTP
//! client that reads the CSRF token of the pages, and a few helpers.

#![allow(dead_code)]

use std::net::SocketAddr;

use demo::Running;
use loginradius_emulator::{EmailVerification, EmulatorConfig, MfaMode, SeedUser};

pub const PASSWORD: &str = "Correct-Horse-7";

/// The demo on an ephemeral port over an emulator with required email verification, optional
/// MFA, the demo admin and `extra` users.
pub async fn start_demo(extra: Vec<SeedUser>) -> Running {
    let mut config = EmulatorConfig::default()
        .with_demo_admin()
        .with_email_verification(EmailVerification::Required)
        .with_mfa(MfaMode::Optional);
    for user in extra {
        config = config.with_user(user);
    }
    demo::start_with_emulator(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("the demo starts")
}

/// A unique email address.
pub fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@example.com", hex_id())
}

fn hex_id() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}", nanos & 0xffff_ffff_ffff)
}

/// The current TOTP code for a base32 manual entry code.
pub fn totp(manual_entry_code: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(manual_entry_code.trim())
        .expect("a base32 secret")
        .as_bytes()
        .to_vec();
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .expect("a TOTP");
    totp.generate_current().to_string()
}

/// The value of `name="csrf_token"` in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .expect("the page has a form with a CSRF token")
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Every URL in `href`, `src` and `action` attributes of a page.
pub fn urls_in(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                urls.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    urls
}

/// A browser-like HTTP client: keeps cookies, never follows redirects, and records every
/// `Location` and every URL of every page it saw.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub seen_urls: Vec<String>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            seen_urls: Vec::new(),
        }
    }

    async fn record(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let body = response.text().await.unwrap();
        self.seen_urls.extend(location.clone());
        self.seen_urls.extend(urls_in(&body));
        Page {
            status,
            location,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        self.record(response).await
    }

    /// A same-origin form post (as a browser sends it) with the page's CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = csrf_of(&self.get("/login").await.body);
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .form(&form)
            .send()
            .await
            .unwrap();
        self.record(response).await
    }

    /// A post without the CSRF token, with the given extra headers.
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .form(fields);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.unwrap();
        self.record(response).await
    }

    /// Signs in with a password (no MFA) and checks the redirect to the profile.
    pub async fn login(&mut self, email: &str, password: &str) {
        let page = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(page.status, 303);
        assert_eq!(
            page.location.as_deref(),
            Some("/profile"),
            "login of {email}"
        );
    }
}

/// The demo over an emulator started with `config`.
pub async fn start_demo_with(config: EmulatorConfig) -> Running {
    demo::start_with_emulator(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("the demo starts")
}

/// The text of the element with `id` in a page (up to the next `<`).
pub fn text_of_id(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split('<').next()?.to_owned())
}
