//! A circuit breaker for one group of upstream endpoints: after a run of failures, calls are
//! refused at once for a cool-down, then one probe is let through (half-open); its success
//! closes the circuit, its failure opens it again.
//!
//! A small state machine behind a mutex held for a few instructions; every transition is a
//! tracing event of target `loginradius::auth::breaker`.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Default number of consecutive failures that open a circuit.
pub const DEFAULT_FAILURE_THRESHOLD: u32 = 5;

/// Default time an open circuit refuses calls before it lets one probe through.
pub const DEFAULT_COOL_DOWN: Duration = Duration::from_secs(10);

/// The state of one circuit, as [`Authenticator::upstream_health`](super::Authenticator::upstream_health)
/// reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CircuitState {
    /// Calls go through; `failures` consecutive ones have failed so far.
    Closed {
        /// Consecutive failures since the last success.
        failures: u32,
    },
    /// Calls are refused at once for `retry_after` more.
    Open {
        /// What is left of the cool-down.
        retry_after: Duration,
    },
    /// The cool-down is over: one probe may go through (or is under way).
    HalfOpen,
}

impl CircuitState {
    /// `"closed"`, `"open"` or `"half_open"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Closed { .. } => "closed",
            Self::Open { .. } => "open",
            Self::HalfOpen => "half_open",
        }
    }
}

/// How a call ended, as far as the breaker goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// LoginRadius answered (a 2xx, or a 4xx such as an invalid token).
    Answered,
    /// LoginRadius did not answer usefully: timeout, 5xx, 429, garbage, transport failure.
    Failed,
    /// The call says nothing about LoginRadius (refused before it was sent).
    Neutral,
}

#[derive(Debug)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probing: bool },
}

/// One circuit breaker.
#[derive(Debug)]
pub(crate) struct CircuitBreaker {
    group: &'static str,
    threshold: u32,
    cool_down: Duration,
    state: Mutex<State>,
}

/// Leave to make one call, from [`CircuitBreaker::admit`]. Report how it ended with
/// [`record`](Self::record); dropped unreported (a cancelled call), a probe's slot is freed.
#[derive(Debug)]
pub(crate) struct Admission<'a> {
    breaker: &'a CircuitBreaker,
    probe: bool,
    reported: bool,
}

impl CircuitBreaker {
    /// A closed breaker for `group` (a name for logs and health).
    pub(crate) fn new(group: &'static str, threshold: u32, cool_down: Duration) -> Self {
        Self {
            group,
            threshold: threshold.max(1),
            cool_down,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    /// The group's name.
    pub(crate) fn group(&self) -> &'static str {
        self.group
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Leave to call, or `Err(retry_after)`: the circuit is open (what is left of its
    /// cool-down), or half-open with its probe under way.
    pub(crate) fn admit(&self) -> Result<Admission<'_>, Duration> {
        let mut state = self.lock();
        let probe = match &*state {
            State::Closed { .. } => false,
            State::Open { until } => {
                let now = Instant::now();
                if now < *until {
                    return Err(*until - now);
                }
                tracing::info!(
                    target: "loginradius::auth::breaker",
                    group = self.group,
                    "circuit half-open: letting one probe through"
                );
                crate::metrics::circuit(self.group, 1);
                true
            }
            State::HalfOpen { probing: false } => true,
            State::HalfOpen { probing: true } => return Err(Duration::from_secs(1)),
        };
        if probe {
            *state = State::HalfOpen { probing: true };
        }
        Ok(Admission {
            breaker: self,
            probe,
            reported: false,
        })
    }

    /// The state now.
    pub(crate) fn state(&self) -> CircuitState {
        match &*self.lock() {
            State::Closed { failures } => CircuitState::Closed {
                failures: *failures,
            },
            State::Open { until } => {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    CircuitState::HalfOpen
                } else {
                    CircuitState::Open { retry_after: left }
                }
            }
            State::HalfOpen { .. } => CircuitState::HalfOpen,
        }
    }

    fn open(&self, state: &mut State) {
        *state = State::Open {
            until: Instant::now() + self.cool_down,
        };
        tracing::warn!(
            target: "loginradius::auth::breaker",
            group = self.group,
            cool_down_ms = u64::try_from(self.cool_down.as_millis()).unwrap_or(u64::MAX),
            "circuit open: LoginRadius lookups are refused at once"
        );
        crate::metrics::circuit(self.group, 2);
    }

    fn close(&self, state: &mut State) {
        if !matches!(state, State::Closed { .. }) {
            tracing::info!(
                target: "loginradius::auth::breaker",
                group = self.group,
                "circuit closed: LoginRadius answers again"
            );
            crate::metrics::circuit(self.group, 0);
        }
        *state = State::Closed { failures: 0 };
    }

    fn report(&self, probe: bool, outcome: Outcome) {
        let mut state = self.lock();
        match (outcome, &mut *state) {
            (Outcome::Answered, _) => self.close(&mut state),
            (Outcome::Failed, State::Closed { failures }) => {
                *failures += 1;
                if *failures >= self.threshold {
                    self.open(&mut state);
                }
            }
            (Outcome::Failed, State::HalfOpen { .. }) if probe => self.open(&mut state),
            // A failure of a call admitted before the circuit opened changes nothing more.
            (Outcome::Failed, _) => {}
            (Outcome::Neutral, State::HalfOpen { probing }) if probe => *probing = false,
            (Outcome::Neutral, _) => {}
        }
    }
}

impl Admission<'_> {
    /// Reports how the call ended.
    pub(crate) fn record(mut self, outcome: Outcome) {
        self.reported = true;
        self.breaker.report(self.probe, outcome);
    }
}

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        if !self.reported {
            self.breaker.report(self.probe, Outcome::Neutral);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> CircuitBreaker {
        CircuitBreaker::new("test", 3, Duration::from_secs(10))
    }

    fn fail(b: &CircuitBreaker) {
        b.admit().expect("admitted").record(Outcome::Failed);
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_the_threshold_of_consecutive_failures() {
        let b = breaker();
        fail(&b);
        fail(&b);
        assert_eq!(b.state(), CircuitState::Closed { failures: 2 });
        fail(&b);
        assert_eq!(
            b.admit().err(),
            Some(Duration::from_secs(10)),
            "refused for the whole cool-down"
        );
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(b.admit().err(), Some(Duration::from_secs(6)));
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_resets_the_run_and_a_neutral_call_does_not_count() {
        let b = breaker();
        fail(&b);
        fail(&b);
        b.admit().expect("admitted").record(Outcome::Answered);
        b.admit().expect("admitted").record(Outcome::Neutral);
        fail(&b);
        fail(&b);
        assert_eq!(b.state(), CircuitState::Closed { failures: 2 });
    }

    #[tokio::test(start_paused = true)]
    async fn half_open_lets_one_probe_through_and_its_outcome_decides() {
        let b = breaker();
        (0..3).for_each(|_| fail(&b));
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(b.state(), CircuitState::HalfOpen);
        let probe = b.admit().expect("the probe");
        assert!(b.admit().is_err(), "a second call waits for the probe");
        probe.record(Outcome::Failed);
        assert!(matches!(b.state(), CircuitState::Open { .. }));

        tokio::time::advance(Duration::from_secs(10)).await;
        let probe = b.admit().expect("the next probe");
        drop(probe);
        let probe = b.admit().expect("a cancelled probe frees its slot");
        probe.record(Outcome::Answered);
        assert_eq!(b.state(), CircuitState::Closed { failures: 0 });
        assert!(b.admit().is_ok());
    }
}
