//! What a flow answers: [`FlowResponse`] (status, JSON body, session change, `Retry-After`),
//! and the mapping of client errors and LoginRadius error codes to it ([`error_response`]).

use std::time::Duration;

use http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{Value, json};

use super::BodyFormat;
use crate::auth::{DEFAULT_RETRY_AFTER, Rejection, retry_after_value};
use crate::web::redirect::is_local_path;
use crate::web::session::{Session, SessionCookie};
use crate::{Error, codes};

/// What the adapter does with the session cookie after a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionChange {
    /// Leave it as it is.
    Keep,
    /// Start a signed-in session (a fresh cookie value: the session is renewed).
    Start(Session),
    /// Remember a pending MFA login between the two steps.
    PendingMfa(Session),
    /// Remember a sign-in waiting for the user's consent, until the consent step.
    PendingConsent(Session),
    /// End the session (remove the cookie).
    End,
}

impl SessionChange {
    /// The session to write, for [`Start`](Self::Start), [`PendingMfa`](Self::PendingMfa) and
    /// [`PendingConsent`](Self::PendingConsent).
    pub fn session(&self) -> Option<&Session> {
        match self {
            Self::Start(s) | Self::PendingMfa(s) | Self::PendingConsent(s) => Some(s),
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
    pub retry_after: Option<Duration>,
    /// A `Location` (a same-site path), on `303 See Other` ([`for_form`](Self::for_form)).
    pub location: Option<String>,
}

impl FlowResponse {
    /// A 200 with `body`, the session kept.
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            session: SessionChange::Keep,
            retry_after: None,
            location: None,
        }
    }

    /// An error: `{"error": code, "message": message}` with `status`.
    pub fn error(status: StatusCode, code: &str, message: &str) -> Self {
        Self {
            status,
            body: json!({ "error": code, "message": message }),
            session: SessionChange::Keep,
            retry_after: None,
            location: None,
        }
    }

    /// The answer to a body that is not the flow's input (not JSON or a form, a field missing
    /// or of the wrong type, no `Content-Type` of either): 400 `invalid_input`. Adapters answer
    /// with it before any flow runs ([`read_input`](crate::web::read_input)).
    pub fn invalid_body() -> Self {
        Self::error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "the body must be a JSON object or a form with the documented fields",
        )
    }

    /// The answer for an HTML form submission ([`BodyFormat::Form`]): a successful sign-in
    /// (`200` with `"signed_in": true`) becomes `303 See Other` to `next` when it is a
    /// same-site path ([`is_local_path`]: `/account`, never `//host` or `https://…`), else to
    /// `/`, with the same session change. Any other answer, and every answer to a JSON body,
    /// is unchanged.
    pub fn for_form(mut self, format: BodyFormat, next: Option<&str>) -> Self {
        let signed_in = self.status == StatusCode::OK && self.body["signed_in"] == true;
        if format == BodyFormat::Form && signed_in {
            let target = next
                .filter(|n| is_local_path(n) && HeaderValue::from_str(n).is_ok())
                .unwrap_or("/");
            self.status = StatusCode::SEE_OTHER;
            self.location = Some(target.to_owned());
        }
        self
    }

    /// Sets the session change.
    pub fn with_session(mut self, session: SessionChange) -> Self {
        self.session = session;
        self
    }

    /// The `Set-Cookie` value for the session change, if any; `request` is the request's
    /// headers (for the `Secure` rule of [`SessionCookie`]).
    pub fn set_cookie(&self, cookie: &SessionCookie, request: &HeaderMap) -> Option<HeaderValue> {
        match &self.session {
            SessionChange::Keep => None,
            SessionChange::Start(s)
            | SessionChange::PendingMfa(s)
            | SessionChange::PendingConsent(s) => Some(cookie.start(request, s)),
            SessionChange::End => Some(cookie.end(request)),
        }
    }

    /// The response headers an adapter writes besides the session cookie
    /// ([`set_cookie`](Self::set_cookie)): `Content-Type: application/json`,
    /// `Cache-Control: no-store`, `Retry-After` (whole seconds, rounded up) and `Location`
    /// when set.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(4);
        if let Some(location) = self
            .location
            .as_deref()
            .and_then(|l| HeaderValue::from_str(l).ok())
        {
            headers.insert(LOCATION, location);
        }
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(delay) = self.retry_after {
            headers.insert(RETRY_AFTER, retry_after_value(delay));
        }
        headers
    }

    /// The answer of an authentication [`Rejection`] (status, JSON body, `Retry-After`).
    pub(crate) fn from_rejection(rejection: &Rejection) -> Self {
        Self {
            status: rejection.status(),
            body: rejection.json(),
            session: SessionChange::Keep,
            retry_after: rejection.retry_after(),
            location: None,
        }
    }

    fn unavailable(retry_after: Option<Duration>) -> Self {
        let mut r = Self::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the identity service is unavailable, try again later",
        );
        r.retry_after = retry_after;
        r
    }
}

