//! The route helpers in process (`tower::ServiceExt::oneshot`) over a scripted LoginRadius:
//! headers the end-to-end tests over loopback cannot show (a `Secure` cookie on a real host
//! name, CSRF answers by `Origin`/`Host`), and the translation of every core answer.

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use loginradius::LoginRadius;
use loginradius::auth::{Authenticator, TokenExtractor};
use loginradius::transport::RecordingTransport;
use loginradius::web::{Flows, SessionCookie};
use loginradius_axum::routes::{self, AuthRoutes};
use serde_json::{Value, json};
use tower::ServiceExt;

fn app() -> (Router, RecordingTransport) {
    let transport = RecordingTransport::new();
    let client = LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .retry(loginradius::RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let session = SessionCookie::generate();
    let authenticator = Authenticator::builder(client)
        .token_sources(TokenExtractor::bearer().with(session.token_source()))
        .build()
        .unwrap();
    let auth = AuthRoutes::new(Flows::new(authenticator, session).unwrap())
        .trusted_origin("https://app.example.com")
        .unwrap();
    (Router::new().nest("/auth", routes::router(auth)), transport)
}

fn login_reply(transport: &RecordingTransport) {
    transport.reply_json(
        200,
        json!({
            "access_token": "acc-tok-1",
            "expires_in": "2999-01-01T00:00:00Z",
            "Profile": {"Uid": "u-1"}
        }),
    );
}

fn post(path: &str, headers: &[(&str, &str)], body: Value) -> Request<Body> {
    let mut request = Request::post(path).header("content-type", "application/json");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

async fn json_body(response: axum::response::Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

fn credentials() -> Value {
    json!({"email": "a@example.com", "password": "pw-123456"})
}

#[tokio::test]
async fn the_session_cookie_is_secure_on_a_real_host_name() {
    let (app, transport) = app();
    login_reply(&transport);
    let response = app
        .oneshot(post(
            "/auth/login",
            &[("host", "app.example.com")],
            credentials(),
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = json_body(response).await;
    assert_eq!(body["signed_in"], true);
    assert!(!body.to_string().contains("acc-tok-1"));
}

#[tokio::test]
async fn csrf_refuses_cross_origin_writes_with_a_json_403_before_any_upstream_call() {
    let (app, transport) = app();
    for headers in [
        vec![
            ("host", "api.example.com"),
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![("host", "api.example.com"), ("sec-fetch-site", "same-site")],
        vec![
            ("host", "api.example.com"),
            ("origin", "https://evil.example"),
        ],
    ] {
        let response = app
            .clone()
            .oneshot(post("/auth/login", &headers, credentials()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(response.headers().get("set-cookie").is_none());
        assert_eq!(json_body(response).await["error"], "csrf");
    }
    assert!(transport.is_empty());
}

#[tokio::test]
async fn same_origin_trusted_origin_and_non_browser_writes_pass() {
    let (app, transport) = app();
    for headers in [
        vec![
            ("host", "api.example.com"),
            ("origin", "https://api.example.com"),
        ],
        vec![
            ("host", "api.example.com"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![
            ("host", "api.example.com"),
            ("origin", "https://app.example.com"),
            ("sec-fetch-site", "same-site"),
        ],
        vec![("host", "api.example.com")],
    ] {
        login_reply(&transport);
        let response = app
            .clone()
            .oneshot(post("/auth/login", &headers, credentials()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{headers:?}");
    }
    assert_eq!(transport.len(), 4);
}

#[tokio::test]
async fn reads_pass_csrf_and_signed_in_routes_need_a_session() {
    let (app, transport) = app();
    let response = app
        .clone()
        .oneshot(
            Request::get("/auth/mfa/setup")
                .header("origin", "https://evil.example")
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_body(response).await["error"], "missing_token");
    // Outage: 503 with Retry-After, never a 2xx.
    transport.reply_json(
        503,
        json!({"ErrorCode": 950, "Message": "down", "Description": "down"}),
    );
    let response = app
        .oneshot(post("/auth/login", &[], credentials()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
}

/// A body that is not the route's JSON input is core's 400 `invalid_input`, with the JSON error
/// shape and `no-store`, before any request to LoginRadius.
#[tokio::test]
async fn a_body_that_is_not_the_input_is_a_json_400_before_any_upstream_call() {
    let (app, transport) = app();
    let raw = |content_type: Option<&str>, body: &'static str| {
        let mut request = Request::post("/auth/login");
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }
        request.body(Body::from(body)).unwrap()
    };
    for request in [
        raw(Some("application/json"), "not json"),
        raw(Some("application/json"), ""),
        raw(Some("application/json"), r#"{"email": "a@example.com"}"#),
        raw(
            Some("application/json"),
            r#"{"email": 7, "password": "pw"}"#,
        ),
        raw(None, r#"{"email": "a@example.com", "password": "pw"}"#),
        raw(
            Some("text/plain"),
            r#"{"email": "a@example.com", "password": "pw"}"#,
        ),
        post("/auth/mfa/enable", &[], json!({"code": 123456})),
        post("/auth/register", &[], json!({"password": "pw"})),
    ] {
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(response.headers().get("set-cookie").is_none());
        let body = json_body(response).await;
        assert_eq!(body["error"], "invalid_input", "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // A body too large to read keeps axum's 413.
    let large = json!({"email": "a".repeat(3 << 20), "password": "pw"});
    let response = app.oneshot(post("/auth/login", &[], large)).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(transport.is_empty());
}

/// `Secure` is configuration, not a guess from `Host`: through the default settings, a request
/// whose `Host` is loopback (as a proxy may forward it) still gets a `Secure` session cookie.
#[tokio::test]
async fn the_session_cookie_is_secure_by_default_even_for_a_loopback_host() {
    for host in ["127.0.0.1", "127.0.0.1:8080", "localhost:3000"] {
        let (app, transport) = app();
        login_reply(&transport);
        let response = app
            .oneshot(post("/auth/login", &[("host", host)], credentials()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.contains("Secure"), "{host}: {cookie}");
    }
}

/// The layer's authenticator (the guards') cannot read the session the helpers start: without
/// the session source, or reading the encrypted cookie as a plain token. `POST /auth/login`
/// says so (500 `misconfigured`) before any request, instead of a 200 followed by a 401 on
/// every guarded route.
#[tokio::test]
async fn a_layer_that_cannot_read_the_session_makes_login_fail_loudly() {
    use loginradius::web::DEFAULT_COOKIE_NAME;
    use loginradius_axum::LoginRadiusLayer;

    for sources in [
        TokenExtractor::bearer(),
        TokenExtractor::bearer().with_cookie(DEFAULT_COOKIE_NAME),
    ] {
        let transport = RecordingTransport::new();
        let client = LoginRadius::builder()
            .api_key("key")
            .api_secret("secret")
            .transport(transport.clone())
            .build()
            .unwrap();
        let flows = Flows::from_client(client.clone(), SessionCookie::generate()).unwrap();
        let guards = Authenticator::builder(client)
            .token_sources(sources.clone())
            .build()
            .unwrap();
        let app = Router::new()
            .nest("/auth", routes::router(flows.clone()))
            .layer(LoginRadiusLayer::new(guards));
        let response = app
            .oneshot(post("/auth/login", &[], credentials()))
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{sources:?}"
        );
        assert!(response.headers().get("set-cookie").is_none());
        assert_eq!(json_body(response).await["error"], "misconfigured");
        assert!(transport.is_empty(), "no request to LoginRadius");

        // The same app with the flows' own authenticator signs in.
        login_reply(&transport);
        let app = Router::new()
            .nest("/auth", routes::router(flows.clone()))
            .layer(LoginRadiusLayer::from_flows(&flows));
        let response = app
            .oneshot(post("/auth/login", &[], credentials()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}
