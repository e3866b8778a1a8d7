//! # loginradius-emulator
//!
//! A local server that speaks the LoginRadius identity API v2 wire format, with in-memory
//! state, for development, tests and demos. **Not for production**: state is lost on exit,
//! passwords are hashed with light argon2 parameters, and the default credentials are public.
//!
//! ```no_run
//! use loginradius_emulator::{Emulator, EmulatorConfig, MfaMode};
//!
//! # async fn run() -> Result<(), loginradius_emulator::StartError> {
//! let emulator = Emulator::start(EmulatorConfig::default().with_mfa(MfaMode::Optional)).await?;
//! println!("LoginRadius emulator on {}", emulator.base_url());
//! // Point a client at emulator.base_url() with emulator.api_key() / emulator.api_secret().
//! # Ok(()) }
//! ```
//!
//! ## What it does
//! - Paths, query names and JSON body keys are matched case-insensitively; answers use the
//!   exact LoginRadius casing; errors use the LoginRadius envelope with the documented code,
//!   message, description and HTTP status.
//! - It checks the API key on every call, the API secret (or a request signature) on
//!   `/identity/v2/manage` calls, the SOTT on registration, and Bearer tokens with expiry.
//! - Emails and SMS the real service would send are captured in an outbox
//!   ([`Emulator::outbox`], `GET /emulator/outbox`, and an HTML page at `GET /emulator`).
//! - Webhooks: subscribers of an event (`/v2/manage/webhooks`) get signed deliveries when a
//!   call raises it, as LoginRadius sends them; each attempt is recorded
//!   ([`Emulator::webhook_deliveries`], `GET /emulator/outbox`).
//! - Faults can be injected ([`Emulator::add_fault`], `POST /emulator/faults`).
//! - Requests are counted per endpoint ([`Emulator::stats`], `GET /emulator/stats`), keyed
//!   `"METHOD /path-template"` with the catalog's lowercase template, e.g.
//!   `"GET /identity/v2/auth/access_token/validate"`.
//! - Development controls: [`Emulator::reset`] (`POST /emulator/reset`), state files
//!   ([`Emulator::export`], [`EmulatorConfig::with_import`]), seed files
//!   ([`EmulatorConfig::with_seed_file`]) and a deterministic mode
//!   ([`EmulatorConfig::deterministic`]); see the README.
//! - Catalog endpoints it does not implement answer 501 with `ErrorCode` 909 and a description
//!   saying so; `GET /emulator/coverage` lists which are implemented.
//!
//! ## The modules
//!
//! Read top-down: each module uses only modules below it.
//!
//! ```text
//! server        the axum app: /emulator admin routes, everything else through the route table
//! admin         the /emulator endpoints: outbox, faults, stats, coverage, clock, reset, QR codes
//! seed_file     seed files: users with passwords, roles, role contexts
//! snapshot      state files: export and import of users, roles, custom objects
//! coverage      which catalog endpoints are implemented
//! router        the route table (implemented + "not supported") and path matching
//! routes        the handlers, one module per API family
//! credentials   API key, secret or signature, SOTT and Bearer checks before a handler runs
//! endpoint      what an endpoint is: method, path template, credentials, handler
//! profile       the profile as LoginRadius writes it, and how updates apply
//! request       what a handler sees of a request (Ctx)
//! state         in-memory users, tokens, links, challenges, roles, custom objects; reset
//! config        EmulatorConfig, SeedUser, SeedRole: what to start with
//! outbox        captured emails and SMS
//! deliveries    webhook deliveries: signed posts to subscribers, and their records
//! redact        how secrets show in Debug output
//! faults        fault injection: latency, error statuses, malformed bodies
//! errors        the LoginRadius error envelope (codes named by loginradius::codes)
//! catalog       the (method, path) pairs of the API catalog
//! passwords     argon2id hashing
//! authenticator TOTP (RFC 6238)
//! ids           uids, tokens, codes: random, or from a fixed seed (deterministic mode)
//! stats         request counters per endpoint
//! times         timestamp formats
//! ```
#![warn(missing_docs)]

mod admin;
mod authenticator;
pub mod catalog;
pub mod config;
mod coverage;
mod credentials;
mod deliveries;
mod endpoint;
mod errors;
mod extras;
mod faults;
mod ids;
mod links;
mod local_only;
mod lockout;
mod outbox;
mod passwords;
mod profile;
mod redact;
mod request;
mod router;
mod routes;
mod seed_file;
mod server;
mod snapshot;
mod social_page;
mod state;
mod stats;
mod times;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_MFA_WRONG_CODES, DEFAULT_TOKEN_TTL,
    EmailVerification, EmulatorConfig, MfaMode, SeedRole, SeedRoleContext, SeedUser,
};
pub use coverage::{Coverage, EndpointRef};
pub use deliveries::WebhookDelivery;
pub use faults::Fault;
pub use lockout::{Lockout, LockoutAction};
pub use outbox::{OutboxMessage, kind as message_kind};
pub use snapshot::{FORMAT_VERSION, StateFileError};

use state::AppState;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The configuration is unusable (for example a credential that cannot travel in a header).
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// The address could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The state to start with (`--import` directory, `--seed` file) could not be loaded.
    #[error("cannot load the emulator's start state: {0}")]
    State(#[from] StateFileError),
}

