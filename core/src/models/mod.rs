//! Typed responses and request bodies, with the exact LoginRadius casing on the wire.
//!
//! Every model keeps fields it does not know in an `extra` map, so nothing the service sends is
//! lost. Envelope and list keys are matched in any casing (`isdeleted`, `isPosted`), the
//! documented variants of an answer are read (see [`Profile`], [`LoginResponse`],
//! [`PostedWith`]), and a body with nothing of the expected shape is an
//! [`Error::Decode`](crate::Error::Decode) naming the JSON path and the expected type, never an
//! empty value. Tokens are opaque strings held in [`Secret`](crate::Secret); timestamps are absolute
//! [`OffsetDateTime`](time::OffsetDateTime)s (LoginRadius's `expires_in` is a timestamp, not a
//! number of seconds).

mod account;
mod auth;
mod configuration;
mod consent;
mod custom_object;
mod envelopes;
pub(crate) mod failure;
mod mfa;
mod profile;
mod reauth;
mod registration;
mod roles;
mod session;
pub(crate) mod shape;
mod sms;
pub mod timestamp;
mod token;
mod validation;
mod webhook;

pub use account::{
    EmailVerificationToken, ForgotPasswordToken, Identities, NewAccount, OneTimeToken,
    PasswordHash, PolicyAcceptance, PolicyAcceptances,
};
pub use auth::{EmailVerificationData, SecurityQuestion, TokenInfo, Verified};
pub use configuration::{AppConfiguration, GeneratedSott, ServerInfo, SottWindow, TwoFactorConfig};
pub use consent::{
    ConsentChoice, ConsentEvent, ConsentFormVersion, ConsentLogEntry, ConsentLogs, ConsentProfile,
    ConsentSubmission, ConsentUpdate, GivenConsent,
};
pub use custom_object::{CustomObjectList, CustomObjectRecord};
pub use envelopes::{DeleteRequestAccepted, Deleted, Exists, Posted, PostedWith};
pub use mfa::{BackupCodes, MfaLoginOutcome, MfaSettings, SecondFactorChallenge, SecurityAnswer};
pub use profile::{Country, EmailAddress, PhoneNumber, Profile};
pub use reauth::ReauthToken;
pub use registration::{ProfileUpdate, Registration};
pub use roles::{
    ContextMember, ContextMembers, HeldContext, Role, RoleContext, RoleContextList, RoleList,
    UserRoles,
};
pub use session::{ActiveSession, ActiveSessions};
pub use sms::SmsResponse;
pub use token::{LoginResponse, TokenResponse};
pub use validation::Validation;
pub use webhook::{
    NewWebhook, WebhookEvents, WebhookSubscription, WebhookSubscriptionList, WebhookUpdate,
};

/// Fields a model did not name, kept as sent.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Shows an [`Extra`] map in `Debug` output with the values of secret-looking keys hidden (any
/// key containing `token`, `password`, `secret` or `sott`, in any casing): a token the service
/// sends where the model does not expect it never reaches a log through `{:?}`.
pub(crate) struct DebugExtra<'a>(pub(crate) &'a Extra);

impl std::fmt::Debug for DebugExtra<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HIDDEN: [&str; 4] = ["token", "password", "secret", "sott"];
        let mut map = f.debug_map();
        for (key, value) in self.0 {
            let lower = key.to_ascii_lowercase();
            if HIDDEN.iter().any(|h| lower.contains(h)) {
                map.entry(key, &"***");
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

/// `Debug` for a model with an `extra` map: the named fields as derived, `extra` through
/// [`DebugExtra`].
macro_rules! debug_hiding_extra_secrets {
    ($ty:ident $(<$g:ident>)?, [$($field:ident),* $(,)?]) => {
        impl$(<$g: std::fmt::Debug>)? std::fmt::Debug for $ty$(<$g>)? {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    .field("extra", &$crate::models::DebugExtra(&self.extra))
                    .finish()
            }
        }
    };
}
pub(crate) use debug_hiding_extra_secrets;
