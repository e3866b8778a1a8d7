//! The pub/sub listener: turns messages on the events channel into [`BusSignal`]s, and a lost
//! connection into [`BusSignal::Lost`], then (once resubscribed) [`BusSignal::Missed`].

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::StreamExt as _;
use loginradius::fleet::{BusSignal, FleetEvent, FleetResult, SharedStateError};
use redis::aio::PubSub;
use time::OffsetDateTime;
use tokio::sync::broadcast;

use crate::{BACKEND, HealthState, redacted};

/// The first and the longest wait between two reconnection attempts.
const FIRST_RETRY: Duration = Duration::from_millis(50);
const LONGEST_RETRY: Duration = Duration::from_secs(2);

/// A pub/sub connection subscribed to `channel`, within `timeout`.
pub(crate) async fn subscribe(
    client: &redis::Client,
    channel: &str,
    timeout: Duration,
) -> FleetResult<PubSub> {
    let attempt = async {
        let mut pubsub = client.get_async_pubsub().await?;
        pubsub.subscribe(channel).await?;
        Ok::<_, redis::RedisError>(pubsub)
    };
    match tokio::time::timeout(timeout * 4, attempt).await {
        Ok(Ok(pubsub)) => Ok(pubsub),
        Ok(Err(e)) => Err(SharedStateError::unavailable(BACKEND, redacted(&e))),
        Err(_) => Err(SharedStateError::unavailable(
            BACKEND,
            "subscribing timed out",
        )),
    }
}

/// Forwards events until the task is aborted (when the last `RedisState` clone is dropped).
pub(crate) async fn run(
    client: redis::Client,
    channel: String,
    mut pubsub: PubSub,
    bus: broadcast::Sender<BusSignal>,
    health: Arc<Mutex<HealthState>>,
    timeout: Duration,
) {
    loop {
        {
            let mut messages = pubsub.on_message();
            while let Some(message) = messages.next().await {
                let event = message
                    .get_payload::<String>()
                    .ok()
                    .and_then(|payload| serde_json::from_str::<FleetEvent>(&payload).ok());
                let signal = match event {
                    Some(event) => BusSignal::Event(event),
                    None => {
                        tracing::warn!(
                            backend = BACKEND,
                            "unreadable event on the bus: receivers drop their caches"
                        );
                        BusSignal::Missed
                    }
                };
                let _ = bus.send(signal);
            }
        }
        set_bus(&health, Some("the events subscription was lost".to_owned()));
        tracing::warn!(backend = BACKEND, "events subscription lost; reconnecting");
        let _ = bus.send(BusSignal::Lost);
        let mut wait = FIRST_RETRY;
        pubsub = loop {
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LONGEST_RETRY);
            match subscribe(&client, &channel, timeout).await {
                Ok(pubsub) => break pubsub,
                Err(e) => tracing::debug!(backend = BACKEND, error = %e, "resubscribe failed"),
            }
        };
        set_bus(&health, None);
        tracing::info!(backend = BACKEND, "events subscription restored");
        let _ = bus.send(BusSignal::Missed);
    }
}

fn set_bus(health: &Mutex<HealthState>, down: Option<String>) {
    let mut state = health.lock().unwrap_or_else(PoisonError::into_inner);
    state.bus = down.map(|reason| (OffsetDateTime::now_utc(), reason));
}
