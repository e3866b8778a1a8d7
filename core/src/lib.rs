//! # loginradius
//!
//! An async client for the [LoginRadius](https://www.loginradius.com) customer identity API v2:
//! login, registration, profiles, MFA, roles, custom objects and the rest of the API, with
//! request signing, SOTT generation, typed models and one matchable error type.
//!
//! - Build a [`LoginRadius`] client with [`LoginRadius::builder`] or [`LoginRadius::from_env`].
//! - Call the API through group handles: `client.auth()`, `client.account()`, `client.roles()`,
//!   `client.mfa()`… Required arguments are parameters; optional ones are setters on the
//!   returned builder, which you `.await`.
//! - Every error is an [`Error`]; secrets never appear in `Debug` output, logs or messages.
//! - The HTTP stack is pluggable through [`transport::Transport`] (reqwest with rustls by default).
//! - [`auth`] is the framework-agnostic authentication engine (token → user, roles and
//!   permissions, allow/401/403/503 decisions) behind the axum and actix adapters.
//!
//! ```no_run
//! use loginradius::LoginRadius;
//!
//! # async fn run() -> Result<(), loginradius::Error> {
//! let client = LoginRadius::builder()
//!     .api_key("your-api-key")
//!     .api_secret("your-api-secret")
//!     .build()?;
//!
//! let login = client.auth().login_by_email("jane@example.com", "correct horse").await?;
//! println!("signed in as {}", login.profile.as_ref().map_or("?", |p| p.uid.as_str()));
//! # Ok(()) }
//! ```
//!
//! ## Pointing at the emulator
//!
//! `loginradius-emulator` serves the same wire format on loopback. Set
//! `LOGINRADIUS_BASE_URL` and `LOGINRADIUS_CONFIG_URL` (or [`config::Builder::base_url`] and
//! [`config::Builder::config_url`]) to its address.
//!
//! ## The modules
//!
//! Read top-down: each module uses only modules below it.
//!
//! ```text
//! web        route-helper flows for the axum and actix adapters: sessions, CSRF, redirects
//! auth       the engine: token -> user -> roles and permissions -> Decision (allow/401/403/503)
//! api        one module per API group (client.auth(), client.roles(), ...): request builders
//! client     LoginRadius, the handle shared by clones (SOTT key, settings)
//!  └ role_events   role changes made through a client, told to its authenticators
//! request    how a call becomes HTTP: Endpoint, Call, sending with retries, decoding
//! config     Builder and LOGINRADIUS_* variables -> the validated settings; Clock
//! retry      RetryPolicy (which failures, how often) and RetryBudget (how much in all)
//! error      Error, the one error type, and the LoginRadius error envelope
//! codes      the LoginRadius error codes, checked against spec/error-codes.json
//! models     typed request bodies and responses, in LoginRadius casing
//! wire       the wire protocol: percent-encoding, JSON format, request signing, SOTT
//! transport  the HTTP trait: reqwest by default, RecordingTransport for tests
//! secret     Secret, a string never printed and only serialised on purpose
//! ```
#![warn(missing_docs)]

pub mod api;
pub mod auth;
mod client;
pub mod codes;
pub mod config;
mod error;
pub mod fleet;
pub mod metrics;
pub mod models;

/// Every method of the official Python and Node SDKs and the call that replaces it here
/// (generated from the API catalog by `core/tests/integration/catalog_conformance.rs`).
#[doc = include_str!("../MIGRATION.md")]
pub mod migration {}
pub mod request;
mod retry;
mod secret;
pub mod transport;
pub mod web;
pub mod wire;

pub use client::LoginRadius;
pub use config::{Builder, Clock};
pub use error::{ApiErrorDetails, Error, FieldError};
pub use retry::{RetryBudget, RetryPolicy};
pub use secret::Secret;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
