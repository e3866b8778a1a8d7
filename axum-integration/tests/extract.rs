//! The `AuthenticatedUser` and `Option<AuthenticatedUser>` extractors: every status and header.

mod support;

use axum::Router;
use axum::routing::get;
use http::StatusCode;
use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer};
use support::*;

async fn me(user: AuthenticatedUser) -> String {
    format!("user {}", user.uid)
}

async fn maybe(user: Option<AuthenticatedUser>) -> String {
    match user {
        Some(user) => format!("user {}", user.uid),
        None => "anonymous".to_owned(),
    }
}

fn app(upstream: &Upstream) -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/maybe", get(maybe))
        .layer(LoginRadiusLayer::new(authenticator(upstream)))
}

#[tokio::test]
async fn valid_token_gives_the_user() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = app(&upstream);
    let response = send(&app, req("/me", Some("good"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "user u-1");
}

#[tokio::test]
async fn missing_token_is_401_without_error_attribute_and_no_upstream_call() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let response = send(&app(&upstream), req("/me", None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header(&response, "www-authenticate"),
        Some(r#"Bearer realm="loginradius""#)
    );
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    assert_eq!(header(&response, "retry-after"), None);
    let body = body_json(response).await;
    assert_eq!(body["error"], "missing_token");
    assert!(body["message"].is_string());
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn malformed_token_is_401_invalid_token_without_lookup() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let request = http::Request::get("/me")
        .header("authorization", "Bearer not a token")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = send(&app(&upstream), request).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = header(&response, "www-authenticate").unwrap();
    assert!(challenge.starts_with(r#"Bearer realm="loginradius", error="invalid_token""#));
    assert_eq!(body_json(response).await["error"], "invalid_token");
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn invalid_token_is_401_invalid_token() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(403, 905, "Access token is invalid"));
    let response = send(&app(&upstream), req("/me", Some("revoked"))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = header(&response, "www-authenticate").unwrap();
    assert!(
        challenge.contains(r#"error="invalid_token""#),
        "{challenge}"
    );
    assert_eq!(body_json(response).await["error"], "invalid_token");
}

#[tokio::test]
async fn expired_token_is_401_invalid_token() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(403, 906, "Access token has expired"));
    let response = send(&app(&upstream), req("/me", Some("old"))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = header(&response, "www-authenticate").unwrap();
    assert!(
        challenge.contains(r#"error="invalid_token""#),
        "{challenge}"
    );
    assert_eq!(body_json(response).await["error"], "expired_token");
}

#[tokio::test]
async fn outage_is_503_with_retry_after() {
    for reply in [
        lr_error(500, 1, "internal"),
        Reply::Timeout,
        Reply::Raw(200, vec![("content-type", "application/json")], "{not json"),
    ] {
        let upstream = Upstream::new();
        upstream.tokens_fail(reply.clone());
        let response = send(&app(&upstream), req("/me", Some("tok"))).await;
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{reply:?}"
        );
        assert_eq!(header(&response, "retry-after"), Some("5"), "{reply:?}");
        assert_eq!(header(&response, "www-authenticate"), None);
        assert_eq!(body_json(response).await["error"], "unavailable");
    }
}

#[tokio::test]
async fn rate_limit_is_503_with_the_upstream_retry_after() {
    let upstream = Upstream::new();
    upstream.tokens_fail(Reply::Raw(
        429,
        vec![("retry-after", "7"), ("content-type", "application/json")],
        r#"{"ErrorCode": 1000, "Message": "slow down"}"#,
    ));
    let response = send(&app(&upstream), req("/me", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header(&response, "retry-after"), Some("7"));
}

#[tokio::test]
async fn without_the_layer_both_extractors_are_500_with_a_clear_message() {
    let app = Router::new()
        .route("/me", get(me))
        .route("/maybe", get(maybe));
    for uri in ["/me", "/maybe"] {
        let response = send(&app, req(uri, Some("tok"))).await;
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{uri}"
        );
        let body = body_json(response).await;
        assert_eq!(body["error"], "misconfigured");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("LoginRadiusLayer"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn optional_user_is_none_without_token() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let response = send(&app(&upstream), req("/maybe", None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "anonymous");
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn optional_user_is_none_for_invalid_expired_or_malformed_tokens() {
    for (code, message) in [(905, "invalid"), (906, "expired")] {
        let upstream = Upstream::new();
        upstream.tokens_fail(lr_error(403, code, message));
        let response = send(&app(&upstream), req("/maybe", Some("tok"))).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_text(response).await, "anonymous");
    }
    let upstream = Upstream::new();
    let request = http::Request::get("/maybe")
        .header("authorization", "Bearer a\"b")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = send(&app(&upstream), request).await;
    assert_eq!(body_text(response).await, "anonymous");
}

#[tokio::test]
async fn optional_user_is_some_for_a_valid_token() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let response = send(&app(&upstream), req("/maybe", Some("good"))).await;
    assert_eq!(body_text(response).await, "user u-1");
}

#[tokio::test]
async fn optional_user_is_503_on_outage_never_anonymous() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(503, 1, "down"));
    let response = send(&app(&upstream), req("/maybe", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(header(&response, "retry-after").is_some());
}

#[tokio::test]
async fn custom_realm_is_used() {
    let upstream = Upstream::new();
    let app = Router::new()
        .route("/me", get(me))
        .layer(LoginRadiusLayer::new(
            builder(&upstream).realm("my-api").build().unwrap(),
        ));
    let response = send(&app, req("/me", None)).await;
    assert_eq!(
        header(&response, "www-authenticate"),
        Some(r#"Bearer realm="my-api""#)
    );
}

/// `MaybeUser` (the actix adapter's name) answers as `Option<AuthenticatedUser>` does: the
/// user, `None` without a valid token, 503 on an outage.
#[tokio::test]
async fn maybe_user_is_the_optional_user_under_the_actix_name() {
    async fn maybe_user(user: loginradius_axum::MaybeUser) -> String {
        match user.into_inner() {
            Some(user) => format!("user {}", user.uid),
            None => "anonymous".to_owned(),
        }
    }
    let app = |upstream: &Upstream| {
        Router::new()
            .route("/maybe", get(maybe_user))
            .layer(LoginRadiusLayer::new(authenticator(upstream)))
    };
    let upstream = Upstream::new();
    upstream.user(&[]);
    let response = send(&app(&upstream), req("/maybe", Some("good"))).await;
    assert_eq!(body_text(response).await, "user u-1");
    let response = send(&app(&upstream), req("/maybe", None)).await;
    assert_eq!(body_text(response).await, "anonymous");
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(503, 1, "down"));
    let response = send(&app(&upstream), req("/maybe", Some("tok"))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}
