//! [`GrantsMemo`]: the role data a cached user was last decided against, kept with the user, so
//! a warm decision reads it without a second cache lookup.
//!
//! The role caches stay the source of truth. The memo holds what was read from them, and is used
//! only while all three of these hold:
//! - it belongs to the same uid;
//! - no role change has been published since its oldest part was fetched (the role data's
//!   generation counter);
//! - every part is still within its cache lifetime (the earliest deadline of its parts);
//! - while the fleet's bus is down, its oldest part was fetched after the trust cutoff.
//!
//! Anything else is a miss, and the decision reads the caches again. So the memo never makes
//! role data older than the caches would.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use super::Uid;
use super::grants::{Grants, Needs};
use super::permissions::Fresh;

/// The memo of one cached user, shared by every copy of that user (one per request).
#[derive(Clone, Default)]
pub(crate) struct GrantsMemo(Arc<RwLock<Option<Memo>>>);

struct Memo {
    uid: Uid,
    generation: u64,
    grants: Grants,
    until: Instant,
    /// When its oldest part was fetched.
    fetched: Instant,
}

impl Memo {
    fn is_live(&self, uid: &Uid, generation: u64, now: Instant) -> bool {
        self.generation == generation && now < self.until && self.uid == *uid
    }
}

/// What a remembered decision is checked against: the role-change generation, the instant, and
/// (while the fleet's bus is down) the oldest fetch instant still trusted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recall {
    pub(crate) generation: u64,
    pub(crate) now: Instant,
    pub(crate) cutoff: Option<Instant>,
}

impl GrantsMemo {
    /// `decide` applied to the remembered role data for `uid`, when it covers `needs` and is
    /// still live (and fetched after the cutoff, when there is one); `None` otherwise. (Applied
    /// in place: no reference count of the shared role data is touched.)
    pub(crate) fn decide<R>(
        &self,
        uid: &Uid,
        needs: &Needs,
        recall: Recall,
        decide: impl FnOnce(&Grants) -> R,
    ) -> Option<R> {
        // A poisoned lock is a miss: the caches answer instead.
        let memo = self.0.read().ok()?;
        let memo = memo.as_ref()?;
        let trusted = recall.cutoff.is_none_or(|cutoff| memo.fetched >= cutoff);
        (memo.is_live(uid, recall.generation, recall.now) && trusted && memo.grants.covers(needs))
            .then(|| decide(&memo.grants))
    }

    /// Remembers role data (stamped with the generation its oldest part was fetched at), adding
    /// to what is remembered when that is still live (so routes needing different parts do not
    /// evict each other).
    pub(crate) fn remember(&self, uid: &Uid, fresh: Fresh<Grants>, now: Instant) {
        let generation = fresh.generation;
        let Ok(mut memo) = self.0.write() else {
            return;
        };
        let merged = match memo.take() {
            Some(old) if old.is_live(uid, generation, now) => Memo {
                uid: old.uid,
                generation,
                grants: old.grants.merged(fresh.value),
                until: old.until.min(fresh.until),
                fetched: old.fetched.min(fresh.fetched),
            },
            _ => Memo {
                uid: uid.clone(),
                generation,
                grants: fresh.value,
                until: fresh.until,
                fetched: fresh.fetched,
            },
        };
        *memo = Some(merged);
    }
}

