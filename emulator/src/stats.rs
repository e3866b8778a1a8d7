//! Request counters per endpoint, keyed `"METHOD /path-template"` with the template exactly as in
//! the catalog (lowercase, `{uid}`-style parameters), e.g.
//! `"GET /identity/v2/auth/access_token/validate"`. Requests to no known endpoint count under
//! `"METHOD (unknown)"`. The `/emulator` admin endpoints are not counted.
//!
//! Also the requests being answered now and the most answered at once since the last reset
//! (a latency fault keeps requests in flight: this shows how many a client had open at once).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The counters.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    counts: Mutex<BTreeMap<String, u64>>,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
}

/// One request in flight, from [`Stats::enter`] until dropped.
#[derive(Debug)]
pub(crate) struct InFlight<'a>(&'a Stats);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Stats {
    pub(crate) fn count(&self, key: String) {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(key).or_insert(0) += 1;
    }

    /// Counts a request as in flight until the guard is dropped.
    pub(crate) fn enter(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        self.max_in_flight.fetch_max(now, Ordering::AcqRel);
        InFlight(self)
    }

    /// The most requests in flight at once since the last reset.
    pub(crate) fn max_in_flight(&self) -> u64 {
        self.max_in_flight.load(Ordering::Acquire)
    }

    pub(crate) fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn reset(&self) {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.max_in_flight
            .store(self.in_flight.load(Ordering::Acquire), Ordering::Release);
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
