//! The README's first-hour app (`examples/first_hour.rs`, compiled in here as it is) against
//! the LoginRadius emulator with the demo roles: the optional-user page, `/me`, the permission
//! route, the admin group (browsers redirected to `/login?next=…`, signed-in browsers without
//! the role get the HTML 403), the form login with `next`, and Bearer tokens of seeded users.

#[allow(dead_code)]
#[path = "../examples/first_hour.rs"]
mod first_hour;
#[allow(unused_imports)]
mod support;

use actix_web::{App, test};
use loginradius::web::{CookieSecurity, Flows, SessionCookie};
use loginradius_test_support::e2e::{Emulator, EmulatorConfig, PASSWORD, client, token_for, user};
use support::send;

fn get(path: &str, headers: &[(&str, &str)]) -> test::TestRequest {
    let mut request = test::TestRequest::get().uri(path);
    for (k, v) in headers {
        request = request.insert_header((*k, *v));
    }
    request
}

#[actix_web::test]
async fn the_first_hour_app_works_for_browsers_and_api_clients() {
    let config = EmulatorConfig::default()
        .with_demo_admin()
        .with_user(user("ed@example.com").roles(["editor"]))
        .with_user(user("bo@example.com"));
    let emulator = Emulator::start(config).await.unwrap();
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let flows = Flows::from_client(client(&emulator), session).unwrap();
    let app = test::init_service(App::new().configure(first_hour::app(flows))).await;
    const HTML: (&str, &str) = ("accept", "text/html");

    // Anonymous: the optional-user page, a JSON 401 for API clients, the login redirect.
    assert_eq!(send(&app, get("/", &[])).await.text(), "hello, visitor");
    assert_eq!(send(&app, get("/me", &[])).await.status, 401);
    let admin = send(&app, get("/admin/users?x=1", &[HTML])).await;
    assert_eq!(admin.status, 303);
    assert_eq!(
        admin.header("location"),
        Some("/login?next=/admin/users%3Fx%3D1")
    );

    // An editor signs in with a form and comes back to `next` with a session cookie.
    let login = test::TestRequest::post()
        .uri("/auth/login")
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload(format!(
            "email=ed%40example.com&password={PASSWORD}&next=%2Fpublish"
        ));
    let signed_in = send(&app, login).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.text());
    assert_eq!(signed_in.header("location"), Some("/publish"));
    let set_cookie = signed_in.header("set-cookie").unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let editor = [("cookie", cookie.as_str()), HTML];
    let publish = send(&app, get("/publish", &editor)).await;
    assert_eq!(publish.status, 200);
    assert!(publish.text().starts_with("published by "));
    assert_eq!(send(&app, get("/me", &editor)).await.status, 200);
    // Signed in without the role: the HTML 403 for the browser, JSON for an API client.
    let admin = send(&app, get("/admin", &editor)).await;
    assert_eq!(admin.status, 403);
    assert_eq!(
        admin.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let admin = send(&app, get("/admin", &[("cookie", cookie.as_str())])).await;
    assert_eq!(admin.status, 403);
    assert_eq!(admin.header("content-type"), Some("application/json"));

    // API clients: Bearer tokens of seeded users.
    let bo = format!(
        "Bearer {}",
        token_for(&emulator, "bo@example.com", PASSWORD).await
    );
    let publish = send(&app, get("/publish", &[("authorization", &bo)])).await;
    assert_eq!(publish.status, 403);
    let admin_token = token_for(&emulator, "admin@example.com", "password123").await;
    let bearer = format!("Bearer {admin_token}");
    let admin = send(&app, get("/admin/users", &[("authorization", &bearer)])).await;
    assert_eq!(admin.status, 200);
    assert_eq!(admin.text(), "all users");
}

/// The README shows the example exactly as CI builds and tests it.
#[actix_web::test]
async fn the_readme_shows_the_example_as_it_is() {
    let readme = include_str!("../README.md");
    let example = include_str!("../examples/first_hour.rs");
    assert!(
        readme.contains(&format!("```rust,no_run\n{example}```")),
        "README.md must show examples/first_hour.rs verbatim"
    );
}
