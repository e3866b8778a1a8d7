//! A protected route with a warm cache vs the same route unprotected, both in process through
//! `actix_web::test::call_service` on a prebuilt service. After the criterion group, paired
//! timing loops print the throughput ratio protected/unprotected, in process and over loopback
//! HTTP. `core_decide_only` measures
//! core's decision alone (no actix), to tell the adapter's share of the cost from core's.
//!
//! Each paired run also measures a reference: the same route behind actix-web's own
//! pass-through middleware (`middleware::from_fn` calling `next.call`). It is the least any
//! middleware costs, so it shows how much of the protected route's gap is the guard's own work.
//!
//! And a floor: the same middleware doing only the work no warm role guard can skip (bearer
//! token, SHA-256, one moka lookup, the role check; see `guard_bench::floor_allows`). It is the
//! best ratio any guard meeting the issue's requirements could reach on this machine.

use loginradius_test_support::{guard_bench, paired};

use guard_bench::TOKEN;

use paired::Route;

use std::future::Future;
use std::hint::black_box;
use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::rt::{System, SystemRunner};
use actix_web::{App, HttpResponse, HttpServer, test, web};
use criterion::async_executor::AsyncExecutor;
use criterion::{Criterion, criterion_group};
use loginradius::auth::Authenticator;
use loginradius_actix::{LoginRadiusConfig, Require, RequireAuth};

/// Criterion's async runner on an actix system (the services are `!Send` and live on it).
struct Actix<'a>(&'a SystemRunner);

impl AsyncExecutor for Actix<'_> {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        self.0.block_on(future)
    }
}

async fn handler() -> &'static str {
    "ok"
}

async fn pass_through(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    next.call(request).await
}

async fn floor_guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let authorization = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION);
    if guard_bench::floor_allows(authorization.map(|value| value.as_bytes())) {
        Ok(next.call(request).await?.map_into_left_body())
    } else {
        Ok(request.into_response(HttpResponse::Unauthorized().finish().map_into_right_body()))
    }
}

fn request() -> actix_http::Request {
    test::TestRequest::get()
        .uri("/r")
        .insert_header(("authorization", format!("Bearer {TOKEN}")))
        .to_request()
}

async fn call<S, B>(app: &S) -> u16
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    app.call(request()).await.unwrap().status().as_u16()
}

/// One timed round of the paired in-process measurement: `IN_PROCESS_PER_ROUND` calls of
/// `$app` on `$system`, each answered 200; how long they took. (A macro: the apps' service
/// types differ.)
macro_rules! in_process_round {
    ($system:expr, $app:expr) => {
        $system.block_on(async {
            let start = Instant::now();
            for _ in 0..IN_PROCESS_PER_ROUND {
                assert_eq!(black_box(call($app).await), 200);
            }
            start.elapsed()
        })
    };
}

/// Requests per round of the paired in-process measurement.
const IN_PROCESS_PER_ROUND: u32 = 5_000;

