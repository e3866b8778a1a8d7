//! Multi-factor authentication: the MFA login answer (a complete login or a second-factor
//! challenge), the MFA settings of a user, backup codes and security answers.

use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use super::failure;
use super::shape::{self, any_case};
use super::{Extra, LoginResponse, SecurityQuestion, SmsResponse, timestamp};
use crate::Secret;

/// The placeholder access token LoginRadius sends next to a second-factor challenge.
const PLACEHOLDER_TOKEN: &str = "00000000-0000-0000-0000-000000000000";
/// The placeholder `expires_in` LoginRadius sends next to a second-factor challenge.
const PLACEHOLDER_EXPIRY: &str = "0001-01-01T00:00:00";

/// An answer to a security question, sent as `{"QuestionId": …, "Answer": …}`. The answer is
/// a [`Secret`]: it never shows in `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityAnswer {
    /// `QuestionId`.
    #[serde(rename = "QuestionId")]
    pub question_id: String,
    /// `Answer`.
    #[serde(rename = "Answer")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub answer: Secret,
}

impl SecurityAnswer {
    /// An answer to the question `question_id`.
    pub fn new(question_id: impl Into<String>, answer: impl Into<Secret>) -> Self {
        Self {
            question_id: question_id.into(),
            answer: answer.into(),
        }
    }
}

/// The MFA settings of a user (`GET /identity/v2/auth/account/2fa`), also carried by a
/// [`SecondFactorChallenge`]. `QRCode` and `ManualEntryCode` are present only while the
/// authenticator app is not set up; both carry the TOTP seed, so they are [`Secret`]s. Keys are
/// matched in any casing; a body with none of them is an error, not settings with nothing on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct MfaSettings {
    /// `QRCode`: an image URL whose `chl` parameter is the `otpauth://` URI (see
    /// [`MfaSettings::otpauth_uri`]).
    #[serde(rename = "QRCode", default)]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub qr_code: Option<Secret>,
    /// `ManualEntryCode`: the Base32 TOTP secret, for typing into an authenticator app.
    #[serde(rename = "ManualEntryCode", default)]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub manual_entry_code: Option<Secret>,
    /// `IsAuthenticatorVerified`: the authenticator app is set up.
    #[serde(rename = "IsAuthenticatorVerified", default)]
    pub is_authenticator_verified: bool,
    /// `IsGoogleAuthenticatorVerified`: the legacy name of the same flag.
    #[serde(rename = "IsGoogleAuthenticatorVerified", default)]
    pub is_google_authenticator_verified: bool,
    /// `IsOTPAuthenticatorVerified`: SMS codes are set up.
    #[serde(rename = "IsOTPAuthenticatorVerified", default)]
    pub is_otp_authenticator_verified: bool,
    /// `OTPPhoneNo`: the (masked) phone number receiving SMS codes.
    #[serde(rename = "OTPPhoneNo", default)]
    pub otp_phone_no: Option<String>,
    /// `OTPStatus`: set once an SMS code was sent.
    #[serde(rename = "OTPStatus", default)]
    pub otp_status: Option<SmsResponse>,
    /// `IsEmailOtpAuthenticatorVerified`: email codes are set up.
    #[serde(rename = "IsEmailOtpAuthenticatorVerified", default)]
    pub is_email_otp_authenticator_verified: bool,
    /// `Email`: the (masked) addresses that can receive email codes.
    #[serde(rename = "Email", default, deserialize_with = "shape::null_as_default")]
    pub emails: Vec<String>,
    /// `EmailOTPStatus`, e.g. `{"Email": "x**z@e****e.c*m"}` once an email code was sent.
    #[serde(rename = "EmailOTPStatus", default)]
    pub email_otp_status: Option<serde_json::Value>,
    /// `IsSecurityQuestionAuthenticatorVerified`: security questions are set up.
    #[serde(rename = "IsSecurityQuestionAuthenticatorVerified", default)]
    pub is_security_question_authenticator_verified: bool,
    /// `SecurityQuestions` the user can answer.
    #[serde(
        rename = "SecurityQuestions",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    pub security_questions: Vec<SecurityQuestion>,
    /// Other fields (`IsSecurityQuestionEnabled`, newer authenticators…).
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(
    MfaSettings,
    [
        "QRCode",
        "ManualEntryCode",
        "IsAuthenticatorVerified",
        "IsGoogleAuthenticatorVerified",
        "IsOTPAuthenticatorVerified",
        "OTPPhoneNo",
        "OTPStatus",
        "IsEmailOtpAuthenticatorVerified",
        "Email",
        "EmailOTPStatus",
        "IsSecurityQuestionAuthenticatorVerified",
        "SecurityQuestions"
    ],
    at_least_one
);

