//! Role-change notifications, a client concern: role calls made through a client
//! (`client.roles()`) publish what they changed, and the client tells its subscribers (the
//! [`Authenticator`]s built on it), so their caches drop the affected entries at once instead
//! of waiting for the TTL, and bump the generation that stops older role data from being used.
//!
//! Subscribers are held weakly: an authenticator that is dropped simply stops being told, and no
//! task is spawned.
//!
//! [`Authenticator`]: crate::auth::Authenticator

use std::sync::{Arc, Mutex, PoisonError, Weak};

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
