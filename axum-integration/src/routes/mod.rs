//! Route helpers: login (password and MFA), registration, logout, email verification, password
//! reset and change, passwordless login and MFA setup, as a [`Router`] to nest.
//!
//! The flows and their JSON shapes live once in core ([`loginradius::web`]); each handler here
//! only reads the body into core's typed input ([`LoginInput`], …) with core's
//! [`read_input`], passes it and the request's headers in, and translates the
//! [`FlowResponse`] out (status, JSON, `Set-Cookie` for the session, `Cache-Control:
//! no-store`, `Retry-After`, `Location`).
//!
//! # The rules of every route
//!
//! - **Bodies** are JSON (`Content-Type: application/json`) or an HTML form
//!   (`application/x-www-form-urlencoded`) with the same field names; anything else is 400
//!   `{"error": "invalid_input", …}` before any flow runs.
//! - **Browsers**: a form `POST /login` that signs in answers `303 See Other` to its `next`
//!   field when that is a same-site path (`/account?tab=mfa`; never `//host` or `https://…`),
//!   else to `/`. A JSON login always gets the JSON answer.
//! - **Answers** are JSON. Errors are `{"error": code, "message": text}`: 400 bad input, 401
//!   bad credentials or code, 403 unverified or locked account (or a cross-origin write), 409
//!   already exists, 429 `too_many_attempts` with `Retry-After` past a limit, 503 with
//!   `Retry-After` when LoginRadius cannot answer (never a 2xx on doubt); see
//!   [`loginradius::web::error_response`].
//! - **Limits**: sign-in, the MFA and consent steps, passwordless send and verify, forgot password,
//!   registration and resend verification are limited per account and per client
//!   ([`loginradius::web::limits`], through [`Flows::limited`]). The client is the connection's
//!   peer: serve the app with `into_make_service_with_connect_info::<SocketAddr>()` (without
//!   it every request counts as one client). `X-Forwarded-For`/`Forwarded` count only from the
//!   authenticator's trusted proxies.
//! - **No token in any body**: the access token lives in the encrypted session cookie only.
//!   An API client that needs a Bearer token signs in with LoginRadius itself (for example
//!   `client.auth().login_by_email(..)`) and sends `Authorization: Bearer <access_token>`;
//!   the guards accept either.
//! - **No enumeration**: forgot password, resend verification and passwordless send answer the
//!   same `{"sent": true}` for known and unknown addresses.
//! - **Wiring**: `POST /login` answers 500 `misconfigured` (and logs why) when the
//!   [`LoginRadiusLayer`](crate::LoginRadiusLayer) above it cannot read the session the login
//!   would start; build the layer with
//!   [`LoginRadiusLayer::from_flows`](crate::LoginRadiusLayer::from_flows).
//!
//! | Method and path | Body | Answer |
//! |---|---|---|
//! | `POST /login` | `{"email", "password", "next"?}` | `{"signed_in", "uid", "email"}`, `{"mfa_required": true, …}` or `{"consent_required": true, …}`; a form: 303 to `next` |
//! | `POST /login/mfa` | `{"code", "method"?}` (`authenticator` by default, `sms`, `email`) | `{"signed_in", "uid", "email"}` |
//! | `POST /login/consent` | `{"accepted": ["option id", …], "next"?}` (a form: one comma-separated `accepted`) | `{"signed_in", "uid", "email"}`: the consent step after `POST /login` answered `{"consent_required": true, "event", "options": [{"id", "title", "description"}]}` (the consent token stays in the session cookie); a form: 303 to `next` |
//! | `POST /login/mfa/send` | `{"method"}` (`sms` or `email`) | `{"sent": true}`: the code of the pending MFA login, to the registered number or the address signed in with |
//! | `POST /phone/send` | `{"phone"}` | `{"sent": true}` (also for unknown numbers) |
//! | `POST /phone/login` | `{"phone", "code", "next"?}` | `{"signed_in", "uid", "email"}`, or the MFA answer of `POST /login` when the account has a second factor (then `/login/mfa/send` and `/login/mfa`); a form: 303 to `next` |
//! | `POST /register` | `{"email", "password", "first_name"?, "last_name"?, "profile"?}` | 201 `{"registered", "email_verification_required"}` |
//! | `POST /logout` | – | `{"signed_out": true}` |
//! | `POST /verify-email` | `{"token"}` | `{"verified": true}` |
//! | `POST /resend-verification` | `{"email"}` | `{"sent": true}` |
//! | `POST /forgot-password` | `{"email"}` | `{"sent": true}` |
//! | `POST /reset-password` | `{"token", "password", "email"?}` | `{"password_reset": true}`; with `email`, the account's sessions end once the new password signs it in |
//! | `POST /change-password` | `{"old_password", "new_password"}` | `{"password_changed": true}` |
//! | `POST /set-password` | `{"password"}` | `{"password_set": true}`; 409 `password_exists` when the account has one |
//! | `POST /passwordless/send` | `{"email"}` | `{"sent": true}` |
//! | `POST /passwordless/verify` | `{"token"}` | `{"signed_in", "uid", "email"}` |
//! | `GET /mfa/setup` | – | `{"enabled", "otpauth_uri"?, "qr_code"?, "manual_entry_code"?}` |
//! | `POST /mfa/enable` | `{"code"}` | `{"enabled": true}` |
//! | `POST /mfa/disable` | – | `{"enabled": false}` |
//! | `GET /sessions` | – | `{"sessions": [{"id", "created_at", "last_seen", "user_agent", "current"}]}`: the signed-in user's sessions, no token |
//! | `DELETE /sessions/{id}` | – | `{"ended": true}`; 404 for an id not among the user's sessions |
//! | `POST /sessions/end-others` | – | `{"ended": n}` |
//! | `POST /admin/users/{uid}/sessions/end` | – | `{"ended": n}` for a caller meeting `FlowConfig::admin` (403 for all without it) |
//! | `GET /mfa/factors` | – | `{"authenticator", "sms", "sms_phone", "email"}` |
//! | `POST /mfa/sms/phone` | `{"phone"}` | `{"sent": true}`: the MFA number set, a code texted to it |
//! | `POST /mfa/sms/enable` | `{"code"}` | `{"sms": true}` |
//! | `POST /mfa/sms/disable` | – | `{"sms": false}` |
//! | `POST /mfa/email/send` | – | `{"sent": true}`: a code emailed to the account's address |
//! | `POST /mfa/email/enable` | `{"code"}` | `{"email": true}` |
//! | `POST /mfa/email/disable` | – | `{"email": false}` |
//! | `POST /webhooks/loginradius` | a LoginRadius webhook, signed (at most 64 KiB) | `{"received": true, "handled"}`; 401 bad signature, 400 bad or old body, 409 replay, 413 too large ([`loginradius::web::webhook`]) |
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
//! use loginradius_axum::routes::{self, AuthRoutes};
//! use loginradius_axum::{FlowConfig, Flows, LoginRadius, LoginRadiusLayer, SessionCookie};
//!
//! # fn app(client: LoginRadius) -> Result<Router, Box<dyn std::error::Error>> {
//! // One step: the flows' authenticator reads `Authorization: Bearer` and the session cookie.
//! let flows = Flows::from_client(client, SessionCookie::generate())?
//!     .config(FlowConfig::default().reset_password_url("https://app.example.com/reset"));
//! let auth = AuthRoutes::new(flows.clone()).trusted_origin("https://app.example.com")?;
//! Ok(Router::new()
//!     .nest("/auth", routes::router(auth))
//!     // The same authenticator for the guards and extractors of every route.
//!     .layer(LoginRadiusLayer::from_flows(&flows)))
//! # }
//! ```

