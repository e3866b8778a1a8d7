//! [`Call`]: one request under construction, validated as it is built and sent with retries.

use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method, Uri};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use std::sync::Arc;

use super::endpoint::{Credentials, Endpoint, Host};
use super::response;
use crate::config::Config;
use crate::retry::Failure;
use crate::transport::{HttpRequest, HttpResponse, TransportError};
use crate::wire::{encode, json, signing};
use crate::{Error, Secret};

/// A value for an optional query parameter.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Text(String),
    Flag(bool),
    Number(i64),
}

impl From<String> for Param {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<bool> for Param {
    fn from(v: bool) -> Self {
        Self::Flag(v)
    }
}
impl From<u32> for Param {
    fn from(v: u32) -> Self {
        Self::Number(i64::from(v))
    }
}
impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Self::Number(v)
    }
}

/// Rejects values that cannot be a non-empty identifier.
pub(crate) fn check_id(field: &'static str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(())
}

fn header_value(field: &'static str, value: &str) -> Result<HeaderValue, Error> {
    check_id(field, value)?;
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(field, "is not a valid header value"))?;
    v.set_sensitive(true);
    Ok(v)
}

/// One API call being built. Input errors are kept and reported by `send` before any request.
pub(crate) struct Call {
    config: Arc<Config>,
    endpoint: &'static Endpoint,
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
    body: Option<Bytes>,
    token: Option<Secret>,
    sott: Option<Secret>,
    invalid: Option<Error>,
    deadline: Option<Instant>,
}

impl Call {
    /// A call to `endpoint` with the settings of `client` (a `&LoginRadius`).
    pub(crate) fn new(client: impl Into<Arc<Config>>, endpoint: &'static Endpoint) -> Self {
        Self {
            config: client.into(),
            endpoint,
            segments: Vec::new(),
            query: Vec::new(),
            body: None,
            token: None,
            sott: None,
            invalid: None,
            deadline: None,
        }
    }

    /// Finishes by `at`: every attempt and every wait between attempts fits before it (see
    /// `request_builder!`'s `deadline`).
    pub(crate) fn deadline(mut self, at: Instant) -> Self {
        self.deadline = Some(at);
        self
    }