/// Maps a client error to a flow error response: 400 bad input, 401 bad credentials or code,
/// 403 unverified or locked account, 409 already exists, 503 (with `Retry-After`) when
/// LoginRadius cannot answer. The whole table is on [`Flows`](super::Flows#rules-kept-by-every-flow).
pub fn error_response(error: &Error) -> FlowResponse {
    use StatusCode as S;
    if error.is_unavailable() {
        let retry_after = match error {
            Error::RateLimited { retry_after } => *retry_after,
            _ => None,
        };
        return FlowResponse::unavailable(retry_after.or(Some(DEFAULT_RETRY_AFTER)));
    }
    match error {
        Error::InvalidInput { field, .. } => FlowResponse::error(
            S::BAD_REQUEST,
            "invalid_input",
            &format!("`{field}` is missing or invalid"),
        ),
        Error::Config(_) => misconfigured(),
        Error::Api {
            code,
            message,
            details,
            ..
        } => match lockout(*code, details.data.as_ref()) {
            Some(locked) => locked,
            None => api_error(*code, message),
        },
        _ => FlowResponse::unavailable(None),
    }
}

/// LoginRadius's own brute-force lockout answers, each with what the user can do: 1198 (locked
/// for a while; `Retry-After` from `Data.LoginLockedTimeout` when given), 1132 (a CAPTCHA is
/// now required) and 1148 (the security question is now required).
fn lockout(code: i64, data: Option<&Value>) -> Option<FlowResponse> {
    let message = match code {
        codes::ACCOUNT_LOCKED_SUSPENDED => {
            "too many failed sign-ins: the account is locked for a while, try again later"
        }
        codes::ACCOUNT_LOCKED => {
            "too many failed sign-ins: the account is locked until it signs in with a CAPTCHA"
        }
        codes::ACCOUNT_LOCKED_SECURITY_QUESTION => {
            "too many failed sign-ins: the account is locked until it answers its security \
             question"
        }
        _ => return None,
    };
    let mut r = FlowResponse::error(StatusCode::FORBIDDEN, "account_locked", message);
    if code == codes::ACCOUNT_LOCKED_SUSPENDED {
        let until = data
            .and_then(|d| d.get("LoginLockedTimeout"))
            .and_then(Value::as_str)
            .and_then(|t| {
                time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
            });
        let left = until.map(|u| u - time::OffsetDateTime::now_utc());
        r.retry_after = left
            .and_then(|l| Duration::try_from(l).ok())
            .filter(|l| !l.is_zero());
    }
    Some(r)
}

fn misconfigured() -> FlowResponse {
    FlowResponse::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "misconfigured",
        "the identity service is misconfigured",
    )
}

