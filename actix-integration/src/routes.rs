//! Route helpers: the sign-in flows of core's [`Flows`] as actix routes, for `App::configure`
//! or `web::scope(..).configure`, behind the same cross-origin (CSRF) protection as the axum
//! adapter.
//!
//! | method and path | body | flow |
//! | --- | --- | --- |
//! | `POST /login` | `{"email", "password", "next"?}` | [`Flows::login`] |
//! | `POST /login/mfa` | `{"code", "method"?}` | [`Flows::login_mfa`] |
//! | `POST /login/mfa/send` | `{"method"}` | [`Flows::login_mfa_send`] |
//! | `POST /login/consent` | `{"accepted": [..], "next"?}` | [`Flows::login_consent`] |
//! | `POST /phone/send` | `{"phone"}` | [`Flows::phone_send`] |
//! | `POST /phone/login` | `{"phone", "code", "next"?}` | [`Flows::phone_login`] |
//! | `POST /register` | `{"email", "password", …}` | [`Flows::register`] |
//! | `POST /logout` | | [`Flows::logout`] |
//! | `POST /verify-email` | `{"token"}` | [`Flows::verify_email`] |
//! | `POST /resend-verification` | `{"email"}` | [`Flows::resend_verification`] |
//! | `POST /forgot-password` | `{"email"}` | [`Flows::forgot_password`] |
//! | `POST /reset-password` | `{"token", "password", "email"?}` | [`Flows::reset_password`] |
//! | `POST /change-password` | `{"old_password", "new_password"}` | [`Flows::change_password`] |
//! | `POST /set-password` | `{"password"}` | [`Flows::set_password`] |
//! | `POST /passwordless/send` | `{"email"}` | [`Flows::passwordless_send`] |
//! | `POST /passwordless/verify` | `{"token"}` | [`Flows::passwordless_verify`] |
//! | `GET /mfa/setup` | | [`Flows::mfa_setup`] |
//! | `POST /mfa/enable` | `{"code"}` | [`Flows::mfa_enable`] |
//! | `POST /mfa/disable` | | [`Flows::mfa_disable`] |
//! | `GET /sessions` | | [`Flows::sessions`] |
//! | `DELETE /sessions/{id}` | | [`Flows::end_session`] |
//! | `POST /sessions/end-others` | | [`Flows::end_other_sessions`] |
//! | `POST /admin/users/{uid}/sessions/end` | | [`Flows::end_user_sessions`] |
//! | `GET /mfa/factors` | | [`Flows::mfa_factors`] |
//! | `POST /mfa/sms/phone` | `{"phone"}` | [`Flows::mfa_sms_phone`] |
//! | `POST /mfa/sms/enable` | `{"code"}` | [`Flows::mfa_sms_enable`] |
//! | `POST /mfa/sms/disable` | | [`Flows::mfa_sms_disable`] |
//! | `POST /mfa/email/send` | | [`Flows::mfa_email_send`] |
//! | `POST /mfa/email/enable` | `{"code"}` | [`Flows::mfa_email_enable`] |
//! | `POST /mfa/email/disable` | | [`Flows::mfa_email_disable`] |
//! | `POST /webhooks/loginradius` | | [`WebhookReceiver::receive`](loginradius::web::WebhookReceiver::receive): a LoginRadius webhook, at most 64 KiB (413 above) |
//!
//! Everything about the flows (JSON shapes, status codes, the session cookie, fail-closed
//! behaviour, no token in any body, the same answer for unknown addresses) is core's, listed
//! in [`Flows`' rules](loginradius::web::Flows#rules-kept-by-every-flow); this module only
//! reads the body into core's typed input ([`LoginInput`], …) with core's [`read_input`] and
//! moves headers between actix and core.
//!
//! - Bodies are JSON (`Content-Type: application/json`) or an HTML form
//!   (`application/x-www-form-urlencoded`) with the same field names; anything else is 400
//!   `{"error": "invalid_input", …}` before any flow runs.
//! - A form `POST /login` that signs in answers `303 See Other` to its `next` field when that
//!   is a same-site path, else to `/`; a JSON login gets the JSON answer.
//! - Every response carries `Cache-Control: no-store`; a 503 carries `Retry-After`.
//! - Sign-in, the MFA and consent steps, passwordless send and verify, forgot password, registration and
//!   resend verification are limited per account and per client (the request's `peer_addr`,
//!   or what the authenticator's trusted proxies forwarded) through core's [`Flows::limited`]:
//!   past a limit, 429 `too_many_attempts` with `Retry-After`.

