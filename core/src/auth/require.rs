//! [`Require`]: what a request needs beyond a valid token, as a value that can be built once,
//! combined, stored in a guard and evaluated against a user's roles and permissions.

use std::fmt;
use std::time::Duration;

use super::grants::{Grants, Needs, UnixNanos};
use super::user::SessionProof;

/// A requirement on the signed-in user: roles, permissions, their combinations, optionally
/// within a role context.
///
/// - [`Require::role`], [`any_role`](Require::any_role), [`all_roles`](Require::all_roles) check
///   the user's roles (Role API: `client.roles().of_user`).
/// - [`Require::permission`], [`any_permission`](Require::any_permission),
///   [`all_permissions`](Require::all_permissions) check the permissions granted by those roles
///   (role definitions: `client.roles().list()`).
/// - [`and`](Require::and), [`or`](Require::or), [`Require::all`] and [`Require::any`] combine
///   requirements.
/// - [`in_context`](Require::in_context) evaluates a requirement against one role context of
///   the user instead: the context's roles, their permissions and its additional permissions
///   count, and only while the context has not expired (checked at decision time). Global roles
///   do not count inside a context; write `a.or(a.clone().in_context("x"))` to accept both.
///
/// Names are compared exactly (case-sensitive), as the Role API stores them. `all` of nothing is
/// met by any signed-in user; `any` of nothing is never met. When the role data a requirement
/// needs cannot be read, the decision is 503, never a guess.
///
/// ```
/// use loginradius::auth::Require;
///
/// // Admins, or editors who may also publish.
/// let can_publish = Require::role("admin")
///     .or(Require::role("editor").and(Require::permission("publish")));
/// assert_eq!(
///     can_publish.to_string(),
///     r#"(role "admin" or (role "editor" and permission "publish"))"#
/// );
///
/// // A manager of the "acme" organisation, as long as that role context has not expired.
/// let acme_manager = Require::any_role(["manager", "owner"]).in_context("acme");
/// assert_eq!(acme_manager.to_string(), r#"(role "manager" or role "owner") in context "acme""#);
///
/// let both = Require::all([can_publish, acme_manager]);
/// assert!(both.to_string().contains(" and "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Require(Node);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    Authenticated,
    Role(String),
    Permission(String),
    All(Vec<Node>),
    Any(Vec<Node>),
    InContext(String, Box<Node>),
    SecondFactor,
    ProvenWithin(Duration),
}

/// What a decision reads besides the role data: the request's session proof and the time.
#[derive(Clone, Copy)]
pub(crate) struct Facts<'a> {
    /// The proof of the request's session; `None` for a Bearer token.
    pub(crate) proof: Option<&'a SessionProof>,
    /// Now (Unix nanoseconds): role-context expiry and the age of the proof are judged at it.
    pub(crate) now: UnixNanos,
    /// Decide as if the session had just been proven with a second factor: tells a refusal
    /// that a re-authentication would lift from one it would not.
    pub(crate) assume_proven: bool,
}

/// The outcome of a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Met.
    Met,
    /// Not met, but would be after a re-authentication (with a second factor).
    NeedsProof,
    /// Not met (a role or permission is missing).
    Unmet,
}

impl Require {
    /// Met by any signed-in user (a valid token is all it takes).
    pub fn authenticated() -> Self {
        Self(Node::Authenticated)
    }

    /// The user has the role.
    pub fn role(name: impl Into<String>) -> Self {
        Self(Node::Role(name.into()))
    }

    /// The user has at least one of the roles.
    pub fn any_role(names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self(Node::Any(
            names.into_iter().map(|n| Node::Role(n.into())).collect(),
        ))
    }

    /// The user has every one of the roles.
    pub fn all_roles(names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self(Node::All(
            names.into_iter().map(|n| Node::Role(n.into())).collect(),
        ))
    }

    /// One of the user's roles grants the permission.
    pub fn permission(name: impl Into<String>) -> Self {
        Self(Node::Permission(name.into()))
    }

    /// The user's roles grant at least one of the permissions.
    pub fn any_permission(names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self(Node::Any(
            names
                .into_iter()
                .map(|n| Node::Permission(n.into()))
                .collect(),
        ))
    }

    /// The user's roles grant every one of the permissions.
    pub fn all_permissions(names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self(Node::All(
            names
                .into_iter()
                .map(|n| Node::Permission(n.into()))
                .collect(),
        ))
    }

    /// Every requirement is met.
    pub fn all(requirements: impl IntoIterator<Item = Require>) -> Self {
        Self(Node::All(requirements.into_iter().map(|r| r.0).collect()))
    }

    /// At least one requirement is met.
    pub fn any(requirements: impl IntoIterator<Item = Require>) -> Self {
        Self(Node::Any(requirements.into_iter().map(|r| r.0).collect()))
    }

    /// This requirement and `other`.
    pub fn and(self, other: Require) -> Self {
        match self.0 {
            Node::All(mut items) => {
                items.push(other.0);
                Self(Node::All(items))
            }
            node => Self(Node::All(vec![node, other.0])),
        }
    }

