//! The route helpers' end-to-end scenarios, one table for both adapters. `loginradius-axum` and
//! `loginradius-actix` each call [`route_flow_scenarios!`](crate::route_flow_scenarios) from
//! their `tests/routes_e2e.rs` with their server-starting function: one `#[tokio::test]` per
//! scenario, each against a fresh LoginRadius emulator.
//!
//! The adapter serves the helpers under `/auth` over loopback HTTP; the flows talk HTTP to the
//! emulator; a reqwest "browser" (cookies kept by hand, redirects not followed) exercises every
//! flow: login, session renewal and the end of the replaced session, logout invalidation and
//! eviction, bad credentials, unverified accounts and bad input, registration with and without
//! email verification, resend, forgot/reset and change password, passwordless login by email
//! link, MFA enable, TOTP login and disable, required MFA with setup data, sign-in by a texted
//! code, SMS and email codes as second factor (set up, used, crossed, turned off), bad phone
//! and code input refused before any upstream call, consent as a sign-in step (the options
//! shown, the choices recorded, asked once; forged, replayed and expired steps refused),
//! cross-site POSTs
//! refused with no state change, and upstream faults failing closed with 503. Every response is checked for
//! `Cache-Control: no-store`, a JSON content type, no redirect, and no password or session
//! token in its body. HTML form logins are checked apart: `303 See Other` to a same-site
//! `next`, the same session cookie, the same cross-site refusal.

use std::future::Future;
use std::time::Duration;

use loginradius::auth::{Authenticator, Require, TokenExtractor, TrustedProxies};
use loginradius::fleet::{BusSignal, FleetEvent};
use loginradius::web::limits::LimitConfig;
use loginradius::web::webhook::{SIGNATURE_HEADER, sign_webhook};
use loginradius::web::{
    ConsentForm, ConsentOption, CookieSecurity, DEFAULT_REAUTH_WITHIN, FlowConfig, Flows, Session,
    SessionCookie,
};
use loginradius_emulator::{EmailVerification, Emulator, EmulatorConfig, Fault, MfaMode, SeedUser};
use serde_json::{Value, json};

use crate::e2e::{client_builder, totp_code, wrong_totp_code};

/// Generates one `#[tokio::test]` per scenario of [`route_flows`](crate::route_flows), each
/// calling it with `$serve` (an `async fn(Flows, &'static str) -> Server`, see
/// [`Serve`](crate::route_flows::Serve)). The calling crate needs `tokio` with its `macros` and
/// `rt` features (as a dev-dependency).
#[macro_export]
macro_rules! route_flow_scenarios {
    ($serve:path) => {
        $crate::route_flow_scenarios!(@tests $serve;
            login_sets_a_private_lax_httponly_cookie_renews_it_and_ends_the_replaced_session,
            logout_invalidates_upstream_evicts_the_cache_and_the_old_cookie_is_refused,
            bad_credentials_unverified_accounts_and_bad_input,
            registration_with_email_verification_and_resend,
            registration_without_verification_signs_in,
            forgot_and_reset_password,
            change_password_for_the_signed_in_user,
            passwordless_login_by_email_link,
            an_email_link_is_one_factor_for_a_user_with_an_authenticator_app,
            a_stale_session_re_authenticates_with_its_password_before_a_password_change,
            an_mfa_user_re_authenticates_with_the_second_factor_not_the_password,
            mfa_enable_login_with_a_totp_code_and_disable,
            required_mfa_returns_setup_data_on_first_login_and_verifies_a_real_code,
            cross_site_posts_are_refused_without_any_state_change,
            upstream_faults_fail_closed_with_503,
            form_login_redirects_to_a_safe_next_and_json_keeps_its_answer,
            webhooks_are_verified_refusals_change_nothing_and_unassign_roles_evicts,
            sessions_are_registered_listed_without_tokens_and_ended_by_sign_out,
            sessions_are_ended_one_by_one_or_all_others_and_never_another_users,
            a_password_change_ends_the_other_sessions_and_keeps_this_one,
            an_administrator_ends_every_session_of_a_user_and_no_one_else_can,
            a_blocked_account_webhook_ends_every_session_and_invalidates_their_tokens,
            phone_sign_in_with_a_texted_code,
            sms_and_email_codes_as_second_factor_end_to_end,
            bad_phone_and_code_input_is_400_before_any_upstream_call,
            wrong_passwords_are_slowed_with_429_and_the_owner_gets_in_after_the_delay,
            loginradius_lockouts_reach_the_user_as_clear_messages,
            wrong_mfa_codes_end_the_challenge_and_the_user_signs_in_again,
            look_alike_emails_are_refused_at_registration,
            set_password_is_refused_on_an_account_that_has_one,
            a_token_flood_costs_few_loginradius_calls_and_signed_in_users_are_not_slowed,
            forwarded_addresses_count_only_from_trusted_proxies,
            forwarded_addresses_are_ignored_by_default,
            phone_codes_are_limited_per_number_and_the_owner_gets_in_after_the_delay,
            step_up_guards_follow_how_and_when_the_session_was_proven,
            a_sign_in_waits_for_consent_then_signs_in_and_asks_no_more,
        );
    };
    (@tests $serve:path; $($scenario:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $scenario() {
            $crate::route_flows::$scenario($serve).await;
        }
    )+};
}

/// The window of `GET /step-up/fresh`'s `Require::proven_within` (see [`Serve`]).
pub const STEP_UP_WINDOW: Duration = Duration::from_secs(2);

/// The one origin other than the app's own that the helpers must trust for writes.
pub const TRUSTED_ORIGIN: &str = "https://app.example.com";

const PASSWORD: &str = "correct-horse-9";