mod codes;

use std::future::Future;
use std::net::IpAddr;

use axum::extract::FromRequestParts;
use http::request::Parts;
use loginradius::web::limits::{AccountKey, Action};

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use loginradius::web::webhook::{MAX_WEBHOOK_BODY, WebhookError};
use loginradius::web::{
    FlowResponse, Flows, LoginInput, SignInForm, Submitted, check_session_wiring, read_input,
};
use serde::de::DeserializeOwned;

use crate::AuthContext;
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

impl From<Flows> for AuthRoutes {
    fn from(flows: Flows) -> Self {
        Self::new(flows)
    }
}

/// The route helpers as a router to `.nest("/auth", …)` (or merge), for any application state:
/// from [`AuthRoutes`] or the [`Flows`] alone (the same shape as the actix adapter's
/// `routes::configure`).
pub fn router<S>(config: impl Into<AuthRoutes>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let config = config.into();
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
        .route("/login/consent", post(codes::login_consent))
        .route("/register", post(register))
        .route("/logout", post(logout))
        .route("/verify-email", post(verify_email))
        .route("/resend-verification", post(resend_verification))
        .route("/forgot-password", post(forgot_password))
        .route("/reset-password", post(reset_password))
        .route("/change-password", post(change_password))
        .route("/set-password", post(set_password))
        .route("/passwordless/send", post(passwordless_send))
        .route("/passwordless/verify", post(passwordless_verify))
        .route("/mfa/setup", get(mfa_setup))
        .route("/mfa/enable", post(mfa_enable))
        .route("/mfa/disable", post(mfa_disable))
        .route("/phone/send", post(codes::phone_send))
        .route("/phone/login", post(codes::phone_login))
        .route("/login/mfa/send", post(codes::login_mfa_send))
        .route("/mfa/factors", get(codes::mfa_factors))
        .route("/mfa/sms/phone", post(codes::mfa_sms_phone))
        .route("/mfa/sms/enable", post(codes::mfa_sms_enable))
        .route("/mfa/sms/disable", post(codes::mfa_sms_disable))
        .route("/mfa/email/send", post(codes::mfa_email_send))
        .route("/mfa/email/enable", post(codes::mfa_email_enable))
        .route("/mfa/email/disable", post(codes::mfa_email_disable))
        .route("/webhooks/loginradius", post(webhook))
        .route("/sessions", get(sessions))
        .route("/sessions/end-others", post(end_other_sessions))
        .route("/sessions/{id}", delete(end_session))
        .route("/admin/users/{uid}/sessions/end", post(end_user_sessions))
        .route("/reauth", post(codes::reauth))
        .route("/reauth/send", post(codes::reauth_send))
        .with_state(config.flows)
        .layer(csrf)
}

