//! A protected route with a warm cache vs the same route unprotected, both in process through
//! `oneshot` on a prebuilt `Router`. After the criterion group, paired timing loops print each
//! route's throughput and its ratio to the unprotected route's, in process and over loopback
//! HTTP, then the protected route's ratio to the floor's and to each peer's.
//!
//! Each paired run also measures a reference: the same route behind axum's own pass-through
//! middleware (`middleware::from_fn` calling `next.run`). It is the least any route layer
//! costs, so it shows how much of the protected route's gap is the guard's own work.
//!
//! And a floor: the same middleware doing only the work no warm role guard can skip (bearer
//! token, SHA-256, one moka lookup, the role check; see `guard_bench::floor_allows`). It is the
//! best ratio any guard meeting the issue's requirements could reach on this machine.
//!
//! And the peers, what a user would pick instead, each protecting the same route with its
//! documented setup and a warm state: `jwt-authorizer` (an RS256 JWT, keys from a local JWKS
//! file) and `axum-login` (a session in `tower-sessions`' memory store, `permission_required!`).
//!
//! The paired measurement runs in process and over loopback HTTP with 1, 4 and 16 keep-alive
//! connections; the bench ends with one `summary:` line per ratio of the protected route and
//! writes `docs/perf/axum-guard.md` and `docs/perf/axum-guard.svg`.

use loginradius_test_support::{guard_bench, paired};

use paired::Route;

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::hint::black_box;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, post};
use axum_login::tower_sessions::{MemoryStore, SessionManagerLayer};
use axum_login::{
    AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, AuthzBackend, UserId,
    permission_required,
};
use criterion::{Criterion, criterion_group};
use http::{HeaderValue, Request, StatusCode};
use jwt_authorizer::{Authorizer, JwtAuthorizer};
use loginradius_axum::{LoginRadiusLayer, Require, RequireAuth};
use tokio::runtime::Runtime;
use tower::ServiceExt;

/// The peers measured beside our guard.
const PEERS: [Route; 2] = [Route::Peer("jwt-authorizer"), Route::Peer("axum-login")];

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
    let status = rt.block_on(call(&app, &guard_bench::bearer()));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(transport.len(), 3);
    (app, layer_only)
}

/// The claims of the JWT peers' tokens that the role check reads.
#[derive(Clone, serde::Deserialize)]
struct JwtClaims {
    roles: Vec<String>,
}

/// `jwt-authorizer`'s guard on the route: an `Authorizer` from a local JWKS file, checking the
/// `admin` role in the claims (its `check`). jwt-authorizer 0.15 (the latest) is built on axum
/// 0.7, whose response type its layer returns; so on this axum 0.8 route its `Authorizer` runs
/// in axum's `from_fn`, doing what its layer does per request: `extract_token`, then
/// `check_auth` (header, key by `kid`, RS256 signature, expiry, the role check), the token data
/// kept as a request extension.
fn jwt_authorizer(rt: &Runtime) -> Router {
    let authorizer: Authorizer<JwtClaims> = rt
        .block_on(
            JwtAuthorizer::from_jwks(guard_bench::JWKS_PATH)
                .check(|claims: &JwtClaims| claims.roles.iter().any(|role| role == "admin"))
                .build(),
        )
        .unwrap();
    Router::new()
        .route("/r", get(handler))
        .route_layer(middleware::from_fn_with_state(
            Arc::new(authorizer),
            jwt_authorizer_guard,
        ))
}

async fn jwt_authorizer_guard(
    axum::extract::State(authorizer): axum::extract::State<Arc<Authorizer<JwtClaims>>>,
    mut request: AxumRequest,
    next: Next,
) -> Response {
    let Some(token) = authorizer.extract_token(request.headers()) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match authorizer.check_auth(&token).await {
        Ok(data) => {
            request.extensions_mut().insert(data);
            next.run(request).await
        }
        Err(_) => StatusCode::FORBIDDEN.into_response(),
    }
}

