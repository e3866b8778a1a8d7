//! The one error of the shared state.

/// Why a shared-state call did not complete. Every variant is doubt: callers deny (503), never
/// allow, and never treat it as "no session" or "no limit".
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SharedStateError {
    /// The store cannot be reached (connection refused or lost, timeout).
    #[error("the shared state ({backend}) is unavailable: {reason}")]
    Unavailable {
        /// The backend's name, e.g. `redis`.
        backend: &'static str,
        /// What failed, without secrets.
        reason: String,
    },
    /// The store answered with something this version cannot read (another version's record,
    /// a corrupted value).
    #[error("the shared state ({backend}) holds an unreadable value at {what}")]
    Corrupt {
        /// The backend's name.
        backend: &'static str,
        /// What could not be read (a key kind, never a value).
        what: &'static str,
    },
}

impl SharedStateError {
    /// An [`SharedStateError::Unavailable`] for `backend`.
    pub fn unavailable(backend: &'static str, reason: impl Into<String>) -> Self {
        Self::Unavailable {
            backend,
            reason: reason.into(),
        }
    }
}