/// Middleware that renews the request's session before its LoginRadius token expires
/// ([`Flows::renew_session`]): a session stays signed in while it is used, unseen by the user.
/// Put it around the routes that sessions reach (the guarded ones and the helpers):
///
/// ```
/// # fn app(flows: loginradius::web::Flows, routes: axum::Router) -> axum::Router {
/// routes.layer(axum::middleware::from_fn_with_state(
///     flows,
///     loginradius_axum::routes::renew_session,
/// ))
/// # }
/// ```
///
/// The renewed cookie is added to the response unless the response sets the session cookie
/// itself (a sign-in or sign-out decides).
pub async fn renew_session(
    State(flows): State<Flows>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let renewed = flows.renew_session(request.headers()).await;
    let mut response = next.run(request).await;
    if let Some(cookie) = renewed {
        let name = format!("{}=", flows.session().cookie_name());
        let sets_its_own = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(name.as_bytes()));
        if !sets_its_own {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }
    response
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

/// Runs `flow` on the input read from the body and translates its answer. The body is JSON
/// or an HTML form, by its `Content-Type` (core's [`read_input`]); anything else is core's
/// 400 `invalid_input` ([`FlowResponse::invalid_body`]), before any flow runs. A body that
/// cannot be read (too large, …) keeps axum's answer (the [`Bytes`] extractor's rejection).
async fn with_input<T, F>(
    flows: &Flows,
    headers: &HeaderMap,
    body: &Bytes,
    flow: impl FnOnce(T) -> F,
) -> Response
where
    T: DeserializeOwned,
    F: Future<Output = FlowResponse>,
{
    let answer = match read_input(headers, body) {
        Ok(Submitted { input, .. }) => flow(input).await,
        Err(invalid) => invalid,
    };
    flow_response(flows, headers, answer)
}

/// Runs `flow` on the input read from the body within the limits of `action` (core's
/// [`Flows::limited`]: 429 with `Retry-After` past a limit) and translates its answer.
async fn limited_input<T, F>(
    flows: &Flows,
    action: Action,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    body: &Bytes,
    flow: impl FnOnce(T) -> F,
) -> Response
where
    T: DeserializeOwned + AccountKey,
    F: Future<Output = FlowResponse>,
{
    let answer = match read_input(headers, body) {
        Ok(Submitted { input, .. }) => flows.limited(action, peer, headers, input, flow).await,
        Err(invalid) => invalid,
    };
    flow_response(flows, headers, answer)
}

/// [`limited_input`] for a form that signs in: a form submission that signs in answers
/// `303 See Other` to its `next` (a same-site path, else `/`); JSON keeps the JSON answer
/// ([`FlowResponse::for_form`]).
async fn limited_sign_in<T, F>(
    flows: &Flows,
    action: Action,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    body: &Bytes,
    flow: impl FnOnce(T) -> F,
) -> Response
where
    T: DeserializeOwned + AccountKey + SignInForm,
    F: Future<Output = FlowResponse>,
{
    let answer = match read_input::<T>(headers, body) {
        Ok(Submitted { input, format }) => {
            let next = input.next().map(str::to_owned);
            flows
                .limited(action, peer, headers, input, flow)
                .await
                .for_form(format, next.as_deref())
        }
        Err(invalid) => invalid,
    };
    flow_response(flows, headers, answer)
}

/// The connection's peer address, from axum's `ConnectInfo` (serve the app with
/// `into_make_service_with_connect_info::<SocketAddr>()`); `None` without it, and then every
/// request counts as one client for the limits. For handlers that call core's
/// [`Flows::limited`] themselves.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(crate::peer_ip(&parts.extensions)))
    }
}

