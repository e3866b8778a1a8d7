//! The guard on the authenticator's upstream lookups, made while a request waits: one deadline
//! per decision ([`Budget`]), a [`CircuitBreaker`] per endpoint group, and a bulkhead bounding
//! the lookups in flight. Each can only turn an answer into a refusal sooner, never into an
//! allow.

use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::breaker::{CircuitBreaker, CircuitState, Outcome};
use crate::Error;

/// Default total time the upstream work of one decision may take, every attempt and every
/// backoff included.
pub const DEFAULT_UPSTREAM_DEADLINE: Duration = Duration::from_secs(3);

/// Default number of upstream calls the authenticator has in flight at most.
pub const DEFAULT_MAX_UPSTREAM_LOOKUPS: usize = 32;

/// The groups of endpoints that each have their own circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// Token validation and profile reads.
    Tokens,
    /// Roles, role contexts and role definitions.
    Roles,
}

/// Why an upstream call was not answered.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UpstreamError {
    /// The call was made and failed.
    #[error(transparent)]
    Call(#[from] Error),
    /// The group's circuit is open: refused without a call.
    #[error("the circuit of LoginRadius {group} lookups is open")]
    Open {
        /// The group's name.
        group: &'static str,
        /// What is left of the cool-down.
        retry_after: Duration,
    },
    /// Too many calls in flight, and none ended before the deadline.
    #[error("too many LoginRadius lookups in flight")]
    Shed,
}

/// The time budget of the upstream work done for one request: its deadline is set by the first
/// upstream call it needs (a warm decision never reads the clock for it), and shared by every
/// later one.
///
/// [`Authenticator::decide`](super::Authenticator::decide) uses one budget for its two steps.
/// When a request is decided in several steps (a layer authenticates, a guard or an extractor
/// authorizes later), the adapters keep one budget in the request and pass it to
/// [`authenticate_headers_within`](super::Authenticator::authenticate_headers_within) and
/// [`authorize_within`](super::Authenticator::authorize_within), so the whole request waits
/// for LoginRadius at most [`upstream_deadline`](super::AuthenticatorBuilder::upstream_deadline).
/// Get one from [`Authenticator::budget`](super::Authenticator::budget). A clone carries the
/// deadline set so far; one set later is its own.
#[derive(Debug, Clone)]
pub struct Budget {
    total: Duration,
    deadline: OnceLock<Instant>,
}

impl Budget {
    /// A budget of `total`, not started.
    pub(crate) fn new(total: Duration) -> Self {
        Self {
            total,
            deadline: OnceLock::new(),
        }
    }

    /// The deadline: `total` after the first time it is asked for.
    pub(crate) fn deadline(&self) -> Instant {
        *self.deadline.get_or_init(|| Instant::now() + self.total)
    }

    /// True once an upstream call has started the budget's clock.
    pub fn is_started(&self) -> bool {
        self.deadline.get().is_some()
    }
}

/// The state of the authenticator's upstream guard, from
/// [`Authenticator::upstream_health`](super::Authenticator::upstream_health).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpstreamHealth {
    /// The circuit of token validation and profile reads.
    pub tokens: CircuitState,
    /// The circuit of the Role API (roles, role contexts, role definitions).
    pub roles: CircuitState,
    /// Upstream calls in flight now.
    pub in_flight: usize,
    /// The most upstream calls in flight at once.
    pub max_in_flight: usize,
}

impl UpstreamHealth {
    /// True when both circuits let calls through (closed, or half-open awaiting a probe).
    pub fn is_up(&self) -> bool {
        !matches!(self.tokens, CircuitState::Open { .. })
            && !matches!(self.roles, CircuitState::Open { .. })
    }
}

/// The guard shared by the authenticator's token lookups and role reads.
#[derive(Debug)]
pub(crate) struct Upstream {
    /// The budget of one decision.
    pub(crate) total: Duration,
    tokens: CircuitBreaker,
    roles: CircuitBreaker,
    bulkhead: Semaphore,
    capacity: usize,
}

/// The settings of an [`Upstream`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct UpstreamConfig {
    pub(crate) deadline: Duration,
    pub(crate) max_in_flight: usize,
    pub(crate) failure_threshold: u32,
    pub(crate) cool_down: Duration,
}

impl Upstream {
    pub(crate) fn new(config: UpstreamConfig) -> Self {
        Self {
            total: config.deadline,
            tokens: CircuitBreaker::new("tokens", config.failure_threshold, config.cool_down),
            roles: CircuitBreaker::new("roles", config.failure_threshold, config.cool_down),
            bulkhead: Semaphore::new(config.max_in_flight),
            capacity: config.max_in_flight,
        }
    }

    fn breaker(&self, group: Group) -> &CircuitBreaker {
        match group {
            Group::Tokens => &self.tokens,
            Group::Roles => &self.roles,
        }
    }

