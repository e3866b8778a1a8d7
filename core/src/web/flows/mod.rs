//! The route helpers' logic, written once for every web framework: plain async functions over
//! the client and the [`Authenticator`] that take the request's headers and a typed input
//! ([`LoginInput`], [`RegisterInput`], …) and return a [`FlowResponse`] (status, JSON body,
//! what to do with the session cookie). The adapters only translate the request in (their JSON
//! extractor builds the input) and the response out.
//!
//! One file per family of flows: [`response`] (the answer and the error mapping), [`input`]
//! (the inputs and their checks), [`sign_in`] (login, the MFA step, logout), [`registration`]
//! (registration and email verification), [`password`] (forgot, reset, change),
//! [`passwordless`] (login by email link), [`phone`] (sign-in by a texted code), [`mfa`]
//! (authenticator setup), [`second_factor`] (the methods of an MFA login: authenticator, SMS
//! and email codes), [`code_factors`] (SMS and email codes setup) and [`consent`] (the consent
//! step of a sign-in).
//!
//! Rules kept by every flow:
//! - JSON in, JSON out; no password, access token, MFA token or link token is ever written into
//!   a body, and none is ever read from a URL (link tokens come in the POST body).
//! - Errors are `{"error": code, "message": text}` with the status of [`error_response`]: 400
//!   bad input, 401 bad credentials or code, 403 unverified or locked account, 409 already
//!   exists, 503 when LoginRadius cannot answer (fail closed: never a 2xx on doubt).
//! - Forgot password, resend verification, passwordless send and phone send answer the same
//!   for known and unknown addresses and numbers, so they cannot be used to list accounts.

// The flows return early with the response itself: `Err(FlowResponse)` is the answer to send,
// not an error to propagate through deep stacks, so its size does not matter.
#![allow(clippy::result_large_err)]

mod body;
mod code_factors;
mod consent;
mod input;
mod limited;
mod mfa;
mod password;
mod passwordless;
mod phone;
mod registration;
mod renew;
mod response;
mod second_factor;
mod sessions;
mod sign_in;
mod step_up;
#[cfg(test)]
mod test_support;
mod wiring;

use http::HeaderMap;
use serde_json::json;
use time::OffsetDateTime;

use crate::auth::{AccessToken, AuthenticatedUser, Authenticator, Rejection, RejectionKind};
use crate::fleet::{ProofMethod, SessionId};
use crate::models::LoginResponse;
use crate::web::limits::LimitConfig;
use crate::web::session::{DEFAULT_SESSION_TTL, Session, SessionCookie};
use crate::web::webhook::WebhookReceiver;
use crate::{Error, LoginRadius, codes};

pub use body::{BodyFormat, SignInForm, Submitted, body_format, read_input};
pub use consent::{CONSENT_STEP_TTL, ConsentForm, ConsentInput, ConsentOption};
use input::FlowResult;
pub use input::{
    ChangePasswordInput, EmailInput, LinkTokenInput, LoginInput, MfaCodeInput, RegisterInput,
    ResetPasswordInput, SetPasswordInput,
};
pub use phone::{PhoneInput, PhoneLoginInput};
pub use renew::DEFAULT_RENEW_BEFORE;
pub use response::{FlowResponse, SessionChange, error_response};
pub use second_factor::{SecondFactor, SendCodeInput};
use sessions::Reproof;
pub(crate) use sessions::end_sessions_of;
pub use step_up::{DEFAULT_REAUTH_WITHIN, ReauthInput, ReauthSendInput};
pub use wiring::{WiringError, check_session_wiring};

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
    /// How old a LoginRadius webhook's `Time` may be (default
    /// [`DEFAULT_WEBHOOK_WINDOW`](crate::web::webhook::DEFAULT_WEBHOOK_WINDOW)).
    pub webhook_window: Option<std::time::Duration>,
    /// How long before its token expires a session is renewed (default
    /// [`DEFAULT_RENEW_BEFORE`], 5 minutes; see [`Flows::renew_session`]).
    pub renew_before: Option<std::time::Duration>,
    /// How recently a session must have been proven (signed in or re-authenticated with
    /// [`Flows::reauth`]) for the sensitive helpers: change and set password, MFA enable and
    /// disable, ending all other sessions, an administrator ending a user's sessions (default
    /// [`DEFAULT_REAUTH_WITHIN`], 5 minutes). Older, they answer 403 `reauth_required`.
    pub reauth_within: Option<std::time::Duration>,
    /// What an administrator must meet to end all sessions of a user
    /// ([`Flows::end_user_sessions`]); without it that helper refuses everyone (403).
    pub admin: Option<crate::auth::Require>,
    /// The limits on guessing per account and per client, and the wrong codes that end a
    /// second-factor challenge (see [`crate::web::limits`]).
    pub limits: LimitConfig,
    /// The site's consent form for sign-in, shown when LoginRadius holds a sign-in for the
    /// user's consent (error 1226; see [`Flows::login_consent`]). Without it such a sign-in
    /// answers 500 `misconfigured`.
    pub consent_form: Option<ConsentForm>,
}

