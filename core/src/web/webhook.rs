//! LoginRadius webhooks, verified, turned into [`FleetEvent`]s for every replica.
//!
//! LoginRadius posts a JSON body `{"HookName", "Time", "HookId", "Data"}` with a `signature`
//! header. [`WebhookReceiver::receive`] takes the raw body bytes and the headers (framework
//! agnostic; the adapters' route helpers call it) and, in this order, refuses:
//!
//! | Check | Answer |
//! |---|---|
//! | a body over [`MAX_WEBHOOK_BODY`] (the adapters stop reading there) | 413 `too_large` |
//! | no `signature` header, or not the HMAC-SHA256 of the raw body keyed with the API secret (lowercase or uppercase hex, or base64; compared in constant time) | 401 `bad_signature` |
//! | a body that is not the JSON above, or whose `Time` is older than the window (default [`DEFAULT_WEBHOOK_WINDOW`]) or more than a minute in the future | 400 `invalid_webhook` |
//! | a `HookId` already received (remembered in the shared state, so on every replica) | 409 `replayed` |
//! | the shared state cannot be reached | 503 `unavailable` |
//!
//! Nothing changes on any refusal. A verified delivery becomes events, applied here and
//! published once on the bus ([`Authenticator::publish`]) so every replica applies them:
//!
//! | `HookName` (any case: LoginRadius sends it in lowercase) | Event |
//! |---|---|
//! | `AssignRoles`, `UnassignRoles` | [`FleetEvent::RolesChanged`] (role caches evicted) |
//! | `RemoveRoleContext` | [`FleetEvent::RoleContextsChanged`] |
//! | `ChangePassword`, `ResetPassword`, `SetPassword`, `BlockAccount`, `DeleteAccount`, `UpdateUid` | [`FleetEvent::UserSessionsEnded`] (tokens evicted; sessions before now refused; with [`WebhookReceiver::sessions`], their registry entries removed and their LoginRadius tokens invalidated) |
//! | `UpdateProfile` | [`FleetEvent::ProfileChanged`] |
//! | any other | none (answered 200 `{"received": true, "handled": false}`) |
//!
//! The user is `Data.Uid`, else `Data.Profile.Uid`; a handled hook without one is 400.
//!
//! **Webhooks are a hint, not the only line of defence.** A caller of the LoginRadius API can
//! suppress webhooks for its own calls, and a delivery can be lost. The caches' lifetimes
//! (token, roles, role contexts) stay the backstop: keep them short enough for your needs.

use std::time::Duration;

use hmac::{Hmac, Mac};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::auth::Authenticator;
use crate::fleet::FleetEvent;
use crate::web::SessionCookie;
use crate::web::flows::{FlowResponse, end_sessions_of};

/// The header that carries the signature of the body.
pub const SIGNATURE_HEADER: &str = "signature";

/// The largest body accepted (64 KiB); the adapters stop reading a body there and answer 413.
pub const MAX_WEBHOOK_BODY: usize = 64 * 1024;

/// How old a delivery's `Time` may be, by default (5 minutes).
pub const DEFAULT_WEBHOOK_WINDOW: Duration = Duration::from_secs(5 * 60);

/// How far in the future a `Time` may be (clock skew).
const FUTURE_SKEW: Duration = Duration::from_secs(60);

/// How long a `HookId` is remembered, at least: the window plus the skew, so a replay inside
/// the window is always recognised.
const HOOK_ID_MEMORY_MARGIN: Duration = Duration::from_secs(60);

/// How long a user's "not before" instant is kept after a hook that ends their sessions.
const NOT_BEFORE_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a delivery was refused. Its message never contains the body, the signature or the
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is larger than [`MAX_WEBHOOK_BODY`].
    #[error("the webhook body is larger than {MAX_WEBHOOK_BODY} bytes")]
    TooLarge,
    /// No API secret is configured: no signature can be checked.
    #[error("no API secret is configured: webhooks cannot be verified")]
    NoSecret,
    /// The `signature` header is missing or does not match the body.
    #[error("the webhook signature is missing or wrong")]
    BadSignature,
    /// The body is not a LoginRadius webhook (JSON with `HookName`, `Time`, `HookId`, `Data`),
    /// or a handled hook names no user.
    #[error("the webhook body is invalid: {0}")]
    Invalid(&'static str),
    /// `Time` is outside the accepted window.
    #[error("the webhook is too old or from the future")]
    Stale,
    /// The `HookId` was already received.
    #[error("the webhook was already received")]
    Replayed,
    /// The shared state could not be reached.
    #[error("the shared state is unavailable")]
    Unavailable,
}

