//! The HTTP transport: a small async trait over [`http`] types, so the client runs on any HTTP
//! stack. [`ReqwestTransport`] (feature `reqwest`, on by default) is the default;
//! [`RecordingTransport`] records requests and replays canned responses for tests.

mod recording;
#[cfg(feature = "reqwest")]
mod reqwest;

use std::error::Error as StdError;

use bytes::Bytes;

pub use recording::{RecordedRequest, RecordingTransport};
#[cfg(feature = "reqwest")]
pub use reqwest::ReqwestTransport;

/// A request as handed to a [`Transport`]: the full URL, headers and a byte body.
pub type HttpRequest = http::Request<Bytes>;
/// A response as returned by a [`Transport`], with its body already read and decompressed.
pub type HttpResponse = http::Response<Bytes>;

/// Sends one HTTP request and returns the whole response.
///
/// Implementations do not retry, do not interpret statuses and do not log URLs (they carry the
/// API key, and for a few legacy endpoints a secret). The client applies timeouts and retries
/// around every call.
///
/// ```
/// use loginradius::transport::{HttpRequest, HttpResponse, Transport, TransportError};
///
/// struct AlwaysDown;
///
/// #[async_trait::async_trait]
/// impl Transport for AlwaysDown {
///     async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
///         Err(TransportError::connect("no route"))
///     }
/// }
/// ```
#[async_trait::async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response, whatever its status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl std::fmt::Debug for dyn Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Transport")
    }
}

/// Why a transport could not produce a response. Messages never include the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The transport's own timeout fired.
    #[error("timed out")]
    Timeout,
    /// No connection could be made (refused, DNS, TLS handshake).
    #[error("connection failed: {0}")]
    Connect(#[source] Box<dyn StdError + Send + Sync>),
    /// Anything else: the connection dropped, the body could not be read.
    #[error("{0}")]
    Other(#[source] Box<dyn StdError + Send + Sync>),
}

impl TransportError {
    /// A [`TransportError::Connect`] from a message.
    pub fn connect(message: impl Into<String>) -> Self {
        Self::Connect(message.into().into())
    }

    /// A [`TransportError::Other`] from a message.
    pub fn other(message: impl Into<String>) -> Self {
        Self::Other(message.into().into())
    }

    /// True for failures that happened before the server could have seen the request, which are
    /// safe to retry for any method.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect(_))
    }
}