mod codes;

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, SET_COOKIE};
use actix_web::web::Bytes;
use actix_web::{Error, HttpRequest, HttpResponse, web};
use loginradius::web::csrf::{self, CsrfRejection, TrustedOrigins};
use loginradius::web::limits::{AccountKey, Action};
use loginradius::web::webhook::{MAX_WEBHOOK_BODY, WebhookError};
use loginradius::web::{
    FlowResponse, Flows, LoginInput, SignInForm, Submitted, check_session_wiring, read_input,
};
use serde::de::DeserializeOwned;

use crate::config::resolve;
use crate::headers;

/// The route helpers over [`Flows`] (or prepared [`AuthRoutes`]), for `App::configure` or
/// `web::scope(..).configure`, with the default cross-origin protection
/// ([`SameOriginWrites::new`]) unless the [`AuthRoutes`] say otherwise.
///
/// Build the flows with [`Flows::from_client`] and the app's
/// [`LoginRadiusConfig`](crate::LoginRadiusConfig) with
/// [`LoginRadiusConfig::from_flows`](crate::LoginRadiusConfig::from_flows), so that the
/// extractors and guards of the rest of the app accept the session. `POST /login` answers 500
/// `misconfigured` (and logs why) when the app's authenticator cannot read that session.
///
/// ```
/// # #[actix_web::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use actix_web::{App, test, web};
/// use loginradius::transport::RecordingTransport;
/// use loginradius_actix::{Flows, LoginRadius, LoginRadiusConfig, SessionCookie, routes};
///
/// let client = LoginRadius::builder()
///     .api_key("key")
///     .api_secret("secret")
///     .transport(RecordingTransport::new())
///     .build()?;
/// // One step: the flows' authenticator reads `Authorization: Bearer` and the session cookie.
/// let flows = Flows::from_client(client, SessionCookie::generate())?;
///
/// let app = test::init_service(
///     App::new()
///         // The same authenticator for the extractors and guards of every route.
///         .app_data(LoginRadiusConfig::from_flows(&flows))
///         .service(web::scope("/auth").configure(routes::configure(flows))),
/// )
/// .await;
///
/// // A form posted from another site is refused before any flow runs.
/// let request = test::TestRequest::post()
///     .uri("/auth/login")
///     .insert_header(("sec-fetch-site", "cross-site"))
///     .set_payload(r#"{"email": "a@example.com", "password": "x"}"#)
///     .to_request();
/// assert_eq!(test::call_service(&app, request).await.status(), 403);
///
/// // A body that is not the input is a 400 `invalid_input`, before any flow runs.
/// let request = test::TestRequest::post().uri("/auth/login").set_payload("{}").to_request();
/// let response = test::call_service(&app, request).await;
/// assert_eq!(response.status(), 400);
/// # Ok(())
/// # }
/// ```
pub fn configure(routes: impl Into<AuthRoutes>) -> impl FnOnce(&mut web::ServiceConfig) {
    let routes = routes.into();
    move |cfg| routes.configure(cfg)
}

/// The route helpers with their settings; [`configure`] takes them (or the [`Flows`] alone).
/// The same name as the axum adapter's `routes::AuthRoutes`.
#[derive(Debug, Clone)]
pub struct AuthRoutes {
    flows: Flows,
    csrf: SameOriginWrites,
}

/// The former name of [`AuthRoutes`].
#[deprecated(note = "renamed `AuthRoutes`, the name the axum adapter uses too")]
pub type RouteHelpers = AuthRoutes;

impl From<Flows> for AuthRoutes {
    fn from(flows: Flows) -> Self {
        Self::new(flows)
    }
}

impl AuthRoutes {
    /// The route helpers over `flows`, with the default cross-origin protection.
    pub fn new(flows: Flows) -> Self {
        Self {
            flows,
            csrf: SameOriginWrites::new(),
        }
    }

    /// Replaces the cross-origin protection (for example to trust another origin).
    pub fn csrf(mut self, csrf: SameOriginWrites) -> Self {
        self.csrf = csrf;
        self
    }

