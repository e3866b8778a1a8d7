//! Route helpers: login (password and MFA), registration, logout, email verification, password
//! reset and change, passwordless login and MFA setup, as a [`Router`] to nest.
//!
//! The flows and their JSON shapes live once in core ([`loginradius::web`]); each handler here
//! only reads the body with axum's [`Json`] extractor into core's typed input ([`LoginInput`],
//! …), passes it and the request's headers in, and translates the [`FlowResponse`] out
//! (status, JSON, `Set-Cookie` for the session, `Cache-Control: no-store`, `Retry-After`).
//! Bodies are JSON, sent with `Content-Type: application/json`; a body that is not the route's
//! input is 400 `{"error": "invalid_input", …}` before any flow runs.
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

use std::future::Future;

use axum::body::Body;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use loginradius::web::{
    ChangePasswordInput, EmailInput, FlowResponse, Flows, LinkTokenInput, LoginInput, MfaCodeInput,
    RegisterInput, ResetPasswordInput,
};
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

/// Translates a core [`FlowResponse`] into an axum response: status, JSON body, core's
/// headers ([`FlowResponse::headers`]) and `Set-Cookie` for the session change.
pub fn flow_response(flows: &Flows, request: &HeaderMap, flow: FlowResponse) -> Response {
    let mut response = Response::new(Body::from(flow.body.to_string()));
    *response.status_mut() = flow.status;
    *response.headers_mut() = flow.headers();
    if let Some(cookie) = flow.set_cookie(flows.session(), request) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

type Flow = State<Flows>;

/// A flow's JSON body as axum's [`Json`] extractor reads it, or why it could not.
type Input<T> = Result<Json<T>, JsonRejection>;

/// Runs `flow` on the request's input and translates its answer. A body that is not the
/// flow's input (not JSON, a field missing or of the wrong type, no
/// `Content-Type: application/json`) is core's 400 `invalid_input`
/// ([`FlowResponse::invalid_body`]), before any flow runs; a body that cannot be read (too
/// large, …) keeps axum's answer.
async fn with_input<T, F>(
    flows: &Flows,
    headers: &HeaderMap,
    input: Input<T>,
    flow: impl FnOnce(T) -> F,
) -> Response
where
    F: Future<Output = FlowResponse>,
{
    match input {
        Ok(Json(input)) => flow_response(flows, headers, flow(input).await),
        Err(JsonRejection::BytesRejection(rejection)) => rejection.into_response(),
        Err(_) => flow_response(flows, headers, FlowResponse::invalid_body()),
    }
}

async fn login(State(f): Flow, headers: HeaderMap, input: Input<LoginInput>) -> Response {
    with_input(&f, &headers, input, |i| f.login(&headers, i)).await
}

async fn login_mfa(State(f): Flow, headers: HeaderMap, input: Input<MfaCodeInput>) -> Response {
    with_input(&f, &headers, input, |i| f.login_mfa(&headers, i)).await
}

async fn register(State(f): Flow, headers: HeaderMap, input: Input<RegisterInput>) -> Response {
    with_input(&f, &headers, input, |i| f.register(&headers, i)).await
}

async fn logout(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.logout(&headers).await;
    flow_response(&f, &headers, out)
}

async fn verify_email(
    State(f): Flow,
    headers: HeaderMap,
    input: Input<LinkTokenInput>,
) -> Response {
    with_input(&f, &headers, input, |i| f.verify_email(i)).await
}

async fn resend_verification(
    State(f): Flow,
    headers: HeaderMap,
    input: Input<EmailInput>,
) -> Response {
    with_input(&f, &headers, input, |i| f.resend_verification(i)).await
}

async fn forgot_password(State(f): Flow, headers: HeaderMap, input: Input<EmailInput>) -> Response {
    with_input(&f, &headers, input, |i| f.forgot_password(i)).await
}

async fn reset_password(
    State(f): Flow,
    headers: HeaderMap,
    input: Input<ResetPasswordInput>,
) -> Response {
    with_input(&f, &headers, input, |i| f.reset_password(i)).await
}

async fn change_password(
    State(f): Flow,
    headers: HeaderMap,
    input: Input<ChangePasswordInput>,
) -> Response {
    with_input(&f, &headers, input, |i| f.change_password(&headers, i)).await
}

async fn passwordless_send(
    State(f): Flow,
    headers: HeaderMap,
    input: Input<EmailInput>,
) -> Response {
    with_input(&f, &headers, input, |i| f.passwordless_send(i)).await
}

async fn passwordless_verify(
    State(f): Flow,
    headers: HeaderMap,
    input: Input<LinkTokenInput>,
) -> Response {
    with_input(&f, &headers, input, |i| f.passwordless_verify(&headers, i)).await
}

async fn mfa_setup(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_setup(&headers).await;
    flow_response(&f, &headers, out)
}

async fn mfa_enable(State(f): Flow, headers: HeaderMap, input: Input<MfaCodeInput>) -> Response {
    with_input(&f, &headers, input, |i| f.mfa_enable(&headers, i)).await
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
    use http::header::RETRY_AFTER;

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
