//! The route helpers in process, on a scripted LoginRadius: translation of core's flows
//! (status, JSON, `Set-Cookie`, `Retry-After`, `Cache-Control`), the session cookie accepted by
//! guards, and the cross-origin protection.

mod support;

use loginradius_test_support::csrf_cases;

use actix_web::{App, test, web};
use loginradius::auth::TokenExtractor;
use loginradius::web::{Flows, SessionCookie};
use loginradius_actix::routes::{self, AuthRoutes, SameOriginWrites};
use loginradius_actix::{LoginRadiusConfig, Require, RequireAuth};
use serde_json::json;
use support::*;

const LOGIN: &str = "/identity/v2/auth/login";

fn login_ok(upstream: &Upstream) {
    upstream.always(
        LOGIN,
        Reply::Json(
            200,
            json!({
                "access_token": "tok-1",
                "expires_in": "2999-01-01T00:00:00Z",
                "Profile": {"Uid": UID, "Email": [{"Type": "Primary", "Value": "jane@example.com"}]}
            }),
        ),
    );
}

fn flows(upstream: &Upstream) -> Flows {
    let session = SessionCookie::generate();
    let authenticator = builder(upstream)
        .token_sources(TokenExtractor::bearer().with(session.token_source()))
        .build()
        .unwrap();
    Flows::new(authenticator, session).unwrap()
}

fn post(uri: &str, body: &'static str) -> test::TestRequest {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("host", "app.example"))
        .insert_header(("content-type", "application/json"))
        .set_payload(body)
}

const CREDENTIALS: &str = r#"{"email": "jane@example.com", "password": "correct horse"}"#;

#[actix_web::test]
async fn login_sets_a_secure_private_session_cookie_and_answers_json() {
    let upstream = Upstream::new();
    login_ok(&upstream);
    let app = test::init_service(
        App::new().service(web::scope("/auth").configure(routes::configure(flows(&upstream)))),
    )
    .await;
    let answer = send(&app, post("/auth/login", CREDENTIALS)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(
        answer.json(),
        json!({"signed_in": true, "uid": UID, "email": "jane@example.com"})
    );
    let cookie = answer.header("set-cookie").unwrap();
    assert!(cookie.starts_with("lr_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("tok-1"), "the token is sealed: {cookie}");
}

#[actix_web::test]
async fn the_session_cookie_authenticates_guarded_routes() {
    let upstream = Upstream::new();
    login_ok(&upstream);
    upstream.user(&["admin"]);
    let flows = flows(&upstream);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(flows.authenticator().clone()))
            .configure(routes::configure(flows))
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("", web::get().to(|| async { "admin area" })),
            ),
    )
    .await;
    let answer = send(&app, post("/login", CREDENTIALS)).await;
    let cookie = answer.header("set-cookie").unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let answer = send(
        &app,
        test::TestRequest::get()
            .uri("/admin")
            .insert_header(("cookie", cookie)),
    )
    .await;
    assert_eq!((answer.status, answer.text().as_str()), (200, "admin area"));
    // A forged cookie is no session.
    let answer = send(
        &app,
        test::TestRequest::get()
            .uri("/admin")
            .insert_header(("cookie", "lr_session=forged")),
    )
    .await;
    assert_eq!(answer.status, 401);
}

