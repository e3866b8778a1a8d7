//! The route helpers end to end: the app (`/auth` nested from `routes::router`) is served with
//! `axum::serve` and called over loopback HTTP with reqwest; the flows talk HTTP to the
//! LoginRadius emulator. Every flow, MFA with real TOTP codes, session renewal, logout eviction,
//! CSRF, fail-closed outages, and no secret in any response.

use std::time::Duration;

use axum::Router;
use loginradius::auth::{Authenticator, TokenExtractor};
use loginradius::web::{FlowConfig, Flows, Session, SessionCookie};
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_axum::routes::{self, AuthRoutes};
use loginradius_emulator::{EmailVerification, Emulator, EmulatorConfig, Fault, MfaMode, SeedUser};
use serde_json::{Value, json};

const PASSWORD: &str = "correct-horse-9";

struct App {
    emulator: Emulator,
    base: String,
    http: reqwest::Client,
    session: SessionCookie,
}

async fn app(config: EmulatorConfig) -> App {
    let emulator = Emulator::start(config).await.unwrap();
    let client = LoginRadius::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .retry(RetryPolicy::none())
        .request_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let session = SessionCookie::generate();
    let authenticator = Authenticator::builder(client)
        .token_sources(TokenExtractor::bearer().with(session.token_source()))
        .build()
        .unwrap();
    let flows = Flows::new(authenticator, session.clone()).config(
        FlowConfig::default()
            .reset_password_url("http://127.0.0.1/reset")
            .verification_url("http://127.0.0.1/verify")
            .passwordless_url("http://127.0.0.1/passwordless"),
    );
    let auth = AuthRoutes::new(flows)
        .trusted_origin("https://app.example.com")
        .unwrap();
    let router: Router = Router::new().nest("/auth", routes::router(auth));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    App {
        emulator,
        base,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        session,
    }
}

fn user(email: &str) -> SeedUser {
    SeedUser::new(email, PASSWORD)
}

/// One response, read.
#[derive(Debug)]
struct Reply {
    status: u16,
    body: Value,
    text: String,
    set_cookie: Option<String>,
}

/// A browser-like cookie holder.
#[derive(Default, Clone)]
struct Browser {
    cookie: Option<String>,
}

impl App {
    async fn send(
        &self,
        browser: &mut Browser,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let url = format!("{}/auth{path}", self.base);
        let mut request = self.http.request(method, &url);
        if let Some(cookie) = &browser.cookie {
            request = request.header("cookie", cookie);
        }
        for (k, v) in extra {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        // Never a redirect, never a URL other than the one asked.
        assert_eq!(response.url().as_str(), url);
        assert!(response.headers().get("location").is_none());
        assert_eq!(
            response.headers().get("cache-control").unwrap(),
            "no-store",
            "{path}"
        );
        let status = response.status().as_u16();
        let set_cookie = response
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_owned());
        if let Some(set) = &set_cookie {
            let pair = set.split(';').next().unwrap().to_owned();
            browser.cookie = if set.contains("Max-Age=0") {
                None
            } else {
                Some(pair)
            };
        }
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        // The password and the session's tokens never appear in a body.
        assert!(!text.contains(PASSWORD), "{path}: {text}");
        assert!(!text.contains("new-password-7"), "{path}: {text}");
        if let Some(session) = browser.cookie.as_ref().and_then(|c| self.read(c)) {
            let token = match &session {
                Session::SignedIn { access_token, .. } => access_token.expose().to_owned(),
                Session::PendingMfa { mfa_token, .. } => mfa_token.expose().to_owned(),
            };
            assert!(!text.contains(&token), "{path}: {text}");
        }
        Reply {
            status,
            body,
            text,
            set_cookie,
        }
    }

    fn read(&self, cookie: &str) -> Option<Session> {
        let mut headers = http::HeaderMap::new();
        headers.insert("cookie", cookie.parse().unwrap());
        self.session.read(&headers)
    }

    async fn post(&self, browser: &mut Browser, path: &str, body: Value) -> Reply {
        self.send(browser, reqwest::Method::POST, path, Some(body), &[])
            .await
    }

    async fn get(&self, browser: &mut Browser, path: &str) -> Reply {
        self.send(browser, reqwest::Method::GET, path, None, &[])
            .await
    }

