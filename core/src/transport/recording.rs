//! A transport that records requests and answers from a script, for tests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::{HttpRequest, HttpResponse, Transport, TransportError};

/// One request seen by a [`RecordingTransport`].
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL as sent.
    pub url: String,
    /// The headers as sent.
    pub headers: HeaderMap,
    /// The body as sent (empty for GET).
    pub body: Bytes,
}

impl RecordedRequest {
    /// The URL's path, still percent-encoded.
    pub fn path(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        path.split_once('?').map_or(path, |(p, _)| p)
    }

    /// The query pairs, percent-decoded, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.url.split_once('?') else {
            return Vec::new();
        };
        url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The decoded value of query parameter `name`, if present.
    pub fn query_value(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A header's value as text, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

type Reply = Result<HttpResponse, TransportError>;

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    replies: VecDeque<Reply>,
}

/// Records every request and answers from a queue of scripted replies; when the queue is empty
/// it answers `200 {}`. Clones share their state.
///
/// ```
/// # tokio_test::block_on(async {
/// use loginradius::{LoginRadius, transport::RecordingTransport};
///
/// let transport = RecordingTransport::new();
/// transport.reply_json(200, serde_json::json!({"Roles": ["editor"]}));
/// let client = LoginRadius::builder()
///     .api_key("my-key")
///     .api_secret("my-secret")
///     .transport(transport.clone())
///     .build()?;
/// let roles = client.roles().of_user("uid-1").await?;
/// assert_eq!(roles.roles, ["editor"]);
/// assert_eq!(transport.last().unwrap().path(), "/identity/v2/manage/account/uid-1/role");
/// # Ok::<(), loginradius::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Default)]
pub struct RecordingTransport {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for RecordingTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingTransport")
            .field("requests", &self.len())
            .finish_non_exhaustive()
    }
}

impl RecordingTransport {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a reply.
    pub fn reply(&self, reply: Result<HttpResponse, TransportError>) -> &Self {
        self.state().replies.push_back(reply);
        self
    }

    /// Queues a reply with a status, headers and a raw body.
    pub fn reply_raw(
        &self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> &Self {
        let mut response = http::Response::new(body.into());
        *response.status_mut() =
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::try_from(*name),
                http::HeaderValue::try_from(*value),
            ) {
                response.headers_mut().append(name, value);
            }
        }
        self.reply(Ok(response))
    }

    /// Queues a JSON reply.
    pub fn reply_json(&self, status: u16, body: serde_json::Value) -> &Self {
        self.reply_raw(
            status,
            &[("content-type", "application/json")],
            body.to_string(),
        )
    }

    /// Queues a transport failure.
    pub fn reply_error(&self, error: TransportError) -> &Self {
        self.reply(Err(error))
    }

    /// Every request recorded so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// The most recent request.
    pub fn last(&self) -> Option<RecordedRequest> {
        self.state().requests.last().cloned()
    }

    /// How many requests were made.
    pub fn len(&self) -> usize {
        self.state().requests.len()
    }

    /// True when no request was made.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets recorded requests and queued replies.
    pub fn clear(&self) {
        let mut state = self.state();
        state.requests.clear();
        state.replies.clear();
    }
}

#[async_trait::async_trait]
impl Transport for RecordingTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let (parts, body) = request.into_parts();
        let mut state = self.state();
        state.requests.push(RecordedRequest {
            method: parts.method,
            url: parts.uri.to_string(),
            headers: parts.headers,
            body,
        });
        state.replies.pop_front().unwrap_or_else(|| {
            let mut response = http::Response::new(Bytes::from_static(b"{}"));
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            Ok(response)
        })
    }
}
