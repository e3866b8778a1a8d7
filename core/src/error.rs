//! The one error type of the crate, and the LoginRadius error envelope.

use std::time::Duration;

use http::StatusCode;
use serde_json::Value;

use crate::Secret;
use crate::codes;
use crate::transport::TransportError;

/// Everything that can go wrong when calling LoginRadius.
///
/// Match on the variant to tell who failed: LoginRadius said no ([`Error::Api`],
/// [`Error::RateLimited`]), the network or the service did not answer usefully
/// ([`Error::Transport`], [`Error::Timeout`], [`Error::Decode`], [`Error::UnexpectedStatus`]), or
/// the call was refused before anything was sent ([`Error::InvalidInput`], [`Error::Config`]).
///
/// No variant ever carries the API secret, a token, a password or a SOTT, in its fields or in
/// its message.
///
/// ```
/// # async fn demo(client: loginradius::LoginRadius) {
/// match client.auth().profile("an-access-token").await {
///     Ok(profile) => println!("hello {:?}", profile.first_name),
///     Err(e) if e.is_expired_token() => println!("please sign in again"),
///     Err(loginradius::Error::Api { code, message, .. }) => println!("LoginRadius {code}: {message}"),
///     Err(e) => println!("LoginRadius unavailable: {e}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// LoginRadius answered with its error envelope (on any status, including a 200 whose body
    /// carries `ErrorCode`).
    #[error("LoginRadius error {code} (HTTP {}): {message}", status.as_u16())]
    Api {
        /// The HTTP status of the response (kept, unlike the reference SDK).
        status: StatusCode,
        /// `ErrorCode`, see [`crate::codes`].
        code: i64,
        /// `Message`: the short text.
        message: String,
        /// `Description`: the long text.
        description: String,
        /// The rest of the envelope.
        details: Box<ApiErrorDetails>,
    },
    /// HTTP 429: too many requests.
    #[error("rate limited by LoginRadius{}", retry_after.map(|d| format!(", retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The `Retry-After` delay, when the response carried one.
        retry_after: Option<Duration>,
    },
    /// The request could not be delivered or the response could not be read.
    #[error("could not reach LoginRadius: {0}")]
    Transport(#[source] TransportError),
    /// No response within the configured request timeout.
    #[error("LoginRadius did not answer within {0:?}")]
    Timeout(Duration),
    /// The response body was not the JSON that was expected.
    #[error(
        "could not decode the LoginRadius response (HTTP {}) at `{}`: {reason}",
        status.as_u16(),
        if path.is_empty() { "." } else { path.as_str() }
    )]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// Where in the body: a JSON path such as `Data.Profile.Uid` or `items[1].n`, empty for
        /// the body itself.
        path: String,
        /// What was expected there (`expected a boolean, found string`, `missing field `Uid``),
        /// never a value from the body.
        reason: String,
    },
    /// A non-2xx response that did not carry the LoginRadius error envelope (a proxy page, say).
    #[error("unexpected HTTP status {} from LoginRadius", status.as_u16())]
    UnexpectedStatus {
        /// The HTTP status.
        status: StatusCode,
    },
    /// An argument was refused before any request was made.
    #[error("invalid input for `{field}`: {reason}")]
    InvalidInput {
        /// The argument's name.
        field: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The client configuration is unusable.
    #[error("invalid LoginRadius configuration: {0}")]
    Config(String),
    /// The state the replicas share (see [`crate::fleet`]) could not be reached or read: the
    /// local part of the work was done, the other replicas may not have heard of it.
    #[error(transparent)]
    SharedState(#[from] crate::fleet::SharedStateError),
}

/// The less common parts of a LoginRadius error envelope.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiErrorDetails {
    /// `IsProviderError`: true for social-provider failures.
    pub is_provider_error: bool,
    /// `ProviderErrorResponse`: the provider's raw error.
    pub provider_error_response: Option<String>,
    /// `Errors`: per-field validation failures (error 1134).
    pub field_errors: Vec<FieldError>,
    /// `Data`: extra data, for example `LoginLockedTimeout` on 1198.
    pub data: Option<Value>,
    /// `ConsentToken`: on error 1226 of a sign-in, the token that submits the user's consent
    /// and finishes the sign-in (see [`Error::consent_token`]). Never shown by `Debug`.
    pub consent_token: Option<Secret>,
}