#[actix_web::test]
async fn flow_errors_keep_core_shapes_and_fail_closed() {
    let upstream = Upstream::new();
    let app = test::init_service(App::new().configure(routes::configure(flows(&upstream))));
    let app = app.await;
    // Bad input: 400 before any upstream call.
    let answer = send(&app, post("/login", r#"{"email": "nope"}"#)).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["error"], "invalid_input");
    assert_eq!(upstream.total(), 0);
    // Rate limited upstream: 503 with its Retry-After, no cookie.
    upstream.always(
        LOGIN,
        Reply::Raw(
            429,
            vec![("retry-after", "7"), ("content-type", "application/json")],
            r#"{"ErrorCode": 1000, "Message": "slow down"}"#,
        ),
    );
    let answer = send(&app, post("/login", CREDENTIALS)).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("retry-after"), Some("7"));
    assert_eq!(answer.json()["error"], "unavailable");
    assert!(answer.header("set-cookie").is_none());
    // Timeout: 503, never 2xx.
    upstream.always(LOGIN, Reply::Timeout);
    let answer = send(&app, post("/login", CREDENTIALS)).await;
    assert_eq!(answer.status, 503);
}

#[actix_web::test]
async fn signed_in_routes_need_a_session() {
    let upstream = Upstream::new();
    let app = test::init_service(App::new().configure(routes::configure(flows(&upstream)))).await;
    let answer = send(&app, test::TestRequest::get().uri("/mfa/setup")).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json()["error"], "missing_token");
    let answer = send(
        &app,
        post(
            "/change-password",
            r#"{"old_password": "a", "new_password": "b"}"#,
        ),
    )
    .await;
    assert_eq!(answer.status, 401);
}

#[actix_web::test]
async fn cross_origin_writes_are_refused_before_the_flow() {
    let upstream = Upstream::new();
    login_ok(&upstream);
    let app = test::init_service(App::new().configure(|cfg| {
        AuthRoutes::new(flows(&upstream))
            .csrf(SameOriginWrites::new().trusted_origin("https://partner.example"))
            .configure(cfg)
    }))
    .await;
    let cases: [(&[(&str, &str)], u16); 6] = [
        (&[("sec-fetch-site", "cross-site")], 403),
        (&[("sec-fetch-site", "same-site")], 403),
        (&[("origin", "https://evil.example")], 403),
        (
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://partner.example"),
            ],
            200,
        ),
        (&[("origin", "https://app.example")], 200),
        (&[("sec-fetch-site", "same-origin")], 200),
    ];
    for (headers, expected) in cases {
        let mut request = post("/login", CREDENTIALS);
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let answer = send(&app, request).await;
        assert_eq!(answer.status, expected, "{headers:?}");
        if expected == 403 {
            assert_eq!(
                answer.json(),
                json!({"error": "csrf", "message": "cross-origin request refused"})
            );
            assert_eq!(answer.header("content-type"), Some("application/json"));
            assert_eq!(answer.header("cache-control"), Some("no-store"));
            assert!(answer.header("set-cookie").is_none());
        }
    }
    // Only the three allowed requests reached LoginRadius.
    assert_eq!(upstream.count(LOGIN), 3);
}

