//! The outcome of an authentication or authorisation check ([`Decision`]) and the HTTP-shaped
//! refusal ([`Rejection`]) that every framework adapter turns into a response the same way.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, StatusCode};

use super::AuthenticatedUser;

/// The realm sent in `WWW-Authenticate` unless the authenticator sets another one.
pub const DEFAULT_REALM: &str = "loginradius";

/// The `Retry-After` sent with a 503 when LoginRadius gave no delay of its own.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// The outcome of a check: let the request through with its user, or refuse it.
///
/// Both adapters (axum and actix) share this type: they only turn a [`Rejection`] into their own
/// response type with [`Rejection::status`], [`Rejection::headers`] and [`Rejection::body`].
#[derive(Debug, Clone)]
#[must_use]
pub enum Decision {
    /// The token is valid and every requirement is met.
    Allow(AuthenticatedUser),
    /// The request must be refused with this response.
    Reject(Rejection),
}

impl Decision {
    /// `Ok(user)` for [`Decision::Allow`], `Err(rejection)` otherwise.
    pub fn into_result(self) -> Result<AuthenticatedUser, Rejection> {
        match self {
            Self::Allow(user) => Ok(user),
            Self::Reject(rejection) => Err(rejection),
        }
    }

    /// True for [`Decision::Allow`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allow(_))
    }
}

impl From<Result<AuthenticatedUser, Rejection>> for Decision {
    fn from(value: Result<AuthenticatedUser, Rejection>) -> Self {
        match value {
            Ok(user) => Self::Allow(user),
            Err(rejection) => Self::Reject(rejection),
        }
    }
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// No access token in the request: 401, `WWW-Authenticate: Bearer realm="…"` without an
    /// error attribute (RFC 6750 §3.1).
    MissingToken,
    /// The token is malformed, unknown or revoked: 401, `error="invalid_token"`.
    InvalidToken,
    /// The token has expired: 401, `error="invalid_token"`.
    ExpiredToken,
    /// The user lacks a required role or permission: 403, `error="insufficient_scope"`.
    Forbidden,
    /// LoginRadius could not answer (outage, timeout, rate limit, unreadable answer): 503 with
    /// `Retry-After`. The request is never let through on doubt.
    Unavailable,
    /// The server is misconfigured (for example a guard without an authenticator): 500.
    Misconfigured,
    /// The client sent too many requests that failed (made-up tokens, wrong passwords): 429
    /// with `Retry-After`.
    TooManyRequests,
    /// The session's proof is not enough ([`Require::second_factor`](super::Require::second_factor),
    /// [`Require::proven_within`](super::Require::proven_within)), and a re-authentication
    /// would lift the refusal: 403, `error="insufficient_user_authentication"` (RFC 9470).
    ReauthRequired,
}

impl RejectionKind {
    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Self::MissingToken | Self::InvalidToken | Self::ExpiredToken => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden | Self::ReauthRequired => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Misconfigured => StatusCode::INTERNAL_SERVER_ERROR,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// The `error` code of the JSON body.
    pub fn code(self) -> &'static str {
        match self {
            Self::MissingToken => "missing_token",
            Self::InvalidToken => "invalid_token",
            Self::ExpiredToken => "expired_token",
            Self::Forbidden => "forbidden",
            Self::Unavailable => "unavailable",
            Self::Misconfigured => "misconfigured",
            Self::TooManyRequests => "too_many_requests",
            Self::ReauthRequired => "reauth_required",
        }
    }

    fn default_message(self) -> &'static str {
        match self {
            Self::MissingToken => "authentication required",
            Self::InvalidToken => "the access token is invalid",
            Self::ExpiredToken => "the access token has expired",
            Self::Forbidden => "insufficient role or permission",
            Self::Unavailable => "the identity service is unavailable, try again later",
            Self::Misconfigured => "authentication is misconfigured on this server",
            Self::TooManyRequests => "too many failed attempts, try again later",
            Self::ReauthRequired => "confirm it is you: sign in again or re-authenticate",
        }
    }
}

/// A refused request as framework-agnostic HTTP data: a status, headers and a JSON body
/// `{"error": code, "message": text}`.
///
/// ```
/// use http::StatusCode;
/// use loginradius::auth::Rejection;
///
/// let r = Rejection::expired_token();
/// assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
/// assert_eq!(
///     r.headers()["www-authenticate"],
///     r#"Bearer realm="loginradius", error="invalid_token", error_description="the access token has expired""#
/// );
/// assert_eq!(r.json()["error"], "expired_token");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    kind: RejectionKind,
    realm: Cow<'static, str>,
    message: Cow<'static, str>,
    retry_after: Option<Duration>,
}

impl Rejection {
    /// A rejection of `kind` with the default (terse) message.
    pub fn new(kind: RejectionKind) -> Self {
        Self {
            kind,
            realm: Cow::Borrowed(DEFAULT_REALM),
            message: Cow::Borrowed(kind.default_message()),
            retry_after: (kind == RejectionKind::Unavailable).then_some(DEFAULT_RETRY_AFTER),
        }
    }

    /// 401: no token.
    pub fn missing_token() -> Self {
        Self::new(RejectionKind::MissingToken)
    }

    /// 401: the token is invalid.
    pub fn invalid_token() -> Self {
        Self::new(RejectionKind::InvalidToken)
    }

    /// 401: the token has expired.
    pub fn expired_token() -> Self {
        Self::new(RejectionKind::ExpiredToken)
    }