/// One entry of the envelope's `Errors` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `FieldName`.
    pub field: String,
    /// `ErrorMessage`.
    pub message: String,
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: &'static str) -> Self {
        Self::InvalidInput { field, reason }
    }

    /// The LoginRadius `ErrorCode`, when LoginRadius answered with one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::Decode { status, .. }
            | Self::UnexpectedStatus { status } => Some(*status),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            _ => None,
        }
    }

    fn code_in(&self, set: &[i64]) -> bool {
        self.code().is_some_and(|c| set.contains(&c))
    }

    /// The access token is unknown, malformed or missing (905, 1060, 2024, …).
    pub fn is_invalid_token(&self) -> bool {
        self.code_in(codes::INVALID_TOKEN)
    }

    /// The access token has expired (906).
    pub fn is_expired_token(&self) -> bool {
        self.code_in(&[codes::ACCESS_TOKEN_EXPIRED])
    }

    /// The user must complete a second factor (1176: use the MFA login endpoints).
    pub fn is_mfa_required(&self) -> bool {
        self.code_in(codes::MFA_REQUIRED)
    }

    /// The credentials (email/username and password) were wrong (966, 1205).
    pub fn is_invalid_credentials(&self) -> bool {
        self.code_in(codes::INVALID_CREDENTIALS)
    }

    /// The account is locked or blocked (991, 1132, 1148, 1164, 1198, 1264).
    pub fn is_account_locked(&self) -> bool {
        self.code_in(codes::ACCOUNT_LOCKED_CODES)
    }

    /// The sign-in waits for the user's consent (1226: the site's consent form has a version
    /// the user has not accepted). Show the consent options and submit the choices with
    /// [`Consent::submit_with_consent_token`](crate::api::Consent::submit_with_consent_token)
    /// and [`Error::consent_token`]; that answers the login.
    pub fn is_consent_required(&self) -> bool {
        self.code_in(&[codes::CONSENT_FORM_NOT_SUBMITTED])
    }

    /// The consent token of a sign-in that waits for the user's consent ([`is_consent_required`](
    /// Self::is_consent_required)), when LoginRadius sent one.
    ///
    /// ```
    /// # async fn demo(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::models::{ConsentChoice, ConsentEvent, ConsentSubmission};
    /// let login = match client.auth().login_by_email("a@example.com", "pw").await {
    ///     Err(e) if e.is_consent_required() => {
    ///         let Some(token) = e.consent_token() else { return Err(e) };
    ///         // Ask the user, then submit what they chose for the Login form.
    ///         let form = ConsentSubmission::new(
    ///             [ConsentChoice::accept("email_consent")],
    ///             [ConsentEvent::new("Login")],
    ///         );
    ///         client.consent().submit_with_consent_token(token.clone(), &form).await?
    ///     }
    ///     other => other?,
    /// };
    /// # let _ = login; Ok(()) }
    /// ```
    pub fn consent_token(&self) -> Option<&Secret> {
        match self {
            Self::Api { details, .. } => details.consent_token.as_ref(),
            _ => None,
        }
    }

    /// The email address has not been verified yet (970).
    pub fn is_email_not_verified(&self) -> bool {
        self.code_in(&[codes::EMAIL_NOT_VERIFIED])
    }

    /// LoginRadius could not give an answer: rate limiting, a timeout, a network failure, a 5xx,
    /// or an unreadable response. An authorisation decision must fail closed on these.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::RateLimited { .. }
            | Self::Transport(_)
            | Self::Timeout(_)
            | Self::Decode { .. }
            | Self::UnexpectedStatus { .. }
            | Self::SharedState(_) => true,
            Self::Api { status, .. } => status.is_server_error(),
            _ => false,
        }
    }
}

