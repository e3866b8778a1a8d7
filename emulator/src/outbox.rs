//! The outbox: every email or SMS the real service would send (verification links, reset
//! tokens, passwordless links, OTPs), captured for tests and for the person running the demo.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::redact::hidden;

/// Most messages kept; older ones are dropped first.
const CAPACITY: usize = 1000;

/// Kinds of message (the `type` field).
pub mod kind {
    /// Email verification link after registration, resend, or invalidation.
    pub const EMAIL_VERIFICATION: &str = "email_verification";
    /// Forgot-password reset link.
    pub const RESET_PASSWORD: &str = "reset_password";
    /// Passwordless login link (the message also carries the one-time code, `otp`).
    pub const PASSWORDLESS_LOGIN: &str = "passwordless_login";
    /// Delete-account confirmation link.
    pub const DELETE_ACCOUNT: &str = "delete_account";
    /// Welcome email (no token).
    pub const WELCOME: &str = "welcome";
    /// SMS with the code that verifies a phone number (registration, resend, number update).
    pub const SMS_PHONE_VERIFICATION: &str = "sms_phone_verification";
    /// SMS with the code that resets a password (forgot password by phone).
    pub const SMS_RESET_PASSWORD: &str = "sms_reset_password";
    /// SMS with a second-factor code (MFA by SMS: set-up and login).
    pub const SMS_SECOND_FACTOR: &str = "sms_second_factor";
    /// Reset-PIN email: a link and a one-time code.
    pub const RESET_PIN: &str = "reset_pin";
    /// SMS with a reset-PIN code.
    pub const SMS_RESET_PIN: &str = "sms_reset_pin";
    /// One-touch login link (email).
    pub const ONE_TOUCH_LOGIN: &str = "one_touch_login";
    /// Smart login link (email).
    pub const SMART_LOGIN: &str = "smart_login";
    /// SMS with a one-touch login code.
    pub const SMS_ONE_TOUCH_LOGIN: &str = "sms_one_touch_login";
    /// SMS with a passwordless login code.
    pub const SMS_PASSWORDLESS_LOGIN: &str = "sms_passwordless_login";
    /// Email with a second-factor code (MFA by email OTP: set-up and login).
    pub const EMAIL_SECOND_FACTOR: &str = "email_second_factor";
}

/// One captured message: `{"type","to","token","otp","link","sent_at"}`. `Debug` shows the
/// token, the code and the link (which carries the token) as `***`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    /// What the message is (see [`kind`]).
    #[serde(rename = "type")]
    pub kind: String,
    /// Recipient (email address or phone number).
    pub to: String,
    /// The one-time token the message carries, if any.
    pub token: Option<String>,
    /// The one-time code the message carries, if any.
    pub otp: Option<String>,
    /// The link a person would click, if any.
    pub link: Option<String>,
    /// When it was sent (RFC 3339, UTC).
    pub sent_at: String,
}

impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("kind", &self.kind)
            .field("to", &self.to)
            .field("token", &hidden(&self.token))
            .field("otp", &hidden(&self.otp))
            .field("link", &hidden(&self.link))
            .field("sent_at", &self.sent_at)
            .finish()
    }
}

/// The captured messages, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Outbox(Mutex<Vec<OutboxMessage>>);

impl Outbox {
    pub(crate) fn push(&self, message: OutboxMessage) {
        let mut messages = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if messages.len() >= CAPACITY {
            messages.remove(0);
        }
        messages.push(message);
    }

    pub(crate) fn list(&self) -> Vec<OutboxMessage> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token_the_code_and_the_link() {
        let message = OutboxMessage {
            kind: kind::RESET_PASSWORD.to_owned(),
            to: "jane@example.com".to_owned(),
            token: Some("tok-never-shown".to_owned()),
            otp: Some("otp-never-shown".to_owned()),
            link: Some("http://x/reset?vtoken=tok-never-shown".to_owned()),
            sent_at: "2026-01-01T00:00:00Z".to_owned(),
        };
        let text = format!("{message:?}");
        assert!(!text.contains("never-shown"), "{text}");
        assert!(text.contains("jane@example.com"), "{text}");
        let outbox = Outbox::default();
        outbox.push(message);
        assert!(!format!("{outbox:?}").contains("never-shown"));
    }
}
