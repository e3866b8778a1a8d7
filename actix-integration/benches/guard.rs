//! A protected route with a warm cache vs the same route unprotected, both in process through
//! `actix_web::test::call_service` on a prebuilt service. After the criterion group, paired
//! timing loops print each route's throughput and its ratio to the unprotected route's, in
//! process and over loopback HTTP, then the protected route's ratio to the floor's and to each
//! peer's. `core_decide_only` measures core's decision alone (no actix), to tell the adapter's
//! share of the cost from core's.
//!
//! Each paired run also measures a reference: the same route behind actix-web's own
//! pass-through middleware (`middleware::from_fn` calling `next.call`). It is the least any
//! middleware costs, so it shows how much of the protected route's gap is the guard's own work.
//!
//! And a floor: the same middleware doing only the work no warm role guard can skip (bearer
//! token, SHA-256, one moka lookup, the role check; see `guard_bench::floor_allows`). It is the
//! best ratio any guard meeting the issue's requirements could reach on this machine.
//!
//! And the peers, what a user would pick instead, each protecting the same route with its
//! documented setup and a warm state: `actix-web-grants` (`GrantsMiddleware` whose extractor
//! validates an RS256 JWT with `jsonwebtoken`, `#[protect("admin")]` on the handler) and
//! `actix-session` (the cookie session store, a role kept in the session, checked by a
//! middleware).
//!
//! Over HTTP, each app is served by actix-http's own HTTP/1 service (the one `HttpServer`
//! runs) on the benchmark's actix system, client and server on that one thread, with 1, 4 and
//! 16 keep-alive connections. (`HttpServer` runs its workers on threads of their own: each
//! request then crosses threads twice, and on a busy 2-core machine how long those wake-ups
//! take swings from round to round; see `serve`.) The bench ends with one `summary:` line per
//! ratio of the protected route and writes `docs/perf/actix-guard.md` and
//! `docs/perf/actix-guard.svg`.

use loginradius_test_support::{guard_bench, paired};

use guard_bench::TOKEN;

use paired::Route;

use std::collections::HashSet;
use std::future::Future;
use std::hint::black_box;
use std::rc::Rc;
use std::sync::LazyLock;

use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionExt, SessionMiddleware};
use actix_web::cookie::Key;
use actix_web::dev::{AppConfig, ServiceFactory};
use actix_web_grants::{GrantsMiddleware, protect};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::rt::{System, SystemRunner};
use actix_web::{App, HttpResponse, test, web};
use criterion::async_executor::AsyncExecutor;
use criterion::{Criterion, criterion_group};
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

/// The peers measured beside our guard.
const PEERS: [Route; 2] = [
    Route::Peer("actix-web-grants"),
    Route::Peer("actix-session"),
];

/// The claims of the JWT peer's tokens that its extractor reads.
#[derive(serde::Deserialize)]
struct JwtClaims {
    roles: HashSet<String>,
}

/// The JWT peer's key and validation (RS256 only, expiry checked), decoded once.
static JWT_KEY: LazyLock<(DecodingKey, Validation)> = LazyLock::new(|| {
    (
        DecodingKey::from_rsa_pem(guard_bench::RS256_PUBLIC_PEM.as_bytes()).unwrap(),
        Validation::new(Algorithm::RS256),
    )
});

/// `actix-web-grants`' authorities extractor, as its README has it: the user's roles from the
/// request, here from a bearer JWT validated with `jsonwebtoken` (RS256 signature, expiry).
async fn grants_extract(request: &ServiceRequest) -> Result<HashSet<String>, actix_web::Error> {
    let token = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| actix_web::error::ErrorUnauthorized("no bearer token"))?;
    let (key, validation) = &*JWT_KEY;
    let claims = jsonwebtoken::decode::<JwtClaims>(token, key, validation)
        .map_err(actix_web::error::ErrorUnauthorized)?;
    Ok(claims.claims.roles)
}

/// The handler behind `actix-web-grants`' role check.
#[protect("admin")]
async fn grants_handler() -> &'static str {
    "ok"
}

/// The `actix-web-grants` app: `GrantsMiddleware` on the scope, `#[protect]` on the handler.
fn grants_app() -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new().service(
        web::scope("")
            .wrap(GrantsMiddleware::with_extractor(grants_extract))
            .route("/r", web::get().to(grants_handler)),
    )
}

/// The `actix-session` key (cookie signed and encrypted, the default).
static SESSION_KEY: LazyLock<Key> = LazyLock::new(|| Key::from(&[7; 64]));

async fn session_login(session: Session) -> HttpResponse {
    session.insert("roles", ["admin"]).unwrap();
    HttpResponse::Ok().finish()
}

/// The role check over `actix-session`: the roles the session holds must include `admin`.
async fn session_guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let allowed = request
        .get_session()
        .get::<Vec<String>>("roles")
        .ok()
        .flatten()
        .is_some_and(|roles| roles.iter().any(|role| role == "admin"));
    if allowed {
        Ok(next.call(request).await?.map_into_left_body())
    } else {
        Ok(request.into_response(HttpResponse::Forbidden().finish().map_into_right_body()))
    }
}

