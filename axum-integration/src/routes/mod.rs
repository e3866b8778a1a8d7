//! Route helpers: login (password and MFA), registration, logout, email verification, password
//! reset and change, passwordless login and MFA setup, as a [`Router`] to nest.
//!
//! The flows and their JSON shapes live once in core ([`loginradius::web`]); each handler here
//! only passes the request's headers and body in and translates the [`FlowResponse`] out
//! (status, JSON, `Set-Cookie` for the session, `Cache-Control: no-store`).
//!
//! | Method and path | Body | Answer |
//! |---|---|---|
//! | `POST /login` | `{"email", "password"}` | `{"signed_in", "uid", "email"}` or `{"mfa_required": true, …}` |
//! | `POST /login/mfa` | `{"code"}` | `{"signed_in", "uid", "email"}` |
//! | `POST /register` | `{"email", "password", "first_name"?, "last_name"?, "profile"?}` | 201 `{"registered", "email_verification_required"}` |
//! | `POST /logout` | – | `{"signed_out": true}` |
//! | `POST /verify-email` | `{"token"}` | `{"verified": true}` |
//! | `POST /resend-verification` | `{"email"}` | `{"sent": true}` |
//! | `POST /forgot-password` | `{"email"}` | `{"sent": true}` |
//! | `POST /reset-password` | `{"token", "password"}` | `{"password_reset": true}` |
//! | `POST /change-password` | `{"old_password", "new_password"}` | `{"password_changed": true}` |
//! | `POST /passwordless/send` | `{"email"}` | `{"sent": true}` |
//! | `POST /passwordless/verify` | `{"token"}` | `{"signed_in", "uid", "email"}` |
//! | `GET /mfa/setup` | – | `{"enabled", "otpauth_uri"?, "qr_code"?, "manual_entry_code"?}` |
//! | `POST /mfa/enable` | `{"code"}` | `{"enabled": true}` |
//! | `POST /mfa/disable` | – | `{"enabled": false}` |
//!
//! # CSRF
//!
//! Every route is behind [`tower_http::csrf::CsrfLayer`] (the Go 1.25 `CrossOriginProtection`
//! scheme): `GET`/`HEAD`/`OPTIONS` pass; a `POST` passes when `Sec-Fetch-Site` is `same-origin`
//! or `none`, when its `Origin` matches the request's `Host`, when its `Origin` is a trusted
//! origin, or when it carries neither header (not a browser). Anything else is 403
//! `{"error": "csrf", …}`. When the page calling these routes is served from another origin than
//! the API (say `https://app.example.com` calling `https://api.example.com`), add that origin with
//! [`AuthRoutes::trusted_origin`]. Behind a proxy, forward `Host` and `Origin` unchanged.
//!
//! # Example
//!
//! ```
//! use axum::Router;
//! use loginradius::LoginRadius;
//! use loginradius::auth::{Authenticator, TokenExtractor};
//! use loginradius::web::{FlowConfig, Flows, SessionCookie};
//! use loginradius_axum::routes::{self, AuthRoutes};
//!
//! # fn app(client: LoginRadius) -> Result<Router, Box<dyn std::error::Error>> {
//! let session = SessionCookie::generate();
//! let authenticator = Authenticator::builder(client)
//!     .token_sources(TokenExtractor::bearer().with(session.token_source()))
//!     .build()?;
//! let flows = Flows::new(authenticator, session)
//!     .config(FlowConfig::default().reset_password_url("https://app.example.com/reset"));
//! let auth = AuthRoutes::new(flows).trusted_origin("https://app.example.com")?;
//! Ok(Router::new().nest("/auth", routes::router(auth)))
//! # }
//! ```

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use loginradius::web::{FlowResponse, Flows};
use tower_http::csrf::{ConfigError, CsrfLayer};

/// What [`router`] needs: the core [`Flows`] and the CSRF trusted origins.
#[derive(Debug, Clone)]
pub struct AuthRoutes {
    flows: Flows,
    csrf: CsrfLayer,
}

impl AuthRoutes {
    /// Routes over `flows`, trusting only same-origin requests.
    pub fn new(flows: Flows) -> Self {
        Self {
            flows,
            csrf: CsrfLayer::new(),
        }
    }

    /// Also accepts state-changing requests whose `Origin` is exactly `origin`
    /// (`scheme://host[:port]`, no path).
    pub fn trusted_origin(mut self, origin: impl AsRef<str>) -> Result<Self, ConfigError> {
        self.csrf = self.csrf.add_trusted_origin(origin)?;
        Ok(self)
    }