impl FlowConfig {
    /// Sets [`reauth_within`](Self::reauth_within).
    pub fn reauth_within(mut self, within: std::time::Duration) -> Self {
        self.reauth_within = Some(within);
        self
    }

    /// Sets [`renew_before`](Self::renew_before).
    pub fn renew_before(mut self, before: std::time::Duration) -> Self {
        self.renew_before = Some(before);
        self
    }

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

    /// Sets [`admin`](Self::admin).
    pub fn admin(mut self, require: crate::auth::Require) -> Self {
        self.admin = Some(require);
        self
    }

    /// Sets [`webhook_window`](Self::webhook_window).
    pub fn webhook_window(mut self, window: std::time::Duration) -> Self {
        self.webhook_window = Some(window);
        self
    }

    /// Sets [`limits`](Self::limits).
    pub fn limits(mut self, limits: LimitConfig) -> Self {
        self.limits = limits;
        self
    }

    /// Sets [`consent_form`](Self::consent_form).
    pub fn consent_form(mut self, form: ConsentForm) -> Self {
        self.consent_form = Some(form);
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
/// # Rules kept by every flow
///
/// | Status | When | Body |
/// |---|---|---|
/// | 200 (201 for registration) | success | the flow's JSON, such as `{"signed_in": true, "uid", "email"}` |
/// | 303 | an HTML form login that signs in ([`FlowResponse::for_form`]) | `Location`: the form's same-site `next`, else `/` |
/// | 400 | bad input, before any request: a body that is not JSON or a form with the documented fields ([`read_input`]), a malformed email, an empty password | `{"error": "invalid_input", "message"}` |
/// | 401 | bad credentials, a wrong or expired code or link, no session | `{"error", "message"}` |
/// | 403 | unverified or locked account | `{"error", "message"}` |
/// | 409 | the account already exists; set password on an account that has one | `{"error": "already_exists" / "password_exists", "message"}` |
/// | 429 | too many attempts for the account or from the client ([`Flows::limited`], with `Retry-After`) | `{"error": "too_many_attempts", "message"}` |
/// | 503 | LoginRadius cannot answer (with `Retry-After`): fail closed, never a 2xx on doubt | `{"error": "unavailable", "message"}` |
///
/// - **No token in any body**: no password, access token, MFA token or link token is written
///   into a body, and none is read from a URL (link tokens come in the POST body). The access
///   token lives only in the encrypted session cookie.
/// - **API clients** that need a Bearer token sign in with LoginRadius directly (for example
///   [`client.auth().login_by_email(..)`](crate::api::Auth::login_by_email)) and send
///   `Authorization: Bearer <access_token>`; the authenticator of [`Flows::from_client`]
///   accepts either the header or the session cookie.
/// - **No enumeration**: forgot password, resend verification, passwordless send and phone
///   send answer the same `{"sent": true}` for known and unknown addresses and numbers.
/// - The mapping of LoginRadius errors to these answers is [`error_response`].
///
/// # Setup
///
/// The one-step setup is [`Flows::from_client`]: it builds the authenticator with the
/// `Authorization: Bearer` header and the session cookie as token sources, so the guards and
/// extractors of the rest of the app accept the session the route helpers start. Give the
/// same authenticator ([`Flows::authenticator`]) to the adapter's layer or configuration.
///
/// With an authenticator of your own, [`Flows::new`] checks that it reads the session cookie
/// and refuses it with a [`WiringError`] that says what to change otherwise.
#[derive(Debug, Clone)]
pub struct Flows {
    authenticator: Authenticator,
    session: SessionCookie,
    config: FlowConfig,
    /// Renewed sessions by id and old expiry, kept briefly: one renewal for concurrent
    /// requests.
    renewals: moka::future::Cache<(SessionId, i64), Session>,
}

impl Flows {
    /// Flows over `client` with the session codec `session`, in one step: the authenticator
    /// (default settings) reads `Authorization: Bearer` and the session cookie
    /// ([`SessionCookie::token_sources`]). For other authenticator settings, build it with
    /// `.token_sources(session.token_sources())` and use [`Flows::new`].
    pub fn from_client(client: LoginRadius, session: SessionCookie) -> Result<Self, WiringError> {
        let authenticator = Authenticator::builder(client)
            .token_sources(session.token_sources())
            .build()
            .map_err(WiringError::Authenticator)?;
        Self::new(authenticator, session)
    }

    /// Flows over `authenticator` (and its client) with the session codec `session`.
    ///
    /// # Errors
    /// A [`WiringError`] when `authenticator` does not read the access token of `session`'s
    /// cookie (no session source, or `with_cookie(name)` reading the encrypted cookie as a
    /// plain token): the guards would answer 401 to every signed-in browser.
    pub fn new(authenticator: Authenticator, session: SessionCookie) -> Result<Self, WiringError> {
        check_session_wiring(&authenticator, &session)?;
        Ok(Self {
            authenticator,
            session,
            config: FlowConfig::default(),
            renewals: moka::future::Cache::builder()
                .name("loginradius.web.renewals")
                .max_capacity(100_000)
                .time_to_live(renew::RENEWAL_KEPT)
                .build(),
        })
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

    /// The receiver of LoginRadius webhooks over this authenticator, with the configured
    /// window, ending the sessions of this session cookie (see [`crate::web::webhook`]).
    pub fn webhooks(&self) -> WebhookReceiver {
        let receiver =
            WebhookReceiver::new(self.authenticator.clone()).sessions(self.session.clone());
        match self.config.webhook_window {
            Some(window) => receiver.window(window),
            None => receiver,
        }
    }

    fn client(&self) -> &LoginRadius {
        self.authenticator.client()
    }

    /// The deadline of a sign-in's LoginRadius calls: the authenticator's
    /// [`upstream_deadline`](crate::auth::AuthenticatorBuilder::upstream_deadline) from now, like
    /// any lookup made while a visitor waits (a sign-in answers 503 with `Retry-After` rather
    /// than hold the visitor while LoginRadius is slow). Other writes keep the client's timeouts.
    fn sign_in_deadline(&self) -> tokio::time::Instant {
        self.authenticator.budget().deadline()
    }

    /// The signed-in user: the session cookie's token while its session is live in the
    /// registry (401 and the cookie ended otherwise, 503 when the registry cannot answer),
    /// else the authenticator's other token sources (such as `Authorization: Bearer`).
    pub async fn current_user(&self, headers: &HeaderMap) -> FlowResult<AuthenticatedUser> {
        let reject = |r: Rejection| FlowResponse::from_rejection(&r);
        if let Some(token) = self.session.access_token(headers) {
            let record = self.current_session(headers).await?;
            let user = self
                .authenticator
                .authenticate(&token)
                .await
                .map_err(reject)?;
            if user.uid.as_str() != record.uid {
                return Err(reject(
                    self.authenticator.reject(RejectionKind::InvalidToken),
                ));
            }
            return Ok(user);
        }
        let token = self
            .authenticator
            .extract(headers)
            .map_err(reject)?
            .ok_or_else(|| reject(self.authenticator.reject(RejectionKind::MissingToken)))?;
        self.authenticator
            .authenticate(&token)
            .await
            .map_err(reject)
    }

    /// The signed-in answer to a successful login, with the session to start.
    fn start(&self, login: &LoginResponse) -> FlowResult<FlowResponse> {
        let uid = login
            .profile
            .as_ref()
            .map(|p| p.uid.clone())
            .filter(|u| !u.is_empty());
        let (Some(uid), false) = (uid, login.access_token.is_blank()) else {
            // A success without a token or a profile: not a login we can trust.
            return Err(FlowResponse::error(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the identity service gave an incomplete answer",
            ));
        };
        let email = login
            .profile
            .as_ref()
            .and_then(|p| p.primary_email())
            .map(str::to_owned);
        let body = json!({ "signed_in": true, "uid": uid, "email": email });
        let session = Session::SignedIn {
            access_token: AccessToken::from(login.access_token.clone()),
            uid,
            expires_at: expiry(login.expires_in),
            id: SessionId::generate(),
        };
        Ok(FlowResponse::ok(body).with_session(SessionChange::Start(session)))
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
    ///
    /// A new signed-in session is saved in the session registry, proven by `proof`; when the
    /// registry cannot answer, the sign-in is refused with 503 and its token logged out.
    async fn settle_session(
        &self,
        headers: &HeaderMap,
        response: FlowResponse,
        proof: ProofMethod,
    ) -> FlowResponse {
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
                http::StatusCode::INTERNAL_SERVER_ERROR,
                "session_too_large",
                "the session does not fit in a cookie on this server",
            );
        }
        if let Err(error) = self
            .register_session(headers, new, proof, self.authenticator.now())
            .await
        {
            tracing::warn!(target: "loginradius::web", "session registry: {error}");
            if let Some(token) = new.access_token() {
                let _ = self.authenticator.logout(token).await;
            }
            let mut refused = FlowResponse::error(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the session store cannot answer",
            );
            refused.retry_after = Some(std::time::Duration::from_secs(5));
            return refused;
        }
        let Some(old) = self.session.access_token(headers) else {
            return response;
        };
        if new.access_token() != Some(&old) {
            if let Err(error) = self.end_current_session(headers).await {
                tracing::warn!(target: "loginradius::web", "session registry: {error}");
            }
            let _ = self.authenticator.logout(&old).await;
        }
        response
    }
}

/// When a session ends: LoginRadius's expiry when it is in the future, else
/// [`DEFAULT_SESSION_TTL`] from now.
fn expiry(expires: Option<OffsetDateTime>) -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    expires
        .filter(|e| *e > now)
        .unwrap_or(now + DEFAULT_SESSION_TTL)
}

/// LoginRadius errors that tell whether an address is registered (or already verified): the
/// flows that must not reveal it answer them like a success.
const REVEALING_CODES: &[i64] = &[
    codes::USER_NOT_FOUND,
    codes::EMAIL_NOT_FOUND,
    codes::EMAIL_ALREADY_VERIFIED,
];

/// The answer of a flow that sends an email: `{"sent": true}` when the email went out and also
/// when the error is one of [`REVEALING_CODES`]; any other error as its response.
fn sent_unless_revealing<T>(sent: Result<T, Error>) -> FlowResponse {
    match sent {
        Err(e) if !e.code().is_some_and(|c| REVEALING_CODES.contains(&c)) => error_response(&e),
        _ => FlowResponse::ok(json!({ "sent": true })),
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use serde_json::json;

    use super::test_support::*;
    use super::*;
    use crate::web::{EmailInput, LinkTokenInput, RegisterInput, ResetPasswordInput};

    #[tokio::test]
    async fn bad_input_is_400_before_any_request() {
        let (flows, t) = flows();
        for r in [
            flows.login(&HeaderMap::new(), login("nope", "x")).await,
            flows
                .login(&HeaderMap::new(), login("a@example.com", ""))
                .await,
            flows
                .register(
                    &HeaderMap::new(),
                    RegisterInput {
                        email: "a@example.com".into(),
                        ..RegisterInput::default()
                    },
                )
                .await,
            flows
                .register(
                    &HeaderMap::new(),
                    RegisterInput {
                        email: "a@example.com".into(),
                        password: "p".into(),
                        profile: json!({"Password": "x"}).as_object().unwrap().clone(),
                        ..RegisterInput::default()
                    },
                )
                .await,
            flows
                .verify_email(LinkTokenInput { token: " ".into() })
                .await,
            flows
                .reset_password(ResetPasswordInput {
                    token: "t".into(),
                    ..ResetPasswordInput::default()
                })
                .await,
            flows.forgot_password(EmailInput::default()).await,
            flows
                .passwordless_verify(&HeaderMap::new(), LinkTokenInput::default())
                .await,
        ] {
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
            assert_eq!(r.body["error"], "invalid_input");
        }
        assert!(t.is_empty());
    }

    #[tokio::test]
    async fn enumeration_safe_flows_and_fail_closed_outages() {
        let (flows, t) = flows();
        t.reply_json(400, lr_error(1023));
        let r = flows
            .forgot_password(EmailInput {
                email: "x@example.com".into(),
            })
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
            .forgot_password(EmailInput {
                email: "x@example.com".into(),
            })
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.retry_after.is_some());
        t.reply_error(crate::transport::TransportError::Timeout);
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(
            (r.status, r.session),
            (StatusCode::SERVICE_UNAVAILABLE, SessionChange::Keep)
        );
        // A 200 without a token is no login.
        t.reply_json(200, json!({"Profile": {"Uid": "u"}, "access_token": ""}));
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
