//! Client configuration: the [`Builder`] and the environment variables it reads, the [`Clock`],
//! and the validated settings (`Config`) a client and its requests share.
//!
//! This module sits below the client and the request plumbing: both read a `Config`, and
//! nothing here knows about them ([`Builder::build`] is defined with the client).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use time::OffsetDateTime;

use crate::retry::{RetryPolicy, SharedBudget};
use crate::transport::Transport;
use crate::{Error, Secret};

/// The public LoginRadius API host.
pub const DEFAULT_BASE_URL: &str = "https://api.loginradius.com";
/// The host that serves `/ciam/appinfo`.
pub const DEFAULT_CONFIG_URL: &str = "https://config.lrcontent.com";
/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for a whole request, per attempt.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The time source for request-signing expiry and SOTT windows. [`Clock::system`] unless a test
/// pins it.
#[derive(Clone)]
pub struct Clock(Source);

#[derive(Clone)]
enum Source {
    /// The system clock: read without building a calendar date where the auth engine only
    /// compares instants ([`Clock::unix_nanos`]).
    System,
    Custom(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>),
}

impl Clock {
    /// The system clock, in UTC.
    pub fn system() -> Self {
        Self(Source::System)
    }

    /// A clock stopped at `at`.
    pub fn fixed(at: OffsetDateTime) -> Self {
        Self(Source::Custom(Arc::new(move || at)))
    }

    /// The current time.
    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            Source::System => OffsetDateTime::now_utc(),
            Source::Custom(now) => now(),
        }
    }

    /// The current time in nanoseconds since the Unix epoch, the same instant as
    /// [`now`](Self::now): what the auth engine's warm path compares expiries with. The system
    /// clock's is read without the calendar arithmetic of an `OffsetDateTime`.
    pub(crate) fn unix_nanos(&self) -> i128 {
        match &self.0 {
            Source::System => match SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
                Ok(since) => i128::try_from(since.as_nanos()).unwrap_or(i128::MAX),
                Err(before) => {
                    i128::try_from(before.duration().as_nanos()).map_or(i128::MIN, |n| -n)
                }
            },
            Source::Custom(now) => now().unix_timestamp_nanos(),
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// Builds a [`LoginRadius`](crate::LoginRadius) client. Start from
/// [`LoginRadius::builder`](crate::LoginRadius::builder).
///
/// ```
/// use std::time::Duration;
/// use loginradius::LoginRadius;
///
/// let client = LoginRadius::builder()
///     .api_key("4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c")
///     .api_secret("9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4")
///     .base_url("http://127.0.0.1:8080")   // a custom domain, or the emulator
///     .request_signing(true)
///     .request_timeout(Duration::from_secs(10))
///     .build()?;
/// # Ok::<(), loginradius::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Builder {
    api_key: Option<String>,
    api_secret: Option<Secret>,
    base_url: Option<String>,
    config_url: Option<String>,
    request_signing: bool,
    origin_ip: Option<String>,
    region: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Clock>,
}

