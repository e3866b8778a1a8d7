//! The route helpers end to end, over real HTTP: the app (`/auth` nested from
//! `routes::router`) is served with `axum::serve` on loopback and driven by the scenario table
//! shared with the actix adapter (`loginradius_test_support::route_flows`: every
//! flow against the LoginRadius emulator, MFA with real TOTP codes, session renewal, logout
//! eviction, CSRF, fail-closed outages, no secret in any response).

use axum::Router;
use axum::routing::get;
use loginradius::web::Flows;
use loginradius_axum::routes::{self, AuthRoutes};
use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer};
use loginradius_test_support::route_flows::Server;
use loginradius_test_support::{fleet_session_scenarios, route_flow_scenarios};

/// The helpers under `/auth`, trusting `trusted_origin`, and `GET /me` (the guarded uid),
/// served on an ephemeral loopback port until the scenario ends.
async fn serve(flows: Flows, trusted_origin: &'static str) -> Server {
    let layer = LoginRadiusLayer::new(flows.authenticator().clone());
    let flows_for_renewal = flows.clone();
    let auth = AuthRoutes::new(flows)
        .trusted_origin(trusted_origin)
        .unwrap();
    let router: Router = Router::new()
        .route(
            "/me",
            get(|user: AuthenticatedUser| async move { user.uid.as_str().to_owned() }),
        )
        .nest("/auth", routes::router(auth))
        .layer(layer)
        .layer(axum::middleware::from_fn_with_state(
            flows_for_renewal,
            routes::renew_session,
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Server::new(base, move || server.abort())
}

route_flow_scenarios!(serve);

/// A Redis shared state for one replica (a short command timeout: an outage is seen quickly).
async fn connect(url: String) -> std::sync::Arc<dyn loginradius::fleet::SharedState> {
    let state = loginradius_redis::RedisState::builder(url)
        .command_timeout(std::time::Duration::from_millis(300))
        .connect()
        .await
        .expect("redis");
    std::sync::Arc::new(state)
}

fleet_session_scenarios!(serve, connect);