    pub(crate) fn endpoint_name(&self) -> &'static str {
        self.endpoint.name
    }

    fn fail(mut self, error: Error) -> Self {
        self.invalid.get_or_insert(error);
        self
    }

    /// Fills the next `{placeholder}` of the path. Empty values, control characters and the
    /// dot segments `.`/`..` are refused.
    pub(crate) fn segment(mut self, field: &'static str, value: &str) -> Self {
        if let Err(e) = check_id(field, value) {
            return self.fail(e);
        }
        if value == "." || value == ".." {
            return self.fail(Error::invalid(field, "must not be a dot segment"));
        }
        self.segments.push(encode::path_segment(value));
        self
    }

    /// A required query value: empty values are refused.
    pub(crate) fn query(mut self, name: &'static str, field: &'static str, value: &str) -> Self {
        if let Err(e) = check_id(field, value) {
            return self.fail(e);
        }
        self.query.push((name, value.to_owned()));
        self
    }

    /// An optional query value: blank text is left out, booleans are `true`/`false`.
    pub(crate) fn param(mut self, name: &'static str, value: impl Into<Param>) -> Self {
        let text = match value.into() {
            Param::Text(t) if t.trim().is_empty() => return self,
            Param::Text(t) => t,
            Param::Flag(b) => b.to_string(),
            Param::Number(n) => n.to_string(),
        };
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, text));
        self
    }

    /// The user's access token (`Authorization: Bearer`, or `access_token` in the query for
    /// the legacy endpoints that need it there).
    pub(crate) fn token(mut self, token: impl Into<Secret>) -> Self {
        let token = token.into();
        if let Err(e) = header_value("access_token", token.expose()) {
            return self.fail(e);
        }
        self.token = Some(token);
        self
    }

    /// The SOTT for `X-LoginRadius-Sott`.
    pub(crate) fn sott(mut self, sott: impl Into<Secret>) -> Self {
        let sott = sott.into();
        if let Err(e) = header_value("sott", sott.expose()) {
            return self.fail(e);
        }
        self.sott = Some(sott);
        self
    }

    /// The JSON body, written once in the reference SDK's format and sent (and signed) as is.
    pub(crate) fn json(mut self, body: &(impl Serialize + ?Sized)) -> Self {
        match json::to_vec(body) {
            Ok(bytes) => self.body = Some(Bytes::from(bytes)),
            Err(_) => return self.fail(Error::invalid("body", "could not be serialized as JSON")),
        }
        self
    }

    /// Refuses the call with an input error (reported by `send`, nothing is sent).
    pub(crate) fn invalid(self, field: &'static str, reason: &'static str) -> Self {
        self.fail(Error::invalid(field, reason))
    }

    /// Checks a value that goes into the body.
    pub(crate) fn check(self, field: &'static str, value: &str) -> Self {
        match check_id(field, value) {
            Ok(()) => self,
            Err(e) => self.fail(e),
        }
    }

    /// Builds the HTTP request exactly as it will be sent.
    pub(crate) fn build(&self) -> Result<HttpRequest, Error> {
        if let Some(e) = &self.invalid {
            return Err(clone_input_error(e));
        }
        let config = &*self.config;
        let endpoint = self.endpoint;

        let mut url = String::with_capacity(128);
        url.push_str(match endpoint.host {
            Host::Api => &config.base_url,
            Host::Config => &config.config_url,
        });
        let mut segments = self.segments.iter();
        let mut rest = endpoint.path;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            let Some(segment) = segments.next() else {
                return Err(Error::invalid(
                    "path",
                    "a required path parameter is missing",
                ));
            };
            url.push_str(segment);
            rest = &rest[close..];
        }
        url.push_str(rest);

        let secret = || {
            config.api_secret.as_ref().ok_or_else(|| {
                Error::Config(format!(
                    "`{}` needs the API secret, which is not configured",
                    endpoint.name
                ))
            })
        };
        let token = || {
            self.token
                .as_ref()
                .ok_or(Error::invalid("access_token", "must not be empty"))
        };

        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(
            http::header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip"),
        );
        if let Some(ip) = &config.origin_ip {
            headers.insert(HeaderName::from_static("x-origin-ip"), ip.clone());
        }

        let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(self.query.len() + 3);
        let mut sign = false;
        match endpoint.credentials {
            Credentials::ApiKey(name) => pairs.push((name, &config.api_key)),
            Credentials::Manage => {
                pairs.push(("apiKey", &config.api_key));
                let secret = secret()?;
                if config.request_signing {
                    sign = true;
                } else {
                    headers.insert(
                        HeaderName::from_static("x-loginradius-apisecret"),
                        sensitive(secret.expose())?,
                    );
                }
            }
            Credentials::Bearer => {
                pairs.push(("apiKey", &config.api_key));
                headers.insert(
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {}", token()?.expose()))?,
                );
            }
            Credentials::Sott => {
                pairs.push(("apiKey", &config.api_key));
                let sott = self
                    .sott
                    .as_ref()
                    .ok_or(Error::invalid("sott", "must not be empty"))?;
                headers.insert(
                    HeaderName::from_static("x-loginradius-sott"),
                    sensitive(sott.expose())?,
                );
            }
            Credentials::SecretInQuery {
                key,
                secret: secret_name,
                token: with_token,
            } => {
                if with_token {
                    pairs.push(("access_token", token()?.expose()));
                }
                if let Some(key) = key {
                    pairs.push((key, &config.api_key));
                }
                pairs.push((secret_name, secret()?.expose()));
            }
        }
        pairs.extend(self.query.iter().map(|(n, v)| (*n, v.as_str())));
        if let Some(region) = &config.region {
            pairs.push(("region", region));
        }
        for (i, (name, value)) in pairs.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode::query_value(name));
            url.push('=');
            url.push_str(&encode::query_value(value));
        }

        let is_read = endpoint.method == Method::GET || endpoint.method == Method::HEAD;
        let body = if is_read {
            Bytes::new()
        } else {
            self.body
                .clone()
                .unwrap_or_else(|| Bytes::from_static(b"{}"))
        };

        if sign {
            let secret = secret()?;
            let expires = signing::expires_at(config.clock.now());
            let payload = if !body.is_empty() {
                Some(
                    std::str::from_utf8(&body)
                        .map_err(|_| Error::invalid("body", "is not UTF-8"))?,
                )
            } else if endpoint.signs_empty_object {
                Some("{}")
            } else {
                None
            };
            let digest = signing::digest_header(secret.expose(), &expires, &url, payload);
            headers.insert(
                HeaderName::from_static("x-request-expires"),
                sensitive(&expires)?,
            );
            headers.insert(HeaderName::from_static("digest"), sensitive(&digest)?);
        }

        let uri: Uri = url
            .parse()
            .map_err(|_| Error::Config("the base URL does not make a valid request URL".into()))?;
        let mut request = http::Request::new(body);
        *request.method_mut() = endpoint.method.clone();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// Sends the call, retrying as the client's [`RetryPolicy`](crate::RetryPolicy) and its
    /// retry budget allow.
    pub(crate) async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        let request = self.build()?;
        let fields_selected = self
            .query
            .iter()
            .any(|(k, v)| *k == "fields" && !v.trim().is_empty() && v.trim() != "*");
        let endpoint = self.endpoint;
        let config = &*self.config;
        let span = tracing::info_span!(
            "loginradius.request",
            endpoint = endpoint.name,
            method = %endpoint.method,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        async move {
            let (outcome, attempts) =
                send_with_retries(config, endpoint, &request, self.deadline).await;
            let span = tracing::Span::current();
            span.record("attempts", attempts);
            match outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    let result = response::decode(&response, fields_selected);
                    if let Err(e) = &result {
                        tracing::debug!(error = %e, "LoginRadius call failed");
                    }
                    result
                }
                Err(e) => {
                    tracing::warn!(error = %e, "LoginRadius request failed");
                    Err(e)
                }
            }
        }
        .instrument(span)
        .await
    }
}

