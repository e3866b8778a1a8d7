//! Typed responses and request bodies, with the exact LoginRadius casing on the wire.
//!
//! Every model keeps fields it does not know in an `extra` map, so nothing the service sends is
//! lost. Tokens are opaque strings held in [`Secret`](crate::Secret); timestamps are absolute
//! [`OffsetDateTime`](time::OffsetDateTime)s (LoginRadius's `expires_in` is a timestamp, not a
//! number of seconds).

mod account;
mod auth;
mod configuration;
mod consent;
mod custom_object;
mod envelopes;
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