    /// Runs `call` (one request, built with `.deadline(deadline)`) when `group`'s circuit
    /// lets it and a place in the bulkhead frees up before `deadline`; reports its outcome to
    /// the circuit.
    pub(crate) async fn call<T>(
        &self,
        group: Group,
        deadline: Instant,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, UpstreamError> {
        Ok(self.guard(group, deadline, 1, call, outcome).await??)
    }

    /// Runs `work`, which makes `requests` concurrent requests (each built with
    /// `.deadline(deadline)`), as one unit: one admission by `group`'s circuit (so a half-open
    /// circuit's probe is the whole of it), `requests` places in the bulkhead taken before
    /// `deadline`, and one outcome, judged by `judge`, reported to the circuit.
    pub(crate) async fn guard<R>(
        &self,
        group: Group,
        deadline: Instant,
        requests: u32,
        work: impl Future<Output = R>,
        judge: impl FnOnce(&R) -> Outcome,
    ) -> Result<R, UpstreamError> {
        let breaker = self.breaker(group);
        let admission = breaker.admit().map_err(|retry_after| {
            crate::metrics::upstream_refused(breaker.group(), "open");
            UpstreamError::Open {
                group: breaker.group(),
                retry_after,
            }
        })?;
        let acquire = self.bulkhead.acquire_many(requests);
        let Ok(Ok(_permits)) = tokio::time::timeout_at(deadline, acquire).await else {
            tracing::debug!("too many LoginRadius lookups in flight: shed");
            crate::metrics::upstream_refused(breaker.group(), "shed");
            return Err(UpstreamError::Shed);
        };
        let started = std::time::Instant::now();
        let result = work.await;
        crate::metrics::upstream(breaker.group(), started.elapsed());
        admission.record(judge(&result));
        Ok(result)
    }

    /// The circuits' states and the bulkhead's use.
    pub(crate) fn health(&self) -> UpstreamHealth {
        UpstreamHealth {
            tokens: self.tokens.state(),
            roles: self.roles.state(),
            in_flight: self.capacity - self.bulkhead.available_permits(),
            max_in_flight: self.capacity,
        }
    }
}

/// What an upstream call's result says about LoginRadius.
pub(crate) fn outcome<T>(result: &Result<T, Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Answered,
        // Refused before sending: nothing learnt.
        Err(Error::Config(_) | Error::InvalidInput { .. } | Error::SharedState(_)) => {
            Outcome::Neutral
        }
        Err(Error::Timeout(waited)) if waited.is_zero() => Outcome::Neutral,
        Err(e) if e.is_unavailable() => Outcome::Failed,
        // A 4xx answer (an invalid token, say): LoginRadius is up.
        Err(_) => Outcome::Answered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream(max_in_flight: usize) -> Upstream {
        Upstream::new(UpstreamConfig {
            deadline: Duration::from_secs(1),
            max_in_flight,
            failure_threshold: 2,
            cool_down: Duration::from_secs(10),
        })
    }

    #[tokio::test(start_paused = true)]
    async fn failures_open_the_circuit_of_their_group_only() {
        let u = upstream(4);
        let deadline = Instant::now() + Duration::from_secs(1);
        for _ in 0..2 {
            let r: Result<(), _> = u
                .call(Group::Tokens, deadline, async {
                    Err(Error::Timeout(Duration::from_secs(1)))
                })
                .await;
            assert!(matches!(r, Err(UpstreamError::Call(Error::Timeout(_)))));
        }
        let r = u.call(Group::Tokens, deadline, async { Ok(()) }).await;
        assert!(
            matches!(r, Err(UpstreamError::Open { retry_after, .. }) if retry_after == Duration::from_secs(10)),
            "{r:?}"
        );
        assert!(
            u.call(Group::Roles, deadline, async { Ok(()) })
                .await
                .is_ok()
        );
        assert!(!u.health().is_up());
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_bulkhead_sheds_at_the_deadline() {
        let u = std::sync::Arc::new(upstream(1));
        let deadline = Instant::now() + Duration::from_secs(1);
        let busy = {
            let u = std::sync::Arc::clone(&u);
            tokio::spawn(async move {
                u.call(Group::Tokens, deadline + Duration::from_secs(60), async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    Ok(())
                })
                .await
            })
        };
        tokio::task::yield_now().await;
        assert_eq!(u.health().in_flight, 1);
        let started = Instant::now();
        let r = u.call(Group::Tokens, deadline, async { Ok(()) }).await;
        assert!(matches!(r, Err(UpstreamError::Shed)), "{r:?}");
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        busy.abort();
    }

    #[test]
    fn only_unanswered_calls_count_as_failures() {
        let invalid: Result<(), _> = Err(Error::invalid("token", "empty"));
        assert_eq!(outcome(&invalid), Outcome::Neutral);
        let limited: Result<(), _> = Err(Error::RateLimited { retry_after: None });
        assert_eq!(outcome(&limited), Outcome::Failed);
        let cut: Result<(), _> = Err(Error::Timeout(Duration::ZERO));
        assert_eq!(outcome(&cut), Outcome::Neutral);
    }
}
