//! The conformance suite of `loginradius::fleet::SharedState`: the same checks for every backend
//! (in-process in `core`, Redis in `loginradius-redis`). A backend's test file calls
//! [`fleet_conformance!`](crate::fleet_conformance) with an `async fn() -> (Replicas, G)` that
//! makes two replicas sharing one store, and a guard `G` kept alive for the test (the Redis
//! server, say); each check becomes its own test.

use std::sync::Arc;
use std::time::Duration;

use loginradius::fleet::{
    BusReceiver, BusSignal, FleetEvent, ProofMethod, SessionId, SessionRecord, SharedState,
};
use time::OffsetDateTime;

/// Two replicas sharing one store.
pub type Replicas = (Arc<dyn SharedState>, Arc<dyn SharedState>);

/// One test per check, each on fresh replicas from `$make` (an `async fn() -> (Replicas, G)`;
/// the guard `G` lives until the check ends).
#[macro_export]
macro_rules! fleet_conformance {
    ($make:path) => {
        $crate::fleet_conformance!(@tests $make;
            events_reach_every_replica_this_one_included,
            sessions_are_saved_listed_and_removed_on_every_replica,
            sessions_expire_with_their_ttl,
            not_before_keeps_the_latest_instant,
            hits_count_in_a_window_that_starts_with_the_first,
            a_key_is_sighted_first_once_per_ttl_across_replicas,
            memos_are_shared_and_expire);
    };
    (@tests $make:path; $($check:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let (replicas, _guard) = $make().await;
                $crate::fleet::$check(replicas).await;
            }
        )*
    };
}

/// A key no other check (or run against the same store) uses.
fn unique(name: &str) -> String {
    format!("{name}-{}", SessionId::generate().as_str())
}

async fn next_event(bus: &mut BusReceiver) -> FleetEvent {
    match tokio::time::timeout(Duration::from_secs(5), bus.recv()).await {
        Ok(Some(BusSignal::Event(event))) => event,
        Ok(Some(other)) => panic!("expected an event, got {other:?}"),
        Ok(None) => panic!("the bus closed"),
        Err(_) => panic!("no event within 5 s"),
    }
}

fn record(uid: &str, created: OffsetDateTime) -> SessionRecord {
    SessionRecord {
        id: SessionId::generate(),
        uid: uid.to_owned(),
        created_at: created,
        last_seen: created,
        user_agent: "Firefox on Linux".to_owned(),
        proof: ProofMethod::Password,
        proven_at: created,
        sealed_token: None,
    }
}

/// An instant with whole milliseconds (what every backend keeps).
fn at(offset_ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(1_800_000_000_000_i64 + offset_ms) * 1_000_000,
    )
    .expect("a valid instant")
}

/// Events published on one replica reach both, in order.
pub async fn events_reach_every_replica_this_one_included((a, b): Replicas) {
    let mut on_a = a.subscribe();
    let mut on_b = b.subscribe();
    let uid = unique("uid");
    let first = FleetEvent::UserSessionsEnded {
        uid: uid.clone(),
        not_before: at(1),
    };
    let second = FleetEvent::token_revoked("a token");
    a.publish(&first).await.expect("publish");
    a.publish(&second).await.expect("publish");
    for bus in [&mut on_a, &mut on_b] {
        assert_eq!(next_event(bus).await, first);
        assert_eq!(next_event(bus).await, second);
    }
    b.publish(&FleetEvent::RolesChanged { uid: uid.clone() })
        .await
        .expect("publish");
    assert_eq!(
        next_event(&mut on_a).await,
        FleetEvent::RolesChanged { uid }
    );
    assert!(a.health().is_up() && b.health().is_up());
}

