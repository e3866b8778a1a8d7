//! Webhook deliveries: what the emulator posts to the subscribers of an event, as LoginRadius
//! does, and the record of each attempt.
//!
//! A handler names the events its call raised ([`Ctx::hook`](crate::request::Ctx::hook)); once
//! the call has succeeded, [`enqueue`] builds one delivery per subscription of each event —
//! body `{"HookName", "Time", "HookId", "Data"}` (`HookName` in lowercase, `Data` the profile),
//! header `signature` = uppercase hex HMAC-SHA256 of the raw body keyed with the API secret —
//! and hands it to a bounded queue. A worker task posts them, a few at a time, each with a
//! timeout, and records the outcome ([`WebhookDelivery`]). Nothing is retried (LoginRadius does
//! not retry either).
//!
//! A call with the header `X-PreventWebhook: true`, or the query `prevent_webhook=true` (the
//! header wins), raises none. A target that is neither on loopback nor on an origin the
//! emulator allows (`--allow-link-origin`) is not contacted: the attempt is recorded as
//! `refused`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::{Semaphore, mpsc};

use crate::extras::Webhook;
use crate::times::iso;

/// Most deliveries waiting to be posted; beyond, a delivery is recorded as `dropped`.
const QUEUE: usize = 256;
/// Most deliveries being posted at once.
const IN_FLIGHT: usize = 8;
/// How long one post may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Most deliveries recorded; older ones are dropped first.
const CAPACITY: usize = 1000;

/// One delivery attempt, as `GET /emulator/outbox` lists it under `webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// The subscription's target URL.
    pub url: String,
    /// The event, as subscribed (`UnassignRoles`).
    pub event: String,
    /// The `HookId` of the body.
    pub hook_id: String,
    /// The user the event is about.
    pub uid: String,
    /// `queued`, `delivered` (any answer; see `status`), `failed` (no answer), `refused` (target
    /// not allowed) or `dropped` (queue full).
    pub outcome: String,
    /// The HTTP status the target answered, once it has.
    pub status: Option<u16>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// When it was queued (RFC 3339, UTC).
    pub time: String,
}

/// The delivery records, shared by the server and the worker.
#[derive(Debug, Default)]
pub(crate) struct DeliveryLog(Mutex<VecDeque<WebhookDelivery>>);

impl DeliveryLog {
    fn push(&self, delivery: WebhookDelivery) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= CAPACITY {
            log.pop_front();
        }
        log.push_back(delivery);
    }

    fn settle(&self, hook_id: &str, outcome: &str, status: Option<u16>, error: Option<String>) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = log.iter_mut().rev().find(|d| d.hook_id == hook_id) {
            outcome.clone_into(&mut d.outcome);
            d.status = status;
            d.error = error;
        }
    }

    /// Every record, oldest first.
    pub(crate) fn list(&self) -> Vec<WebhookDelivery> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// A delivery ready to post.
struct Job {
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    signature: String,
    hook_id: String,
}

/// The sending side: the queue and the records.
#[derive(Debug)]
pub(crate) struct Deliveries {
    pub(crate) log: Arc<DeliveryLog>,
    queue: Mutex<Option<mpsc::Sender<Job>>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Default for Deliveries {
    fn default() -> Self {
        Self {
            log: Arc::default(),
            queue: Mutex::new(None),
        }
    }
}

impl Deliveries {
    /// Starts the worker (once, within a Tokio runtime). It ends when the sender is dropped
    /// with the state.
    pub(crate) fn start(&self) {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        if queue.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        *queue = Some(tx);
        tokio::spawn(worker(rx, self.log.clone()));
    }

    fn send(&self, job: Job) -> Result<(), &'static str> {
        let queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tx) = queue.as_ref() else {
            return Err("the delivery worker is not running");
        };
        tx.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => "the delivery queue is full",
            mpsc::error::TrySendError::Closed(_) => "the delivery worker stopped",
        })
    }
}

