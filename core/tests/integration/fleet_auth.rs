//! Three authenticators ("replicas") sharing one `InProcess` state, on the scripted upstream:
//! a sign-out, a role change or a user's sessions ended on one is refused on all of them; a new
//! token met by all three is validated upstream once; the bus task ends with its authenticator;
//! while the bus is lost cached decisions are trusted only briefly, and dropped when it is back.
//! (The same with Redis and the emulator: `loginradius-redis`'s `tests/authenticators.rs`.)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use loginradius::auth::{
    Authenticator, Decision, Extracted, RejectionKind, Require, TokenExtractor, TokenSource,
};
use loginradius::codes;
use loginradius::fleet::{
    BusReceiver, BusSignal, FleetEvent, FleetResult, Health, Hits, InProcess, ProofMethod,
    SessionClaim, SessionId, SessionRecord, SharedState,
};
use serde_json::json;
use time::OffsetDateTime;
use tokio::sync::broadcast;

use crate::auth_support::*;
use crate::support::LogBuffer;

/// Three authenticators, each on its own client, all on `state`.
fn replicas(upstream: &Upstream, state: &Arc<dyn SharedState>) -> [Authenticator; 3] {
    [(); 3].map(|()| {
        builder(upstream)
            .shared_state(Arc::clone(state))
            .build()
            .unwrap()
    })
}

fn in_process() -> Arc<dyn SharedState> {
    Arc::new(InProcess::new())
}

/// Waits (up to 2 s) until `refused` holds on every replica.
async fn until_refused_everywhere<F, Fut>(replicas: &[Authenticator], refused: F)
where
    F: Fn(Authenticator) -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(2);
    for (i, replica) in replicas.iter().enumerate() {
        loop {
            if refused(replica.clone()).await {
                break;
            }
            assert!(Instant::now() < deadline, "replica {i} still accepts");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

fn invalid_token() -> Reply {
    lr_error(401, codes::ACCESS_TOKEN_INVALID, "invalid token")
}

#[tokio::test]
async fn a_sign_out_on_one_replica_is_refused_on_every_replica() {
    let upstream = Upstream::new();
    upstream.user(&["editor"]);
    upstream.always(INVALIDATE, Reply::Json(200, json!({"IsPosted": true})));
    let replicas = replicas(&upstream, &in_process());
    for replica in &replicas {
        replica.authenticate(&token("t")).await.unwrap();
    }
    assert_eq!(upstream.count(VALIDATE), 1, "warm on all three");

    // LoginRadius now refuses the token; the other replicas had it cached.
    upstream.tokens_fail(invalid_token());
    replicas[0].logout(&token("t")).await.unwrap();
    until_refused_everywhere(&replicas, |r| async move {
        r.authenticate(&token("t"))
            .await
            .is_err_and(|e| e.kind() == RejectionKind::InvalidToken)
    })
    .await;
}

#[tokio::test]
async fn a_role_removed_on_one_replica_or_by_an_event_is_refused_on_every_replica() {
    let upstream = Upstream::new();
    upstream.user(&["editor"]);
    let replicas = replicas(&upstream, &in_process());
    let editor = Require::role("editor");
    for replica in &replicas {
        assert!(replica.decide(&bearer("t"), &editor).await.is_allowed());
    }

    // Through replica 0's client: the removal answers `IsDeleted`, the user has no role left.
    upstream.once(
        roles_path(UID),
        Reply::Json(200, json!({"IsDeleted": true})),
    );
    upstream.always(roles_path(UID), Reply::Json(200, json!({"Roles": []})));
    replicas[0]
        .client()
        .roles()
        .unassign(UID, ["editor"])
        .await
        .unwrap();
    let forbidden = |r: Authenticator| async move {
        matches!(
            r.decide(&bearer("t"), &Require::role("editor")).await,
            Decision::Reject(rejection) if rejection.kind() == RejectionKind::Forbidden
        )
    };
    until_refused_everywhere(&replicas, forbidden).await;

    // Given back, then removed at LoginRadius and told by a webhook: one publish.
    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["editor"]})),
    );
    replicas[2]
        .publish(&FleetEvent::RolesChanged { uid: UID.into() })
        .await
        .unwrap();
    until_refused_everywhere(&replicas, |r| async move { !forbidden(r).await }).await;
    upstream.always(roles_path(UID), Reply::Json(200, json!({"Roles": []})));
    replicas[1]
        .publish(&FleetEvent::RolesChanged { uid: UID.into() })
        .await
        .unwrap();
    until_refused_everywhere(&replicas, forbidden).await;
}