    /// Registers the routes (and the flows as `web::Data<Flows>`) on `cfg`.
    pub fn configure(self, cfg: &mut web::ServiceConfig) {
        let csrf = self.csrf;
        let limit = payload_config();
        cfg.app_data(web::Data::new(self.flows));
        macro_rules! post {
            ($path:literal, $handler:expr) => {
                cfg.service(
                    web::resource($path)
                        .app_data(limit.clone())
                        .wrap(csrf.clone())
                        .route(web::post().to($handler)),
                );
            };
        }
        post!("/login", login);
        post!("/login/mfa", login_mfa);
        post!("/login/consent", codes::login_consent);
        post!("/register", register);
        post!("/logout", logout);
        post!("/verify-email", verify_email);
        post!("/resend-verification", resend_verification);
        post!("/forgot-password", forgot_password);
        post!("/reset-password", reset_password);
        post!("/change-password", change_password);
        post!("/set-password", set_password);
        post!("/passwordless/send", passwordless_send);
        post!("/passwordless/verify", passwordless_verify);
        post!("/mfa/enable", mfa_enable);
        post!("/mfa/disable", mfa_disable);
        post!("/sessions/end-others", end_other_sessions);
        post!("/admin/users/{uid}/sessions/end", end_user_sessions);
        cfg.service(
            web::resource("/sessions/{id}")
                .wrap(csrf.clone())
                .route(web::delete().to(end_session)),
        );
        cfg.service(web::resource("/mfa/setup").route(web::get().to(mfa_setup)));
        cfg.service(web::resource("/sessions").route(web::get().to(sessions)));
        post!("/phone/send", codes::phone_send);
        post!("/phone/login", codes::phone_login);
        post!("/login/mfa/send", codes::login_mfa_send);
        post!("/mfa/sms/phone", codes::mfa_sms_phone);
        post!("/mfa/sms/enable", codes::mfa_sms_enable);
        post!("/mfa/sms/disable", codes::mfa_sms_disable);
        post!("/mfa/email/send", codes::mfa_email_send);
        post!("/mfa/email/enable", codes::mfa_email_enable);
        post!("/mfa/email/disable", codes::mfa_email_disable);
        post!("/reauth", codes::reauth);
        post!("/reauth/send", codes::reauth_send);
        cfg.service(web::resource("/mfa/factors").route(web::get().to(codes::mfa_factors)));
        // Server to server: LoginRadius sends no `Origin`; the signature is the protection.
        cfg.service(web::resource("/webhooks/loginradius").route(web::post().to(webhook)));
    }
}