async fn worker(mut rx: mpsc::Receiver<Job>, log: Arc<DeliveryLog>) {
    let client = match reqwest::Client::builder().timeout(TIMEOUT).build() {
        Ok(client) => client,
        Err(e) => {
            tracing::warn!(error = %e, "webhook deliveries disabled: no HTTP client");
            return;
        }
    };
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    while let Some(job) = rx.recv().await {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let client = client.clone();
        let log = log.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut request = client
                .post(&job.url)
                .header("content-type", "application/json")
                .header("signature", &job.signature)
                .body(job.body);
            for (name, value) in &job.headers {
                request = request.header(name, value);
            }
            match request.send().await {
                Ok(answer) => {
                    let status = answer.status().as_u16();
                    tracing::debug!(url = %job.url, status, "webhook delivered");
                    log.settle(&job.hook_id, "delivered", Some(status), None);
                }
                Err(e) => {
                    tracing::debug!(url = %job.url, error = %e, "webhook not delivered");
                    let error = if e.is_timeout() {
                        "timed out"
                    } else {
                        "no answer"
                    };
                    log.settle(&job.hook_id, "failed", None, Some(error.to_owned()));
                }
            }
        });
    }
}

/// `X-PreventWebhook: true`, or `prevent_webhook=true` in the query; the header wins.
pub(crate) fn suppressed(header: Option<&str>, query: Option<&str>) -> bool {
    match header {
        Some(value) => value.trim().eq_ignore_ascii_case("true"),
        None => query.is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1"),
    }
}

/// One event a call raised: the event's name as subscribed, the user, the profile (`Data`).
pub(crate) struct Raised {
    pub(crate) event: &'static str,
    pub(crate) uid: String,
    pub(crate) data: Value,
}

/// Queues one delivery per subscription of each raised event (see the [module docs](self)).
#[allow(clippy::too_many_arguments)]
pub(crate) fn enqueue(
    deliveries: &Deliveries,
    secret: &str,
    subscriptions: &[Webhook],
    raised: Vec<Raised>,
    now: time::OffsetDateTime,
    hook_id: &mut dyn FnMut() -> String,
    target_allowed: &dyn Fn(&str) -> bool,
) {
    for Raised { event, uid, data } in raised {
        for hook in subscriptions.iter().filter(|h| h.event == event) {
            let id = hook_id();
            let body = json!({
                "HookName": event.to_ascii_lowercase(),
                "Time": iso(now),
                "HookId": id,
                "Data": data,
            });
            let body = serde_json::to_vec(&body).unwrap_or_default();
            let mut record = WebhookDelivery {
                url: hook.target_url.clone(),
                event: event.to_owned(),
                hook_id: id.clone(),
                uid: uid.clone(),
                outcome: "queued".to_owned(),
                status: None,
                error: None,
                time: iso(now),
            };
            let Some(url) = target(hook).filter(|u| target_allowed(u)) else {
                record.outcome = "refused".to_owned();
                record.error =
                    Some("the target is neither on loopback nor an allowed origin".to_owned());
                deliveries.log.push(record);
                continue;
            };
            let headers = hook
                .headers
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect();
            let job = Job {
                url,
                headers,
                signature: sign(secret, &body),
                body,
                hook_id: id,
            };
            // Recorded before the worker can see the job: a post that fails at once settles a
            // record that exists (the other order left it "queued" for good).
            let hook_id = record.hook_id.clone();
            deliveries.log.push(record);
            if let Err(why) = deliveries.send(job) {
                deliveries
                    .log
                    .settle(&hook_id, "dropped", None, Some(why.to_owned()));
            }
        }
    }
}

/// The target URL with the subscription's query parameters added.
fn target(hook: &Webhook) -> Option<String> {
    let mut url = url::Url::parse(&hook.target_url).ok()?;
    if !hook.query_params.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &hook.query_params {
            if let Some(v) = v.as_str() {
                pairs.append_pair(k, v);
            }
        }
    }
    Some(url.into())
}

/// Uppercase hex HMAC-SHA256 of `body` keyed with `secret`, as LoginRadius signs.
fn sign(secret: &str, body: &[u8]) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            hex::encode_upper(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_wins_over_the_query() {
        assert!(suppressed(Some("true"), None));
        assert!(suppressed(Some("TRUE"), Some("false")));
        assert!(!suppressed(Some("false"), Some("true")));
        assert!(suppressed(None, Some("true")));
        assert!(!suppressed(None, None));
    }

    #[test]
    fn the_signature_is_what_the_library_verifies() {
        let body = br#"{"HookName":"login"}"#;
        let ours = sign("s3cret", body);
        assert_eq!(ours, ours.to_uppercase());
        assert_eq!(
            ours.to_lowercase(),
            loginradius::web::webhook::sign_webhook("s3cret", body)
        );
    }
}
