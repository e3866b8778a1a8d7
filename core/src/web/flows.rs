//! The route helpers' logic, written once for every web framework: plain async functions over
//! the client and the [`Authenticator`] that take the request's headers and raw JSON body and
//! return a [`FlowResponse`] (status, JSON body, what to do with the session cookie). The
//! adapters only translate the request in and the response out.
//!
//! Rules kept by every flow:
//! - JSON in, JSON out; no password, access token, MFA token or link token is ever written into
//!   a body, and none is ever read from a URL (link tokens come in the POST body).
//! - Errors are `{"error": code, "message": text}` with the status of [`error_response`]: 400
//!   bad input, 401 bad credentials or code, 403 unverified or locked account, 409 already
//!   exists, 503 when LoginRadius cannot answer (fail closed: never a 2xx on doubt).
//! - Forgot password, resend verification and passwordless send answer the same for known and
//!   unknown addresses, so they cannot be used to list accounts.

// The flows return early with the response itself: `Err(FlowResponse)` is the answer to send,
// not an error to propagate through deep stacks, so its size does not matter.
#![allow(clippy::result_large_err)]

use std::time::Duration as StdDuration;

use base64::Engine as _;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::session::{DEFAULT_SESSION_TTL, Session, SessionCookie};
use crate::auth::{AccessToken, AuthenticatedUser, Authenticator, Rejection};
use crate::models::{LoginResponse, MfaLoginOutcome, MfaSettings, Registration};
use crate::{Error, LoginRadius, Secret, codes};

/// What the adapter does with the session cookie after a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionChange {
    /// Leave it as it is.
    Keep,
    /// Start a signed-in session (a fresh cookie value: the session is renewed).
    Start(Session),
    /// Remember a pending MFA login between the two steps.
    PendingMfa(Session),
    /// End the session (remove the cookie).
    End,
}

impl SessionChange {
    /// The session to write, for [`Start`](Self::Start) and [`PendingMfa`](Self::PendingMfa).
    pub fn session(&self) -> Option<&Session> {
        match self {
            Self::Start(s) | Self::PendingMfa(s) => Some(s),
            Self::Keep | Self::End => None,
        }
    }
}

/// The framework-agnostic outcome of a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: Value,
    /// What to do with the session cookie.
    pub session: SessionChange,
    /// A `Retry-After` delay, on 503.
    pub retry_after: Option<StdDuration>,
}

impl FlowResponse {
    /// A 200 with `body`, the session kept.
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            session: SessionChange::Keep,
            retry_after: None,
        }
    }

    /// An error: `{"error": code, "message": message}` with `status`.
    pub fn error(status: StatusCode, code: &str, message: &str) -> Self {
        Self {
            status,
            body: json!({ "error": code, "message": message }),
            session: SessionChange::Keep,
            retry_after: None,
        }
    }

    /// Sets the session change.
    pub fn with_session(mut self, session: SessionChange) -> Self {
        self.session = session;
        self
    }

    /// The `Set-Cookie` value for the session change, if any; `request` is the request's
    /// headers (for the `Secure` rule).
    pub fn set_cookie(
        &self,
        cookie: &SessionCookie,
        request: &HeaderMap,
    ) -> Option<http::HeaderValue> {
        match &self.session {
            SessionChange::Keep => None,
            SessionChange::Start(s) | SessionChange::PendingMfa(s) => {
                Some(cookie.start(request, s))
            }
            SessionChange::End => Some(cookie.end(request)),
        }
    }

    fn from_rejection(rejection: &Rejection) -> Self {
        Self {
            status: rejection.status(),
            body: rejection.json(),
            session: SessionChange::Keep,
            retry_after: rejection.retry_after(),
        }
    }
}

