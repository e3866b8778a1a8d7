//! End to end against the LoginRadius emulator over loopback HTTP: the actix app runs in
//! process (`actix_web::test`), its authenticator's client talks HTTP to a real emulator.

use std::time::Duration;

use actix_web::{App, test, web};
use futures_util::future::join_all;
use loginradius::auth::{Authenticator, TokenExtractor};
use loginradius::web::{CookieSecurity, Flows, SessionCookie};
use loginradius::{LoginRadius, RetryPolicy};
use loginradius_actix::{
    AuthenticatedUser, LoginRadiusConfig, MaybeUser, Require, RequireAuth, routes,
};
use loginradius_emulator::{Emulator, EmulatorConfig, Fault, SeedUser};

/// The emulator's stats name for the token validation endpoint.
const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
const PROFILE: &str = "/identity/v2/auth/account";

async fn emulator() -> Emulator {
    Emulator::start(
        EmulatorConfig::default()
            .with_role("admin", ["manage_users"])
            .with_role("editor", ["publish"])
            .with_user(SeedUser::new("ada@example.com", "password123").roles(["admin"]))
            .with_user(SeedUser::new("ed@example.com", "password123").roles(["editor"])),
    )
    .await
    .unwrap()
}

fn client(emulator: &Emulator, request_timeout: Duration) -> LoginRadius {
    LoginRadius::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .retry(RetryPolicy::none())
        .request_timeout(request_timeout)
        .build()
        .unwrap()
}

async fn login(client: &LoginRadius, email: &str) -> String {
    let login = client
        .auth()
        .login_by_email(email, "password123")
        .await
        .unwrap();
    login.access_token.expose().to_owned()
}

fn app(
    authenticator: Authenticator,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(LoginRadiusConfig::new(authenticator))
        .route(
            "/me",
            web::get().to(|user: AuthenticatedUser| async move { user.uid.to_string() }),
        )
        .service(
            web::scope("/admin")
                .wrap(RequireAuth::new(Require::role("admin")))
                .route("", web::get().to(|| async { "admin area" })),
        )
}

fn get(uri: &str, token: &str) -> actix_http::Request {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("authorization", format!("Bearer {token}")))
        .to_request()
}

#[actix_web::test]
async fn a_thousand_simultaneous_requests_with_one_cold_token_make_one_validation() {
    let emulator = emulator().await;
    let client = client(&emulator, Duration::from_secs(10));
    let token = login(&client, "ada@example.com").await;
    let app = test::init_service(app(Authenticator::builder(client).build().unwrap())).await;
    // Slow validations down so that every request arrives while the first lookup is in flight.
    emulator
        .add_fault(Fault::latency(Duration::from_millis(300)).only_path(VALIDATE))
        .unwrap();
    emulator.reset_stats();
    let requests = (0..1000).map(|i| {
        let path = if i % 2 == 0 { "/admin" } else { "/me" };
        test::call_service(&app, get(path, &token))
    });
    let statuses: Vec<u16> = join_all(requests)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(emulator.calls("GET", VALIDATE), 1, "{:?}", emulator.stats());
    assert_eq!(emulator.calls("GET", PROFILE), 1);
}

#[actix_web::test]
async fn roles_come_from_the_emulator() {
    let emulator = emulator().await;
    let client = client(&emulator, Duration::from_secs(10));
    let editor = login(&client, "ed@example.com").await;
    let admin = login(&client, "ada@example.com").await;
    let app = test::init_service(app(Authenticator::builder(client).build().unwrap())).await;
    assert_eq!(
        test::call_service(&app, get("/me", &editor)).await.status(),
        200
    );
    assert_eq!(
        test::call_service(&app, get("/admin", &editor))
            .await
            .status(),
        403
    );
    assert_eq!(
        test::call_service(&app, get("/admin", &admin))
            .await
            .status(),
        200
    );
    let response = test::call_service(&app, get("/admin", "not-a-real-token")).await;
    assert_eq!(response.status(), 401);
    let challenge = response
        .headers()
        .get("www-authenticate")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(challenge.contains("invalid_token"), "{challenge}");
}

/// Each fault makes every protected request 503 (never 2xx); clearing it lets the same token
/// through (failures are not cached).
#[actix_web::test]
async fn upstream_faults_fail_closed_with_503() {
    let emulator = emulator().await;
    // Logins (password hashing in a debug emulator) get time; the authenticator does not.
    let login_client = client(&emulator, Duration::from_secs(10));
    let client = client(&emulator, Duration::from_millis(500));
    let app = test::init_service(app(Authenticator::builder(client).build().unwrap())).await;
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
        let token = login(&login_client, "ada@example.com").await;
        emulator.add_fault(fault).unwrap();
        for path in ["/admin", "/me"] {
            let response = test::call_service(&app, get(path, &token)).await;
            assert_eq!(response.status(), 503, "{name} {path}");
            assert!(
                response.headers().contains_key("retry-after"),
                "{name} {path}"
            );
            let body: serde_json::Value =
                serde_json::from_slice(&test::read_body(response).await).unwrap();
            assert_eq!(body["error"], "unavailable", "{name}");
        }
        emulator.clear_faults();
        assert_eq!(
            test::call_service(&app, get("/admin", &token))
                .await
                .status(),
            200,
            "{name}"
        );
    }
}

