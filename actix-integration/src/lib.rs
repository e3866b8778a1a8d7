//! # loginradius-actix
//!
//! LoginRadius authentication and authorisation for [actix-web] 4, as a thin adapter over the
//! framework-agnostic engine [`loginradius::auth`]: token extraction, caching, role and
//! permission decisions and the rejection format all live in core; this crate only translates
//! them to actix types. The axum adapter (`loginradius-axum`) answers exactly the same way.
//!
//! The crate's README (rendered on its repository page) walks through a complete app, the
//! `examples/first_hour.rs` that CI builds and tests.
//!
//! - [`Flows::from_client`] and [`LoginRadiusConfig::from_flows`]: sessions in one step; the
//!   route helpers and the guards read the same session, and a wiring in which they could not
//!   is an error ([`WiringError`]), never a silent 401.
//! - [`LoginRadiusConfig`]: app data holding the [`Authenticator`] (or use
//!   `web::Data<Authenticator>`) and the rejection renderer
//!   ([`on_rejection`](LoginRadiusConfig::on_rejection), in the style of actix's
//!   `JsonConfig`, or the [`html_pages`](LoginRadiusConfig::html_pages) and
//!   [`redirect_html_to`](LoginRadiusConfig::redirect_html_to) presets).
//! - [`AuthenticatedUser`] and the strict [`MaybeUser`] extractors (actix's own `Option<T>`
//!   would turn an outage into an anonymous visitor; `MaybeUser` answers 503 instead).
//! - [`RequireAuth`]: a guard middleware (`Transform`) for a `scope` or a resource, from a
//!   [`Require`] value. It answers 401/403/503, never 404 like routing guards.
//! - [`Policy`], [`policy!`] and [`Guarded`]: reusable guard types in handler signatures.
//! - [`routes::configure`]: the route helpers (login, MFA, registration, logout, password
//!   flows, passwordless, MFA setup) over core's [`loginradius::web::Flows`], with the
//!   Sec-Fetch-Site/Origin CSRF protection of [`routes::SameOriginWrites`].
//!
//! The user is looked up at most once per request, however many extractors and guards ask
//! (the result is kept in the request extensions).
//!
//! ```
//! # #[actix_web::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use actix_web::{App, test, web};
//! use loginradius::LoginRadius;
//! use loginradius::auth::Authenticator;
//! use loginradius::transport::RecordingTransport;
//! use loginradius_actix::{AuthenticatedUser, LoginRadiusConfig, Require, RequireAuth};
//!
//! async fn me(user: AuthenticatedUser) -> String {
//!     format!("hello {}", user.uid)
//! }
//!
//! let client = LoginRadius::builder()
//!     .api_key("key")
//!     .api_secret("secret")
//!     .transport(RecordingTransport::new())
//!     .build()?;
//! let authenticator = Authenticator::builder(client).build()?;
//!
//! let app = test::init_service(
//!     App::new()
//!         .app_data(LoginRadiusConfig::new(authenticator))
//!         .route("/me", web::get().to(me))
//!         .service(
//!             web::scope("/admin")
//!                 .wrap(RequireAuth::new(Require::role("admin")))
//!                 .route("", web::get().to(|| async { "admin area" })),
//!         ),
//! )
//! .await;
//!
//! // No token: 401 with `WWW-Authenticate: Bearer realm="loginradius"`.
//! let response = test::call_service(&app, test::TestRequest::get().uri("/me").to_request()).await;
//! assert_eq!(response.status(), 401);
//! let response = test::call_service(&app, test::TestRequest::get().uri("/admin").to_request()).await;
//! assert_eq!(response.status(), 401);
//! assert_eq!(response.headers().get("www-authenticate").unwrap(), r#"Bearer realm="loginradius""#);
//! # Ok(())
//! # }
//! ```
//!
//! [actix-web]: https://docs.rs/actix-web/4
#![warn(missing_docs)]

// The README's snippets are doctests too.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod config;
mod extract;
mod guard;
mod headers;
mod policy;
mod rejection;
pub mod routes;

pub use config::LoginRadiusConfig;
pub use extract::{AuthenticatedUser, MaybeUser, authenticate};
pub use guard::{RequireAuth, RequireAuthMiddleware, RequireFuture};
/// The core crate, for what is not re-exported here.
pub use loginradius;
pub use loginradius::LoginRadius;
pub use loginradius::auth::{
    Authenticator, Policy, Rejection, RejectionKind, Require, TokenExtractor,
};
/// Declares [`Policy`] types (core's macro, re-exported).
pub use loginradius::policy;
/// OpenAPI security schemes and guarded-route requirements (feature `utoipa`; core's
/// `loginradius::web::openapi`).
#[cfg(feature = "utoipa")]
pub use loginradius::web::openapi;
pub use loginradius::web::{CookieSecurity, FlowConfig, Flows, SessionCookie, WiringError};
pub use policy::Guarded;
#[allow(deprecated)]
pub use rejection::{AuthError, ErrorHandler};
pub use rejection::{AuthRejection, RejectionHandler, rejection_response};
