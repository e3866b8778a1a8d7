//! Guards: `RequireAuth` middleware on scopes and resources, combinations, OPTIONS
//! pass-through, `Guarded<P>` and `policy!`; and the replaceable rejections (`error_handler`,
//! the HTML redirect preset).

mod support;

use actix_web::{App, HttpResponse, test, web};
use loginradius::auth::{Authenticator, Rejection};
use loginradius_actix::{
    AuthenticatedUser, Guarded, LoginRadiusConfig, MaybeUser, Policy, Require, RequireAuth, policy,
};
use support::*;

policy! {
    /// Administrators.
    AdminOnly = Require::role("admin");
    /// Anyone who may publish.
    Publisher = Require::permission("publish");
}

fn user(roles: &[&str]) -> Upstream {
    let upstream = Upstream::new();
    upstream.user(roles);
    upstream
}

/// The status of `GET /s/r` with `token`, in a scope wrapped by `guard`.
async fn scope_status(upstream: &Upstream, guard: RequireAuth, token: Option<&str>) -> u16 {
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(upstream)))
            .service(
                web::scope("/s")
                    .wrap(guard)
                    .route("/r", web::get().to(|| async { "ok" })),
            ),
    )
    .await;
    send(&app, req("/s/r", token)).await.status
}

#[actix_web::test]
async fn scope_guard_allows_the_role_and_forbids_others() {
    let editor = user(&["editor"]);
    assert_eq!(
        scope_status(
            &editor,
            RequireAuth::new(Require::role("editor")),
            Some("t")
        )
        .await,
        200
    );
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&editor)))
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("", web::get().to(|| async { "admin" })),
            ),
    )
    .await;
    let answer = send(&app, req("/admin", Some("tok"))).await;
    assert_eq!(answer.status, 403);
    let challenge = answer.header("www-authenticate").unwrap();
    assert!(
        challenge.contains(r#"error="insufficient_scope""#),
        "{challenge}"
    );
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.json()["error"], "forbidden");
}

#[actix_web::test]
async fn the_guards_decision_is_kept_for_the_handler_cold_or_warm() {
    let upstream = user(&["admin"]);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&upstream)))
            .service(
                web::scope("/s")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route(
                        "/r",
                        web::get()
                            .to(|user: AuthenticatedUser| async move { user.uid.to_string() }),
                    ),
            ),
    )
    .await;
    // Cold: the guard's lookup (validation, profile, roles) serves the handler too.
    let answer = send(&app, req("/s/r", Some("tok"))).await;
    assert_eq!((answer.status, answer.text()), (200, UID.to_owned()));
    assert_eq!(upstream.lookups(), (1, 1, 1));
    // Warm: decided from the caches without a future of the guard's, the same answer.
    for _ in 0..3 {
        let answer = send(&app, req("/s/r", Some("tok"))).await;
        assert_eq!((answer.status, answer.text()), (200, UID.to_owned()));
    }
    // Refusals decided at once are the same refusals: no token, or one that cannot be one.
    let answer = send(&app, req("/s/r", None)).await;
    assert_eq!(
        (answer.status, answer.json()["error"].clone()),
        (401, "missing_token".into())
    );
    let answer = send(&app, req("/s/r", Some("a=b"))).await;
    assert_eq!(
        (answer.status, answer.json()["error"].clone()),
        (401, "invalid_token".into())
    );
    assert_eq!(upstream.total(), 3);
}

#[actix_web::test]
async fn guard_without_token_is_401_and_asks_nothing_upstream() {
    let upstream = user(&["admin"]);
    assert_eq!(
        scope_status(&upstream, RequireAuth::new(Require::role("admin")), None).await,
        401
    );
    assert_eq!(upstream.total(), 0);
}

#[actix_web::test]
async fn guard_combinations() {
    let editor = user(&["editor"]);
    let cases = [
        (Require::any_role(["admin", "editor"]), 200),
        (Require::all_roles(["admin", "editor"]), 403),
        (Require::permission("publish"), 200),
        (Require::permission("delete"), 403),
        (Require::all_permissions(["publish", "edit"]), 200),
        (Require::role("admin").or(Require::permission("edit")), 200),
        (
            Require::role("editor").and(Require::permission("delete")),
            403,
        ),
        (Require::authenticated(), 200),
    ];
    for (require, expected) in cases {
        let shown = require.to_string();
        assert_eq!(
            scope_status(&editor, RequireAuth::new(require), Some("t")).await,
            expected,
            "{shown}"
        );
    }
}

