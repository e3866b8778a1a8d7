//! The route helpers end to end, over real HTTP: the app (`/auth` nested from
//! `routes::router`) is served with `axum::serve` on loopback and driven by the scenario table
//! shared with the actix adapter (`loginradius_test_support::route_flows`: every
//! flow against the LoginRadius emulator, MFA with real TOTP codes, session renewal, logout
//! eviction, CSRF, fail-closed outages, no secret in any response).

use std::net::SocketAddr;

use axum::routing::get;
use axum::{Json, Router};
use loginradius::auth::Require;
use loginradius::web::Flows;
use loginradius_axum::routes::{self, AuthRoutes};
use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer, RequireAuth};
use loginradius_test_support::route_flows::{STEP_UP_WINDOW, Server};
use loginradius_test_support::{fleet_session_scenarios, route_flow_scenarios};
use serde_json::{Value, json};

/// The helpers under `/auth`, trusting `trusted_origin`, the guarded `GET /me` (the signed-in
/// user's uid as text) and `GET /api/me` (as JSON) behind the flows' layer and the session
/// renewal, served with the peer address (`ConnectInfo`) on an ephemeral loopback port until
/// the scenario ends.
async fn serve(flows: Flows, trusted_origin: &'static str) -> Server {
    let layer = LoginRadiusLayer::from_flows(&flows);
    let flows_for_renewal = flows.clone();
    let auth = AuthRoutes::new(flows)
        .trusted_origin(trusted_origin)
        .unwrap();
    let router: Router = Router::new()
        .route(
            "/me",
            get(|user: AuthenticatedUser| async move { user.uid.as_str().to_owned() }),
        )
        .route("/api/me", get(me))
        .merge(step_up_routes())
        .nest("/auth", routes::router(auth))
        .layer(layer)
        .layer(axum::middleware::from_fn_with_state(
            flows_for_renewal,
            routes::renew_session,
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server::new(base, move || server.abort())
}

/// `GET /step-up/fresh` and `GET /step-up/second-factor`, each behind its step-up guard.
fn step_up_routes() -> Router {
    let uid = |user: AuthenticatedUser| async move { user.uid.as_str().to_owned() };
    Router::new()
        .route(
            "/step-up/fresh",
            get(uid).route_layer(RequireAuth::new(Require::proven_within(STEP_UP_WINDOW))),
        )
        .route(
            "/step-up/second-factor",
            get(uid).route_layer(RequireAuth::new(Require::second_factor())),
        )
}

async fn me(user: AuthenticatedUser) -> Json<Value> {
    Json(json!({ "uid": user.uid.as_str() }))
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