/// `axum-login`'s user: its roles are its permissions.
#[derive(Clone, Debug)]
struct LoginUser {
    id: u64,
    roles: HashSet<String>,
    auth_hash: Vec<u8>,
}

impl AuthUser for LoginUser {
    type Id = u64;

    fn id(&self) -> u64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// `axum-login`'s backend: users in memory (the warm state a database-backed one would cache).
#[derive(Clone)]
struct LoginBackend {
    users: Arc<HashMap<u64, LoginUser>>,
}

impl AuthnBackend for LoginBackend {
    type User = LoginUser;
    type Credentials = u64;
    type Error = Infallible;

    async fn authenticate(&self, id: u64) -> Result<Option<LoginUser>, Infallible> {
        Ok(self.users.get(&id).cloned())
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<LoginUser>, Infallible> {
        Ok(self.users.get(id).cloned())
    }
}

impl AuthzBackend for LoginBackend {
    type Permission = String;

    async fn get_user_permissions(&self, user: &LoginUser) -> Result<HashSet<String>, Infallible> {
        Ok(user.roles.clone())
    }
}

async fn login(mut session: AuthSession<LoginBackend>) -> StatusCode {
    let user = session.authenticate(1).await.unwrap().unwrap();
    session.login(&user).await.unwrap();
    StatusCode::OK
}

/// `axum-login`'s guard on the route, as its README sets it up: `permission_required!` on the
/// route, the auth manager over `tower-sessions`' memory store; and the session cookie of a
/// user signed in through `/login` (the warm state).
fn axum_login(rt: &Runtime) -> (Router, (&'static str, String)) {
    let user = LoginUser {
        id: 1,
        roles: HashSet::from(["admin".to_owned()]),
        auth_hash: b"password-hash".to_vec(),
    };
    let backend = LoginBackend {
        users: Arc::new(HashMap::from([(1, user)])),
    };
    let sessions = SessionManagerLayer::new(MemoryStore::default()).with_secure(false);
    let app = Router::new()
        .route("/r", get(handler))
        .route_layer(permission_required!(LoginBackend, "admin"))
        .route("/login", post(login))
        .layer(AuthManagerLayerBuilder::new(backend, sessions).build());
    let response = rt
        .block_on(
            app.clone()
                .oneshot(Request::post("/login").body(Body::empty()).unwrap()),
        )
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[http::header::SET_COOKIE]
        .to_str()
        .unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    (app, ("cookie", cookie))
}

/// Every route of the paired measurement, with the header its warm request carries.
struct Apps {
    routes: Vec<(Route, Router, (&'static str, String))>,
}

impl Apps {
    fn new(rt: &Runtime) -> Apps {
        let bearer = guard_bench::bearer();
        let jwt = ("authorization", format!("Bearer {}", guard_bench::jwt()));
        let (login_app, login_cookie) = axum_login(rt);
        let apps = Apps {
            routes: vec![
                (Route::Unprotected, unprotected(), bearer.clone()),
                (Route::PassThrough, pass_through_only(), bearer.clone()),
                (Route::Floor, floor_only(), bearer.clone()),
                (Route::Protected, protected(rt), bearer),
                (PEERS[0], jwt_authorizer(rt), jwt),
                (PEERS[1], login_app, login_cookie),
            ]
            .into_iter()
            .map(|(route, app, header)| (route, prepared(app), header))
            .collect(),
        };
        // Each peer lets its warm request in, and keeps a request without it out.
        for (route, app, header) in &apps.routes[4..] {
            assert_eq!(rt.block_on(call(app, header)), StatusCode::OK, "{route:?}");
            assert_ne!(
                rt.block_on(call(app, &("x-none", String::new()))),
                StatusCode::OK,
                "{route:?}"
            );
        }
        apps
    }

    fn routes(&self) -> Vec<Route> {
        self.routes.iter().map(|(route, ..)| *route).collect()
    }

    fn get(&self, route: Route) -> (&Router, &(&'static str, String)) {
        let (_, app, header) = self.routes.iter().find(|(r, ..)| *r == route).unwrap();
        (app, header)
    }
}

fn request(header: &(&'static str, String)) -> Request<Body> {
    Request::get("/r")
        .header(header.0, HeaderValue::from_str(&header.1).unwrap())
        .body(Body::empty())
        .unwrap()
}

/// `app` as `axum::serve` runs it: with its routes turned into services once, at startup
/// (`Router::with_state(())`), rather than on every request as a `Router` called directly does.
/// Every route of the in-process measurement is prepared so; the HTTP one serves them as is.
fn prepared(app: Router) -> Router {
    app.with_state(())
}

async fn call(app: &Router, header: &(&'static str, String)) -> StatusCode {
    app.clone().oneshot(request(header)).await.unwrap().status()
}

fn guard(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let open = prepared(unprotected());
    let reference = prepared(pass_through_only());
    guard_bench::assert_floor_decides();
    let floor = prepared(floor_only());
    let (guarded, layer_only) = protected_and_layer_only(&rt);
    let (guarded, layer_only) = (prepared(guarded), prepared(layer_only));
    let bearer = guard_bench::bearer();
    let mut group = c.benchmark_group("guard");
    group.bench_function("unprotected", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&open, &bearer).await) })
    });
    group.bench_function("reference_axum_pass_through_middleware", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&reference, &bearer).await) })
    });
    group.bench_function("floor_guard", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&floor, &bearer).await) })
    });
    group.bench_function("layer_only_route_never_asks", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&layer_only, &bearer).await) })
    });
    group.bench_function("protected_warm", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(call(&guarded, &bearer).await) })
    });
    group.finish();
}

