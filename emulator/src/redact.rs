//! How secrets show in `Debug` output: passwords, the API secret, tokens and codes are written
//! as `***` (or `None` when absent), never in clear.

/// What a secret field shows.
pub(crate) const HIDDEN: &str = "***";

/// What an optional secret field shows: `Some("***")` or `None`.
pub(crate) fn hidden<T>(value: &Option<T>) -> Option<&'static str> {
    value.as_ref().map(|_| HIDDEN)
}