/// Reads a LoginRadius error envelope from a JSON value, keys matched case-insensitively.
/// Returns `None` when the value is not an object carrying an integer `ErrorCode`.
pub(crate) fn parse_envelope(status: StatusCode, body: &Value) -> Option<Error> {
    let object = body.as_object()?;
    let get = |name: &str| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let code = get("ErrorCode")?;
    let code = code
        .as_i64()
        .or_else(|| code.as_str().and_then(|s| s.trim().parse().ok()))?;
    let text = |name: &str| {
        get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let field_errors = get("Errors")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|item| {
                    let field = |name: &str| {
                        item.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(name))
                            .and_then(|(_, v)| v.as_str())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    FieldError {
                        field: field("FieldName"),
                        message: field("ErrorMessage"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Error::Api {
        status,
        code,
        message: text("Message"),
        description: text("Description"),
        details: Box::new(ApiErrorDetails {
            is_provider_error: get("IsProviderError")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            provider_error_response: get("ProviderErrorResponse")
                .and_then(Value::as_str)
                .map(str::to_owned),
            field_errors,
            consent_token: consent_token(get("ConsentToken"), get("Data")),
            data: get("Data").filter(|v| !v.is_null()).cloned(),
        }),
    })
}

/// The consent token of a 1226 answer: `ConsentToken` beside the envelope's fields, or inside
/// `Data` (LoginRadius documents the token "along with" the error but publishes no sample, so
/// both places are read), keys in any casing; `None` when absent or blank.
fn consent_token(top: Option<&Value>, data: Option<&Value>) -> Option<Secret> {
    let in_data = || {
        data?
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("ConsentToken"))
            .map(|(_, v)| v)
    };
    top.or_else(in_data)
        .and_then(Value::as_str)
        .map(Secret::new)
        .filter(|t| !t.is_blank())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_consent_step_carries_its_token_and_never_shows_it() {
        let body = json!({"ErrorCode": 1226, "Message": "Consent form not submitted", "ConsentToken": "ct-secret-1"});
        let err = parse_envelope(StatusCode::FORBIDDEN, &body).expect("envelope");
        assert!(err.is_consent_required());
        assert_eq!(err.consent_token().map(Secret::expose), Some("ct-secret-1"));
        assert!(!format!("{err:?} {err}").contains("ct-secret-1"));
        let nested = json!({"ErrorCode": 1226, "Data": {"consenttoken": "ct-2"}});
        let err = parse_envelope(StatusCode::FORBIDDEN, &nested).unwrap();
        assert_eq!(err.consent_token().map(Secret::expose), Some("ct-2"));
        let none = parse_envelope(
            StatusCode::FORBIDDEN,
            &json!({"ErrorCode": 1226, "ConsentToken": " "}),
        )
        .unwrap();
        assert!(none.is_consent_required() && none.consent_token().is_none());
        let other = parse_envelope(StatusCode::FORBIDDEN, &json!({"ErrorCode": 966})).unwrap();
        assert!(!other.is_consent_required() && other.consent_token().is_none());
    }

    #[test]
    fn envelope_keys_are_case_insensitive() {
        let body =
            json!({"errorcode": 906, "message": "Access token has expired", "DESCRIPTION": "d"});
        let err = parse_envelope(StatusCode::FORBIDDEN, &body).expect("envelope");
        assert!(err.is_expired_token());
        assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
        match err {
            Error::Api {
                message,
                description,
                ..
            } => {
                assert_eq!(message, "Access token has expired");
                assert_eq!(description, "d");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn field_errors_are_kept() {
        let body = json!({"ErrorCode": 1134, "Errors": [{"FieldName": "city", "ErrorMessage": "required"}]});
        let Some(Error::Api { details, .. }) = parse_envelope(StatusCode::FORBIDDEN, &body) else {
            panic!("envelope expected");
        };
        assert_eq!(
            details.field_errors,
            vec![FieldError {
                field: "city".into(),
                message: "required".into()
            }]
        );
    }

    #[test]
    fn non_envelopes_are_not_errors() {
        assert!(parse_envelope(StatusCode::OK, &json!({"IsPosted": true})).is_none());
        assert!(parse_envelope(StatusCode::OK, &json!([1, 2])).is_none());
        assert!(parse_envelope(StatusCode::OK, &json!({"ErrorCode": null})).is_none());
    }

    #[test]
    fn unavailability_is_classified() {
        assert!(Error::Timeout(Duration::from_secs(1)).is_unavailable());
        assert!(Error::RateLimited { retry_after: None }.is_unavailable());
        let api_500 =
            parse_envelope(StatusCode::INTERNAL_SERVER_ERROR, &json!({"ErrorCode": 1})).unwrap();
        assert!(api_500.is_unavailable());
        let api_403 = parse_envelope(StatusCode::FORBIDDEN, &json!({"ErrorCode": 905})).unwrap();
        assert!(!api_403.is_unavailable());
        assert!(api_403.is_invalid_token());
    }
}
