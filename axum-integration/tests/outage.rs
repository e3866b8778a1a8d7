//! When LoginRadius is slow or down (issue #16), end to end over loopback HTTP: an axum app
//! served with `axum::serve`, called with reqwest, its authenticator talking HTTP to the
//! emulator, whose fault injection plays the outage. Every cold request is refused with 503
//! within the decision's deadline, a long `Retry-After` is passed on at once, an open circuit
//! refuses without calling, a probe closes it, and the bulkhead bounds the upstream calls.
//! Time bounds are generous (a loaded 2-core machine): they check refusals, not speed.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use loginradius::auth::{Authenticator, CircuitState};
use loginradius::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer, Require, RequireAuth};
use loginradius_emulator::{Emulator, EmulatorConfig, Fault, SeedUser};

const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
const PROFILE: &str = "/identity/v2/auth/account";

/// The upstream deadline of every decision in these tests.
const DEADLINE: Duration = Duration::from_secs(1);
/// The slack allowed past the deadline for one refusal.
const SLACK: Duration = Duration::from_millis(500);

/// The app's transport to LoginRadius, counting the requests it has open at once.
#[derive(Default)]
struct Counting {
    inner: Option<ReqwestTransport>,
    open: AtomicU64,
    max_open: AtomicU64,
}

impl Transport for Counting {
    fn send<'a, 'b>(
        &'a self,
        request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'b>>
    where
        'a: 'b,
        Self: 'b,
    {
        Box::pin(async move {
            let now = self.open.fetch_add(1, Ordering::AcqRel) + 1;
            self.max_open.fetch_max(now, Ordering::AcqRel);
            // Closed when the request ends or is dropped (cut at the deadline).
            struct Close<'c>(&'c AtomicU64);
            impl Drop for Close<'_> {
                fn drop(&mut self) {
                    self.0.fetch_sub(1, Ordering::AcqRel);
                }
            }
            let _close = Close(&self.open);
            match &self.inner {
                Some(inner) => inner.send(request).await,
                None => Err(TransportError::connect("no transport")),
            }
        })
    }
}

struct Setup {
    transport: Arc<Counting>,
    emulator: Emulator,
    client: LoginRadius,
    auth: Authenticator,
    base: String,
    http: reqwest::Client,
}

