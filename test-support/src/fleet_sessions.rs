//! Sessions across replicas, as the guards see them: the scenarios of
//! [`fleet_session_scenarios!`](crate::fleet_session_scenarios), run by both adapters with the
//! in-process shared state and with Redis.
//!
//! Each scenario starts two replicas of one app (`serve`, as for the route-flow scenarios, with
//! the guarded `GET /me` beside the helpers under `/auth`) on one emulator, with one cookie key
//! and one shared state, and drives them over real HTTP: a session ended through replica A is
//! refused by the guard of replica B within a second; the idle and absolute timeouts refuse a
//! session at the guard, while an active session outlives the idle timeout; with Redis killed
//! the guard answers 503 with `Retry-After` (never 200 past the trust window, never a
//! sign-out), and the same session works again once Redis is back.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use loginradius::auth::{Authenticator, SessionTimeouts, TokenExtractor};
use loginradius::fleet::{InProcess, SharedState};
use loginradius::web::{CookieSecurity, FlowConfig, Flows, SessionCookie};
use loginradius_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

use crate::e2e::{PASSWORD, client, user};
use crate::redis_server::RedisServer;
use crate::route_flows::{Serve, Server, TRUSTED_ORIGIN};

/// Generates the scenarios of this module for an adapter: `$serve` is its `async fn(Flows,
/// &'static str) -> Server` (mounting the guarded `GET /me`), `$connect` an `async
/// fn(String) -> Arc<dyn SharedState>` connecting a Redis shared state to a URL. Two modules
/// of tests: `fleet_sessions_in_process` and `fleet_sessions_redis`.
#[macro_export]
macro_rules! fleet_session_scenarios {
    ($serve:ident, $connect:ident) => {
        mod fleet_sessions_in_process {
            $crate::fleet_session_scenarios!(@tests $serve,
                $crate::fleet_sessions::InProcessFleet::default();
                a_session_ended_on_one_replica_is_refused_by_the_guard_of_another,
                idle_and_absolute_timeouts_refuse_the_session_at_the_guard,
                a_busy_session_outlives_its_first_token_and_an_idle_one_does_not);
        }
        mod fleet_sessions_redis {
            $crate::fleet_session_scenarios!(@tests $serve,
                $crate::fleet_sessions::RedisFleet::start(super::$connect);
                a_session_ended_on_one_replica_is_refused_by_the_guard_of_another,
                idle_and_absolute_timeouts_refuse_the_session_at_the_guard,
                a_busy_session_outlives_its_first_token_and_an_idle_one_does_not,
                the_guard_answers_503_while_redis_is_down_and_the_session_survives_it);
        }
    };
    (@tests $serve:ident, $fleet:expr; $($scenario:ident),+) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $scenario() {
            $crate::fleet_sessions::$scenario(super::$serve, $fleet).await;
        }
    )+};
}

/// Where the replicas' shared state comes from.
pub trait Fleet {
    /// The shared state of one more replica.
    fn replica(&self) -> impl Future<Output = Arc<dyn SharedState>>;
}

/// One in-process state shared by the replicas (one process).
#[derive(Debug, Default)]
pub struct InProcessFleet(InProcess);

impl Fleet for InProcessFleet {
    async fn replica(&self) -> Arc<dyn SharedState> {
        Arc::new(self.0.clone())
    }
}

/// A real Redis (with persistence, see [`RedisServer::start_persistent`]), one connection per
/// replica.
pub struct RedisFleet<C> {
    /// The server, to kill and restart.
    pub server: RedisServer,
    connect: C,
}

impl<C, F> RedisFleet<C>
where
    C: Fn(String) -> F,
    F: Future<Output = Arc<dyn SharedState>>,
{
    /// Starts a Redis; `connect` makes a replica's shared state from its URL.
    pub fn start(connect: C) -> Self {
        Self {
            server: RedisServer::start_persistent(),
            connect,
        }
    }
}

impl<C, F> Fleet for RedisFleet<C>
where
    C: Fn(String) -> F,
    F: Future<Output = Arc<dyn SharedState>>,
{
    async fn replica(&self) -> Arc<dyn SharedState> {
        (self.connect)(self.server.url()).await
    }
}

/// Two replicas of one app, and a client.
struct Replicas {
    // Declared first: the apps stop before the emulator they call.
    a: Server,
    b: Server,
    _emulator: Emulator,
    http: reqwest::Client,
}

/// One answer of `GET /me`.
#[derive(Debug)]
struct Me {
    status: u16,
    retry_after: Option<String>,
    /// The session cookie it set (`name=value`), if any.
    set_cookie: Option<String>,
}

async fn replicas(
    serve: impl Serve + Copy,
    fleet: &impl Fleet,
    timeouts: SessionTimeouts,
) -> Replicas {
    replicas_with(serve, fleet, timeouts, None).await
}