    /// The flows.
    pub fn flows(&self) -> &Flows {
        &self.flows
    }
}

/// The route helpers as a router to `.nest("/auth", …)` (or merge), for any application state.
pub fn router<S>(config: AuthRoutes) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let csrf = config.csrf.with_rejection_response(|_| {
        let mut response = Response::new(Body::from(
            r#"{"error":"csrf","message":"cross-origin request refused"}"#,
        ));
        *response.status_mut() = StatusCode::FORBIDDEN;
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    });
    Router::new()
        .route("/login", post(login))
        .route("/login/mfa", post(login_mfa))
        .route("/register", post(register))
        .route("/logout", post(logout))
        .route("/verify-email", post(verify_email))
        .route("/resend-verification", post(resend_verification))
        .route("/forgot-password", post(forgot_password))
        .route("/reset-password", post(reset_password))
        .route("/change-password", post(change_password))
        .route("/passwordless/send", post(passwordless_send))
        .route("/passwordless/verify", post(passwordless_verify))
        .route("/mfa/setup", get(mfa_setup))
        .route("/mfa/enable", post(mfa_enable))
        .route("/mfa/disable", post(mfa_disable))
        .with_state(config.flows)
        .layer(csrf)
}

/// Translates a core [`FlowResponse`] into an axum response.
pub fn flow_response(flows: &Flows, request: &HeaderMap, flow: FlowResponse) -> Response {
    let mut response = Response::new(Body::from(flow.body.to_string()));
    *response.status_mut() = flow.status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(delay) = flow.retry_after {
        // Whole seconds, rounded up (as core's rejections and the actix adapter do).
        let seconds = (delay.as_secs() + u64::from(delay.subsec_nanos() > 0)).max(1);
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(cookie) = flow.set_cookie(flows.session(), request) {
        headers.append(SET_COOKIE, cookie);
    }
    response
}

type Flow = State<Flows>;

async fn login(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.login(&headers, &body).await;
    flow_response(&f, &headers, out)
}

async fn login_mfa(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.login_mfa(&headers, &body).await;
    flow_response(&f, &headers, out)
}

async fn register(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.register(&headers, &body).await;
    flow_response(&f, &headers, out)
}

async fn logout(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.logout(&headers).await;
    flow_response(&f, &headers, out)
}

async fn verify_email(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.verify_email(&body).await;
    flow_response(&f, &headers, out)
}

async fn resend_verification(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.resend_verification(&body).await;
    flow_response(&f, &headers, out)
}

async fn forgot_password(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.forgot_password(&body).await;
    flow_response(&f, &headers, out)
}

async fn reset_password(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.reset_password(&body).await;
    flow_response(&f, &headers, out)
}

async fn change_password(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.change_password(&headers, &body).await;
    flow_response(&f, &headers, out)
}

async fn passwordless_send(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.passwordless_send(&body).await;
    flow_response(&f, &headers, out)
}

async fn passwordless_verify(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.passwordless_verify(&headers, &body).await;
    flow_response(&f, &headers, out)
}

async fn mfa_setup(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_setup(&headers).await;
    flow_response(&f, &headers, out)
}

async fn mfa_enable(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    let out = f.mfa_enable(&headers, &body).await;
    flow_response(&f, &headers, out)
}

async fn mfa_disable(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_disable(&headers).await;
    flow_response(&f, &headers, out)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use loginradius::LoginRadius;
    use loginradius::auth::Authenticator;
    use loginradius::transport::RecordingTransport;
    use loginradius::web::SessionCookie;

    use super::*;

    #[test]
    fn retry_after_is_rounded_up_to_whole_seconds() {
        let client = LoginRadius::builder()
            .api_key("key")
            .api_secret("secret")
            .transport(RecordingTransport::new())
            .build()
            .unwrap();
        let flows = Flows::new(
            Authenticator::builder(client).build().unwrap(),
            SessionCookie::generate(),
        );
        for (delay, expected) in [(1500, "2"), (3000, "3"), (200, "1")] {
            let mut flow =
                FlowResponse::error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "down");
            flow.retry_after = Some(Duration::from_millis(delay));
            let response = flow_response(&flows, &HeaderMap::new(), flow);
            assert_eq!(response.headers()[RETRY_AFTER], expected, "{delay} ms");
        }
    }
}