/// How an adapter serves the route helpers: given the flows and the origin to trust for
/// cross-origin writes, start the app on loopback with the helpers mounted under `/auth`, a
/// guarded `GET /api/me` answering `{"uid"}` for the signed-in user (the adapter's layer or
/// config from the flows), the connection's peer address given to both, and return its
/// [`Server`]. Implemented by any `async fn(Flows, &'static str) -> Server`.
///
/// The app also guards, with the adapter's guard, `GET /step-up/fresh` by
/// `Require::proven_within(STEP_UP_WINDOW)` and `GET /step-up/second-factor` by
/// `Require::second_factor()`, each answering the uid as text.
pub trait Serve {
    /// Starts the app.
    fn serve(self, flows: Flows, trusted_origin: &'static str) -> impl Future<Output = Server>;
}

impl<F, Fut> Serve for F
where
    F: FnOnce(Flows, &'static str) -> Fut,
    Fut: Future<Output = Server>,
{
    fn serve(self, flows: Flows, trusted_origin: &'static str) -> impl Future<Output = Server> {
        self(flows, trusted_origin)
    }
}

/// A running app: its base URL (`http://127.0.0.1:port`, the helpers under `/auth`) and what
/// stops it, run when the scenario ends (even by a panic).
pub struct Server {
    base: String,
    stop: Option<Box<dyn FnOnce()>>,
}

impl Server {
    /// The app at `base`, stopped by `stop` at the end of the scenario.
    pub fn new(base: String, stop: impl FnOnce() + 'static) -> Self {
        Self {
            base,
            stop: Some(Box::new(stop)),
        }
    }

    /// Its base URL, `http://127.0.0.1:port`.
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
    }
}

struct App {
    // Declared first: the app stops before the emulator it calls.
    server: Server,
    emulator: Emulator,
    http: reqwest::Client,
    session: SessionCookie,
    flows: Flows,
}

async fn app(serve: impl Serve, config: EmulatorConfig) -> App {
    app_with(serve, config, LimitConfig::default()).await
}

/// [`app`] with the route helpers' `limits`.
async fn app_with(serve: impl Serve, config: EmulatorConfig, limits: LimitConfig) -> App {
    app_behind(serve, config, limits, TrustedProxies::none()).await
}

/// [`app`] whose sensitive helpers require a proof within `reauth_within`.
async fn app_reauth(serve: impl Serve, config: EmulatorConfig, reauth_within: Duration) -> App {
    app_configured(
        serve,
        config,
        LimitConfig::default(),
        TrustedProxies::none(),
        reauth_within,
    )
    .await
}

/// [`app_with`] behind the `proxies` the authenticator trusts.
async fn app_behind(
    serve: impl Serve,
    config: EmulatorConfig,
    limits: LimitConfig,
    proxies: TrustedProxies,
) -> App {
    app_configured(serve, config, limits, proxies, DEFAULT_REAUTH_WITHIN).await
}

/// [`app_behind`] with the window of fresh proofs.
async fn app_configured(
    serve: impl Serve,
    config: EmulatorConfig,
    limits: LimitConfig,
    proxies: TrustedProxies,
    reauth_within: Duration,
) -> App {
    let emulator = Emulator::start(config).await.unwrap();
    let client = client_builder(&emulator)
        .request_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    // Served over plain HTTP on loopback: the development setting, chosen explicitly.
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let authenticator = Authenticator::builder(client)
        .token_sources(TokenExtractor::bearer().with(session.token_source()))
        .trusted_proxies(proxies)
        .build()
        .unwrap();
    let flows = Flows::new(authenticator, session.clone()).unwrap().config(
        FlowConfig::default()
            .reset_password_url("http://127.0.0.1/reset")
            .verification_url("http://127.0.0.1/verify")
            .passwordless_url("http://127.0.0.1/passwordless")
            .admin(Require::role("admin"))
            .reauth_within(reauth_within)
            .limits(limits)
            .consent_form(consent_form()),
    );
    let server = serve.serve(flows.clone(), TRUSTED_ORIGIN).await;
    App {
        server,
        emulator,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        session,
        flows,
    }
}

/// The emulator's `Login` consent form, as the app shows it.
fn consent_form() -> ConsentForm {
    ConsentForm::login([
        ConsentOption::new("email_consent", "Emails about my account"),
        ConsentOption::new("sms_consent", "Text messages"),
        ConsentOption::new("marketing_consent", "Offers and news")
            .description("Now and then; stop whenever you like"),
    ])
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
    retry_after: Option<String>,
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
        let url = format!("{}/auth{path}", self.server.base);
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
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            header("cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
        assert_eq!(
            header("content-type").as_deref(),
            Some("application/json"),
            "{path}"
        );
        let status = response.status().as_u16();
        let set_cookie = header("set-cookie");
        let retry_after = header("retry-after");
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
                Session::PendingConsent { consent_token, .. } => consent_token.expose().to_owned(),
                _ => panic!("a kind of session this check does not know: name its secret here"),
            };
            assert!(!text.contains(&token), "{path}: {text}");
        }
        Reply {
            status,
            body,
            text,
            set_cookie,
            retry_after,
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

    /// POSTs `{"email"}` to an email-sending flow for `email`, then for an address with no
    /// account: both answer 200 `{"sent": true}`, so the answer never tells which addresses
    /// are registered.
    async fn send_to_known_and_unknown(&self, browser: &mut Browser, path: &str, email: &str) {
        for address in [email, "nobody@example.com"] {
            let reply = self.post(browser, path, json!({"email": address})).await;
            assert_eq!(reply.status, 200, "{path} {address}: {}", reply.text);
            assert_eq!(reply.body, json!({"sent": true}), "{path} {address}");
        }
    }

    async fn get(&self, browser: &mut Browser, path: &str) -> Reply {
        self.send(browser, reqwest::Method::GET, path, None, &[])
            .await
    }

    /// A new browser signed in as `email` with [`PASSWORD`] (asserted: 200).
    async fn signed_in(&self, email: &str) -> Browser {
        let mut browser = Browser::default();
        let reply = self.login(&mut browser, email, PASSWORD).await;
        assert_eq!(reply.status, 200, "{email}: {}", reply.text);
        browser
    }

    async fn login(&self, browser: &mut Browser, email: &str, password: &str) -> Reply {
        self.post(
            browser,
            "/login",
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// POSTs `body` to the webhook receiver as LoginRadius would, with `signature` if any.
    async fn webhook(&self, body: Vec<u8>, signature: Option<String>) -> Reply {
        let url = format!("{}/auth/webhooks/loginradius", self.server.base);
        let mut request = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        let response = request.send().await.unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(header("content-type").as_deref(), Some("application/json"));
        let status = response.status().as_u16();
        let (set_cookie, retry_after) = (header("set-cookie"), header("retry-after"));
        let text = response.text().await.unwrap();
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
            set_cookie,
            retry_after,
        }
    }

    async fn delete_session(
        &self,
        browser: &mut Browser,
        id: &str,
        extra: &[(&str, &str)],
    ) -> Reply {
        let path = format!("/sessions/{id}");
        self.send(browser, reqwest::Method::DELETE, &path, None, extra)
            .await
    }

    /// `GET /me` (the guarded route beside the helpers) with `token` as a Bearer token: its
    /// status.
    async fn me_with_bearer(&self, token: &str) -> u16 {
        self.http
            .get(format!("{}/me", self.server.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// `GET /me` with `browser`'s session cookie: its status.
    async fn me(&self, browser: &Browser) -> u16 {
        let mut request = self.http.get(format!("{}/me", self.server.base));
        if let Some(cookie) = &browser.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap().status().as_u16()
    }

    /// `GET path` of the app (not of the helpers) with the browser's cookie, or with `bearer`
    /// instead: the status, the JSON body (`Null` when it is not JSON) and `WWW-Authenticate`.
    async fn guarded(
        &self,
        browser: &Browser,
        path: &str,
        bearer: Option<&str>,
    ) -> (u16, Value, Option<String>) {
        let mut request = self.http.get(format!("{}{path}", self.server.base));
        match (bearer, &browser.cookie) {
            (Some(token), _) => request = request.bearer_auth(token),
            (None, Some(cookie)) => request = request.header("cookie", cookie),
            (None, None) => {}
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body, challenge)
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

    /// The one-time code of the newest `kind` message to `to` (an address or a number).
    fn outbox_code(&self, to: &str, kind: &str) -> String {
        let message = self
            .emulator
            .outbox()
            .into_iter()
            .rev()
            .find(|m| m.to.eq_ignore_ascii_case(to) && m.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} message to {to}"));
        message.otp.expect("the message carries a code")
    }

    /// How many LoginRadius requests the emulator has answered.
    fn upstream_calls(&self) -> u64 {
        self.emulator.stats().values().sum()
    }
}

/// Login sets a private, `SameSite=Lax`, `HttpOnly` session cookie; renewing it ends the session
/// it replaces.
pub async fn login_sets_a_private_lax_httponly_cookie_renews_it_and_ends_the_replaced_session(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("ann@example.com")),
    )
    .await;
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

    // A new login is a new session value…
    let mut old = browser.clone();
    let second = app.login(&mut browser, "ann@example.com", PASSWORD).await;
    assert_eq!(second.status, 200);
    assert_ne!(browser.cookie.clone().unwrap(), first_cookie);
    // …and the session it replaced is ended: its token invalidated upstream and, though
    // cached a moment ago, refused when the old cookie is replayed.
    assert_eq!(
        app.emulator
            .calls("GET", "/identity/v2/auth/access_token/invalidate"),
        1
    );
    let replay = app.get(&mut old, "/mfa/setup").await;
    assert_eq!(replay.status, 401, "{}", replay.text);
    let current = app.get(&mut browser, "/mfa/setup").await;
    assert_eq!(current.status, 200, "{}", current.text);
    // A failed login ends nothing.
    let wrong = app
        .login(&mut browser, "ann@example.com", "wrong-password-1")
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    assert_eq!(app.get(&mut browser, "/mfa/setup").await.status, 200);
    assert_eq!(
        app.emulator
            .calls("GET", "/identity/v2/auth/access_token/invalidate"),
        1
    );
}

/// Logout invalidates the token upstream and evicts it from the cache; the old cookie is then
/// refused.
pub async fn logout_invalidates_upstream_evicts_the_cache_and_the_old_cookie_is_refused(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("bob@example.com")),
    )
    .await;
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

/// Wrong credentials, an unverified account and malformed input each get their own refusal and
/// no session.
pub async fn bad_credentials_unverified_accounts_and_bad_input(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_user(user("cat@example.com"))
            .with_user(user("new@example.com").email_verified(false)),
    )
    .await;
    let mut b = Browser::default();
    let wrong = app.login(&mut b, "cat@example.com", "nope-nope-1").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["error"], "invalid_credentials");
    assert!(wrong.set_cookie.is_none());
    let unknown = app.login(&mut b, "who@example.com", PASSWORD).await;
    assert_eq!(unknown.status, 401, "{}", unknown.text);
    // An unregistered email is answered exactly as a wrong password (enumeration); the time of
    // both is compared by the `signin_timing` bench.
    assert_eq!(unknown.text, wrong.text);
    assert!(unknown.set_cookie.is_none());
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

/// Registration when the email must be verified: the verification mail, its resend, and the
/// verification itself.
pub async fn registration_with_email_verification_and_resend(serve: impl Serve) {
    let app = app(serve, EmulatorConfig::default()).await;
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
    app.send_to_known_and_unknown(&mut b, "/resend-verification", email)
        .await;
    assert!(app.emulator.outbox().len() > before);

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

/// Registration when no email verification is required signs the new user in.
pub async fn registration_without_verification_signs_in(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_email_verification(EmailVerification::Disabled),
    )
    .await;
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

/// Forgot-password answers alike for known and unknown emails; the mailed token resets the
/// password, and naming the account (`email`) ends the session signed in before the reset.
pub async fn forgot_and_reset_password(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("gil@example.com")),
    )
    .await;
    // A session signed in before the reset (another device).
    let mut before = Browser::default();
    assert_eq!(
        app.login(&mut before, "gil@example.com", PASSWORD)
            .await
            .status,
        200
    );
    assert_eq!(app.me(&before).await, 200);
    let mut b = Browser::default();
    app.send_to_known_and_unknown(&mut b, "/forgot-password", "gil@example.com")
        .await;

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
            json!({"token": token, "password": "new-password-7", "email": "gil@example.com"}),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    assert_eq!(reset.body, json!({"password_reset": true}));
    assert!(!reset.text.contains(&token));
    // The reset named the account: its earlier session is over on every replica.
    assert_eq!(
        app.me(&before).await,
        401,
        "the session from before the reset"
    );
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

/// A signed-in user changes their password (a wrong current one is refused) and signs in with
/// the new one.
pub async fn change_password_for_the_signed_in_user(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("hal@example.com")),
    )
    .await;
    let mut b = app.signed_in("hal@example.com").await;
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

/// Passwordless login: the link answers alike for known and unknown emails, and the mailed token
/// signs the user in.
pub async fn passwordless_login_by_email_link(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("ida@example.com")),
    )
    .await;
    let mut b = Browser::default();
    app.send_to_known_and_unknown(&mut b, "/passwordless/send", "ida@example.com")
        .await;
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

/// The issue's first attack: for a user with the authenticator app on, an opened email link
/// is one factor only. It answers the MFA answer, with no session (the guarded route is 401,
/// the MFA helpers too); a wrong code is refused; the right code signs the user in.
pub async fn an_email_link_is_one_factor_for_a_user_with_an_authenticator_app(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user("ola@example.com")),
    )
    .await;
    let mut owner = Browser::default();
    assert_eq!(
        app.login(&mut owner, "ola@example.com", PASSWORD)
            .await
            .status,
        200
    );
    let setup = app.get(&mut owner, "/mfa/setup").await;
    let manual = setup.body["manual_entry_code"].as_str().unwrap().to_owned();
    let enabled = app
        .post(
            &mut owner,
            "/mfa/enable",
            json!({"code": totp_code(&manual)}),
        )
        .await;
    assert_eq!(enabled.body, json!({"enabled": true}), "{}", enabled.text);

    let mut b = Browser::default();
    app.send_to_known_and_unknown(&mut b, "/passwordless/send", "ola@example.com")
        .await;
    let token = app.outbox_token("ola@example.com", "passwordless_login");
    let opened = app
        .post(&mut b, "/passwordless/verify", json!({"token": token}))
        .await;
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(
        opened.body,
        json!({"mfa_required": true, "methods": ["authenticator"]})
    );
    assert!(!opened.text.contains(&token));
    assert!(matches!(
        app.read(b.cookie.as_ref().unwrap()).unwrap(),
        Session::PendingMfa { .. }
    ));
    assert_eq!(app.me(&b).await, 401, "no session before the second factor");
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 401);
    assert_eq!(
        app.post(&mut b, "/mfa/disable", json!({})).await.status,
        401,
        "the attack: the app cannot be removed from an email link alone"
    );
    let wrong = app
        .post(
            &mut b,
            "/login/mfa",
            json!({"code": wrong_totp_code(&manual)}),
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    assert_eq!(app.me(&b).await, 401);
    let done = app
        .post(&mut b, "/login/mfa", json!({"code": totp_code(&manual)}))
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert_eq!(app.me(&b).await, 200);
}

