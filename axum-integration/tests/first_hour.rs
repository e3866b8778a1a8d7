//! The README's first-hour app (`examples/first_hour.rs`, compiled in here as it is) against
//! the LoginRadius emulator with the demo roles: the optional-user page, `/me`, the permission
//! route, the admin group (browsers redirected to `/login?next=…`, signed-in browsers without
//! the role get the HTML 403), the form login with `next`, and Bearer tokens of seeded users.

#[allow(dead_code)]
#[path = "../examples/first_hour.rs"]
mod first_hour;

use axum::body::Body;
use axum::response::Response;
use http::{Request, StatusCode};
use loginradius::auth::{Authenticator, Require};
use loginradius::web::{CookieSecurity, SessionCookie};
use loginradius_test_support::e2e::{
    Emulator, EmulatorConfig, PASSWORD, SeedRoleContext, client, token_for, user,
};
use tower::ServiceExt;

async fn body(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_first_hour_app_works_for_browsers_and_api_clients() {
    let config = EmulatorConfig::default()
        .with_demo_admin()
        .with_user(user("ed@example.com").roles(["editor"]))
        .with_user(user("bo@example.com"));
    let emulator = Emulator::start(config).await.unwrap();
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let app = first_hour::app(client(&emulator), session).unwrap();
    let call = |request| app.clone().oneshot(request);
    const HTML: (&str, &str) = ("accept", "text/html");

    // Anonymous: the optional-user page, a JSON 401 for API clients, the login redirect.
    let home = call(get("/", &[])).await.unwrap();
    assert_eq!(body(home).await, "hello, visitor");
    let me = call(get("/me", &[])).await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let admin = call(get("/admin/users?x=1", &[HTML])).await.unwrap();
    assert_eq!(admin.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        admin.headers()["location"],
        "/login?next=/admin/users%3Fx%3D1"
    );

    // An editor signs in with a form and comes back to `next` with a session cookie.
    let login = Request::post("/auth/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "email=ed%40example.com&password={PASSWORD}&next=%2Fpublish"
        )))
        .unwrap();
    let signed_in = call(login).await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/publish");
    let set_cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let editor = [("cookie", cookie.as_str()), HTML];
    let publish = call(get("/publish", &editor)).await.unwrap();
    assert_eq!(publish.status(), StatusCode::OK);
    assert!(body(publish).await.starts_with("published by "));
    let me = call(get("/me", &editor)).await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    // Signed in without the role: the HTML 403 for the browser, JSON for an API client.
    let admin = call(get("/admin", &editor)).await.unwrap();
    assert_eq!(admin.status(), StatusCode::FORBIDDEN);
    assert_eq!(admin.headers()["content-type"], "text/html; charset=utf-8");
    let admin = call(get("/admin", &[("cookie", cookie.as_str())]))
        .await
        .unwrap();
    assert_eq!(admin.status(), StatusCode::FORBIDDEN);
    assert_eq!(admin.headers()["content-type"], "application/json");

    // API clients: Bearer tokens of seeded users.
    let bo = format!(
        "Bearer {}",
        token_for(&emulator, "bo@example.com", PASSWORD).await
    );
    let publish = call(get("/publish", &[("authorization", &bo)]))
        .await
        .unwrap();
    assert_eq!(publish.status(), StatusCode::FORBIDDEN);
    let admin_token = token_for(&emulator, "admin@example.com", "password123").await;
    let bearer = format!("Bearer {admin_token}");
    let admin = call(get("/admin/users", &[("authorization", &bearer)]))
        .await
        .unwrap();
    assert_eq!(admin.status(), StatusCode::OK);
    assert_eq!(body(admin).await, "all users");
}

#[tokio::test]
async fn seeded_role_contexts_and_roles_without_permissions_are_what_guards_see() {
    let config = EmulatorConfig::default()
        .with_demo_admin()
        .with_role("viewer", [])
        .with_user(user("cy@example.com").roles(["viewer"]).role_context(
            SeedRoleContext::new("tenant-1", ["editor"]).additional_permissions(["export"]),
        ));
    let emulator = Emulator::start(config).await.unwrap();
    let authenticator = Authenticator::builder(client(&emulator)).build().unwrap();
    let token = token_for(&emulator, "cy@example.com", PASSWORD).await;
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
    let decide = |require: Require| {
        let (authenticator, headers) = (authenticator.clone(), headers.clone());
        async move {
            match authenticator.decide(&headers, &require).await {
                loginradius::auth::Decision::Allow(_) => StatusCode::OK,
                loginradius::auth::Decision::Reject(rejection) => rejection.status(),
            }
        }
    };
    assert_eq!(decide(Require::role("viewer")).await, StatusCode::OK);
    assert_eq!(
        decide(Require::permission("publish")).await,
        StatusCode::FORBIDDEN
    );
    let in_tenant = |r: Require| r.in_context("tenant-1");
    assert_eq!(
        decide(in_tenant(Require::permission("publish"))).await,
        StatusCode::OK
    );
    assert_eq!(
        decide(in_tenant(Require::permission("export"))).await,
        StatusCode::OK
    );
    assert_eq!(
        decide(in_tenant(Require::role("admin"))).await,
        StatusCode::FORBIDDEN
    );
}

/// The README shows the example exactly as CI builds and tests it.
#[test]
fn the_readme_shows_the_example_as_it_is() {
    let readme = include_str!("../README.md");
    let example = include_str!("../examples/first_hour.rs");
    assert!(
        readme.contains(&format!("```rust,no_run\n{example}```")),
        "README.md must show examples/first_hour.rs verbatim"
    );
}

/// The workspace README shows the example's `app` function exactly as it is built here.
#[test]
fn the_workspace_readme_shows_the_examples_app_as_it_is() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../examples/first_hour.rs");
    let start = example.find("pub fn app(").unwrap();
    let end = example.find("#[tokio::main]").unwrap();
    let app = example[start..end].trim_end();
    assert!(
        readme.contains(&format!("```rust\n{app}\n```")),
        "README.md must show the `app` of axum-integration/examples/first_hour.rs verbatim"
    );
}
