//! Role-change notifications, a client concern: role calls made through a client
//! (`client.roles()`) publish what they changed, and the client tells its subscribers (the
//! [`Authenticator`]s built on it), so their caches drop the affected entries at once instead
//! of waiting for the TTL, and bump the generation that stops older role data from being used.
//!
//! Subscribers are held weakly: an authenticator that is dropped simply stops being told, and no
//! task is spawned. An authenticator also publishes each change on its shared state's bus as a
//! [`FleetEvent`] ([`RoleChange::to_event`]), so that every replica hears it, and applies the
//! role events it receives from the bus the same way ([`RoleChange::from_event`]).
//!
//! [`Authenticator`]: crate::auth::Authenticator

use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::fleet::FleetEvent;

/// What changed through a role call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoleChange {
    /// The roles of one user were assigned or unassigned.
    UserRoles {
        /// The user.
        uid: String,
    },
    /// The role contexts of one user were created, replaced or removed.
    UserContexts {
        /// The user.
        uid: String,
    },
    /// Role definitions changed: a role was created or its permissions changed.
    Definitions,
    /// A role was deleted: the definitions and every user's roles and contexts may name it.
    RoleDeleted,
}

impl RoleChange {
    /// The event that tells every replica of this change.
    pub(crate) fn to_event(&self) -> FleetEvent {
        match self {
            Self::UserRoles { uid } => FleetEvent::RolesChanged { uid: uid.clone() },
            Self::UserContexts { uid } => FleetEvent::RoleContextsChanged { uid: uid.clone() },
            Self::Definitions | Self::RoleDeleted => FleetEvent::RoleDefinitionsChanged,
        }
    }

    /// The change a role event from the bus calls for; `None` for events about something
    /// else. [`FleetEvent::RoleDefinitionsChanged`] does not say whether a role was deleted, so
    /// it is taken as the wider change, [`RoleChange::RoleDeleted`].
    pub(crate) fn from_event(event: &FleetEvent) -> Option<Self> {
        match event {
            FleetEvent::RolesChanged { uid } => Some(Self::UserRoles { uid: uid.clone() }),
            FleetEvent::RoleContextsChanged { uid } => {
                Some(Self::UserContexts { uid: uid.clone() })
            }
            FleetEvent::RoleDefinitionsChanged => Some(Self::RoleDeleted),
            FleetEvent::TokenRevoked { .. }
            | FleetEvent::SessionEnded { .. }
            | FleetEvent::SessionProven { .. }
            | FleetEvent::UserSessionsEnded { .. }
            | FleetEvent::ProfileChanged { .. } => None,
        }
    }
}

/// Something told about role changes.
#[async_trait::async_trait]
pub(crate) trait RoleChangeListener: Send + Sync + 'static {
    /// Called after a role call that may have changed something.
    async fn role_changed(&self, change: &RoleChange);
}

/// The subscriber list of one client (shared by its clones).
#[derive(Default)]
pub(crate) struct RoleEvents {
    listeners: Mutex<Vec<Weak<dyn RoleChangeListener>>>,
}

impl std::fmt::Debug for RoleEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleEvents")
            .field("listeners", &self.live().len())
            .finish()
    }
}

impl RoleEvents {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Weak<dyn RoleChangeListener>>> {
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The live subscribers; dead ones are dropped from the list.
    fn live(&self) -> Vec<Arc<dyn RoleChangeListener>> {
        let mut listeners = self.lock();
        listeners.retain(|l| l.strong_count() > 0);
        listeners.iter().filter_map(Weak::upgrade).collect()
    }

    /// Adds a subscriber, held weakly.
    pub(crate) fn subscribe(&self, listener: Weak<dyn RoleChangeListener>) {
        let mut listeners = self.lock();
        listeners.retain(|l| l.strong_count() > 0);
        listeners.push(listener);
    }

    /// Tells every live subscriber, one after the other.
    pub(crate) async fn publish(&self, change: RoleChange) {
        let listeners = self.live();
        if listeners.is_empty() {
            return;
        }
        tracing::debug!(change = ?change, subscribers = listeners.len(), "role change");
        for listener in listeners {
            listener.role_changed(&change).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_maps_to_an_event_that_maps_back_to_at_least_the_same_evictions() {
        let changes = [
            RoleChange::UserRoles { uid: "u".into() },
            RoleChange::UserContexts { uid: "u".into() },
            RoleChange::Definitions,
            RoleChange::RoleDeleted,
        ];
        let back: Vec<_> = changes
            .iter()
            .map(|c| RoleChange::from_event(&c.to_event()))
            .collect();
        assert_eq!(
            back,
            [
                Some(RoleChange::UserRoles { uid: "u".into() }),
                Some(RoleChange::UserContexts { uid: "u".into() }),
                Some(RoleChange::RoleDeleted),
                Some(RoleChange::RoleDeleted),
            ]
        );
        assert_eq!(
            RoleChange::from_event(&FleetEvent::ProfileChanged { uid: "u".into() }),
            None
        );
        assert_eq!(
            RoleChange::from_event(&FleetEvent::token_revoked("t")),
            None
        );
    }
}
