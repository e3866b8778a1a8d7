//! [`InFlight`]: one lookup per key however many callers miss the cache for it at once.
//!
//! The token cache is synchronous (a warm read builds no future), so the coalescing of cold
//! misses lives here: the first caller of a key runs its lookup, the callers that arrive while it
//! runs wait for that lookup and share its result, success or failure. If the caller running the
//! lookup is cancelled, one of the waiters runs its own. Callers that arrive after the result are
//! not given it: they find the cache filled (or, after a failure, look up again).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

/// The lookups in flight, by key.
pub(crate) struct InFlight<K, V> {
    running: Mutex<HashMap<K, Arc<OnceCell<V>>>>,
}

impl<K, V> Default for InFlight<K, V> {
    fn default() -> Self {
        Self {
            running: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> InFlight<K, V> {
    /// The result of `lookup` for `key`: this caller's own, or that of the lookup another caller
    /// of `key` is running.
    pub(crate) async fn run<F>(&self, key: &K, lookup: impl FnOnce() -> F) -> V
    where
        F: Future<Output = V>,
    {
        let cell = {
            let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(running.entry(key.clone()).or_default())
        };
        // Removes the entry once its last caller is done or cancelled.
        let _done = Done {
            running: &self.running,
            key,
            cell: &cell,
        };
        cell.get_or_init(lookup).await.clone()
    }

    /// The number of keys being looked up (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Drops the entry of `key` when the last caller holding `cell` leaves, so that a finished or
/// abandoned lookup is never handed to a later caller.
struct Done<'a, K: Hash + Eq, V> {
    running: &'a Mutex<HashMap<K, Arc<OnceCell<V>>>>,
    key: &'a K,
    cell: &'a Arc<OnceCell<V>>,
}

impl<K: Hash + Eq, V> Drop for Done<'_, K, V> {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        // Under the lock no caller can take a new reference: the map's and this caller's are
        // the last two when nobody else waits. A finished lookup is removed at once.
        let last = Arc::strong_count(self.cell) <= 2 || self.cell.initialized();
        if last
            && running
                .get(self.key)
                .is_some_and(|cell| Arc::ptr_eq(cell, self.cell))
        {
            running.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn simultaneous_callers_share_one_lookup_and_its_failure() {
        let flight: InFlight<u8, Result<u32, &'static str>> = InFlight::default();
        let lookups = AtomicUsize::new(0);
        let lookup = || async {
            lookups.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err("refused")
        };
        let (a, b, c) = tokio::join!(
            flight.run(&1, lookup),
            flight.run(&1, lookup),
            flight.run(&1, lookup)
        );
        assert_eq!((a, b, c), (Err("refused"), Err("refused"), Err("refused")));
        assert_eq!(lookups.load(Ordering::SeqCst), 1);
        assert_eq!(flight.len(), 0, "a finished lookup is not kept");
        // A later caller looks up again.
        assert_eq!(flight.run(&1, lookup).await, Err("refused"));
        assert_eq!(lookups.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn different_keys_do_not_wait_for_each_other() {
        let flight: InFlight<u8, u32> = InFlight::default();
        let (a, b) = tokio::join!(
            flight.run(&1, || async { 1 }),
            flight.run(&2, || async { 2 })
        );
        assert_eq!((a, b), (1, 2));
        assert_eq!(flight.len(), 0);
    }

    #[tokio::test]
    async fn a_cancelled_lookup_is_taken_over_by_a_waiter_and_an_abandoned_one_is_dropped() {
        let flight: InFlight<u8, u32> = InFlight::default();
        let mut slow = tokio_test::task::spawn(flight.run(&1, || async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            1
        }));
        let mut waiter = tokio_test::task::spawn(flight.run(&1, || async { 2 }));
        // The first caller runs the lookup, the second waits for it.
        assert!(slow.poll().is_pending());
        assert!(waiter.poll().is_pending());
        assert_eq!(flight.len(), 1);
        // The first caller is cancelled: the waiter runs its own lookup.
        drop(slow);
        assert_eq!(waiter.await, 2);
        assert_eq!(flight.len(), 0);

        // A lookup whose only caller is cancelled leaves nothing behind.
        let mut abandoned = tokio_test::task::spawn(flight.run(&3, || async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            3
        }));
        assert!(abandoned.poll().is_pending());
        assert_eq!(flight.len(), 1);
        drop(abandoned);
        assert_eq!(flight.len(), 0);
    }
}