/// [`replicas`], with access tokens that live `token_ttl` at LoginRadius and are renewed
/// `renew_before` their expiry.
async fn replicas_with(
    serve: impl Serve + Copy,
    fleet: &impl Fleet,
    timeouts: SessionTimeouts,
    short_tokens: Option<(Duration, Duration)>,
) -> Replicas {
    let mut config = EmulatorConfig::default().with_user(user("sam@example.com"));
    if let Some((token_ttl, _)) = short_tokens {
        config = config.with_token_ttl(token_ttl);
    }
    let emulator = Emulator::start(config).await.unwrap();
    // One cookie key for the fleet.
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let mut servers = Vec::new();
    for _ in 0..2 {
        let authenticator = Authenticator::builder(client(&emulator))
            .token_sources(TokenExtractor::bearer().with(session.token_source()))
            .shared_state(fleet.replica().await)
            .session_timeouts(timeouts)
            .build()
            .unwrap();
        let mut flows = Flows::new(authenticator, session.clone()).unwrap();
        if let Some((_, renew_before)) = short_tokens {
            flows = flows.config(FlowConfig::default().renew_before(renew_before));
        }
        servers.push(serve.serve(flows, TRUSTED_ORIGIN).await);
    }
    let b = servers.pop().unwrap();
    let a = servers.pop().unwrap();
    Replicas {
        a,
        b,
        _emulator: emulator,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
    }
}

