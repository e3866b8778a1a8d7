//! The outbox: every email or SMS the real service would send (verification links, reset
//! tokens, passwordless links, OTPs), captured for tests and for the person running the demo.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Most messages kept; older ones are dropped first.
const CAPACITY: usize = 1000;

/// Kinds of message (the `type` field).
pub mod kind {
    /// Email verification link after registration, resend, or invalidation.
    pub const EMAIL_VERIFICATION: &str = "email_verification";
    /// Forgot-password reset link.
    pub const RESET_PASSWORD: &str = "reset_password";
    /// Passwordless login link.
    pub const PASSWORDLESS_LOGIN: &str = "passwordless_login";
    /// Delete-account confirmation link.
    pub const DELETE_ACCOUNT: &str = "delete_account";
    /// Welcome email (no token).
    pub const WELCOME: &str = "welcome";
}

/// One captured message: `{"type","to","token","otp","link","sent_at"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
