//! The route helpers end to end, over real HTTP: the app (`/auth` nested from
//! `routes::router`) is served with `axum::serve` on loopback and driven by the scenario table
//! shared with the actix adapter (`loginradius_test_support::route_flows`: every
//! flow against the LoginRadius emulator, MFA with real TOTP codes, session renewal, logout
//! eviction, CSRF, fail-closed outages, no secret in any response).

use axum::Router;
use loginradius::web::Flows;
use loginradius_axum::routes::{self, AuthRoutes};
use loginradius_test_support::route_flow_scenarios;
use loginradius_test_support::route_flows::Server;

/// The helpers under `/auth`, trusting `trusted_origin`, served on an ephemeral loopback port
/// until the scenario ends.
async fn serve(flows: Flows, trusted_origin: &'static str) -> Server {
    let auth = AuthRoutes::new(flows)
        .trusted_origin(trusted_origin)
        .unwrap();
    let router: Router = Router::new().nest("/auth", routes::router(auth));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Server::new(base, move || server.abort())
}

route_flow_scenarios!(serve);