impl Replicas {
    /// Signs Sam in on `server`; the session cookie (`name=value`).
    async fn login(&self, server: &Server) -> String {
        let response = self
            .http
            .post(format!("{}/auth/login", server.base()))
            .json(&json!({"email": "sam@example.com", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let set = response.headers()["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().to_owned()
    }

    async fn me(&self, server: &Server, cookie: &str) -> Me {
        let response = self
            .http
            .get(format!("{}/me", server.base()))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        Me {
            status: response.status().as_u16(),
            retry_after: response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned()),
            set_cookie: response
                .headers()
                .get("set-cookie")
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned()),
        }
    }

    async fn post(&self, server: &Server, path: &str, cookie: &str) -> (u16, String) {
        let response = self
            .http
            .post(format!("{}/auth{path}", server.base()))
            .header("cookie", cookie)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.text().await.unwrap_or_default(),
        )
    }
}

/// Two sessions of one user, both accepted by replica B's guard; the other one is ended
/// through replica A (its token stays valid at LoginRadius: only the registry says it ended).
/// B's guard refuses it within a second; the session that ended it is still accepted.
pub async fn a_session_ended_on_one_replica_is_refused_by_the_guard_of_another(
    serve: impl Serve + Copy,
    fleet: impl Fleet,
) {
    let apps = replicas(serve, &fleet, SessionTimeouts::default()).await;
    let (first, second) = (apps.login(&apps.a).await, apps.login(&apps.a).await);
    for cookie in [&first, &second] {
        // Twice: the second answer is the warm one (the cached "live" answer).
        for _ in 0..2 {
            assert_eq!(apps.me(&apps.b, cookie).await.status, 200);
        }
    }
    let (status, body) = apps.post(&apps.a, "/sessions/end-others", &first).await;
    assert_eq!((status, body.as_str()), (200, r#"{"ended":1}"#));
    let ended = Instant::now();
    loop {
        let me = apps.me(&apps.b, &second).await;
        if me.status == 401 {
            break;
        }
        assert_eq!(me.status, 200, "{me:?}");
        assert!(
            ended.elapsed() < Duration::from_secs(1),
            "replica B still accepts the ended session after a second"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    println!(
        "sessions: ended on A, refused by B's guard after {} ms",
        ended.elapsed().as_millis()
    );
    assert_eq!(apps.me(&apps.a, &second).await.status, 401);
    assert_eq!(apps.me(&apps.b, &first).await.status, 200);
}

/// Idle timeout 2 s, absolute 4 s. A session used every 200 ms, on either replica, outlives
/// the idle timeout until the absolute one ends it; a session left alone for longer than the
/// idle timeout is refused by both guards.
pub async fn idle_and_absolute_timeouts_refuse_the_session_at_the_guard(
    serve: impl Serve + Copy,
    fleet: impl Fleet,
) {
    let timeouts = SessionTimeouts {
        idle: Duration::from_secs(2),
        absolute: Duration::from_secs(4),
    };
    let apps = replicas(serve, &fleet, timeouts).await;
    let (busy, idle) = (apps.login(&apps.a).await, apps.login(&apps.b).await);
    let started = Instant::now();
    assert_eq!(apps.me(&apps.a, &idle).await.status, 200);
    let mut flip = false;
    let refused_at = loop {
        let server = if flip { &apps.a } else { &apps.b };
        flip = !flip;
        let me = apps.me(server, &busy).await;
        if me.status == 401 {
            break started.elapsed();
        }
        assert_eq!(me.status, 200, "{me:?}");
        assert!(started.elapsed() < Duration::from_secs(8), "never refused");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Past the idle timeout while busy; refused by the absolute one (4 s after its sign-in,
    // which came a little before `started`).
    assert!(
        refused_at > Duration::from_millis(3_000),
        "refused after {refused_at:?}"
    );
    // Unused since `started`: long past its idle timeout.
    for server in [&apps.a, &apps.b] {
        assert_eq!(apps.me(server, &idle).await.status, 401);
    }
}

/// With Redis killed, B's guard answers 503 with `Retry-After` for a session it accepted a
/// moment before (within the trust window it may still answer 200; it never answers 401: no
/// sign-out), and once Redis is back the same session is accepted again.
pub async fn the_guard_answers_503_while_redis_is_down_and_the_session_survives_it<C, F>(
    serve: impl Serve + Copy,
    mut fleet: RedisFleet<C>,
) where
    C: Fn(String) -> F,
    F: Future<Output = Arc<dyn SharedState>>,
{
    let apps = replicas(serve, &fleet, SessionTimeouts::default()).await;
    let cookie = apps.login(&apps.a).await;
    assert_eq!(apps.me(&apps.b, &cookie).await.status, 200);
    fleet.server.kill();
    let killed = Instant::now();
    loop {
        let me = apps.me(&apps.b, &cookie).await;
        if me.status == 503 {
            assert!(me.retry_after.is_some(), "{me:?}");
            break;
        }
        assert_eq!(me.status, 200, "{me:?}");
        assert!(
            killed.elapsed() < Duration::from_secs(8),
            "still 200 long after Redis was killed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Down: 503 every time, not a sign-out.
    for _ in 0..3 {
        assert_eq!(apps.me(&apps.b, &cookie).await.status, 503);
    }
    fleet.server.restart();
    let restarted = Instant::now();
    for server in [&apps.b, &apps.a] {
        loop {
            let me = apps.me(server, &cookie).await;
            if me.status == 200 {
                break;
            }
            assert_eq!(me.status, 503, "{me:?}");
            assert!(
                restarted.elapsed() < Duration::from_secs(20),
                "not accepted again after Redis came back"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    println!(
        "sessions: Redis back, the session accepted again after {} ms",
        restarted.elapsed().as_millis()
    );
}

/// Tokens live 4 s at LoginRadius and are renewed 3 s before they expire; sessions go idle
/// after 3 s. A session used every 250 ms, on either replica, stays signed in for 9 s (more
/// than two tokens' lifetimes) through renewed cookies (same session id); its first cookie's
/// token then had long expired without the renewals. A session left alone is signed out by the
/// idle timeout and is not renewed.
pub async fn a_busy_session_outlives_its_first_token_and_an_idle_one_does_not(
    serve: impl Serve + Copy,
    fleet: impl Fleet,
) {
    let timeouts = SessionTimeouts {
        idle: Duration::from_secs(3),
        absolute: Duration::from_secs(3600),
    };
    let tokens = (Duration::from_secs(4), Duration::from_secs(3));
    let apps = replicas_with(serve, &fleet, timeouts, Some(tokens)).await;
    let (mut busy, idle) = (apps.login(&apps.a).await, apps.login(&apps.a).await);
    let first = busy.clone();
    let started = Instant::now();
    let mut renewals = 0;
    let mut flip = false;
    while started.elapsed() < Duration::from_secs(9) {
        let server = if flip { &apps.a } else { &apps.b };
        flip = !flip;
        let me = apps.me(server, &busy).await;
        assert_eq!(
            me.status,
            200,
            "signed out after {:?}: {me:?}",
            started.elapsed()
        );
        if let Some(cookie) = me.set_cookie {
            assert_ne!(cookie, busy);
            busy = cookie;
            renewals += 1;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(renewals >= 2, "renewed {renewals} times");
    println!("sessions: a busy session renewed {renewals} times in 9 s (4 s tokens)");
    // Left alone for 9 s: signed out (idle), on both replicas, and not renewed.
    for server in [&apps.a, &apps.b] {
        let me = apps.me(server, &idle).await;
        assert_eq!(me.status, 401, "{me:?}");
        assert!(me.set_cookie.is_none(), "{me:?}");
    }
    // The busy session's first cookie carried the first expiry: past, it is no session, while
    // the renewed cookie (same session) still is one.
    assert_eq!(apps.me(&apps.b, &first).await.status, 401);
    assert_eq!(apps.me(&apps.b, &busy).await.status, 200);
}
