//! Request counters per endpoint, keyed `"METHOD /path-template"` with the template exactly as in
//! the catalog (lowercase, `{uid}`-style parameters), e.g.
//! `"GET /identity/v2/auth/access_token/validate"`. Requests to no known endpoint count under
//! `"METHOD (unknown)"`. The `/emulator` admin endpoints are not counted.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// The counters.
#[derive(Debug, Default)]
pub(crate) struct Stats(Mutex<BTreeMap<String, u64>>);

impl Stats {
    pub(crate) fn count(&self, key: String) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(key).or_insert(0) += 1;
    }

    pub(crate) fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn reset(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// The key of one endpoint: `"GET /identity/v2/auth/account"`.
pub(crate) fn key(method: &str, template: &str) -> String {
    format!(
        "{} {}",
        method.to_ascii_uppercase(),
        template.to_ascii_lowercase()
    )
}