/// Maps a client error to a flow error response (see the module documentation).
pub fn error_response(error: &Error) -> FlowResponse {
    use StatusCode as S;
    if error.is_unavailable() {
        let mut r = FlowResponse::error(
            S::SERVICE_UNAVAILABLE,
            "unavailable",
            "the identity service is unavailable, try again later",
        );
        r.retry_after = match error {
            Error::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
        .or(Some(StdDuration::from_secs(5)));
        return r;
    }
    match error {
        Error::InvalidInput { field, .. } => FlowResponse::error(
            S::BAD_REQUEST,
            "invalid_input",
            &format!("`{field}` is missing or invalid"),
        ),
        Error::Config(_) => FlowResponse::error(
            S::INTERNAL_SERVER_ERROR,
            "misconfigured",
            "the identity service is misconfigured",
        ),
        Error::Api { code, message, .. } => api_error(*code, message),
        _ => FlowResponse::error(
            S::SERVICE_UNAVAILABLE,
            "unavailable",
            "the identity service is unavailable, try again later",
        ),
    }
}

fn api_error(code: i64, upstream_message: &str) -> FlowResponse {
    use StatusCode as S;
    let (status, error, message) = match code {
        codes::INVALID_LOGIN | codes::INVALID_PASSWORD => (
            S::UNAUTHORIZED,
            "invalid_credentials",
            "the email or password is wrong",
        ),
        codes::CURRENT_PASSWORD_INVALID => (
            S::UNAUTHORIZED,
            "invalid_credentials",
            "the current password is wrong",
        ),
        codes::EMAIL_NOT_VERIFIED => (
            S::FORBIDDEN,
            "email_not_verified",
            "the email address is not verified yet",
        ),
        c if codes::ACCOUNT_LOCKED_CODES.contains(&c) => (
            S::FORBIDDEN,
            "account_locked",
            "the account is locked or blocked",
        ),
        codes::EMAIL_ALREADY_REGISTERED | 1046 | 1017 => (
            S::CONFLICT,
            "already_exists",
            "an account with these details already exists",
        ),
        codes::MFA_CODE_INCORRECT | codes::MFA_BACKUP_CODE_INVALID => {
            (S::UNAUTHORIZED, "invalid_code", "the code is wrong")
        }
        codes::MFA_TOKEN_INVALID | codes::MFA_TOKEN_EXPIRED => (
            S::UNAUTHORIZED,
            "mfa_expired",
            "the MFA login expired, sign in again",
        ),
        c if codes::INVALID_TOKEN.contains(&c) || c == codes::ACCESS_TOKEN_EXPIRED => (
            S::UNAUTHORIZED,
            "invalid_token",
            "the session is invalid or expired, sign in again",
        ),
        codes::VERIFICATION_LINK_USED
        | codes::VERIFICATION_LINK_EXPIRED
        | codes::VERIFICATION_TOKEN_INVALID
        | 1015
        | 1016
        | 1019 => (
            S::BAD_REQUEST,
            "invalid_link",
            "the link is invalid, used or expired",
        ),
        codes::USER_NOT_FOUND | codes::EMAIL_NOT_FOUND => {
            (S::NOT_FOUND, "not_found", "no such account")
        }
        codes::API_KEY_UNAUTHORIZED
        | codes::API_SECRET_UNAUTHORIZED
        | codes::API_KEY_MISSING
        | codes::SOTT_REQUIRED
        | codes::SOTT_INVALID => (
            S::INTERNAL_SERVER_ERROR,
            "misconfigured",
            "the identity service is misconfigured",
        ),
        1097 => (
            S::BAD_REQUEST,
            "mfa_not_available",
            "multi-factor authentication is not enabled for this site",
        ),
        _ => {
            // LoginRadius's short message explains validation failures; it never carries
            // a credential.
            return FlowResponse::error(S::BAD_REQUEST, "rejected", upstream_message);
        }
    };
    FlowResponse::error(status, error, message)
}

/// Settings of the flows.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FlowConfig {
    /// The page of your site that receives the reset-password link; the page reads the token
    /// from the link and posts it in the body of `POST /reset-password`. Required for forgot
    /// password (without it that flow answers 500 `misconfigured`).
    pub reset_password_url: Option<String>,
    /// The page that receives the email-verification link.
    pub verification_url: Option<String>,
    /// The page that receives the passwordless-login link.
    pub passwordless_url: Option<String>,
}

impl FlowConfig {
    /// Sets [`reset_password_url`](Self::reset_password_url).
    pub fn reset_password_url(mut self, url: impl Into<String>) -> Self {
        self.reset_password_url = Some(url.into());
        self
    }

    /// Sets [`verification_url`](Self::verification_url).
    pub fn verification_url(mut self, url: impl Into<String>) -> Self {
        self.verification_url = Some(url.into());
        self
    }

    /// Sets [`passwordless_url`](Self::passwordless_url).
    pub fn passwordless_url(mut self, url: impl Into<String>) -> Self {
        self.passwordless_url = Some(url.into());
        self
    }
}

/// The route-helper flows: an [`Authenticator`] (and its client), the [`SessionCookie`] codec
/// and [`FlowConfig`]. Cheap to clone.
///
/// Build the authenticator with the session as a token source so that guards and extractors
/// accept the session cookie:
/// `Authenticator::builder(client).token_sources(TokenExtractor::bearer().with(session.token_source()))`.
#[derive(Debug, Clone)]
pub struct Flows {
    authenticator: Authenticator,
    session: SessionCookie,
    config: FlowConfig,
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Email {
    email: String,
}

#[derive(Deserialize)]
struct LinkToken {
    token: String,
}

#[derive(Deserialize)]
struct Reset {
    token: String,
    password: String,
}

#[derive(Deserialize)]
struct ChangePassword {
    old_password: String,
    new_password: String,
}

#[derive(Deserialize)]
struct RegisterInput {
    email: String,
    password: String,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    /// Other LoginRadius profile fields, in LoginRadius casing (`Gender`, `CustomFields`, …).
    #[serde(default)]
    profile: Map<String, Value>,
}

/// Profile fields a registration body may not set through `profile`.
const RESERVED_PROFILE_FIELDS: &[&str] = &[
    "password",
    "email",
    "uid",
    "id",
    "emailverified",
    "roles",
    "isactive",
    "isdeleted",
    "isemailsubscribed",
    "phoneid",
    "phoneidverified",
];

type FlowResult<T> = Result<T, FlowResponse>;

fn parse<T: DeserializeOwned>(body: &[u8]) -> FlowResult<T> {
    serde_json::from_slice(body).map_err(|_| {
        FlowResponse::error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "the body must be a JSON object with the documented fields",
        )
    })
}