/// A session saved on one replica is read, listed (oldest first) and removed on the other.
pub async fn sessions_are_saved_listed_and_removed_on_every_replica((a, b): Replicas) {
    let uid = unique("uid");
    let older = record(&uid, at(0));
    let newer = record(&uid, at(5_000));
    let other_user = record(&unique("uid"), at(0));
    let ttl = Duration::from_secs(60);
    a.save_session(&newer, ttl).await.expect("save");
    a.save_session(&older, ttl).await.expect("save");
    a.save_session(&other_user, ttl).await.expect("save");

    assert_eq!(
        b.session(&older.id).await.expect("read"),
        Some(older.clone())
    );
    let listed = b.sessions_of(&uid).await.expect("list");
    assert_eq!(listed, vec![older.clone(), newer.clone()]);

    let mut seen = older.clone();
    seen.last_seen = at(9_000);
    b.save_session(&seen, ttl).await.expect("replace");
    assert_eq!(
        a.session(&older.id).await.expect("read"),
        Some(seen.clone())
    );
    assert_eq!(b.sessions_of(&uid).await.expect("list").len(), 2);

    assert_eq!(
        b.remove_session(&older.id).await.expect("remove"),
        Some(seen)
    );
    assert_eq!(a.session(&older.id).await.expect("read"), None);
    // A touch does not bring an ended session back; it updates a live one.
    assert!(!a.touch_session(&older, ttl).await.expect("touch"));
    assert_eq!(b.session(&older.id).await.expect("read"), None);
    let mut touched = newer.clone();
    touched.last_seen = at(9_500);
    assert!(a.touch_session(&touched, ttl).await.expect("touch"));
    assert_eq!(
        b.session(&newer.id).await.expect("read"),
        Some(touched.clone())
    );
    let newer = touched;
    assert_eq!(a.remove_session(&older.id).await.expect("remove"), None);
    assert_eq!(a.sessions_of(&uid).await.expect("list"), vec![newer]);
    assert_eq!(
        a.sessions_of(&unique("nobody")).await.expect("list"),
        Vec::new()
    );
}

/// A session is gone after its TTL, from reads and from its user's list.
pub async fn sessions_expire_with_their_ttl((a, b): Replicas) {
    let uid = unique("uid");
    let short = record(&uid, at(0));
    let long = record(&uid, at(1));
    a.save_session(&short, Duration::from_millis(150))
        .await
        .expect("save");
    a.save_session(&long, Duration::from_secs(60))
        .await
        .expect("save");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(b.session(&short.id).await.expect("read"), None);
    assert_eq!(b.sessions_of(&uid).await.expect("list"), vec![long]);
}

/// "Not before" only moves forward, and is seen by every replica.
pub async fn not_before_keeps_the_latest_instant((a, b): Replicas) {
    let uid = unique("uid");
    let ttl = Duration::from_secs(60);
    assert_eq!(a.not_before(&uid).await.expect("read"), None);
    a.set_not_before(&uid, at(2_000), ttl).await.expect("set");
    assert_eq!(b.not_before(&uid).await.expect("read"), Some(at(2_000)));
    b.set_not_before(&uid, at(1_000), ttl).await.expect("set");
    assert_eq!(a.not_before(&uid).await.expect("read"), Some(at(2_000)));
    b.set_not_before(&uid, at(3_000), ttl).await.expect("set");
    assert_eq!(a.not_before(&uid).await.expect("read"), Some(at(3_000)));
}

/// Hits add up across replicas within a window; the window restarts after it ends; clearing
/// forgets the count.
pub async fn hits_count_in_a_window_that_starts_with_the_first((a, b): Replicas) {
    let key = unique("signin:account");
    let window = Duration::from_millis(300);
    let first = a.hit(&key, window).await.expect("hit");
    assert_eq!(first.count, 1);
    assert!(first.resets_in <= window && first.resets_in > Duration::ZERO);
    assert_eq!(b.hit(&key, window).await.expect("hit").count, 2);
    assert_eq!(a.hit(&key, window).await.expect("hit").count, 3);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        b.hit(&key, window).await.expect("hit").count,
        1,
        "a new window"
    );
    a.clear_hits(&key).await.expect("clear");
    assert_eq!(b.hit(&key, window).await.expect("hit").count, 1, "cleared");
    let other = unique("signin:client");
    assert_eq!(a.hit(&other, window).await.expect("hit").count, 1);
}

/// `first_sighting` is true once per TTL, whichever replica asks.
pub async fn a_key_is_sighted_first_once_per_ttl_across_replicas((a, b): Replicas) {
    let key = unique("hook");
    let ttl = Duration::from_millis(300);
    assert!(a.first_sighting(&key, ttl).await.expect("sight"));
    assert!(!b.first_sighting(&key, ttl).await.expect("sight"));
    assert!(!a.first_sighting(&key, ttl).await.expect("sight"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(b.first_sighting(&key, ttl).await.expect("sight"));
}

/// A memo set on one replica is read on the other until it expires.
pub async fn memos_are_shared_and_expire((a, b): Replicas) {
    let key = unique("token");
    assert_eq!(b.memo(&key).await.expect("read"), None);
    a.set_memo(&key, b"{\"uid\":\"u\"}", Duration::from_millis(300))
        .await
        .expect("set");
    assert_eq!(
        b.memo(&key).await.expect("read").as_deref(),
        Some(&b"{\"uid\":\"u\"}"[..])
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(a.memo(&key).await.expect("read"), None);
}