/// Paired measurement in process: alternating rounds of each route, the ratios taken round by
/// round (see `paired::report`); prints requests per second and the ratios.
fn ratio(rt: &Runtime, apps: &Apps) -> paired::Setting {
    const PER_ROUND: u32 = 5_000;
    paired::report(
        "axum",
        "inproc",
        "in process (oneshot on a prebuilt Router prepared as axum::serve does, current-thread runtime)",
        PER_ROUND,
        &apps.routes(),
        |route| {
            let (app, header) = apps.get(route);
            rt.block_on(async {
                let start = guard_bench::thread_cpu_time();
                for _ in 0..PER_ROUND {
                    assert_eq!(black_box(call(app, header).await), StatusCode::OK);
                }
                guard_bench::thread_cpu_time() - start
            })
        },
    )
}

/// The same routes served by `axum::serve` on loopback and called by `connections` keep-alive
/// HTTP clients, server and clients on one current-thread runtime (so each request's whole CPU
/// cost is on one core and no request waits for a wake-up on another thread): the ratio as an
/// application sees it.
fn ratio_over_http(
    rt: &Runtime,
    apps: &Apps,
    urls: &[String],
    connections: usize,
) -> paired::Setting {
    let clients = guard_bench::clients(connections);
    // Requests per round, the same on each connection.
    const PER_ROUND: u32 = 960;
    let routes = apps.routes();
    paired::report(
        "axum",
        match connections {
            1 => "http1",
            4 => "http4",
            16 => "http16",
            _ => unreachable!(),
        },
        &format!(
            "over loopback HTTP (axum::serve, {connections} keep-alive connections, current-thread runtime)"
        ),
        PER_ROUND,
        &routes,
        |route| {
            let index = routes.iter().position(|&r| r == route).unwrap();
            let (_, header) = apps.get(route);
            rt.block_on(guard_bench::http_round(
                &clients,
                &urls[index],
                header,
                PER_ROUND,
            ))
        },
    )
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let apps = Apps::new(&rt);
    let mut settings = vec![ratio(&rt, &apps)];
    let urls: Vec<String> = rt.block_on(async {
        let mut urls = Vec::new();
        for (_, app, _) in &apps.routes {
            urls.push(serve(app.clone()).await);
        }
        urls
    });
    for connections in [1, 4, 16] {
        settings.push(ratio_over_http(&rt, &apps, &urls, connections));
    }
    paired::finish("axum", &settings);
}