fn non_empty(field: &str, value: &str) -> FlowResult<()> {
    if value.trim().is_empty() {
        Err(FlowResponse::error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            &format!("`{field}` is missing or invalid"),
        ))
    } else {
        Ok(())
    }
}

fn valid_email(value: &str) -> FlowResult<()> {
    let ok = value.len() <= 254
        && value
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('@'))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(FlowResponse::error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "`email` is missing or invalid",
        ))
    }
}

fn totp_code(code: &str) -> FlowResult<&str> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(FlowResponse::error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "`code` must be the 6-digit code of the authenticator app",
        ))
    }
}

/// Errors that say "no such account" are answered like a success by the flows that must not
/// reveal whether an address is registered.
fn is_unknown_account(error: &Error) -> bool {
    matches!(
        error.code(),
        Some(codes::USER_NOT_FOUND | codes::EMAIL_NOT_FOUND | 1025 | 1064)
    )
}

/// The answer of a flow that sends an email: `{"sent": true}` when the email went out and also
/// when `hidden` says the error must not be revealed (an unknown address, …); any other error
/// as its response.
fn sent_unless_revealed<T>(
    sent: Result<T, Error>,
    hidden: impl Fn(&Error) -> bool,
) -> Result<FlowResponse, FlowResponse> {
    match sent {
        Err(e) if !hidden(&e) => Err(error_response(&e)),
        _ => Ok(FlowResponse::ok(json!({ "sent": true }))),
    }
}

fn signed_in_body(session: &Session, login: &LoginResponse) -> Value {
    let uid = match session {
        Session::SignedIn { uid, .. } => uid.clone(),
        Session::PendingMfa { .. } => String::new(),
    };
    let email = login
        .profile
        .as_ref()
        .and_then(|p| p.primary_email())
        .map(str::to_owned);
    json!({ "signed_in": true, "uid": uid, "email": email })
}

impl Flows {
    /// Flows over `authenticator` (and its client) with the session codec `session`.
    pub fn new(authenticator: Authenticator, session: SessionCookie) -> Self {
        Self {
            authenticator,
            session,
            config: FlowConfig::default(),
        }
    }

    /// Sets the configuration.
    pub fn config(mut self, config: FlowConfig) -> Self {
        self.config = config;
        self
    }

    /// The session codec.
    pub fn session(&self) -> &SessionCookie {
        &self.session
    }

    /// The authenticator.
    pub fn authenticator(&self) -> &Authenticator {
        &self.authenticator
    }

    fn client(&self) -> &LoginRadius {
        self.authenticator.client()
    }

