//! A transport that records requests and answers from a script (or a handler), for tests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::{HttpRequest, HttpResponse, Transport, TransportError};

/// One request seen by a [`RecordingTransport`].
///
/// `Debug` shows the method, the path, the header names and the body's length: the query can
/// carry the API secret, headers tokens, and the body passwords.
#[derive(Clone)]
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

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path())
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
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

type Handler = dyn Fn(&RecordedRequest) -> Reply + Send + Sync;

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    replies: VecDeque<Reply>,
    delay: Duration,
}

/// Records every request and answers from a queue of scripted replies; when the queue is empty
/// it answers `200 {}`, or, in handler mode ([`with_handler`](Self::with_handler)), what the
/// handler returns. Clones share their state.
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
    handler: Option<Arc<Handler>>,
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

    /// A recorder in handler mode: every request is recorded, then answered by `handler`
    /// (unless a reply was queued with [`reply`](Self::reply) and friends, which goes first).
    /// Handy for an upstream that answers by path:
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// use loginradius::LoginRadius;
    /// use loginradius::transport::{RecordedRequest, RecordingTransport, TransportError};
    ///
    /// let transport = RecordingTransport::with_handler(|req: &RecordedRequest| {
    ///     if req.path().ends_with("/role") {
    ///         let body = serde_json::json!({"Roles": ["editor"]}).to_string();
    ///         Ok(http::Response::new(body.into()))
    ///     } else {
    ///         Err(TransportError::Timeout)
    ///     }
    /// });
    /// let client = LoginRadius::builder()
    ///     .api_key("my-key")
    ///     .api_secret("my-secret")
    ///     .transport(transport.clone())
    ///     .build()?;
    /// let roles = client.roles().of_user("uid-1").await?;
    /// assert_eq!(roles.roles, ["editor"]);
    /// assert_eq!(transport.len(), 1);
    /// # Ok::<(), loginradius::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn with_handler(
        handler: impl Fn(&RecordedRequest) -> Result<HttpResponse, TransportError>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        Self {
            state: Arc::default(),
            handler: Some(Arc::new(handler)),
        }
    }

    /// Answers every later request only after `delay` (the request is recorded and its reply
    /// chosen first), so that concurrent requests overlap. Zero (the default) answers at once.
    pub fn set_delay(&self, delay: Duration) -> &Self {
        self.state().delay = delay;
        self
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
        let recorded = RecordedRequest {
            method: parts.method,
            url: parts.uri.to_string(),
            headers: parts.headers,
            body,
        };
        let (queued, delay) = {
            let mut state = self.state();
            state.requests.push(recorded.clone());
            (state.replies.pop_front(), state.delay)
        };
        // The handler runs outside the lock, so it may use the recorder itself.
        let reply = match (queued, &self.handler) {
            (Some(reply), _) => reply,
            (None, Some(handler)) => handler(&recorded),
            (None, None) => {
                let mut response = http::Response::new(Bytes::from_static(b"{}"));
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
                Ok(response)
            }
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(url: &str) -> HttpRequest {
        http::Request::get(url).body(Bytes::new()).unwrap()
    }

    #[tokio::test]
    async fn debug_of_a_recorded_request_shows_no_secret() {
        let transport = RecordingTransport::new();
        transport.reply_json(200, serde_json::json!({}));
        let request = http::Request::post("https://api.example/hook?apisecret=s3cret-q")
            .header("x-loginradius-apisecret", "s3cret-h")
            .body(Bytes::from_static(br#"{"Password":"s3cret-b"}"#))
            .unwrap();
        transport.send(request).await.unwrap();
        let recorded = transport.last().unwrap();
        let text = format!("{recorded:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("/hook"), "{text}");
        assert!(text.contains("x-loginradius-apisecret"), "{text}");
    }

    #[tokio::test]
    async fn handler_mode_records_every_request_and_answers_by_request() {
        let transport = RecordingTransport::with_handler(|req: &RecordedRequest| {
            let status = if req.path() == "/ok" { 200 } else { 404 };
            let mut response = http::Response::new(Bytes::from(req.path().to_owned()));
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            Ok(response)
        });
        let ok = transport
            .send(get("https://api.example/ok?x=1"))
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.body(), "/ok");
        let missing = transport
            .send(get("https://api.example/nope"))
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        // A queued reply goes before the handler.
        transport.reply_error(TransportError::Timeout);
        assert!(transport.send(get("https://api.example/ok")).await.is_err());
        let paths: Vec<_> = transport
            .requests()
            .iter()
            .map(|r| r.path().to_owned())
            .collect();
        assert_eq!(paths, ["/ok", "/nope", "/ok"]);
    }

    #[tokio::test]
    async fn delay_answers_late_but_records_at_once() {
        let delay = Duration::from_millis(300);
        let transport = RecordingTransport::new();
        transport.set_delay(delay);
        let started = std::time::Instant::now();
        let sending = tokio::spawn({
            let transport = transport.clone();
            async move { transport.send(get("https://api.example/slow")).await }
        });
        while transport.is_empty() {
            tokio::task::yield_now().await;
        }
        assert_eq!(transport.len(), 1);
        assert_eq!(sending.await.unwrap().unwrap().status(), 200);
        assert!(started.elapsed() >= delay);
    }
}
