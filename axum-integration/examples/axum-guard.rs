//! The shortest useful protected router: `/me` for any signed-in user, `/admin` for the `admin`
//! role only.
//!
//! ```text
//! cargo run -p loginradius-axum --example axum-guard
//! ```
//!
//! With `LOGINRADIUS_API_KEY` (and `LOGINRADIUS_API_SECRET`, optionally `LOGINRADIUS_BASE_URL`)
//! set, it protects the router with that LoginRadius site. Otherwise it starts the LoginRadius
//! emulator in process with an admin (`admin@example.com` / `password123`) and an editor
//! (`editor@example.com` / `password123`), and prints their tokens and `curl` commands to try.
//! `PORT` sets the port (default 3000).

use axum::{Router, routing::get};
use loginradius::LoginRadius;
use loginradius::auth::Authenticator;
use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer, Require, RequireAuth};
use loginradius_emulator::{Emulator, EmulatorConfig, SeedUser};

async fn me(user: AuthenticatedUser) -> String {
    format!(
        "hello {} ({})\n",
        user.email().unwrap_or("no email"),
        user.uid
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
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

    let app = Router::new()
        .route("/admin", get(|| async { "welcome to the admin area\n" }))
        .route_layer(RequireAuth::new(Require::role("admin")))
        .route("/me", get(me))
        .layer(LoginRadiusLayer::new(
            Authenticator::builder(client.clone()).build()?,
        ));

    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    let base = format!("http://{}", listener.local_addr()?);
    println!("listening on {base}");
    if let Some(emulator) = &emulator {
        println!("LoginRadius emulator on {}", emulator.base_url());
        for email in ["admin@example.com", "editor@example.com"] {
            let login = client.auth().login_by_email(email, "password123").await?;
            let token = login.access_token.expose();
            println!("{email}:");
            println!("  curl -H 'Authorization: Bearer {token}' {base}/me");
            println!("  curl -H 'Authorization: Bearer {token}' {base}/admin");
        }
    }
    // The peer address: failed token lookups are limited per client.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).await?;
    Ok(())
}