#[actix_web::test]
async fn resource_guard_and_stacked_guards() {
    let editor = user(&["editor"]);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&editor)))
            .service(
                web::resource("/publish")
                    .wrap(RequireAuth::new(Require::permission("publish")))
                    .wrap(RequireAuth::authenticated())
                    .route(web::post().to(|| async { "published" })),
            )
            .service(
                web::resource("/delete")
                    .wrap(RequireAuth::new(Require::permission("delete")))
                    .wrap(RequireAuth::authenticated())
                    .route(web::post().to(|| async { "deleted" })),
            )
            .route("/open", web::get().to(|| async { "open" })),
    )
    .await;
    let post = |uri: &str| {
        test::TestRequest::post()
            .uri(uri)
            .insert_header(("authorization", "Bearer tok"))
    };
    let answer = send(&app, post("/publish")).await;
    assert_eq!((answer.status, answer.text().as_str()), (200, "published"));
    assert_eq!(send(&app, post("/delete")).await.status, 403);
    // Routes outside the guarded resources are not guarded.
    assert_eq!(send(&app, req("/open", None)).await.status, 200);
    // The stacked guards and the two requests share one lookup per request (and the cache).
    assert_eq!(editor.count(VALIDATE), 1);
}

#[actix_web::test]
async fn guard_and_extractors_share_one_lookup() {
    let upstream = user(&["admin"]);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(
                // No caching between requests, so only the per-request memo can save lookups.
                builder(&upstream)
                    .max_token_ttl(std::time::Duration::from_nanos(1))
                    .build()
                    .unwrap(),
            ))
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route(
                        "",
                        web::get().to(|a: AuthenticatedUser, b: MaybeUser| async move {
                            format!("{} {}", a.uid, b.0.unwrap().uid)
                        }),
                    ),
            ),
    )
    .await;
    let answer = send(&app, req("/admin", Some("tok"))).await;
    assert_eq!(answer.text(), "u-1 u-1");
    assert_eq!(upstream.count(PROFILE), 1);
}

#[actix_web::test]
async fn role_api_outage_is_503_never_allowed() {
    let upstream = user(&["admin"]);
    upstream.always(roles_path(UID), lr_error(500, 1, "down"));
    let status = scope_status(
        &upstream,
        RequireAuth::new(Require::role("admin")),
        Some("t"),
    )
    .await;
    assert_eq!(status, 503);
}

#[actix_web::test]
async fn token_outage_behind_a_guard_is_503_with_retry_after() {
    let upstream = Upstream::new();
    upstream.tokens_fail(Reply::Timeout);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&upstream)))
            .service(
                web::scope("/s")
                    .wrap(RequireAuth::authenticated())
                    .route("/r", web::get().to(|| async { "ok" })),
            ),
    )
    .await;
    let answer = send(&app, req("/s/r", Some("tok"))).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("retry-after"), Some("5"));
    assert_eq!(answer.json()["error"], "unavailable");
}

#[actix_web::test]
async fn guard_without_an_authenticator_is_500() {
    let app = test::init_service(
        App::new().service(
            web::scope("/s")
                .wrap(RequireAuth::authenticated())
                .route("/r", web::get().to(|| async { "ok" })),
        ),
    )
    .await;
    let answer = send(&app, req("/s/r", Some("tok"))).await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.json()["error"], "misconfigured");
}

#[actix_web::test]
async fn options_preflight_passes_every_guard() {
    let upstream = user(&[]);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&upstream)))
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("", web::get().to(|| async { "admin" }))
                    .route(
                        "",
                        web::method(actix_web::http::Method::OPTIONS)
                            .to(|| async { HttpResponse::NoContent().finish() }),
                    ),
            ),
    )
    .await;
    let preflight = test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/admin")
        .insert_header(("origin", "https://app.example"))
        .insert_header(("access-control-request-method", "GET"));
    assert_eq!(send(&app, preflight).await.status, 204);
    assert_eq!(upstream.total(), 0);
    assert_eq!(send(&app, req("/admin", None)).await.status, 401);
}

async fn admin_page(admin: Guarded<AdminOnly>) -> String {
    format!("admin {}", admin.uid)
}

async fn publish(user: Guarded<Publisher>) -> String {
    format!("publisher {}", user.into_inner().uid)
}

fn guarded_app(
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
        .route("/admin", web::get().to(admin_page))
        .route("/publish", web::post().to(publish))
}

#[actix_web::test]
async fn guarded_extractor_allows_and_derefs_to_the_user() {
    let upstream = user(&["admin"]);
    let app = test::init_service(guarded_app(authenticator(&upstream))).await;
    assert_eq!(
        send(&app, req("/admin", Some("t"))).await.text(),
        "admin u-1"
    );
    let request = test::TestRequest::post()
        .uri("/publish")
        .insert_header(("authorization", "Bearer t"));
    assert_eq!(send(&app, request).await.text(), "publisher u-1");
}

#[actix_web::test]
async fn guarded_extractor_refuses() {
    let upstream = user(&["viewer"]);
    let app = test::init_service(guarded_app(authenticator(&upstream))).await;
    let answer = send(&app, req("/admin", Some("t"))).await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.json()["error"], "forbidden");
    assert_eq!(send(&app, req("/admin", None)).await.status, 401);
}