/// An app whose authenticator has a 1 s deadline, a circuit opening after `threshold`
/// failures for `cool_down`, and at most `bulkhead` upstream calls in flight. The client
/// retries like a production one (twice, honouring `Retry-After`) with a 20 s timeout: only the
/// deadline keeps a request short.
async fn setup(threshold: u32, cool_down: Duration, bulkhead: usize) -> Setup {
    let emulator = Emulator::start(
        EmulatorConfig::default()
            .with_role("admin", ["manage_users"])
            .with_user(SeedUser::new("ada@example.com", "password123").roles(["admin"])),
    )
    .await
    .unwrap();
    let transport = Arc::new(Counting {
        inner: Some(ReqwestTransport::new(Duration::from_secs(5)).unwrap()),
        ..Counting::default()
    });
    let client = LoginRadius::builder()
        .shared_transport(Arc::clone(&transport) as Arc<dyn Transport>)
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .retry(RetryPolicy::default())
        .request_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let auth = Authenticator::builder(client.clone())
        .upstream_deadline(DEADLINE)
        .circuit_breaker(threshold, cool_down)
        .max_upstream_lookups(bulkhead)
        .build()
        .unwrap();
    let app = Router::new()
        .route("/admin", get(|| async { "admin area" }))
        .route_layer(RequireAuth::new(Require::role("admin")))
        .route(
            "/me",
            get(|user: AuthenticatedUser| async move { user.uid.to_string() }),
        )
        .layer(LoginRadiusLayer::new(auth.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Setup {
        transport,
        emulator,
        client,
        auth,
        base,
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .unwrap(),
    }
}

impl Setup {
    async fn login(&self) -> String {
        let login = self
            .client
            .auth()
            .login_by_email("ada@example.com", "password123")
            .await
            .unwrap();
        login.access_token.expose().to_owned()
    }

    /// The status, `Retry-After` (seconds) and time taken of `GET path` with `token`.
    async fn get(&self, path: &str, token: &str) -> (u16, Option<u64>, Duration) {
        fetch(&self.http, &self.base, path, token).await
    }

    fn upstream_calls(&self) -> u64 {
        self.emulator.calls("GET", VALIDATE) + self.emulator.calls("GET", PROFILE)
    }
}

async fn fetch(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    token: &str,
) -> (u16, Option<u64>, Duration) {
    let started = Instant::now();
    let response = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (response.status().as_u16(), retry_after, took)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_15_second_latency_refuses_every_cold_request_within_the_deadline() {
    let setup = setup(u32::MAX, Duration::from_secs(10), 32).await;
    let warm = setup.login().await;
    let cold = setup.login().await;
    assert_eq!(setup.get("/admin", &warm).await.0, 200);
    setup
        .emulator
        .add_fault(Fault::latency(Duration::from_secs(15)))
        .unwrap();
    for path in ["/me", "/admin", "/me"] {
        let (status, retry_after, took) = setup.get(path, &cold).await;
        assert_eq!(status, 503, "{path}");
        assert!(retry_after.is_some_and(|s| s >= 1), "{path}");
        assert!(took < DEADLINE + SLACK, "{path}: refused after {took:?}");
    }
    // The warm user keeps working during the outage.
    assert_eq!(setup.get("/admin", &warm).await.0, 200);
    // When it ends, the cold user gets in (failures were not cached).
    setup.emulator.clear_faults();
    assert_eq!(setup.get("/admin", &cold).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_a_long_retry_after_is_a_503_at_once_carrying_it() {
    let setup = setup(u32::MAX, Duration::from_secs(10), 32).await;
    let cold = setup.login().await;
    setup.emulator.add_fault(Fault::rate_limited(120)).unwrap();
    setup.emulator.reset_stats();
    let (status, retry_after, took) = setup.get("/me", &cold).await;
    assert_eq!(status, 503);
    assert_eq!(retry_after, Some(120), "LoginRadius's delay is passed on");
    assert!(took < DEADLINE, "the wait was not started: {took:?}");
    assert_eq!(
        setup.emulator.calls("GET", VALIDATE),
        1,
        "no retry was made"
    );
    setup.emulator.clear_faults();
    assert_eq!(setup.get("/me", &cold).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_circuit_refuses_at_once_and_a_probe_closes_it() {
    let cool_down = Duration::from_secs(2);
    let setup = setup(3, cool_down, 32).await;
    let token = setup.login().await;
    // Invalid tokens are answers, not failures: the circuit stays closed.
    for i in 0..5 {
        assert_eq!(setup.get("/me", &format!("not-a-token-{i}")).await.0, 401);
    }
    assert_eq!(
        setup.auth.upstream_health().tokens,
        CircuitState::Closed { failures: 0 }
    );

    setup.emulator.add_fault(Fault::status(500)).unwrap();
    // Each cold request is one failed lookup (validation and profile): the third opens it.
    for _ in 0..3 {
        assert_eq!(setup.get("/me", &token).await.0, 503);
    }
    let health = setup.auth.upstream_health();
    assert!(
        matches!(health.tokens, CircuitState::Open { .. }),
        "{health:?}"
    );
    assert!(!health.is_up());
    assert_eq!(health.roles, CircuitState::Closed { failures: 0 });

    // Now LoginRadius hangs: the open circuit refuses without calling it.
    setup.emulator.clear_faults();
    setup
        .emulator
        .add_fault(Fault::latency(Duration::from_secs(15)))
        .unwrap();
    let calls = setup.upstream_calls();
    for _ in 0..10 {
        let (status, retry_after, took) = setup.get("/me", &token).await;
        assert_eq!(status, 503);
        assert!(
            retry_after.is_some_and(|s| (1..=2).contains(&s)),
            "the rest of the cool-down: {retry_after:?}"
        );
        assert!(took < Duration::from_millis(200), "refused after {took:?}");
    }
    assert_eq!(setup.upstream_calls(), calls, "no call while open");

    // The outage ends; after the cool-down the next request is the probe, and it gets in.
    setup.emulator.clear_faults();
    tokio::time::sleep(cool_down + Duration::from_millis(100)).await;
    assert_eq!(setup.auth.upstream_health().tokens, CircuitState::HalfOpen);
    assert_eq!(setup.get("/admin", &token).await.0, 200);
    assert_eq!(
        setup.auth.upstream_health().tokens,
        CircuitState::Closed { failures: 0 }
    );
    assert!(setup.auth.upstream_health().is_up());
}

/// Resident memory of this process, in bytes (Linux).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_200_cold_requests_stays_within_the_bulkhead() {
    const BULKHEAD: usize = 8;
    let setup = Arc::new(setup(u32::MAX, Duration::from_secs(10), BULKHEAD).await);
    let warm = setup.login().await;
    assert_eq!(setup.get("/me", &warm).await.0, 200);
    setup
        .emulator
        .add_fault(Fault::latency(Duration::from_secs(15)))
        .unwrap();
    // The burst's 200 connections to the app are opened first (200 SYNs at once can overflow
    // the listen backlog, and a retransmitted SYN waits a second): the clock then measures the
    // app, not TCP.
    let mut warm_up = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let setup = Arc::clone(&setup);
        warm_up.spawn(async move { fetch(&setup.http, &setup.base, "/me", "").await.0 });
    }
    assert!(warm_up.join_all().await.iter().all(|s| *s == 401));
    setup.emulator.reset_stats();
    setup.transport.max_open.store(0, Ordering::Release);
    let before = rss();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let setup = Arc::clone(&setup);
        tasks.spawn(async move {
            fetch(&setup.http, &setup.base, "/me", &format!("cold-token-{i}")).await
        });
    }
    let answers = tasks.join_all().await;
    let burst = started.elapsed();
    for (status, retry_after, took) in &answers {
        assert_eq!(*status, 503);
        assert!(retry_after.is_some());
        assert!(
            *took < DEADLINE + Duration::from_secs(1),
            "refused after {took:?}"
        );
    }
    assert!(burst < Duration::from_secs(5), "the burst took {burst:?}");
    let max = setup.transport.max_open.load(Ordering::Acquire);
    assert!(
        (1..=BULKHEAD as u64).contains(&max),
        "{max} upstream requests open at once"
    );
    // The emulator saw them (it may count a cut request a moment longer, until it notices).
    assert!(setup.emulator.max_in_flight() >= 1);
    assert_eq!(setup.auth.upstream_health().max_in_flight, BULKHEAD);
    let growth = rss().saturating_sub(before);
    assert!(growth < 50 * 1024 * 1024, "memory grew by {growth} bytes");
    // The warm user was never affected.
    assert_eq!(setup.get("/me", &warm).await.0, 200);
}

/// The layer looks the user up and the guard authorizes later in the same request: both steps
/// share the request's one budget. Token validation and the Role API each answer after 0.7 s
/// here, 1.4 s together: past the 1 s deadline, so the request is refused at the deadline
/// (with a budget per step it would be let in after 1.4 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layer_and_a_guard_share_one_deadline_per_request() {
    let setup = setup(u32::MAX, Duration::from_secs(10), 32).await;
    let cold = setup.login().await;
    for path in [VALIDATE, "/identity/v2/manage/account/{uid}/role"] {
        setup
            .emulator
            .add_fault(Fault::latency(Duration::from_millis(700)).only_path(path))
            .unwrap();
    }
    let (status, retry_after, took) = setup.get("/admin", &cold).await;
    assert_eq!(
        status, 503,
        "refused when the two steps overrun the one deadline"
    );
    assert!(retry_after.is_some());
    assert!(took < DEADLINE + SLACK, "refused after {took:?}");

    // Each step alone fits: with only the Role API slow, the same request gets in.
    setup.emulator.clear_faults();
    setup
        .emulator
        .add_fault(
            Fault::latency(Duration::from_millis(700))
                .only_path("/identity/v2/manage/account/{uid}/role"),
        )
        .unwrap();
    assert_eq!(setup.get("/admin", &cold).await.0, 200);
}
