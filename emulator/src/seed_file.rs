//! Seed files (`--seed FILE`, [`crate::EmulatorConfig::with_seed_file`]): users with plain
//! passwords, roles with permissions, and role contexts, written by hand and loaded at start.
//!
//! ```json
//! {
//!   "version": 1,
//!   "roles": [{ "name": "admin", "permissions": ["manage_users"] }],
//!   "users": [{
//!     "email": "ada@example.com", "password": "correct-horse-1", "roles": ["admin"],
//!     "verified": true, "username": "ada", "profile": { "FirstName": "Ada" },
//!     "role_contexts": [{ "context": "org-1", "roles": ["admin"] }]
//!   }]
//! }
//! ```
//!
//! Unknown keys are refused (a typo must not pass silently), and so are a role a user names
//! that no seed defines, a taken email, and a password shorter than the site accepts.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::passwords;
use crate::profile;
use crate::snapshot::{self, RoleContextRecord, StateFileError};
use crate::state::{EmailEntry, Store};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    /// Checked by [`snapshot::read`].
    #[allow(dead_code, reason = "read to check the version")]
    version: u32,
    #[serde(default)]
    roles: Vec<SeedFileRole>,
    #[serde(default)]
    users: Vec<SeedFileUser>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFileRole {
    name: String,
    #[serde(default)]
    permissions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFileUser {
    email: String,
    password: String,
    #[serde(default)]
    uid: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default = "verified_by_default")]
    verified: bool,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    profile: Map<String, Value>,
    #[serde(default)]
    role_contexts: Vec<RoleContextRecord>,
}

fn verified_by_default() -> bool {
    true
}

/// Loads the seed file at `path` into `store`: its roles, then its users.
pub(crate) fn load(
    store: &mut Store,
    path: &Path,
    now: OffsetDateTime,
) -> Result<(), StateFileError> {
    let file: SeedFile = snapshot::read(path)?;
    let invalid = |reason| StateFileError::Invalid {
        path: path.to_owned(),
        reason,
    };
    for role in file.roles {
        if role.name.trim().is_empty() {
            return Err(invalid("a role has an empty name".to_owned()));
        }
        store.roles.insert(
            role.name,
            role.permissions.into_iter().map(|p| (p, true)).collect(),
        );
    }
    for seed in file.users {
        let email = seed.email.trim();
        if !email.contains('@') {
            return Err(invalid(format!("{email:?} is not an email address")));
        }
        if seed.password.chars().count() < passwords::MIN_LENGTH {
            return Err(invalid(format!(
                "user {email}: the password must have at least {} characters",
                passwords::MIN_LENGTH
            )));
        }
        let role_contexts = seed
            .role_contexts
            .into_iter()
            .map(RoleContextRecord::into_rec)
            .collect::<Result<_, _>>()
            .map_err(|e| invalid(format!("user {email}: {e}")))?;
        let mut user = store.new_user(seed.uid, now);
        user.emails.push(EmailEntry::primary(email));
        user.email_verified = seed.verified;
        user.username = seed.username;
        user.phone_id = seed.phone;
        user.password_hash = Some(passwords::hash(&seed.password));
        user.last_password_change = Some(now);
        profile::apply_fields(&mut user, &seed.profile, false);
        user.roles = seed.roles;
        user.role_contexts = role_contexts;
        store.add_user(user).map_err(invalid)?;
    }
    Ok(())
}