/// Sends `request` until it gets an answer or the policy, the time cap or the budget says stop.
/// Returns the last outcome and the number of attempts made.
async fn send_with_retries(
    config: &Config,
    endpoint: &Endpoint,
    request: &HttpRequest,
    deadline: Option<Instant>,
) -> (Result<HttpResponse, Error>, u32) {
    let policy = &config.retry;
    let repeatable = endpoint.is_idempotent_read() || policy.retry_writes;
    config.retry_budget.deposit();
    let mut retries = 0u32;
    let mut waited = Duration::ZERO;
    loop {
        let timeout = match deadline {
            Some(at) => config
                .request_timeout
                .min(at.saturating_duration_since(Instant::now())),
            None => config.request_timeout,
        };
        if timeout.is_zero() {
            tracing::debug!("deadline reached before the request was sent");
            return (Err(Error::Timeout(timeout)), retries);
        }
        let outcome = attempt(config, request, timeout).await;
        let delay = Failure::of(&outcome)
            .filter(|failure| failure.may_retry(repeatable))
            .and_then(|failure| policy.delay(&failure, retries, waited));
        let Some(delay) = delay else {
            return (outcome, retries + 1);
        };
        // A wait that would end at or after the deadline leaves no time for another attempt:
        // the answer so far (a 429 with its Retry-After, a timeout, a 5xx) is the answer.
        if deadline.is_some_and(|at| Instant::now() + delay >= at) {
            tracing::debug!(
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "the next retry does not fit the deadline; not retrying"
            );
            return (outcome, retries + 1);
        }
        // Checked last: only a retry that would otherwise be made draws on the budget.
        if !config.retry_budget.withdraw() {
            tracing::debug!("retry budget spent; not retrying");
            return (outcome, retries + 1);
        }
        tracing::debug!(
            retry = retries + 1,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "retrying LoginRadius request"
        );
        tokio::time::sleep(delay).await;
        waited += delay;
        retries += 1;
    }
}

fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid("header", "is not a valid header value"))?;
    v.set_sensitive(true);
    Ok(v)
}

fn clone_input_error(e: &Error) -> Error {
    match e {
        Error::InvalidInput { field, reason } => Error::InvalidInput { field, reason },
        other => Error::Config(other.to_string()),
    }
}

/// One attempt, ended after `timeout` (the request timeout, or what is left before a deadline).
async fn attempt(
    config: &Config,
    request: &HttpRequest,
    timeout: Duration,
) -> Result<HttpResponse, Error> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    match tokio::time::timeout(timeout, config.transport.send(copy)).await {
        Err(_) | Ok(Err(TransportError::Timeout)) => Err(Error::Timeout(timeout)),
        Ok(Err(e)) => Err(Error::Transport(e)),
        Ok(Ok(response)) => Ok(response),
    }
}