impl WebhookError {
    /// The answer to send for this refusal.
    pub fn response(&self) -> FlowResponse {
        let (status, code) = match self {
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::NoSecret => (StatusCode::INTERNAL_SERVER_ERROR, "misconfigured"),
            Self::BadSignature => (StatusCode::UNAUTHORIZED, "bad_signature"),
            Self::Invalid(_) | Self::Stale => (StatusCode::BAD_REQUEST, "invalid_webhook"),
            Self::Replayed => (StatusCode::CONFLICT, "replayed"),
            Self::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        };
        let mut response = FlowResponse::error(status, code, &self.to_string());
        if matches!(self, Self::Unavailable) {
            response.retry_after = Some(Duration::from_secs(5));
        }
        response
    }
}

/// A delivery whose signature, shape and time were checked (its `HookId` not yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// `HookName`, such as `UnassignRoles`.
    pub hook_name: String,
    /// `HookId`, unique per delivery.
    pub hook_id: String,
    /// `Time`.
    pub time: OffsetDateTime,
    /// The events it stands for (empty for a hook not handled).
    pub events: Vec<FleetEvent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Body {
    hook_name: String,
    time: Value,
    hook_id: String,
    data: Value,
}

/// Receives LoginRadius webhooks for one [`Authenticator`] (see the [module docs](self)).
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    authenticator: Authenticator,
    window: Duration,
    /// The session cookie whose registry entries it ends (with their tokens).
    sessions: Option<SessionCookie>,
}

impl WebhookReceiver {
    /// A receiver whose key is the API secret of `authenticator`'s client, with the default
    /// window.
    pub fn new(authenticator: Authenticator) -> Self {
        Self {
            authenticator,
            window: DEFAULT_WEBHOOK_WINDOW,
            sessions: None,
        }
    }

    /// Ends the registry entries of the sessions of `cookie` (and invalidates their
    /// LoginRadius tokens, opened with its key) when a delivery ends a user's sessions
    /// (`ChangePassword`, `BlockAccount`, …), as the route helpers do. Without it the
    /// user's "not before" alone refuses them. [`Flows::webhooks`](super::Flows::webhooks)
    /// sets it.
    pub fn sessions(mut self, cookie: SessionCookie) -> Self {
        self.sessions = Some(cookie);
        self
    }

    /// Sets how old a delivery's `Time` may be.
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Checks a delivery's size, signature, shape and time at `now`, without any state change.
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<Webhook, WebhookError> {
        if body.len() > MAX_WEBHOOK_BODY {
            return Err(WebhookError::TooLarge);
        }
        let secret = self
            .authenticator
            .client()
            .config
            .api_secret
            .as_ref()
            .filter(|s| !s.is_blank())
            .ok_or(WebhookError::NoSecret)?;
        let signature = headers
            .get(SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(decode_signature)
            .ok_or(WebhookError::BadSignature)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
            .map_err(|_| WebhookError::NoSecret)?;
        mac.update(body);
        mac.verify_slice(&signature)
            .map_err(|_| WebhookError::BadSignature)?;

        let parsed: Body = serde_json::from_slice(body)
            .map_err(|_| WebhookError::Invalid("not a JSON webhook"))?;
        if parsed.hook_id.trim().is_empty() || parsed.hook_name.trim().is_empty() {
            return Err(WebhookError::Invalid("empty HookId or HookName"));
        }
        let time = parse_time(&parsed.time).ok_or(WebhookError::Invalid("unreadable Time"))?;
        if time < now - self.window || time > now + FUTURE_SKEW {
            return Err(WebhookError::Stale);
        }
        let events = events(&parsed.hook_name, &parsed.data, time, now)?;
        Ok(Webhook {
            hook_name: parsed.hook_name,
            hook_id: parsed.hook_id,
            time,
            events,
        })
    }

    /// Verifies a delivery, refuses a `HookId` already seen, then applies and publishes its
    /// events. The answer is 200 `{"received": true, "handled": bool}` or a refusal (see the
    /// [module docs](self)).
    pub async fn receive(&self, headers: &HeaderMap, body: &[u8]) -> FlowResponse {
        match self.receive_inner(headers, body).await {
            Ok(handled) => FlowResponse::ok(json!({ "received": true, "handled": handled })),
            Err(refused) => {
                tracing::warn!(target: "loginradius::web::webhook", "webhook refused: {refused}");
                refused.response()
            }
        }
    }

    async fn receive_inner(&self, headers: &HeaderMap, body: &[u8]) -> Result<bool, WebhookError> {
        let hook = self.verify(headers, body, OffsetDateTime::now_utc())?;
        let fleet = self.authenticator.shared_state();
        let memory = self.window + FUTURE_SKEW + HOOK_ID_MEMORY_MARGIN;
        let first = fleet
            .first_sighting(&format!("webhook:{}", hook.hook_id), memory)
            .await
            .map_err(|_| WebhookError::Unavailable)?;
        if !first {
            return Err(WebhookError::Replayed);
        }
        for event in &hook.events {
            if let FleetEvent::UserSessionsEnded { uid, not_before } = event {
                fleet
                    .set_not_before(uid, *not_before, NOT_BEFORE_TTL)
                    .await
                    .map_err(|_| WebhookError::Unavailable)?;
            }
            // Applied here even when publishing fails; then LoginRadius is told to retry.
            self.authenticator
                .publish(event)
                .await
                .map_err(|_| WebhookError::Unavailable)?;
            if let (FleetEvent::UserSessionsEnded { uid, not_before }, Some(cookie)) =
                (event, &self.sessions)
            {
                // A credential change ends the sessions made before it, keeping their tokens
                // at LoginRadius (the route helpers re-issue the session of the change with
                // its token); a blocked, deleted or renamed account ends every session and
                // invalidates their tokens.
                let before = is_credential_change(&hook.hook_name).then_some(*not_before);
                end_sessions_of(&self.authenticator, cookie, uid, None, before)
                    .await
                    .map_err(|_| WebhookError::Unavailable)?;
            }
        }
        Ok(!hook.events.is_empty())
    }
}

/// The signature as bytes: hex (either case) or standard base64.
fn decode_signature(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let text = text.trim();
    let text = text.strip_prefix("sha256=").unwrap_or(text);
    hex::decode(text)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
}

/// `Time` as RFC 3339 text, or a Unix timestamp in seconds or milliseconds.
fn parse_time(value: &Value) -> Option<OffsetDateTime> {
    match value {
        Value::String(text) => {
            OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
        }
        Value::Number(n) => {
            let n = n.as_i64()?;
            if n.abs() >= 100_000_000_000 {
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(n) * 1_000_000).ok()
            } else {
                OffsetDateTime::from_unix_timestamp(n).ok()
            }
        }
        _ => None,
    }
}

