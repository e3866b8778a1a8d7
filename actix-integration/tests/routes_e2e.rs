//! The route helpers end to end, over real HTTP: the app (`web::scope("/auth")` configured by
//! `AuthRoutes` with a trusted origin) is served by `actix_web::HttpServer` on a pre-bound
//! loopback listener, in its own thread and actix system, and driven by the scenario table
//! shared with the axum adapter (`loginradius_test_support::route_flows`: every
//! flow against the LoginRadius emulator, MFA with real TOTP codes, session renewal, logout
//! eviction, CSRF, fail-closed outages, no secret in any response).

use std::net::TcpListener;
use std::thread;

use actix_web::rt::System;
use actix_web::{App, HttpResponse, HttpServer, web};
use loginradius::web::Flows;
use loginradius_actix::routes::{self, AuthRoutes, SameOriginWrites};
use loginradius_actix::{AuthenticatedUser, LoginRadiusConfig, Require, RequireAuth};
use loginradius_test_support::route_flows::{STEP_UP_WINDOW, Server};
use loginradius_test_support::{fleet_session_scenarios, route_flow_scenarios};

/// The signed-in user's uid as JSON: the guarded `GET /api/me` of the scenarios.
async fn me(user: AuthenticatedUser) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "uid": user.uid.as_str() }))
}

/// The signed-in user's uid as text: the step-up routes of the scenarios.
async fn uid(user: AuthenticatedUser) -> String {
    user.uid.as_str().to_owned()
}

/// The helpers under `/auth`, trusting `trusted_origin`, the guarded `GET /me` (the uid as
/// text) and `GET /api/me` (as JSON) behind the session renewal, served on an ephemeral loopback
/// port by one worker until the scenario ends; then the server is stopped and its thread
/// joined.
async fn serve(flows: Flows, trusted_origin: &'static str) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (started, handle) = tokio::sync::oneshot::channel();
    let thread = thread::spawn(move || {
        System::new().block_on(async move {
            let server = HttpServer::new(move || {
                let helpers = AuthRoutes::new(flows.clone())
                    .csrf(SameOriginWrites::new().trusted_origin(trusted_origin));
                App::new()
                    .app_data(LoginRadiusConfig::from_flows(&flows))
                    .app_data(web::Data::new(flows.clone()))
                    .wrap(actix_web::middleware::from_fn(routes::renew_session))
                    .route(
                        "/me",
                        web::get().to(|user: AuthenticatedUser| async move {
                            user.uid.as_str().to_owned()
                        }),
                    )
                    .route("/api/me", web::get().to(me))
                    .service(
                        web::resource("/step-up/fresh")
                            .wrap(RequireAuth::new(Require::proven_within(STEP_UP_WINDOW)))
                            .route(web::get().to(uid)),
                    )
                    .service(
                        web::resource("/step-up/second-factor")
                            .wrap(RequireAuth::new(Require::second_factor()))
                            .route(web::get().to(uid)),
                    )
                    .service(web::scope("/auth").configure(|cfg| helpers.configure(cfg)))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run();
            started.send(server.handle()).unwrap();
            server.await.unwrap();
        });
    });
    let handle = handle.await.expect("the actix server starts");
    Server::new(base, move || {
        // `stop` sends the command at once; the server's future ends once the listener is
        // closed and the worker told to stop (not gracefully: the browser's idle keep-alive
        // connection must not hold it), which ends the thread.
        drop(handle.stop(false));
        let ended = thread.join();
        assert!(
            ended.is_ok() || thread::panicking(),
            "the actix server thread ends cleanly"
        );
    })
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