/// Step-up: past the window of fresh proofs (1 s here), changing the password is 403
/// `reauth_required`; `POST /reauth` with a wrong password is 401 and changes nothing, with the
/// right one 200; the change then goes through.
pub async fn a_stale_session_re_authenticates_with_its_password_before_a_password_change(
    serve: impl Serve,
) {
    let app = app_reauth(
        serve,
        EmulatorConfig::default().with_user(user("rex@example.com")),
        Duration::from_secs(1),
    )
    .await;
    let mut b = app.signed_in("rex@example.com").await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let change = json!({"old_password": PASSWORD, "new_password": "new-password-7"});
    let stale = app.post(&mut b, "/change-password", change.clone()).await;
    assert_eq!(stale.status, 403, "{}", stale.text);
    assert_eq!(stale.body["error"], "reauth_required");
    assert_eq!(stale.body["methods"], json!([]));
    for other in ["/sessions/end-others", "/mfa/disable"] {
        let r = app.post(&mut b, other, json!({})).await;
        assert_eq!(r.body["error"], "reauth_required", "{other}: {}", r.text);
    }
    let bad = app.post(&mut b, "/reauth", json!({})).await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let wrong = app
        .post(&mut b, "/reauth", json!({"password": "wrong-one-1"}))
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    assert!(!wrong.text.contains("wrong-one-1"));
    let still = app.post(&mut b, "/change-password", change.clone()).await;
    assert_eq!(still.status, 403, "a wrong password proves nothing");
    let right = app
        .post(&mut b, "/reauth", json!({"password": PASSWORD}))
        .await;
    assert_eq!(right.status, 200, "{}", right.text);
    assert_eq!(right.body, json!({"reauthenticated": true}));
    let changed = app.post(&mut b, "/change-password", change).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        app.login(&mut Browser::default(), "rex@example.com", "new-password-7")
            .await
            .status,
        200
    );
    // Without a session cookie (a Bearer token) there is no proof to be fresh.
    let unsigned = app
        .post(
            &mut Browser::default(),
            "/reauth",
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(unsigned.status, 401, "{}", unsigned.text);
}

/// Step-up for a user with the authenticator app: past the window, removing the app and
/// setting a password are 403 `reauth_required` naming the app; the password alone does not
/// re-authenticate (403), a wrong code is 401, the right code does, and the app can then be
/// removed.
pub async fn an_mfa_user_re_authenticates_with_the_second_factor_not_the_password(
    serve: impl Serve,
) {
    let app = app_reauth(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user("una@example.com")),
        Duration::from_secs(1),
    )
    .await;
    let mut b = app.signed_in("una@example.com").await;
    let setup = app.get(&mut b, "/mfa/setup").await;
    let manual = setup.body["manual_entry_code"].as_str().unwrap().to_owned();
    let enabled = app
        .post(&mut b, "/mfa/enable", json!({"code": totp_code(&manual)}))
        .await;
    assert_eq!(enabled.body, json!({"enabled": true}), "{}", enabled.text);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    for (path, body) in [
        ("/mfa/disable", json!({})),
        ("/set-password", json!({"password": "new-password-7"})),
    ] {
        let r = app.post(&mut b, path, body).await;
        assert_eq!(r.status, 403, "{path}: {}", r.text);
        assert_eq!(r.body["error"], "reauth_required");
        assert_eq!(r.body["methods"], json!(["authenticator"]));
    }
    let password = app
        .post(&mut b, "/reauth", json!({"password": PASSWORD}))
        .await;
    assert_eq!(password.status, 403, "{}", password.text);
    assert_eq!(password.body["error"], "reauth_required");
    let wrong = app
        .post(&mut b, "/reauth", json!({"code": wrong_totp_code(&manual)}))
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    assert_eq!(
        app.post(&mut b, "/mfa/disable", json!({})).await.status,
        403
    );
    let right = app
        .post(
            &mut b,
            "/reauth",
            json!({"code": totp_code(&manual), "method": "authenticator"}),
        )
        .await;
    assert_eq!(right.status, 200, "{}", right.text);
    let disabled = app.post(&mut b, "/mfa/disable", json!({})).await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.body, json!({"enabled": false}));
}

/// Optional MFA: enabling it with a real TOTP code (a wrong one refused), the two-step login it
/// brings, and disabling it.
pub async fn mfa_enable_login_with_a_totp_code_and_disable(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user("jo@example.com")),
    )
    .await;
    let mut b = app.signed_in("jo@example.com").await;
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
    let code = totp_code(&manual);
    let wrong = app
        .post(
            &mut b,
            "/mfa/enable",
            json!({"code": wrong_totp_code(&manual)}),
        )
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
    assert_eq!(
        first.body,
        json!({"mfa_required": true, "methods": ["authenticator"]})
    );
    let pending = app.read(b.cookie.as_ref().unwrap()).unwrap();
    assert!(matches!(pending, Session::PendingMfa { .. }));
    // Not signed in yet.
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 401);
    let bad = app
        .post(
            &mut b,
            "/login/mfa",
            json!({"code": wrong_totp_code(&manual)}),
        )
        .await;
    assert_eq!(bad.status, 401, "{}", bad.text);
    assert_eq!(bad.body["error"], "invalid_code");
    assert!(b.cookie.is_some(), "a wrong code keeps the pending login");
    let done = app
        .post(&mut b, "/login/mfa", json!({"code": totp_code(&manual)}))
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

/// Required MFA: the first login returns the authenticator set-up data and verifies a real code.
pub async fn required_mfa_returns_setup_data_on_first_login_and_verifies_a_real_code(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Required)
            .with_user(user("kim@example.com")),
    )
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
        .post(&mut b, "/login/mfa", json!({"code": totp_code(&manual)}))
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert_eq!(app.get(&mut b, "/mfa/setup").await.status, 200);
    // The second login needs a code but no longer shows the setup data.
    let mut other = Browser::default();
    let second = app.login(&mut other, "kim@example.com", PASSWORD).await;
    assert_eq!(
        second.body,
        json!({"mfa_required": true, "methods": ["authenticator"]})
    );
}

/// POSTs from an untrusted origin are refused and change nothing.
pub async fn cross_site_posts_are_refused_without_any_state_change(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("lee@example.com")),
    )
    .await;
    let mut b = app.signed_in("lee@example.com").await;
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
            .await;
        assert_eq!(refused.status, 403, "{path}");
        // The same JSON rejection from both adapters, and the session left alone.
        assert_eq!(refused.body["error"], "csrf", "{path}: {}", refused.text);
        assert!(refused.set_cookie.is_none(), "{path}");
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
            &[("origin", TRUSTED_ORIGIN), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(trusted.status, 200);
    // Without `Sec-Fetch-Site` (an older browser), the `Origin` must be the app's own host, as
    // the server received it in `Host`.
    let own = app
        .send(
            &mut b,
            reqwest::Method::POST,
            "/forgot-password",
            Some(json!({"email": "lee@example.com"})),
            &[("origin", app.server.base.as_str())],
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.text);
    let other = app
        .send(
            &mut b,
            reqwest::Method::POST,
            "/forgot-password",
            Some(json!({"email": "lee@example.com"})),
            &[("origin", "http://127.0.0.2:1")],
        )
        .await;
    assert_eq!(other.status, 403, "{}", other.text);
    assert_eq!(other.body["error"], "csrf");
}

/// Upstream faults fail closed with 503, passing on LoginRadius's `Retry-After`.
pub async fn upstream_faults_fail_closed_with_503(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("max@example.com")),
    )
    .await;
    let mut b = app.signed_in("max@example.com").await;
    // Each fault, and the `Retry-After` the 503 passes on (LoginRadius's own on a 429).
    for (fault, retry_after) in [
        (Fault::status(500), "5"),
        (Fault::rate_limited(3), "3"),
        (
            Fault {
                malformed: true,
                ..Fault::default()
            },
            "5",
        ),
    ] {
        app.emulator.add_fault(fault).unwrap();
        let login = app
            .login(&mut Browser::default(), "max@example.com", PASSWORD)
            .await;
        assert_eq!(login.status, 503, "{}", login.text);
        assert_eq!(login.body["error"], "unavailable");
        assert_eq!(login.retry_after.as_deref(), Some(retry_after));
        assert!(login.set_cookie.is_none());
        let forgot = app
            .post(
                &mut Browser::default(),
                "/forgot-password",
                json!({"email": "max@example.com"}),
            )
            .await;
        assert_eq!(forgot.status, 503, "{}", forgot.text);
        assert_eq!(forgot.retry_after.as_deref(), Some(retry_after));
        app.emulator.clear_faults();
    }
    // An outage at logout still ends the local session, but does not claim success.
    app.emulator.add_fault(Fault::status(503)).unwrap();
    let logout = app.post(&mut b, "/logout", json!({})).await;
    assert_eq!(logout.status, 503, "{}", logout.text);
    assert!(b.cookie.is_none());
}

/// An HTML form login (`application/x-www-form-urlencoded`) that signs in answers `303 See
/// Other` to its same-site `next` (else `/`) with the session cookie; a bad password keeps the
/// JSON 401; a JSON login with `next` keeps the JSON answer; a cross-site form is refused.
pub async fn form_login_redirects_to_a_safe_next_and_json_keeps_its_answer(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("fay@example.com")),
    )
    .await;
    let url = format!("{}/auth/login", app.server.base);
    let form = |next: &str, password: &str, extra: &[(&str, &str)]| {
        let mut request = app.http.post(&url).form(&[
            ("email", "fay@example.com"),
            ("password", password),
            ("next", next),
        ]);
        for (k, v) in extra {
            request = request.header(*k, *v);
        }
        request.send()
    };
    for (next, expected) in [
        ("/account?tab=mfa", "/account?tab=mfa"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
    ] {
        let response = form(next, PASSWORD, &[("sec-fetch-site", "same-origin")])
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "{next}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(header("location").as_deref(), Some(expected), "{next}");
        assert_eq!(header("cache-control").as_deref(), Some("no-store"));
        let set = header("set-cookie").expect("the session starts");
        let pair = set.split(';').next().unwrap();
        assert!(
            matches!(app.read(pair), Some(Session::SignedIn { .. })),
            "{set}"
        );
        let text = response.text().await.unwrap();
        assert!(!text.contains(PASSWORD), "{text}");
    }
    // A wrong password: the JSON 401, no redirect, no session.
    let response = form("/account", "wrong-password-1", &[]).await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.headers().get("location").is_none());
    assert!(response.headers().get("set-cookie").is_none());
    // A form from another site is refused before any flow runs.
    let response = form(
        "/account",
        PASSWORD,
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(response.headers().get("set-cookie").is_none());
    // JSON callers keep the JSON answer, `next` or not.
    let mut browser = Browser::default();
    let reply = app
        .post(
            &mut browser,
            "/login",
            json!({"email": "fay@example.com", "password": PASSWORD, "next": "/account"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["signed_in"], true);
}

/// A LoginRadius webhook body at `time`.
fn hook(name: &str, id: &str, uid: &str, time: time::OffsetDateTime) -> Vec<u8> {
    let time = time
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    serde_json::to_vec(&json!({"HookName": name, "Time": time, "HookId": id, "Data": {"Uid": uid}}))
        .unwrap()
}

/// The webhook receiver refuses a wrong or missing signature (401), a body that is not JSON or
/// whose `Time` is old (400), a 2 MiB body (413) and a replay (409), and none of them changes
/// anything: no event is published and the cached role still decides. A valid `UnassignRoles`
/// is published once and the user is refused the role at once, though it was cached.
pub async fn webhooks_are_verified_refusals_change_nothing_and_unassign_roles_evicts(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("wes@example.com").roles(["admin"])),
    )
    .await;
    let browser = app.signed_in("wes@example.com").await;
    let Some(Session::SignedIn {
        access_token, uid, ..
    }) = browser.cookie.as_deref().and_then(|c| app.read(c))
    else {
        panic!("no session");
    };
    let auth = app.flows.authenticator();
    let admin = Require::role("admin");
    let user = auth.authenticate(&access_token).await.unwrap();
    assert!(auth.authorize(&user, &admin).await.is_ok());
    // The role is removed at LoginRadius by another application: the cache still has it.
    crate::e2e::client(&app.emulator)
        .roles()
        .unassign(&uid, ["admin"])
        .await
        .unwrap();
    assert!(auth.authorize(&user, &admin).await.is_ok());

    let mut bus = auth.shared_state().subscribe();
    let secret = app.emulator.api_secret().to_owned();
    let sign = |body: &[u8]| Some(sign_webhook(&secret, body));
    let now = time::OffsetDateTime::now_utc();
    let good = hook("UnassignRoles", "hook-1", &uid, now);
    let old = hook(
        "UnassignRoles",
        "hook-2",
        &uid,
        now - time::Duration::minutes(6),
    );
    let mut large = hook("UnassignRoles", "hook-3", &uid, now);
    large.splice(
        1..1,
        format!("\"Pad\":\"{}\",", "x".repeat(2 << 20)).into_bytes(),
    );
    for (body, signature, status) in [
        (good.clone(), Some(sign_webhook("wrong-secret", &good)), 401),
        (good.clone(), None, 401),
        (b"not json".to_vec(), sign(b"not json"), 400),
        (old.clone(), sign(&old), 400),
        (large.clone(), sign(&large), 413),
    ] {
        let reply = app.webhook(body, signature).await;
        assert_eq!(reply.status, status, "{}", reply.text);
        assert!(reply.body["error"].is_string(), "{}", reply.text);
        assert!(!reply.text.contains(&secret));
    }
    // Nothing changed: the cached role still decides.
    assert!(auth.authorize(&user, &admin).await.is_ok());

    let reply = app.webhook(good.clone(), sign(&good)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body, json!({"received": true, "handled": true}));
    let replay = app.webhook(good.clone(), sign(&good)).await;
    assert_eq!(replay.status, 409, "{}", replay.text);
    // The first event on the bus is the valid delivery's: the refusals published nothing.
    assert_eq!(
        bus.recv().await,
        Some(BusSignal::Event(FleetEvent::RolesChanged {
            uid: uid.clone()
        }))
    );
    let refused = auth.authorize(&user, &admin).await.unwrap_err();
    assert_eq!(refused.status().as_u16(), 403);
}