#[tokio::test]
async fn a_users_sessions_ended_drop_every_cached_token_of_the_user_on_every_replica() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let replicas = replicas(&upstream, &in_process());
    for replica in &replicas {
        replica.authenticate(&token("t1")).await.unwrap();
        replica.authenticate(&token("t2")).await.unwrap();
    }
    // A password change: LoginRadius refuses the old tokens.
    upstream.tokens_fail(invalid_token());
    replicas[1]
        .publish(&FleetEvent::UserSessionsEnded {
            uid: UID.into(),
            not_before: OffsetDateTime::now_utc(),
        })
        .await
        .unwrap();
    for t in ["t1", "t2"] {
        until_refused_everywhere(&replicas, |r| async move {
            r.authenticate(&token(t)).await.is_err()
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_token_met_by_three_replicas_at_once_is_validated_upstream_once() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    upstream.set_delay(Duration::from_millis(100));
    let replicas = replicas(&upstream, &in_process());
    let mut tasks = Vec::new();
    for replica in &replicas {
        for _ in 0..10 {
            let replica = replica.clone();
            tasks.push(tokio::spawn(async move {
                replica.authenticate(&token("cold")).await
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().uid.as_str(), UID);
    }
    let validations = upstream.count(VALIDATE);
    println!("fleet: cold token, 3 replicas (in-process), upstream validations: {validations}");
    assert_eq!(validations, 1);
    assert_eq!(upstream.count(PROFILE), 1);
}

/// A shared state whose bus the test drives: `InProcess` underneath, its own channel for the
/// signals (so the test can send `Lost` and `Missed`, and count the receivers).
#[derive(Debug, Clone)]
struct Driven {
    inner: InProcess,
    bus: broadcast::Sender<BusSignal>,
    /// How many times a session was read.
    session_reads: Arc<AtomicUsize>,
}

impl Driven {
    fn new() -> Self {
        Self {
            inner: InProcess::new(),
            bus: broadcast::channel(64).0,
            session_reads: Arc::default(),
        }
    }

    fn session_reads(&self) -> usize {
        self.session_reads.load(Ordering::SeqCst)
    }

    fn signal(&self, signal: BusSignal) {
        let _ = self.bus.send(signal);
    }
}

#[async_trait::async_trait]
impl SharedState for Driven {
    async fn publish(&self, event: &FleetEvent) -> FleetResult<()> {
        self.signal(BusSignal::Event(event.clone()));
        Ok(())
    }
    fn subscribe(&self) -> BusReceiver {
        BusReceiver::new(self.bus.subscribe())
    }
    async fn save_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<()> {
        self.inner.save_session(record, ttl).await
    }
    async fn touch_session(&self, record: &SessionRecord, ttl: Duration) -> FleetResult<bool> {
        self.inner.touch_session(record, ttl).await
    }
    async fn session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>> {
        self.session_reads.fetch_add(1, Ordering::SeqCst);
        self.inner.session(id).await
    }
    async fn remove_session(&self, id: &SessionId) -> FleetResult<Option<SessionRecord>> {
        self.inner.remove_session(id).await
    }
    async fn sessions_of(&self, uid: &str) -> FleetResult<Vec<SessionRecord>> {
        self.inner.sessions_of(uid).await
    }
    async fn set_not_before(
        &self,
        uid: &str,
        at: OffsetDateTime,
        ttl: Duration,
    ) -> FleetResult<()> {
        self.inner.set_not_before(uid, at, ttl).await
    }
    async fn not_before(&self, uid: &str) -> FleetResult<Option<OffsetDateTime>> {
        self.inner.not_before(uid).await
    }
    async fn hit(&self, key: &str, window: Duration) -> FleetResult<Hits> {
        self.inner.hit(key, window).await
    }
    async fn clear_hits(&self, key: &str) -> FleetResult<()> {
        self.inner.clear_hits(key).await
    }
    async fn first_sighting(&self, key: &str, ttl: Duration) -> FleetResult<bool> {
        self.inner.first_sighting(key, ttl).await
    }
    async fn memo(&self, key: &str) -> FleetResult<Option<Vec<u8>>> {
        self.inner.memo(key).await
    }
    async fn set_memo(&self, key: &str, value: &[u8], ttl: Duration) -> FleetResult<()> {
        self.inner.set_memo(key, value, ttl).await
    }
    fn health(&self) -> Health {
        self.inner.health()
    }
}

/// Waits (up to 2 s) until the authenticator's health is `up`.
async fn until_health(auth: &Authenticator, up: bool) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while auth.shared_state_health().is_up() != up {
        assert!(
            Instant::now() < deadline,
            "health stayed {:?}",
            auth.shared_state_health()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test]
async fn the_bus_task_ends_with_its_authenticator() {
    let upstream = Upstream::new();
    let state = Driven::new();
    let auth = builder(&upstream)
        .shared_state(Arc::new(state.clone()))
        .build()
        .unwrap();
    let clone = auth.clone();
    assert_eq!(state.bus.receiver_count(), 1, "one task, listening");
    drop(auth);
    tokio::task::yield_now().await;
    assert_eq!(state.bus.receiver_count(), 1, "a clone keeps it");
    drop(clone);
    let deadline = Instant::now() + Duration::from_secs(2);
    while state.bus.receiver_count() > 0 {
        assert!(
            Instant::now() < deadline,
            "the task outlived its authenticator"
        );
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn while_the_bus_is_lost_cached_decisions_are_trusted_only_for_the_window() {
    // The bus task runs on this (current-thread) runtime's thread: its events are captured.
    let logs = LogBuffer::default();
    let _capture = logs.capture();
    let upstream = Upstream::new();
    upstream.user(&["editor"]);
    let state = Driven::new();
    let trust = Duration::from_millis(300);
    let auth = builder(&upstream)
        .shared_state(Arc::new(state.clone()))
        .bus_loss_trust(trust)
        .build()
        .unwrap();
    let editor = Require::role("editor");
    assert!(auth.decide(&bearer("old"), &editor).await.is_allowed());
    assert!(auth.shared_state_health().is_up());

    state.signal(BusSignal::Lost);
    until_health(&auth, false).await;
    let Health::Down { reason, .. } = auth.shared_state_health() else {
        panic!("down");
    };
    assert!(reason.contains("bus"), "{reason}");
    let shown = logs.contents();
    assert!(
        shown.contains("WARN")
            && shown.contains("loginradius::auth")
            && shown.contains("bus is lost"),
        "{shown}"
    );
    // Within the window: served from the caches.
    assert!(auth.decide(&bearer("old"), &editor).await.is_allowed());
    assert_eq!(upstream.count(VALIDATE), 1);
    assert_eq!(upstream.count(&roles_path(UID)), 1);

    tokio::time::sleep(trust + Duration::from_millis(50)).await;
    // A fresh token, validated now, is served from the cache on its second use...
    assert!(auth.decide(&bearer("new"), &editor).await.is_allowed());
    assert!(auth.decide(&bearer("new"), &editor).await.is_allowed());
    assert_eq!(upstream.count(VALIDATE), 2);
    // ...while the old one, validated before the window, is validated again (and its roles
    // read again), once.
    assert!(auth.decide(&bearer("old"), &editor).await.is_allowed());
    assert!(auth.decide(&bearer("old"), &editor).await.is_allowed());
    assert_eq!(upstream.count(VALIDATE), 3);
    assert!(upstream.count(&roles_path(UID)) >= 2);

    // Refused upstream now: an old cached entry is not served past the window.
    upstream.always(roles_path(UID), Reply::Json(200, json!({"Roles": []})));
    tokio::time::sleep(trust + Duration::from_millis(50)).await;
    let Decision::Reject(rejection) = auth.decide(&bearer("old"), &editor).await else {
        panic!("the roles were read again");
    };
    assert_eq!(rejection.kind(), RejectionKind::Forbidden);

    // Back: events may have been missed, everything cached is dropped; trusted again after.
    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["editor"]})),
    );
    let validations = upstream.count(VALIDATE);
    state.signal(BusSignal::Missed);
    until_health(&auth, true).await;
    assert!(
        logs.contents()
            .contains("may have been missed: caches dropped")
    );
    assert!(auth.decide(&bearer("new"), &editor).await.is_allowed());
    assert_eq!(
        upstream.count(VALIDATE),
        validations + 1,
        "dropped on Missed"
    );
    tokio::time::sleep(trust + Duration::from_millis(50)).await;
    assert!(auth.decide(&bearer("new"), &editor).await.is_allowed());
    assert_eq!(upstream.count(VALIDATE), validations + 1, "trusted again");
}

#[tokio::test]
async fn publishing_fails_loudly_but_the_local_eviction_holds() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let auth = builder(&upstream)
        .shared_state(Arc::new(Unreachable(InProcess::new())))
        .build()
        .unwrap();
    auth.authenticate(&token("t")).await.unwrap();
    upstream.tokens_fail(invalid_token());
    let error = auth
        .publish(&FleetEvent::token_revoked("t"))
        .await
        .expect_err("the shared state is down");
    assert!(error.to_string().contains("unavailable"), "{error}");
    assert_eq!(
        auth.authenticate(&token("t")).await.unwrap_err().kind(),
        RejectionKind::InvalidToken
    );
    assert!(!auth.shared_state_health().is_up());
}

/// A shared state whose store cannot be reached: everything but the bus fails.
#[derive(Debug)]
struct Unreachable(InProcess);

fn down<T>() -> FleetResult<T> {
    Err(loginradius::fleet::SharedStateError::unavailable(
        "test",
        "unreachable",
    ))
}

#[async_trait::async_trait]
impl SharedState for Unreachable {
    async fn publish(&self, _: &FleetEvent) -> FleetResult<()> {
        down()
    }
    fn subscribe(&self) -> BusReceiver {
        self.0.subscribe()
    }
    async fn save_session(&self, _: &SessionRecord, _: Duration) -> FleetResult<()> {
        down()
    }
    async fn touch_session(&self, _: &SessionRecord, _: Duration) -> FleetResult<bool> {
        down()
    }
    async fn session(&self, _: &SessionId) -> FleetResult<Option<SessionRecord>> {
        down()
    }
    async fn remove_session(&self, _: &SessionId) -> FleetResult<Option<SessionRecord>> {
        down()
    }
    async fn sessions_of(&self, _: &str) -> FleetResult<Vec<SessionRecord>> {
        down()
    }
    async fn set_not_before(&self, _: &str, _: OffsetDateTime, _: Duration) -> FleetResult<()> {
        down()
    }
    async fn not_before(&self, _: &str) -> FleetResult<Option<OffsetDateTime>> {
        down()
    }
    async fn hit(&self, _: &str, _: Duration) -> FleetResult<Hits> {
        down()
    }
    async fn clear_hits(&self, _: &str) -> FleetResult<()> {
        down()
    }
    async fn first_sighting(&self, _: &str, _: Duration) -> FleetResult<bool> {
        down()
    }
    async fn memo(&self, _: &str) -> FleetResult<Option<Vec<u8>>> {
        down()
    }
    async fn set_memo(&self, _: &str, _: &[u8], _: Duration) -> FleetResult<()> {
        down()
    }
    fn health(&self) -> Health {
        Health::Down {
            since: OffsetDateTime::now_utc(),
            reason: "unreachable".into(),
        }
    }
}

/// A registered session of the scripted user, saved in `state`, and the token source that
/// reads it from every request (as the session cookie's source does).
async fn registered_session(state: &dyn SharedState) -> (SessionId, TokenExtractor) {
    let id = SessionId::generate();
    let now = OffsetDateTime::now_utc();
    let record = SessionRecord {
        id: id.clone(),
        uid: UID.to_owned(),
        created_at: now,
        last_seen: now,
        user_agent: "test".into(),
        proof: ProofMethod::Password,
        proven_at: now,
        sealed_token: None,
    };
    state
        .save_session(&record, Duration::from_secs(600))
        .await
        .unwrap();
    let claim = SessionClaim {
        id: id.clone(),
        uid: UID.to_owned(),
    };
    let source = TokenSource::custom(move |_| Extracted::FromSession {
        token: token("from-session"),
        session: claim.clone(),
    });
    (id, TokenExtractor::none().with(source))
}

/// The warm path of a session-cookie request reads the registry once, not per request; the
/// registry alone does not end the cached answer (it is trusted until the bus says otherwise,
/// at most the trust window), `SessionEnded` does at once, and a lost bus drops the answers.
#[tokio::test]
async fn session_requests_read_the_registry_once_and_the_bus_ends_the_cached_answer() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let state = Driven::new();
    let (id, sources) = registered_session(&state).await;
    let auth = builder(&upstream)
        .shared_state(Arc::new(state.clone()))
        .token_sources(sources)
        .build()
        .unwrap();
    let headers = http::HeaderMap::new();
    for _ in 0..100 {
        auth.authenticate_headers(&headers).await.unwrap();
    }
    assert_eq!(
        state.session_reads(),
        1,
        "one registry read for 100 requests"
    );

    // A bus loss drops the answers: the next request asks the registry again.
    state.signal(BusSignal::Lost);
    until_health(&auth, false).await;
    auth.authenticate_headers(&headers).await.unwrap();
    assert_eq!(state.session_reads(), 2);
    state.signal(BusSignal::Missed);
    until_health(&auth, true).await;

    // Ended elsewhere: removed from the registry and announced. Refused at once, as an
    // invalid token, though the token itself is still valid upstream.
    state.inner.remove_session(&id).await.unwrap();
    state.signal(BusSignal::Event(FleetEvent::SessionEnded {
        session: id.clone(),
        uid: UID.to_owned(),
    }));
    let deadline = Instant::now() + Duration::from_secs(2);
    let refused = loop {
        match auth.authenticate_headers(&headers).await {
            Err(refused) => break refused,
            Ok(_) => assert!(Instant::now() < deadline, "still accepted"),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert_eq!(refused.kind(), RejectionKind::InvalidToken);
    // The same token without a session (a Bearer token) is not affected.
    assert!(auth.authenticate(&token("from-session")).await.is_ok());
}

/// A session that predates its user's "not before" is refused; a registry that cannot answer
/// is 503 with `Retry-After` for session requests, while Bearer tokens keep working.
#[tokio::test]
async fn sessions_before_not_before_are_refused_and_an_unreachable_registry_is_503() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let state = in_process();
    let (_, sources) = registered_session(&*state).await;
    let auth = builder(&upstream)
        .shared_state(Arc::clone(&state))
        .token_sources(sources.clone())
        .build()
        .unwrap();
    let headers = http::HeaderMap::new();
    auth.authenticate_headers(&headers).await.unwrap();
    let later = OffsetDateTime::now_utc() + time::Duration::seconds(1);
    state
        .set_not_before(UID, later, Duration::from_secs(600))
        .await
        .unwrap();
    auth.publish(&FleetEvent::UserSessionsEnded {
        uid: UID.to_owned(),
        not_before: later,
    })
    .await
    .unwrap();
    let refused = auth.authenticate_headers(&headers).await.unwrap_err();
    assert_eq!(refused.kind(), RejectionKind::InvalidToken);

    let down = builder(&upstream)
        .shared_state(Arc::new(Unreachable(InProcess::new())))
        .token_sources(sources)
        .build()
        .unwrap();
    let refused = down.authenticate_headers(&headers).await.unwrap_err();
    assert_eq!(refused.kind(), RejectionKind::Unavailable);
    assert!(refused.retry_after().is_some());
    assert!(down.authenticate(&token("from-session")).await.is_ok());
}

#[tokio::test]
async fn failed_token_lookups_are_limited_per_client_across_replicas() {
    let upstream = Upstream::new();
    upstream.tokens_fail(invalid_token());
    let state = in_process();
    let replica = || {
        builder(&upstream)
            .shared_state(Arc::clone(&state))
            .failed_lookup_limit(3, Duration::from_secs(60))
            .build()
            .unwrap()
    };
    let (a, b) = (replica(), replica());
    let attacker = a.client_addr(
        Some("203.0.113.7".parse().unwrap()),
        &http::HeaderMap::new(),
    );
    let other = a.client_addr(
        Some("198.51.100.2".parse().unwrap()),
        &http::HeaderMap::new(),
    );
    for i in 0..3 {
        let r = a
            .authenticate_from(&bearer(&format!("made-up-{i}")), &attacker)
            .await
            .unwrap_err();
        assert_eq!(r.kind(), RejectionKind::InvalidToken);
    }
    assert_eq!(upstream.count(VALIDATE), 3, "one call per made-up token");
    // The other replica knows: 429 with Retry-After, no call.
    let r = b
        .authenticate_from(&bearer("made-up-4"), &attacker)
        .await
        .unwrap_err();
    assert_eq!(r.kind(), RejectionKind::TooManyRequests);
    assert_eq!(r.status(), http::StatusCode::TOO_MANY_REQUESTS);
    assert!(r.retry_after().unwrap() >= Duration::from_secs(1));
    assert!(r.headers().contains_key(http::header::RETRY_AFTER));
    assert_eq!(upstream.count(VALIDATE), 3);
    // Another client is not limited.
    let r = b
        .authenticate_from(&bearer("made-up-5"), &other)
        .await
        .unwrap_err();
    assert_eq!(r.kind(), RejectionKind::InvalidToken);
    assert_eq!(upstream.count(VALIDATE), 4);
}

#[tokio::test]
async fn with_the_shared_state_down_cold_lookups_of_a_client_fail_closed_and_cached_users_pass() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let auth = builder(&upstream)
        .shared_state(Arc::new(Unreachable(InProcess::new())))
        .build()
        .unwrap();
    // Cached before (through a path without client limits).
    auth.authenticate(&token("known")).await.unwrap();
    let client = auth.client_addr(Some("192.0.2.9".parse().unwrap()), &http::HeaderMap::new());
    // The warm path never asks the shared state.
    for _ in 0..3 {
        assert_eq!(
            auth.authenticate_from(&bearer("known"), &client)
                .await
                .unwrap()
                .uid,
            UID
        );
    }
    let calls = upstream.count(VALIDATE);
    let r = auth
        .authenticate_from(&bearer("never-seen"), &client)
        .await
        .unwrap_err();
    assert_eq!(r.kind(), RejectionKind::Unavailable);
    assert_eq!(upstream.count(VALIDATE), calls, "refused before any call");
}