/// `POST /login`: a form submission that signs in answers `303 See Other` to its `next` (a
/// same-site path, else `/`); JSON keeps the JSON answer. Refused with 500 `misconfigured`
/// when the [`LoginRadiusLayer`](crate::LoginRadiusLayer) above the routes has an
/// authenticator that cannot read the session the login would start.
async fn login(
    State(f): Flow,
    Peer(peer): Peer,
    context: Option<Extension<AuthContext>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(Extension(context)) = context
        && let Err(wiring) = check_session_wiring(context.authenticator(), f.session())
    {
        tracing::error!(target: "loginradius::web", "the route helpers' sessions cannot be read by the guards: {wiring}");
        let refused = FlowResponse::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "misconfigured",
            "the server's session setup is incomplete",
        );
        return flow_response(&f, &headers, refused);
    }
    limited_sign_in(
        &f,
        Action::SignIn,
        peer,
        &headers,
        &body,
        |i: LoginInput| f.login(&headers, i),
    )
    .await
}

async fn login_mfa(State(f): Flow, Peer(peer): Peer, headers: HeaderMap, body: Bytes) -> Response {
    limited_input(&f, Action::MfaStep, peer, &headers, &body, |i| {
        f.login_mfa(&headers, i)
    })
    .await
}

async fn register(State(f): Flow, Peer(peer): Peer, headers: HeaderMap, body: Bytes) -> Response {
    limited_input(&f, Action::Register, peer, &headers, &body, |i| {
        f.register(&headers, i)
    })
    .await
}

async fn logout(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.logout(&headers).await;
    flow_response(&f, &headers, out)
}

async fn verify_email(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.verify_email(i)).await
}

async fn resend_verification(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_input(&f, Action::ResendVerification, peer, &headers, &body, |i| {
        f.resend_verification(i)
    })
    .await
}

async fn forgot_password(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_input(&f, Action::ForgotPassword, peer, &headers, &body, |i| {
        f.forgot_password(i)
    })
    .await
}

async fn reset_password(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.reset_password(i)).await
}

async fn change_password(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.change_password(&headers, i)).await
}

async fn set_password(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.set_password(&headers, i)).await
}

async fn passwordless_send(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_input(&f, Action::PasswordlessSend, peer, &headers, &body, |i| {
        f.passwordless_send(i)
    })
    .await
}

async fn passwordless_verify(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_input(&f, Action::PasswordlessVerify, peer, &headers, &body, |i| {
        f.passwordless_verify(&headers, i)
    })
    .await
}

async fn mfa_setup(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_setup(&headers).await;
    flow_response(&f, &headers, out)
}

async fn mfa_enable(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.mfa_enable(&headers, i)).await
}

/// `POST /webhooks/loginradius`: a LoginRadius webhook, verified and applied by core's
/// [`WebhookReceiver`](loginradius::web::WebhookReceiver). The body is read up to
/// [`MAX_WEBHOOK_BODY`] bytes; a larger one is core's 413 `too_large`.
async fn webhook(State(f): Flow, headers: HeaderMap, body: Body) -> Response {
    let answer = match axum::body::to_bytes(body, MAX_WEBHOOK_BODY).await {
        Ok(body) => f.webhooks().receive(&headers, &body).await,
        Err(_) => WebhookError::TooLarge.response(),
    };
    flow_response(&f, &headers, answer)
}

async fn sessions(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.sessions(&headers).await;
    flow_response(&f, &headers, out)
}

async fn end_session(State(f): Flow, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let out = f.end_session(&headers, &id).await;
    flow_response(&f, &headers, out)
}

async fn end_user_sessions(
    State(f): Flow,
    Path(uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let out = f.end_user_sessions(&headers, &uid).await;
    flow_response(&f, &headers, out)
}

async fn end_other_sessions(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.end_other_sessions(&headers).await;
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
        let flows = Flows::from_client(client, SessionCookie::generate()).unwrap();
        for (delay, expected) in [(1500, "2"), (3000, "3"), (200, "1")] {
            let mut flow =
                FlowResponse::error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "down");
            flow.retry_after = Some(Duration::from_millis(delay));
            let response = flow_response(&flows, &HeaderMap::new(), flow);
            assert_eq!(response.headers()[RETRY_AFTER], expected, "{delay} ms");
        }
    }
}