/// Whether hook `name` tells of a changed password.
fn is_credential_change(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "changepassword" | "resetpassword" | "setpassword"
    )
}

/// The events of hook `name` with `data`, sent at `time` and received at `now`.
///
/// A credential change (`ChangePassword`, `ResetPassword`, `SetPassword`) ends the sessions made
/// before it (`not_before` = the hook's `Time`): the session in which a user changed their
/// password through the route helpers, re-issued right after the change, and sessions signed in
/// with the new password stay. A blocked, deleted or renamed account ends every session up to
/// the hook's reception.
fn events(
    name: &str,
    data: &Value,
    time: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<Vec<FleetEvent>, WebhookError> {
    let uid = || {
        [&data["Uid"], &data["Profile"]["Uid"]]
            .into_iter()
            .find_map(|v| v.as_str().filter(|s| !s.is_empty()))
            .map(str::to_owned)
            .ok_or(WebhookError::Invalid("the hook names no user"))
    };
    // LoginRadius sends the name in lowercase (`unassignroles`); its docs spell it `UnassignRoles`.
    Ok(match name.to_ascii_lowercase().as_str() {
        "assignroles" | "unassignroles" => vec![FleetEvent::RolesChanged { uid: uid()? }],
        "removerolecontext" => vec![FleetEvent::RoleContextsChanged { uid: uid()? }],
        _ if is_credential_change(name) => vec![FleetEvent::UserSessionsEnded {
            uid: uid()?,
            not_before: time.min(now),
        }],
        "blockaccount" | "deleteaccount" | "updateuid" => vec![FleetEvent::UserSessionsEnded {
            uid: uid()?,
            not_before: now,
        }],
        "updateprofile" => vec![FleetEvent::ProfileChanged { uid: uid()? }],
        _ => Vec::new(),
    })
}

/// `hex(HMAC-SHA256(secret, body))`: the `signature` header LoginRadius sends, for tests and
/// tools that play LoginRadius.
pub fn sign_webhook(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length: this cannot fail.
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoginRadius;
    use crate::fleet::BusSignal;
    use crate::transport::RecordingTransport;

    const SECRET: &str = "webhook-secret";

    #[test]
    fn a_credential_change_ends_the_sessions_made_before_it_and_a_block_every_session() {
        let data = serde_json::json!({"Uid": "u-1"});
        let sent = OffsetDateTime::now_utc() - time::Duration::seconds(3);
        let now = OffsetDateTime::now_utc();
        for name in ["ChangePassword", "resetpassword", "SetPassword"] {
            assert_eq!(
                events(name, &data, sent, now).unwrap(),
                vec![FleetEvent::UserSessionsEnded {
                    uid: "u-1".into(),
                    not_before: sent
                }],
                "{name}"
            );
        }
        // A `Time` ahead of this clock never reaches past the reception.
        let ahead = now + time::Duration::seconds(30);
        assert!(matches!(
            events("ChangePassword", &data, ahead, now).unwrap().as_slice(),
            [FleetEvent::UserSessionsEnded { not_before, .. }] if *not_before == now
        ));
        for name in ["BlockAccount", "DeleteAccount", "UpdateUid"] {
            assert!(matches!(
                events(name, &data, sent, now).unwrap().as_slice(),
                [FleetEvent::UserSessionsEnded { not_before, .. }] if *not_before == now
            ));
        }
    }

    fn receiver() -> WebhookReceiver {
        let client = LoginRadius::builder()
            .api_key("key")
            .api_secret(SECRET)
            .transport(RecordingTransport::new())
            .build()
            .unwrap();
        WebhookReceiver::new(Authenticator::builder(client).build().unwrap())
    }

    fn body(name: &str, id: &str, time: OffsetDateTime) -> Vec<u8> {
        let time = time
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        serde_json::to_vec(&json!({
            "HookName": name, "Time": time, "HookId": id, "Data": {"Uid": "u-1"}
        }))
        .unwrap()
    }

    fn signed(secret: &str, body: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            SIGNATURE_HEADER,
            sign_webhook(secret, body).parse().unwrap(),
        );
        headers
    }

    #[tokio::test]
    async fn refusals_change_nothing_and_a_valid_delivery_publishes_once() {
        let r = receiver();
        let mut bus = r.authenticator.shared_state().subscribe();
        let now = OffsetDateTime::now_utc();
        let good = body("UnassignRoles", "h-1", now);
        let mut not_json = b"not json".to_vec();
        let big = vec![b' '; 2 * 1024 * 1024];
        let old = body("UnassignRoles", "h-2", now - time::Duration::minutes(6));
        for (headers, body, status) in [
            (HeaderMap::new(), good.clone(), 401),
            (signed("other", &good), good.clone(), 401),
            (
                signed(SECRET, &not_json),
                std::mem::take(&mut not_json),
                400,
            ),
            (signed(SECRET, &big), big, 413),
            (signed(SECRET, &old), old, 400),
        ] {
            let out = r.receive(&headers, &body).await;
            assert_eq!(out.status.as_u16(), status, "{}", out.body);
        }
        let out = r.receive(&signed(SECRET, &good), &good).await;
        assert_eq!(out.status, StatusCode::OK, "{}", out.body);
        assert_eq!(out.body, json!({"received": true, "handled": true}));
        let replay = r.receive(&signed(SECRET, &good), &good).await;
        assert_eq!(replay.status, StatusCode::CONFLICT);
        // The first and only event on the bus is the valid delivery's.
        assert_eq!(
            bus.recv().await,
            Some(BusSignal::Event(FleetEvent::RolesChanged {
                uid: "u-1".into()
            }))
        );
        let other = body("DeleteAccount", "h-3", now);
        let out = r.receive(&signed(SECRET, &other), &other).await;
        assert_eq!(out.status, StatusCode::OK);
        let Some(BusSignal::Event(FleetEvent::UserSessionsEnded { uid, .. })) = bus.recv().await
        else {
            panic!("no sessions ended");
        };
        assert_eq!(uid, "u-1");
        let not_before = r.authenticator.shared_state().not_before("u-1").await;
        assert!(matches!(not_before, Ok(Some(_))));
    }

    #[test]
    fn hooks_map_to_events_and_times_read_in_three_forms() {
        let now = OffsetDateTime::now_utc();
        let data = json!({"Profile": {"Uid": "u"}});
        let uid = || "u".to_owned();
        assert_eq!(
            events("RemoveRoleContext", &data, now, now).unwrap(),
            [FleetEvent::RoleContextsChanged { uid: uid() }]
        );
        assert_eq!(
            events("UpdateProfile", &data, now, now).unwrap(),
            [FleetEvent::ProfileChanged { uid: uid() }]
        );
        assert_eq!(
            events("SetPassword", &data, now, now).unwrap(),
            [FleetEvent::UserSessionsEnded {
                uid: uid(),
                not_before: now
            }]
        );
        assert!(events("Login", &data, now, now).unwrap().is_empty());
        assert_eq!(
            events("unassignroles", &data, now, now).unwrap(),
            [FleetEvent::RolesChanged { uid: uid() }]
        );
        assert!(events("AssignRoles", &json!({}), now, now).is_err());
        let t = parse_time(&json!(1_700_000_000)).unwrap();
        assert_eq!(parse_time(&json!(1_700_000_000_000_i64)), Some(t));
        assert_eq!(parse_time(&json!("2023-11-14T22:13:20Z")), Some(t));
        assert_eq!(parse_time(&json!(true)), None);
        let sig = sign_webhook(SECRET, b"x");
        assert_eq!(
            decode_signature(&sig.to_uppercase()),
            hex::decode(&sig).ok()
        );
    }
}