    /// This requirement or `other`.
    pub fn or(self, other: Require) -> Self {
        match self.0 {
            Node::Any(mut items) => {
                items.push(other.0);
                Self(Node::Any(items))
            }
            node => Self(Node::Any(vec![node, other.0])),
        }
    }

    /// Evaluates this requirement within the user's role context `name` (its roles, their
    /// permissions and its additional permissions), which must not have expired at decision
    /// time. An inner `in_context` wins over an outer one.
    pub fn in_context(self, name: impl Into<String>) -> Self {
        Self(Node::InContext(name.into(), Box::new(self.0)))
    }

    /// The role data needed to decide.
    /// The request's session was proven with a second factor (a sign-in or re-authentication
    /// with an authenticator, SMS or email code). Only a session from the session cookie can
    /// meet it: a Bearer token carries no proof. Unmet: 403 `reauth_required`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use loginradius::auth::Require;
    ///
    /// // Changing the payout account: an admin, proven with a second factor in the last 5 minutes.
    /// let payouts = Require::role("admin")
    ///     .and(Require::second_factor())
    ///     .and(Require::proven_within(Duration::from_secs(300)));
    /// assert_eq!(
    ///     payouts.to_string(),
    ///     r#"(role "admin" and second factor and proven within 300 s)"#
    /// );
    /// ```
    pub fn second_factor() -> Self {
        Self(Node::SecondFactor)
    }

    /// The request's session was proven (signed in, or re-authenticated through the
    /// re-authentication route helper) within `window`. Only a session from the session cookie
    /// can meet it. Unmet: 403 `reauth_required`.
    pub fn proven_within(window: Duration) -> Self {
        Self(Node::ProvenWithin(window))
    }

    pub(crate) fn needs(&self) -> Needs {
        let mut needs = Needs::default();
        self.0.needs(false, &mut needs);
        needs
    }

    /// Decides against the user's role data and `facts`.
    pub(crate) fn outcome(&self, grants: &Grants, facts: Facts<'_>) -> Outcome {
        if self.0.is_met(grants, None, facts) {
            Outcome::Met
        } else if self.0.is_met(
            grants,
            None,
            Facts {
                assume_proven: true,
                ..facts
            },
        ) {
            Outcome::NeedsProof
        } else {
            Outcome::Unmet
        }
    }
}

impl Node {
    fn needs(&self, in_context: bool, needs: &mut Needs) {
        match self {
            Self::Authenticated => {}
            Self::Role(_) if in_context => needs.contexts = true,
            Self::Role(_) => needs.roles = true,
            Self::Permission(_) => {
                needs.definitions = true;
                if in_context {
                    needs.contexts = true;
                } else {
                    needs.roles = true;
                }
            }
            Self::All(items) | Self::Any(items) => {
                items.iter().for_each(|n| n.needs(in_context, needs));
            }
            Self::InContext(_, inner) => inner.needs(true, needs),
            Self::SecondFactor | Self::ProvenWithin(_) => {}
        }
    }

    fn is_met(&self, grants: &Grants, context: Option<&str>, facts: Facts<'_>) -> bool {
        let now = facts.now;
        match self {
            Self::Authenticated => true,
            Self::Role(role) => grants.has_role(context, role, now),
            Self::Permission(permission) => grants.has_permission(context, permission, now),
            Self::All(items) => items.iter().all(|n| n.is_met(grants, context, facts)),
            Self::Any(items) => items.iter().any(|n| n.is_met(grants, context, facts)),
            Self::InContext(name, inner) => inner.is_met(grants, Some(name), facts),
            Self::SecondFactor => {
                facts.assume_proven || facts.proof.is_some_and(|p| p.method.has_second_factor())
            }
            Self::ProvenWithin(window) => {
                facts.assume_proven
                    || facts.proof.is_some_and(|p| {
                        // Nanoseconds; a proof from the future (clock skew between replicas)
                        // counts as now.
                        let age = now - p.proven_at.unix_timestamp_nanos();
                        age <= i128::try_from(window.as_nanos()).unwrap_or(i128::MAX)
                    })
            }
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, items: &[Node], sep: &str, empty: &str| match items
        {
            [] => f.write_str(empty),
            [one] => one.write(f),
            _ => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    item.write(f)?;
                }
                f.write_str(")")
            }
        };
        match self {
            Self::Authenticated => f.write_str("signed in"),
            Self::Role(role) => write!(f, "role {role:?}"),
            Self::Permission(permission) => write!(f, "permission {permission:?}"),
            Self::All(items) => list(f, items, " and ", "signed in"),
            Self::Any(items) => list(f, items, " or ", "nothing"),
            Self::InContext(name, inner) => {
                inner.write(f)?;
                write!(f, " in context {name:?}")
            }
            Self::SecondFactor => f.write_str("second factor"),
            Self::ProvenWithin(window) => write!(f, "proven within {} s", window.as_secs()),
        }
    }
}

impl fmt::Display for Require {
    /// A readable description: `(role "admin" or permission "publish") in context "acme"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f)
    }
}
