//! Decisions as HTTP data: status, headers and JSON body of every outcome, and fail-closed
//! behaviour when LoginRadius cannot answer.

use std::time::Duration;

use crate::auth_support::*;
use http::{HeaderMap, HeaderValue};
use loginradius::auth::{
    Authenticator, Decision, Extracted, Rejection, RejectionKind, Require, TokenExtractor,
    TokenSource,
};
use serde_json::json;

fn rejected(decision: Decision) -> Rejection {
    match decision {
        Decision::Allow(user) => panic!("allowed {user:?}"),
        Decision::Reject(r) => r,
    }
}

fn assert_response(
    r: &Rejection,
    status: u16,
    code: &str,
    www_authenticate: Option<&str>,
    retry_after: Option<&str>,
) {
    assert_eq!(r.status().as_u16(), status, "{r}");
    assert_eq!(r.code(), code);
    let headers = r.headers();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers.get("www-authenticate").map(|v| v.to_str().unwrap()),
        www_authenticate
    );
    assert_eq!(
        headers.get("retry-after").map(|v| v.to_str().unwrap()),
        retry_after
    );
    let body: serde_json::Value = serde_json::from_slice(&r.body()).unwrap();
    assert_eq!(body, json!({"error": code, "message": r.message()}));
    assert_eq!(body.as_object().unwrap().len(), 2);
    let response = r.clone().into_response();
    assert_eq!(response.status(), r.status());
    assert_eq!(response.headers(), &headers);
    assert_eq!(response.body(), &r.body());
}

#[tokio::test]
async fn allow() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream).build().unwrap();
    match auth.decide(&bearer("tok"), &Require::authenticated()).await {
        Decision::Allow(user) => assert_eq!(user.uid, "u-1"),
        Decision::Reject(r) => panic!("{r}"),
    }
}

#[tokio::test]
async fn missing_token_is_401_without_error_attribute() {
    let upstream = Upstream::new();
    let auth = builder(&upstream).build().unwrap();
    let r = rejected(
        auth.decide(&HeaderMap::new(), &Require::authenticated())
            .await,
    );
    assert_response(
        &r,
        401,
        "missing_token",
        Some(r#"Bearer realm="loginradius""#),
        None,
    );
    assert_eq!(r.message(), "authentication required");
    assert!(r.is_unauthenticated());
    // Another scheme is not a bearer token either.
    let mut basic = HeaderMap::new();
    basic.insert(
        "authorization",
        HeaderValue::from_static("Basic dXNlcjpwYXNz"),
    );
    let r = rejected(auth.decide(&basic, &Require::authenticated()).await);
    assert_eq!(r.kind(), RejectionKind::MissingToken);
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn malformed_token_is_401_invalid_token_without_a_request() {
    let upstream = Upstream::new();
    let auth = builder(&upstream).build().unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_static("Bearer not a token"),
    );
    let r = rejected(auth.decide(&headers, &Require::authenticated()).await);
    assert_response(
        &r,
        401,
        "invalid_token",
        Some(
            r#"Bearer realm="loginradius", error="invalid_token", error_description="the access token is invalid""#,
        ),
        None,
    );
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn invalid_token_is_401_invalid_token() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, lr_error(403, 905, "Access token is invalid"));
    upstream.always(PROFILE, lr_error(403, 905, "Access token is invalid"));
    let auth = builder(&upstream).build().unwrap();
    let r = rejected(
        auth.decide(&bearer("unknown"), &Require::authenticated())
            .await,
    );
    assert_response(
        &r,
        401,
        "invalid_token",
        Some(
            r#"Bearer realm="loginradius", error="invalid_token", error_description="the access token is invalid""#,
        ),
        None,
    );
}

#[tokio::test]
async fn expired_token_is_401_invalid_token_with_its_description() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, lr_error(403, 906, "Access token has expired"));
    upstream.always(PROFILE, lr_error(403, 906, "Access token has expired"));
    let auth = builder(&upstream).realm("my api").build().unwrap();
    let r = rejected(auth.decide(&bearer("old"), &Require::authenticated()).await);
    assert_response(
        &r,
        401,
        "expired_token",
        Some(
            r#"Bearer realm="my api", error="invalid_token", error_description="the access token has expired""#,
        ),
        None,
    );
}

#[tokio::test]
async fn missing_role_is_403_insufficient_scope_and_terse_by_default() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.always(
        roles_path("u-1"),
        Reply::Json(200, json!({"Roles": ["viewer"]})),
    );
    let auth = builder(&upstream).build().unwrap();
    let r = rejected(auth.decide(&bearer("tok"), &Require::role("admin")).await);
    assert_response(
        &r,
        403,
        "forbidden",
        Some(
            r#"Bearer realm="loginradius", error="insufficient_scope", error_description="insufficient role or permission""#,
        ),
        None,
    );
    assert!(!r.message().contains("admin"));
    assert!(!r.is_unauthenticated());
}

