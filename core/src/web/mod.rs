//! Framework-agnostic pieces of the web route helpers, written once for the axum and actix
//! adapters:
//!
//! - [`Flows`]: login (with the MFA fallback), the MFA code step, registration with a
//!   server-side SOTT, logout (upstream invalidation + cache eviction), email verification,
//!   resend verification, forgot/reset/change password, passwordless login by email link, and
//!   MFA setup/enable/disable, as async functions over the request's headers and a typed input
//!   ([`LoginInput`], [`RegisterInput`], [`MfaCodeInput`], [`EmailInput`], [`LinkTokenInput`],
//!   [`ResetPasswordInput`], [`ChangePasswordInput`]: `Deserialize`, so an adapter's JSON
//!   extractor or a form handler builds them), returning a [`FlowResponse`]. An adapter writes
//!   `status`, `body` as JSON, [`FlowResponse::headers`] and [`FlowResponse::set_cookie`],
//!   answers a body that is not the input with [`FlowResponse::invalid_body`], and adds CSRF
//!   protection.
//! - [`SessionCookie`]: the session as one private (encrypted + authenticated) cookie made with
//!   the `cookie` crate: `HttpOnly`, `SameSite=Lax`, `Path=/`, `Max-Age` from the token expiry,
//!   renewed on every login (a login over a signed-in session also logs that session's token
//!   out), and `Secure` as its [`CookieSecurity`] says: always by default;
//!   [`CookieSecurity::AllowLocalHttp`] is the explicit choice for development over
//!   `http://localhost`. Its [`token_sources`](SessionCookie::token_sources) let the
//!   [`Authenticator`](crate::auth::Authenticator) accept session-cookie authentication;
//!   [`Flows::from_client`] sets them up in one step, and [`Flows::new`] refuses an
//!   authenticator that cannot read the session ([`WiringError`]).
//! - [`webhook`]: LoginRadius webhooks verified (signature, time window, replay) and turned
//!   into fleet events ([`WebhookReceiver`], [`Flows::webhooks`]).
//! - [`error_response`]: LoginRadius errors as the flows' `{"error", "message"}` answers.
//! - [`qr_svg`] and [`qr_svg_data_uri`]: QR codes of `otpauth://` URIs rendered locally, so a
//!   TOTP seed never reaches a third-party QR service.
//! - [`csrf`]: the same-origin rules for state-changing requests (Go 1.25
//!   `CrossOriginProtection`), for adapters that cannot use tower-http's `CsrfLayer`.
//! - [`redirect`]: the login-redirect preset's rules (when to redirect, and a same-site `next`).
//! - `openapi` (feature `utoipa`): the Bearer and session-cookie security schemes and the
//!   requirements of guarded routes for a utoipa OpenAPI document.
//!
//! ```
//! use loginradius::LoginRadius;
//! use loginradius::web::{FlowConfig, Flows, LoginInput, SessionCookie};
//!
//! # async fn run(client: LoginRadius, headers: http::HeaderMap) -> Result<(), Box<dyn std::error::Error>> {
//! // 64 secret bytes from configuration keep sessions valid across restarts and replicas.
//! let session = SessionCookie::from_master_key(&[7u8; 64])?;
//! // One step: the flows' authenticator reads `Authorization: Bearer` and the session cookie;
//! // give `flows.authenticator()` to the adapter's layer so the guards read the same.
//! let flows = Flows::from_client(client, session)?
//!     .config(FlowConfig::default().reset_password_url("https://app.example.com/reset"));
//!
//! // What an adapter's JSON extractor (or a form handler) builds from the request body.
//! let input: LoginInput =
//!     serde_json::from_str(r#"{"email": "jane@example.com", "password": "correct horse"}"#)?;
//! let out = flows.login(&headers, input).await;
//! let set_cookie = out.set_cookie(flows.session(), &headers);
//! println!("{} {} {:?} {set_cookie:?}", out.status, out.body, out.headers());
//! # Ok(()) }
//! ```

mod cookie_security;
pub mod csrf;
mod email;
mod flows;
pub mod limits;
#[cfg(feature = "utoipa")]
pub mod openapi;
mod qr;
pub mod redirect;
mod session;
pub mod webhook;

pub use cookie_security::{CookieSecurity, is_local_request};
pub use email::{EmailError, account_key, normalize_email};
pub use flows::{
    BodyFormat, ChangePasswordInput, DEFAULT_RENEW_BEFORE, EmailInput, FlowConfig, FlowResponse,
    Flows, LinkTokenInput, LoginInput, MfaCodeInput, RegisterInput, ResetPasswordInput,
    SessionChange, SetPasswordInput, SignInForm, Submitted, WiringError, body_format,
    check_session_wiring, error_response, read_input,
};
pub use flows::{CONSENT_STEP_TTL, ConsentForm, ConsentInput, ConsentOption};
pub use flows::{
    DEFAULT_REAUTH_WITHIN, PhoneInput, PhoneLoginInput, ReauthInput, ReauthSendInput, SecondFactor,
    SendCodeInput,
};
pub use qr::{qr_svg, qr_svg_data_uri};
pub use session::{
    DEFAULT_COOKIE_NAME, DEFAULT_SESSION_TTL, Key, MAX_COOKIE_BYTES, Session, SessionCookie,
};
pub use webhook::{WebhookError, WebhookReceiver};
