//! The warm-cache path of the auth engine: token extraction and cached lookup
//! (`authenticate_headers`), the decision against cached role data (`authorize` for a role and
//! for a permission), and both together (`decide`). Every upstream answer is scripted once and
//! consumed while warming; the measured loops never leave the process.
//!
//! Then the per-request upstream budget of issue 16 (`auth::Budget`), the one change #16 made to
//! the warm path: paired rounds of the warm lookup through `authenticate_headers_within` with a
//! fresh budget per request (as `decide` and the adapters' layer make one per request) against
//! the same lookup with no per-request budget (one budget made before the rounds and never
//! started, so each lookup does what it did before #16, which took none). It prints
//! `summary: core warm budget/previous <ratio> iqr <low>-<high>` (throughput with the budget
//! over throughput without; goal at least 0.98), and checks that no warm lookup starts a
//! budget's clock.
//!
//! Then the same warm decision with the shared state set to Redis (`loginradius-redis`, against
//! a `redis-server` started for the run) beside the default in-process state, in the same run:
//! side by side in criterion, and as a paired ratio (alternating rounds, median of the per-round
//! ratios; goal at most 1.1). Without `redis-server`, that part says so and is skipped.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue};
use loginradius::auth::{Authenticator, AuthenticatorBuilder, Require};
use loginradius::fleet::SharedState;
use loginradius::transport::RecordingTransport;
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_redis::RedisState;
use loginradius_test_support::guard_bench::thread_cpu_time;
use loginradius_test_support::paired::Spread;
use loginradius_test_support::redis_server::RedisServer;
use tokio::runtime::Runtime;

const TOKEN: &str = "bench-token-0123456789abcdef";

fn headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_static("Bearer bench-token-0123456789abcdef"),
    );
    headers
}

/// An authenticator whose caches hold the token's user, the user's roles and the role
/// definitions.
fn warm(rt: &Runtime) -> Authenticator {
    warm_with(rt, |builder| builder)
}

/// [`warm`], with `configure` applied to the builder.
fn warm_with(
    rt: &Runtime,
    configure: impl FnOnce(AuthenticatorBuilder) -> AuthenticatorBuilder,
) -> Authenticator {
    let transport = RecordingTransport::new();
    transport.reply_json(
        200,
        serde_json::json!({"access_token": TOKEN, "expires_in": "2999-01-01T00:00:00Z"}),
    );
    transport.reply_json(200, serde_json::json!({"Uid": "u-1"}));
    transport.reply_json(200, serde_json::json!({"Roles": ["viewer", "admin"]}));
    transport.reply_json(
        200,
        serde_json::json!({"data": [
            {"Name": "viewer", "Permissions": {"read": true}},
            {"Name": "admin", "Permissions": {"read": true, "write": true}}
        ], "Count": 2}),
    );
    let client = LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let builder = Authenticator::builder(client)
        .max_token_ttl(Duration::from_secs(3600))
        .roles_ttl(Duration::from_secs(3600));
    let auth = configure(builder).build().unwrap();
    rt.block_on(async {
        let user = auth.authenticate_headers(&headers()).await.unwrap();
        auth.authorize(&user, &Require::role("admin"))
            .await
            .unwrap();
        auth.authorize(&user, &Require::permission("write"))
            .await
            .unwrap();
    });
    assert_eq!(transport.len(), 4, "warming made every upstream call");
    auth
}

fn authenticator(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let auth = warm(&rt);
    let headers = headers();
    let user = rt.block_on(auth.authenticate_headers(&headers)).unwrap();
    let role = Require::role("admin");
    let permission = Require::permission("write");

    let mut group = c.benchmark_group("authenticator_warm");
    group.bench_function("authenticate_headers", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(auth.authenticate_headers(&headers).await.unwrap()) })
    });
    group.bench_function("authorize_role", |b| {
        b.to_async(&rt)
            .iter(|| async { auth.authorize(&user, &role).await.unwrap() })
    });
    group.bench_function("authorize_permission", |b| {
        b.to_async(&rt)
            .iter(|| async { auth.authorize(&user, &permission).await.unwrap() })
    });
    group.bench_function("authenticate_then_authorize_role", |b| {
        b.to_async(&rt).iter(|| async {
            let user = auth.authenticate_headers(&headers).await.unwrap();
            auth.authorize(&user, &role).await.unwrap();
            black_box(user)
        })
    });
    group.bench_function("decide_role", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(auth.decide(&headers, &role).await.is_allowed()) })
    });
    group.finish();
}