/// Each sign-in is a session in the shared registry with a short user-agent summary;
/// `GET /sessions` lists the user's sessions (no token), sign-out removes its own and tells the
/// fleet, and a signed-out cookie replayed is refused (timeouts: see
/// [`fleet_sessions`](crate::fleet_sessions)).
pub async fn sessions_are_registered_listed_without_tokens_and_ended_by_sign_out(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("sam@example.com")),
    )
    .await;
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let (mut a, mut b) = (Browser::default(), Browser::default());
    let body = json!({"email": "sam@example.com", "password": PASSWORD});
    let login = app
        .send(
            &mut a,
            reqwest::Method::POST,
            "/login",
            Some(body),
            &[("user-agent", firefox)],
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(
        app.login(&mut b, "sam@example.com", PASSWORD).await.status,
        200
    );
    let session_of = |browser: &Browser| match browser.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(Session::SignedIn {
            id,
            uid,
            access_token,
            ..
        }) => (id, uid, access_token),
        other => panic!("{other:?}"),
    };
    let (a_id, uid, _) = session_of(&a);
    let (b_id, _, b_token) = session_of(&b);
    assert_ne!(a_id, b_id);

    let listed = app.get(&mut a, "/sessions").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let sessions = listed.body["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{}", listed.text);
    let mine = sessions.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(mine["id"], a_id.as_str());
    assert_eq!(mine["user_agent"], "Firefox on Linux");
    assert!(!listed.text.contains(b_token.expose()));

    let fleet = app.flows.authenticator().shared_state().clone();
    let mut bus = fleet.subscribe();
    let b_cookie = b.cookie.clone();
    let out = app.post(&mut b, "/logout", json!({})).await;
    assert_eq!(out.status, 200, "{}", out.text);
    assert_eq!(
        bus.recv().await,
        Some(BusSignal::Event(FleetEvent::SessionEnded {
            session: b_id.clone(),
            uid: uid.clone()
        }))
    );
    assert!(fleet.session(&b_id).await.unwrap().is_none());
    let listed = app.get(&mut a, "/sessions").await;
    assert_eq!(
        listed.body["sessions"].as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.text
    );
    // The signed-out cookie, replayed, is no session.
    let mut replayed = Browser { cookie: b_cookie };
    let refused = app.get(&mut replayed, "/sessions").await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    assert_eq!(refused.body["error"], "session_ended");
}

