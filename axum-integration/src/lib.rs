//! # loginradius-axum
//!
//! LoginRadius authentication and authorisation for [axum] 0.8, as a thin adapter over the
//! framework-agnostic engine [`loginradius::auth`]: token extraction, caching, role and
//! permission decisions and the rejection format all live in core; this crate only translates
//! them to axum types.
//!
//! The crate's README (rendered on its repository page) walks through a complete app, the
//! `examples/first_hour.rs` that CI builds and tests: optional user, guards per route and per
//! group, `Guarded`, route helpers with sessions, the browser presets, testing with the
//! emulator, and a `RUST_LOG` recipe.
//!
//! - [`Flows::from_client`] and [`LoginRadiusLayer::from_flows`]: sessions in one step; the
//!   route helpers and the guards read the same session, and a wiring in which they could not
//!   is an error ([`WiringError`]), never a silent 401.
//! - [`LoginRadiusLayer`]: a `tower::Layer` that puts a lazy per-request [`AuthContext`] in the
//!   request extensions (the user is looked up at most once per request, only when asked).
//! - [`AuthenticatedUser`] and `Option<AuthenticatedUser>` extractors, and [`MaybeUser`]
//!   (core's user or `None`, the actix adapter's name).
//! - [`RequireAuth`]: a guard for `route_layer` (a group of routes, or one route), from a
//!   [`Require`] value; see its docs for which routes a guard covers.
//! - [`Policy`], [`policy!`] and [`Guarded`]: reusable guard types in handler signatures.
//! - [`RejectionHandler`]: replaces the default JSON rejections, for example with
//!   [`RejectionHandler::html_pages`] (login redirect and HTML 403) for pages.
//! - [`routes`]: the route helpers (login, MFA, registration, logout, password and
//!   passwordless flows), JSON or HTML forms.
//!
//! ```
//! use axum::{Router, routing::get};
//! use loginradius::auth::{Authenticator, Require};
//! use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer, RequireAuth};
//!
//! async fn me(user: AuthenticatedUser) -> String {
//!     format!("hello {}", user.uid)
//! }
//!
//! fn app(authenticator: Authenticator) -> Router {
//!     Router::new()
//!         .route("/admin", get(|| async { "admin area" }))
//!         .route_layer(RequireAuth::new(Require::role("admin")))
//!         .route("/me", get(me))
//!         .layer(LoginRadiusLayer::new(authenticator))
//! }
//! ```
#![warn(missing_docs)]

// The README's snippets are doctests too.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod extract;
mod guard;
mod layer;
mod policy;
mod rejection;
pub mod routes;

pub use extract::{AuthenticatedUser, MaybeUser};
#[allow(deprecated)]
pub use guard::RequireLayer;
pub use guard::{RequireAuth, RequireFuture, RequireService};
pub use layer::{AuthContext, LoginRadiusLayer, LoginRadiusService, peer_ip};
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
pub use rejection::{AuthRejection, RejectionHandler, rejection_response};
pub use routes::Peer;