impl Builder {
    /// The API key (required).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The API secret, needed for `/identity/v2/manage` calls, webhooks, SOTT and signing.
    pub fn api_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.api_secret = Some(secret.into());
        self
    }

    /// The API base URL: a custom domain or a local emulator. Default [`DEFAULT_BASE_URL`].
    /// A trailing `/` is optional.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The base URL of `/ciam/appinfo`. Default [`DEFAULT_CONFIG_URL`].
    pub fn config_url(mut self, url: impl Into<String>) -> Self {
        self.config_url = Some(url.into());
        self
    }

    /// Sign `/identity/v2/manage` calls with a digest instead of sending the secret.
    pub fn request_signing(mut self, on: bool) -> Self {
        self.request_signing = on;
        self
    }

    /// Sent as `X-Origin-IP` on every request.
    pub fn origin_ip(mut self, ip: impl Into<String>) -> Self {
        self.origin_ip = Some(ip.into());
        self
    }

    /// Sent as the `region` query parameter on every request.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Time allowed to connect (default 5 s). Used by the default transport.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt of a request, whatever the transport (default 15 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Retry policy (default: reads retried twice on 5xx, 429, timeouts and connection
    /// failures, writes only when no connection could be made, within a retry budget; see
    /// [`RetryPolicy`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A custom transport instead of the default reqwest one.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// A custom transport shared with other clients.
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The time source for signing expiry and SOTT windows (tests pin it).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Reads settings from environment variables; values already set on the builder win.
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `LOGINRADIUS_API_KEY` | API key |
    /// | `LOGINRADIUS_API_SECRET` | API secret |
    /// | `LOGINRADIUS_BASE_URL` | API base URL (custom domain or emulator) |
    /// | `LOGINRADIUS_CONFIG_URL` | base URL of `/ciam/appinfo` |
    /// | `LOGINRADIUS_REQUEST_SIGNING` | `true`/`false` (also `1`/`0`, `yes`/`no`) |
    /// | `LOGINRADIUS_ORIGIN_IP` | `X-Origin-IP` value |
    /// | `LOGINRADIUS_REGION` | `region` query value |
    /// | `LOGINRADIUS_CONNECT_TIMEOUT_SECS` | connect timeout in seconds |
    /// | `LOGINRADIUS_REQUEST_TIMEOUT_SECS` | request timeout in seconds |
    pub fn env(self) -> Result<Self, Error> {
        self.with_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn with_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let seconds = |name: &'static str| -> Result<Option<Duration>, Error> {
            get(name)
                .map(|v| {
                    v.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s > 0.0)
                        .map(Duration::from_secs_f64)
                        .ok_or_else(|| {
                            Error::Config(format!("{name} must be a positive number of seconds"))
                        })
                })
                .transpose()
        };
        self.api_key = self.api_key.or_else(|| get("LOGINRADIUS_API_KEY"));
        self.api_secret = self
            .api_secret
            .or_else(|| get("LOGINRADIUS_API_SECRET").map(Secret::new));
        self.base_url = self.base_url.or_else(|| get("LOGINRADIUS_BASE_URL"));
        self.config_url = self.config_url.or_else(|| get("LOGINRADIUS_CONFIG_URL"));
        self.origin_ip = self.origin_ip.or_else(|| get("LOGINRADIUS_ORIGIN_IP"));
        self.region = self.region.or_else(|| get("LOGINRADIUS_REGION"));
        if let Some(v) = get("LOGINRADIUS_REQUEST_SIGNING") {
            self.request_signing = match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    return Err(Error::Config(
                        "LOGINRADIUS_REQUEST_SIGNING must be true or false".into(),
                    ));
                }
            };
        }
        self.connect_timeout = self
            .connect_timeout
            .or(seconds("LOGINRADIUS_CONNECT_TIMEOUT_SECS")?);
        self.request_timeout = self
            .request_timeout
            .or(seconds("LOGINRADIUS_REQUEST_TIMEOUT_SECS")?);
        Ok(self)
    }

    /// Checks the settings and turns them into the client's [`Config`].
    pub(crate) fn into_config(self) -> Result<Config, Error> {
        let api_key = self
            .api_key
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::Config("the API key is required (LOGINRADIUS_API_KEY)".into()))?;
        if api_key.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(Error::Config(
                "the API key contains white space or control characters".into(),
            ));
        }
        if let Some(secret) = &self.api_secret
            && (secret.is_blank() || secret.expose().chars().any(char::is_control))
        {
            return Err(Error::Config(
                "the API secret is empty or contains control characters".into(),
            ));
        }
        if self.request_signing && self.api_secret.is_none() {
            return Err(Error::Config("request signing needs the API secret".into()));
        }
        let base_url = normalise_url(
            "base URL",
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
        )?;
        let config_url = normalise_url(
            "config URL",
            self.config_url.as_deref().unwrap_or(DEFAULT_CONFIG_URL),
        )?;
        let origin_ip = self
            .origin_ip
            .map(|ip| {
                if ip.chars().any(char::is_control) {
                    return Err(Error::Config(
                        "the origin IP contains control characters".into(),
                    ));
                }
                HeaderValue::from_str(ip.trim())
                    .map_err(|_| Error::Config("the origin IP is not a valid header value".into()))
            })
            .transpose()?;
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport(connect_timeout)?,
        };
        let retry = self.retry.unwrap_or_default();
        let retry_budget = SharedBudget::new(&retry.budget)?;
        Ok(Config {
            api_key,
            api_secret: self.api_secret,
            base_url,
            config_url,
            request_signing: self.request_signing,
            origin_ip,
            region: self.region.filter(|r| !r.trim().is_empty()),
            request_timeout: self.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT),
            retry,
            retry_budget,
            transport,
            clock: self.clock.unwrap_or_else(Clock::system),
        })
    }
}

