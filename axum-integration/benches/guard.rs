//! A protected route with a warm cache vs the same route unprotected, both in process through
//! `oneshot` on a prebuilt `Router`. After the criterion groups, paired timing loops print the
//! throughput ratio protected/unprotected (target ≥ 0.95), in process and over loopback HTTP.
//!
//! Each paired run also measures a reference: the same route behind axum's own pass-through
//! middleware (`middleware::from_fn` calling `next.run`). It is the least any route layer
//! costs, so it shows how much of the protected route's gap is the guard's own work.
//!
//! And a floor: the same middleware doing only the work no warm role guard can skip (bearer
//! token, SHA-256, one moka lookup, the role check; see `guard_bench::floor_allows`). It is the
//! best ratio any guard meeting the issue's requirements could reach on this machine.

use loginradius_test_support::{guard_bench, paired};

use paired::Route;

use std::hint::black_box;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use criterion::{Criterion, criterion_group};
use http::{Request, StatusCode};
use loginradius_axum::{LoginRadiusLayer, Require, RequireAuth};
use tokio::runtime::Runtime;
use tower::ServiceExt;

async fn handler() -> &'static str {
    "ok"
}

fn unprotected() -> Router {
    Router::new().route("/r", get(handler))
}

async fn pass_through(request: AxumRequest, next: Next) -> Response {
    next.run(request).await
}

/// The reference: the route behind axum's own pass-through middleware.
fn pass_through_only() -> Router {
    Router::new()
        .route("/r", get(handler))
        .route_layer(middleware::from_fn(pass_through))
}

async fn floor_guard(request: AxumRequest, next: Next) -> Response {
    let authorization = request.headers().get(http::header::AUTHORIZATION);
    if guard_bench::floor_allows(authorization.map(|value| value.as_bytes())) {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

/// The floor: the route behind a middleware doing only what no warm role guard can skip.
fn floor_only() -> Router {
    Router::new()
        .route("/r", get(handler))
        .route_layer(middleware::from_fn(floor_guard))
}

/// The protected router, and the same authenticator's layer on a route that never asks (the
/// cost of the lazy layer alone).
fn protected(rt: &Runtime) -> Router {
    protected_and_layer_only(rt).0
}

fn protected_and_layer_only(rt: &Runtime) -> (Router, Router) {
    let (authenticator, transport) = guard_bench::authenticator();
    let layer = LoginRadiusLayer::new(authenticator);
    let app = Router::new()
        .route("/r", get(handler))
        .route_layer(RequireAuth::new(Require::role("admin")))
        .layer(layer.clone());
    let layer_only = Router::new().route("/r", get(handler)).layer(layer);
    // Warm the cache.
    let status = rt.block_on(call(&app));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(transport.len(), 3);
    (app, layer_only)
}

fn request() -> Request<Body> {
    Request::get("/r")
        .header(
            "authorization",
            concat!("Bearer ", "bench-token-0123456789abcdef"),
        )
        .body(Body::empty())
        .unwrap()
}

async fn call(app: &Router) -> StatusCode {
    app.clone().oneshot(request()).await.unwrap().status()
}

fn guard(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let open = unprotected();
    let reference = pass_through_only();
    guard_bench::assert_floor_decides();
    let floor = floor_only();
    let (guarded, layer_only) = protected_and_layer_only(&rt);
    let mut group = c.benchmark_group("guard");
    group.bench_function("unprotected", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&open).await) })
    });
    group.bench_function("reference_axum_pass_through_middleware", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&reference).await) })
    });
    group.bench_function("floor_guard", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&floor).await) })
    });
    group.bench_function("layer_only_route_never_asks", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&layer_only).await) })
    });
    group.bench_function("protected_warm", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&guarded).await) })
    });
    group.finish();
}

/// Paired measurement: alternating rounds of each side, the ratio taken round by round (see
/// `paired::report`); prints requests per second and the ratios.
fn ratio() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let open = unprotected();
    let reference = pass_through_only();
    let floor = floor_only();
    let guarded = protected(&rt);
    const PER_ROUND: u32 = 5_000;
    paired::report(
        "in process (oneshot on a prebuilt Router, current-thread runtime)",
        "axum",
        PER_ROUND,
        |route| {
            let app = match route {
                Route::Unprotected => &open,
                Route::PassThrough => &reference,
                Route::Floor => &floor,
                Route::Protected => &guarded,
            };
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..PER_ROUND {
                    assert_eq!(black_box(call(app).await), StatusCode::OK);
                }
                start.elapsed()
            })
        },
    );
}

/// The same routes served by `axum::serve` on loopback and called by a keep-alive HTTP
/// client, server and client on one current-thread runtime (so each request's whole CPU cost is
/// on one core): the ratio as an application sees it.
fn ratio_over_http() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let guarded = protected(&rt);
    let (open_url, reference_url, floor_url, guarded_url) = rt.block_on(async {
        (
            serve(unprotected()).await,
            serve(pass_through_only()).await,
            serve(floor_only()).await,
            serve(guarded).await,
        )
    });
    let http = reqwest::Client::new();
    const PER_ROUND: u32 = 500;
    paired::report(
        "over loopback HTTP (axum::serve + keep-alive client, current-thread runtime)",
        "axum",
        PER_ROUND,
        |route| {
            let url = match route {
                Route::Unprotected => &open_url,
                Route::PassThrough => &reference_url,
                Route::Floor => &floor_url,
                Route::Protected => &guarded_url,
            };
            rt.block_on(guard_bench::http_round(&http, url, PER_ROUND))
        },
    );
}

/// Serves `app` on an ephemeral loopback port; its URL for `/r`.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/r", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

criterion_group!(benches, guard);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratio();
    ratio_over_http();
}
