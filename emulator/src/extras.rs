//! State of the catalog endpoints added after the first release of the emulator (webhook
//! subscriptions, phone and email one-time codes, …), kept apart from the core maps of
//! [`Store`](crate::state::Store) in one field, and the one place their ids, tokens and codes
//! are made ([`fresh`]).

use std::collections::BTreeMap;

use serde_json::Value;
use time::OffsetDateTime;

/// What [`fresh`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fresh {
    /// A 24-hex record id (webhook subscriptions, consent ids).
    RecordId,
    /// A one-time token (32 hex characters).
    Token,
    /// A six-digit one-time code.
    Otp,
}

/// A new id, token or one-time code. Every identifier the catalog endpoints hand out comes from
/// here, so that a deterministic source can replace it in one place.
pub(crate) fn fresh(what: Fresh) -> String {
    use rand::Rng;
    match what {
        Fresh::RecordId => crate::state::new_record_id(),
        Fresh::Token => uuid::Uuid::new_v4().simple().to_string(),
        Fresh::Otp => format!("{:06}", rand::rng().random_range(0..1_000_000u32)),
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

/// The state of the catalog endpoints, one field of the store.
#[derive(Default)]
pub(crate) struct Extras {
    /// Webhook subscriptions, oldest first.
    pub(crate) webhooks: Vec<Webhook>,
}

impl Extras {
    /// Forgets everything attached to `uid`.
    pub(crate) fn remove_user(&mut self, _uid: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_values_have_their_shapes() {
        let otp = fresh(Fresh::Otp);
        assert!(otp.len() == 6 && otp.bytes().all(|b| b.is_ascii_digit()), "{otp}");
        assert_eq!(fresh(Fresh::RecordId).len(), 24);
        let token = fresh(Fresh::Token);
        assert_eq!(token.len(), 32);
        assert_ne!(token, fresh(Fresh::Token));
    }
}
