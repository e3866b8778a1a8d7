//! [`LoginRadius`]: the client handle.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http::HeaderValue;

use crate::config::{Builder, Clock};
use crate::request::RetryPolicy;
use crate::transport::Transport;
use crate::wire::sott::SottKey;
use crate::{Error, Secret};

pub(crate) struct Inner {
    pub(crate) api_key: String,
    pub(crate) api_secret: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) config_url: String,
    pub(crate) request_signing: bool,
    pub(crate) origin_ip: Option<HeaderValue>,
    pub(crate) region: Option<String>,
    pub(crate) request_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) clock: Clock,
    pub(crate) sott_key: OnceLock<SottKey>,
}

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
    pub(crate) inner: Arc<Inner>,
    /// Subscribers told about role changes made through this client (shared by clones).
    pub(crate) role_events: Arc<crate::auth::events::RoleEvents>,
}

impl std::fmt::Debug for LoginRadius {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRadius")
            .field("api_key", &self.inner.api_key)
            .field("api_secret", &self.inner.api_secret.as_ref().map(|_| "***"))
            .field("base_url", &self.inner.base_url)
            .field("request_signing", &self.inner.request_signing)
            .field("region", &self.inner.region)
            .finish_non_exhaustive()
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

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
            role_events: Arc::default(),
        }
    }

    /// The API key.
    pub fn api_key(&self) -> &str {
        &self.inner.api_key
    }

    /// The API base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether `/manage` calls are signed.
    pub fn request_signing(&self) -> bool {
        self.inner.request_signing
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
        Ok(key.seal_window(&self.inner.api_key, self.inner.clock.now(), validity))
    }

    /// Makes a SOTT locally with the window bounds written exactly as given (for example the
    /// `Sott.StartTime`/`EndTime` of `GET /identity/v2/serverinfo`).
    pub fn local_sott_between(&self, start: &str, end: &str) -> Result<Secret, Error> {
        crate::request::check_id_pub("start", start)?;
        crate::request::check_id_pub("end", end)?;
        Ok(self.sott_key()?.seal(&self.inner.api_key, start, end))
    }

    fn sott_key(&self) -> Result<&SottKey, Error> {
        let secret = self.inner.api_secret.as_ref().ok_or_else(|| {
            Error::Config("a SOTT needs the API secret, which is not configured".into())
        })?;
        Ok(self
            .inner
            .sott_key
            .get_or_init(|| SottKey::derive(secret.expose())))
    }
}