/// Warm lookups per paired round of the budget comparison, and rounds.
const BUDGET_PER_ROUND: u32 = 50_000;
const BUDGET_ROUNDS: usize = 41;

/// The warm lookup with a per-request budget against the same lookup without one (see the
/// module docs): alternating rounds, their order swapped every round, the throughput ratio
/// taken round by round and summarised by its median and interquartile range.
fn budget(_: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let auth = warm(&rt);
    let headers = headers();
    // The previous path: no budget made per request; this one is never started by a warm
    // lookup (checked below), so it is what no budget at all would be.
    let shared = auth.budget();
    let with_budget = || {
        rt.block_on(async {
            let started = thread_cpu_time();
            for _ in 0..BUDGET_PER_ROUND {
                let budget = auth.budget();
                let user = auth
                    .authenticate_headers_within(&headers, None, &budget)
                    .await;
                black_box(user.unwrap());
            }
            thread_cpu_time() - started
        })
    };
    let previous = || {
        rt.block_on(async {
            let started = thread_cpu_time();
            for _ in 0..BUDGET_PER_ROUND {
                let user = auth
                    .authenticate_headers_within(&headers, None, &shared)
                    .await;
                black_box(user.unwrap());
            }
            thread_cpu_time() - started
        })
    };
    // A warm lookup never starts the budget: no deadline is set, no clock read for it.
    let budget = auth.budget();
    rt.block_on(auth.authenticate_headers_within(&headers, None, &budget))
        .unwrap();
    assert!(!budget.is_started(), "a warm lookup started its budget");
    with_budget();
    previous();
    let ratios: Vec<f64> = (0..BUDGET_ROUNDS)
        .map(|round| {
            let (budgeted, before) = if round % 2 == 0 {
                let b = with_budget();
                (b, previous())
            } else {
                let p = previous();
                (with_budget(), p)
            };
            before.as_secs_f64() / budgeted.as_secs_f64()
        })
        .collect();
    assert!(
        !shared.is_started(),
        "a warm lookup started the shared budget"
    );
    println!(
        "authenticator warm lookup with a per-request budget / without ({BUDGET_ROUNDS} paired \
         rounds of {BUDGET_PER_ROUND}; throughput ratio, goal >= 0.98):"
    );
    println!("summary: core warm budget/previous {}", Spread::of(ratios));
}

/// Whether `redis-server` (from `$REDIS_SERVER`, else the `PATH`) can be run.
fn redis_available() -> bool {
    let binary = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".to_owned());
    std::process::Command::new(binary)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Decisions per paired round, and rounds.
const PER_ROUND: u32 = 20_000;
const ROUNDS: usize = 21;

/// The warm `decide` with the Redis shared state beside the default in-process one.
fn shared_state(c: &mut Criterion) {
    if !redis_available() {
        println!(
            "authenticator_warm_shared_state: redis-server is not installed; the Redis side is skipped"
        );
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = RedisServer::start();
    let redis: Arc<dyn SharedState> = Arc::new(
        rt.block_on(RedisState::connect(server.url()))
            .expect("connect to the bench's redis-server"),
    );
    let in_process = warm(&rt);
    let with_redis = warm_with(&rt, |builder| builder.shared_state(Arc::clone(&redis)));
    let headers = headers();
    let role = Require::role("admin");

    let mut group = c.benchmark_group("authenticator_warm_shared_state");
    for (name, auth) in [
        ("decide_role/in_process", &in_process),
        ("decide_role/redis", &with_redis),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| async { black_box(auth.decide(&headers, &role).await.is_allowed()) })
        });
    }
    group.finish();

    // Paired: alternating rounds, each Redis round against the in-process round just before,
    // timed by this thread's CPU time (as the budget pairs above).
    let round = |auth: &Authenticator| {
        rt.block_on(async {
            let started = thread_cpu_time();
            for _ in 0..PER_ROUND {
                black_box(auth.decide(&headers, &role).await.is_allowed());
            }
            thread_cpu_time() - started
        })
    };
    round(&in_process);
    round(&with_redis);
    let ratios: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let base = round(&in_process);
            let redis = round(&with_redis);
            redis.as_secs_f64() / base.as_secs_f64()
        })
        .collect();
    println!(
        "authenticator warm decide, Redis shared state / in-process ({ROUNDS} paired rounds of \
         {PER_ROUND}; cost ratio, goal <= 1.1):"
    );
    println!("summary: core warm redis/in-process {}", Spread::of(ratios));
    drop(with_redis);
    drop(server);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = authenticator, budget, shared_state
}
criterion_main!(benches);