/// The `actix-session` app: `SessionMiddleware` with the cookie store, `/login` putting the
/// role in the session, the role check on the route.
fn session_app() -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(
            SessionMiddleware::builder(CookieSessionStore::default(), SESSION_KEY.clone())
                .cookie_secure(false)
                .build(),
        )
        .route("/login", web::post().to(session_login))
        .service(
            web::scope("")
                .wrap(from_fn(session_guard))
                .route("/r", web::get().to(handler)),
        )
}

fn request(header: &(&'static str, String)) -> actix_http::Request {
    test::TestRequest::get()
        .uri("/r")
        .insert_header((header.0, header.1.as_str()))
        .to_request()
}

async fn call<S, B>(app: &S, header: &(&'static str, String)) -> u16
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    match app.call(request(header)).await {
        Ok(response) => response.status().as_u16(),
        Err(error) => error.as_response_error().status_code().as_u16(),
    }
}

/// One timed round of the paired in-process measurement: `IN_PROCESS_PER_ROUND` calls of
/// `$app` with `$header` on `$system`, each answered 200; the CPU time they took. (A macro: the
/// apps' service types differ.)
macro_rules! in_process_round {
    ($system:expr, $app:expr, $header:expr) => {
        $system.block_on(async {
            let start = guard_bench::thread_cpu_time();
            for _ in 0..IN_PROCESS_PER_ROUND {
                assert_eq!(black_box(call($app, $header).await), 200);
            }
            guard_bench::thread_cpu_time() - start
        })
    };
}

/// Requests per round of the paired in-process measurement.
const IN_PROCESS_PER_ROUND: u32 = 5_000;

/// The apps of the paired measurement, built afresh for each use (in process, then served).
/// (A macro: the apps' types differ.)
macro_rules! apps {
    ($authenticator:expr) => {{
        let config = LoginRadiusConfig::new($authenticator.clone());
        // The same shape on each side (a scope with one route); only the guard differs.
        (
            App::new()
                .app_data(config.clone())
                .service(web::scope("").route("/r", web::get().to(handler))),
            App::new().app_data(config.clone()).service(
                web::scope("")
                    .wrap(from_fn(pass_through))
                    .route("/r", web::get().to(handler)),
            ),
            App::new().app_data(config.clone()).service(
                web::scope("")
                    .wrap(from_fn(floor_guard))
                    .route("/r", web::get().to(handler)),
            ),
            App::new().app_data(config).service(
                web::scope("")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("/r", web::get().to(handler)),
            ),
            grants_app(),
            session_app(),
        )
    }};
}

/// The header each route's warm request carries: the bearer token, the JWT, the session cookie
/// (`session_cookie`, from a `/login` on the `actix-session` app).
fn headers(session_cookie: String) -> Vec<(Route, (&'static str, String))> {
    let bearer = guard_bench::bearer();
    vec![
        (Route::Unprotected, bearer.clone()),
        (Route::PassThrough, bearer.clone()),
        (Route::Floor, bearer.clone()),
        (Route::Protected, bearer),
        (
            PEERS[0],
            ("authorization", format!("Bearer {}", guard_bench::jwt())),
        ),
        (PEERS[1], ("cookie", session_cookie)),
    ]
}

fn guard(c: &mut Criterion) {
    let system = System::new();
    let (authenticator, transport) = guard_bench::authenticator();
    guard_bench::assert_floor_decides();
    let (open, reference, floor, guarded, grants, session) = apps!(authenticator);
    let open = system.block_on(test::init_service(open));
    let reference = system.block_on(test::init_service(reference));
    let floor = system.block_on(test::init_service(floor));
    let guarded = system.block_on(test::init_service(guarded));
    let grants = system.block_on(test::init_service(grants));
    let session = system.block_on(test::init_service(session));
    let bearer = guard_bench::bearer();
    // Warm the cache.
    assert_eq!(system.block_on(call(&guarded, &bearer)), 200);
    assert_eq!(transport.len(), 3);
    // Sign in to the session peer; its cookie is the session's warm state.
    let login = system.block_on(test::call_service(
        &session,
        test::TestRequest::post().uri("/login").to_request(),
    ));
    assert_eq!(login.status(), 200);
    let session_cookie = login
        .response()
        .cookies()
        .next()
        .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
        .unwrap();
    let headers = headers(session_cookie);
    let header_of = |route: Route| &headers.iter().find(|(r, _)| *r == route).unwrap().1;
    // Each peer lets its warm request in, and keeps a request without it out.
    let none = ("x-none", String::new());
    assert_eq!(system.block_on(call(&grants, header_of(PEERS[0]))), 200);
    assert_ne!(system.block_on(call(&grants, &none)), 200);
    assert_eq!(system.block_on(call(&session, header_of(PEERS[1]))), 200);
    assert_ne!(system.block_on(call(&session, &none)), 200);

    let mut group = c.benchmark_group("guard");
    group.bench_function("unprotected", |b| {
        b.to_async(Actix(&system))
            .iter(|| async { black_box(call(&open, &bearer).await) })
    });
    group.bench_function("floor_guard", |b| {
        b.to_async(Actix(&system))
            .iter(|| async { black_box(call(&floor, &bearer).await) })
    });
    group.bench_function("protected_warm", |b| {
        b.to_async(Actix(&system))
            .iter(|| async { black_box(call(&guarded, &bearer).await) })
    });
    // The share of core: the same decision without actix (headers already in `http` 1 form).
    let mut core_headers = http::HeaderMap::new();
    core_headers.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap(),
    );
    let require = Require::role("admin");
    group.bench_function("core_decide_only", |b| {
        b.to_async(Actix(&system)).iter(|| async {
            black_box(
                authenticator
                    .decide(&core_headers, &require)
                    .await
                    .is_allowed(),
            )
        })
    });
    group.finish();

    let routes: Vec<Route> = headers.iter().map(|(route, _)| *route).collect();
    // Paired measurement: alternating rounds of each route, the ratios taken round by round
    // (see `paired::report`); prints requests per second and the ratios.
    let mut settings = vec![paired::report(
        "actix",
        "inproc",
        "in process (call_service on a prebuilt service, actix system)",
        IN_PROCESS_PER_ROUND,
        &routes,
        |route| {
            let header = header_of(route);
            match route {
                Route::Unprotected => in_process_round!(system, &open, header),
                Route::PassThrough => in_process_round!(system, &reference, header),
                Route::Floor => in_process_round!(system, &floor, header),
                Route::Protected => in_process_round!(system, &guarded, header),
                Route::Peer(_) if route == PEERS[0] => in_process_round!(system, &grants, header),
                Route::Peer(_) => in_process_round!(system, &session, header),
            }
        },
    )];
    let (open, reference, floor, guarded, grants, session) = apps!(authenticator);
    let urls = [
        serve!(system, open),
        serve!(system, reference),
        serve!(system, floor),
        serve!(system, guarded),
        serve!(system, grants),
        serve!(system, session),
    ];
    for connections in [1, 4, 16] {
        settings.push(ratio_over_http(
            &system,
            &routes,
            &urls,
            &headers,
            connections,
        ));
    }
    assert_eq!(transport.len(), 3, "the warm route made no upstream call");
    paired::finish("actix", &settings);
}

/// Serves `$app` on an ephemeral loopback port with actix-http's HTTP/1 service (what
/// `HttpServer` runs on each connection, `TCP_NODELAY` set) from `$system`'s own thread, where
/// the benchmark's client runs too; its URL for `/r`.
///
/// Not `HttpServer`: its worker is a thread of its own, so each request is two cross-thread
/// wake-ups (client → worker → client). On this 2-core machine, shared with other jobs, their
/// latency is bimodal (a few µs when the other thread is still spinning on an idle core, tens of
/// µs when it has parked or its core is busy), and which mode a round gets varies from round to
/// round, so round ratios spread from 0.8 to 1.6. With client and server on one thread, a
/// request's whole cost is on one core, as in the axum bench.
macro_rules! serve {
    ($system:expr, $app:expr) => {{
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/r", listener.local_addr().unwrap());
        let app = $app;
        $system.block_on(async move {
            let factory = actix_http::HttpService::build()
                .tcp_nodelay(true)
                .finish(actix_service::map_config(app, |_| AppConfig::default()))
                .tcp();
            let service = Rc::new(factory.new_service(()).await.unwrap());
            let listener = actix_web::rt::net::TcpListener::from_std(listener).unwrap();
            actix_web::rt::spawn(async move {
                loop {
                    let (stream, _) = listener.accept().await.unwrap();
                    actix_web::rt::spawn(service.call(stream));
                }
            });
        });
        url
    }};
}
use serve;

/// The paired measurement over loopback HTTP with `connections` keep-alive connections: each
/// route's app served at its URL in `urls`, its request carrying its header in `headers`.
fn ratio_over_http(
    system: &SystemRunner,
    routes: &[Route],
    urls: &[String],
    headers: &[(Route, (&'static str, String))],
    connections: usize,
) -> paired::Setting {
    let clients = guard_bench::clients(connections);
    // Requests per round, the same on each connection.
    const PER_ROUND: u32 = 960;
    paired::report(
        "actix",
        match connections {
            1 => "http1",
            4 => "http4",
            16 => "http16",
            _ => unreachable!(),
        },
        &format!(
            "over loopback HTTP (actix-http's HTTP/1 service, {connections} keep-alive connections, client and server on one thread)"
        ),
        PER_ROUND,
        routes,
        |route| {
            let index = routes.iter().position(|&r| r == route).unwrap();
            system.block_on(guard_bench::http_round(
                &clients,
                &urls[index],
                &headers[index].1,
                PER_ROUND,
            ))
        },
    )
}

criterion_group!(benches, guard);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
