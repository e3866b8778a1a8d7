//! Three authenticators ("replicas"), each with its own `RedisState` to one real `redis-server`,
//! in front of one emulator: a sign-out, a role removal or a user's sessions ended on one is
//! refused on every replica; a new token met by all three is validated upstream once; while
//! Redis is down cached decisions are trusted only for the trust window, and when it is back
//! the replicas resubscribe and drop what they cached.
//!
//! Prints `fleet: invalidation p99 <N> ms over 3 replicas` and
//! `fleet: cold token, 3 replicas, upstream validations: <N>`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use loginradius::auth::{AccessToken, Authenticator, RejectionKind, Require};
use loginradius::fleet::FleetEvent;
use loginradius_redis::RedisState;
use loginradius_test_support::e2e::{self, Emulator, EmulatorConfig, LoginRadius};
use loginradius_test_support::redis_server::RedisServer;
use time::OffsetDateTime;

/// The validation endpoint the authenticator calls for a new token.
const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
const EMAIL: &str = "jane@example.com";

struct Fleet {
    emulator: Emulator,
    /// A client of the app itself (no authenticator): signs in, changes roles behind the
    /// replicas' backs.
    admin: LoginRadius,
    redis: RedisServer,
    replicas: Vec<Authenticator>,
    uid: String,
}

async fn fleet(trust: Duration) -> Fleet {
    let redis = RedisServer::start();
    let (emulator, admin) = e2e::emulator(
        EmulatorConfig::default()
            .with_role("editor", ["publish"])
            .with_user(e2e::user(EMAIL).roles(["editor"])),
    )
    .await;
    let mut replicas = Vec::new();
    for _ in 0..3 {
        let state = RedisState::builder(redis.url())
            .command_timeout(Duration::from_millis(300))
            .connect()
            .await
            .expect("redis");
        let auth = Authenticator::builder(e2e::client(&emulator))
            .shared_state(Arc::new(state))
            .bus_loss_trust(trust)
            .build()
            .expect("authenticator");
        replicas.push(auth);
    }
    let uid = e2e::uid_by_email(&admin, EMAIL).await;
    Fleet {
        emulator,
        admin,
        redis,
        replicas,
        uid,
    }
}

impl Fleet {
    /// A new token of the user.
    async fn sign_in(&self) -> AccessToken {
        AccessToken::new(e2e::token_of(&e2e::login(&self.admin, EMAIL).await))
    }

    /// Every replica accepts `token` (and caches it).
    async fn warm(&self, token: &AccessToken) {
        for (i, replica) in self.replicas.iter().enumerate() {
            replica
                .authenticate(token)
                .await
                .unwrap_or_else(|r| panic!("replica {i} accepts the token: {r}"));
        }
    }

    /// Whether every replica allows `require` for `token`.
    async fn allowed_everywhere(&self, token: &AccessToken, require: &Require) -> Vec<bool> {
        let mut allowed = Vec::new();
        for replica in &self.replicas {
            let ok = match replica.authenticate(token).await {
                Ok(user) => replica.check(user, require).await.is_allowed(),
                Err(_) => false,
            };
            allowed.push(ok);
        }
        allowed
    }

    fn validations(&self) -> u64 {
        self.emulator.calls("GET", VALIDATE)
    }
}

/// Waits (up to 2 s) until `refused` holds on every replica; returns how long it took.
async fn until_everywhere<F, Fut>(replicas: &[Authenticator], refused: F) -> Duration
where
    F: Fn(Authenticator) -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    for (i, replica) in replicas.iter().enumerate() {
        while !refused(replica.clone()).await {
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "replica {i} still accepts"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    started.elapsed()
}

fn refuses(token: &AccessToken) -> impl Fn(Authenticator) -> Pin<bool> + '_ {
    move |replica| {
        let token = token.clone();
        Box::pin(async move {
            replica
                .authenticate(&token)
                .await
                .is_err_and(|r| r.kind() == RejectionKind::InvalidToken)
        })
    }
}