impl fmt::Debug for GrantsMemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let remembered = self.0.read().is_ok_and(|memo| memo.is_some());
        f.debug_struct("GrantsMemo")
            .field("remembered", &remembered)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    impl GrantsMemo {
        fn decide_clone(
            &self,
            uid: &Uid,
            needs: &Needs,
            generation: u64,
            now: Instant,
        ) -> Option<Grants> {
            let recall = Recall {
                generation,
                now,
                cutoff: None,
            };
            self.decide(uid, needs, recall, Grants::clone)
        }
    }

    fn roles(names: &[&str]) -> Grants {
        Grants {
            roles: Some(names.iter().map(|n| (*n).to_owned()).collect()),
            ..Grants::default()
        }
    }

    fn fresh(value: Grants, until: Instant, generation: u64) -> Fresh<Grants> {
        Fresh {
            value,
            until,
            generation,
            fetched: Instant::now(),
        }
    }

    const ROLES: Needs = Needs {
        roles: true,
        contexts: false,
        definitions: false,
    };
    const ROLES_AND_DEFINITIONS: Needs = Needs {
        roles: true,
        contexts: false,
        definitions: true,
    };

    #[test]
    fn applies_only_for_the_same_uid_generation_and_before_the_deadline() {
        let now = Instant::now();
        let later = now + Duration::from_secs(60);
        let uid = Uid::new("u-1");
        let memo = GrantsMemo::default();
        assert!(memo.decide_clone(&uid, &ROLES, 0, now).is_none());

        memo.remember(&uid, fresh(roles(&["admin"]), later, 7), now);
        let recalled = memo.decide_clone(&uid, &ROLES, 7, now).expect("live memo");
        assert_eq!(recalled.roles.as_deref(), Some(&["admin".to_owned()][..]));

        assert!(
            memo.decide_clone(&Uid::new("u-2"), &ROLES, 7, now)
                .is_none()
        );
        assert!(memo.decide_clone(&uid, &ROLES, 8, now).is_none());
        assert!(memo.decide_clone(&uid, &ROLES, 7, later).is_none());
        // A part never read is a miss.
        assert!(
            memo.decide_clone(&uid, &ROLES_AND_DEFINITIONS, 7, now)
                .is_none()
        );
    }

    #[test]
    fn remembering_merges_live_parts_and_keeps_the_earliest_deadline() {
        let now = Instant::now();
        let soon = now + Duration::from_secs(10);
        let later = now + Duration::from_secs(600);
        let uid = Uid::new("u-1");
        let memo = GrantsMemo::default();
        memo.remember(&uid, fresh(roles(&["editor"]), soon, 1), now);
        let definitions = Grants {
            definitions: Some(Arc::default()),
            ..Grants::default()
        };
        memo.remember(&uid, fresh(definitions, later, 1), now);
        assert!(
            memo.decide_clone(&uid, &ROLES_AND_DEFINITIONS, 1, now)
                .is_some(),
            "both parts remembered"
        );
        assert!(
            memo.decide_clone(&uid, &ROLES, 1, soon).is_none(),
            "the roles' deadline bounds the merged memo"
        );
    }

    #[test]
    fn while_the_bus_is_down_a_memo_fetched_before_the_cutoff_is_a_miss() {
        let now = Instant::now();
        let later = now + Duration::from_secs(60);
        let uid = Uid::new("u-1");
        let memo = GrantsMemo::default();
        memo.remember(&uid, fresh(roles(&["admin"]), later, 1), now);
        let recall = |cutoff| Recall {
            generation: 1,
            now,
            cutoff,
        };
        let before = Instant::now() - Duration::from_secs(1);
        let after = Instant::now() + Duration::from_millis(1);
        assert!(memo.decide(&uid, &ROLES, recall(None), |_| ()).is_some());
        assert!(
            memo.decide(&uid, &ROLES, recall(Some(before)), |_| ())
                .is_some()
        );
        assert!(
            memo.decide(&uid, &ROLES, recall(Some(after)), |_| ())
                .is_none(),
            "fetched before the cutoff: not trusted"
        );
    }

    #[test]
    fn a_newer_generation_replaces_instead_of_merging() {
        let now = Instant::now();
        let later = now + Duration::from_secs(60);
        let uid = Uid::new("u-1");
        let memo = GrantsMemo::default();
        memo.remember(&uid, fresh(roles(&["admin"]), later, 1), now);
        memo.remember(&uid, fresh(roles(&["viewer"]), later, 2), now);
        let recalled = memo.decide_clone(&uid, &ROLES, 2, now).expect("live memo");
        assert_eq!(recalled.roles.as_deref(), Some(&["viewer".to_owned()][..]));
    }
}
