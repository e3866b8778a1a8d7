//! A scripted LoginRadius for the in-process tests of the auth engine and of both adapters
//! (`loginradius`'s `tests/integration/auth_support`, and `loginradius-axum`'s and
//! `loginradius-actix`'s `tests/support/mod.rs`, re-export this module): answers by path, counts
//! requests, can answer slowly (every request, or those to one path).
//!
//! The mechanics (recording every request, answering from a handler, the delay) are core's
//! [`RecordingTransport`] in handler mode; this module is only the script: replies per path, once
//! or always, and the usual signed-in user.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use loginradius::auth::{Authenticator, AuthenticatorBuilder};
use loginradius::transport::{
    HttpRequest, HttpResponse, RecordedRequest, RecordingTransport, Transport, TransportError,
};
use loginradius::{LoginRadius, RetryPolicy};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// The token validation endpoint.
pub const VALIDATE: &str = "/identity/v2/auth/access_token/validate";
/// The token invalidation (logout) endpoint.
pub const INVALIDATE: &str = "/identity/v2/auth/access_token/invalidate";
/// The profile-by-token endpoint.
pub const PROFILE: &str = "/identity/v2/auth/account";
/// The endpoint listing every role with its permissions.
pub const ROLE_LIST: &str = "/identity/v2/manage/role";
/// The uid of the user of [`Upstream::user`].
pub const UID: &str = "u-1";

/// The endpoint of the roles of user `uid`.
pub fn roles_path(uid: &str) -> String {
    format!("/identity/v2/manage/account/{uid}/role")
}

/// The endpoint of the role contexts of user `uid`.
pub fn contexts_path(uid: &str) -> String {
    format!("/identity/v2/manage/account/{uid}/rolecontext")
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status with this JSON body.
    Json(u16, Value),
    /// This status, these headers and this body, as given.
    Raw(u16, Vec<(&'static str, &'static str)>, &'static str),
    /// The transport times out.
    Timeout,
    /// The transport cannot connect.
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
struct Script {
    once: HashMap<String, VecDeque<Reply>>,
    always: HashMap<String, Reply>,
}

impl Script {
    fn answer(&mut self, request: &RecordedRequest) -> Result<HttpResponse, TransportError> {
        let path = request.path();
        let queued = self.once.get_mut(path).and_then(VecDeque::pop_front);
        match queued.or_else(|| self.always.get(path).cloned()) {
            Some(reply) => reply.build(),
            None => lr_error(404, 1000, "no scripted reply").build(),
        }
    }
}

/// The scripted upstream: a [`RecordingTransport`] whose handler answers from the script.
/// Clones share their state.
#[derive(Clone)]
pub struct Upstream {
    script: Arc<Mutex<Script>>,
    recording: RecordingTransport,
    path_delays: Arc<Mutex<HashMap<String, Duration>>>,
}

impl Default for Upstream {
    fn default() -> Self {
        let script = Arc::new(Mutex::new(Script::default()));
        let handler_script = Arc::clone(&script);
        let recording = RecordingTransport::with_handler(move |request: &RecordedRequest| {
            handler_script
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .answer(request)
        });
        Self {
            script,
            recording,
            path_delays: Arc::default(),
        }
    }
}

impl Upstream {
    /// An upstream with an empty script: every path answers LoginRadius error 1000 (404).
    pub fn new() -> Self {
        Self::default()
    }

    fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The recorder underneath: every request, as sent.
    pub fn recording(&self) -> &RecordingTransport {
        &self.recording
    }

    /// Every request waits this long before its answer (it is recorded at once).
    pub fn set_delay(&self, delay: Duration) {
        self.recording.set_delay(delay);
    }

    /// Requests to `path` wait this long more before their answer (recorded at once too).
    pub fn set_path_delay(&self, path: impl Into<String>, delay: Duration) {
        self.path_delays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.into(), delay);
    }

    /// Requests to `path` get `reply` (after any queued by [`once`](Self::once)).
    pub fn always(&self, path: impl Into<String>, reply: Reply) -> &Self {
        self.script().always.insert(path.into(), reply);
        self
    }

    /// The next request to `path` without an earlier queued reply gets `reply`.
    pub fn once(&self, path: impl Into<String>, reply: Reply) -> &Self {
        self.script()
            .once
            .entry(path.into())
            .or_default()
            .push_back(reply);
        self
    }

    /// How many requests went to `path`.
    pub fn count(&self, path: &str) -> usize {
        self.recording
            .requests()
            .iter()
            .filter(|request| request.path() == path)
            .count()
    }

    /// How many token validations, profile reads and role reads of [`UID`] were made: a
    /// guarded request's whole lookup is `(1, 1, 1)`.
    pub fn lookups(&self) -> (usize, usize, usize) {
        (
            self.count(VALIDATE),
            self.count(PROFILE),
            self.count(&roles_path(UID)),
        )
    }

    /// How many requests were made.
    pub fn total(&self) -> usize {
        self.recording.len()
    }

    /// The requests made, as `METHOD path`.
    pub fn calls(&self) -> Vec<String> {
        self.recording
            .requests()
            .iter()
            .map(|request| format!("{} {}", request.method, request.path()))
            .collect()
    }

    /// A token that validates until `expires_at`, owned by `uid` (custom field `plan` is
    /// `pro`).
    pub fn user_until(&self, uid: &str, expires_at: OffsetDateTime) -> &Self {
        self.always(VALIDATE, Reply::Json(200, validated(expires_at)));
        self.always(
            PROFILE,
            Reply::Json(
                200,
                json!({"Uid": uid, "FirstName": "Jane", "CustomFields": {"plan": "pro"}}),
            ),
        )
    }

    /// A token that validates for an hour, owned by [`UID`], with `roles`; role `editor` grants
    /// `publish` and `edit`, `viewer` grants `read`.
    pub fn user(&self, roles: &[&str]) -> &Self {
        self.user_until(UID, in_an_hour());
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

/// The validation endpoint's answer for a token valid until `expires_at`.
pub fn validated(expires_at: OffsetDateTime) -> Value {
    json!({
        "access_token": "ignored",
        "expires_in": loginradius::models::timestamp::format(expires_at),
    })
}

/// An hour from now.
pub fn in_an_hour() -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::hours(1)
}

/// A LoginRadius error answer: `status` with `ErrorCode` `code` and `message`.
pub fn lr_error(status: u16, code: i64, message: &str) -> Reply {
    Reply::Json(
        status,
        json!({"ErrorCode": code, "Message": message, "Description": message}),
    )
}

#[async_trait::async_trait]
impl Transport for Upstream {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path_delay = self
            .path_delays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(request.uri().path())
            .copied();
        let response = self.recording.send(request).await;
        if let Some(delay) = path_delay {
            tokio::time::sleep(delay).await;
        }
        response
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

/// An authenticator builder on [`client`]`(upstream)`.
pub fn builder(upstream: &Upstream) -> AuthenticatorBuilder {
    Authenticator::builder(client(upstream))
}

/// An authenticator with the default settings on [`client`]`(upstream)`.
pub fn authenticator(upstream: &Upstream) -> Authenticator {
    builder(upstream).build().unwrap()
}
