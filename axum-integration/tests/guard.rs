//! Guards: `RequireAuth` on `route_layer`, their combinations, `Guarded<P>` and `policy!`.

mod support;

use axum::Router;
use axum::routing::get;
use http::StatusCode;
use loginradius_axum::{
    AuthenticatedUser, Guarded, LoginRadiusLayer, Policy, Require, RequireAuth, policy,
};
use support::*;

policy! {
    /// Administrators.
    AdminOnly = Require::role("admin");
    /// Anyone who may publish.
    Publisher = Require::permission("publish");
}

fn guarded(upstream: &Upstream, layers: Vec<RequireAuth>) -> Router {
    let mut router = Router::new().route("/r", get(|| async { "ok" }));
    for layer in layers {
        router = router.route_layer(layer);
    }
    router.layer(LoginRadiusLayer::new(authenticator(upstream)))
}

async fn status(upstream: &Upstream, layers: Vec<RequireAuth>) -> StatusCode {
    send(&guarded(upstream, layers), req("/r", Some("tok")))
        .await
        .status()
}

fn user(roles: &[&str]) -> Upstream {
    let upstream = Upstream::new();
    upstream.user(roles);
    upstream
}

#[tokio::test]
async fn role_guard_allows_the_role_and_forbids_others() {
    let editor = user(&["editor"]);
    assert_eq!(
        status(&editor, vec![RequireAuth::new(Require::role("editor"))]).await,
        StatusCode::OK
    );
    let app = guarded(&editor, vec![RequireAuth::new(Require::role("admin"))]);
    let response = send(&app, req("/r", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let challenge = header(&response, "www-authenticate").unwrap();
    assert!(
        challenge.contains(r#"error="insufficient_scope""#),
        "{challenge}"
    );
    assert_eq!(body_json(response).await["error"], "forbidden");
}

#[tokio::test]
async fn guard_without_token_is_401_and_asks_nothing_upstream() {
    let upstream = user(&["admin"]);
    let app = guarded(&upstream, vec![RequireAuth::new(Require::role("admin"))]);
    let response = send(&app, req("/r", None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header(&response, "www-authenticate"),
        Some(r#"Bearer realm="loginradius""#)
    );
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn guard_combinations() {
    let editor = user(&["editor"]);
    let cases = [
        (Require::any_role(["admin", "editor"]), StatusCode::OK),
        (
            Require::all_roles(["admin", "editor"]),
            StatusCode::FORBIDDEN,
        ),
        (Require::permission("publish"), StatusCode::OK),
        (Require::permission("delete"), StatusCode::FORBIDDEN),
        (
            Require::all_permissions(["publish", "edit"]),
            StatusCode::OK,
        ),
        (
            Require::any_permission(["delete", "read"]),
            StatusCode::FORBIDDEN,
        ),
        (
            Require::role("admin").or(Require::role("editor").and(Require::permission("edit"))),
            StatusCode::OK,
        ),
        (
            Require::role("editor").and(Require::role("viewer")),
            StatusCode::FORBIDDEN,
        ),
        (Require::authenticated(), StatusCode::OK),
    ];
    for (require, expected) in cases {
        let shown = require.to_string();
        assert_eq!(
            status(&editor, vec![RequireAuth::new(require)]).await,
            expected,
            "{shown}"
        );
    }
}

#[tokio::test]
async fn stacked_guards_all_apply() {
    let editor = user(&["editor", "viewer"]);
    let both = vec![
        RequireAuth::new(Require::role("editor")),
        RequireAuth::new(Require::permission("read")),
    ];
    assert_eq!(status(&editor, both).await, StatusCode::OK);
    let one_missing = vec![
        RequireAuth::new(Require::role("editor")),
        RequireAuth::new(Require::role("admin")),
    ];
    assert_eq!(status(&editor, one_missing).await, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn guard_and_extractors_share_one_lookup() {
    let upstream = user(&["editor"]);
    let app = Router::new()
        .route(
            "/r",
            get(
                |a: AuthenticatedUser, b: Option<AuthenticatedUser>| async move {
                    format!("{} {}", a.uid, b.is_some())
                },
            ),
        )
        .route_layer(RequireAuth::new(Require::role("editor")))
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    let response = send(&app, req("/r", Some("tok"))).await;
    assert_eq!(body_text(response).await, "u-1 true");
    assert_eq!(upstream.count(VALIDATE), 1);
    assert_eq!(upstream.count(PROFILE), 1);
}

#[tokio::test]
async fn role_api_outage_is_503_never_allowed() {
    let upstream = user(&["admin"]);
    upstream.always(roles_path(UID), lr_error(500, 1, "down"));
    let app = guarded(&upstream, vec![RequireAuth::new(Require::role("admin"))]);
    let response = send(&app, req("/r", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(header(&response, "retry-after").is_some());
}

#[tokio::test]
async fn token_outage_behind_a_guard_is_503() {
    let upstream = Upstream::new();
    upstream.tokens_fail(Reply::Timeout);
    let app = guarded(&upstream, vec![RequireAuth::authenticated()]);
    let response = send(&app, req("/r", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header(&response, "retry-after"), Some("5"));
}

#[tokio::test]
async fn guard_without_the_layer_is_500() {
    let app = Router::new()
        .route("/r", get(|| async { "ok" }))
        .route_layer(RequireAuth::new(Require::role("admin")));
    let response = send(&app, req("/r", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body_json(response).await["error"], "misconfigured");
}

#[tokio::test]
async fn guard_only_covers_routes_above_it() {
    let upstream = user(&[]);
    let app = Router::new()
        .route("/admin", get(|| async { "admin" }))
        .route_layer(RequireAuth::new(Require::role("admin")))
        .route("/public", get(|| async { "public" }))
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    assert_eq!(
        send(&app, req("/public", None)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        send(&app, req("/admin", None)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Unknown paths stay 404: route_layer does not guard the fallback.
    assert_eq!(
        send(&app, req("/nowhere", None)).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn admin_page(admin: Guarded<AdminOnly>) -> String {
    format!("admin {}", admin.uid)
}

async fn publish(user: Guarded<Publisher>) -> String {
    format!("publisher {}", user.into_inner().uid)
}

fn policy_app(upstream: &Upstream) -> Router {
    Router::new()
        .route("/admin", get(admin_page))
        .route("/publish", get(publish))
        .route("/policy-layer", get(|| async { "ok" }))
        .route_layer(RequireAuth::policy::<AdminOnly>())
        .layer(LoginRadiusLayer::new(authenticator(upstream)))
}

#[tokio::test]
async fn guarded_extractor_allows_and_derefs_to_the_user() {
    let upstream = user(&["admin"]);
    let app = Router::new()
        .route("/admin", get(admin_page))
        .route("/publish", get(publish))
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    let response = send(&app, req("/admin", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "admin u-1");
    let response = send(&app, req("/publish", Some("tok"))).await;
    assert_eq!(body_text(response).await, "publisher u-1");
}

#[tokio::test]
async fn guarded_extractor_refuses() {
    let upstream = user(&["viewer"]);
    let app = Router::new()
        .route("/admin", get(admin_page))
        .layer(LoginRadiusLayer::new(authenticator(&upstream)));
    let response = send(&app, req("/admin", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = send(&app, req("/admin", None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let no_layer = Router::new().route("/admin", get(admin_page));
    let response = send(&no_layer, req("/admin", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn policy_layer_and_policy_types() {
    assert_eq!(AdminOnly::require(), &Require::role("admin"));
    assert!(std::ptr::eq(AdminOnly::require(), AdminOnly::require()));
    let editor = user(&["editor"]);
    let app = policy_app(&editor);
    for path in ["/admin", "/publish", "/policy-layer"] {
        assert_eq!(
            send(&app, req(path, Some("tok"))).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let admin = user(&["admin"]);
    let app = policy_app(&admin);
    for path in ["/admin", "/publish", "/policy-layer"] {
        assert_eq!(
            send(&app, req(path, Some("tok"))).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
}
