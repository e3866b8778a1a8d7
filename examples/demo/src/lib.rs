//! # demo
//!
//! The official LoginRadius Python SDK's Flask demo, rebuilt on axum with `loginradius`,
//! `loginradius::web` (session cookie and flows) and `loginradius-axum` (layer, extractors,
//! guards, login redirect): login by password, MFA login (QR code or manual code, then the
//! 6-digit code), passwordless login by email link, registration, email verification, forgot
//! and reset password, and a profile area (profile, change and set password, account update,
//! custom objects, MFA reset, role management for admins, logout).
//!
//! What it does differently from the original, on purpose:
//! - No password or token ever travels in a URL or lives in `localStorage`. Email links point
//!   at `…/verify-email#`, `…/reset-password#` and `…/passwordless/verify#`: LoginRadius (and
//!   the emulator) append `?vtype=…&vtoken=…` after the `#`, so the token is in the URL
//!   *fragment*, which browsers never send to the server. A few lines of JavaScript
//!   (`/static/link.js`) move it into a form field, scrub it from the address bar and POST the
//!   form. Should a token arrive in the query string anyway, the page puts it in the form
//!   instead; the demo logs no request URL and every response carries
//!   `Referrer-Policy: no-referrer`, and no `Location` header ever carries a token.
//! - The uid for set-password, account update, custom objects and MFA reset comes from the
//!   signed-in session, never from a form field.
//! - Role management requires the `admin` role (`Guarded<AdminOnly>` from `loginradius-axum`).
//! - Every form carries a CSRF token (HMAC of a random `SameSite=Strict` cookie) and every
//!   state-changing request also passes `tower_http::csrf::CsrfLayer` (Sec-Fetch-Site/Origin).
//! - The session is `loginradius::web`'s encrypted `HttpOnly; SameSite=Lax` cookie; forms are
//!   POST-redirect-GET with one-time flash messages in an encrypted cookie.
//! - Error messages come from the LoginRadius error codes (`loginradius::web::error_response`).

mod csrf;
pub mod fleet;
mod handlers;
pub mod metrics;
mod render;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::middleware;
use loginradius::LoginRadius;
use loginradius::auth::{Authenticator, TokenExtractor};
use loginradius::web::{
    ConsentForm, ConsentOption, CookieSecurity, FlowConfig, Flows, SessionCookie,
};
use loginradius_axum::{LoginRadiusLayer, Require, policy};
use loginradius_emulator::{Emulator, EmulatorConfig};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use fleet::FleetOptions;
pub use render::Templates;

policy! {
    /// Administrators only, signed in or re-authenticated within the last 15 minutes: the role
    /// management pages. A stale session is sent to `/reauth?next=…`.
    pub AdminOnly = Require::role("admin")
        .and(Require::proven_within(std::time::Duration::from_secs(15 * 60)));
}

/// The application state shared by every handler. Cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) flows: Flows,
    /// The consent form shown when a sign-in waits for the user's consent.
    pub(crate) consent_form: Arc<ConsentForm>,
    pub(crate) templates: Templates,
    pub(crate) keys: Arc<csrf::Keys>,
    pub(crate) outbox_url: Option<Arc<str>>,
}

impl AppState {
    pub(crate) fn client(&self) -> &LoginRadius {
        self.flows.authenticator().client()
    }
}

/// Where the demo is served and what it shows.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The site's public origin, such as `http://127.0.0.1:5000` (the email links lead there).
    pub public_url: String,
    /// The emulator's outbox page, shown on the pages that send an email.
    pub outbox_url: Option<String>,
    /// What this replica shares with the others (nothing by default).
    pub fleet: FleetOptions,
}

/// The site's `Login` consent form, as the emulator's (options `email_consent`, `sms_consent`,
/// `marketing_consent`). With LoginRadius, list the options of your site's consent form here.
pub fn consent_form() -> ConsentForm {
    ConsentForm::login([
        ConsentOption::new("email_consent", "Emails about my account and this site"),
        ConsentOption::new("sms_consent", "Text messages about my account"),
        ConsentOption::new("marketing_consent", "Offers and news")
            .description("Now and then; you can stop them whenever you like."),
    ])
}

/// When the demo's cookies are `Secure`: always when its public URL is HTTPS; else the
/// development setting, chosen explicitly ([`CookieSecurity::AllowLocalHttp`]: plain HTTP on a
/// loopback host, where the demo runs by default, and `Secure` anywhere else).
fn cookie_security(public_url: &str) -> CookieSecurity {
    if public_url.starts_with("https://") {
        CookieSecurity::Always
    } else {
        CookieSecurity::AllowLocalHttp
    }
}

