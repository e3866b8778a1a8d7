//! Invalidation events and the bus that carries them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::sync::broadcast;

use super::session::SessionId;

/// Something every replica must act on at once. Published once, by whoever learned it (a route
/// helper, a verified LoginRadius webhook, an administrator's helper), and received by all.
///
/// On the wire (the Redis backend) an event is JSON with a `type` tag. A receiver that meets a
/// type it does not know treats it as [`BusSignal::Missed`]: it drops what it caches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FleetEvent {
    /// One access token is no longer valid (signed out, invalidated). Carries the SHA-256 of the
    /// token in lowercase hex, never the token.
    TokenRevoked {
        /// `hex(sha256(token))`.
        token_sha256: String,
    },
    /// One session was ended (sign-out, ended from the sessions page).
    SessionEnded {
        /// The session.
        session: SessionId,
        /// Its user.
        uid: String,
    },
    /// One session was proven again (re-authentication): what replicas cached about it (how
    /// and when it was proven) is stale.
    SessionProven {
        /// The session.
        session: SessionId,
        /// Its user.
        uid: String,
    },
    /// Every session and token of a user issued before `not_before` is no longer valid
    /// (password changed, set or reset; second factor changed; account blocked or deleted;
    /// an administrator ended them).
    UserSessionsEnded {
        /// The user.
        uid: String,
        /// Sessions created and tokens validated before this instant are refused.
        #[serde(with = "time::serde::timestamp::milliseconds_i64")]
        not_before: OffsetDateTime,
    },
    /// A user's roles changed.
    RolesChanged {
        /// The user.
        uid: String,
    },
    /// A user's role contexts changed.
    RoleContextsChanged {
        /// The user.
        uid: String,
    },
    /// Role definitions (role → permissions) changed, or a role was deleted.
    RoleDefinitionsChanged,
    /// A user's profile changed (cached copies of it are stale).
    ProfileChanged {
        /// The user.
        uid: String,
    },
}

impl FleetEvent {
    /// A [`FleetEvent::TokenRevoked`] for `token` (hashed here; the token is not kept).
    pub fn token_revoked(token: &str) -> Self {
        Self::TokenRevoked {
            token_sha256: hex::encode(Sha256::digest(token.as_bytes())),
        }
    }

    /// The user the event is about, if it is about one.
    pub fn uid(&self) -> Option<&str> {
        match self {
            Self::SessionEnded { uid, .. }
            | Self::SessionProven { uid, .. }
            | Self::UserSessionsEnded { uid, .. }
            | Self::RolesChanged { uid }
            | Self::RoleContextsChanged { uid }
            | Self::ProfileChanged { uid } => Some(uid),
            Self::TokenRevoked { .. } | Self::RoleDefinitionsChanged => None,
        }
    }
}

/// What a [`BusReceiver`] yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusSignal {
    /// An event published by some replica.
    Event(FleetEvent),
    /// The bus lost its connection: until [`BusSignal::Missed`] follows, events may not arrive,
    /// so local caches may be trusted only briefly.
    Lost,
    /// Events may have been missed (the bus reconnected, this receiver fell behind, or an event
    /// could not be read): drop everything cached that an event could have invalidated.
    Missed,
}

/// Receives [`BusSignal`]s; made by [`SharedState::subscribe`](super::SharedState::subscribe).
#[derive(Debug)]
pub struct BusReceiver {
    inner: broadcast::Receiver<BusSignal>,
}

impl BusReceiver {
    /// Wraps a receiver of a backend's broadcast channel.
    pub fn new(inner: broadcast::Receiver<BusSignal>) -> Self {
        Self { inner }
    }

    /// The next signal; `None` once the backend is gone. A receiver that fell behind gets
    /// [`BusSignal::Missed`] instead of the events it lost.
    pub async fn recv(&mut self) -> Option<BusSignal> {
        match self.inner.recv().await {
            Ok(signal) => Some(signal),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(BusSignal::Missed),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

/// How many signals a receiver may fall behind before it gets [`BusSignal::Missed`].
pub(crate) const BUS_CAPACITY: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_as_tagged_json_and_carry_no_token() {
        let events = [
            FleetEvent::token_revoked("secret-token"),
            FleetEvent::SessionEnded {
                session: SessionId::from_string("abc").expect("id"),
                uid: "u".into(),
            },
            FleetEvent::SessionProven {
                session: SessionId::from_string("abc").expect("id"),
                uid: "u".into(),
            },
            FleetEvent::UserSessionsEnded {
                uid: "u".into(),
                not_before: OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_000_000)
                    .expect("time"),
            },
            FleetEvent::RolesChanged { uid: "u".into() },
            FleetEvent::RoleContextsChanged { uid: "u".into() },
            FleetEvent::RoleDefinitionsChanged,
            FleetEvent::ProfileChanged { uid: "u".into() },
        ];
        for event in events {
            let json = serde_json::to_string(&event).expect("serialise");
            assert!(!json.contains("secret-token"), "{json}");
            let back: FleetEvent = serde_json::from_str(&json).expect("deserialise");
            assert_eq!(back, event, "{json}");
        }
        let json = serde_json::to_value(FleetEvent::token_revoked("secret-token")).expect("json");
        assert_eq!(json["type"], "token_revoked");
        assert_eq!(json["token_sha256"].as_str().map(str::len), Some(64));
        assert!(serde_json::from_str::<FleetEvent>(r#"{"type":"from_the_future"}"#).is_err());
    }

    #[tokio::test]
    async fn a_receiver_that_falls_behind_is_told_it_missed_events() {
        let (tx, rx) = broadcast::channel(2);
        let mut rx = BusReceiver::new(rx);
        for _ in 0..3 {
            tx.send(BusSignal::Event(FleetEvent::RoleDefinitionsChanged))
                .expect("send");
        }
        assert_eq!(rx.recv().await, Some(BusSignal::Missed));
        drop(tx);
        assert!(matches!(rx.recv().await, Some(BusSignal::Event(_))));
        assert!(matches!(rx.recv().await, Some(BusSignal::Event(_))));
        assert_eq!(rx.recv().await, None);
    }
}
