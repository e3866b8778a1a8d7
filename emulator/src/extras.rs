//! State of the catalog endpoints added after the first release of the emulator (webhook
//! subscriptions, phone and email one-time codes, …), kept apart from the core maps of
//! [`Store`](crate::state::Store) in one field, and the one place their ids, tokens and codes
//! are made ([`fresh`]).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use time::OffsetDateTime;

use crate::ids::Ids;
use crate::state::User;

/// What [`fresh`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fresh {
    /// A 24-hex record id (webhook subscriptions, consent ids).
    RecordId,
    /// A one-time token (32 hex characters).
    Token,
}

/// A new id or token from the emulator's one source (`ids`, deterministic in deterministic
/// mode). Every identifier the catalog endpoints hand out comes from here; their one-time codes
/// come from [`Store::issue_otp`](crate::state::Store::issue_otp).
pub(crate) fn fresh(ids: &mut Ids, what: Fresh) -> String {
    match what {
        Fresh::RecordId => ids.record_id(),
        Fresh::Token => ids.token().replace('-', ""),
    }
}

/// One webhook subscription.
/// Not `Debug`: its headers and authentication often carry credentials for the target.
#[derive(Clone)]
pub(crate) struct Webhook {
    pub(crate) id: String,
    pub(crate) event: String,
    pub(crate) target_url: String,
    pub(crate) name: String,
    pub(crate) created: OffsetDateTime,
    pub(crate) modified: OffsetDateTime,
    pub(crate) headers: BTreeMap<String, Value>,
    pub(crate) query_params: BTreeMap<String, Value>,
    pub(crate) authentication: Option<Value>,
}

/// Lifetime of an SMS or email one-time code.
pub(crate) const OTP_TTL: time::Duration = time::Duration::minutes(10);

/// What a one-time code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtpPurpose {
    /// Verifies the phone number of the account.
    PhoneVerification,
    /// Verifies a new phone number; the number changes when the code is verified.
    PhoneUpdate,
    /// Resets the password (forgot password by phone).
    ResetPassword,
    /// Second factor by SMS (set-up and login).
    MfaSms,
    /// Second factor by email (set-up and login).
    MfaEmail,
    /// Passwordless login (the code of the link email, or an SMS).
    Passwordless,
    /// Resets the PIN (the code of the reset-PIN email, or an SMS).
    PinReset,
    /// One-touch login by SMS.
    OneTouch,
    /// Verifies an email address (the code of the verification email).
    EmailVerification,
}

/// A one-time code sent by SMS or email.
/// Not `Debug`: it holds the code.
#[derive(Clone)]
pub(crate) struct OtpRec {
    pub(crate) purpose: OtpPurpose,
    pub(crate) uid: String,
    /// The phone number or email address it was sent to.
    pub(crate) to: String,
    pub(crate) code: String,
    pub(crate) expires: OffsetDateTime,
}

/// Why a one-time code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtpRefusal {
    /// No live code of this purpose for this recipient matches.
    Invalid,
    /// The code matches but its time is over.
    Expired,
}

/// A user's second factors beyond the authenticator: SMS and email one-time codes.
#[derive(Debug, Clone, Default)]
pub(crate) struct OtpFactors {
    /// The phone number second-factor codes are texted to.
    pub(crate) sms_phone: Option<String>,
    /// Whether a code texted to `sms_phone` has been verified (the SMS factor is on).
    pub(crate) sms_enabled: bool,
    /// Whether the email one-time code factor is on.
    pub(crate) email_enabled: bool,
}

