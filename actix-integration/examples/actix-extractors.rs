//! Handlers taking `AuthenticatedUser`, `MaybeUser` and a guard type (`Guarded<AdminOnly>`), a
//! scope behind the `RequireAuth` middleware, and the route helpers under `/auth`.
//!
//! ```text
//! cargo run -p loginradius-actix --example actix-extractors
//! ```
//!
//! With `LOGINRADIUS_API_KEY` (and `LOGINRADIUS_API_SECRET`, optionally `LOGINRADIUS_BASE_URL`)
//! set, it uses that LoginRadius site. Otherwise it starts the LoginRadius emulator in process
//! with an admin (`admin@example.com` / `password123`) and an editor (`editor@example.com` /
//! `password123`), and prints their tokens and `curl` commands to try. `PORT` sets the port
//! (default 3001).
//!
//! Routes:
//! - `GET /` — anyone; greets signed-in users by name (`MaybeUser`: 503 on an outage, never a
//!   silent "anonymous").
//! - `GET /me` — any signed-in user (`AuthenticatedUser`).
//! - `GET /admin` — the `admin` role (`Guarded<AdminOnly>` in the handler signature).
//! - `GET /reports` — the `admin` role or the `publish` permission (`RequireAuth` middleware on
//!   the scope).
//! - `POST /auth/login`, `/auth/logout`, … — the route helpers; the session cookie they set is
//!   accepted everywhere above, like a Bearer token.

use actix_web::{App, HttpServer, web};
use loginradius::LoginRadius;
use loginradius::web::{CookieSecurity, Flows, SessionCookie};
use loginradius_actix::{
    AuthenticatedUser, Guarded, LoginRadiusConfig, MaybeUser, Require, RequireAuth, policy, routes,
};
use loginradius_emulator::{Emulator, EmulatorConfig, SeedUser};

policy! {
    /// Administrators only.
    AdminOnly = Require::role("admin");
}

async fn home(MaybeUser(user): MaybeUser) -> String {
    match user {
        Some(user) => format!("welcome back {}\n", user.email().unwrap_or("(no email)")),
        None => "welcome, stranger: POST /auth/login or send a Bearer token\n".to_owned(),
    }
}

async fn me(user: AuthenticatedUser) -> String {
    format!(
        "hello {} ({})\n",
        user.email().unwrap_or("no email"),
        user.uid
    )
}

async fn admin(admin: Guarded<AdminOnly>) -> String {
    format!("welcome to the admin area, {}\n", admin.uid)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3001);
    let (client, emulator) = if std::env::var_os("LOGINRADIUS_API_KEY").is_some() {
        (LoginRadius::from_env()?, None)
    } else {
        let emulator = Emulator::start(
            EmulatorConfig::default()
                .with_demo_admin()
                .with_user(SeedUser::new("editor@example.com", "password123").roles(["editor"])),
        )
        .await?;
        let client = LoginRadius::builder()
            .base_url(emulator.base_url())
            .api_key(emulator.api_key())
            .api_secret(emulator.api_secret())
            .build()?;
        (client, Some(emulator))
    };

    // One step: the flows' authenticator reads Bearer tokens and the session cookie, and the
    // app's config uses that authenticator, so the route helpers' sessions work everywhere.
    // This example is served over plain HTTP on 127.0.0.1: the development setting, chosen
    // explicitly (the default, `CookieSecurity::Always`, is the one for a deployed site).
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let flows = Flows::from_client(client.clone(), session)?;

    let server = HttpServer::new(move || {
        App::new()
            .app_data(LoginRadiusConfig::from_flows(&flows))
            .route("/", web::get().to(home))
            .route("/me", web::get().to(me))
            .route("/admin", web::get().to(admin))
            .service(
                web::scope("/reports")
                    .wrap(RequireAuth::new(
                        Require::role("admin").or(Require::permission("publish")),
                    ))
                    .route("", web::get().to(|| async { "the reports\n" })),
            )
            .service(web::scope("/auth").configure(routes::configure(flows.clone())))
    })
    .workers(2)
    .bind(("127.0.0.1", port))?;
    let base = format!("http://{}", server.addrs()[0]);
    println!("listening on {base}");
    if let Some(emulator) = &emulator {
        println!("LoginRadius emulator on {}", emulator.base_url());
        for email in ["admin@example.com", "editor@example.com"] {
            let login = client.auth().login_by_email(email, "password123").await?;
            let token = login.access_token.expose();
            println!("{email}:");
            for path in ["/", "/me", "/admin", "/reports"] {
                println!("  curl -i -H 'Authorization: Bearer {token}' {base}{path}");
            }
        }
        println!("session login:");
        println!(
            "  curl -i -c jar -H 'content-type: application/json' -d \
             '{{\"email\":\"admin@example.com\",\"password\":\"password123\"}}' {base}/auth/login"
        );
        println!("  curl -i -b jar {base}/admin");
    }
    server.run().await?;
    Ok(())
}