/// The demo's router over `client`.
pub fn app(client: LoginRadius, options: &DemoOptions) -> Result<Router, loginradius::Error> {
    let session = match &options.fleet.session_key {
        Some(key) => SessionCookie::from_master_key(key)?,
        None => SessionCookie::generate(),
    }
    .with_security(cookie_security(&options.public_url));
    let mut authenticator = Authenticator::builder(client)
        .token_sources(TokenExtractor::none().with(session.token_source()));
    if let Some(state) = &options.fleet.shared_state {
        authenticator = authenticator.shared_state(Arc::clone(state));
    }
    let authenticator = authenticator.build()?;
    let base = options.public_url.trim_end_matches('/');
    let flows = Flows::new(authenticator.clone(), session)
        .map_err(|e| loginradius::Error::Config(e.to_string()))?
        .config(
            FlowConfig::default()
                .verification_url(format!("{base}/verify-email#"))
                .reset_password_url(format!("{base}/reset-password#"))
                .passwordless_url(format!("{base}/passwordless/verify#"))
                .consent_form(consent_form()),
        );
    let templates = Templates::new();
    let webhooks = fleet::webhook_routes(flows.clone());
    let state = AppState {
        flows,
        consent_form: Arc::new(consent_form()),
        templates: templates.clone(),
        keys: Arc::new(csrf::Keys::generate()),
        outbox_url: options.outbox_url.as_deref().map(Arc::from),
    };
    let auth_layer =
        LoginRadiusLayer::new(authenticator).on_rejection(render::rejection_handler(templates));
    let renew = middleware::from_fn_with_state(
        state.flows.clone(),
        loginradius_axum::routes::renew_session,
    );
    Ok(handlers::routes()
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(auth_layer)
        // A busy session outlives its first token (renewed before it expires).
        .layer(renew)
        .layer(csrf::origin_layer())
        .with_state(state)
        .merge(webhooks)
        .merge(metrics::routes()))
}

/// A running demo: its URL, the in-process emulator when there is one, and the server task.
pub struct Running {
    /// The site's URL, such as `http://127.0.0.1:5000`.
    pub url: String,
    /// The in-process emulator (absent when talking to the real service).
    pub emulator: Option<Emulator>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops the server (and the emulator).
    pub async fn shutdown(self) {
        self.task.abort();
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
    }

    /// Waits for the server to stop.
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Starts the demo on `bind` over the emulator started with `config`.
pub async fn start_with_emulator(
    config: EmulatorConfig,
    bind: SocketAddr,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    start_replica_with_emulator(config, bind, FleetOptions::default()).await
}

/// Starts the demo on `bind` over the emulator started with `config`, sharing `fleet`.
pub async fn start_replica_with_emulator(
    config: EmulatorConfig,
    bind: SocketAddr,
    fleet: FleetOptions,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    let emulator = Emulator::start(config).await?;
    let client = LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .build()?;
    let outbox = format!("{}/emulator", emulator.base_url());
    let mut running = start_replica(client, bind, None, Some(outbox), fleet).await?;
    running.emulator = Some(emulator);
    Ok(running)
}

/// Starts the demo on `bind` over `client`.
pub async fn start(
    client: LoginRadius,
    bind: SocketAddr,
    outbox_url: Option<String>,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    start_at(client, bind, None, outbox_url).await
}

/// Starts the demo on `bind` over `client`, reachable at `public_url`, as one replica sharing
/// `fleet` (see [`fleet`]).
pub async fn start_replica(
    client: LoginRadius,
    bind: SocketAddr,
    public_url: Option<String>,
    outbox_url: Option<String>,
    fleet: FleetOptions,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let url = public_url.unwrap_or_else(|| format!("http://{addr}"));
    let router = app(
        client,
        &DemoOptions {
            public_url: url.clone(),
            outbox_url,
            fleet,
        },
    )?;
    let task = tokio::spawn(async move {
        // With the peer address: the route helpers' limits count per client.
        let app = router.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the demo server stopped");
        }
    });
    Ok(Running {
        url,
        emulator: None,
        task,
    })
}

/// Starts the demo on `bind` over `client`, reachable at `public_url` (default
/// `http://{bound address}`; set it when the site is behind a proxy or a domain, so that the
/// email links lead back to it).
pub async fn start_at(
    client: LoginRadius,
    bind: SocketAddr,
    public_url: Option<String>,
    outbox_url: Option<String>,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    start_replica(
        client,
        bind,
        public_url,
        outbox_url,
        FleetOptions::default(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    fn router() -> Router {
        let client = LoginRadius::builder()
            .api_key("key")
            .api_secret("secret")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        app(
            client,
            &DemoOptions {
                public_url: "http://127.0.0.1:5000".into(),
                outbox_url: None,
                fleet: FleetOptions::default(),
            },
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_token_in_the_query_goes_into_the_form_never_into_a_redirect() {
        let response = router()
            .oneshot(
                Request::get("/verify-email?vtype=emailverification&vtoken=tok-123")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("location").is_none());
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.contains("name=\"token\" id=\"token\" value=\"tok-123\""),
            "{body}"
        );
    }

    #[tokio::test]
    async fn signed_out_pages_redirect_to_login_with_a_local_next() {
        for (path, location) in [
            ("/profile", "/login?next=/profile"),
            ("/admin/roles", "/login?next=/admin/roles"),
        ] {
            let response = router()
                .oneshot(
                    Request::get(path)
                        .header("accept", "text/html")
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(response.headers()["location"], location);
        }
    }

    #[tokio::test]
    async fn a_post_without_the_csrf_cookie_and_token_is_refused() {
        let response = router()
            .oneshot(
                Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from("email=a%40b.c&password=x"))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn next_is_always_a_local_path() {
        use render::safe_next;
        assert_eq!(safe_next(Some("/profile/mfa")), "/profile/mfa");
        for bad in [
            "//evil.example",
            "/\\evil",
            "https://evil.example/",
            "profile",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/profile", "{bad}");
        }
        assert_eq!(safe_next(None), "/profile");
    }

    #[test]
    fn form_tokens_are_bound_to_the_cookie() {
        let keys = csrf::Keys::generate();
        let token = keys.token("a");
        assert!(keys.verify("a", &token));
        assert!(!keys.verify("b", &token));
        assert!(!keys.verify("a", ""));
        assert!(!csrf::Keys::generate().verify("a", &token));
    }
}