impl MfaSettings {
    /// True when any second factor is set up.
    pub fn has_verified_factor(&self) -> bool {
        self.is_authenticator_verified
            || self.is_google_authenticator_verified
            || self.is_otp_authenticator_verified
            || self.is_email_otp_authenticator_verified
            || self.is_security_question_authenticator_verified
    }

    /// True when the authenticator app still has to be set up (a QR code or manual entry code
    /// is offered and the app is not verified).
    pub fn needs_authenticator_setup(&self) -> bool {
        !(self.is_authenticator_verified || self.is_google_authenticator_verified)
            && (non_blank(&self.qr_code) || non_blank(&self.manual_entry_code))
    }

    /// The `otpauth://totp/…` URI inside the QR code URL (its `chl` parameter, decoded), for
    /// rendering a QR code locally instead of loading the image from a third party. It carries
    /// the TOTP seed: do not log it.
    ///
    /// ```
    /// let settings: loginradius::models::MfaSettings = serde_json::from_value(serde_json::json!({
    ///     "QRCode": "http://chart.googleapis.com/chart?cht=qr&chs=150x150&chl=otpauth%3A%2F%2Ftotp%2Fjane%40example.com%3Fsecret%3DABC%26issuer%3Ddemo"
    /// })).unwrap();
    /// assert_eq!(
    ///     settings.otpauth_uri().as_deref(),
    ///     Some("otpauth://totp/jane@example.com?secret=ABC&issuer=demo")
    /// );
    /// ```
    pub fn otpauth_uri(&self) -> Option<String> {
        let qr = self.qr_code.as_ref()?.expose();
        if qr.starts_with("otpauth://") {
            return Some(qr.to_owned());
        }
        let (_, query) = qr.split_once('?')?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "chl")
            .map(|(_, v)| v.into_owned())
            .filter(|v| v.starts_with("otpauth://"))
    }
}

fn non_blank(s: &Option<Secret>) -> bool {
    s.as_ref().is_some_and(|s| !s.is_blank())
}

/// The second factor LoginRadius asks for after a correct password
/// (`SecondFactorAuthentication`). Finish the login with one of the `Mfa::verify_*` calls,
/// passing [`SecondFactorChallenge::token`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecondFactorChallenge {
    /// `SecondFactorAuthenticationToken`: the MFA token for the second step. Opaque text.
    #[serde(rename = "SecondFactorAuthenticationToken")]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub token: Secret,
    /// `ExpireIn`: when the MFA token expires (an absolute timestamp).
    #[serde(rename = "ExpireIn", with = "timestamp::option", default)]
    pub expires_at: Option<OffsetDateTime>,
    /// Which factors are set up, and the authenticator setup data when it is not.
    #[serde(flatten)]
    pub settings: MfaSettings,
}

/// Read by hand rather than through `#[serde(flatten)]`, so that a failure inside the settings
/// reports its path (serde buffers a flattened struct and loses it).
impl<'de> Deserialize<'de> for SecondFactorChallenge {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let Some((key, token)) = shape::take(&mut map, "SecondFactorAuthenticationToken") else {
            return Err(serde::de::Error::missing_field(
                "SecondFactorAuthenticationToken",
            ));
        };
        let token = failure::nested_field(&key, token)?;
        let expires_at = shape::take(&mut map, "ExpireIn")
            .and_then(|(_, v)| v.as_str().and_then(timestamp::parse));
        let settings = failure::nested(serde_json::Value::Object(map), |d| {
            MfaSettings::deserialize(d)
        })?;
        Ok(Self {
            token,
            expires_at,
            settings,
        })
    }
}

impl SecondFactorChallenge {
    /// True when the MFA token has an expiry at or before `now`.
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }
}

