//! The demo as one replica of several: a shared cookie key, a shared state (Redis), and the
//! LoginRadius webhook receiver, subscribed at start.
//!
//! | variable | effect |
//! |---|---|
//! | `DEMO_SESSION_KEY` | the session cookie key, 128 hex digits (64 bytes), the same on every replica; refused at start when malformed |
//! | `DEMO_REDIS_URL` | `redis://…`: the shared state is `loginradius-redis`'s, so sign-outs, ended sessions and role changes reach every replica |
//! | `DEMO_PUBLIC_URL` | with a LoginRadius configured: the demo subscribes `{DEMO_PUBLIC_URL}/webhooks/loginradius` to the events it handles, once (no duplicate on restart) |
//!
//! Without them the demo is one process with its own random key and the in-process state.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use loginradius::LoginRadius;
use loginradius::fleet::SharedState;
use loginradius::models::NewWebhook;
use loginradius::web::Flows;
use loginradius::web::webhook::{MAX_WEBHOOK_BODY, WebhookError};

/// The path of the webhook receiver.
pub const WEBHOOK_PATH: &str = "/webhooks/loginradius";

/// The events the receiver acts on (see `loginradius::web::webhook`), which the demo subscribes.
pub const WEBHOOK_EVENTS: &[&str] = &[
    "AssignRoles",
    "UnassignRoles",
    "RemoveRoleContext",
    "ChangePassword",
    "ResetPassword",
    "SetPassword",
    "BlockAccount",
    "DeleteAccount",
    "UpdateUid",
    "UpdateProfile",
];

/// Why the fleet configuration was refused at start. Never shows the key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetConfigError {
    /// `DEMO_SESSION_KEY` is not 128 hex digits.
    #[error(
        "DEMO_SESSION_KEY must be 128 hex digits (64 random bytes, for example `openssl rand -hex 64`), the same on every replica"
    )]
    SessionKey,
    /// `DEMO_REDIS_URL` could not be reached.
    #[error("DEMO_REDIS_URL: {0}")]
    Redis(String),
}

/// What replicas share. The default shares nothing (one process, as without configuration).
#[derive(Clone, Default)]
pub struct FleetOptions {
    /// The session cookie key (64 bytes); `None`: a random key of this process.
    pub session_key: Option<Arc<[u8]>>,
    /// The shared state; `None`: the in-process default.
    pub shared_state: Option<Arc<dyn SharedState>>,
}

impl std::fmt::Debug for FleetOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetOptions")
            .field("session_key", &self.session_key.as_ref().map(|_| "***"))
            .field("shared_state", &self.shared_state.is_some())
            .finish()
    }
}

/// `DEMO_SESSION_KEY` as bytes: exactly 128 hex digits.
pub fn session_key(hex_text: &str) -> Result<Arc<[u8]>, FleetConfigError> {
    let text = hex_text.trim();
    if text.len() != 128 {
        return Err(FleetConfigError::SessionKey);
    }
    hex::decode(text)
        .map(Arc::from)
        .map_err(|_| FleetConfigError::SessionKey)
}

impl FleetOptions {
    /// Reads `DEMO_SESSION_KEY` and `DEMO_REDIS_URL` (connecting to Redis).
    pub async fn from_env() -> Result<Self, FleetConfigError> {
        let session_key = match std::env::var("DEMO_SESSION_KEY") {
            Ok(text) => Some(session_key(&text)?),
            Err(_) => None,
        };
        let shared_state: Option<Arc<dyn SharedState>> = match std::env::var("DEMO_REDIS_URL") {
            Ok(url) => Some(Arc::new(
                loginradius_redis::RedisState::connect(url)
                    .await
                    .map_err(|e| FleetConfigError::Redis(e.to_string()))?,
            )),
            Err(_) => None,
        };
        Ok(Self {
            session_key,
            shared_state,
        })
    }
}

/// Subscribes `{public_url}/webhooks/loginradius` to each of [`WEBHOOK_EVENTS`] it does not
/// follow yet; answers how many subscriptions it made (0 on a restart).
pub async fn subscribe_webhooks(
    client: &LoginRadius,
    public_url: &str,
) -> Result<usize, loginradius::Error> {
    let target = format!("{}{WEBHOOK_PATH}", public_url.trim_end_matches('/'));
    let hooks = client.webhooks();
    let existing = hooks.list().await?.subscriptions;
    let mut made = 0;
    for event in WEBHOOK_EVENTS {
        let followed = existing
            .iter()
            .any(|s| s.event.eq_ignore_ascii_case(event) && s.target_url == target);
        if !followed {
            hooks.create(&NewWebhook::new(*event, &target)).await?;
            made += 1;
        }
    }
    Ok(made)
}

/// `POST /webhooks/loginradius` over `flows` (outside the pages' CSRF checks: LoginRadius signs
/// its deliveries instead).
pub(crate) fn webhook_routes(flows: Flows) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .with_state(flows)
}

async fn receive(State(flows): State<Flows>, headers: HeaderMap, body: Body) -> Response {
    let answer = match axum::body::to_bytes(body, MAX_WEBHOOK_BODY).await {
        Ok(body) => flows.webhooks().receive(&headers, &body).await,
        Err(_) => WebhookError::TooLarge.response(),
    };
    loginradius_axum::routes::flow_response(&flows, &headers, answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_key_is_exactly_128_hex_digits() {
        let good = "ab".repeat(64);
        assert_eq!(session_key(&good).unwrap().len(), 64);
        for bad in [
            "",
            "ab",
            &"ab".repeat(32),
            &"zz".repeat(64),
            &"ab".repeat(65),
        ] {
            let e = session_key(bad).unwrap_err();
            assert!(e.to_string().contains("128 hex digits"), "{e}");
        }
        let options = FleetOptions {
            session_key: Some(session_key(&good).unwrap()),
            shared_state: None,
        };
        assert!(!format!("{options:?}").contains("abab"));
    }
}