#[tokio::test]
async fn verbose_errors_say_what_is_missing() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.always(
        roles_path("u-1"),
        Reply::Json(200, json!({"Roles": ["viewer"]})),
    );
    let auth = builder(&upstream).verbose_errors(true).build().unwrap();
    let r = rejected(auth.decide(&bearer("tok"), &Require::role("admin")).await);
    assert_eq!(r.message(), r#"requires role "admin""#);
    // Quotes are not allowed in the header's quoted-string: replaced.
    assert_eq!(
        r.headers()["www-authenticate"],
        r#"Bearer realm="loginradius", error="insufficient_scope", error_description="requires role ?admin?""#
    );
}

async fn outage(reply: Reply) -> Rejection {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, reply.clone());
    upstream.always(PROFILE, reply);
    let auth = builder(&upstream).build().unwrap();
    rejected(auth.decide(&bearer("tok"), &Require::authenticated()).await)
}

#[tokio::test]
async fn upstream_5xx_is_503_with_retry_after() {
    for status in [500, 502, 503, 504] {
        let r = outage(Reply::Raw(status, vec![], "<html>down</html>")).await;
        assert_response(&r, 503, "unavailable", None, Some("5"));
    }
    let r = outage(lr_error(500, 1, "internal")).await;
    assert_eq!(r.kind(), RejectionKind::Unavailable);
}

#[tokio::test]
async fn upstream_429_is_503_honouring_its_retry_after() {
    let r = outage(Reply::Raw(429, vec![("retry-after", "17")], "")).await;
    assert_response(&r, 503, "unavailable", None, Some("17"));
    let r = outage(Reply::Raw(429, vec![], "")).await;
    assert_response(&r, 503, "unavailable", None, Some("5"));
}

#[tokio::test]
async fn upstream_timeouts_and_network_failures_are_503() {
    let r = outage(Reply::Timeout).await;
    assert_response(&r, 503, "unavailable", None, Some("5"));
    let r = outage(Reply::ConnectError).await;
    assert_eq!(r.kind(), RejectionKind::Unavailable);

    // A real timeout: the upstream answers after the client's request timeout.
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.set_delay(Duration::from_millis(1500));
    let auth = builder(&upstream).build().unwrap();
    let r = rejected(auth.decide(&bearer("tok"), &Require::authenticated()).await);
    assert_eq!(r.kind(), RejectionKind::Unavailable);
}

#[tokio::test]
async fn malformed_upstream_bodies_are_503() {
    for body in ["not json", "{\"Uid\": 42}", "[1,2,3]", ""] {
        let upstream = Upstream::new();
        upstream.always(VALIDATE, Reply::Json(200, validated(in_an_hour())));
        upstream.always(
            PROFILE,
            Reply::Raw(200, vec![("content-type", "application/json")], body),
        );
        let auth = builder(&upstream).build().unwrap();
        let r = rejected(auth.decide(&bearer("tok"), &Require::authenticated()).await);
        assert_eq!(r.kind(), RejectionKind::Unavailable, "{body}");
    }
    let r = outage(Reply::Raw(200, vec![], "<html>captive portal</html>")).await;
    assert_eq!(r.kind(), RejectionKind::Unavailable);
}

#[tokio::test]
async fn unknown_upstream_errors_fail_closed() {
    // An API error that says nothing about the token (bad API key, say).
    let r = outage(lr_error(400, 901, "API key is invalid")).await;
    assert_eq!(r.kind(), RejectionKind::Unavailable);
}

#[tokio::test]
async fn an_outage_never_allows_whatever_the_requirement() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, Reply::Raw(503, vec![], ""));
    upstream.always(PROFILE, Reply::Raw(503, vec![], ""));
    let auth = builder(&upstream).build().unwrap();
    for require in [
        Require::authenticated(),
        Require::all([]),
        Require::role("x"),
    ] {
        assert!(!auth.decide(&bearer("tok"), &require).await.is_allowed());
    }
    assert_eq!(
        auth.authenticate_optional(&bearer("tok"))
            .await
            .unwrap_err()
            .kind(),
        RejectionKind::Unavailable
    );
}

