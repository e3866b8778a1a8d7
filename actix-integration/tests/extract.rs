//! The `AuthenticatedUser` and `MaybeUser` extractors: every status and header, in process with
//! `actix_web::test` and a scripted LoginRadius.

mod support;

use actix_web::{App, test, web};
use loginradius::auth::Authenticator;
use loginradius_actix::{AuthenticatedUser, LoginRadiusConfig, MaybeUser};
use support::*;

async fn me(user: AuthenticatedUser) -> String {
    format!("user {}", user.uid)
}

async fn maybe(MaybeUser(user): MaybeUser) -> String {
    match user {
        Some(user) => format!("user {}", user.uid),
        None => "anonymous".to_owned(),
    }
}

async fn twice(a: AuthenticatedUser, b: MaybeUser, c: AuthenticatedUser) -> String {
    format!("{} {} {}", a.uid, b.0.unwrap().uid, c.uid)
}

fn app_with(
    authenticator: Authenticator,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(LoginRadiusConfig::new(authenticator))
        .route("/me", web::get().to(me))
        .route("/maybe", web::get().to(maybe))
        .route("/twice", web::get().to(twice))
}

#[actix_web::test]
async fn valid_token_gives_the_user() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/me", Some("good"))).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "user u-1");
}

#[actix_web::test]
async fn missing_token_is_401_without_error_attribute_and_no_upstream_call() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/me", None)).await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.header("www-authenticate"),
        Some(r#"Bearer realm="loginradius""#)
    );
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(answer.header("retry-after"), None);
    let body = answer.json();
    assert_eq!(body["error"], "missing_token");
    assert!(body["message"].is_string());
    assert_eq!(upstream.total(), 0);
}

#[actix_web::test]
async fn malformed_token_is_401_invalid_token_without_lookup() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let request = test::TestRequest::get()
        .uri("/me")
        .insert_header(("authorization", "Bearer not a token"));
    let answer = send(&app, request).await;
    assert_eq!(answer.status, 401);
    let challenge = answer.header("www-authenticate").unwrap();
    assert!(challenge.starts_with(r#"Bearer realm="loginradius", error="invalid_token""#));
    assert_eq!(answer.json()["error"], "invalid_token");
    assert_eq!(upstream.total(), 0);
}

#[actix_web::test]
async fn invalid_token_is_401_invalid_token() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(403, 905, "Access token is invalid"));
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/me", Some("revoked"))).await;
    assert_eq!(answer.status, 401);
    let challenge = answer.header("www-authenticate").unwrap();
    assert!(
        challenge.contains(r#"error="invalid_token""#),
        "{challenge}"
    );
    assert_eq!(answer.json()["error"], "invalid_token");
}

#[actix_web::test]
async fn expired_token_is_401_invalid_token() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(403, 906, "Access token has expired"));
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/me", Some("old"))).await;
    assert_eq!(answer.status, 401);
    let challenge = answer.header("www-authenticate").unwrap();
    assert!(
        challenge.contains(r#"error="invalid_token""#),
        "{challenge}"
    );
    assert_eq!(answer.json()["error"], "expired_token");
}

#[actix_web::test]
async fn outage_is_503_with_retry_after() {
    for reply in [
        lr_error(500, 1, "internal"),
        Reply::Timeout,
        Reply::Raw(200, vec![("content-type", "application/json")], "{not json"),
    ] {
        let upstream = Upstream::new();
        upstream.tokens_fail(reply.clone());
        let app = test::init_service(app_with(authenticator(&upstream))).await;
        let answer = send(&app, req("/me", Some("tok"))).await;
        assert_eq!(answer.status, 503, "{reply:?}");
        assert_eq!(answer.header("retry-after"), Some("5"), "{reply:?}");
        assert_eq!(answer.header("www-authenticate"), None);
        assert_eq!(answer.json()["error"], "unavailable");
    }
}

#[actix_web::test]
async fn rate_limit_is_503_with_the_upstream_retry_after() {
    let upstream = Upstream::new();
    upstream.tokens_fail(Reply::Raw(
        429,
        vec![("retry-after", "7"), ("content-type", "application/json")],
        r#"{"ErrorCode": 1000, "Message": "slow down"}"#,
    ));
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/me", Some("tok"))).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("retry-after"), Some("7"));
}

#[actix_web::test]
async fn without_an_authenticator_both_extractors_are_500_with_a_clear_message() {
    let app = test::init_service(
        App::new()
            .route("/me", web::get().to(me))
            .route("/maybe", web::get().to(maybe)),
    )
    .await;
    for uri in ["/me", "/maybe"] {
        let answer = send(&app, req(uri, Some("tok"))).await;
        assert_eq!(answer.status, 500, "{uri}");
        let body = answer.json();
        assert_eq!(body["error"], "misconfigured");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("LoginRadiusConfig::new(authenticator)"),
            "{body}"
        );
    }
}