/// The answer to a LoginRadius error code.
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
        codes::EMAIL_ALREADY_REGISTERED
        | codes::EMAIL_ALREADY_REGISTERED_ON_SITE
        | codes::USERNAME_ALREADY_REGISTERED => (
            S::CONFLICT,
            "already_exists",
            "an account with these details already exists",
        ),
        codes::MFA_CODE_INCORRECT | codes::MFA_BACKUP_CODE_INVALID => {
            (S::UNAUTHORIZED, "invalid_code", "the code is wrong")
        }
        codes::OTP_INVALID
        | codes::OTP_EXPIRED
        | codes::EMAIL_OTP_INVALID
        | codes::EMAIL_OTP_EXPIRED => (
            S::UNAUTHORIZED,
            "invalid_code",
            "the code is wrong or expired",
        ),
        codes::CONSENT_FORM_NOT_SUBMITTED => (
            S::FORBIDDEN,
            "consent_required",
            "the site's consent form must be accepted: sign in with your password to see it",
        ),
        codes::CONSENT_TOKEN_INVALID | codes::CONSENT_TOKEN_EXPIRED => (
            S::UNAUTHORIZED,
            "consent_expired",
            "the consent step expired, sign in again",
        ),
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
        | codes::NEW_PASSWORD_INVALID
        | codes::PROFILE_ID_INVALID
        | codes::FIRST_DATA_POINT_INVALID => (
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
        | codes::SOTT_INVALID => return misconfigured(),
        codes::MFA_NOT_ENABLED => (
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

#[cfg(test)]
mod tests {
    use super::*;

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
            (1067, 401, "invalid_code"),
            (1069, 401, "invalid_code"),
            (1187, 401, "invalid_code"),
            (1188, 401, "invalid_code"),
            (1103, 401, "mfa_expired"),
            (1104, 401, "mfa_expired"),
            (905, 401, "invalid_token"),
            (974, 400, "invalid_link"),
            (1048, 500, "misconfigured"),
            (1134, 400, "rejected"),
            (1015, 400, "invalid_link"),
            (1016, 400, "invalid_link"),
            (1019, 400, "invalid_link"),
            (1097, 400, "mfa_not_available"),
            (938, 404, "not_found"),
        ] {
            let r = error_response(&api(code));
            assert_eq!(
                (r.status.as_u16(), r.body["error"].as_str().unwrap()),
                (status, error),
                "{code}"
            );
        }
        let r = error_response(&Error::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
        });
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn loginradius_lockouts_say_what_the_user_can_do() {
        let locked = |code, data: Option<Value>| Error::Api {
            status: StatusCode::FORBIDDEN,
            code,
            message: "Your account has been locked".into(),
            description: "d".into(),
            details: Box::new(crate::error::ApiErrorDetails {
                data,
                ..Default::default()
            }),
        };
        let until = time::OffsetDateTime::now_utc() + time::Duration::minutes(10);
        let stamp = until
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        let r = error_response(&locked(1198, Some(json!({ "LoginLockedTimeout": stamp }))));
        assert_eq!(
            (r.status, r.body["error"].as_str()),
            (StatusCode::FORBIDDEN, Some("account_locked"))
        );
        assert!(r.body["message"].as_str().unwrap().contains("for a while"));
        let left = r.retry_after.unwrap();
        assert!(
            left > Duration::from_secs(590) && left <= Duration::from_secs(600),
            "{left:?}"
        );
        let r = error_response(&locked(1198, None));
        assert_eq!(r.retry_after, None);
        let r = error_response(&locked(1132, None));
        assert!(r.body["message"].as_str().unwrap().contains("CAPTCHA"));
        let r = error_response(&locked(1148, None));
        assert!(
            r.body["message"]
                .as_str()
                .unwrap()
                .contains("security question")
        );
        let r = error_response(&locked(991, None));
        assert_eq!(r.body["message"], "the account is locked or blocked");
    }

    #[test]
    fn headers_carry_the_json_type_no_store_and_a_rounded_retry_after() {
        let mut flow = FlowResponse::error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "x");
        flow.retry_after = Some(Duration::from_millis(1500));
        let headers = flow.headers();
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        assert_eq!(headers[CACHE_CONTROL], "no-store");
        assert_eq!(headers[RETRY_AFTER], "2");
        assert_eq!(headers.len(), 3);
        let ok = FlowResponse::ok(json!({})).with_session(SessionChange::End);
        assert!(ok.headers().get(RETRY_AFTER).is_none());
        let cookie = SessionCookie::generate();
        let ended = ok.set_cookie(&cookie, &HeaderMap::new()).unwrap();
        assert!(ended.to_str().unwrap().contains("Max-Age=0"));
        assert!(
            FlowResponse::ok(json!({}))
                .set_cookie(&cookie, &HeaderMap::new())
                .is_none()
        );
    }
}