    async fn login(&self, browser: &mut Browser, email: &str, password: &str) -> Reply {
        self.post(
            browser,
            "/login",
            json!({"email": email, "password": password}),
        )
        .await
    }

    fn outbox_token(&self, to: &str, kind: &str) -> String {
        let message = self
            .emulator
            .outbox()
            .into_iter()
            .rev()
            .find(|m| m.to == to && m.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} message to {to}"));
        message.token.expect("the message carries a token")
    }
}

fn totp(manual_entry_code: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(manual_entry_code).unwrap();
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now).to_string()
}

fn wrong_code(code: &str) -> String {
    code.chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

#[tokio::test]
async fn login_sets_a_private_lax_httponly_cookie_and_renews_it_on_every_login() {
    let app = app(EmulatorConfig::default().with_user(user("ann@example.com"))).await;
    let mut browser = Browser::default();
    let first = app.login(&mut browser, "ann@example.com", PASSWORD).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["signed_in"], true);
    assert_eq!(first.body["email"], "ann@example.com");
    let set = first.set_cookie.clone().unwrap();
    assert!(set.starts_with("lr_session="), "{set}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(set.contains(attr), "{attr} in {set}");
    }
    // Loopback host: plain HTTP allowed.
    assert!(!set.contains("Secure"), "{set}");
    let first_cookie = browser.cookie.clone().unwrap();
    assert!(app.read(&first_cookie).is_some());

    // Signed in through the cookie.
    let setup = app.get(&mut browser, "/mfa/setup").await;
    assert_eq!(setup.status, 200, "{}", setup.text);

    // A new login is a new session value.
    let second = app.login(&mut browser, "ann@example.com", PASSWORD).await;
    assert_eq!(second.status, 200);
    assert_ne!(browser.cookie.clone().unwrap(), first_cookie);
}

