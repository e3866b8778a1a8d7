//! The first-hour app (README). Run with `LOGINRADIUS_API_KEY`, `LOGINRADIUS_API_SECRET` (or
//! `LOGINRADIUS_BASE_URL` of an emulator) and `SESSION_KEY` (64+ bytes) set.
use actix_web::{App, HttpServer, web};
use loginradius_actix::{
    AuthenticatedUser, CookieSecurity, Flows, Guarded, LoginRadius, LoginRadiusConfig, MaybeUser,
    Require, RequireAuth, SessionCookie, policy, routes,
};

policy! { /** Editors: the `publish` permission. */ pub Publishers = Require::permission("publish"); }

async fn home(user: MaybeUser) -> String {
    let user = user.into_inner();
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

pub fn app(flows: Flows) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(LoginRadiusConfig::from_flows(&flows).html_pages("/login"))
            .route("/", web::get().to(home))
            .route("/me", web::get().to(me)) // the extractor answers 401 by itself
            .route("/publish", web::get().to(publish)) // a route's guard in its signature
            .service(
                web::scope("/admin") // a group: every route of the scope needs the role
                    .wrap(RequireAuth::new(Require::role("admin")))
                    .route("", web::get().to(|| async { "admin area" }))
                    .route("/users", web::get().to(|| async { "all users" })),
            )
            .service(web::scope("/auth").configure(routes::configure(flows)));
    }
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let session = SessionCookie::from_master_key(std::env::var("SESSION_KEY")?.as_bytes())?
        .with_security(CookieSecurity::AllowLocalHttp); // plain HTTP on localhost only
    let flows = Flows::from_client(LoginRadius::from_env()?, session)?; // Bearer + session
    let server = HttpServer::new(move || App::new().configure(app(flows.clone())));
    Ok(server.bind(("127.0.0.1", 3000))?.run().await?)
}