/// The state of the catalog endpoints, one field of the store.
#[derive(Clone, Default)]
pub(crate) struct Extras {
    /// Webhook subscriptions, oldest first.
    pub(crate) webhooks: Vec<Webhook>,
    /// Live one-time codes.
    pub(crate) otps: Vec<OtpRec>,
    /// uid → SMS and email second factors.
    pub(crate) otp_factors: HashMap<String, OtpFactors>,
    /// uid → security answers (question id → answer) and whether they are a second factor.
    pub(crate) security: HashMap<String, SecurityAnswers>,
    /// uid → the hash of the user's PIN.
    pub(crate) pins: HashMap<String, String>,
    /// PIN session, PIN-auth and reset-PIN tokens.
    pub(crate) pin_tokens: HashMap<String, PinToken>,
    /// Re-authentication proofs (`SecondFactorValidationToken`) → what proved it.
    pub(crate) reauth_tokens: HashMap<String, ReauthProof>,
    /// uid → consent logs (the current consents are in the profile's `ConsentProfile`).
    pub(crate) consent_logs: HashMap<String, Vec<Value>>,
    /// uid → privacy-policy acceptances, oldest first.
    pub(crate) policy_acceptances: HashMap<String, Vec<Value>>,
    /// Consent tokens of sign-ins waiting for the user's consent (see
    /// [`EmulatorConfig::login_consent`](crate::EmulatorConfig::login_consent)).
    pub(crate) consent_tokens: HashMap<String, ConsentToken>,
    /// One-touch and smart-login requests by client GUID.
    pub(crate) client_guids: HashMap<String, ClientGuid>,
    /// Tokens the emulated social providers issued (provider access tokens, codes and
    /// LoginRadius request tokens) → the identity they stand for.
    pub(crate) provider_grants: HashMap<String, ProviderGrant>,
    /// Social sign-ins waiting for a ping, by client GUID.
    pub(crate) ping_grants: HashMap<String, ProviderGrant>,
}

/// A consent token: a sign-in of `uid` that ends once the user submits the consent form.
#[derive(Debug, Clone)]
pub(crate) struct ConsentToken {
    /// The user signing in.
    pub(crate) uid: String,
    /// When the token stops working (1230 after that).
    pub(crate) expires: OffsetDateTime,
}

/// An identity an emulated social provider vouches for.
#[derive(Debug, Clone)]
pub(crate) struct ProviderGrant {
    /// Lowercase provider name (`facebook`, `google`, …).
    pub(crate) provider: String,
    /// The user's id at the provider.
    pub(crate) provider_id: String,
    pub(crate) email: Option<String>,
    pub(crate) name: Option<String>,
    /// A LoginRadius request token (one use) rather than a provider token.
    pub(crate) request_token: bool,
    pub(crate) expires: OffsetDateTime,
}

/// A one-touch or smart-login request waiting for its link to be clicked and then pinged.
#[derive(Debug, Clone)]
pub(crate) struct ClientGuid {
    /// `true` for one-touch login, `false` for smart login.
    pub(crate) one_touch: bool,
    pub(crate) uid: String,
    /// The token of the emailed link.
    pub(crate) token: String,
    /// Whether the link was clicked.
    pub(crate) verified: bool,
    pub(crate) expires: OffsetDateTime,
}

/// What a re-authentication proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReauthKind {
    /// A second factor (authenticator, backup code, SMS or email code, security answers).
    SecondFactor,
    /// The password.
    Password,
    /// The PIN.
    Pin,
}

/// A re-authentication proof.
#[derive(Debug, Clone)]
pub(crate) struct ReauthProof {
    pub(crate) kind: ReauthKind,
    pub(crate) uid: String,
    pub(crate) expires: OffsetDateTime,
}

/// What a PIN token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PinTokenKind {
    /// Finishes a password login with the PIN (`session_token`).
    Session,
    /// Sets the first PIN after a password login (`pinAuthToken`).
    Auth,
    /// Resets the PIN (the emailed reset link).
    Reset,
}

/// A PIN token.
#[derive(Debug, Clone)]
pub(crate) struct PinToken {
    pub(crate) kind: PinTokenKind,
    pub(crate) uid: String,
    pub(crate) expires: OffsetDateTime,
}

/// The security questions the emulated site offers: `(QuestionId, Question)`.
pub(crate) const SECURITY_QUESTIONS: &[(&str, &str)] = &[
    (
        "db7b5a8d5f6a4c0f9e1d2c3b4a596871",
        "What was the name of your first pet?",
    ),
    (
        "5c2e9d7f1a3b4c6d8e0f1a2b3c4d5e6f",
        "In what city were you born?",
    ),
    (
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "What is your favourite book?",
    ),
];

