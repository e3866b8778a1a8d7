//! The flows' typed inputs: one struct per request body, deserialized by the adapters' JSON
//! extractors (axum `Json<T>`, actix `web::Json<T>`) or built by the application (a form
//! handler), and the checks every flow runs on them before any request to LoginRadius.
//!
//! Passwords, link tokens and codes are [`Secret`]s: an input's `Debug` never shows them.

use http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::FlowResponse;
use super::second_factor::SecondFactor;
use crate::Secret;

/// `POST /login`: `{"email", "password", "next"?}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LoginInput {
    /// The account's email address.
    pub email: String,
    /// The password.
    pub password: Secret,
    /// Where a browser goes after signing in with a form (a same-site path such as the
    /// `next` of the login redirect; see [`FlowResponse::for_form`]). JSON callers get the
    /// JSON answer whatever it says.
    #[serde(default)]
    pub next: Option<String>,
}

impl super::SignInForm for LoginInput {
    fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

/// `POST /login/mfa`: `{"code", "method"?}`, a code of the second factor `method` (the
/// authenticator app when absent). `POST /mfa/enable`, `/mfa/sms/enable` and
/// `/mfa/email/enable`: `{"code"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MfaCodeInput {
    /// The code (surrounding white space is ignored).
    pub code: Secret,
    /// Which second factor the code is of (default: the authenticator app).
    #[serde(default)]
    pub method: SecondFactor,
}

/// `POST /resend-verification`, `POST /forgot-password` and `POST /passwordless/send`:
/// `{"email"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EmailInput {
    /// The email address to send the link to.
    pub email: String,
}

/// `POST /verify-email` and `POST /passwordless/verify`: `{"token"}`, the token of the emailed
/// link (read by your page from the link and posted, never logged in a URL).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LinkTokenInput {
    /// The link's token.
    pub token: Secret,
}

/// `POST /reset-password`: `{"token", "password"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResetPasswordInput {
    /// The token of the reset link.
    pub token: Secret,
    /// The new password.
    pub password: Secret,
    /// The account's email, when the reset form asks for it: then the account's sessions end
    /// on every replica once the new password is shown to be the account's (see
    /// [`Flows::reset_password`](super::Flows::reset_password)).
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /change-password`: `{"old_password", "new_password"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangePasswordInput {
    /// The current password.
    pub old_password: Secret,
    /// The new password.
    pub new_password: Secret,
}

/// `POST /set-password`: `{"password"}`, for an account without a password.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SetPasswordInput {
    /// The new password.
    pub password: Secret,
}

/// `POST /register`: `{"email", "password", "first_name"?, "last_name"?, "user_name"?,
/// "profile"?}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisterInput {
    /// The email address.
    pub email: String,
    /// The password.
    pub password: Secret,
    /// The first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// The last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The user name.
    #[serde(default)]
    pub user_name: Option<String>,
    /// Other LoginRadius profile fields, in LoginRadius casing (`Gender`, `CustomFields`, …).
    /// Fields that only LoginRadius or an administrator may set (`Password`, `Email`, `Uid`,
    /// `EmailVerified`, `Roles`, …) are refused with 400 `invalid_input`.
    #[serde(default)]
    pub profile: Map<String, Value>,
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

/// A flow's early answer: `Err` is the response to send.
pub(super) type FlowResult<T> = Result<T, FlowResponse>;

pub(super) fn invalid(message: &str) -> FlowResponse {
    FlowResponse::error(StatusCode::BAD_REQUEST, "invalid_input", message)
}

/// 400 `invalid_input` unless `value` holds something other than white space.
pub(super) fn non_empty(field: &str, value: &Secret) -> FlowResult<()> {
    if value.is_blank() {
        Err(invalid(&format!("`{field}` is missing or invalid")))
    } else {
        Ok(())
    }
}

/// 400 `invalid_input` unless `value` looks like an email address (`local@domain`, at most
/// 254 bytes, no white space or control character).
pub(super) fn valid_email(value: &str) -> FlowResult<()> {
    let ok = value.len() <= 254
        && value
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('@'))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(invalid("`email` is missing or invalid"))
    }
}

/// The 6-digit code of an authenticator app, trimmed; else 400 `invalid_input`.
pub(super) fn totp_code(code: &Secret) -> FlowResult<&str> {
    let code = code.expose().trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(invalid(
            "`code` must be the 6-digit code of the authenticator app",
        ))
    }
}

impl RegisterInput {
    /// 400 `invalid_input` unless the email, the password and the `profile` fields are
    /// acceptable.
    pub(super) fn check(&self) -> FlowResult<()> {
        valid_email(&self.email)?;
        non_empty("password", &self.password)?;
        match self.profile.keys().find(|k| {
            RESERVED_PROFILE_FIELDS
                .iter()
                .any(|r| k.eq_ignore_ascii_case(r))
        }) {
            Some(key) => Err(invalid(&format!(
                "`profile.{key}` cannot be set at registration"
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_passwords_tokens_or_codes() {
        let text = format!(
            "{:?} {:?} {:?} {:?}",
            LoginInput {
                email: "a@example.com".into(),
                password: "pw-secret-1".into(),
                next: None,
            },
            ResetPasswordInput {
                token: "tok-secret-2".into(),
                password: "pw-secret-3".into(),
                email: None,
            },
            MfaCodeInput {
                code: "123456".into(),
                ..MfaCodeInput::default()
            },
            RegisterInput {
                email: "a@example.com".into(),
                password: "pw-secret-4".into(),
                ..RegisterInput::default()
            },
        );
        for secret in [
            "pw-secret-1",
            "tok-secret-2",
            "pw-secret-3",
            "123456",
            "pw-secret-4",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("a@example.com"));
    }

    #[test]
    fn inputs_read_the_documented_json_and_refuse_missing_fields() {
        let login: LoginInput =
            serde_json::from_str(r#"{"email": "a@example.com", "password": "pw"}"#).unwrap();
        assert_eq!(
            (login.email.as_str(), login.password.expose()),
            ("a@example.com", "pw")
        );
        let register: RegisterInput = serde_json::from_str(
            r#"{"email": "a@example.com", "password": "pw", "profile": {"Gender": "F"}}"#,
        )
        .unwrap();
        assert_eq!(register.profile["Gender"], "F");
        assert!(register.first_name.is_none());
        assert!(serde_json::from_str::<RegisterInput>(r#"{"email": "a@example.com"}"#).is_err());
        assert!(serde_json::from_str::<MfaCodeInput>(r#"{"code": 123456}"#).is_err());
        assert!(serde_json::from_str::<EmailInput>("{}").is_err());
    }
}
