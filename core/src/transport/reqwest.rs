//! The default transport, on reqwest with rustls.

use std::time::Duration;

use bytes::Bytes;

use super::{HttpRequest, HttpResponse, Transport, TransportError};

/// A [`Transport`] on a shared [`reqwest::Client`] (rustls, gzip, connection pooling).
///
/// The client builder creates one with its connect timeout; build your own to share a
/// `reqwest::Client` with the rest of an application.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with the given connect timeout. Request timeouts are applied by the client
    /// around every call, for every transport.
    pub fn new(connect_timeout: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| TransportError::Other(Box::new(e.without_url())))?;
        Ok(Self { client })
    }

    /// A transport on an existing reqwest client.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

fn map_error(error: reqwest::Error) -> TransportError {
    let error = error.without_url();
    if error.is_timeout() {
        TransportError::Timeout
    } else if error.is_connect() {
        TransportError::Connect(Box::new(error))
    } else {
        TransportError::Other(Box::new(error))
    }
}

#[async_trait::async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(map_error)?;
        let response = self.client.execute(request).await.map_err(map_error)?;
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            headers.extend(
                response
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
        }
        let body: Bytes = response.bytes().await.map_err(map_error)?;
        builder
            .body(body)
            .map_err(|e| TransportError::Other(Box::new(e)))
    }
}
