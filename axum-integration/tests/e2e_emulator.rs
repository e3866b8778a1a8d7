//! End to end against the LoginRadius emulator over loopback HTTP: the app is served with
//! `axum::serve` and called with reqwest; the authenticator talks HTTP to the emulator.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use loginradius::auth::Authenticator;
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer, Require, RequireAuth};
use loginradius_emulator::{Emulator, EmulatorConfig, Fault, SeedUser};
use tokio::sync::Barrier;

/// The emulator's stats name for the token validation endpoint.
const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
const PROFILE: &str = "/identity/v2/auth/account";

struct Setup {
    emulator: Emulator,
    client: LoginRadius,
    base: String,
    http: reqwest::Client,
}

async fn setup(request_timeout: Duration) -> Setup {
    let emulator = Emulator::start(
        EmulatorConfig::default()
            .with_role("admin", ["manage_users"])
            .with_role("editor", ["publish"])
            .with_user(SeedUser::new("ada@example.com", "password123").roles(["admin"]))
            .with_user(SeedUser::new("ed@example.com", "password123").roles(["editor"])),
    )
    .await
    .unwrap();
    let client = LoginRadius::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .retry(RetryPolicy::none())
        .request_timeout(request_timeout)
        .build()
        .unwrap();
    let authenticator = Authenticator::builder(client.clone()).build().unwrap();
    let app = Router::new()
        .route("/admin", get(|| async { "admin area" }))
        .route_layer(RequireAuth::new(Require::role("admin")))
        .route(
            "/me",
            get(|user: AuthenticatedUser| async move { user.uid.to_string() }),
        )
        .layer(LoginRadiusLayer::new(authenticator));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Setup {
        emulator,
        client,
        base,
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(128)
            .build()
            .unwrap(),
    }
}

impl Setup {
    async fn login(&self, email: &str) -> String {
        let login = self
            .client
            .auth()
            .login_by_email(email, "password123")
            .await
            .unwrap();
        login.access_token.expose().to_owned()
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_validate_path_is_counted_under_its_template() {
    let setup = setup(Duration::from_secs(5)).await;
    let token = setup.login("ada@example.com").await;
    assert_eq!(setup.get("/admin", &token).await.status(), 200);
    let key = format!("GET {VALIDATE}");
    assert_eq!(
        setup.emulator.stats().get(&key).copied(),
        Some(1),
        "{:?}",
        setup.emulator.stats()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_simultaneous_requests_with_one_cold_token_make_one_validation() {
    let setup = Arc::new(setup(Duration::from_secs(5)).await);
    let token = setup.login("ada@example.com").await;
    // Slow validations down so that every request arrives while the first lookup is in flight
    // (a thousand connections take a while to open on a busy machine).
    setup
        .emulator
        .add_fault(Fault::latency(Duration::from_millis(1000)).only_path(VALIDATE))
        .unwrap();
    setup.emulator.reset_stats();
    let barrier = Arc::new(Barrier::new(1000));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let setup = setup.clone();
        let token = token.clone();
        let barrier = barrier.clone();
        tasks.spawn(async move {
            barrier.wait().await;
            let path = if i % 2 == 0 { "/admin" } else { "/me" };
            setup.get(path, &token).await.status().as_u16()
        });
    }
    let statuses: Vec<u16> = tasks.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(setup.emulator.calls("GET", VALIDATE), 1);
    assert_eq!(setup.emulator.calls("GET", PROFILE), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_come_from_the_emulator() {
    let setup = setup(Duration::from_secs(5)).await;
    let editor = setup.login("ed@example.com").await;
    assert_eq!(setup.get("/me", &editor).await.status(), 200);
    let response = setup.get("/admin", &editor).await;
    assert_eq!(response.status(), 403);
    let response = setup.get("/admin", "not-a-real-token").await;
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains("invalid_token"), "{challenge}");
}

/// Each fault makes every protected request 503 (never 2xx); clearing it lets the same token
/// through (failures are not cached).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_faults_fail_closed_with_503() {
    let setup = setup(Duration::from_millis(500)).await;
    let faults = [
        (
            "latency beyond the client timeout",
            Fault::latency(Duration::from_secs(2)),
        ),
        ("500", Fault::status(500)),
        ("429", Fault::rate_limited(3)),
        ("malformed body", Fault::malformed()),
    ];
    for (name, fault) in faults {
        let token = setup.login("ada@example.com").await;
        setup.emulator.add_fault(fault).unwrap();
        for path in ["/admin", "/me"] {
            let response = setup.get(path, &token).await;
            let status = response.status();
            assert_eq!(status, 503, "{name} {path}");
            assert!(
                response.headers().contains_key("retry-after"),
                "{name} {path}"
            );
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["error"], "unavailable", "{name}");
        }
        setup.emulator.clear_faults();
        assert_eq!(setup.get("/admin", &token).await.status(), 200, "{name}");
    }
}

/// A warm token stays usable only as long as the cache says so; a fault on the Role API alone
/// still fails closed for a guard that needs roles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_api_fault_fails_closed() {
    let setup = setup(Duration::from_millis(500)).await;
    let token = setup.login("ada@example.com").await;
    // Warm the token but not the roles.
    assert_eq!(setup.get("/me", &token).await.status(), 200);
    setup
        .emulator
        .add_fault(Fault::status(500).only_path("/identity/v2/manage/account/{uid}/role"))
        .unwrap();
    let response = setup.get("/admin", &token).await;
    assert_eq!(response.status(), 503);
    // The route that needs no roles still works from the cache.
    assert_eq!(setup.get("/me", &token).await.status(), 200);
}