#[actix_web::test]
async fn policy_types_work_as_middleware_too() {
    assert_eq!(AdminOnly::require(), &Require::role("admin"));
    let editor = user(&["editor"]);
    assert_eq!(
        scope_status(&editor, RequireAuth::policy::<Publisher>(), Some("t")).await,
        200
    );
    assert_eq!(
        scope_status(&editor, RequireAuth::policy::<AdminOnly>(), Some("t")).await,
        403
    );
}

#[actix_web::test]
async fn error_handler_replaces_every_rejection() {
    let upstream = user(&["viewer"]);
    let config = LoginRadiusConfig::new(authenticator(&upstream)).error_handler(
        |rejection: Rejection, req: &actix_web::HttpRequest| {
            HttpResponse::build(
                actix_web::http::StatusCode::from_u16(rejection.status().as_u16()).unwrap(),
            )
            .insert_header(("x-path", req.path().to_owned()))
            .body(format!("custom {}", rejection.code()))
        },
    );
    let app = test::init_service(
        App::new()
            .app_data(config)
            .route(
                "/me",
                web::get().to(|u: AuthenticatedUser| async move { u.uid.to_string() }),
            )
            .route("/admin", web::get().to(admin_page))
            .service(
                web::scope("/s")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("/r", web::get().to(|| async { "ok" })),
            ),
    )
    .await;
    let answer = send(&app, req("/me", None)).await;
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (401, "custom missing_token")
    );
    assert_eq!(answer.header("x-path"), Some("/me"));
    let answer = send(&app, req("/admin", Some("t"))).await;
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (403, "custom forbidden")
    );
    let answer = send(&app, req("/s/r", Some("t"))).await;
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (403, "custom forbidden")
    );
    assert_eq!(answer.header("x-path"), Some("/s/r"));
}

#[actix_web::test]
async fn error_handler_alone_with_web_data_authenticator() {
    let upstream = user(&[]);
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(authenticator(&upstream)))
            .app_data(
                LoginRadiusConfig::default()
                    .error_handler(|r, _| HttpResponse::ImATeapot().body(r.code())),
            )
            .route(
                "/me",
                web::get().to(|u: AuthenticatedUser| async move { u.uid.to_string() }),
            ),
    )
    .await;
    let answer = send(&app, req("/me", None)).await;
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (418, "missing_token")
    );
    assert_eq!(send(&app, req("/me", Some("t"))).await.text(), "u-1");
}

fn html(uri: &str) -> test::TestRequest {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"))
}

#[actix_web::test]
async fn redirect_preset_sends_pages_to_login_with_relative_next() {
    let upstream = user(&["viewer"]);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&upstream)).redirect_html_to("/login"))
            .route(
                "/account/page",
                web::get().to(|u: AuthenticatedUser| async move { u.uid.to_string() }),
            )
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("/x", web::get().to(|| async { "ok" })),
            ),
    )
    .await;
    let answer = send(&app, html("/account/page?tab=1&x=%2F")).await;
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.header("location"),
        Some("/login?next=/account/page%3Ftab%3D1%26x%3D%252F")
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    // Guard middleware in a scope: same preset.
    let answer = send(&app, html("/admin/x")).await;
    assert_eq!(answer.header("location"), Some("/login?next=/admin/x"));
    // `next` never leaves the site.
    let answer = send(&app, html("//evil.example/x")).await;
    let location = answer.header("location").unwrap_or_default().to_owned();
    assert!(!location.contains("next=//"), "{location}");
    // API clients and non-401s keep JSON.
    let answer = send(&app, req("/account/page", None)).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json()["error"], "missing_token");
    let answer = send(
        &app,
        html("/admin/x").insert_header(("authorization", "Bearer t")),
    )
    .await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.json()["error"], "forbidden");
}

#[actix_web::test]
async fn a_guarded_scope_answers_401_not_404_and_hides_its_unknown_paths() {
    let upstream = user(&["admin"]);
    let app = test::init_service(
        App::new()
            .app_data(LoginRadiusConfig::new(authenticator(&upstream)))
            .service(
                web::scope("/admin")
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("/x", web::get().to(|| async { "ok" })),
            ),
    )
    .await;
    // Unlike an actix routing guard, a refused request is 401/403, never a 404 fall-through.
    assert_eq!(send(&app, req("/admin/x", None)).await.status, 401);
    // Unknown paths inside the scope are guarded too: anonymous users learn nothing.
    assert_eq!(send(&app, req("/admin/unknown", None)).await.status, 401);
    assert_eq!(
        send(&app, req("/admin/unknown", Some("t"))).await.status,
        404
    );
    assert_eq!(send(&app, req("/elsewhere", None)).await.status, 404);
}