#[tokio::test]
async fn logout_invalidates_upstream_evicts_the_cache_and_the_old_cookie_is_refused() {
    let app = app(EmulatorConfig::default().with_user(user("bob@example.com"))).await;
    let mut browser = Browser::default();
    assert_eq!(
        app.login(&mut browser, "bob@example.com", PASSWORD)
            .await
            .status,
        200
    );
    let mut old = browser.clone();
    // Warm the authenticator's cache.
    assert_eq!(app.get(&mut browser, "/mfa/setup").await.status, 200);
    let logout = app.post(&mut browser, "/logout", json!({})).await;
    assert_eq!(logout.status, 200, "{}", logout.text);
    assert_eq!(logout.body, json!({"signed_out": true}));
    assert!(logout.set_cookie.unwrap().contains("Max-Age=0"));
    assert!(browser.cookie.is_none());
    assert_eq!(
        app.emulator
            .calls("GET", "/identity/v2/auth/access_token/invalidate"),
        1
    );
    // The old cookie, replayed: 401 (evicted from the cache, invalid upstream).
    let replay = app.get(&mut old, "/mfa/setup").await;
    assert_eq!(replay.status, 401, "{}", replay.text);
    let replay = app
        .post(
            &mut old,
            "/change-password",
            json!({"old_password": PASSWORD, "new_password": "new-password-7"}),
        )
        .await;
    assert_eq!(replay.status, 401);
    // Logging out without a session is harmless.
    assert_eq!(
        app.post(&mut Browser::default(), "/logout", json!({}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn bad_credentials_unverified_accounts_and_bad_input() {
    let app = app(EmulatorConfig::default()
        .with_user(user("cat@example.com"))
        .with_user(user("new@example.com").email_verified(false)))
    .await;
    let mut b = Browser::default();
    let wrong = app.login(&mut b, "cat@example.com", "nope-nope-1").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["error"], "invalid_credentials");
    assert!(wrong.set_cookie.is_none());
    let unknown = app.login(&mut b, "who@example.com", PASSWORD).await;
    assert_eq!(unknown.status, 401, "{}", unknown.text);
    let unverified = app.login(&mut b, "new@example.com", PASSWORD).await;
    assert_eq!(unverified.status, 403);
    assert_eq!(unverified.body["error"], "email_not_verified");
    let not_json = app
        .send(
            &mut b,
            reqwest::Method::POST,
            "/login",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(not_json.status, 400);
    let bad_email = app
        .post(&mut b, "/login", json!({"email": "x", "password": "y"}))
        .await;
    assert_eq!(bad_email.status, 400);
    assert_eq!(bad_email.body["error"], "invalid_input");
    // Signed-in routes without a session.
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 401);
    assert_eq!(
        app.post(&mut b, "/mfa/disable", json!({})).await.status,
        401
    );
    assert_eq!(
        app.post(&mut b, "/mfa/enable", json!({"code": "123456"}))
            .await
            .status,
        401
    );
    assert_eq!(
        app.post(&mut b, "/login/mfa", json!({"code": "123456"}))
            .await
            .status,
        401
    );
    assert!(b.cookie.is_none());
}

#[tokio::test]
async fn registration_with_email_verification_and_resend() {
    let app = app(EmulatorConfig::default()).await;
    let mut b = Browser::default();
    let email = "dan@example.com";
    let registered = app
        .post(
            &mut b,
            "/register",
            json!({"email": email, "password": PASSWORD, "first_name": "Dan", "last_name": "Doe",
                   "profile": {"Company": "Acme"}}),
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert_eq!(
        registered.body,
        json!({"registered": true, "email_verification_required": true})
    );
    assert!(registered.set_cookie.is_none());
    assert_eq!(app.login(&mut b, email, PASSWORD).await.status, 403);

    // Resend: a second verification message.
    let before = app.emulator.outbox().len();
    let resent = app
        .post(&mut b, "/resend-verification", json!({"email": email}))
        .await;
    assert_eq!(resent.status, 200, "{}", resent.text);
    assert_eq!(resent.body, json!({"sent": true}));
    assert!(app.emulator.outbox().len() > before);
    // Unknown addresses get the same answer.
    let unknown = app
        .post(
            &mut b,
            "/resend-verification",
            json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!(unknown.status, 200, "{}", unknown.text);

    let token = app.outbox_token(email, "email_verification");
    let bad = app
        .post(&mut b, "/verify-email", json!({"token": "not-a-token"}))
        .await;
    assert!(bad.status == 400 || bad.status == 401, "{}", bad.text);
    let verified = app
        .post(&mut b, "/verify-email", json!({"token": token}))
        .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.body, json!({"verified": true}));
    assert!(!verified.text.contains(&token));
    assert_eq!(app.login(&mut b, email, PASSWORD).await.status, 200);

    // The same address again: 409.
    let again = app
        .post(
            &mut Browser::default(),
            "/register",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.body["error"], "already_exists");
    // Reserved profile fields are refused.
    let sneaky = app
        .post(
            &mut Browser::default(),
            "/register",
            json!({"email": "eve@example.com", "password": PASSWORD, "profile": {"EmailVerified": true}}),
        )
        .await;
    assert_eq!(sneaky.status, 400);
}

#[tokio::test]
async fn registration_without_verification_signs_in() {
    let app =
        app(EmulatorConfig::default().with_email_verification(EmailVerification::Disabled)).await;
    let mut b = Browser::default();
    let registered = app
        .post(
            &mut b,
            "/register",
            json!({"email": "fay@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert_eq!(registered.body["signed_in"], true);
    assert!(b.cookie.is_some());
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 200);
}

#[tokio::test]
async fn forgot_and_reset_password() {
    let app = app(EmulatorConfig::default().with_user(user("gil@example.com"))).await;
    let mut b = Browser::default();
    let sent = app
        .post(
            &mut b,
            "/forgot-password",
            json!({"email": "gil@example.com"}),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_eq!(sent.body, json!({"sent": true}));
    let unknown = app
        .post(
            &mut b,
            "/forgot-password",
            json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!(unknown.status, 200, "{}", unknown.text);
    assert_eq!(unknown.body, json!({"sent": true}));

    let token = app.outbox_token("gil@example.com", "reset_password");
    let bad = app
        .post(
            &mut b,
            "/reset-password",
            json!({"token": "bogus", "password": "new-password-7"}),
        )
        .await;
    assert!(bad.status == 400 || bad.status == 401, "{}", bad.text);
    let reset = app
        .post(
            &mut b,
            "/reset-password",
            json!({"token": token, "password": "new-password-7"}),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    assert_eq!(reset.body, json!({"password_reset": true}));
    assert!(!reset.text.contains(&token));
    assert_eq!(
        app.login(&mut b, "gil@example.com", PASSWORD).await.status,
        401
    );
    assert_eq!(
        app.login(&mut b, "gil@example.com", "new-password-7")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn change_password_for_the_signed_in_user() {
    let app = app(EmulatorConfig::default().with_user(user("hal@example.com"))).await;
    let mut b = Browser::default();
    assert_eq!(
        app.login(&mut b, "hal@example.com", PASSWORD).await.status,
        200
    );
    let wrong = app
        .post(
            &mut b,
            "/change-password",
            json!({"old_password": "wrong-one-1", "new_password": "new-password-7"}),
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    let changed = app
        .post(
            &mut b,
            "/change-password",
            json!({"old_password": PASSWORD, "new_password": "new-password-7"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body, json!({"password_changed": true}));
    let mut other = Browser::default();
    assert_eq!(
        app.login(&mut other, "hal@example.com", "new-password-7")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn passwordless_login_by_email_link() {
    let app = app(EmulatorConfig::default().with_user(user("ida@example.com"))).await;
    let mut b = Browser::default();
    let sent = app
        .post(
            &mut b,
            "/passwordless/send",
            json!({"email": "ida@example.com"}),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_eq!(sent.body, json!({"sent": true}));
    let unknown = app
        .post(
            &mut b,
            "/passwordless/send",
            json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!(unknown.status, 200, "{}", unknown.text);
    let token = app.outbox_token("ida@example.com", "passwordless_login");
    let bad = app
        .post(&mut b, "/passwordless/verify", json!({"token": "bogus"}))
        .await;
    assert!(bad.status == 400 || bad.status == 401, "{}", bad.text);
    assert!(b.cookie.is_none());
    let verified = app
        .post(&mut b, "/passwordless/verify", json!({"token": token}))
        .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.body["signed_in"], true);
    assert!(!verified.text.contains(&token));
    assert!(b.cookie.is_some());
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 200);
}

#[tokio::test]
async fn mfa_enable_login_with_a_totp_code_and_disable() {
    let app = app(EmulatorConfig::default()
        .with_mfa(MfaMode::Optional)
        .with_user(user("jo@example.com")))
    .await;
    let mut b = Browser::default();
    assert_eq!(
        app.login(&mut b, "jo@example.com", PASSWORD).await.status,
        200
    );
    let setup = app.get(&mut b, "/mfa/setup").await;
    assert_eq!(setup.status, 200, "{}", setup.text);
    assert_eq!(setup.body["enabled"], false);
    let manual = setup.body["manual_entry_code"].as_str().unwrap().to_owned();
    assert!(
        setup.body["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(
        setup.body["qr_code"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
    let code = totp(&manual);
    let wrong = app
        .post(&mut b, "/mfa/enable", json!({"code": wrong_code(&code)}))
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    let enabled = app.post(&mut b, "/mfa/enable", json!({"code": code})).await;
    assert_eq!(enabled.status, 200, "{}", enabled.text);
    assert_eq!(enabled.body, json!({"enabled": true}));
    assert_eq!(
        app.get(&mut b, "/mfa/setup").await.body,
        json!({"enabled": true})
    );
    assert_eq!(app.post(&mut b, "/logout", json!({})).await.status, 200);

    // Login now needs the second step; the MFA token stays in the cookie.
    let first = app.login(&mut b, "jo@example.com", PASSWORD).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body, json!({"mfa_required": true}));
    let pending = app.read(b.cookie.as_ref().unwrap()).unwrap();
    assert!(matches!(pending, Session::PendingMfa { .. }));
    // Not signed in yet.
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 401);
    let bad = app
        .post(
            &mut b,
            "/login/mfa",
            json!({"code": wrong_code(&totp(&manual))}),
        )
        .await;
    assert_eq!(bad.status, 401, "{}", bad.text);
    assert_eq!(bad.body["error"], "invalid_code");
    assert!(b.cookie.is_some(), "a wrong code keeps the pending login");
    let done = app
        .post(&mut b, "/login/mfa", json!({"code": totp(&manual)}))
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert!(matches!(
        app.read(b.cookie.as_ref().unwrap()).unwrap(),
        Session::SignedIn { .. }
    ));

    // Disable: the next login is one step again.
    let disabled = app.post(&mut b, "/mfa/disable", json!({})).await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.body, json!({"enabled": false}));
    let again = app
        .login(&mut Browser::default(), "jo@example.com", PASSWORD)
        .await;
    assert_eq!(again.body["signed_in"], true, "{}", again.text);
}

#[tokio::test]
async fn required_mfa_returns_setup_data_on_first_login_and_verifies_a_real_code() {
    let app = app(EmulatorConfig::default()
        .with_mfa(MfaMode::Required)
        .with_user(user("kim@example.com")))
    .await;
    let mut b = Browser::default();
    let first = app.login(&mut b, "kim@example.com", PASSWORD).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["mfa_required"], true);
    let manual = first.body["manual_entry_code"].as_str().unwrap().to_owned();
    assert!(
        first.body["otpauth_uri"]
            .as_str()
            .unwrap()
            .contains(&manual)
    );
    assert!(
        first.body["qr_code"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
    let done = app
        .post(&mut b, "/login/mfa", json!({"code": totp(&manual)}))
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 200);
    // The second login needs a code but no longer shows the setup data.
    let mut other = Browser::default();
    let second = app.login(&mut other, "kim@example.com", PASSWORD).await;
    assert_eq!(second.body, json!({"mfa_required": true}));
}

#[tokio::test]
async fn cross_site_posts_are_refused_without_any_state_change() {
    let app = app(EmulatorConfig::default().with_user(user("lee@example.com"))).await;
    let mut b = Browser::default();
    assert_eq!(
        app.login(&mut b, "lee@example.com", PASSWORD).await.status,
        200
    );
    let evil = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ];
    let calls_before = app.emulator.stats().values().sum::<u64>();
    for (path, body) in [
        (
            "/change-password",
            json!({"old_password": PASSWORD, "new_password": "new-password-7"}),
        ),
        ("/logout", json!({})),
        ("/mfa/disable", json!({})),
        (
            "/login",
            json!({"email": "lee@example.com", "password": PASSWORD}),
        ),
        ("/forgot-password", json!({"email": "lee@example.com"})),
    ] {
        let refused = app
            .send(&mut b, reqwest::Method::POST, path, Some(body), &evil)
            .await
            .status;
        assert_eq!(refused, 403, "{path}");
    }
    // Nothing reached LoginRadius, the session is intact, the password unchanged.
    assert_eq!(app.emulator.stats().values().sum::<u64>(), calls_before);
    assert!(b.cookie.is_some());
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 200);
    assert_eq!(
        app.login(&mut Browser::default(), "lee@example.com", PASSWORD)
            .await
            .status,
        200
    );
    // Same-origin and trusted origins pass.
    let same = app
        .send(
            &mut b,
            reqwest::Method::POST,
            "/forgot-password",
            Some(json!({"email": "lee@example.com"})),
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(same.status, 200);
    let trusted = app
        .send(
            &mut b,
            reqwest::Method::POST,
            "/forgot-password",
            Some(json!({"email": "lee@example.com"})),
            &[
                ("origin", "https://app.example.com"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(trusted.status, 200);
}

#[tokio::test]
async fn upstream_faults_fail_closed_with_503() {
    let app = app(EmulatorConfig::default().with_user(user("max@example.com"))).await;
    let mut b = Browser::default();
    assert_eq!(
        app.login(&mut b, "max@example.com", PASSWORD).await.status,
        200
    );
    for fault in [
        Fault::status(500),
        Fault::rate_limited(3),
        Fault {
            malformed: true,
            ..Fault::default()
        },
    ] {
        app.emulator.add_fault(fault).unwrap();
        let login = app
            .login(&mut Browser::default(), "max@example.com", PASSWORD)
            .await;
        assert_eq!(login.status, 503, "{}", login.text);
        assert_eq!(login.body["error"], "unavailable");
        assert!(login.set_cookie.is_none());
        let forgot = app
            .post(
                &mut Browser::default(),
                "/forgot-password",
                json!({"email": "max@example.com"}),
            )
            .await;
        assert_eq!(forgot.status, 503, "{}", forgot.text);
        app.emulator.clear_faults();
    }
    // An outage at logout still ends the local session, but does not claim success.
    app.emulator.add_fault(Fault::status(503)).unwrap();
    let logout = app.post(&mut b, "/logout", json!({})).await;
    assert_eq!(logout.status, 503, "{}", logout.text);
    assert!(b.cookie.is_none());
}
