//! When LoginRadius is slow or down (issue #16), through the actix adapter: the app runs in
//! process (`actix_web::test`), its authenticator talks HTTP to the emulator, whose fault
//! injection plays the outage. Time bounds are generous (a loaded 2-core machine): they check
//! refusals, not speed.

use std::time::{Duration, Instant};

use actix_web::{App, test, web};
use loginradius::auth::{Authenticator, CircuitState};
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_actix::{AuthenticatedUser, LoginRadiusConfig, Require, RequireAuth};
use loginradius_emulator::{Emulator, EmulatorConfig, Fault, SeedUser};

const ROLES: &str = "/identity/v2/manage/account/{uid}/role";
const DEADLINE: Duration = Duration::from_secs(1);
const SLACK: Duration = Duration::from_millis(500);

async fn emulator() -> Emulator {
    Emulator::start(
        EmulatorConfig::default()
            .with_role("admin", ["manage_users"])
            .with_user(SeedUser::new("ada@example.com", "password123").roles(["admin"])),
    )
    .await
    .unwrap()
}

/// A client retrying like a production one, with a 20 s timeout: only the authenticator's
/// deadline keeps a request short.
fn client(emulator: &Emulator) -> LoginRadius {
    LoginRadius::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .retry(RetryPolicy::default())
        .request_timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn authenticator(client: LoginRadius, threshold: u32, cool_down: Duration) -> Authenticator {
    Authenticator::builder(client)
        .upstream_deadline(DEADLINE)
        .circuit_breaker(threshold, cool_down)
        .build()
        .unwrap()
}

async fn login(client: &LoginRadius) -> String {
    let login = client
        .auth()
        .login_by_email("ada@example.com", "password123")
        .await
        .unwrap();
    login.access_token.expose().to_owned()
}

fn get(uri: &str, token: &str) -> actix_http::Request {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("authorization", format!("Bearer {token}")))
        .to_request()
}

macro_rules! app {
    ($auth:expr) => {
        test::init_service(
            App::new()
                .app_data(LoginRadiusConfig::new($auth))
                .route(
                    "/me",
                    web::get().to(|user: AuthenticatedUser| async move { user.uid.to_string() }),
                )
                .service(
                    web::scope("/admin")
                        .wrap(RequireAuth::new(Require::role("admin")))
                        .route("", web::get().to(|| async { "admin area" })),
                ),
        )
        .await
    };
}

/// The status, `Retry-After` seconds and time taken of one call.
async fn call<S, B>(app: &S, uri: &str, token: &str) -> (u16, Option<u64>, Duration)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    let started = Instant::now();
    let response = test::call_service(app, get(uri, token)).await;
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (response.status().as_u16(), retry_after, started.elapsed())
}

#[actix_web::test]
async fn a_15_second_latency_and_a_long_retry_after_are_refused_within_the_deadline() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let warm = login(&client).await;
    let cold = login(&client).await;
    let app = app!(authenticator(client, u32::MAX, Duration::from_secs(10)));
    assert_eq!(call(&app, "/admin", &warm).await.0, 200);

    emulator
        .add_fault(Fault::latency(Duration::from_secs(15)))
        .unwrap();
    let (status, retry_after, took) = call(&app, "/me", &cold).await;
    assert_eq!(status, 503);
    assert!(retry_after.is_some());
    assert!(took < DEADLINE + SLACK, "refused after {took:?}");
    assert_eq!(
        call(&app, "/admin", &warm).await.0,
        200,
        "warm users stay in"
    );

    emulator.clear_faults();
    emulator.add_fault(Fault::rate_limited(90)).unwrap();
    let (status, retry_after, took) = call(&app, "/me", &cold).await;
    assert_eq!(status, 503);
    assert_eq!(retry_after, Some(90), "LoginRadius's delay is passed on");
    assert!(took < DEADLINE, "the wait was not started: {took:?}");

    emulator.clear_faults();
    assert_eq!(call(&app, "/admin", &cold).await.0, 200);
}

#[actix_web::test]
async fn the_role_api_circuit_opens_refuses_at_once_and_closes_on_a_good_probe() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let token = login(&client).await;
    let cool_down = Duration::from_secs(2);
    let auth = authenticator(client, 2, cool_down);
    let app = app!(auth.clone());
    // The token is warm, its roles are not.
    assert_eq!(call(&app, "/me", &token).await.0, 200);
    emulator
        .add_fault(Fault::status(500).only_path(ROLES))
        .unwrap();
    for _ in 0..2 {
        assert_eq!(call(&app, "/admin", &token).await.0, 503);
    }
    let health = auth.upstream_health();
    assert!(
        matches!(health.roles, CircuitState::Open { .. }),
        "{health:?}"
    );
    assert_eq!(health.tokens, CircuitState::Closed { failures: 0 });

    let calls = emulator.calls("GET", ROLES);
    let (status, retry_after, took) = call(&app, "/admin", &token).await;
    assert_eq!(status, 503);
    assert!(retry_after.is_some_and(|s| (1..=2).contains(&s)));
    assert!(took < Duration::from_millis(200), "refused after {took:?}");
    assert_eq!(emulator.calls("GET", ROLES), calls, "no call while open");
    // The route that needs no roles is not behind that circuit.
    assert_eq!(call(&app, "/me", &token).await.0, 200);

    emulator.clear_faults();
    tokio::time::sleep(cool_down + Duration::from_millis(100)).await;
    assert_eq!(call(&app, "/admin", &token).await.0, 200);
    assert_eq!(
        auth.upstream_health().roles,
        CircuitState::Closed { failures: 0 }
    );
}

/// The guard looks the user up and authorizes in two steps of one request: both share the
/// request's one budget. Token validation and the Role API each answer after 0.7 s here,
/// 1.4 s together: past the 1 s deadline, so the request is refused at the deadline (with a
/// budget per step it would be let in after 1.4 s).
#[actix_web::test]
async fn the_lookup_and_the_authorization_of_a_request_share_one_deadline() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let cold = login(&client).await;
    let app = app!(authenticator(client, u32::MAX, Duration::from_secs(10)));
    for path in ["/identity/v2/auth/access_token/validate", ROLES] {
        emulator
            .add_fault(Fault::latency(Duration::from_millis(700)).only_path(path))
            .unwrap();
    }
    let (status, retry_after, took) = call(&app, "/admin", &cold).await;
    assert_eq!(
        status, 503,
        "refused when the two steps overrun the one deadline"
    );
    assert!(retry_after.is_some());
    assert!(took < DEADLINE + SLACK, "refused after {took:?}");

    // Each step alone fits: with only the Role API slow, the same request gets in.
    emulator.clear_faults();
    emulator
        .add_fault(Fault::latency(Duration::from_millis(700)).only_path(ROLES))
        .unwrap();
    assert_eq!(call(&app, "/admin", &cold).await.0, 200);
}