    /// 403: a role or permission is missing.
    pub fn forbidden() -> Self {
        Self::new(RejectionKind::Forbidden)
    }

    /// 503: LoginRadius could not answer; clients may retry after `retry_after` (rounded up to
    /// whole seconds, at least 1).
    pub fn unavailable(retry_after: Duration) -> Self {
        Self::new(RejectionKind::Unavailable).with_retry_after(retry_after)
    }

    /// 500: the server is misconfigured; `message` says how, in words an operator can act on.
    pub fn misconfigured(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(RejectionKind::Misconfigured).with_message(message)
    }

    /// Replaces the message of the body (and of `error_description` for 401/403).
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets the realm of `WWW-Authenticate`.
    pub fn with_realm(mut self, realm: impl Into<Cow<'static, str>>) -> Self {
        self.realm = realm.into();
        self
    }

    /// Sets the `Retry-After` delay of a 503 or a 429 (ignored for other kinds).
    pub fn with_retry_after(mut self, delay: Duration) -> Self {
        if matches!(
            self.kind,
            RejectionKind::Unavailable | RejectionKind::TooManyRequests
        ) {
            self.retry_after = Some(delay.max(Duration::from_secs(1)));
        }
        self
    }

    /// Why the request is refused.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }

    /// The HTTP status: 401, 403, 503 or 500.
    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// The `error` code of the body.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The `message` of the body.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The realm of `WWW-Authenticate`.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// The `Retry-After` delay of a 503.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// True for the 401s: no token, or an invalid or expired one. An optional-user extractor
    /// treats these as "anonymous" and everything else as a failure.
    pub fn is_unauthenticated(&self) -> bool {
        matches!(
            self.kind,
            RejectionKind::MissingToken | RejectionKind::InvalidToken | RejectionKind::ExpiredToken
        )
    }

    /// The `WWW-Authenticate` value, for 401 and 403 (RFC 6750 §3).
    pub fn www_authenticate(&self) -> Option<HeaderValue> {
        let error = match self.kind {
            RejectionKind::MissingToken => None,
            RejectionKind::InvalidToken | RejectionKind::ExpiredToken => Some("invalid_token"),
            RejectionKind::Forbidden => Some("insufficient_scope"),
            RejectionKind::ReauthRequired => Some("insufficient_user_authentication"),
            RejectionKind::Unavailable
            | RejectionKind::Misconfigured
            | RejectionKind::TooManyRequests => return None,
        };
        let mut value = format!("Bearer realm=\"{}\"", quoted_text(&self.realm));
        if let Some(error) = error {
            value.push_str(", error=\"");
            value.push_str(error);
            value.push_str("\", error_description=\"");
            value.push_str(&quoted_text(&self.message));
            value.push('"');
        }
        HeaderValue::from_str(&value).ok()
    }

    /// The response headers: `Content-Type: application/json`, `Cache-Control: no-store`, and
    /// `WWW-Authenticate` (401/403) or `Retry-After` (503/429).
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(3);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(value) = self.www_authenticate() {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        if let Some(delay) = self.retry_after {
            headers.insert(RETRY_AFTER, retry_after_value(delay));
        }
        headers
    }

    /// The JSON body: `{"error": code, "message": text}`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.code(), "message": self.message() })
    }

    /// The JSON body as bytes.
    pub fn body(&self) -> Bytes {
        Bytes::from(self.json().to_string())
    }

    /// The whole response, for adapters that can take an `http::Response` as is.
    pub fn into_response(self) -> http::Response<Bytes> {
        let mut response = http::Response::new(self.body());
        *response.status_mut() = self.status();
        *response.headers_mut() = self.headers();
        response
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.status().as_u16(),
            self.code(),
            self.message
        )
    }
}

impl std::error::Error for Rejection {}

/// Keeps only the characters RFC 6750 allows inside its quoted attribute values
/// (`%x20-21 / %x23-5B / %x5D-7E`): others become `?`.
fn quoted_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '?',
        })
        .collect()
}

/// True when `realm` can be sent as is in `WWW-Authenticate`.
pub(crate) fn is_valid_realm(realm: &str) -> bool {
    !realm.is_empty() && quoted_text(realm) == realm
}

/// The `Retry-After` value of `delay`: whole seconds, rounded up, at least 1 (a client told to
/// retry after 0 seconds would hammer a service that is down). Every `Retry-After` of the
/// library and its adapters is written by this function.
///
/// ```
/// use std::time::Duration;
/// use loginradius::auth::retry_after_value;
/// assert_eq!(retry_after_value(Duration::from_millis(1500)), "2");
/// assert_eq!(retry_after_value(Duration::from_secs(3)), "3");
/// assert_eq!(retry_after_value(Duration::ZERO), "1");
/// ```
pub fn retry_after_value(delay: Duration) -> HeaderValue {
    let seconds = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
    HeaderValue::from(seconds.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_drops_quotes_backslashes_and_controls() {
        assert_eq!(quoted_text("a\"b\\c\nd é"), "a?b?c?d ?");
        assert!(is_valid_realm("my api"));
        assert!(!is_valid_realm("x\"y"));
        assert!(!is_valid_realm(""));
    }

    #[test]
    fn retry_after_is_rounded_up_and_at_least_one_second() {
        let r = Rejection::unavailable(Duration::from_millis(1500));
        assert_eq!(r.headers()[RETRY_AFTER], "2");
        let r = Rejection::unavailable(Duration::ZERO);
        assert_eq!(r.headers()[RETRY_AFTER], "1");
    }
}