/// A running emulator. Dropping it shuts the server down.
#[derive(Debug)]
pub struct Emulator {
    state: Arc<AppState>,
    addr: SocketAddr,
    base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

fn header_safe(name: &str, value: &str) -> Result<(), StartError> {
    if value.is_empty() || http::HeaderValue::from_str(value).is_err() || value.trim() != value {
        return Err(StartError::Config(format!(
            "{name} must be non-empty visible ASCII without surrounding spaces"
        )));
    }
    Ok(())
}

impl Emulator {
    /// Binds `config.bind` (default `127.0.0.1:0`, an ephemeral port), seeds the configured
    /// roles and users, and serves until the handle is dropped or [`Emulator::shutdown`] is
    /// called. Must be called within a Tokio runtime.
    pub async fn start(config: EmulatorConfig) -> Result<Self, StartError> {
        header_safe("api_key", &config.api_key)?;
        header_safe("api_secret", &config.api_secret)?;
        if config.token_ttl.is_zero() {
            return Err(StartError::Config(
                "token_ttl must be at least one second".into(),
            ));
        }
        let bind = config.bind;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|source| StartError::Bind { addr: bind, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr: bind, source })?;
        let base_url = format!("http://{addr}");
        // Seeding hashes passwords: keep it off the async threads.
        let import_dir = config.import_dir.clone();
        let seed_file = config.seed_file.clone();
        let state = tokio::task::spawn_blocking(move || {
            AppState::new(config, |store, now| {
                if let Some(dir) = &import_dir {
                    snapshot::import(store, dir)?;
                }
                if let Some(path) = &seed_file {
                    seed_file::load(store, path, now)?;
                }
                Ok::<(), StateFileError>(())
            })
        })
        .await
        .map_err(|e| StartError::Config(format!("seeding failed: {e}")))?
        .map(Arc::new)?;
        state.set_base_url(base_url.clone());
        state.deliveries.start();
        let app = server::app(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = rx.await;
            };
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::warn!(error = %e, "emulator server stopped");
            }
        });
        Ok(Self {
            state,
            addr,
            base_url,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:<port>`: the base URL to configure clients with.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key the emulator accepts.
    pub fn api_key(&self) -> &str {
        &self.state.config.api_key
    }

    /// The API secret the emulator accepts.
    pub fn api_secret(&self) -> &str {
        &self.state.config.api_secret
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.state.config
    }

    /// Every captured message, oldest first (`GET /emulator/outbox`).
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        self.state.outbox.list()
    }

    /// The newest message sent to `to` (case-insensitive), if any.
    pub fn last_message_to(&self, to: &str) -> Option<OutboxMessage> {
        self.state
            .outbox
            .list()
            .into_iter()
            .rev()
            .find(|m| m.to.eq_ignore_ascii_case(to))
    }

    /// Empties the outbox (`DELETE /emulator/outbox`): messages and webhook deliveries.
    pub fn clear_outbox(&self) {
        self.state.outbox.clear();
        self.state.deliveries.log.clear();
    }

    /// Every webhook delivery attempt, oldest first (`GET /emulator/outbox`, under
    /// `webhooks`).
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.state.deliveries.log.list()
    }

    /// Adds a fault (`POST /emulator/faults`); refuses invalid values.
    pub fn add_fault(&self, fault: Fault) -> Result<(), String> {
        self.state.faults.add(fault)
    }

    /// The active faults (`GET /emulator/faults`).
    pub fn faults(&self) -> Vec<Fault> {
        self.state.faults.list()
    }

    /// Removes every fault (`DELETE /emulator/faults`).
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Request counts per endpoint, keyed `"METHOD /path-template"` (`GET /emulator/stats`).
    pub fn stats(&self) -> BTreeMap<String, u64> {
        self.state.stats.snapshot()
    }

    /// How many requests reached `method path_template` (any case), e.g.
    /// `calls("GET", "/identity/v2/auth/access_token/validate")`.
    pub fn calls(&self, method: &str, path_template: &str) -> u64 {
        self.state
            .stats
            .snapshot()
            .get(&stats::key(method, path_template))
            .copied()
            .unwrap_or(0)
    }

    /// The most LoginRadius requests (admin endpoints aside) being answered at once since the
    /// start or the last [`reset_stats`](Self::reset_stats): with a latency fault, how many
    /// connections a client kept open at once.
    pub fn max_in_flight(&self) -> u64 {
        self.state.stats.max_in_flight()
    }

    /// Zeroes the request counters (`DELETE /emulator/stats`).
    pub fn reset_stats(&self) {
        self.state.stats.reset();
    }

    /// Which catalog endpoints are implemented (`GET /emulator/coverage`).
    pub fn coverage(&self) -> Coverage {
        coverage::report()
    }

    /// Moves the emulator's clock forward: tokens, links, MFA challenges, SOTT windows and TOTP
    /// codes are all judged by it (`POST /emulator/clock`).
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.state.advance_clock(by);
    }

    /// Back to the state after start (`POST /emulator/reset`): the seed users and roles, the
    /// imported state and the seed file's users as they were loaded, no sessions, an empty
    /// outbox, no faults, zeroed counters, the clock not moved; in deterministic mode the ids
    /// start over too.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Writes users (with password hashes, never passwords), roles, role contexts and custom
    /// objects as JSON state files into `dir` (created if missing), for
    /// [`EmulatorConfig::with_import`] (`--import`) to load later.
    pub fn export(&self, dir: impl AsRef<Path>) -> Result<(), StateFileError> {
        let store = self.state.store().clone();
        snapshot::export(&store, dir.as_ref())
    }

    /// A SOTT valid for the next `validity`, made with the emulator's key and secret.
    pub fn sott(&self, validity: std::time::Duration) -> String {
        let now = self.state.now();
        let validity = time::Duration::try_from(validity).unwrap_or(time::Duration::minutes(10));
        self.state
            .sott_key
            .seal_window(&self.state.config.api_key, now, validity)
            .expose()
            .to_owned()
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
