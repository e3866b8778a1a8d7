//! A scripted LoginRadius for the in-process adapter tests (the same script as the axum
//! adapter's tests): answers by path, counts requests, can answer slowly; and helpers to send
//! requests to an `actix_web::test` service.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use bytes::Bytes;
use http::StatusCode;
use loginradius::auth::{Authenticator, AuthenticatorBuilder};
use loginradius::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use loginradius::{LoginRadius, RetryPolicy};
use serde_json::{Value, json};
use time::OffsetDateTime;

pub const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
pub const PROFILE: &str = "/identity/v2/auth/account";
pub const ROLE_LIST: &str = "/identity/v2/manage/role";
pub const UID: &str = "u-1";

pub fn roles_path(uid: &str) -> String {
    format!("/identity/v2/manage/account/{uid}/role")
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Json(u16, Value),
    Raw(u16, Vec<(&'static str, &'static str)>, &'static str),
    Timeout,
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
    calls: Vec<String>,
}

/// The scripted upstream. Clones share their state.
#[derive(Clone, Default)]
pub struct Upstream {
    state: Arc<Mutex<State>>,
    delay: Arc<Mutex<Duration>>,
}

impl Upstream {
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_delay(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    pub fn always(&self, path: impl Into<String>, reply: Reply) -> &Self {
        self.state().always.insert(path.into(), reply);
        self
    }

    pub fn once(&self, path: impl Into<String>, reply: Reply) -> &Self {
        self.state()
            .once
            .entry(path.into())
            .or_default()
            .push_back(reply);
        self
    }

    pub fn count(&self, path: &str) -> usize {
        self.state().calls.iter().filter(|p| *p == path).count()
    }

    pub fn total(&self) -> usize {
        self.state().calls.len()
    }

    /// A token that validates for an hour, owned by [`UID`], with `roles`; role `editor` grants
    /// `publish` and `edit`, `viewer` grants `read`.
    pub fn user(&self, roles: &[&str]) -> &Self {
        let expires = OffsetDateTime::now_utc() + time::Duration::hours(1);
        self.always(
            VALIDATE,
            Reply::Json(
                200,
                json!({"access_token": "x", "expires_in": loginradius::models::timestamp::format(expires)}),
            ),
        );
        self.always(
            PROFILE,
            Reply::Json(200, json!({"Uid": UID, "FirstName": "Jane"})),
        );
        self.always(roles_path(UID), Reply::Json(200, json!({"Roles": roles})));
        self.always(
            ROLE_LIST,
            Reply::Json(
                200,
                json!({"data": [
                    {"Name": "editor", "Permissions": {"publish": true, "edit": true}},
                    {"Name": "viewer", "Permissions": {"read": true}},
                    {"Name": "admin", "Permissions": {"publish": true, "edit": true, "delete": true}}
                ], "Count": 3}),
            ),
        );
        self
    }

    /// Every token call fails with `reply`.
    pub fn tokens_fail(&self, reply: Reply) -> &Self {
        self.always(VALIDATE, reply.clone());
        self.always(PROFILE, reply);
        self
    }
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
            state.calls.push(path.clone());
            let queued = state.once.get_mut(&path).and_then(VecDeque::pop_front);
            queued.or_else(|| state.always.get(&path).cloned())
        };
        let delay = *self.delay.lock().unwrap();
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

pub fn builder(upstream: &Upstream) -> AuthenticatorBuilder {
    Authenticator::builder(client(upstream))
}

pub fn authenticator(upstream: &Upstream) -> Authenticator {
    builder(upstream).build().unwrap()
}

/// A GET of `uri` with `token` as a Bearer token (when given).
pub fn req(uri: &str, token: Option<&str>) -> test::TestRequest {
    let mut request = test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    request
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| json!(String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` to `app` and reads the whole response.
pub async fn send<S, B>(app: &S, request: test::TestRequest) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = test::call_service(app, request.to_request()).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = test::read_body(response).await;
    Answer {
        status,
        headers,
        body,
    }
}