    fn start(&self, login: &LoginResponse) -> FlowResult<FlowResponse> {
        let uid = login
            .profile
            .as_ref()
            .map(|p| p.uid.clone())
            .filter(|u| !u.is_empty());
        let (Some(uid), false) = (uid, login.access_token.is_blank()) else {
            // A success without a token or a profile: not a login we can trust.
            return Err(FlowResponse::error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the identity service gave an incomplete answer",
            ));
        };
        let now = OffsetDateTime::now_utc();
        let expires_at = login
            .expires_in
            .filter(|e| *e > now)
            .unwrap_or(now + DEFAULT_SESSION_TTL);
        let session = Session::SignedIn {
            access_token: AccessToken::from(login.access_token.clone()),
            uid,
            expires_at,
        };
        Ok(FlowResponse::ok(signed_in_body(&session, login))
            .with_session(SessionChange::Start(session)))
    }

    /// The signed-in user: the session cookie's token, else the authenticator's other token
    /// sources (such as `Authorization: Bearer`).
    pub async fn current_user(&self, headers: &HeaderMap) -> FlowResult<AuthenticatedUser> {
        let token = match self.session.access_token(headers) {
            Some(token) => token,
            None => self
                .authenticator
                .extract(headers)
                .map_err(|r| FlowResponse::from_rejection(&r))?
                .ok_or_else(|| {
                    FlowResponse::from_rejection(
                        &self
                            .authenticator
                            .reject(crate::auth::RejectionKind::MissingToken),
                    )
                })?,
        };
        self.authenticator
            .authenticate(&token)
            .await
            .map_err(|r| FlowResponse::from_rejection(&r))
    }

    /// `POST /login` `{"email", "password"}`: signs in. When MFA applies (LoginRadius answers
    /// 1176 to the plain login), runs the MFA login: the MFA token goes into the session cookie
    /// and the body is `{"mfa_required": true}`, plus `otpauth_uri`, `qr_code` (a local SVG
    /// data URI) and `manual_entry_code` when the authenticator app is not set up yet.
    ///
    /// `headers` are the request's. When the login replaces a signed-in session with another
    /// token, that session is ended: its token is evicted from the cache and invalidated at
    /// LoginRadius, since the browser is about to lose its cookie. A failure to invalidate it
    /// is logged and the new session stands. A session too large for a browser cookie (a token
    /// of several kilobytes) is refused with 500 `session_too_large`, its token logged out.
    pub async fn login(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        let response = self.try_login(body).await.unwrap_or_else(|e| e);
        self.settle_session(headers, response).await
    }

    /// After a flow that may write a new session cookie (signed in, or a pending MFA login):
    ///
    /// - a session too large for a cookie (see [`SessionCookie::fits`]) is refused with 500
    ///   `session_too_large` and its new access token logged out, rather than handed to a
    ///   browser that would drop it without a word;
    /// - a signed-in session of the request with another token is ended: that token is logged
    ///   out (evicted from the cache at once, invalidated at LoginRadius). The browser is about
    ///   to lose the cookie, so nothing could use the token any more, yet left alone it would
    ///   stay valid until it expires. A failure to invalidate it is logged; the new session
    ///   stands.
    async fn settle_session(&self, headers: &HeaderMap, response: FlowResponse) -> FlowResponse {
        let Some(new) = response.session.session() else {
            return response;
        };
        if !self.session.fits(new) {
            tracing::error!(
                "the new session does not fit in a browser cookie (its token is too large); \
                 the sign-in is refused"
            );
            if let Some(token) = new.access_token() {
                // `logout` evicts first and logs an upstream failure itself.
                let _ = self.authenticator.logout(token).await;
            }
            return FlowResponse::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "session_too_large",
                "the session does not fit in a cookie on this server",
            );
        }
        let Some(old) = self.session.access_token(headers) else {
            return response;
        };
        if new.access_token() != Some(&old) {
            let _ = self.authenticator.logout(&old).await;
        }
        response
    }

    async fn try_login(&self, body: &[u8]) -> FlowResult<FlowResponse> {
        let input: Credentials = parse(body)?;
        valid_email(&input.email)?;
        non_empty("password", &input.password)?;
        let password = Secret::new(input.password);
        match self
            .client()
            .auth()
            .login_by_email(&input.email, password.clone())
            .send()
            .await
        {
            Ok(login) => self.start(&login),
            Err(e) if e.is_mfa_required() => {
                let outcome = self
                    .client()
                    .mfa()
                    .login_by_email(&input.email, password)
                    .send()
                    .await
                    .map_err(|e| error_response(&e))?;
                match outcome {
                    MfaLoginOutcome::Complete(login) => self.start(&login),
                    MfaLoginOutcome::Challenge(challenge) => {
                        let now = OffsetDateTime::now_utc();
                        let expires_at = challenge
                            .expires_at
                            .filter(|e| *e > now)
                            .unwrap_or(now + DEFAULT_SESSION_TTL);
                        let session = Session::PendingMfa {
                            mfa_token: AccessToken::from(challenge.token.clone()),
                            expires_at,
                        };
                        let mut body = json!({ "mfa_required": true });
                        if challenge.settings.needs_authenticator_setup() {
                            add_setup_data(&mut body, &challenge.settings);
                        }
                        Ok(FlowResponse::ok(body).with_session(SessionChange::PendingMfa(session)))
                    }
                }
            }
            Err(e) => Err(error_response(&e)),
        }
    }

    /// `POST /login/mfa` `{"code"}`: the second MFA step, with the MFA token from the session
    /// cookie. A wrong code keeps the pending login; an expired one ends it.
    pub async fn login_mfa(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        let response = self
            .try_login_mfa(headers, body)
            .await
            .unwrap_or_else(|e| e);
        self.settle_session(headers, response).await
    }

    async fn try_login_mfa(&self, headers: &HeaderMap, body: &[u8]) -> FlowResult<FlowResponse> {
        let input: Code = parse(body)?;
        let Some(mfa_token) = self
            .session
            .read(headers)
            .and_then(|s| s.mfa_token().cloned())
        else {
            return Err(FlowResponse::error(
                StatusCode::UNAUTHORIZED,
                "mfa_expired",
                "no MFA login in progress, sign in again",
            ));
        };
        let code = totp_code(&input.code)?;
        match self
            .client()
            .mfa()
            .verify_authenticator_code(mfa_token.as_secret().clone(), code)
            .send()
            .await
        {
            Ok(login) => self.start(&login),
            Err(e)
                if matches!(
                    e.code(),
                    Some(codes::MFA_TOKEN_INVALID | codes::MFA_TOKEN_EXPIRED)
                ) =>
            {
                Err(error_response(&e).with_session(SessionChange::End))
            }
            Err(e) => Err(error_response(&e)),
        }
    }

    /// `POST /register` `{"email", "password", "first_name"?, "last_name"?, "user_name"?,
    /// "profile"?: {LoginRadius profile fields}}`: registers with a SOTT made server-side.
    /// Answers 201 `{"registered": true, "email_verification_required": bool}`, and signs the
    /// user in when the site does not require verification first (ending a session it
    /// replaces, as [`login`](Self::login) does; `headers` are the request's).
    pub async fn register(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        let response = self.try_register(body).await.unwrap_or_else(|e| e);
        self.settle_session(headers, response).await
    }

    async fn try_register(&self, body: &[u8]) -> FlowResult<FlowResponse> {
        let input: RegisterInput = parse(body)?;
        valid_email(&input.email)?;
        non_empty("password", &input.password)?;
        if let Some(key) = input.profile.keys().find(|k| {
            RESERVED_PROFILE_FIELDS
                .iter()
                .any(|r| k.eq_ignore_ascii_case(r))
        }) {
            return Err(FlowResponse::error(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                &format!("`profile.{key}` cannot be set at registration"),
            ));
        }
        let mut user = Registration::new(input.email, input.password);
        user.first_name = input.first_name;
        user.last_name = input.last_name;
        user.user_name = input.user_name;
        user.extra = input.profile;
        let sott = self
            .client()
            .local_sott(StdDuration::from_secs(600))
            .map_err(|e| error_response(&e))?;
        let mut request = self.client().auth().register(&user, sott);
        if let Some(url) = &self.config.verification_url {
            request = request.verification_url(url);
        }
        let registered = request.send().await.map_err(|e| error_response(&e))?;
        let login = registered.data.filter(|l| !l.access_token.is_blank());
        let mut response = match login {
            Some(login) => {
                let mut r = self.start(&login)?;
                r.body = json!({ "registered": true, "email_verification_required": false, "signed_in": true });
                r
            }
            None => {
                FlowResponse::ok(json!({ "registered": true, "email_verification_required": true }))
            }
        };
        response.status = StatusCode::CREATED;
        Ok(response)
    }

    /// `POST /logout`: invalidates the token at LoginRadius, evicts it from the
    /// authenticator's cache at once, and ends the session. The session ends even when
    /// LoginRadius cannot be reached (then the answer is 503: the token may still be valid
    /// upstream until it expires).
    pub async fn logout(&self, headers: &HeaderMap) -> FlowResponse {
        let token = match self.session.access_token(headers) {
            Some(t) => Some(t),
            None => self.authenticator.extract(headers).ok().flatten(),
        };
        let Some(token) = token else {
            return FlowResponse::ok(json!({ "signed_out": true }))
                .with_session(SessionChange::End);
        };
        match self.authenticator.logout(&token).await {
            Ok(()) => {}
            Err(e) if e.is_invalid_token() || e.is_expired_token() => {}
            Err(e) => return error_response(&e).with_session(SessionChange::End),
        }
        FlowResponse::ok(json!({ "signed_out": true })).with_session(SessionChange::End)
    }

    /// `POST /verify-email` `{"token"}`: verifies an email address with the token of the
    /// verification link (read by your page from the link and posted, never logged in a URL).
    pub async fn verify_email(&self, body: &[u8]) -> FlowResponse {
        async {
            let input: LinkToken = parse(body)?;
            non_empty("token", &input.token)?;
            self.client()
                .auth()
                .verify_email(input.token)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "verified": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /resend-verification` `{"email"}`: sends the verification email again. Same
    /// answer for unknown addresses.
    pub async fn resend_verification(&self, body: &[u8]) -> FlowResponse {
        async {
            let input: Email = parse(body)?;
            valid_email(&input.email)?;
            let mut request = self.client().auth().resend_verification_email(&input.email);
            if let Some(url) = &self.config.verification_url {
                request = request.verification_url(url);
            }
            sent_unless_revealed(request.send().await, |e| {
                is_unknown_account(e) || e.code() == Some(1004)
            })
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /forgot-password` `{"email"}`: emails a reset link. Same answer for unknown
    /// addresses.
    pub async fn forgot_password(&self, body: &[u8]) -> FlowResponse {
        async {
            let input: Email = parse(body)?;
            valid_email(&input.email)?;
            let Some(url) = self.config.reset_password_url.as_deref() else {
                tracing::error!("forgot password needs FlowConfig::reset_password_url");
                return Err(FlowResponse::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "misconfigured",
                    "password reset is not configured",
                ));
            };
            let sent = self
                .client()
                .auth()
                .forgot_password(&input.email, url)
                .send()
                .await;
            sent_unless_revealed(sent, is_unknown_account)
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /reset-password` `{"token", "password"}`: sets a new password with the token of
    /// the reset link.
    pub async fn reset_password(&self, body: &[u8]) -> FlowResponse {
        async {
            let input: Reset = parse(body)?;
            non_empty("token", &input.token)?;
            non_empty("password", &input.password)?;
            self.client()
                .auth()
                .reset_password(input.token, input.password)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "password_reset": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /change-password` `{"old_password", "new_password"}` for the signed-in user.
    pub async fn change_password(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let input: ChangePassword = parse(body)?;
            non_empty("old_password", &input.old_password)?;
            non_empty("new_password", &input.new_password)?;
            self.client()
                .auth()
                .change_password(
                    user.token.as_secret().clone(),
                    input.old_password,
                    input.new_password,
                )
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "password_changed": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /passwordless/send` `{"email"}`: emails a one-click login link. Same answer for
    /// unknown addresses.
    pub async fn passwordless_send(&self, body: &[u8]) -> FlowResponse {
        async {
            let input: Email = parse(body)?;
            valid_email(&input.email)?;
            let mut request = self
                .client()
                .passwordless()
                .send_link_by_email(&input.email);
            if let Some(url) = &self.config.passwordless_url {
                request = request.verification_url(url);
            }
            sent_unless_revealed(request.send().await, is_unknown_account)
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /passwordless/verify` `{"token"}`: signs in with the token of the login link
    /// (ending a session it replaces, as [`login`](Self::login) does; `headers` are the
    /// request's).
    pub async fn passwordless_verify(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        let response = async {
            let input: LinkToken = parse(body)?;
            non_empty("token", &input.token)?;
            let login = self
                .client()
                .passwordless()
                .verify_link(input.token)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            self.start(&login)
        }
        .await
        .unwrap_or_else(|e| e);
        self.settle_session(headers, response).await
    }

    /// `GET /mfa/setup` for the signed-in user: `{"enabled": bool}`, plus `otpauth_uri`,
    /// `qr_code` and `manual_entry_code` while the authenticator app is not set up.
    pub async fn mfa_setup(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let settings = self
                .client()
                .mfa()
                .settings(user.token.as_secret().clone())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            let enabled =
                settings.is_authenticator_verified || settings.is_google_authenticator_verified;
            let mut body = json!({ "enabled": enabled });
            if !enabled {
                add_setup_data(&mut body, &settings);
            }
            Ok(FlowResponse::ok(body))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/enable` `{"code"}`: enables the authenticator app for the signed-in user
    /// with a code from it.
    pub async fn mfa_enable(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let input: Code = parse(body)?;
            let code = totp_code(&input.code)?;
            self.client()
                .mfa()
                .enable_authenticator(user.token.as_secret().clone(), code)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "enabled": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/disable`: removes the signed-in user's authenticator app.
    pub async fn mfa_disable(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            self.client()
                .mfa()
                .reset_authenticator(user.token.as_secret().clone())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "enabled": false })))
        }
        .await
        .unwrap_or_else(|e| e)
    }
}