/// The answer to an MFA login (`POST /identity/v2/auth/login/2fa`): either the user is signed
/// in, or a second factor is required.
///
/// On the wire both are one object: `{"SecondFactorAuthentication": {…} | null, "Profile",
/// "access_token", "expires_in", …}`. With a challenge, LoginRadius fills `access_token` with
/// the placeholder `00000000-0000-0000-0000-000000000000` and `expires_in` with
/// `0001-01-01T00:00:00`; those placeholders are never exposed as a login here, and an answer
/// that carries only them is a decoding error.
///
/// ```
/// use loginradius::models::MfaLoginOutcome;
/// let outcome: MfaLoginOutcome = serde_json::from_value(serde_json::json!({
///     "SecondFactorAuthentication": {
///         "SecondFactorAuthenticationToken": "b1fbbba5-2a5e-41a2-96da-c216df36e6f4",
///         "ExpireIn": "2021-04-06T08:36:53.3005592Z",
///         "IsAuthenticatorVerified": true
///     },
///     "Profile": null,
///     "access_token": "00000000-0000-0000-0000-000000000000",
///     "expires_in": "0001-01-01T00:00:00"
/// })).unwrap();
/// let challenge = outcome.challenge().expect("a second factor is required");
/// assert_eq!(challenge.token.expose(), "b1fbbba5-2a5e-41a2-96da-c216df36e6f4");
/// assert!(outcome.into_login().is_none());
/// ```
// One value per login, matched by callers: keeping `LoginResponse` unboxed reads better than
// saving the stack space.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum MfaLoginOutcome {
    /// The user is signed in (MFA not required for this user, or skipped).
    Complete(LoginResponse),
    /// A second factor is required.
    Challenge(SecondFactorChallenge),
}

impl MfaLoginOutcome {
    /// The challenge, when a second factor is required.
    pub fn challenge(&self) -> Option<&SecondFactorChallenge> {
        match self {
            Self::Challenge(c) => Some(c),
            Self::Complete(_) => None,
        }
    }

    /// The login, when the user is signed in.
    pub fn login(&self) -> Option<&LoginResponse> {
        match self {
            Self::Complete(l) => Some(l),
            Self::Challenge(_) => None,
        }
    }

    /// The login, when the user is signed in.
    pub fn into_login(self) -> Option<LoginResponse> {
        match self {
            Self::Complete(l) => Some(l),
            Self::Challenge(_) => None,
        }
    }

    /// The challenge, when a second factor is required.
    pub fn into_challenge(self) -> Option<SecondFactorChallenge> {
        match self {
            Self::Challenge(c) => Some(c),
            Self::Complete(_) => None,
        }
    }

    /// True when the user is signed in.
    pub fn is_complete(&self) -> bool {
        matches!(self, Self::Complete(_))
    }
}

const CHALLENGE_KEY: &str = "SecondFactorAuthentication";

fn is_placeholder_token(token: &str) -> bool {
    let token = token.trim();
    token.is_empty() || token == PLACEHOLDER_TOKEN
}

impl<'de> Deserialize<'de> for MfaLoginOutcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let challenge_key = object
            .keys()
            .find(|k| k.eq_ignore_ascii_case(CHALLENGE_KEY))
            .cloned();
        let challenge = challenge_key.and_then(|k| object.remove(&k));
        let has_token = |c: &serde_json::Value| {
            c.get("SecondFactorAuthenticationToken")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|t| !t.trim().is_empty())
        };
        match challenge {
            Some(c) if has_token(&c) => {
                failure::nested_field(CHALLENGE_KEY, c).map(Self::Challenge)
            }
            other => {
                let token = object
                    .get("access_token")
                    .and_then(serde_json::Value::as_str);
                if token.is_none_or(is_placeholder_token) {
                    return Err(failure::shape_error(
                        "",
                        "an MFA login answer with neither a second-factor token nor an access token",
                    ));
                }
                // Settings sent next to a real login (MFA optional) are kept, not dropped.
                if let Some(settings) = other.filter(|v| !v.is_null()) {
                    object.insert(CHALLENGE_KEY.to_owned(), settings);
                }
                failure::nested(serde_json::Value::Object(object), |d| {
                    LoginResponse::deserialize(d)
                })
                .map(Self::Complete)
            }
        }
    }
}

