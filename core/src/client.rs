//! [`LoginRadius`]: the client handle, built from a [`Builder`]'s validated [`Config`], with
//! the state its clones share: the SOTT key and the role-change subscribers
//! ([`role_events`]).

pub(crate) mod role_events;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::config::{Builder, Config};
use crate::wire::sott::SottKey;
use crate::{Error, Secret};
use role_events::RoleEvents;

/// A LoginRadius API client for one tenant (API key and secret).
///
/// Cheap to clone: clones share one configuration and one connection pool. Several clients with
/// different tenants can live in one process. API groups are handles borrowed from it:
/// [`auth`](Self::auth), [`account`](Self::account), [`roles`](Self::roles), and so on.
///
/// ```no_run
/// # async fn run() -> Result<(), loginradius::Error> {
/// use loginradius::LoginRadius;
///
/// let client = LoginRadius::from_env()?;
/// let login = client.auth().login_by_email("jane@example.com", "correct horse").await?;
/// let profile = client.auth().profile(login.access_token.expose()).await?;
/// client.roles().assign(&profile.uid, ["editor"]).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct LoginRadius {
    /// The settings, shared with every request made through this client.
    pub(crate) config: Arc<Config>,
    /// Derived from the API secret on first use.
    sott_key: Arc<OnceLock<SottKey>>,
    /// Subscribers told about role changes made through this client (shared by clones).
    pub(crate) role_events: Arc<RoleEvents>,
}

impl std::fmt::Debug for LoginRadius {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRadius")
            .field("api_key", &self.config.api_key)
            .field(
                "api_secret",
                &self.config.api_secret.as_ref().map(|_| "***"),
            )
            .field("base_url", &self.config.base_url)
            .field("request_signing", &self.config.request_signing)
            .field("region", &self.config.region)
            .finish_non_exhaustive()
    }
}

impl Builder {
    /// Checks the settings and builds the client. Spawns nothing and makes no request.
    pub fn build(self) -> Result<LoginRadius, Error> {
        self.into_config().map(LoginRadius::new)
    }
}

/// A request takes the client's shared settings (`Call::new(client, …)`), never the client.
impl From<&LoginRadius> for Arc<Config> {
    fn from(client: &LoginRadius) -> Self {
        Arc::clone(&client.config)
    }
}

impl LoginRadius {
    /// A builder with nothing set.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A client configured from the `LOGINRADIUS_*` environment variables (see
    /// [`Builder::env`]).
    pub fn from_env() -> Result<Self, Error> {
        Builder::default().env()?.build()
    }

    fn new(config: Config) -> Self {
        Self {
            config: Arc::new(config),
            sott_key: Arc::default(),
            role_events: Arc::default(),
        }
    }

    /// The API key.
    pub fn api_key(&self) -> &str {
        &self.config.api_key
    }

    /// The API base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Whether `/manage` calls are signed.
    pub fn request_signing(&self) -> bool {
        self.config.request_signing
    }

    /// Makes a SOTT locally, valid from now for `validity` (LoginRadius allows up to a few
    /// hours; 10 minutes is usual). Times are written in 24-hour UTC. The key is derived from the
    /// API secret once per client, on first use.
    ///
    /// ```
    /// let client = loginradius::LoginRadius::builder()
    ///     .api_key("key").api_secret("secret")
    ///     .transport(loginradius::transport::RecordingTransport::new())
    ///     .build()?;
    /// let sott = client.local_sott(std::time::Duration::from_secs(600))?;
    /// assert!(sott.expose().contains('*'));
    /// # Ok::<(), loginradius::Error>(())
    /// ```
    pub fn local_sott(&self, validity: Duration) -> Result<Secret, Error> {
        let key = self.sott_key()?;
        let validity = time::Duration::try_from(validity)
            .map_err(|_| Error::invalid("validity", "is too long"))?;
        Ok(key.seal_window(&self.config.api_key, self.config.clock.now(), validity))
    }

    /// Makes a SOTT locally with the window bounds written exactly as given (for example the
    /// `Sott.StartTime`/`EndTime` of `GET /identity/v2/serverinfo`).
    pub fn local_sott_between(&self, start: &str, end: &str) -> Result<Secret, Error> {
        crate::request::check_id("start", start)?;
        crate::request::check_id("end", end)?;
        Ok(self.sott_key()?.seal(&self.config.api_key, start, end))
    }

    fn sott_key(&self) -> Result<&SottKey, Error> {
        let secret = self.config.api_secret.as_ref().ok_or_else(|| {
            Error::Config("a SOTT needs the API secret, which is not configured".into())
        })?;
        Ok(self
            .sott_key
            .get_or_init(|| SottKey::derive(secret.expose())))
    }
}