/// Adds `otpauth_uri`, `qr_code` (an SVG data URI rendered here, so the TOTP seed is never
/// sent to a third-party QR service) and `manual_entry_code`.
fn add_setup_data(body: &mut Value, settings: &MfaSettings) {
    let uri = settings.otpauth_uri();
    let qr = uri.as_deref().and_then(qr_svg_data_uri);
    let manual = settings
        .manual_entry_code
        .as_ref()
        .map(|s| s.expose().to_owned())
        .or_else(|| {
            uri.as_deref().and_then(|u| {
                let (_, query) = u.split_once('?')?;
                url::form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == "secret")
                    .map(|(_, v)| v.into_owned())
            })
        });
    if let Some(object) = body.as_object_mut() {
        object.insert("otpauth_uri".into(), json!(uri));
        object.insert("qr_code".into(), json!(qr));
        object.insert("manual_entry_code".into(), json!(manual));
    }
}

/// `data:image/svg+xml;base64,…` of a QR code of `text`.
pub fn qr_svg_data_uri(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let size = qr.size() + border * 2;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    );
    Some(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::RecordingTransport;
    use http::HeaderValue;

    const FAR: &str = "2999-01-01T00:00:00Z";

    fn flows() -> (Flows, RecordingTransport) {
        let transport = RecordingTransport::new();
        let client = LoginRadius::builder()
            .api_key("key")
            .api_secret("secret")
            .retry(crate::RetryPolicy::none())
            .transport(transport.clone())
            .build()
            .unwrap();
        let session = SessionCookie::generate();
        let authenticator = Authenticator::builder(client).build().unwrap();
        (
            Flows::new(authenticator, session)
                .config(FlowConfig::default().reset_password_url("https://app.example.com/reset")),
            transport,
        )
    }

    fn login_reply() -> Value {
        json!({
            "access_token": "acc-tok-1",
            "expires_in": FAR,
            "Profile": {"Uid": "u-1", "Email": [{"Type": "Primary", "Value": "a@example.com"}]}
        })
    }

    fn lr_error(code: i64) -> Value {
        json!({"ErrorCode": code, "Message": "upstream says no", "Description": "d"})
    }

    fn body(v: Value) -> Vec<u8> {
        v.to_string().into_bytes()
    }

    fn cookie_headers(flows: &Flows, r: &FlowResponse) -> HeaderMap {
        let set = r.set_cookie(flows.session(), &HeaderMap::new()).unwrap();
        let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
        let mut h = HeaderMap::new();
        h.insert(http::header::COOKIE, HeaderValue::from_str(&pair).unwrap());
        h
    }

    #[tokio::test]
    async fn login_starts_a_session_and_never_echoes_secrets() {
        let (flows, t) = flows();
        t.reply_json(200, login_reply());
        let r = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw-123456"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.body,
            json!({"signed_in": true, "uid": "u-1", "email": "a@example.com"})
        );
        let text = r.body.to_string();
        assert!(!text.contains("acc-tok-1") && !text.contains("pw-123456"));
        let SessionChange::Start(Session::SignedIn {
            access_token, uid, ..
        }) = &r.session
        else {
            panic!("{:?}", r.session)
        };
        assert_eq!((access_token.expose(), uid.as_str()), ("acc-tok-1", "u-1"));
        let sent = t.last().unwrap();
        assert_eq!(sent.path(), "/identity/v2/auth/login");
        assert_eq!(sent.json().unwrap()["password"], "pw-123456");
        // The cookie reads back.
        let h = cookie_headers(&flows, &r);
        assert_eq!(
            flows.session().access_token(&h).unwrap().expose(),
            "acc-tok-1"
        );
    }

    #[tokio::test]
    async fn a_session_too_large_for_a_cookie_is_refused_and_its_token_logged_out() {
        let (flows, t) = flows();
        let mut reply = login_reply();
        reply["access_token"] = json!("a".repeat(crate::auth::MAX_TOKEN_LEN));
        t.reply_json(200, reply);
        t.reply_json(200, json!({"IsPosted": true}));
        let r = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw-123456"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(r.body["error"], "session_too_large");
        assert_eq!(r.session, SessionChange::Keep);
        assert!(r.set_cookie(flows.session(), &HeaderMap::new()).is_none());
        let sent = t.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].path(), "/identity/v2/auth/access_token/invalidate");
        // A JWE of a few hundred bytes is fine.
        let mut reply = login_reply();
        reply["access_token"] = json!("b".repeat(600));
        t.reply_json(200, reply);
        let r = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw-123456"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let set = r.set_cookie(flows.session(), &HeaderMap::new()).unwrap();
        assert!(
            set.len() < crate::web::MAX_COOKIE_BYTES + 200,
            "{}",
            set.len()
        );
    }

    #[tokio::test]
    async fn login_falls_back_to_the_mfa_login_and_keeps_the_mfa_token_in_the_cookie() {
        let (flows, t) = flows();
        t.reply_json(403, lr_error(1176));
        t.reply_json(
            200,
            json!({
                "SecondFactorAuthentication": {
                    "SecondFactorAuthenticationToken": "mfa-tok-1",
                    "ExpireIn": FAR,
                    "QRCode": "otpauth://totp/a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=x",
                    "ManualEntryCode": "JBSWY3DPEHPK3PXP",
                    "IsAuthenticatorVerified": false
                },
                "access_token": "",
                "Profile": null
            }),
        );
        let r = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["mfa_required"], true);
        assert_eq!(r.body["manual_entry_code"], "JBSWY3DPEHPK3PXP");
        assert!(
            r.body["otpauth_uri"]
                .as_str()
                .unwrap()
                .starts_with("otpauth://")
        );
        assert!(
            r.body["qr_code"]
                .as_str()
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
        assert!(!r.body.to_string().contains("mfa-tok-1"));
        assert!(matches!(r.session, SessionChange::PendingMfa(_)));
        assert_eq!(t.last().unwrap().path(), "/identity/v2/auth/login/2fa");

        // Second step: the MFA token comes from the cookie, never from the body.
        let h = cookie_headers(&flows, &r);
        t.reply_json(200, login_reply());
        let done = flows.login_mfa(&h, &body(json!({"code": "123456"}))).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(matches!(done.session, SessionChange::Start(_)));
        let sent = t.last().unwrap();
        assert!(
            sent.path()
                .ends_with("/login/2fa/verification/authenticatorcode")
        );
        assert_eq!(
            sent.query_value("secondfactorauthenticationtoken")
                .as_deref(),
            Some("mfa-tok-1")
        );

        // A wrong code keeps the pending login; an expired MFA token ends it.
        t.reply_json(400, lr_error(1102));
        let wrong = flows.login_mfa(&h, &body(json!({"code": "000000"}))).await;
        assert_eq!(
            (wrong.status, wrong.session.clone()),
            (StatusCode::UNAUTHORIZED, SessionChange::Keep)
        );
        assert_eq!(wrong.body["error"], "invalid_code");
        t.reply_json(400, lr_error(1104));
        let expired = flows.login_mfa(&h, &body(json!({"code": "000000"}))).await;
        assert_eq!(
            (expired.status, expired.session),
            (StatusCode::UNAUTHORIZED, SessionChange::End)
        );
    }

    #[tokio::test]
    async fn the_mfa_step_needs_a_pending_login_and_a_six_digit_code() {
        let (flows, t) = flows();
        let r = flows
            .login_mfa(&HeaderMap::new(), &body(json!({"code": "123456"})))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        t.reply_json(200, login_reply());
        let signed_in = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw"})),
            )
            .await;
        // A signed-in session is no pending MFA login.
        let h = cookie_headers(&flows, &signed_in);
        let r = flows.login_mfa(&h, &body(json!({"code": "123456"}))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(t.len(), 1);
    }

    #[tokio::test]
    async fn bad_input_is_400_before_any_request() {
        let (flows, t) = flows();
        for r in [
            flows.login(&HeaderMap::new(), b"not json").await,
            flows.login(&HeaderMap::new(), &body(json!({"email": "nope", "password": "x"}))).await,
            flows.login(&HeaderMap::new(), &body(json!({"email": "a@example.com", "password": ""}))).await,
            flows.register(&HeaderMap::new(), &body(json!({"email": "a@example.com"}))).await,
            flows
                .register(&HeaderMap::new(), &body(
                    json!({"email": "a@example.com", "password": "p", "profile": {"Password": "x"}}),
                ))
                .await,
            flows.verify_email(&body(json!({"token": " "}))).await,
            flows.reset_password(&body(json!({"token": "t"}))).await,
            flows.forgot_password(&body(json!({}))).await,
            flows.passwordless_verify(&HeaderMap::new(), &body(json!({}))).await,
        ] {
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
            assert_eq!(r.body["error"], "invalid_input");
        }
        assert!(t.is_empty());
    }

    #[tokio::test]
    async fn registration_sends_a_server_side_sott() {
        let (flows, t) = flows();
        t.reply_json(200, json!({"IsPosted": true}));
        let r = flows
            .register(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw-1", "first_name": "Ann"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["email_verification_required"], true);
        assert_eq!(r.session, SessionChange::Keep);
        let sent = t.last().unwrap();
        assert!(
            sent.header("x-loginradius-sott")
                .is_some_and(|s| !s.is_empty())
        );
        assert_eq!(sent.json().unwrap()["FirstName"], "Ann");
        t.reply_json(400, lr_error(936));
        let r = flows
            .register(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }

    #[tokio::test]
    async fn enumeration_safe_flows_and_fail_closed_outages() {
        let (flows, t) = flows();
        t.reply_json(400, lr_error(1023));
        let r = flows
            .forgot_password(&body(json!({"email": "x@example.com"})))
            .await;
        assert_eq!(
            (r.status, r.body.clone()),
            (StatusCode::OK, json!({"sent": true}))
        );
        assert_eq!(
            t.last().unwrap().query_value("resetPasswordUrl").as_deref(),
            Some("https://app.example.com/reset")
        );
        t.reply_json(500, lr_error(950));
        let r = flows
            .forgot_password(&body(json!({"email": "x@example.com"})))
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.retry_after.is_some());
        t.reply_error(crate::transport::TransportError::Timeout);
        let r = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw"})),
            )
            .await;
        assert_eq!(
            (r.status, r.session),
            (StatusCode::SERVICE_UNAVAILABLE, SessionChange::Keep)
        );
        // A 200 without a token is no login.
        t.reply_json(200, json!({"Profile": {"Uid": "u"}, "access_token": ""}));
        let r = flows
            .login(
                &HeaderMap::new(),
                &body(json!({"email": "a@example.com", "password": "pw"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    }

    #[tokio::test]
    async fn forgot_password_without_a_reset_page_is_a_server_misconfiguration() {
        let (flows, t) = flows();
        let flows = flows.config(FlowConfig::default());
        let r = flows
            .forgot_password(&body(json!({"email": "x@example.com"})))
            .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(t.is_empty());
    }

    #[tokio::test]
    async fn logout_without_a_session_ends_it_without_a_call() {
        let (flows, t) = flows();
        let r = flows.logout(&HeaderMap::new()).await;
        assert_eq!((r.status, r.session), (StatusCode::OK, SessionChange::End));
        assert!(t.is_empty());
        let r = flows.mfa_setup(&HeaderMap::new()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(t.is_empty());
    }

    #[test]
    fn loginradius_codes_map_to_statuses() {
        let api = |code| Error::Api {
            status: StatusCode::BAD_REQUEST,
            code,
            message: "m".into(),
            description: "d".into(),
            details: Box::default(),
        };
        for (code, status, error) in [
            (966, 401, "invalid_credentials"),
            (1205, 401, "invalid_credentials"),
            (967, 401, "invalid_credentials"),
            (970, 403, "email_not_verified"),
            (991, 403, "account_locked"),
            (936, 409, "already_exists"),
            (1046, 409, "already_exists"),
            (1017, 409, "already_exists"),
            (1102, 401, "invalid_code"),
            (1103, 401, "mfa_expired"),
            (1104, 401, "mfa_expired"),
            (905, 401, "invalid_token"),
            (974, 400, "invalid_link"),
            (1048, 500, "misconfigured"),
            (1134, 400, "rejected"),
        ] {
            let r = error_response(&api(code));
            assert_eq!(
                (r.status.as_u16(), r.body["error"].as_str().unwrap()),
                (status, error),
                "{code}"
            );
        }
        let r = error_response(&Error::RateLimited {
            retry_after: Some(StdDuration::from_secs(7)),
        });
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.retry_after, Some(StdDuration::from_secs(7)));
    }
}
