//! # loginradius-axum
//!
//! LoginRadius authentication and authorisation for [axum] 0.8, as a thin adapter over the
//! framework-agnostic engine [`loginradius::auth`]: token extraction, caching, role and
//! permission decisions and the rejection format all live in core; this crate only translates
//! them to axum types.
//!
//! - [`LoginRadiusLayer`]: a `tower::Layer` that puts a lazy per-request [`AuthContext`] in the
//!   request extensions (the user is looked up at most once per request, only when asked).
//! - [`AuthenticatedUser`] and `Option<AuthenticatedUser>` extractors.
//! - [`RequireAuth`]: a guard for `route_layer`, from a [`Require`] value.
//! - [`Policy`], [`policy!`] and [`Guarded`]: reusable guard types in handler signatures.
//! - [`RejectionHandler`]: replaces the default JSON rejections, for example with
//!   [`RejectionHandler::redirect_html_to`] for pages.
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

mod extract;
mod guard;
mod layer;
mod policy;
mod rejection;
pub mod routes;

pub use extract::AuthenticatedUser;
#[allow(deprecated)]
pub use guard::RequireLayer;
pub use guard::{RequireAuth, RequireService};
pub use layer::{AuthContext, LoginRadiusLayer, LoginRadiusService};
/// The core crate, for what is not re-exported here.
pub use loginradius;
pub use loginradius::LoginRadius;
pub use loginradius::auth::{
    Authenticator, Policy, Rejection, RejectionKind, Require, TokenExtractor,
};
/// Declares [`Policy`] types (core's macro, re-exported).
pub use loginradius::policy;
pub use loginradius::web::{CookieSecurity, FlowConfig, Flows, SessionCookie, WiringError};
pub use policy::Guarded;
pub use rejection::{AuthRejection, RejectionHandler, rejection_response};
