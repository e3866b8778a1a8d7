//! When a failed call is tried again: the [`RetryPolicy`] (which failures, how often, how long
//! to wait), the [`RetryBudget`] that caps retries to a share of recent calls, and the
//! classification of one attempt's outcome.

mod budget;

use std::time::Duration;

use rand::Rng;

pub use budget::RetryBudget;
pub(crate) use budget::SharedBudget;

use crate::Error;
use crate::transport::HttpResponse;

/// When and how often a failed call is tried again.
///
/// - **Reads** (GET, HEAD) are retried on 5xx responses, 429 (honouring `Retry-After`),
///   timeouts and connection failures.
/// - **Writes** (POST, PUT, DELETE) are retried only when no connection could be made
///   ([`TransportError::is_connect`]: refused, DNS, TLS handshake), so the server never saw the
///   request. A write that timed out or got a 5xx or 429 may have been applied and is not sent
///   again, unless [`RetryPolicy::retry_writes`] opts in.
/// - At most [`max_retries`](RetryPolicy::max_retries) retries per call, with exponential
///   backoff and jitter; the total time spent waiting between attempts never exceeds
///   [`max_total_wait`](RetryPolicy::max_total_wait).
/// - Every retry also needs room in the client's [`RetryBudget`] (shared by its clones): retries
///   are limited to a share of the calls made recently (20% plus a small floor by default), so
///   an outage does not multiply the load on LoginRadius. When the budget is spent, a failed
///   call returns its error at once.
///
/// ```
/// use std::time::Duration;
/// use loginradius::{RetryBudget, RetryPolicy};
///
/// let policy = RetryPolicy::default()
///     .max_retries(3)
///     .max_total_wait(Duration::from_secs(5))
///     .budget(RetryBudget::default().percent(10));
/// ```
///
/// [`TransportError::is_connect`]: crate::transport::TransportError::is_connect
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_total_wait: Duration,
    pub(crate) retry_writes: bool,
    pub(crate) budget: RetryBudget,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_total_wait: Duration::from_secs(10),
            retry_writes: false,
            budget: RetryBudget::default(),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Retries after the first attempt (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// First backoff delay, doubled on every retry (default 100 ms).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Largest single backoff delay (default 2 s).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Cap on the total time spent waiting between attempts, `Retry-After` included (default 10 s).
    /// A `Retry-After` longer than what is left ends the retries.
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Also retry POST, PUT and DELETE on 5xx, 429 and timeouts. Only for callers who know the
    /// call is safe to repeat.
    pub fn retry_writes(mut self, yes: bool) -> Self {
        self.retry_writes = yes;
        self
    }

    /// The retry budget of clients built with this policy (default: [`RetryBudget::default`]).
    pub fn budget(mut self, budget: RetryBudget) -> Self {
        self.budget = budget;
        self
    }

    /// The delay before retry number `retries` (0-based) after `failure`, having already waited
    /// `waited`: `None` when the policy allows no more retries for this call. Whether the
    /// failure may be retried at all is [`Failure::may_retry`]'s decision; the budget is
    /// checked by the caller last, so that only retries actually made draw on it.
    pub(crate) fn delay(
        &self,
        failure: &Failure,
        retries: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let delay = match failure {
            Failure::Throttled(Some(after)) => *after,
            _ => self.backoff(retries),
        };
        (waited.saturating_add(delay) <= self.max_total_wait).then_some(delay)
    }

    /// Exponential backoff with full jitter for retry number `attempt` (0-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(16)))
            .min(self.max_delay);
        let millis = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::rng().random_range(millis / 2..=millis.max(1)))
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No connection was made: the server never saw the request.
    NotSent,
    /// 429, with the `Retry-After` delay when the server gave one.
    Throttled(Option<Duration>),
    /// A 5xx, a timeout or a connection lost mid-request: the server may have acted on it.
    Unavailable,
}

impl Failure {
    /// The failure of one attempt's outcome, or `None` when it is an answer to return (any
    /// status other than 429 and 5xx).
    pub(crate) fn of(outcome: &Result<HttpResponse, Error>) -> Option<Self> {
        match outcome {
            Ok(r) if r.status() == http::StatusCode::TOO_MANY_REQUESTS => Some(Self::Throttled(
                parse_retry_after(r.headers().get(http::header::RETRY_AFTER)),
            )),
            Ok(r) if r.status().is_server_error() => Some(Self::Unavailable),
            Ok(_) => None,
            Err(Error::Transport(e)) if e.is_connect() => Some(Self::NotSent),
            Err(_) => Some(Self::Unavailable),
        }
    }

    /// Whether a request may be sent again after this failure: always when it was never sent,
    /// otherwise only when repeating it is safe (`repeatable`: a read, or writes opted in).
    pub(crate) fn may_retry(&self, repeatable: bool) -> bool {
        matches!(self, Self::NotSent) || repeatable
    }
}

/// Parses `Retry-After` in seconds (HTTP dates are rare for APIs and are treated as absent).
pub(crate) fn parse_retry_after(value: Option<&http::HeaderValue>) -> Option<Duration> {
    value?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        for attempt in 0..10 {
            let d = p.backoff(attempt);
            assert!(d <= p.max_delay, "{d:?}");
        }
        assert!(p.backoff(0) <= Duration::from_millis(100));
        assert!(p.backoff(3) >= Duration::from_millis(400));
    }

    #[test]
    fn retry_after_seconds() {
        let v = http::HeaderValue::from_static("7");
        assert_eq!(parse_retry_after(Some(&v)), Some(Duration::from_secs(7)));
        let v = http::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(parse_retry_after(Some(&v)), None);
    }
}
