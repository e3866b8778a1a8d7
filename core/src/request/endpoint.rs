//! Static endpoint definitions: method, path template and where each credential travels.

use http::Method;

/// Which base URL an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// The API host (`https://api.loginradius.com` or a custom domain).
    Api,
    /// The configuration host (`https://config.lrcontent.com`), used only by `/ciam/appinfo`.
    Config,
}

/// Where the credentials of one endpoint travel. Chosen per endpoint from the API catalog, never
/// by looking for `/auth` or `/manage` in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// The API key in the query under the given name.
    ApiKey(&'static str),
    /// An `/identity/v2/manage` call: the API key in the query as `apiKey`, and the API secret in
    /// `X-LoginRadius-ApiSecret`, or replaced by a request-signing digest when signing is on.
    Manage,
    /// The API key in the query as `apiKey` and the user's token in `Authorization: Bearer`.
    Bearer,
    /// The API key in the query as `apiKey` and a SOTT in `X-LoginRadius-Sott`.
    Sott,
    /// Legacy endpoints that the service only accepts with the secret in the query string
    /// (webhooks: `apikey`/`apisecret`; social: `key`/`secret`). Never signed.
    SecretInQuery {
        /// Query name of the API key, if the endpoint takes one.
        key: Option<&'static str>,
        /// Query name of the API secret.
        secret: &'static str,
        /// Whether the user's token also travels in the query, as `access_token`.
        token: bool,
    },
}

/// One LoginRadius API endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Our name for it, as used in tracing spans: `group.method`.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Host.
    pub host: Host,
    /// Path template, `{name}` marks a path parameter.
    pub path: &'static str,
    /// Credentials.
    pub credentials: Credentials,
    /// For a signed call without a body: whether the reference SDK appends `:{}` to the signed
    /// string (it does for every GET except SOTT generation).
    pub signs_empty_object: bool,
}

impl Endpoint {
    /// An endpoint on the API host that signs `:{}` when it has no body.
    pub const fn new(
        name: &'static str,
        method: Method,
        path: &'static str,
        credentials: Credentials,
    ) -> Self {
        Self {
            name,
            method,
            host: Host::Api,
            path,
            credentials,
            signs_empty_object: true,
        }
    }

    /// The same endpoint on another host.
    pub const fn on(mut self, host: Host) -> Self {
        self.host = host;
        self
    }

    /// The same endpoint signing nothing after the URL when it has no body.
    pub const fn signs_nothing_without_body(mut self) -> Self {
        self.signs_empty_object = false;
        self
    }

    /// True for methods that may be retried without the caller's consent.
    pub fn is_idempotent_read(&self) -> bool {
        self.method == Method::GET || self.method == Method::HEAD
    }
}

/// Defines endpoint constants tersely: `endpoint!(NAME, "group.method", GET, "/path", Manage)`.
macro_rules! endpoint {
    ($const_name:ident, $name:literal, $method:ident, $path:literal, ApiKey) => {
        pub(crate) static $const_name: $crate::request::Endpoint = $crate::request::Endpoint::new(
            $name,
            ::http::Method::$method,
            $path,
            $crate::request::Credentials::ApiKey("apiKey"),
        );
    };
    ($const_name:ident, $name:literal, $method:ident, $path:literal, $creds:ident) => {
        pub(crate) static $const_name: $crate::request::Endpoint = $crate::request::Endpoint::new(
            $name,
            ::http::Method::$method,
            $path,
            $crate::request::Credentials::$creds,
        );
    };
    ($const_name:ident, $name:literal, $method:ident, $path:literal, $creds:expr) => {
        pub(crate) static $const_name: $crate::request::Endpoint =
            $crate::request::Endpoint::new($name, ::http::Method::$method, $path, $creds);
    };
}
pub(crate) use endpoint;
