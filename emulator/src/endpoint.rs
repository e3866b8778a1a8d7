//! What one emulated endpoint is: method, path template, the credentials it requires and its
//! handler. The handlers ([`routes`](crate::routes)) declare these; the [`router`](crate::router)
//! matches requests against them.

use axum::http::Method;
use serde_json::Value;

use crate::errors::ApiError;
use crate::request::Ctx;

/// A handler: synchronous, run on a blocking thread with the store lock taken inside.
pub(crate) type Handler = fn(&mut Ctx) -> Result<Value, ApiError>;

/// The credentials an endpoint requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cred {
    /// The API key.
    Key,
    /// The API key and a Bearer access token.
    Bearer,
    /// The API key and the API secret header or a valid request signature.
    Manage,
    /// The API key and a SOTT.
    Sott,
    /// Legacy `/api/v2` calls: key, secret and token in the query.
    LegacySecret,
    /// Legacy `/api/v2` calls with only the secret in the query (`secret`), no API key; the
    /// handler reads what else it needs (a token, a request token).
    SecretOnly,
    /// Legacy `/api/v2` calls with the key and the secret in the query and no token.
    KeyAndSecret,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    pub(crate) cred: Cred,
    /// `None`: in the catalog, not implemented by the emulator.
    pub(crate) handler: Option<Handler>,
}