/// The validated settings of one client, shared by its clones and by every request they make,
/// with the retry budget those requests share.
pub(crate) struct Config {
    pub(crate) api_key: String,
    pub(crate) api_secret: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) config_url: String,
    pub(crate) request_signing: bool,
    pub(crate) origin_ip: Option<HeaderValue>,
    pub(crate) region: Option<String>,
    pub(crate) request_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) retry_budget: SharedBudget,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) clock: Clock,
}

#[cfg(feature = "reqwest")]
fn default_transport(connect_timeout: Duration) -> Result<Arc<dyn Transport>, Error> {
    crate::transport::ReqwestTransport::new(connect_timeout)
        .map(|t| Arc::new(t) as Arc<dyn Transport>)
        .map_err(|e| Error::Config(format!("could not create the HTTP client: {e}")))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_: Duration) -> Result<Arc<dyn Transport>, Error> {
    Err(Error::Config(
        "no transport: enable the `reqwest` feature or call Builder::transport".into(),
    ))
}

fn normalise_url(what: &str, raw: &str) -> Result<String, Error> {
    let parsed = url::Url::parse(raw.trim())
        .map_err(|_| Error::Config(format!("the {what} is not a valid URL")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(Error::Config(format!(
            "the {what} must be an http(s) URL with a host"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "the {what} must not have a query or fragment"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::RecordingTransport;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn environment_is_read() {
        let config = Builder::default()
            .with_lookup(env(&[
                ("LOGINRADIUS_API_KEY", "k"),
                ("LOGINRADIUS_API_SECRET", "s"),
                ("LOGINRADIUS_BASE_URL", "http://127.0.0.1:9/"),
                ("LOGINRADIUS_REQUEST_SIGNING", "true"),
                ("LOGINRADIUS_REGION", "eu"),
                ("LOGINRADIUS_REQUEST_TIMEOUT_SECS", "2.5"),
            ]))
            .unwrap()
            .transport(RecordingTransport::new())
            .into_config()
            .unwrap();
        let inner = &config;
        assert_eq!(inner.api_key, "k");
        assert_eq!(inner.base_url, "http://127.0.0.1:9");
        assert!(inner.request_signing);
        assert_eq!(inner.region.as_deref(), Some("eu"));
        assert_eq!(inner.request_timeout, Duration::from_millis(2500));
    }

    #[test]
    fn bad_settings_are_refused() {
        let t = RecordingTransport::new;
        assert!(matches!(
            Builder::default().transport(t()).build(),
            Err(Error::Config(_))
        ));
        assert!(
            Builder::default()
                .api_key("k")
                .base_url("ftp://x")
                .transport(t())
                .build()
                .is_err()
        );
        assert!(
            Builder::default()
                .api_key("k")
                .base_url("not a url")
                .transport(t())
                .build()
                .is_err()
        );
        assert!(
            Builder::default()
                .api_key("k")
                .request_signing(true)
                .transport(t())
                .build()
                .is_err()
        );
        assert!(
            Builder::default()
                .api_key("k")
                .origin_ip("1.2.3.4\r\nX: y")
                .transport(t())
                .build()
                .is_err()
        );
        let bad = Builder::default().with_lookup(env(&[("LOGINRADIUS_REQUEST_SIGNING", "maybe")]));
        assert!(bad.is_err());
        assert!(matches!(
            Builder::default()
                .api_key("k")
                .retry(
                    RetryPolicy::default()
                        .budget(crate::RetryBudget::default().window(Duration::from_secs(600)))
                )
                .transport(t())
                .build(),
            Err(Error::Config(_))
        ));
    }
}