impl Serialize for MfaLoginOutcome {
    /// Writes the wire form: a login with `"SecondFactorAuthentication": null`, or a challenge
    /// with the placeholder token and expiry LoginRadius sends.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = match self {
            Self::Complete(login) => {
                let mut v = serde_json::to_value(login).map_err(S::Error::custom)?;
                if let Some(o) = v.as_object_mut() {
                    o.entry(CHALLENGE_KEY).or_insert(serde_json::Value::Null);
                }
                v
            }
            Self::Challenge(challenge) => serde_json::json!({
                CHALLENGE_KEY: serde_json::to_value(challenge).map_err(S::Error::custom)?,
                "Profile": null,
                "access_token": PLACEHOLDER_TOKEN,
                "expires_in": PLACEHOLDER_EXPIRY,
            }),
        };
        value.serialize(serializer)
    }
}

/// `{"BackUpCodes": ["02ea0-de2bd", …]}`: ten single-use backup codes, each a [`Secret`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupCodes {
    /// The codes.
    #[serde(
        rename = "BackUpCodes",
        alias = "BackupCodes",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    #[serde(serialize_with = "crate::secret::exposed")]
    pub codes: Vec<Secret>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn challenge_answer() -> serde_json::Value {
        json!({
            "SecondFactorAuthentication": {
                "SecondFactorAuthenticationToken": "b1fbbba5-2a5e-41a2-96da-c216df36e6f4",
                "ExpireIn": "2021-04-06T08:36:53.3005592Z",
                "QRCode": "http://chart.googleapis.com/chart?cht=qr&chs=150x150&chl=otpauth%3A%2F%2Ftotp%2Fanil1%40mail7.io%3Fsecret%3DHBRWENLDHEZGIMBYHFTDINJSMVRDANDBHE4WINJTMYZTCYZSGFRA%26issuer%3Ddev-aniltest",
                "ManualEntryCode": "HBRWENLDHEZGIMBYHFTDINJSMVRDANDBHE4WINJTMYZTCYZSGFRA",
                "IsGoogleAuthenticatorVerified": false,
                "IsAuthenticatorVerified": false,
                "IsEmailOtpAuthenticatorVerified": false,
                "IsOTPAuthenticatorVerified": false,
                "OTPPhoneNo": null,
                "OTPStatus": null,
                "Email": ["x**z@e****le.c*m"],
                "EmailOTPStatus": {"Email": "x**z@e****e.c*m"},
                "IsSecurityQuestionAuthenticatorVerified": false,
                "SecurityQuestions": [{"QuestionId": "q1", "Question": "First pet?"}]
            },
            "Profile": null,
            "access_token": "00000000-0000-0000-0000-000000000000",
            "expires_in": "0001-01-01T00:00:00"
        })
    }

    #[test]
    fn a_challenge_is_never_a_login() {
        let outcome: MfaLoginOutcome = serde_json::from_value(challenge_answer()).unwrap();
        let c = outcome.challenge().expect("challenge");
        assert_eq!(c.token.expose(), "b1fbbba5-2a5e-41a2-96da-c216df36e6f4");
        assert!(c.expires_at.is_some());
        assert!(c.settings.needs_authenticator_setup());
        assert!(!c.settings.has_verified_factor());
        assert_eq!(
            c.settings.otpauth_uri().as_deref(),
            Some(
                "otpauth://totp/anil1@mail7.io?secret=HBRWENLDHEZGIMBYHFTDINJSMVRDANDBHE4WINJTMYZTCYZSGFRA&issuer=dev-aniltest"
            )
        );
        assert_eq!(c.settings.security_questions[0].question_id, "q1");
        assert_eq!(c.settings.emails, ["x**z@e****le.c*m"]);
        assert!(outcome.login().is_none());
        assert!(!outcome.is_complete());
        assert!(outcome.into_login().is_none());
    }

    #[test]
    fn debug_of_a_challenge_hides_the_token_and_the_totp_seed() {
        let outcome: MfaLoginOutcome = serde_json::from_value(challenge_answer()).unwrap();
        let debug = format!("{outcome:?}");
        assert!(!debug.contains("b1fbbba5"), "{debug}");
        assert!(!debug.contains("HBRWENLD"), "{debug}");
    }

    #[test]
    fn a_null_challenge_with_a_real_token_is_a_login() {
        let outcome: MfaLoginOutcome = serde_json::from_value(json!({
            "SecondFactorAuthentication": null,
            "Profile": {"Uid": "u1"},
            "access_token": "a029e8a7-8a7e-4453-9e1f-a5e721e1f358",
            "expires_in": "2017-08-17T10:52:36.1644137Z"
        }))
        .unwrap();
        let login = outcome.login().expect("login");
        assert_eq!(
            login.access_token.expose(),
            "a029e8a7-8a7e-4453-9e1f-a5e721e1f358"
        );
        assert!(!login.extra.contains_key("SecondFactorAuthentication"));
        assert!(outcome.challenge().is_none());
    }

    #[test]
    fn placeholder_token_without_a_challenge_is_refused() {
        for body in [
            json!({"SecondFactorAuthentication": null, "access_token": PLACEHOLDER_TOKEN, "expires_in": PLACEHOLDER_EXPIRY}),
            json!({"access_token": ""}),
            json!({"SecondFactorAuthentication": {"SecondFactorAuthenticationToken": ""}, "access_token": PLACEHOLDER_TOKEN}),
            json!({}),
        ] {
            assert!(
                serde_json::from_value::<MfaLoginOutcome>(body.clone()).is_err(),
                "{body}"
            );
        }
    }

    #[test]
    fn settings_without_a_token_next_to_a_real_login_are_kept() {
        let outcome: MfaLoginOutcome = serde_json::from_value(json!({
            "SecondFactorAuthentication": {"IsAuthenticatorVerified": false, "QRCode": "x"},
            "access_token": "a029e8a7-8a7e-4453-9e1f-a5e721e1f358"
        }))
        .unwrap();
        let login = outcome.into_login().expect("login");
        assert!(login.extra.contains_key("SecondFactorAuthentication"));
    }

    #[test]
    fn outcome_round_trips_through_the_wire_form() {
        let outcome: MfaLoginOutcome = serde_json::from_value(challenge_answer()).unwrap();
        let wire = serde_json::to_value(&outcome).unwrap();
        assert_eq!(wire["access_token"], PLACEHOLDER_TOKEN);
        assert_eq!(
            wire["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"],
            "b1fbbba5-2a5e-41a2-96da-c216df36e6f4"
        );
        let back: MfaLoginOutcome = serde_json::from_value(wire).unwrap();
        assert_eq!(back, outcome);

        let login: MfaLoginOutcome = serde_json::from_value(json!({
            "access_token": "t", "expires_in": "2017-08-17T10:52:36Z"
        }))
        .unwrap();
        let wire = serde_json::to_value(&login).unwrap();
        assert!(wire["SecondFactorAuthentication"].is_null());
        assert_eq!(
            serde_json::from_value::<MfaLoginOutcome>(wire).unwrap(),
            login
        );
    }

    #[test]
    fn backup_codes_accept_both_casings_and_hide_values() {
        let codes: BackupCodes =
            serde_json::from_value(json!({"BackUpCodes": ["02ea0-de2bd", "11111-22222"]})).unwrap();
        assert_eq!(codes.codes.len(), 2);
        assert_eq!(codes.codes[0].expose(), "02ea0-de2bd");
        assert!(!format!("{codes:?}").contains("02ea0"));
        let codes: BackupCodes = serde_json::from_value(json!({"BackupCodes": null})).unwrap();
        assert!(codes.codes.is_empty());
    }

    #[test]
    fn settings_read_the_documented_sample() {
        let s: MfaSettings = serde_json::from_value(json!({
            "QRCode": null, "ManualEntryCode": null,
            "IsGoogleAuthenticatorVerified": true, "IsAuthenticatorVerified": true,
            "IsOTPAuthenticatorVerified": false, "OTPPhoneNo": null, "OTPStatus": {"AccountSid": null, "Sid": "8071aba1"},
            "IsEmailOtpAuthenticatorVerified": false, "Email": ["xyz@example.com"], "EmailOTPStatus": null,
            "IsSecurityQuestionEnabled": false,
            "SecurityQuestions": [{"QuestionId": "<QuestionId>", "Question": "<Question>"}]
        }))
        .unwrap();
        assert!(s.has_verified_factor());
        assert!(!s.needs_authenticator_setup());
        assert_eq!(
            s.otp_status.as_ref().and_then(|o| o.sid.as_deref()),
            Some("8071aba1")
        );
        assert_eq!(s.extra["IsSecurityQuestionEnabled"], false);
        assert!(s.otpauth_uri().is_none());
    }
}
