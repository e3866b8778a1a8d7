//! A scripted LoginRadius for the auth engine tests: answers by path, counts every request, and
//! can answer slowly so that concurrent requests overlap.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use loginradius::auth::{AccessToken, Authenticator, AuthenticatorBuilder};
use loginradius::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use loginradius::{LoginRadius, RetryPolicy};
use serde_json::{Value, json};
use time::OffsetDateTime;

pub const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
pub const INVALIDATE: &str = "/identity/v2/auth/access_token/invalidate";
pub const PROFILE: &str = "/identity/v2/auth/account";
pub const ROLE_LIST: &str = "/identity/v2/manage/role";

pub fn roles_path(uid: &str) -> String {
    format!("/identity/v2/manage/account/{uid}/role")
}

pub fn contexts_path(uid: &str) -> String {
    format!("/identity/v2/manage/account/{uid}/rolecontext")
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Json(u16, Value),
    Raw(u16, Vec<(&'static str, &'static str)>, &'static str),
    Timeout,
    ConnectError,
}

impl Reply {
    fn build(&self) -> Result<HttpResponse, TransportError> {
        let (status, headers, body): (u16, Vec<(&str, &str)>, Bytes) = match self {
            Self::Json(status, value) => (
                *status,
                vec![("content-type", "application/json")],
                Bytes::from(value.to_string()),
            ),
            Self::Raw(status, headers, body) => (
                *status,
                headers.clone(),
                Bytes::from_static(body.as_bytes()),
            ),
            Self::Timeout => return Err(TransportError::Timeout),
            Self::ConnectError => return Err(TransportError::connect("refused")),
        };
        let mut response = http::Response::new(body);
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            response.headers_mut().append(
                http::HeaderName::from_static(name),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        Ok(response)
    }
}

#[derive(Default)]
struct State {
    once: HashMap<String, VecDeque<Reply>>,
    always: HashMap<String, Reply>,
    calls: Vec<(http::Method, String)>,
}

/// The scripted upstream. Clones share their state.
#[derive(Clone, Default)]
pub struct Upstream {
    state: Arc<Mutex<State>>,
    delay: Arc<Mutex<Duration>>,
    path_delays: Arc<Mutex<HashMap<String, Duration>>>,
}

impl Upstream {
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every request waits this long before its answer.
    pub fn set_delay(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    /// Requests to `path` wait this long before their answer.
    pub fn set_path_delay(&self, path: impl Into<String>, delay: Duration) {
        self.path_delays.lock().unwrap().insert(path.into(), delay);
    }

    /// Answers `path` with `reply` from now on (after any queued one-off replies).
    pub fn always(&self, path: impl Into<String>, reply: Reply) -> &Self {
        self.state().always.insert(path.into(), reply);
        self
    }

    /// Answers the next request to `path` with `reply`.
    pub fn once(&self, path: impl Into<String>, reply: Reply) -> &Self {
        self.state()
            .once
            .entry(path.into())
            .or_default()
            .push_back(reply);
        self
    }

    /// How many requests went to `path`.
    pub fn count(&self, path: &str) -> usize {
        self.state().calls.iter().filter(|(_, p)| p == path).count()
    }

    /// How many requests were made in all.
    pub fn total(&self) -> usize {
        self.state().calls.len()
    }

    /// The requests made, as `METHOD path`.
    pub fn calls(&self) -> Vec<String> {
        self.state()
            .calls
            .iter()
            .map(|(m, p)| format!("{m} {p}"))
            .collect()
    }

    /// A token that validates until `expires_at`, owned by `uid`.
    pub fn user(&self, uid: &str, expires_at: OffsetDateTime) -> &Self {
        self.always(VALIDATE, Reply::Json(200, validated(expires_at)));
        self.always(
            PROFILE,
            Reply::Json(
                200,
                json!({"Uid": uid, "FirstName": "Jane", "CustomFields": {"plan": "pro"}}),
            ),
        );
        self
    }
}

pub fn validated(expires_at: OffsetDateTime) -> Value {
    json!({
        "access_token": "ignored",
        "expires_in": loginradius::models::timestamp::format(expires_at),
    })
}

pub fn lr_error(status: u16, code: i64, message: &str) -> Reply {
    Reply::Json(
        status,
        json!({"ErrorCode": code, "Message": message, "Description": message}),
    )
}

#[async_trait::async_trait]
impl Transport for Upstream {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = request.uri().path().to_owned();
        let reply = {
            let mut state = self.state();
            state.calls.push((request.method().clone(), path.clone()));
            let queued = state.once.get_mut(&path).and_then(VecDeque::pop_front);
            queued.or_else(|| state.always.get(&path).cloned())
        };
        let delay = *self.delay.lock().unwrap();
        let delay = self
            .path_delays
            .lock()
            .unwrap()
            .get(&path)
            .copied()
            .unwrap_or(delay);
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match reply {
            Some(reply) => reply.build(),
            None => lr_error(404, 1000, "no scripted reply").build(),
        }
    }
}

/// A client on `upstream`, without retries, with a 1 s request timeout.
pub fn client(upstream: &Upstream) -> LoginRadius {
    LoginRadius::builder()
        .api_key("test-key")
        .api_secret("test-secret")
        .retry(RetryPolicy::none())
        .request_timeout(Duration::from_secs(1))
        .transport(upstream.clone())
        .build()
        .unwrap()
}

/// A builder on `upstream`.
pub fn builder(upstream: &Upstream) -> AuthenticatorBuilder {
    Authenticator::builder(client(upstream))
}

pub fn token(value: &str) -> AccessToken {
    AccessToken::new(value)
}

pub fn in_an_hour() -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::hours(1)
}

pub fn bearer(token: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    headers
}