/// `Secure` is configuration, not a guess from `Host`: through the default settings, a request
/// whose `Host` is loopback (as a proxy may forward it) still gets a `Secure` session cookie.
#[actix_web::test]
async fn the_session_cookie_is_secure_by_default_even_for_a_loopback_host() {
    let upstream = Upstream::new();
    login_ok(&upstream);
    let app = test::init_service(App::new().configure(routes::configure(flows(&upstream))));
    let app = app.await;
    let request = test::TestRequest::post()
        .uri("/login")
        .insert_header(("host", "127.0.0.1:8080"))
        .insert_header(("content-type", "application/json"))
        .set_payload(CREDENTIALS);
    let answer = send(&app, request).await;
    assert_eq!(answer.status, 200);
    let cookie = answer.header("set-cookie").unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

/// A body that is not the route's JSON input is core's 400 `invalid_input`, with the JSON error
/// shape and `no-store`, before any request to LoginRadius.
#[actix_web::test]
async fn a_body_that_is_not_the_input_is_a_json_400_before_any_upstream_call() {
    let upstream = Upstream::new();
    let app = test::init_service(App::new().configure(routes::configure(flows(&upstream))));
    let app = app.await;
    let plain = |content_type: Option<&'static str>, body: &'static str| {
        let mut request = test::TestRequest::post().uri("/login").set_payload(body);
        if let Some(value) = content_type {
            request = request.insert_header(("content-type", value));
        }
        request
    };
    for request in [
        post("/login", "not json"),
        post("/login", ""),
        post("/login", r#"{"email": 7, "password": "pw"}"#),
        plain(None, CREDENTIALS),
        plain(Some("text/plain"), CREDENTIALS),
        post("/mfa/enable", r#"{"code": 123456}"#),
        post("/register", r#"{"password": "pw"}"#),
    ] {
        let answer = send(&app, request).await;
        assert_eq!(answer.status, 400, "{}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        assert!(answer.header("set-cookie").is_none());
        assert_eq!(answer.json()["error"], "invalid_input");
        assert!(
            answer.json()["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    // A body too large to read keeps actix's 413.
    let large = format!(r#"{{"email": "{}"}}"#, "a".repeat(300_000));
    let request = test::TestRequest::post()
        .uri("/login")
        .insert_header(("content-type", "application/json"))
        .set_payload(large);
    let answer = send(&app, request).await;
    assert_eq!(answer.status, 413);
    assert_eq!(upstream.total(), 0);
}

/// The shared conformance table (`loginradius_test_support::csrf_cases`, also run through tower-http's
/// `CsrfLayer` by the axum adapter), through this middleware's request translation.
#[actix_web::test]
async fn conformance_table_through_actix_requests() {
    let rules = SameOriginWrites::new().trusted_origin(csrf_cases::CASES_TRUSTED_ORIGIN);
    for case in csrf_cases::CASES {
        let mut req = test::TestRequest::default()
            .method(actix_web::http::Method::from_bytes(case.method.as_bytes()).unwrap())
            .uri(case.uri);
        for (name, value) in case.headers {
            req = req.insert_header((*name, *value));
        }
        let outcome = rules.check(&req.to_http_request());
        assert_eq!(outcome.is_ok(), case.allowed, "{case:?}: {outcome:?}");
    }
}

/// The app's authenticator (the guards') cannot read the session the helpers start: without
/// the session source, or reading the encrypted cookie as a plain token. `POST /auth/login`
/// says so (500 `misconfigured`) before any request, instead of a 200 followed by a 401 on
/// every guarded route.
#[actix_web::test]
async fn an_authenticator_that_cannot_read_the_session_makes_login_fail_loudly() {
    use loginradius::web::DEFAULT_COOKIE_NAME;

    for sources in [
        TokenExtractor::bearer(),
        TokenExtractor::bearer().with_cookie(DEFAULT_COOKIE_NAME),
    ] {
        let upstream = Upstream::new();
        login_ok(&upstream);
        let flows = flows(&upstream);
        let guards = builder(&upstream)
            .token_sources(sources.clone())
            .build()
            .unwrap();
        let app = test::init_service(
            App::new()
                .app_data(LoginRadiusConfig::new(guards))
                .service(web::scope("/auth").configure(routes::configure(flows.clone()))),
        )
        .await;
        let answer = send(&app, post("/auth/login", CREDENTIALS)).await;
        assert_eq!(answer.status, 500, "{sources:?}");
        assert_eq!(answer.json()["error"], "misconfigured");
        assert!(answer.header("set-cookie").is_none());
        assert_eq!(upstream.total(), 0, "no request to LoginRadius");

        // The same app with the flows' own authenticator signs in.
        let app = test::init_service(
            App::new()
                .app_data(LoginRadiusConfig::from_flows(&flows))
                .service(web::scope("/auth").configure(routes::configure(flows))),
        )
        .await;
        let answer = send(&app, post("/auth/login", CREDENTIALS)).await;
        assert_eq!(answer.status, 200);
    }
}

/// A form login posted by the browser's own page goes to the same-site `next` with `303`.
#[actix_web::test]
async fn a_form_login_redirects_to_next() {
    let upstream = Upstream::new();
    login_ok(&upstream);
    let app = test::init_service(
        App::new().service(web::scope("/auth").configure(routes::configure(flows(&upstream)))),
    )
    .await;
    let request = test::TestRequest::post()
        .uri("/auth/login")
        .insert_header(("host", "app.example"))
        .insert_header(("origin", "https://app.example"))
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload("email=jane%40example.com&password=correct+horse&next=%2Fadmin%3Fx%3D1");
    let answer = send(&app, request).await;
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(answer.header("location"), Some("/admin?x=1"));
    assert!(
        answer
            .header("set-cookie")
            .unwrap()
            .starts_with("lr_session=")
    );
}