#[actix_web::test]
async fn the_authenticator_may_come_from_web_data() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(authenticator(&upstream)))
            .route("/me", web::get().to(me)),
    )
    .await;
    assert_eq!(
        send(&app, req("/me", Some("good"))).await.text(),
        "user u-1"
    );
}

#[actix_web::test]
async fn maybe_user_is_none_without_token() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/maybe", None)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "anonymous");
    assert_eq!(upstream.total(), 0);
}

#[actix_web::test]
async fn maybe_user_is_none_for_invalid_expired_or_malformed_tokens() {
    for (code, message) in [(905, "invalid"), (906, "expired")] {
        let upstream = Upstream::new();
        upstream.tokens_fail(lr_error(403, code, message));
        let app = test::init_service(app_with(authenticator(&upstream))).await;
        let answer = send(&app, req("/maybe", Some("tok"))).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.text(), "anonymous");
    }
    let upstream = Upstream::new();
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let request = test::TestRequest::get()
        .uri("/maybe")
        .insert_header(("authorization", "Bearer a\"b"));
    assert_eq!(send(&app, request).await.text(), "anonymous");
}

#[actix_web::test]
async fn maybe_user_is_some_for_a_valid_token() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    assert_eq!(
        send(&app, req("/maybe", Some("good"))).await.text(),
        "user u-1"
    );
}

#[actix_web::test]
async fn maybe_user_is_503_on_outage_never_anonymous() {
    let upstream = Upstream::new();
    upstream.tokens_fail(lr_error(503, 1, "down"));
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/maybe", Some("tok"))).await;
    assert_eq!(answer.status, 503);
    assert!(answer.header("retry-after").is_some());
}

#[actix_web::test]
async fn several_extractors_in_one_request_look_up_once() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let answer = send(&app, req("/twice", Some("good"))).await;
    assert_eq!(answer.text(), "u-1 u-1 u-1");
    assert_eq!(upstream.count(VALIDATE), 1);
    assert_eq!(upstream.count(PROFILE), 1);
}

#[actix_web::test]
async fn custom_realm_is_used() {
    let upstream = Upstream::new();
    let app = test::init_service(app_with(
        builder(&upstream).realm("my-api").build().unwrap(),
    ))
    .await;
    let answer = send(&app, req("/me", None)).await;
    assert_eq!(
        answer.header("www-authenticate"),
        Some(r#"Bearer realm="my-api""#)
    );
}

#[actix_web::test]
async fn two_authorization_headers_are_an_invalid_token_without_lookup() {
    let upstream = Upstream::new();
    upstream.user(&[]);
    let app = test::init_service(app_with(authenticator(&upstream))).await;
    let request = test::TestRequest::get()
        .uri("/me")
        .append_header(("authorization", "Bearer a"))
        .append_header(("authorization", "Bearer b"));
    let answer = send(&app, request).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json()["error"], "invalid_token");
    assert_eq!(upstream.total(), 0);
}

#[actix_web::test]
async fn token_sources_see_the_headers_they_read() {
    use loginradius::auth::{Extracted, TokenExtractor, TokenSource};
    let upstream = Upstream::new();
    upstream.user(&[]);
    // A cookie source, then a custom source reading a header of its own.
    let sources = TokenExtractor::none()
        .with_cookie("sid")
        .with(TokenSource::custom(|headers| {
            match headers.get("x-api-token").map(|v| v.to_str()) {
                Some(Ok(token)) => Extracted::Found(token.into()),
                Some(Err(_)) => Extracted::Malformed,
                None => Extracted::Missing,
            }
        }));
    let app = test::init_service(app_with(
        builder(&upstream).token_sources(sources).build().unwrap(),
    ))
    .await;
    let by_cookie = req("/me", None).insert_header(("cookie", "theme=dark; sid=from-cookie"));
    assert_eq!(send(&app, by_cookie).await.text(), "user u-1");
    let by_custom = req("/me", None).insert_header(("x-api-token", "from-header"));
    assert_eq!(send(&app, by_custom).await.text(), "user u-1");
    // Each token was looked up as sent: the bearer header is not a source here.
    let bearer_only = send(&app, req("/me", Some("ignored"))).await;
    assert_eq!(bearer_only.status, 401);
    let sent: Vec<String> = upstream
        .recording()
        .requests()
        .iter()
        .filter(|r| r.path() == PROFILE)
        .filter_map(|r| Some(r.headers.get("authorization")?.to_str().ok()?.to_owned()))
        .collect();
    assert_eq!(sent, ["Bearer from-cookie", "Bearer from-header"]);
}
