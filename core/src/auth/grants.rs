//! What a requirement is decided against: the [`Grants`] (a user's roles, role contexts and the
//! role definitions, as far as they were read) and which of those parts a requirement
//! [`Needs`]. [`Require`](super::Require) decides on these; the role caches
//! ([`permissions`](super::permissions)) fill them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use time::OffsetDateTime;

use crate::models::RoleContext;

/// Which role data a requirement needs to be decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// The user's global roles.
    pub(crate) roles: bool,
    /// The user's role contexts.
    pub(crate) contexts: bool,
    /// The role definitions (role → permissions).
    pub(crate) definitions: bool,
}

/// An instant of the authenticator's clock in nanoseconds since the Unix epoch
/// ([`Clock::unix_nanos`](crate::Clock)): role-context expiry is judged against it.
pub(crate) type UnixNanos = i128;

/// Whether the expiry `at` (if any) has passed at `now`.
pub(crate) fn has_passed(at: Option<OffsetDateTime>, now: UnixNanos) -> bool {
    at.is_some_and(|at| at.unix_timestamp_nanos() <= now)
}

/// Role name → granted permissions.
pub(crate) type Definitions = HashMap<String, HashSet<String>>;

/// The role data of one user needed to decide a requirement. Parts not needed are `None`
/// (and count as empty), so deciding a requirement allocates nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grants {
    pub(crate) roles: Option<Arc<[String]>>,
    pub(crate) contexts: Option<Arc<[RoleContext]>>,
    pub(crate) definitions: Option<Arc<Definitions>>,
}

impl Grants {
    /// Whether every part `needs` asks for is here.
    pub(crate) fn covers(&self, needs: &Needs) -> bool {
        (!needs.roles || self.roles.is_some())
            && (!needs.contexts || self.contexts.is_some())
            && (!needs.definitions || self.definitions.is_some())
    }

    /// These parts, with `newer`'s parts where it has them.
    pub(crate) fn merged(self, newer: Grants) -> Grants {
        Grants {
            roles: newer.roles.or(self.roles),
            contexts: newer.contexts.or(self.contexts),
            definitions: newer.definitions.or(self.definitions),
        }
    }

    fn roles(&self) -> &[String] {
        self.roles.as_deref().unwrap_or_default()
    }

    /// The live (not expired at `now`) contexts named `name`.
    fn contexts<'a>(
        &'a self,
        name: &'a str,
        now: UnixNanos,
    ) -> impl Iterator<Item = &'a RoleContext> + 'a {
        self.contexts
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter(move |c| c.context == name && !has_passed(c.expiration, now))
    }

    fn role_grants(&self, role: &str, permission: &str) -> bool {
        self.definitions
            .as_deref()
            .and_then(|definitions| definitions.get(role))
            .is_some_and(|granted| granted.contains(permission))
    }

    /// Whether the user has `role`, globally or in the live context.
    pub(crate) fn has_role(&self, context: Option<&str>, role: &str, now: UnixNanos) -> bool {
        match context {
            None => self.roles().iter().any(|r| r == role),
            Some(name) => self
                .contexts(name, now)
                .any(|c| c.roles.iter().any(|r| r == role)),
        }
    }

    /// Whether the user's roles (or the live context's roles and additional permissions) grant
    /// `permission`.
    pub(crate) fn has_permission(
        &self,
        context: Option<&str>,
        permission: &str,
        now: UnixNanos,
    ) -> bool {
        match context {
            None => self.roles().iter().any(|r| self.role_grants(r, permission)),
            Some(name) => self.contexts(name, now).any(|c| {
                c.additional_permissions.iter().any(|p| p == permission)
                    || c.roles.iter().any(|r| self.role_grants(r, permission))
            }),
        }
    }
}