/// Middleware that renews the request's session before its LoginRadius token expires
/// ([`Flows::renew_session`]): a session stays signed in while it is used, unseen by the user.
/// It reads the flows from the app data (`web::Data<Flows>`, registered at the app level);
/// wrap the routes that sessions reach (the guarded ones and the helpers):
///
/// ```
/// use actix_web::{App, middleware::from_fn, web};
/// # fn app(flows: loginradius::web::Flows) {
/// let app = App::new()
///     .app_data(web::Data::new(flows))
///     .wrap(from_fn(loginradius_actix::routes::renew_session));
/// # }
/// ```
///
/// The renewed cookie is added to the response unless the response sets the session cookie
/// itself (a sign-in or sign-out decides). Without the flows in the app data, nothing is
/// renewed.
pub async fn renew_session(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, Error> {
    let flows = req.app_data::<FlowsData>().cloned();
    let renewed = match &flows {
        Some(flows) => {
            flows
                .renew_session(&headers::request_headers(req.request()))
                .await
        }
        None => None,
    };
    let mut response = next.call(req).await?;
    if let (Some(cookie), Some(flows)) = (renewed, flows) {
        let name = format!("{}=", flows.session().cookie_name());
        let sets_its_own = response
            .headers()
            .get_all(SET_COOKIE)
            .any(|v| v.as_bytes().starts_with(name.as_bytes()));
        if !sets_its_own && let Ok(value) = HeaderValue::from_bytes(cookie.as_bytes()) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// Translates a core [`FlowResponse`] into an actix response: status, JSON body, core's
/// headers ([`FlowResponse::headers`]: `Content-Type`, `Cache-Control: no-store`,
/// `Retry-After`) and `Set-Cookie` for the session change.
pub fn flow_response(flows: &Flows, req: &HttpRequest, flow: FlowResponse) -> HttpResponse {
    let cookie = flow.set_cookie(flows.session(), &headers::request_headers(req));
    let mut response = answer(&flow);
    if let Some(cookie) = cookie
        && let Ok(value) = HeaderValue::from_bytes(cookie.as_bytes())
    {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// `flow`'s status, headers and JSON body, without the session cookie.
fn answer(flow: &FlowResponse) -> HttpResponse {
    let mut response =
        HttpResponse::build(headers::status(flow.status)).body(flow.body.to_string());
    headers::append_core_headers(response.headers_mut(), &flow.headers());
    response
}

/// The largest body the routes read: actix's default for a body read whole (`PayloadConfig`),
/// far above any flow's input.
const MAX_BODY: usize = 256 * 1024;

/// The body limit of the routes ([`MAX_BODY`]): a larger body keeps actix's answer (413).
fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(MAX_BODY)
}

type FlowsData = web::Data<Flows>;

/// Runs `flow` on the input read from the body (JSON or an HTML form by its `Content-Type`,
/// core's [`read_input`]; anything else is core's 400 `invalid_input`) and translates its
/// answer.
async fn with_input<T, F>(
    flows: &Flows,
    req: &HttpRequest,
    body: &[u8],
    flow: impl FnOnce(T) -> F,
) -> HttpResponse
where
    T: DeserializeOwned,
    F: Future<Output = FlowResponse>,
{
    let answer = match read_input(&headers::request_headers(req), body) {
        Ok(Submitted { input, .. }) => flow(input).await,
        Err(invalid) => invalid,
    };
    flow_response(flows, req, answer)
}

/// [`limited_input`] for a form that signs in (the request's `headers` already read): a form
/// submission that signs in answers `303 See Other` to its `next` (a same-site path, else
/// `/`); JSON keeps the JSON answer ([`FlowResponse::for_form`]).
async fn limited_sign_in<T, F>(
    flows: &Flows,
    action: Action,
    req: &HttpRequest,
    headers: &http::HeaderMap,
    body: &[u8],
    flow: impl FnOnce(T) -> F,
) -> HttpResponse
where
    T: DeserializeOwned + AccountKey + SignInForm,
    F: Future<Output = FlowResponse>,
{
    let peer = req.peer_addr().map(|a| a.ip());
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
    flow_response(flows, req, answer)
}

/// Runs `flow` on the input read from the body within the limits of `action` (core's
/// [`Flows::limited`], with the peer address of `req`: 429 with `Retry-After` past a limit)
/// and translates its answer.
async fn limited_input<T, F>(
    flows: &Flows,
    action: Action,
    req: &HttpRequest,
    body: &[u8],
    flow: impl FnOnce(T) -> F,
) -> HttpResponse
where
    T: DeserializeOwned + AccountKey,
    F: Future<Output = FlowResponse>,
{
    let headers = headers::request_headers(req);
    let peer = req.peer_addr().map(|a| a.ip());
    let answer = match read_input(&headers, body) {
        Ok(Submitted { input, .. }) => flows.limited(action, peer, &headers, input, flow).await,
        Err(invalid) => invalid,
    };
    flow_response(flows, req, answer)
}

/// `POST /login`: a form submission that signs in answers `303 See Other` to its `next` (a
/// same-site path, else `/`); JSON keeps the JSON answer. Refused with 500 `misconfigured`
/// when the app's authenticator ([`LoginRadiusConfig`](crate::LoginRadiusConfig)) cannot read
/// the session the login would start.
async fn login(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    if let Ok(resolved) = resolve(&req)
        && let Err(wiring) = check_session_wiring(resolved.authenticator, flows.session())
    {
        tracing::error!(target: "loginradius::web", "the route helpers' sessions cannot be read by the guards: {wiring}");
        let refused = FlowResponse::error(
            http::StatusCode::INTERNAL_SERVER_ERROR,
            "misconfigured",
            "the server's session setup is incomplete",
        );
        return flow_response(&flows, &req, refused);
    }
    let headers = headers::request_headers(&req);
    limited_sign_in(
        &flows,
        Action::SignIn,
        &req,
        &headers,
        &body,
        |i: LoginInput| flows.login(&headers, i),
    )
    .await
}

async fn login_mfa(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    limited_input(&flows, Action::MfaStep, &req, &body, |i| {
        flows.login_mfa(&headers, i)
    })
    .await
}

async fn register(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    limited_input(&flows, Action::Register, &req, &body, |i| {
        flows.register(&headers, i)
    })
    .await
}

async fn logout(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.logout(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

async fn verify_email(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    with_input(&flows, &req, &body, |i| flows.verify_email(i)).await
}

async fn resend_verification(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    limited_input(&flows, Action::ResendVerification, &req, &body, |i| {
        flows.resend_verification(i)
    })
    .await
}

async fn forgot_password(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    limited_input(&flows, Action::ForgotPassword, &req, &body, |i| {
        flows.forgot_password(i)
    })
    .await
}

async fn reset_password(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    with_input(&flows, &req, &body, |i| flows.reset_password(i)).await
}

async fn change_password(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.change_password(&headers, i)).await
}

async fn set_password(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.set_password(&headers, i)).await
}

async fn passwordless_send(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    limited_input(&flows, Action::PasswordlessSend, &req, &body, |i| {
        flows.passwordless_send(i)
    })
    .await
}

async fn passwordless_verify(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    limited_input(&flows, Action::PasswordlessVerify, &req, &body, |i| {
        flows.passwordless_verify(&headers, i)
    })
    .await
}

async fn mfa_setup(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.mfa_setup(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

async fn mfa_enable(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.mfa_enable(&headers, i)).await
}

/// `POST /webhooks/loginradius`: a LoginRadius webhook, verified and applied by core's
/// [`WebhookReceiver`](loginradius::web::WebhookReceiver). The body is read up to
/// [`MAX_WEBHOOK_BODY`] bytes; a larger one is core's 413 `too_large`.
async fn webhook(flows: FlowsData, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let answer = match payload.to_bytes_limited(MAX_WEBHOOK_BODY).await {
        Ok(Ok(body)) => {
            flows
                .webhooks()
                .receive(&headers::request_headers(&req), &body)
                .await
        }
        Ok(Err(_)) => WebhookError::Invalid("the body could not be read").response(),
        Err(_) => WebhookError::TooLarge.response(),
    };
    flow_response(&flows, &req, answer)
}

async fn sessions(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.sessions(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

async fn end_session(flows: FlowsData, req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    let flow = flows
        .end_session(&headers::request_headers(&req), &id)
        .await;
    flow_response(&flows, &req, flow)
}

async fn end_user_sessions(
    flows: FlowsData,
    req: HttpRequest,
    uid: web::Path<String>,
) -> HttpResponse {
    let flow = flows
        .end_user_sessions(&headers::request_headers(&req), &uid)
        .await;
    flow_response(&flows, &req, flow)
}

async fn end_other_sessions(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows
        .end_other_sessions(&headers::request_headers(&req))
        .await;
    flow_response(&flows, &req, flow)
}

async fn mfa_disable(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.mfa_disable(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

/// Cross-origin request protection for state-changing requests, as an actix middleware over
/// core's [`csrf::check`]: the rules of Go 1.25's `CrossOriginProtection`, the same as
/// tower-http's `CsrfLayer` used by the axum adapter (tower layers do not fit actix; a shared
/// conformance table, `test-support/src/csrf_cases.rs`, keeps the two in agreement). A request is
/// let through when:
///
/// 1. its method is `GET`, `HEAD` or `OPTIONS`;
/// 2. its `Origin` is one of the [trusted origins](Self::trusted_origin), byte for byte;
/// 3. `Sec-Fetch-Site` is `same-origin` or `none`;
/// 4. neither `Sec-Fetch-Site` nor `Origin` is present (not a browser, or a same-origin
///    request from an old one);
/// 5. without `Sec-Fetch-Site`, the `Origin`'s authority equals the request's `Host`.
///
/// Anything else is refused before the handler runs with `403 Forbidden`,
/// `{"error": "csrf", "message": "cross-origin request refused"}` and `Cache-Control: no-store`:
/// the same answer as the axum adapter's route helpers.
///
/// ```
/// use actix_web::{App, web};
/// use loginradius_actix::routes::SameOriginWrites;
///
/// let csrf = SameOriginWrites::new().trusted_origin("https://admin.example.com");
/// let app = App::new().service(
///     web::resource("/settings")
///         .wrap(csrf)
///         .route(web::post().to(|| async { "saved" })),
/// );
/// ```
#[derive(Debug, Clone, Default)]
pub struct SameOriginWrites {
    trusted: TrustedOrigins,
}

impl SameOriginWrites {
    /// The protection with no trusted origin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also lets through requests whose `Origin` is exactly `origin` (`scheme://host[:port]`).
    pub fn trusted_origin(mut self, origin: impl Into<String>) -> Self {
        self.trusted.insert(origin);
        self
    }

    /// True when the request may go through (see the rules above).
    pub fn allows(&self, req: &HttpRequest) -> bool {
        self.check(req).is_ok()
    }

    /// Core's [`csrf::check`] of the request: `Ok` when it may go through, else why not.
    pub fn check(&self, req: &HttpRequest) -> Result<(), CsrfRejection> {
        // actix's `http` 0.2 types, copied into core's `http` 1 types.
        let method = http::Method::from_bytes(req.method().as_str().as_bytes())
            .unwrap_or(http::Method::POST);
        let uri = http::Uri::try_from(req.uri().to_string()).unwrap_or_default();
        csrf::check(&method, &uri, &headers::request_headers(req), &self.trusted)
    }
}

impl<S, B> Transform<S, ServiceRequest> for SameOriginWrites
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = SameOriginWritesMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(SameOriginWritesMiddleware {
            service: Rc::new(service),
            rules: self.clone(),
        }))
    }
}

/// The service of [`SameOriginWrites`].
#[derive(Debug)]
pub struct SameOriginWritesMiddleware<S> {
    service: Rc<S>,
    rules: SameOriginWrites,
}

impl<S, B> Service<ServiceRequest> for SameOriginWritesMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if let Err(reason) = self.rules.check(req.request()) {
            tracing::debug!(path = req.path(), %reason, "cross-origin write refused");
            let response = csrf_rejection();
            return Box::pin(ready(Ok(req.into_response(response).map_into_right_body())));
        }
        let service = self.service.clone();
        Box::pin(async move {
            service
                .call(req)
                .await
                .map(ServiceResponse::map_into_left_body)
        })
    }
}

/// The refusal of a cross-origin write: a JSON 403 that is never cached.
fn csrf_rejection() -> HttpResponse {
    HttpResponse::build(StatusCode::FORBIDDEN)
        .insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json")))
        .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(r#"{"error":"csrf","message":"cross-origin request refused"}"#)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::Method;
    use actix_web::test::TestRequest;

    fn allowed(method: Method, pairs: &[(&str, &str)]) -> bool {
        let mut req = TestRequest::default().method(method).uri("/login");
        for (name, value) in pairs {
            req = req.insert_header((*name, *value));
        }
        SameOriginWrites::new()
            .trusted_origin("https://trusted.example")
            .allows(&req.to_http_request())
    }

    #[test]
    fn cross_origin_rules() {
        assert!(allowed(Method::GET, &[("sec-fetch-site", "cross-site")]));
        assert!(allowed(
            Method::OPTIONS,
            &[("origin", "https://evil.example")]
        ));
        assert!(allowed(Method::POST, &[]));
        assert!(allowed(Method::POST, &[("sec-fetch-site", "same-origin")]));
        assert!(allowed(Method::POST, &[("sec-fetch-site", "none")]));
        assert!(!allowed(Method::POST, &[("sec-fetch-site", "cross-site")]));
        assert!(!allowed(Method::POST, &[("sec-fetch-site", "same-site")]));
        assert!(allowed(
            Method::POST,
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://trusted.example")
            ]
        ));
        assert!(allowed(
            Method::POST,
            &[
                ("origin", "http://app.example:8080"),
                ("host", "app.example:8080")
            ]
        ));
        assert!(!allowed(
            Method::POST,
            &[("origin", "http://evil.example"), ("host", "app.example")]
        ));
        assert!(!allowed(
            Method::DELETE,
            &[("origin", "null"), ("host", "app.example")]
        ));
        assert!(allowed(
            Method::POST,
            &[("origin", ""), ("host", "app.example")]
        ));
    }
}