fn guard(c: &mut Criterion) {
    let system = System::new();
    let (authenticator, transport) = guard_bench::authenticator();
    // The same shape on both sides (a scope with one route); only the guard differs.
    let open = system.block_on(test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator.clone()))
            .service(web::scope("").route("/r", web::get().to(handler))),
    ));
    let reference = system.block_on(test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator.clone()))
            .service(
                web::scope("")
                    .wrap(from_fn(pass_through))
                    .route("/r", web::get().to(handler)),
            ),
    ));
    guard_bench::assert_floor_decides();
    let floor = system.block_on(test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator.clone()))
            .service(
                web::scope("")
                    .wrap(from_fn(floor_guard))
                    .route("/r", web::get().to(handler)),
            ),
    ));
    let guarded = system.block_on(test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator.clone()))
            .service(
                web::scope("")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("/r", web::get().to(handler)),
            ),
    ));
    // Warm the cache.
    assert_eq!(system.block_on(call(&guarded)), 200);
    assert_eq!(transport.len(), 3);

    let mut group = c.benchmark_group("guard");
    group.bench_function("unprotected", |b| {
        b.to_async(Actix(&system))
            .iter(|| async { black_box(call(&open).await) })
    });
    group.bench_function("floor_guard", |b| {
        b.to_async(Actix(&system))
            .iter(|| async { black_box(call(&floor).await) })
    });
    group.bench_function("protected_warm", |b| {
        b.to_async(Actix(&system))
            .iter(|| async { black_box(call(&guarded).await) })
    });
    // The share of core: the same decision without actix (headers already in `http` 1 form).
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap(),
    );
    let require = Require::role("admin");
    group.bench_function("core_decide_only", |b| {
        b.to_async(Actix(&system)).iter(|| async {
            black_box(authenticator.decide(&headers, &require).await.is_allowed())
        })
    });
    group.finish();

    // Paired measurement: alternating rounds of each route, the ratios taken round by round
    // (see `paired::report`); prints requests per second and the ratios.
    paired::report(
        "in process (call_service on a prebuilt service, actix system)",
        "actix",
        IN_PROCESS_PER_ROUND,
        |route| match route {
            Route::Unprotected => in_process_round!(system, &open),
            Route::PassThrough => in_process_round!(system, &reference),
            Route::Floor => in_process_round!(system, &floor),
            Route::Protected => in_process_round!(system, &guarded),
        },
    );
    ratio_over_http(&system, &authenticator);
    assert_eq!(transport.len(), 3, "the warm route made no upstream call");
}

/// The same apps served by `HttpServer` (one worker thread) on loopback and called by a
/// keep-alive HTTP client from the benchmark's thread: the ratio as an application sees it.
fn ratio_over_http(system: &SystemRunner, authenticator: &Authenticator) {
    let config = LoginRadiusConfig::new(authenticator.clone());
    let open = {
        let config = config.clone();
        HttpServer::new(move || {
            App::new()
                .app_data(config.clone())
                .service(web::scope("").route("/r", web::get().to(handler)))
        })
    };
    let reference = {
        let config = config.clone();
        HttpServer::new(move || {
            App::new().app_data(config.clone()).service(
                web::scope("")
                    .wrap(from_fn(pass_through))
                    .route("/r", web::get().to(handler)),
            )
        })
    };
    let floor = {
        let config = config.clone();
        HttpServer::new(move || {
            App::new().app_data(config.clone()).service(
                web::scope("")
                    .wrap(from_fn(floor_guard))
                    .route("/r", web::get().to(handler)),
            )
        })
    };
    let guarded = HttpServer::new(move || {
        App::new().app_data(config.clone()).service(
            web::scope("")
                .wrap(RequireAuth::new(Require::role("admin")))
                .route("/r", web::get().to(handler)),
        )
    });
    // Bound now, run on the benchmark's actix system (each with its one worker thread).
    macro_rules! start {
        ($server:expr) => {{
            let server = $server
                .workers(1)
                .disable_signals()
                .bind(("127.0.0.1", 0))
                .unwrap();
            let url = format!("http://{}/r", server.addrs()[0]);
            system.block_on(async move {
                actix_web::rt::spawn(server.run());
            });
            url
        }};
    }
    let open_url = start!(open);
    let reference_url = start!(reference);
    let floor_url = start!(floor);
    let guarded_url = start!(guarded);
    let http = reqwest::Client::new();
    const PER_ROUND: u32 = 500;
    paired::report(
        "over loopback HTTP (HttpServer, one worker; keep-alive client)",
        "actix",
        PER_ROUND,
        |route| {
            let url = match route {
                Route::Unprotected => &open_url,
                Route::PassThrough => &reference_url,
                Route::Floor => &floor_url,
                Route::Protected => &guarded_url,
            };
            system.block_on(guard_bench::http_round(&http, url, PER_ROUND))
        },
    );
}

criterion_group!(benches, guard);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