/// `DELETE /sessions/{id}` ends one of the user's sessions (its cookie is then refused), never
/// another user's (404, nothing ended) nor from another site (403); `POST /sessions/end-others`
/// ends all but the current one; ending the current one ends its cookie.
pub async fn sessions_are_ended_one_by_one_or_all_others_and_never_another_users(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_user(user("sam@example.com"))
            .with_user(user("tom@example.com")),
    )
    .await;
    let (mut a, mut b, mut c, mut t) = Default::default();
    for (browser, email) in [
        (&mut a, "sam@example.com"),
        (&mut b, "sam@example.com"),
        (&mut c, "sam@example.com"),
        (&mut t, "tom@example.com"),
    ] {
        let reply = app.login(browser, email, PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let id_of = |browser: &Browser| match browser.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(session) => session.id().unwrap().clone(),
        None => panic!("no session"),
    };
    let (a_id, b_id) = (id_of(&a), id_of(&b));
    let count = |reply: &Reply| reply.body["sessions"].as_array().map(Vec::len);

    // Another user's session: 404, nothing ended. From another site: 403, nothing ended.
    let reply = app.delete_session(&mut t, a_id.as_str(), &[]).await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    let reply = app.delete_session(&mut a, "no-such-session", &[]).await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    let reply = app
        .delete_session(&mut a, b_id.as_str(), &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(count(&app.get(&mut a, "/sessions").await), Some(3));

    let reply = app.delete_session(&mut a, b_id.as_str(), &[]).await;
    assert_eq!(
        (reply.status, reply.body.clone()),
        (200, json!({"ended": true})),
        "{}",
        reply.text
    );
    assert_eq!(app.get(&mut b, "/sessions").await.status, 401);
    assert_eq!(count(&app.get(&mut a, "/sessions").await), Some(2));

    let reply = app.post(&mut a, "/sessions/end-others", json!({})).await;
    assert_eq!(
        (reply.status, reply.body.clone()),
        (200, json!({"ended": 1})),
        "{}",
        reply.text
    );
    assert_eq!(app.get(&mut c, "/sessions").await.status, 401);
    assert_eq!(count(&app.get(&mut a, "/sessions").await), Some(1));
    // Tom's session was never touched.
    assert_eq!(count(&app.get(&mut t, "/sessions").await), Some(1));

    let reply = app.delete_session(&mut a, a_id.as_str(), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(a.cookie.is_none(), "the current session's cookie is ended");
    let fleet = app.flows.authenticator().shared_state();
    assert!(fleet.session(&a_id).await.unwrap().is_none());
}

/// A password change ends the user's other sessions on every replica (`UserSessionsEnded`)
/// and re-issues the current one under a new id, which stays signed in.
pub async fn a_password_change_ends_the_other_sessions_and_keeps_this_one(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("pat@example.com")),
    )
    .await;
    let (mut a, mut b) = (Browser::default(), Browser::default());
    for browser in [&mut a, &mut b] {
        let reply = app.login(browser, "pat@example.com", PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let id_of = |browser: &Browser| match browser.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(session) => session.id().unwrap().clone(),
        None => panic!("no session"),
    };
    let old_a = id_of(&a);
    let token_of = |browser: &Browser| match browser.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(Session::SignedIn { access_token, .. }) => access_token.expose().to_owned(),
        other => panic!("{other:?}"),
    };
    let b_token = token_of(&b);
    assert_eq!(app.me_with_bearer(&b_token).await, 200);
    let mut bus = app.flows.authenticator().shared_state().subscribe();
    let changed = app
        .post(
            &mut a,
            "/change-password",
            json!({"old_password": PASSWORD, "new_password": "new-password-7"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert!(matches!(
        bus.recv().await,
        Some(BusSignal::Event(FleetEvent::UserSessionsEnded { .. }))
    ));
    assert_ne!(id_of(&a), old_a, "the current session is re-issued");
    let listed = app.get(&mut a, "/sessions").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body["sessions"].as_array().map(Vec::len), Some(1));
    let refused = app.get(&mut b, "/sessions").await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    // The other session's token was invalidated at LoginRadius: refused even as a Bearer
    // token on a fresh authenticator (no cache, no registry).
    assert_eq!(app.me_with_bearer(&b_token).await, 401);
    let fresh = Authenticator::builder(client_builder(&app.emulator).build().unwrap())
        .build()
        .unwrap();
    let token = loginradius::auth::AccessToken::new(b_token);
    assert!(fresh.authenticate(&token).await.is_err());
    // The current one's lives on.
    assert_eq!(app.me_with_bearer(&token_of(&a)).await, 200);
}

/// An administrator (the configured `Require`) ends every session of a user on every
/// replica; a user without the role is refused (403) and nothing ends.
pub async fn an_administrator_ends_every_session_of_a_user_and_no_one_else_can(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_user(user("ada@example.com").roles(["admin"]))
            .with_user(user("sam@example.com")),
    )
    .await;
    let (mut admin, mut a, mut b) = Default::default();
    for (browser, email) in [
        (&mut admin, "ada@example.com"),
        (&mut a, "sam@example.com"),
        (&mut b, "sam@example.com"),
    ] {
        let reply = app.login(browser, email, PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let uid_of = |browser: &Browser| match browser.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(Session::SignedIn { uid, .. }) => uid,
        other => panic!("{other:?}"),
    };
    let (ada, sam) = (uid_of(&admin), uid_of(&a));
    let refused = app
        .post(
            &mut a,
            &format!("/admin/users/{ada}/sessions/end"),
            json!({}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(app.get(&mut admin, "/sessions").await.status, 200);

    let ended = app
        .post(
            &mut admin,
            &format!("/admin/users/{sam}/sessions/end"),
            json!({}),
        )
        .await;
    assert_eq!(
        (ended.status, ended.body.clone()),
        (200, json!({"ended": 2})),
        "{}",
        ended.text
    );
    assert_eq!(app.get(&mut a, "/sessions").await.status, 401);
    assert_eq!(app.get(&mut b, "/sessions").await.status, 401);
    assert_eq!(app.get(&mut admin, "/sessions").await.status, 200);
}

/// A verified `BlockAccount` webhook ends every session of the user through the same path as
/// the helpers: the guard refuses both session cookies, the registry has no entry left, and
/// their tokens were invalidated at LoginRadius (a fresh authenticator refuses them).
pub async fn a_blocked_account_webhook_ends_every_session_and_invalidates_their_tokens(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_user(user("bea@example.com"))
            .with_user(user("tom@example.com")),
    )
    .await;
    let (mut a, mut b, mut t) = Default::default();
    for (browser, email) in [
        (&mut a, "bea@example.com"),
        (&mut b, "bea@example.com"),
        (&mut t, "tom@example.com"),
    ] {
        let reply = app.login(browser, email, PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(app.me(browser).await, 200);
    }
    let signed_in = |browser: &Browser| match browser.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(Session::SignedIn {
            uid, access_token, ..
        }) => (uid, access_token),
        other => panic!("{other:?}"),
    };
    let (uid, a_token) = signed_in(&a);
    let (_, b_token) = signed_in(&b);
    let body = hook(
        "BlockAccount",
        "hook-block-1",
        &uid,
        time::OffsetDateTime::now_utc(),
    );
    let signature = sign_webhook(app.emulator.api_secret(), &body);
    let reply = app.webhook(body, Some(signature)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body, json!({"received": true, "handled": true}));

    for browser in [&mut a, &mut b] {
        assert_eq!(app.me(browser).await, 401);
        assert_eq!(app.get(browser, "/sessions").await.status, 401);
    }
    let fleet = app.flows.authenticator().shared_state();
    assert!(fleet.sessions_of(&uid).await.unwrap().is_empty());
    let fresh = Authenticator::builder(client_builder(&app.emulator).build().unwrap())
        .build()
        .unwrap();
    for token in [a_token, b_token] {
        assert!(fresh.authenticate(&token).await.is_err());
    }
    // Another user is untouched.
    assert_eq!(app.me(&t).await, 200);
}

/// `code` with its last digit changed: a wrong code of the same shape.
fn wrong_code(code: &str) -> String {
    let mut digits: Vec<char> = code.chars().collect();
    if let Some(last) = digits.last_mut() {
        *last = if *last == '9' { '0' } else { '9' };
    }
    digits.into_iter().collect()
}

/// Sign-in by a texted code: the send answers alike for known and unknown numbers, a wrong
/// code is refused without a session, the right one signs in (once), and an account with a
/// second factor then goes through the MFA step (a session only after its code).
pub async fn phone_sign_in_with_a_texted_code(serve: impl Serve) {
    const PHONE: &str = "+15550100001";
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user("pia@example.com").phone(PHONE)),
    )
    .await;
    let mut b = Browser::default();
    for number in [PHONE, "+15550100999"] {
        let sent = app
            .post(&mut b, "/phone/send", json!({"phone": number}))
            .await;
        assert_eq!(sent.status, 200, "{number}: {}", sent.text);
        assert_eq!(sent.body, json!({"sent": true}), "{number}");
    }
    assert!(
        app.emulator.outbox().iter().all(|m| m.to != "+15550100999"),
        "nothing is texted to a number with no account"
    );
    let code = app.outbox_code(PHONE, "sms_passwordless_login");
    let wrong = app
        .post(
            &mut b,
            "/phone/login",
            json!({"phone": PHONE, "code": wrong_code(&code)}),
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    assert_eq!(wrong.body["error"], "invalid_code");
    assert!(wrong.set_cookie.is_none() && b.cookie.is_none());

    let signed_in = app
        .post(
            &mut b,
            "/phone/login",
            json!({"phone": PHONE, "code": code}),
        )
        .await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(signed_in.body["signed_in"], true);
    assert_eq!(signed_in.body["email"], "pia@example.com");
    assert!(!signed_in.text.contains(&code));
    assert!(matches!(
        app.read(b.cookie.as_ref().unwrap()).unwrap(),
        Session::SignedIn { .. }
    ));
    assert_eq!(app.get(&mut b, "/mfa/factors").await.status, 200);
    // A code works once.
    let again = app
        .post(
            &mut Browser::default(),
            "/phone/login",
            json!({"phone": PHONE, "code": code}),
        )
        .await;
    assert_eq!(again.status, 401, "{}", again.text);

    // With email codes on, a texted code is the first factor only: the second step follows,
    // and only then is there a session.
    assert_eq!(
        app.post(&mut b, "/mfa/email/send", json!({})).await.status,
        200
    );
    let email_code = app.outbox_code("pia@example.com", "email_second_factor");
    let on = app
        .post(&mut b, "/mfa/email/enable", json!({"code": email_code}))
        .await;
    assert_eq!(on.body, json!({"email": true}), "{}", on.text);
    let mut other = Browser::default();
    assert_eq!(
        app.post(&mut other, "/phone/send", json!({"phone": PHONE}))
            .await
            .status,
        200
    );
    let code = app.outbox_code(PHONE, "sms_passwordless_login");
    let first = app
        .post(
            &mut other,
            "/phone/login",
            json!({"phone": PHONE, "code": code}),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        first.body,
        json!({"mfa_required": true, "methods": ["email"]})
    );
    assert!(matches!(
        app.read(other.cookie.as_ref().unwrap()).unwrap(),
        Session::PendingMfa { .. }
    ));
    assert_eq!(app.get(&mut other, "/mfa/factors").await.status, 401);
    let sent = app
        .post(&mut other, "/login/mfa/send", json!({"method": "email"}))
        .await;
    assert_eq!(sent.body, json!({"sent": true}), "{}", sent.text);
    let email_code = app.outbox_code("pia@example.com", "email_second_factor");
    let wrong = app
        .post(
            &mut other,
            "/login/mfa",
            json!({"code": wrong_code(&email_code), "method": "email"}),
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    let done = app
        .post(
            &mut other,
            "/login/mfa",
            json!({"code": email_code, "method": "email"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert_eq!(done.body["email"], "pia@example.com");
    assert_eq!(app.get(&mut other, "/mfa/factors").await.status, 200);
}

/// SMS and email codes as second factor: set up for a signed-in user, listed in the MFA answer
/// of the next sign-in, sent on request to the registered number or address, accepted only for
/// their own method, and turned off again.
pub async fn sms_and_email_codes_as_second_factor_end_to_end(serve: impl Serve) {
    const MFA_PHONE: &str = "+15550100002";
    const EMAIL: &str = "quinn@example.com";
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user(EMAIL)),
    )
    .await;
    let mut b = Browser::default();
    assert_eq!(app.login(&mut b, EMAIL, PASSWORD).await.status, 200);
    // Another device, signed in before the second factor changes.
    let mut other = Browser::default();
    assert_eq!(app.login(&mut other, EMAIL, PASSWORD).await.status, 200);
    let factors = app.get(&mut b, "/mfa/factors").await;
    assert_eq!(factors.status, 200, "{}", factors.text);
    assert_eq!(
        (
            &factors.body["authenticator"],
            &factors.body["sms"],
            &factors.body["email"]
        ),
        (&json!(false), &json!(false), &json!(false))
    );

    // SMS: number, texted code (a wrong one refused), on.
    let sent = app
        .post(&mut b, "/mfa/sms/phone", json!({"phone": MFA_PHONE}))
        .await;
    assert_eq!(sent.body, json!({"sent": true}), "{}", sent.text);
    let code = app.outbox_code(MFA_PHONE, "sms_second_factor");
    let wrong = app
        .post(
            &mut b,
            "/mfa/sms/enable",
            json!({"code": wrong_code(&code)}),
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    let on = app
        .post(&mut b, "/mfa/sms/enable", json!({"code": code}))
        .await;
    assert_eq!(on.body, json!({"sms": true}), "{}", on.text);
    // A new second factor ends the other sessions; this one goes on.
    assert_eq!(app.me(&other).await, 401, "the other device's session");
    assert_eq!(app.me(&b).await, 200);
    // Email: a code to the account's address, on.
    assert_eq!(
        app.post(&mut b, "/mfa/email/send", json!({})).await.status,
        200
    );
    let code = app.outbox_code(EMAIL, "email_second_factor");
    let on = app
        .post(&mut b, "/mfa/email/enable", json!({"code": code}))
        .await;
    assert_eq!(on.body, json!({"email": true}), "{}", on.text);
    let factors = app.get(&mut b, "/mfa/factors").await.body;
    assert_eq!(
        (&factors["sms"], &factors["email"]),
        (&json!(true), &json!(true))
    );
    let masked = factors["sms_phone"].as_str().unwrap();
    assert!(masked.contains('*') && masked != MFA_PHONE, "{masked}");
    assert_eq!(app.post(&mut b, "/logout", json!({})).await.status, 200);

    // Sign in: the methods set up, no authenticator setup data.
    let first = app.login(&mut b, EMAIL, PASSWORD).await;
    assert_eq!(
        first.body,
        json!({"mfa_required": true, "methods": ["sms", "email"]}),
        "{}",
        first.text
    );
    assert_eq!(app.get(&mut b, "/mfa/factors").await.status, 401);
    let resent = app
        .post(&mut b, "/login/mfa/send", json!({"method": "sms"}))
        .await;
    assert_eq!(resent.body, json!({"sent": true}), "{}", resent.text);
    let sms_code = app.outbox_code(MFA_PHONE, "sms_second_factor");
    let emailed = app
        .post(&mut b, "/login/mfa/send", json!({"method": "email"}))
        .await;
    assert_eq!(emailed.body, json!({"sent": true}), "{}", emailed.text);
    let email_code = app.outbox_code(EMAIL, "email_second_factor");
    // A code of one method is no code of another; the pending login stays.
    for (code, method) in [
        (&sms_code, "email"),
        (&email_code, "sms"),
        (&sms_code, "authenticator"),
    ] {
        if code == &sms_code && code == &email_code {
            continue;
        }
        let crossed = app
            .post(
                &mut b,
                "/login/mfa",
                json!({"code": code, "method": method}),
            )
            .await;
        assert_eq!(crossed.status, 401, "{method}: {}", crossed.text);
        assert!(matches!(
            app.read(b.cookie.as_ref().unwrap()).unwrap(),
            Session::PendingMfa { .. }
        ));
    }
    let done = app
        .post(
            &mut b,
            "/login/mfa",
            json!({"code": sms_code, "method": "sms"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert!(!done.text.contains(&sms_code));
    assert_eq!(app.post(&mut b, "/logout", json!({})).await.status, 200);

    // The email method, end to end.
    let first = app.login(&mut b, EMAIL, PASSWORD).await;
    assert_eq!(first.body["mfa_required"], true, "{}", first.text);
    assert_eq!(
        app.post(&mut b, "/login/mfa/send", json!({"method": "email"}))
            .await
            .status,
        200
    );
    let code = app.outbox_code(EMAIL, "email_second_factor");
    let done = app
        .post(
            &mut b,
            "/login/mfa",
            json!({"code": code, "method": "email"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);

    // Off again: each change ends the other device's session (signed in with the email
    // code), this one goes on; the next sign-in is one step.
    let mut other = Browser::default();
    let pending = app.login(&mut other, EMAIL, PASSWORD).await;
    assert_eq!(pending.body["mfa_required"], true, "{}", pending.text);
    app.post(&mut other, "/login/mfa/send", json!({"method": "email"}))
        .await;
    let code = app.outbox_code(EMAIL, "email_second_factor");
    let other_in = app
        .post(
            &mut other,
            "/login/mfa",
            json!({"code": code, "method": "email"}),
        )
        .await;
    assert_eq!(other_in.body["signed_in"], true, "{}", other_in.text);
    let off = app.post(&mut b, "/mfa/sms/disable", json!({})).await;
    assert_eq!(off.body, json!({"sms": false}), "{}", off.text);
    assert_eq!(app.me(&other).await, 401, "the other device, after SMS off");
    assert_eq!(app.me(&b).await, 200);
    // The re-issued session is still proven by its sign-in with an email code (not stamped as
    // proven by a password now), so email codes, still on, can be turned off without a
    // re-authentication.
    let off = app.post(&mut b, "/mfa/email/disable", json!({})).await;
    assert_eq!(off.body, json!({"email": false}), "{}", off.text);
    assert_eq!(app.me(&b).await, 200);
    let again = app.login(&mut other, EMAIL, PASSWORD).await;
    assert_eq!(again.body["signed_in"], true, "{}", again.text);
    // Already off: nothing changes, the other session stays.
    let off = app.post(&mut b, "/mfa/sms/disable", json!({})).await;
    assert_eq!(off.body, json!({"sms": false}), "{}", off.text);
    assert_eq!(app.me(&other).await, 200);
}

/// Empty or malformed phone numbers, codes that are not digits and unknown methods are 400
/// `invalid_input` before any request to LoginRadius, signed in or not, mid-MFA or not.
pub async fn bad_phone_and_code_input_is_400_before_any_upstream_call(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user("rui@example.com"))
            .with_user(user("sam@example.com")),
    )
    .await;
    // A signed-in browser, and one mid-MFA (email codes on for sam).
    let mut signed_in = Browser::default();
    assert_eq!(
        app.login(&mut signed_in, "rui@example.com", PASSWORD)
            .await
            .status,
        200
    );
    let mut pending = Browser::default();
    assert_eq!(
        app.login(&mut pending, "sam@example.com", PASSWORD)
            .await
            .status,
        200
    );
    assert_eq!(
        app.post(&mut pending, "/mfa/email/send", json!({}))
            .await
            .status,
        200
    );
    let code = app.outbox_code("sam@example.com", "email_second_factor");
    assert_eq!(
        app.post(&mut pending, "/mfa/email/enable", json!({"code": code}))
            .await
            .status,
        200
    );
    pending.cookie = None;
    let first = app.login(&mut pending, "sam@example.com", PASSWORD).await;
    assert_eq!(first.body["mfa_required"], true, "{}", first.text);

    let calls = app.upstream_calls();
    let anonymous = Browser::default();
    for (browser, path, body) in [
        (&anonymous, "/phone/send", json!({"phone": ""})),
        (&anonymous, "/phone/send", json!({"phone": "call me"})),
        (&anonymous, "/phone/send", json!({"phone": "+1"})),
        (&anonymous, "/phone/send", json!({})),
        (
            &anonymous,
            "/phone/login",
            json!({"phone": "", "code": "123456"}),
        ),
        (
            &anonymous,
            "/phone/login",
            json!({"phone": "+15550100001", "code": "12ab56"}),
        ),
        (
            &anonymous,
            "/phone/login",
            json!({"phone": "+15550100001", "code": ""}),
        ),
        (
            &pending,
            "/login/mfa",
            json!({"code": "12ab56", "method": "email"}),
        ),
        (
            &pending,
            "/login/mfa",
            json!({"code": "123456", "method": "pigeon"}),
        ),
        (&pending, "/login/mfa/send", json!({"method": "pigeon"})),
        (
            &pending,
            "/login/mfa/send",
            json!({"method": "authenticator"}),
        ),
        (&signed_in, "/mfa/sms/phone", json!({"phone": "555-CALL"})),
        (&signed_in, "/mfa/sms/enable", json!({"code": "abcdef"})),
        (&signed_in, "/mfa/email/enable", json!({"code": " "})),
    ] {
        let reply = app.post(&mut browser.clone(), path, body.clone()).await;
        assert_eq!(reply.status, 400, "{path} {body}: {}", reply.text);
        assert_eq!(reply.body["error"], "invalid_input", "{path} {body}");
        assert!(reply.set_cookie.is_none(), "{path} {body}");
    }
    assert_eq!(
        app.upstream_calls(),
        calls,
        "no request reached LoginRadius"
    );
    assert!(matches!(
        app.read(pending.cookie.as_ref().unwrap()).unwrap(),
        Session::PendingMfa { .. }
    ));
}

/// Limits with short delays (the defaults, waited for in milliseconds).
fn fast_limits() -> LimitConfig {
    LimitConfig::default().delays(FIRST_DELAY, MAX_DELAY)
}

const FIRST_DELAY: Duration = Duration::from_millis(300);
const MAX_DELAY: Duration = Duration::from_millis(600);

/// Every request the emulator answered so far.
fn upstream_calls(emulator: &Emulator) -> u64 {
    emulator.stats().values().sum()
}

/// A refusal by a limit: 429 `too_many_attempts` with a whole-second `Retry-After`.
fn assert_slowed(reply: &Reply) {
    assert_eq!(reply.status, 429, "{}", reply.text);
    assert_eq!(reply.body["error"], "too_many_attempts", "{}", reply.text);
    let retry: u64 = reply
        .retry_after
        .as_deref()
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!(retry >= 1, "{retry}");
}

/// 300 wrong passwords for one account: the first few reach LoginRadius, then 429 with
/// `Retry-After` and growing delays; nothing signs in; the owner gets in once the delay is over.
pub async fn wrong_passwords_are_slowed_with_429_and_the_owner_gets_in_after_the_delay(
    serve: impl Serve,
) {
    let app = app_with(
        serve,
        EmulatorConfig::default().with_user(user("vic@example.com")),
        fast_limits(),
    )
    .await;
    let before = app.emulator.calls("POST", "/identity/v2/auth/login");
    let mut attacker = Browser::default();
    let (mut wrong, mut slowed) = (0, 0);
    for i in 0..300 {
        let reply = app
            .login(&mut attacker, "VIC@example.com", &format!("guess-{i}-x"))
            .await;
        match reply.status {
            401 => wrong += 1,
            _ => {
                assert_slowed(&reply);
                slowed += 1;
            }
        }
        assert!(attacker.cookie.is_none(), "no session for a wrong password");
    }
    let reached = app.emulator.calls("POST", "/identity/v2/auth/login") - before;
    println!("wrong passwords: {reached} of 300 reached LoginRadius, {slowed} answered 429");
    assert_eq!(
        reached, wrong,
        "only the attempts within the limit reach LoginRadius"
    );
    assert!(
        wrong <= 40 && slowed >= 260,
        "{wrong} wrong, {slowed} slowed"
    );
    // Still blocked right after the flood, even with the right password.
    assert_slowed(
        &app.login(&mut Browser::default(), "vic@example.com", PASSWORD)
            .await,
    );
    // The owner gets in once the delay is over.
    tokio::time::sleep(MAX_DELAY + Duration::from_millis(100)).await;
    let mut owner = Browser::default();
    let reply = app.login(&mut owner, "vic@example.com", PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["signed_in"], true);
}

/// LoginRadius's own lockout answer (1198, suspended with `LoginLockedTimeout`) reaches the
/// user as a clear 403 with `Retry-After` (1132 and 1148 are mapped the same way; their
/// messages are checked in core).
pub async fn loginradius_lockouts_reach_the_user_as_clear_messages(serve: impl Serve) {
    use loginradius_emulator::Lockout;
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_user(user("lou@example.com"))
            .with_lockout(Lockout::suspend(
                2,
                Duration::from_secs(60),
                Duration::from_secs(600),
            )),
    )
    .await;
    let mut b = Browser::default();
    for _ in 0..2 {
        assert_eq!(
            app.login(&mut b, "lou@example.com", "nope-nope-1")
                .await
                .status,
            401
        );
    }
    let locked = app.login(&mut b, "lou@example.com", PASSWORD).await;
    assert_eq!(locked.status, 403, "{}", locked.text);
    assert_eq!(locked.body["error"], "account_locked");
    assert!(
        locked.body["message"]
            .as_str()
            .unwrap()
            .contains("locked for a while"),
        "{}",
        locked.text
    );
    let retry: u64 = locked.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((590..=600).contains(&retry), "{retry}");
    assert!(b.cookie.is_none());
}

/// 300 wrong codes on one pending MFA sign-in: the fifth ends the challenge (401
/// `too_many_codes`, the pending session dropped), the replayed cookie is refused without a call
/// to LoginRadius, even with the right code; the user signs in again and gets in.
pub async fn wrong_mfa_codes_end_the_challenge_and_the_user_signs_in_again(serve: impl Serve) {
    let app = app_with(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Required)
            .with_user(user("mia@example.com")),
        fast_limits(),
    )
    .await;
    // Set up the authenticator on the first sign-in.
    let mut owner = Browser::default();
    let first = app.login(&mut owner, "mia@example.com", PASSWORD).await;
    let manual = first.body["manual_entry_code"].as_str().unwrap().to_owned();
    let done = app
        .post(
            &mut owner,
            "/login/mfa",
            json!({"code": totp_code(&manual)}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);

    // The attacker knows the password and keeps the pending session's cookie.
    let mut attacker = Browser::default();
    let pending = app.login(&mut attacker, "mia@example.com", PASSWORD).await;
    assert_eq!(
        pending.body,
        json!({"mfa_required": true, "methods": ["authenticator"]})
    );
    let stolen = attacker.cookie.clone().unwrap();
    let verify = "/identity/v2/auth/login/2fa/verification/authenticatorcode";
    let before = app.emulator.calls("PUT", verify);
    for i in 0..300 {
        attacker.cookie = Some(stolen.clone());
        let reply = app
            .post(
                &mut attacker,
                "/login/mfa",
                json!({"code": wrong_totp_code(&manual)}),
            )
            .await;
        match i {
            0..4 => {
                assert_eq!(reply.status, 401, "{}", reply.text);
                assert_eq!(reply.body["error"], "invalid_code");
                assert!(
                    attacker.cookie.is_some(),
                    "a wrong code keeps the challenge"
                );
            }
            4 => {
                assert_eq!(reply.status, 401, "{}", reply.text);
                assert_eq!(reply.body["error"], "too_many_codes");
                assert!(attacker.cookie.is_none(), "the pending sign-in is dropped");
            }
            _ if reply.status == 429 => assert_slowed(&reply),
            _ => {
                assert_eq!(reply.status, 401, "{}", reply.text);
                assert_eq!(reply.body["error"], "too_many_codes");
            }
        }
    }
    assert_eq!(
        app.emulator.calls("PUT", verify) - before,
        5,
        "five codes reached LoginRadius"
    );
    // The right code no longer opens that challenge (once the client's delay is over: the
    // attempt may land on a fresh strike of the client's limit, a 429, then it is retried).
    let mut late = None;
    for _ in 0..4 {
        tokio::time::sleep(MAX_DELAY + Duration::from_millis(100)).await;
        attacker.cookie = Some(stolen.clone());
        let reply = app
            .post(
                &mut attacker,
                "/login/mfa",
                json!({"code": totp_code(&manual)}),
            )
            .await;
        assert!(reply.body.get("signed_in").is_none(), "{}", reply.text);
        if reply.status != 429 {
            late = Some(reply);
            break;
        }
        assert_slowed(&reply);
    }
    let late = late.expect("an answer other than 429 within four delays");
    assert_eq!(
        (late.status, late.body["error"].as_str()),
        (401, Some("too_many_codes"))
    );

    // The user signs in again: password, then the right code.
    let mut again = Browser::default();
    let pending = app.login(&mut again, "mia@example.com", PASSWORD).await;
    assert_eq!(
        pending.body,
        json!({"mfa_required": true, "methods": ["authenticator"]}),
        "{}",
        pending.text
    );
    // From the attacker's address (both are loopback here), the client's limit on the MFA step
    // may still be passed: the user gets in once its delay is over.
    let mut done = None;
    for _ in 0..4 {
        let reply = app
            .post(
                &mut again,
                "/login/mfa",
                json!({"code": totp_code(&manual)}),
            )
            .await;
        if reply.status != 429 {
            done = Some(reply);
            break;
        }
        assert_slowed(&reply);
        tokio::time::sleep(MAX_DELAY + Duration::from_millis(100)).await;
    }
    let done = done.expect("in after the delay");
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
}

/// Look-alike addresses are refused at registration with a clear message before any call;
/// a full-width spelling is the same account as its ASCII form.
pub async fn look_alike_emails_are_refused_at_registration(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_email_verification(EmailVerification::Disabled)
            .with_user(user("admin@example.com")),
    )
    .await;
    let register = "/identity/v2/auth/register";
    let before = app.emulator.calls("POST", register);
    let mut b = Browser::default();
    for (email, says) in [
        ("\u{430}dmin@example.com", "alphabets"),
        ("\u{430}\u{440}\u{440}@example.com", "imitate"),
    ] {
        let reply = app
            .post(
                &mut b,
                "/register",
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(reply.status, 400, "{email}: {}", reply.text);
        assert_eq!(reply.body["error"], "invalid_email");
        assert!(
            reply.body["message"].as_str().unwrap().contains(says),
            "{}",
            reply.text
        );
    }
    assert_eq!(
        app.emulator.calls("POST", register),
        before,
        "refused before any call"
    );
    // Full width normalises to the existing account.
    let reply = app
        .post(
            &mut b,
            "/register",
            json!({"email": "\u{ff41}dmin@EXAMPLE.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 409, "{}", reply.text);
    assert!(b.cookie.is_none());
    // An honest address registers, with its domain in lower case.
    let reply = app
        .post(
            &mut b,
            "/register",
            json!({"email": "New.User@Example.COM", "password": PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["signed_in"], true);
    let me = app.get(&mut b, "/mfa/setup").await;
    assert_eq!(me.status, 200, "{}", me.text);
    let admin = client_builder(&app.emulator).build().unwrap();
    let profile = admin
        .account()
        .by_email("New.User@example.com")
        .await
        .unwrap();
    assert_eq!(profile.primary_email(), Some("New.User@example.com"));
}

/// Set password on an account that has one is refused (409) and changes nothing: the old
/// password still signs in, the new one does not.
pub async fn set_password_is_refused_on_an_account_that_has_one(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("sam@example.com")),
    )
    .await;
    let mut b = app.signed_in("sam@example.com").await;
    let reply = app
        .post(
            &mut b,
            "/set-password",
            json!({"password": "new-password-7"}),
        )
        .await;
    assert_eq!(reply.status, 409, "{}", reply.text);
    assert_eq!(reply.body["error"], "password_exists");
    let mut other = Browser::default();
    assert_eq!(
        app.login(&mut other, "sam@example.com", "new-password-7")
            .await
            .status,
        401
    );
    assert_eq!(
        app.login(&mut other, "sam@example.com", PASSWORD)
            .await
            .status,
        200
    );
    // Without a session: 401, nothing called.
    let anonymous = app
        .post(
            &mut Browser::default(),
            "/set-password",
            json!({"password": "new-password-7"}),
        )
        .await;
    assert_eq!(anonymous.status, 401);
}

/// 300 made-up Bearer tokens from one client on a guarded route cost at most 60 LoginRadius
/// calls (one per token until the client's failed lookups pass the limit, then 429 with
/// `Retry-After`), and a signed-in user on the same route gets 200s throughout.
pub async fn a_token_flood_costs_few_loginradius_calls_and_signed_in_users_are_not_slowed(
    serve: impl Serve,
) {
    let app = app(
        serve,
        EmulatorConfig::default().with_user(user("una@example.com")),
    )
    .await;
    let mut owner = Browser::default();
    assert_eq!(
        app.login(&mut owner, "una@example.com", PASSWORD)
            .await
            .status,
        200
    );
    let me = format!("{}/api/me", app.server.base);
    let cookie = owner.cookie.clone().unwrap();
    let owner_get = || app.http.get(&me).header("cookie", &cookie).send();
    assert_eq!(owner_get().await.unwrap().status(), 200);
    let before = upstream_calls(&app.emulator);
    let (mut refused, mut slowed) = (0, 0);
    for round in 0..30 {
        let mut flood = tokio::task::JoinSet::new();
        for i in 0..10 {
            let request = app
                .http
                .get(&me)
                .bearer_auth(format!("made-up-token-{round}-{i}-{}", "x".repeat(20)));
            flood.spawn(async move {
                let response = request.send().await.unwrap();
                let retry = response.headers().get("retry-after").cloned();
                (response.status().as_u16(), retry)
            });
        }
        // The signed-in user, during the flood.
        let mine = owner_get().await.unwrap();
        assert_eq!(mine.status(), 200, "round {round}");
        while let Some(answer) = flood.join_next().await {
            match answer.unwrap() {
                (401, _) => refused += 1,
                (429, Some(retry)) => {
                    assert!(retry.to_str().unwrap().parse::<u64>().unwrap() >= 1);
                    slowed += 1;
                }
                other => panic!("unexpected answer to a made-up token: {other:?}"),
            }
        }
    }
    let spent = upstream_calls(&app.emulator) - before;
    println!(
        "token flood: {spent} LoginRadius calls for 300 made-up tokens ({refused} 401, {slowed} 429)"
    );
    assert!(
        spent <= 60,
        "{spent} LoginRadius calls for 300 made-up tokens"
    );
    assert_eq!(refused + slowed, 300);
    assert!(slowed >= 200, "{refused} refused, {slowed} slowed");
    // The same made-up token again: remembered, no call.
    let again_before = upstream_calls(&app.emulator);
    let bad = "made-up-token-0-0-".to_owned() + &"x".repeat(20);
    let status = app
        .http
        .get(&me)
        .bearer_auth(&bad)
        .send()
        .await
        .unwrap()
        .status();
    assert!(status == 401 || status == 429, "{status}");
    assert_eq!(upstream_calls(&app.emulator), again_before);
}

/// Sign-in limited to 3 attempts per client (no account limit), for the forwarding scenarios.
fn three_per_client() -> LimitConfig {
    use loginradius::web::limits::{Action, Limit, Rule};
    fast_limits().with_rule(
        Action::SignIn,
        Rule {
            per_account: None,
            per_client: Some(Limit::new(3, Duration::from_secs(60))),
        },
    )
}

/// Four wrong sign-ins (each for another account) with `X-Forwarded-For: client`: their statuses.
async fn four_wrong_sign_ins(app: &App, client: &str) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..4 {
        let reply = app
            .send(
                &mut Browser::default(),
                reqwest::Method::POST,
                "/login",
                Some(json!({"email": format!("x{i}@example.com"), "password": "nope-nope-1"})),
                &[("x-forwarded-for", client)],
            )
            .await;
        statuses.push(reply.status);
    }
    statuses
}

/// Behind a trusted proxy (loopback here), `X-Forwarded-For` names the client: each client has
/// its own count, and a spoofed left-most entry does not make a new one.
pub async fn forwarded_addresses_count_only_from_trusted_proxies(serve: impl Serve) {
    let app = app_behind(
        serve,
        EmulatorConfig::default(),
        three_per_client(),
        "127.0.0.1".parse().unwrap(),
    )
    .await;
    assert_eq!(
        four_wrong_sign_ins(&app, "203.0.113.1").await,
        [401, 401, 401, 429]
    );
    // Another client through the proxy: its own count.
    assert_eq!(
        four_wrong_sign_ins(&app, "203.0.113.2").await,
        [401, 401, 401, 429]
    );
    // The first client writing a made-up address before its own: still the first client.
    let spoofed = app
        .send(
            &mut Browser::default(),
            reqwest::Method::POST,
            "/login",
            Some(json!({"email": "y@example.com", "password": "nope-nope-1"})),
            &[("x-forwarded-for", "198.51.100.77, 203.0.113.1")],
        )
        .await;
    assert_slowed(&spoofed);
}

/// Without trusted proxies (the default), `X-Forwarded-For` changes nothing: the peer is the
/// client, whatever the header says.
pub async fn forwarded_addresses_are_ignored_by_default(serve: impl Serve) {
    let app = app_with(serve, EmulatorConfig::default(), three_per_client()).await;
    assert_eq!(
        four_wrong_sign_ins(&app, "203.0.113.1").await,
        [401, 401, 401, 429]
    );
    let other = app
        .send(
            &mut Browser::default(),
            reqwest::Method::POST,
            "/login",
            Some(json!({"email": "z@example.com", "password": "nope-nope-1"})),
            &[("x-forwarded-for", "203.0.113.2")],
        )
        .await;
    assert_slowed(&other);
}

/// Sign-in by texted code is limited like the password sign-in: texts to one number stop after
/// the limit, 300 guessed codes mostly never reach LoginRadius (429
/// with `Retry-After`), and the owner signs in with the texted code once the delay is over.
pub async fn phone_codes_are_limited_per_number_and_the_owner_gets_in_after_the_delay(
    serve: impl Serve,
) {
    const PHONE: &str = "+15550100003";
    const VERIFY: &str = "/identity/v2/auth/login/passwordlesslogin/otp/verify";
    let app = app_with(
        serve,
        EmulatorConfig::default().with_user(user("pam@example.com").phone(PHONE)),
        fast_limits(),
    )
    .await;
    let mut b = Browser::default();
    for number in [PHONE, PHONE, PHONE] {
        let sent = app
            .post(&mut b, "/phone/send", json!({"phone": number}))
            .await;
        assert_eq!(sent.status, 200, "{number}: {}", sent.text);
    }
    let texts = |app: &App| {
        app.emulator
            .outbox()
            .iter()
            .filter(|m| m.to == PHONE)
            .count()
    };
    let sent = texts(&app);
    let refused = app
        .post(&mut b, "/phone/send", json!({"phone": PHONE}))
        .await;
    assert_slowed(&refused);
    assert_eq!(texts(&app), sent, "nothing texted past the limit");

    let code = app.outbox_code(PHONE, "sms_passwordless_login");
    let before = app.emulator.calls("PUT", VERIFY);
    let (mut wrong, mut slowed) = (0, 0);
    for i in 0..300 {
        let guess = format!("{:06}", (i * 7919) % 1_000_000);
        if guess == code {
            continue;
        }
        let reply = app
            .post(
                &mut Browser::default(),
                "/phone/login",
                json!({"phone": PHONE, "code": guess}),
            )
            .await;
        match reply.status {
            401 => wrong += 1,
            _ => {
                assert_slowed(&reply);
                slowed += 1;
            }
        }
    }
    let reached = app.emulator.calls("PUT", VERIFY) - before;
    assert_eq!(
        reached, wrong,
        "only attempts within the limit reach LoginRadius"
    );
    assert!(
        wrong <= 40 && slowed >= 250,
        "{wrong} wrong, {slowed} slowed"
    );

    tokio::time::sleep(MAX_DELAY + Duration::from_millis(100)).await;
    let mut owner = Browser::default();
    let reply = app
        .post(
            &mut owner,
            "/phone/login",
            json!({"phone": PHONE, "code": code}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["signed_in"], true);
}

/// Step-up requirements on the app's own guarded routes: a password sign-in is fresh but no
/// second factor (403 `reauth_required`, RFC 9470's `insufficient_user_authentication`); the
/// same token as a Bearer carries no proof at all; past the window the session is stale until
/// `POST /reauth`, after which the guard accepts it at once; a code of the authenticator app
/// proves the second factor.
pub async fn step_up_guards_follow_how_and_when_the_session_was_proven(serve: impl Serve) {
    let app = app(
        serve,
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user("sol@example.com")),
    )
    .await;
    let mut b = app.signed_in("sol@example.com").await;
    let refused_for_proof = |(status, body, challenge): (u16, Value, Option<String>)| {
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error"], "reauth_required", "{body}");
        let challenge = challenge.expect("a WWW-Authenticate challenge");
        assert!(
            challenge.contains(r#"error="insufficient_user_authentication""#),
            "{challenge}"
        );
    };
    assert_eq!(app.guarded(&b, "/step-up/fresh", None).await.0, 200);
    refused_for_proof(app.guarded(&b, "/step-up/second-factor", None).await);

    // The session's token sent as a Bearer: a valid user, but no session, so no proof.
    let token = match b.cookie.as_deref().and_then(|c| app.read(c)) {
        Some(Session::SignedIn { access_token, .. }) => access_token.expose().to_owned(),
        other => panic!("{other:?}"),
    };
    assert_eq!(app.me_with_bearer(&token).await, 200);
    refused_for_proof(app.guarded(&b, "/step-up/fresh", Some(&token)).await);

    // Past the window: stale, until the session is proven again; then accepted at once (the
    // re-authentication tells every replica's guard).
    tokio::time::sleep(STEP_UP_WINDOW + Duration::from_millis(100)).await;
    refused_for_proof(app.guarded(&b, "/step-up/fresh", None).await);
    let wrong = app
        .post(&mut b, "/reauth", json!({"password": "wrong-one-1"}))
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    refused_for_proof(app.guarded(&b, "/step-up/fresh", None).await);
    let right = app
        .post(&mut b, "/reauth", json!({"password": PASSWORD}))
        .await;
    assert_eq!(
        right.body,
        json!({"reauthenticated": true}),
        "{}",
        right.text
    );
    assert_eq!(app.guarded(&b, "/step-up/fresh", None).await.0, 200);
    refused_for_proof(app.guarded(&b, "/step-up/second-factor", None).await);

    // A code of the authenticator app (turning it on) proves the second factor.
    let setup = app.get(&mut b, "/mfa/setup").await;
    let manual = setup.body["manual_entry_code"].as_str().unwrap().to_owned();
    let enabled = app
        .post(&mut b, "/mfa/enable", json!({"code": totp_code(&manual)}))
        .await;
    assert_eq!(enabled.body, json!({"enabled": true}), "{}", enabled.text);
    let (status, _, _) = app.guarded(&b, "/step-up/second-factor", None).await;
    assert_eq!(status, 200);
    assert_eq!(app.guarded(&b, "/step-up/fresh", None).await.0, 200);
    // Signed out: 401, not a re-authentication.
    assert_eq!(app.post(&mut b, "/logout", json!({})).await.status, 200);
    let (status, _, _) = app.guarded(&b, "/step-up/second-factor", None).await;
    assert_eq!(status, 401);
}

/// Consent as a sign-in step (`EmulatorConfig::with_login_consent`): the password sign-in of a
/// user who has not accepted the `Login` form answers `{"consent_required": true, "options"}`
/// with the consent token kept in the session cookie (no session yet); `POST /login/consent`
/// records the choices and signs in; the next sign-in asks no more. A consent step with no
/// waiting sign-in, a made-up cookie, a replayed (used) step, an expired one and a cross-site
/// post are refused with no session; the step is limited per client like the MFA step.
pub async fn a_sign_in_waits_for_consent_then_signs_in_and_asks_no_more(serve: impl Serve) {
    use loginradius::web::limits::{Action, Limit, Rule};
    const CLEO: &str = "cleo@example.com";
    const DORA: &str = "dora@example.com";
    let limits = LimitConfig::default().with_rule(
        Action::ConsentStep,
        Rule {
            per_account: None,
            per_client: Some(Limit::new(12, Duration::from_secs(300))),
        },
    );
    let app = app_with(
        serve,
        EmulatorConfig::default()
            .with_login_consent()
            .with_user(user(CLEO))
            .with_user(user(DORA)),
        limits,
    )
    .await;
    let accept = json!({"accepted": ["email_consent", "marketing_consent"]});

    // No sign-in waiting, or a cookie we did not seal: refused, nothing sent upstream.
    let calls = app.upstream_calls();
    let mut b = Browser::default();
    let none = app.post(&mut b, "/login/consent", accept.clone()).await;
    assert_eq!(none.status, 401, "{}", none.text);
    assert_eq!(none.body["error"], "consent_expired");
    assert!(b.cookie.is_none());
    let mut forged = Browser {
        cookie: Some(format!("{}=made-up", app.session.cookie_name())),
    };
    let refused = app
        .post(&mut forged, "/login/consent", accept.clone())
        .await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    assert_eq!(app.me(&forged).await, 401);
    assert_eq!(app.upstream_calls(), calls);

    // The sign-in waits for consent: the options, the token in the cookie only, no session.
    let step = app.login(&mut b, CLEO, PASSWORD).await;
    assert_eq!(step.status, 200, "{}", step.text);
    assert_eq!(step.body["consent_required"], true);
    assert_eq!(step.body["event"], "Login");
    let ids: Vec<&str> = step.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["email_consent", "sms_consent", "marketing_consent"]);
    assert_eq!(step.body["options"][2]["title"], "Offers and news");
    assert!(step.body.get("signed_in").is_none());
    assert!(matches!(
        app.read(b.cookie.as_ref().unwrap()),
        Some(Session::PendingConsent { .. })
    ));
    assert_eq!(app.me(&b).await, 401, "no session before consent");
    let waiting = b.clone();

    // A cross-site post is refused and leaves the step as it was; an unknown option is 400.
    let cross = app
        .send(
            &mut b,
            reqwest::Method::POST,
            "/login/consent",
            Some(accept.clone()),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(cross.status, 403, "{}", cross.text);
    assert_eq!(cross.body["error"], "csrf");
    assert!(cross.set_cookie.is_none());
    let unknown = app
        .post(
            &mut b,
            "/login/consent",
            json!({"accepted": ["no_such_option"]}),
        )
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.text);
    assert_eq!(b.cookie, waiting.cookie);

    // Accepted: signed in, the choices recorded at LoginRadius.
    let done = app.post(&mut b, "/login/consent", accept.clone()).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["signed_in"], true);
    assert_eq!(done.body["email"], CLEO);
    let Some(Session::SignedIn { access_token, .. }) = app.read(b.cookie.as_ref().unwrap()) else {
        panic!("a signed-in session after consent");
    };
    assert_eq!(app.me(&b).await, 200);
    let client = app.flows.authenticator().client();
    let profile = client
        .auth()
        .profile(access_token.expose())
        .send_json()
        .await
        .unwrap();
    let given: Vec<(String, bool)> = profile["ConsentProfile"]["Consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["ConsentOptionId"].as_str().unwrap().to_owned(),
                c["IsAccepted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        given,
        [
            ("email_consent".to_owned(), true),
            ("sms_consent".to_owned(), false),
            ("marketing_consent".to_owned(), true),
        ]
    );

    // The used step, replayed from the old cookie: refused, the step ended, no session.
    let mut replay = waiting.clone();
    let again = app
        .post(&mut replay, "/login/consent", accept.clone())
        .await;
    assert_eq!(again.status, 401, "{}", again.text);
    assert_eq!(again.body["error"], "consent_expired");
    assert!(replay.cookie.is_none());

    // The next sign-in asks no more.
    let mut second = Browser::default();
    let signed_in = app.login(&mut second, CLEO, PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(signed_in.body["signed_in"], true);

    // An expired step (LoginRadius's token outlived) is refused with no session.
    let mut late = Browser::default();
    let step = app.login(&mut late, DORA, PASSWORD).await;
    assert_eq!(step.body["consent_required"], true, "{}", step.text);
    app.emulator.advance_clock(Duration::from_secs(11 * 60));
    let expired = app.post(&mut late, "/login/consent", accept.clone()).await;
    assert_eq!(expired.status, 401, "{}", expired.text);
    assert_eq!(expired.body["error"], "consent_expired");
    assert!(late.cookie.is_none());

    // Limited per client like the MFA step: past the limit, 429 with Retry-After.
    let mut prober = Browser::default();
    let mut slowed = None;
    for _ in 0..12 {
        let reply = app
            .post(&mut prober, "/login/consent", accept.clone())
            .await;
        if reply.status == 429 {
            slowed = Some(reply);
            break;
        }
        assert_eq!(reply.status, 401, "{}", reply.text);
    }
    assert_slowed(&slowed.expect("the consent step is limited"));
}