type Pin<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_replica_is_refused_on_every_replica() {
    let fleet = fleet(Duration::from_secs(5)).await;
    let token = fleet.sign_in().await;
    fleet.warm(&token).await;
    fleet.replicas[0].logout(&token).await.expect("logout");
    until_everywhere(&fleet.replicas, refuses(&token)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_removed_through_a_replica_or_told_by_a_webhook_is_refused_on_every_replica() {
    let fleet = fleet(Duration::from_secs(5)).await;
    let token = fleet.sign_in().await;
    let editor = Require::role("editor");
    assert_eq!(
        fleet.allowed_everywhere(&token, &editor).await,
        [true; 3],
        "an editor everywhere (roles cached)"
    );

    // Through replica 0's client: every replica hears it.
    fleet.replicas[0]
        .client()
        .roles()
        .unassign(&fleet.uid, ["editor"])
        .await
        .expect("unassign");
    let started = Instant::now();
    while fleet.allowed_everywhere(&token, &editor).await != [false; 3] {
        assert!(started.elapsed() < Duration::from_secs(2), "still allowed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Behind the replicas' backs (at LoginRadius), then told by a webhook: one publish.
    fleet
        .admin
        .roles()
        .assign(&fleet.uid, ["editor"])
        .await
        .expect("assign");
    fleet.replicas[2]
        .publish(&FleetEvent::RolesChanged {
            uid: fleet.uid.clone(),
        })
        .await
        .expect("publish");
    let started = Instant::now();
    while fleet.allowed_everywhere(&token, &editor).await != [true; 3] {
        assert!(started.elapsed() < Duration::from_secs(2), "still refused");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A replica may have re-read the roles on its own before the event reached it; let the
    // event land everywhere (and the re-reads it causes) before the next change, so that the
    // stale-cache check below sees only what nobody has been told.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        fleet.allowed_everywhere(&token, &editor).await,
        [true; 3],
        "an editor everywhere again (roles cached)"
    );
    fleet
        .admin
        .roles()
        .unassign(&fleet.uid, ["editor"])
        .await
        .expect("unassign");
    assert_eq!(
        fleet.allowed_everywhere(&token, &editor).await,
        [true; 3],
        "cached: nobody told the replicas yet"
    );
    fleet.replicas[1]
        .publish(&FleetEvent::RolesChanged {
            uid: fleet.uid.clone(),
        })
        .await
        .expect("publish");
    let started = Instant::now();
    while fleet.allowed_everywhere(&token, &editor).await != [false; 3] {
        assert!(started.elapsed() < Duration::from_secs(2), "still allowed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_sessions_ended_drop_the_users_cached_tokens_on_every_replica() {
    let fleet = fleet(Duration::from_secs(5)).await;
    let token = fleet.sign_in().await;
    fleet.warm(&token).await;
    let before = fleet.validations();
    fleet.replicas[1]
        .publish(&FleetEvent::UserSessionsEnded {
            uid: fleet.uid.clone(),
            not_before: OffsetDateTime::now_utc(),
        })
        .await
        .expect("publish");
    // Gone from the caches: validated upstream again (one validation between the replicas)...
    tokio::time::sleep(Duration::from_millis(200)).await;
    fleet.warm(&token).await;
    assert!(fleet.validations() > before, "validated upstream again");
    // ...and, once LoginRadius refuses it, refused everywhere.
    fleet
        .admin
        .auth()
        .invalidate_token(token.as_secret().clone())
        .await
        .expect("invalidate");
    fleet.replicas[1]
        .publish(&FleetEvent::UserSessionsEnded {
            uid: fleet.uid.clone(),
            not_before: OffsetDateTime::now_utc(),
        })
        .await
        .expect("publish");
    until_everywhere(&fleet.replicas, refuses(&token)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_reaches_every_replica_quickly() {
    const ROUNDS: usize = 50;
    let fleet = fleet(Duration::from_secs(5)).await;
    let mut times = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let token = fleet.sign_in().await;
        fleet.warm(&token).await;
        // LoginRadius refuses it from now on; the replicas have it cached.
        fleet
            .admin
            .auth()
            .invalidate_token(token.as_secret().clone())
            .await
            .expect("invalidate");
        let publisher = &fleet.replicas[round % 3];
        let started = Instant::now();
        publisher
            .publish(&FleetEvent::token_revoked(token.expose()))
            .await
            .expect("publish");
        until_everywhere(&fleet.replicas, refuses(&token)).await;
        times.push(started.elapsed());
    }
    times.sort();
    let p99 = times[(ROUNDS * 99).div_ceil(100) - 1];
    println!(
        "fleet: invalidation p99 {} ms over 3 replicas",
        p99.as_millis()
    );
    assert!(p99 < Duration::from_secs(1), "p99 {p99:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_token_met_by_three_replicas_at_once_is_validated_upstream_once() {
    let fleet = fleet(Duration::from_secs(5)).await;
    let token = fleet.sign_in().await;
    let before = fleet.validations();
    let mut tasks = Vec::new();
    for replica in &fleet.replicas {
        for _ in 0..20 {
            let (replica, token) = (replica.clone(), token.clone());
            tasks.push(tokio::spawn(
                async move { replica.authenticate(&token).await },
            ));
        }
    }
    for task in tasks {
        let user = task.await.expect("task").expect("accepted");
        assert_eq!(user.uid.as_str(), fleet.uid);
    }
    let validations = fleet.validations() - before;
    println!("fleet: cold token, 3 replicas, upstream validations: {validations}");
    assert_eq!(validations, 1);
}

/// Waits (up to 10 s) until every replica's shared-state health is `up`, probing the store so a
/// backend notices it is back.
async fn until_health(replicas: &[Authenticator], up: bool) {
    let started = Instant::now();
    for replica in replicas {
        while replica.shared_state_health().is_up() != up {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "health stayed {:?}",
                replica.shared_state_health()
            );
            let _ = replica.shared_state().memo("probe").await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_redis_is_down_old_decisions_are_validated_again_and_caches_drop_when_it_is_back() {
    let trust = Duration::from_secs(1);
    let mut fleet = fleet(trust).await;
    let old = fleet.sign_in().await;
    fleet.warm(&old).await;

    fleet.redis.kill();
    until_health(&fleet.replicas, false).await;
    tokio::time::sleep(trust + Duration::from_millis(100)).await;

    // Validated more than the trust window ago: validated upstream again (not served), once.
    let before = fleet.validations();
    fleet.replicas[0].authenticate(&old).await.expect("valid");
    assert_eq!(fleet.validations(), before + 1, "validated again");
    fleet.replicas[0].authenticate(&old).await.expect("valid");
    assert_eq!(fleet.validations(), before + 1, "a fresh entry is served");
    // A token LoginRadius now refuses is refused, though the shared state cannot say so.
    let revoked = fleet.sign_in().await;
    fleet.warm(&revoked).await;
    fleet
        .admin
        .auth()
        .invalidate_token(revoked.as_secret().clone())
        .await
        .expect("invalidate");
    tokio::time::sleep(trust + Duration::from_millis(100)).await;
    for replica in &fleet.replicas {
        assert!(refuses(&revoked)(replica.clone()).await);
    }
    // Publishing fails loudly, the local eviction still happens.
    assert!(
        fleet.replicas[1]
            .publish(&FleetEvent::token_revoked(old.expose()))
            .await
            .is_err()
    );

    fleet.redis.restart();
    until_health(&fleet.replicas, true).await;
    // Resubscribed, and everything cached was dropped (events may have been missed).
    let before = fleet.validations();
    fleet.replicas[2].authenticate(&old).await.expect("valid");
    assert_eq!(fleet.validations(), before + 1, "dropped on reconnection");
    fleet.warm(&old).await;
    fleet.replicas[2].logout(&old).await.expect("logout");
    until_everywhere(&fleet.replicas, refuses(&old)).await;
}
