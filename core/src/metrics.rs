//! Metrics, through the [`metrics`](https://docs.rs/metrics) crate's facade: the library records,
//! the application installs the exporter it wants (Prometheus, OpenTelemetry, StatsD…). Without
//! an exporter installed, recording costs a check of a static and nothing else.
//!
//! | name | kind | labels | what |
//! |---|---|---|---|
//! | `loginradius_decisions_total` | counter | `stage` (`authenticate`, `authorize`), `outcome` (`allow`, or the rejection's code: `missing_token`, `invalid_token`, `expired_token`, `forbidden`, `unavailable`…) | every decision of the [`Authenticator`](crate::auth::Authenticator) |
//! | `loginradius_cache_hits_total` | counter | `cache` (`token`) | a token found in the local cache |
//! | `loginradius_cache_misses_total` | counter | `cache` (`token`) | a token not cached (or cached too long ago while the bus was lost): looked up in the fleet or upstream |
//! | `loginradius_upstream_seconds` | histogram | `group` (`tokens`, `roles`) | how long one guarded LoginRadius lookup took (one or several concurrent requests) |
//! | `loginradius_upstream_refused_total` | counter | `group`, `reason` (`open`, `shed`) | lookups refused at once: circuit open, or too many in flight |
//! | `loginradius_circuit_state` | gauge | `group` | the circuit breaker: 0 closed, 1 half-open, 2 open |
//! | `loginradius_bus_events_total` | counter | `event` (`token_revoked`, `user_sessions_ended`, `roles_changed`…) | events of the shared state's bus applied by this replica |
//! | `loginradius_bus_lag_seconds` | histogram | | for events that carry the instant they were published at (`user_sessions_ended`), how long they took to arrive |
//! | `loginradius_shared_state_up` | gauge | | 1 while this replica's bus works, 0 while it is lost |
//!
//! The warm path (a cached token, cached roles) records two counter increments.

use std::time::Duration;

use time::OffsetDateTime;

use crate::fleet::FleetEvent;

/// `loginradius_decisions_total`.
pub const DECISIONS: &str = "loginradius_decisions_total";
/// `loginradius_cache_hits_total`.
pub const CACHE_HITS: &str = "loginradius_cache_hits_total";
/// `loginradius_cache_misses_total`.
pub const CACHE_MISSES: &str = "loginradius_cache_misses_total";
/// `loginradius_upstream_seconds`.
pub const UPSTREAM_SECONDS: &str = "loginradius_upstream_seconds";
/// `loginradius_upstream_refused_total`.
pub const UPSTREAM_REFUSED: &str = "loginradius_upstream_refused_total";
/// `loginradius_circuit_state`.
pub const CIRCUIT_STATE: &str = "loginradius_circuit_state";
/// `loginradius_bus_events_total`.
pub const BUS_EVENTS: &str = "loginradius_bus_events_total";
/// `loginradius_bus_lag_seconds`.
pub const BUS_LAG_SECONDS: &str = "loginradius_bus_lag_seconds";
/// `loginradius_shared_state_up`.
pub const SHARED_STATE_UP: &str = "loginradius_shared_state_up";

// On the warm path the names and labels are literals: the macros then build the key once, in
// a static (the constants above name the same strings, for readers and exporters' tests).

/// The stage of a decision.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stage {
    /// Who the token's user is.
    Authenticate,
    /// Whether the user meets a requirement.
    Authorize,
}

/// One decision of `stage`: allowed, or refused with the rejection's `code`.
pub(crate) fn decision(stage: Stage, refused: Option<&'static str>) {
    match (stage, refused) {
        (Stage::Authenticate, None) => metrics::counter!(
            "loginradius_decisions_total", "stage" => "authenticate", "outcome" => "allow"
        )
        .increment(1),
        (Stage::Authorize, None) => metrics::counter!(
            "loginradius_decisions_total", "stage" => "authorize", "outcome" => "allow"
        )
        .increment(1),
        (Stage::Authenticate, Some(code)) => {
            metrics::counter!(DECISIONS, "stage" => "authenticate", "outcome" => code).increment(1);
        }
        (Stage::Authorize, Some(code)) => {
            metrics::counter!(DECISIONS, "stage" => "authorize", "outcome" => code).increment(1);
        }
    }
}

/// A lookup in the token cache.
pub(crate) fn token_cache(hit: bool) {
    if hit {
        metrics::counter!("loginradius_cache_hits_total", "cache" => "token").increment(1);
    } else {
        metrics::counter!("loginradius_cache_misses_total", "cache" => "token").increment(1);
    }
}

/// One guarded upstream lookup of `group` that took `took`.
pub(crate) fn upstream(group: &'static str, took: Duration) {
    metrics::histogram!(UPSTREAM_SECONDS, "group" => group).record(took.as_secs_f64());
}

/// An upstream lookup of `group` refused at once for `reason`.
pub(crate) fn upstream_refused(group: &'static str, reason: &'static str) {
    metrics::counter!(UPSTREAM_REFUSED, "group" => group, "reason" => reason).increment(1);
}

/// The circuit of `group` is now `state` (0 closed, 1 half-open, 2 open).
pub(crate) fn circuit(group: &'static str, state: u8) {
    metrics::gauge!(CIRCUIT_STATE, "group" => group).set(f64::from(state));
}

/// An event of the bus, applied.
pub(crate) fn bus_event(event: &FleetEvent) {
    let name = match event {
        FleetEvent::TokenRevoked { .. } => "token_revoked",
        FleetEvent::SessionEnded { .. } => "session_ended",
        FleetEvent::SessionProven { .. } => "session_proven",
        FleetEvent::UserSessionsEnded { not_before, .. } => {
            let lag = OffsetDateTime::now_utc() - *not_before;
            if lag.is_positive() {
                metrics::histogram!(BUS_LAG_SECONDS).record(lag.as_seconds_f64());
            }
            "user_sessions_ended"
        }
        FleetEvent::RolesChanged { .. } => "roles_changed",
        FleetEvent::RoleContextsChanged { .. } => "role_contexts_changed",
        FleetEvent::RoleDefinitionsChanged => "role_definitions_changed",
        FleetEvent::ProfileChanged { .. } => "profile_changed",
    };
    metrics::counter!(BUS_EVENTS, "event" => name).increment(1);
}

/// This replica's bus works (`true`) or is lost.
pub(crate) fn shared_state_up(up: bool) {
    metrics::gauge!(SHARED_STATE_UP).set(if up { 1.0 } else { 0.0 });
}