#[tokio::test]
async fn optional_authentication_is_none_for_401s_only() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, lr_error(403, 905, "Access token is invalid"));
    upstream.always(PROFILE, lr_error(403, 905, "Access token is invalid"));
    let auth = builder(&upstream).build().unwrap();
    assert!(
        auth.authenticate_optional(&HeaderMap::new())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        auth.authenticate_optional(&bearer("bad"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn misconfiguration_is_500_with_a_clear_message() {
    let r = Rejection::misconfigured("no Authenticator was installed for this route");
    assert_response(&r, 500, "misconfigured", None, None);
    assert_eq!(r.message(), "no Authenticator was installed for this route");

    let upstream = Upstream::new();
    let auth = builder(&upstream).realm("app").build().unwrap();
    let r = auth.reject(RejectionKind::Misconfigured);
    assert_response(&r, 500, "misconfigured", None, None);
    assert_eq!(
        r.message(),
        "authentication is misconfigured on this server"
    );
    let r = auth.reject(RejectionKind::MissingToken);
    assert_eq!(r.headers()["www-authenticate"], r#"Bearer realm="app""#);
}

#[tokio::test]
async fn the_retry_after_default_is_configurable() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, Reply::Timeout);
    upstream.always(PROFILE, Reply::Timeout);
    let auth = builder(&upstream)
        .retry_after(Duration::from_secs(30))
        .build()
        .unwrap();
    let r = rejected(auth.decide(&bearer("tok"), &Require::authenticated()).await);
    assert_eq!(r.headers()["retry-after"], "30");
}

#[tokio::test]
async fn tokens_come_from_the_configured_sources() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream)
        .token_sources(TokenExtractor::bearer().with_cookie("lr_session"))
        .build()
        .unwrap();
    let mut cookie = HeaderMap::new();
    cookie.insert("cookie", HeaderValue::from_static("a=b; lr_session=tok"));
    assert!(
        auth.decide(&cookie, &Require::authenticated())
            .await
            .is_allowed()
    );

    // Bearer only: the cookie is ignored.
    let bearer_only = builder(&upstream).build().unwrap();
    let r = rejected(bearer_only.decide(&cookie, &Require::authenticated()).await);
    assert_eq!(r.kind(), RejectionKind::MissingToken);

    // A custom source.
    let custom = builder(&upstream)
        .token_sources(TokenExtractor::none().with(TokenSource::custom(|h| {
            match h.get("x-token").and_then(|v| v.to_str().ok()) {
                Some(t) => Extracted::Found(t.into()),
                None => Extracted::Missing,
            }
        })))
        .build()
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("x-token", HeaderValue::from_static("tok"));
    assert!(
        custom
            .decide(&headers, &Require::authenticated())
            .await
            .is_allowed()
    );
}

#[test]
fn the_builder_refuses_unusable_settings() {
    let upstream = Upstream::new();
    let bad: Vec<(&str, loginradius::auth::AuthenticatorBuilder)> = vec![
        ("zero ttl", builder(&upstream).max_token_ttl(Duration::ZERO)),
        (
            "zero roles ttl",
            builder(&upstream).roles_ttl(Duration::ZERO),
        ),
        (
            "roles ttl past a year (the cache would panic)",
            builder(&upstream).roles_ttl(Duration::MAX),
        ),
        (
            "token ttl past a year",
            builder(&upstream)
                .max_token_ttl(loginradius::auth::MAX_CACHE_TTL + Duration::from_secs(1)),
        ),
        (
            "definitions ttl past a year",
            builder(&upstream).role_definitions_ttl(Duration::MAX),
        ),
        (
            "contexts ttl past a year",
            builder(&upstream).role_contexts_ttl(Duration::MAX),
        ),
        ("zero capacity", builder(&upstream).max_cached_tokens(0)),
        ("bad realm", builder(&upstream).realm("a\"b")),
        ("empty realm", builder(&upstream).realm("")),
        (
            "no sources",
            builder(&upstream).token_sources(TokenExtractor::none()),
        ),
    ];
    for (name, b) in bad {
        assert!(
            matches!(b.build(), Err(loginradius::Error::Config(_))),
            "{name}"
        );
    }
    assert!(
        builder(&upstream)
            .max_token_ttl(loginradius::auth::MAX_CACHE_TTL)
            .roles_ttl(loginradius::auth::MAX_CACHE_TTL)
            .build()
            .is_ok(),
        "a year is accepted"
    );
    assert!(builder(&upstream).build().is_ok());
}

#[test]
fn building_spawns_nothing_and_needs_no_runtime() {
    // No tokio runtime here: building must not spawn.
    let upstream = Upstream::new();
    let auth: Authenticator = builder(&upstream).build().unwrap();
    drop(auth);
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn with_retries_an_outage_is_still_503_after_the_retries() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, Reply::Raw(502, vec![], ""));
    upstream.always(PROFILE, Reply::Raw(502, vec![], ""));
    let client = loginradius::LoginRadius::builder()
        .api_key("k")
        .api_secret("s")
        .retry(
            loginradius::RetryPolicy::default()
                .max_retries(2)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .transport(upstream.clone())
        .build()
        .unwrap();
    let auth = Authenticator::builder(client).build().unwrap();
    let r = rejected(auth.decide(&bearer("tok"), &Require::authenticated()).await);
    assert_eq!(r.kind(), RejectionKind::Unavailable);
    // The validation is retried; the profile is not asked before a validation answers.
    assert_eq!(
        (upstream.count(VALIDATE), upstream.count(PROFILE)),
        (3, 0),
        "{:?}",
        upstream.calls()
    );
}
