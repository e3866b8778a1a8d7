//! The first-hour app (README). Run with `LOGINRADIUS_API_KEY`, `LOGINRADIUS_API_SECRET` (or
//! `LOGINRADIUS_BASE_URL` of an emulator) and `SESSION_KEY` (64+ bytes) set.
use axum::{Router, routing::get};
use loginradius_axum::{
    AuthenticatedUser, CookieSecurity, Flows, Guarded, LoginRadius, LoginRadiusLayer, Require,
    RequireAuth, SessionCookie, policy, routes,
};

policy! { /** Editors: the `publish` permission. */ pub Publishers = Require::permission("publish"); }

async fn home(user: Option<AuthenticatedUser>) -> String {
    user.map_or("hello, visitor".into(), |user| {
        format!("hello {}", user.uid)
    })
}

async fn me(user: AuthenticatedUser) -> String {
    format!("you are {} ({:?})", user.uid, user.email())
}

async fn publish(editor: Guarded<Publishers>) -> String {
    format!("published by {}", editor.uid)
}

pub fn app(
    client: LoginRadius,
    session: SessionCookie,
) -> Result<Router, loginradius_axum::WiringError> {
    let flows = Flows::from_client(client, session)?; // Bearer + session cookie, one step
    let admin = Router::new() // a group: every route above its `route_layer` needs the role
        .route("/admin", get(|| async { "admin area" }))
        .route("/admin/users", get(|| async { "all users" }))
        .route_layer(RequireAuth::new(Require::role("admin")));
    Ok(Router::new()
        .route("/", get(home))
        .route("/me", get(me).route_layer(RequireAuth::authenticated())) // one route
        .route("/publish", get(publish)) // the guard in the handler's signature
        .merge(admin)
        .nest("/auth", routes::router(flows.clone()))
        .layer(LoginRadiusLayer::from_flows(&flows).html_pages("/login")))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let session = SessionCookie::from_master_key(std::env::var("SESSION_KEY")?.as_bytes())?
        .with_security(CookieSecurity::AllowLocalHttp); // plain HTTP on localhost only
    let app = app(LoginRadius::from_env()?, session)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    // The peer address: the route helpers' limits count per client.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).await?;
    Ok(())
}