/// A user's security answers.
/// Not `Debug`: it holds the answers.
#[derive(Clone, Default)]
pub(crate) struct SecurityAnswers {
    /// Question id → answer as given (compared trimmed, ignoring case).
    pub(crate) answers: BTreeMap<String, String>,
    /// Whether the answers are a second factor.
    pub(crate) mfa_enabled: bool,
}

impl Extras {
    /// Forgets everything attached to `uid`.
    pub(crate) fn remove_user(&mut self, uid: &str) {
        self.otps.retain(|o| o.uid != uid);
        self.otp_factors.remove(uid);
        self.security.remove(uid);
        self.pins.remove(uid);
        self.pin_tokens.retain(|_, t| t.uid != uid);
        self.reauth_tokens.retain(|_, t| t.uid != uid);
        self.consent_tokens.retain(|_, t| t.uid != uid);
        self.consent_logs.remove(uid);
        self.policy_acceptances.remove(uid);
        self.client_guids.retain(|_, g| g.uid != uid);
    }

    /// Keeps `code`, of `purpose` for `uid` sent to `to`, replacing the previous one of that
    /// purpose for that user (made by [`Store::issue_otp`](crate::state::Store::issue_otp)).
    pub(crate) fn keep_otp(
        &mut self,
        purpose: OtpPurpose,
        uid: &str,
        to: &str,
        now: OffsetDateTime,
        code: String,
    ) -> String {
        self.otps
            .retain(|o| !(o.purpose == purpose && o.uid == uid));
        self.otps.push(OtpRec {
            purpose,
            uid: uid.to_owned(),
            to: to.to_owned(),
            code: code.clone(),
            expires: now + OTP_TTL,
        });
        code
    }

    /// Uses the code `code` of `purpose` whose record `matches`: removed on success (a code
    /// works once), kept when refused.
    pub(crate) fn consume_otp(
        &mut self,
        purpose: OtpPurpose,
        matches: impl Fn(&OtpRec) -> bool,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<OtpRec, OtpRefusal> {
        let index = self
            .otps
            .iter()
            .position(|o| o.purpose == purpose && matches(o) && o.code == code.trim())
            .ok_or(OtpRefusal::Invalid)?;
        if self.otps[index].expires <= now {
            self.otps.remove(index);
            return Err(OtpRefusal::Expired);
        }
        Ok(self.otps.remove(index))
    }

    /// Whether `uid` has a live code of `purpose`.
    pub(crate) fn has_otp(&self, purpose: OtpPurpose, uid: &str) -> bool {
        self.otps
            .iter()
            .any(|o| o.purpose == purpose && o.uid == uid)
    }

    /// The factors of `uid` (default: none).
    pub(crate) fn factors(&self, uid: &str) -> OtpFactors {
        self.otp_factors.get(uid).cloned().unwrap_or_default()
    }

    /// The factors of `uid`, to change.
    pub(crate) fn factors_mut(&mut self, uid: &str) -> &mut OtpFactors {
        self.otp_factors.entry(uid.to_owned()).or_default()
    }
}

/// Whether the phone number of `user` is verified (kept in its managed `PhoneIdVerified`
/// field, which profile updates cannot set).
pub(crate) fn phone_verified(user: &User) -> bool {
    user.fields
        .get("PhoneIdVerified")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Marks the phone number of `user` verified or not.
pub(crate) fn set_phone_verified(user: &mut User, verified: bool) {
    user.fields
        .insert("PhoneIdVerified".into(), Value::Bool(verified));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_values_have_their_shapes() {
        let mut ids = Ids::default();
        let otp = ids.one_time_code();
        assert!(
            otp.len() == 6 && otp.bytes().all(|b| b.is_ascii_digit()),
            "{otp}"
        );
        assert_eq!(fresh(&mut ids, Fresh::RecordId).len(), 24);
        let token = fresh(&mut ids, Fresh::Token);
        assert_eq!(token.len(), 32);
        assert_ne!(token, fresh(&mut ids, Fresh::Token));
        let mut fixed = Ids::deterministic();
        assert_eq!(fixed.one_time_code(), crate::ids::FIXED_OTP);
    }
}
