//! Typed responses and request bodies, with the exact LoginRadius casing on the wire.
//!
//! Every model keeps fields it does not know in an `extra` map, so nothing the service sends is
//! lost. Tokens are opaque strings held in [`Secret`](crate::Secret); timestamps are absolute
//! [`OffsetDateTime`](time::OffsetDateTime)s (LoginRadius's `expires_in` is a timestamp, not a
//! number of seconds).

mod custom_object;
mod envelopes;
mod profile;
mod roles;
pub mod timestamp;
mod token;

pub use custom_object::{CustomObjectList, CustomObjectRecord};
pub use envelopes::{DeleteRequestAccepted, Deleted, Exists, Posted, PostedWith};
pub use profile::{Country, EmailAddress, PhoneNumber, Profile};
pub use roles::{Role, RoleContext, RoleContextList, RoleList, UserRoles};
pub use token::{LoginResponse, TokenResponse};

/// Fields a model did not name, kept as sent.
pub type Extra = serde_json::Map<String, serde_json::Value>;