/// A warm token with cold roles: a fault on the Role API alone fails closed for a guard that
/// needs roles, and the route that needs none still answers from the cache.
#[actix_web::test]
async fn role_api_fault_fails_closed() {
    let emulator = emulator().await;
    let token = login(
        &client(&emulator, Duration::from_secs(10)),
        "ada@example.com",
    )
    .await;
    let client = client(&emulator, Duration::from_millis(500));
    let app = test::init_service(app(Authenticator::builder(client).build().unwrap())).await;
    assert_eq!(
        test::call_service(&app, get("/me", &token)).await.status(),
        200
    );
    emulator
        .add_fault(Fault::status(500).only_path("/identity/v2/manage/account/{uid}/role"))
        .unwrap();
    assert_eq!(
        test::call_service(&app, get("/admin", &token))
            .await
            .status(),
        503
    );
    assert_eq!(
        test::call_service(&app, get("/me", &token)).await.status(),
        200
    );
}

/// The route helpers end to end: login sets the private session cookie, which the guards and
/// extractors then accept; logout ends it and evicts the token at once; cross-site writes are
/// refused.
#[actix_web::test]
async fn route_helpers_login_session_logout_and_csrf() {
    let emulator = emulator().await;
    let client = client(&emulator, Duration::from_secs(10));
    // Served over plain HTTP on loopback: the development setting, chosen explicitly.
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let authenticator = Authenticator::builder(client)
        .token_sources(TokenExtractor::bearer().with(session.token_source()))
        .build()
        .unwrap();
    let flows = Flows::new(authenticator.clone(), session).unwrap();
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator))
            .service(web::scope("/auth").configure(routes::configure(flows)))
            .route(
                "/whoami",
                web::get().to(|MaybeUser(user): MaybeUser| async move {
                    user.map_or_else(|| "anonymous".to_owned(), |u| u.uid.to_string())
                }),
            )
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("", web::get().to(|| async { "admin area" })),
            ),
    )
    .await;
    let credentials = r#"{"email": "ada@example.com", "password": "password123"}"#;

    // Cross-site form posts never reach the flow.
    let request = test::TestRequest::post()
        .uri("/auth/login")
        .insert_header(("host", "localhost:8080"))
        .insert_header(("sec-fetch-site", "cross-site"))
        .insert_header(("content-type", "application/json"))
        .set_payload(credentials)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("set-cookie").is_none());

    // Wrong password: 401 from core's flow, no session.
    let request = test::TestRequest::post()
        .uri("/auth/login")
        .insert_header(("host", "localhost:8080"))
        .insert_header(("sec-fetch-site", "same-origin"))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"email": "ada@example.com", "password": "wrong-password"}"#)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("set-cookie").is_none());

    // Login: 200 with the session cookie (HttpOnly, SameSite=Lax; no Secure on localhost).
    let request = test::TestRequest::post()
        .uri("/auth/login")
        .insert_header(("host", "localhost:8080"))
        .insert_header(("sec-fetch-site", "same-origin"))
        .insert_header(("content-type", "application/json"))
        .set_payload(credentials)
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.starts_with("lr_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    let body: serde_json::Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    assert_eq!(body["signed_in"], true);
    assert_eq!(body["email"], "ada@example.com");
    let body_text = body.to_string();
    assert!(!body_text.contains("access_token"), "{body_text}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    // The session cookie authenticates the guards and extractors.
    let with_cookie = |uri: &str| {
        test::TestRequest::get()
            .uri(uri)
            .insert_header(("host", "localhost:8080"))
            .insert_header(("cookie", cookie.clone()))
            .to_request()
    };
    let response = test::call_service(&app, with_cookie("/admin")).await;
    assert_eq!(response.status(), 200);
    let uid = test::read_body(test::call_service(&app, with_cookie("/whoami")).await).await;
    assert_ne!(&uid[..], b"anonymous");

    // Logout: the cookie is removed and the token no longer works, even from the cache.
    let request = test::TestRequest::post()
        .uri("/auth/logout")
        .insert_header(("host", "localhost:8080"))
        .insert_header(("origin", "http://localhost:8080"))
        .insert_header(("cookie", cookie.clone()))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), 200);
    let removal = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(removal.contains("Max-Age=0"), "{removal}");
    let response = test::call_service(&app, with_cookie("/admin")).await;
    assert_eq!(response.status(), 401);
}
