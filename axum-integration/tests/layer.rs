//! The layer: lazy per-request lookups, OPTIONS passthrough, the rejection hook and the HTML
//! redirect preset.

mod support;

use axum::extract::Extension;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Router, body::Body};
use http::{Method, Request, StatusCode};
use loginradius_axum::{
    AuthContext, AuthenticatedUser, LoginRadiusLayer, Rejection, RejectionHandler, Require,
    RequireAuth,
};
use support::*;

#[tokio::test]
async fn a_route_that_never_asks_makes_no_upstream_call() {
    let upstream = Upstream::new();
    upstream.user(&["admin"]);
    let app = Router::new()
        .route(
            "/public",
            get(|Extension(context): Extension<AuthContext>| async move {
                format!("resolved={}", context.is_resolved())
            }),
        )
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    let response = send(&app, req("/public", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "resolved=false");
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn asking_twice_in_one_request_looks_up_once() {
    // A failed lookup is not cached as a user, so only the per-request memo keeps this to one
    // lookup (the refused token's short memory is checked before a lookup, not within one).
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(403, 905, "Access token is invalid"));
    let app = Router::new()
        .route(
            "/twice",
            get(
                |a: Option<AuthenticatedUser>,
                 b: Option<AuthenticatedUser>,
                 Extension(context): Extension<AuthContext>| async move {
                    format!("{} {} {}", a.is_some(), b.is_some(), context.is_resolved())
                },
            ),
        )
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    let response = send(&app, req("/twice", Some("tok"))).await;
    assert_eq!(body_text(response).await, "false false true");
    // One call: no profile for a token LoginRadius refused.
    assert_eq!(upstream.count(VALIDATE), 1);
    assert_eq!(upstream.count(PROFILE), 0);
    // A new request with the same refused token: remembered by digest, no call.
    let response = send(&app, req("/twice", Some("tok"))).await;
    assert_eq!(body_text(response).await, "false false true");
    assert_eq!(upstream.count(VALIDATE), 1);
}

#[tokio::test]
async fn the_guards_decision_is_kept_for_the_handler_cold_or_warm() {
    let upstream = Upstream::new();
    upstream.user(&["admin"]);
    let app = Router::new()
        .route(
            "/admin",
            get(
                |Extension(context): Extension<AuthContext>, user: AuthenticatedUser| async move {
                    format!("{} {}", context.is_resolved(), user.uid)
                },
            ),
        )
        .route_layer(RequireAuth::new(Require::role("admin")))
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    // Cold: the guard's lookup (validation, profile, roles) serves the handler too.
    let response = send(&app, req("/admin", Some("tok"))).await;
    assert_eq!(body_text(response).await, format!("true {UID}"));
    assert_eq!(upstream.lookups(), (1, 1, 1));
    // Warm: decided from the caches without a future, and still kept for the handler.
    for _ in 0..3 {
        let response = send(&app, req("/admin", Some("tok"))).await;
        assert_eq!(body_text(response).await, format!("true {UID}"));
    }
    assert_eq!(upstream.total(), 3);
    // Refusals decided at once are the same refusals: no token, or one that cannot be one.
    let response = send(&app, req("/admin", None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(response).await["error"], "missing_token");
    let response = send(&app, req("/admin", Some("a=b"))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(response).await["error"], "invalid_token");
    assert_eq!(upstream.total(), 3);
}

#[tokio::test]
async fn options_preflight_passes_every_guard() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = Router::new()
        .route(
            "/admin",
            get(|| async { "admin" }).options(|| async { (StatusCode::NO_CONTENT, "") }),
        )
        .route_layer(RequireAuth::new(Require::role("admin")))
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/admin")
        .header("origin", "https://app.example")
        .header("access-control-request-method", "GET")
        .body(Body::empty())
        .unwrap();
    let response = send(&app, preflight).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(upstream.total(), 0);
    // The GET itself is still guarded.
    assert_eq!(
        send(&app, req("/admin", None)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn on_rejection_replaces_every_rejection() {
    let upstream = Upstream::new();
    upstream.user(&["viewer"]);
    let layer = LoginRadiusLayer::new(authenticator(&upstream)).on_rejection(
        |rejection: Rejection, parts: &http::request::Parts| {
            (
                rejection.status(),
                format!("custom {} {}", rejection.code(), parts.uri.path()),
            )
                .into_response()
        },
    );
    let app = Router::new()
        .route("/admin", get(|| async { "admin" }))
        .route_layer(RequireAuth::new(Require::role("admin")))
        .route(
            "/me",
            get(|u: AuthenticatedUser| async move { u.uid.to_string() }),
        )
        .layer(layer);
    let response = send(&app, req("/me", None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_text(response).await, "custom missing_token /me");
    let response = send(&app, req("/admin", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(body_text(response).await, "custom forbidden /admin");
}

fn html(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(uri).header("accept", "text/html,application/xhtml+xml");
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    builder.body(Body::empty()).unwrap()
}

fn redirect_app(upstream: &Upstream) -> Router {
    let pages = Router::new()
        .route(
            "/settings",
            get(|u: AuthenticatedUser| async move { u.uid.to_string() }),
        )
        .route("/admin", get(|| async { "admin" }))
        .route_layer(RequireAuth::new(Require::role("admin")));
    Router::new()
        .nest("/app", pages)
        .fallback(|u: AuthenticatedUser| async move { u.uid.to_string() })
        .layer(
            LoginRadiusLayer::new(authenticator(upstream))
                .on_rejection(RejectionHandler::redirect_html_to("/login")),
        )
}

#[tokio::test]
async fn redirect_preset_sends_pages_to_login_with_relative_next() {
    let upstream = Upstream::new();
    upstream.user(&["viewer"]);
    let app = redirect_app(&upstream);
    let response = send(&app, html("/app/settings?tab=mfa&x=a%20b", None)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&response, "location"),
        Some("/login?next=/app/settings%3Ftab%3Dmfa%26x%3Da%2520b")
    );
}

#[tokio::test]
async fn redirect_next_is_never_absolute_or_protocol_relative() {
    let upstream = Upstream::new();
    let app = redirect_app(&upstream);
    for (uri, next) in [
        ("//evil.example/steal", "/evil.example/steal"),
        ("///evil.example", "/evil.example"),
        ("https://evil.example/x?y=1", "/x%3Fy%3D1"),
        ("/%2F%2Fevil.example", "/%252F%252Fevil.example"),
    ] {
        let response = send(&app, html(uri, None)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{uri}");
        let location = header(&response, "location").unwrap();
        assert_eq!(location, format!("/login?next={next}"), "{uri}");
        let next_value = location.strip_prefix("/login?next=").unwrap();
        assert!(next_value.starts_with('/') && !next_value.starts_with("//"));
        assert!(!next_value.contains(':') && !next_value.contains('\\'));
    }
}

#[tokio::test]
async fn redirect_preset_keeps_json_for_api_clients_and_non_401s() {
    let upstream = Upstream::new();
    upstream.user(&["viewer"]);
    let app = redirect_app(&upstream);
    // An API client without a token: the JSON 401.
    let response = send(&app, req("/app/settings", None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(response).await["error"], "missing_token");
    // A signed-in page visitor without the role: 403, not a redirect loop to the login page.
    let response = send(&app, html("/app/admin", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // An expired token on a page: redirected to log in again.
    let expired = Upstream::new();
    expired.tokens_fail(lr_error(403, 906, "expired"));
    let response = send(&redirect_app(&expired), html("/app/settings", Some("old"))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // An outage on a page: 503, not a redirect.
    let down = Upstream::new();
    down.tokens_fail(lr_error(500, 1, "down"));
    let response = send(&redirect_app(&down), html("/app/settings", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[test]
#[should_panic(expected = "same-site path")]
fn redirect_preset_refuses_a_protocol_relative_login_path() {
    let _ = RejectionHandler::redirect_html_to("//evil.example/login");
}
