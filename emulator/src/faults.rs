//! Fault injection: latency, error statuses (429 with `Retry-After`), malformed bodies, for all
//! requests or one path, for a share of requests and a number of times.

use std::sync::Mutex;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// One fault, as posted to `POST /emulator/faults` or given to
/// [`Emulator::add_fault`](crate::Emulator::add_fault).
///
/// ```
/// use loginradius_emulator::Fault;
/// let f = Fault::status(503).only_path("/identity/v2/auth/account").times(2);
/// assert_eq!(f.status, Some(503));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fault {
    /// Delay before answering, in milliseconds (at most 60 000).
    pub latency_ms: Option<u64>,
    /// Answer with this HTTP status (400–599) and a LoginRadius error envelope.
    pub status: Option<u16>,
    /// The `ErrorCode` of that envelope (default: 950 for 5xx, 971 for 4xx; 429 has its own).
    pub error_code: Option<i64>,
    /// Share of matching requests affected, 0 to 1 (default 1).
    pub rate: Option<f64>,
    /// `Retry-After` seconds on a 429 (default 1).
    pub retry_after: Option<u64>,
    /// Answer 200 with a body that is not JSON.
    pub malformed: bool,
    /// Only requests to this path (case-insensitive; a concrete path or a catalog template).
    pub path: Option<String>,
    /// Only this many times, then the fault is removed.
    pub count: Option<u64>,
}

impl Fault {
    /// Answers with `status`.
    pub fn status(status: u16) -> Self {
        Self {
            status: Some(status),
            ..Self::default()
        }
    }

    /// Answers 429 with `Retry-After: seconds`.
    pub fn rate_limited(retry_after_seconds: u64) -> Self {
        Self {
            status: Some(429),
            retry_after: Some(retry_after_seconds),
            ..Self::default()
        }
    }

    /// Delays answers.
    pub fn latency(delay: std::time::Duration) -> Self {
        Self {
            latency_ms: Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)),
            ..Self::default()
        }
    }

    /// Answers 200 with a non-JSON body.
    pub fn malformed() -> Self {
        Self {
            malformed: true,
            ..Self::default()
        }
    }

    /// Restricts the fault to one path.
    pub fn only_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Applies the fault only `n` times.
    pub fn times(mut self, n: u64) -> Self {
        self.count = Some(n);
        self
    }

    /// Applies the fault to a share of requests (0 to 1).
    pub fn with_rate(mut self, rate: f64) -> Self {
        self.rate = Some(rate);
        self
    }

    /// Uses this `ErrorCode` in the error envelope.
    pub fn with_error_code(mut self, code: i64) -> Self {
        self.error_code = Some(code);
        self
    }

    /// Checks the values.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(status) = self.status
            && !(400..=599).contains(&status)
        {
            return Err(format!("status must be 400 to 599, not {status}"));
        }
        if let Some(rate) = self.rate
            && !(rate.is_finite() && (0.0..=1.0).contains(&rate))
        {
            return Err("rate must be between 0 and 1".into());
        }
        if self.latency_ms.is_some_and(|ms| ms > 60_000) {
            return Err("latency_ms must be at most 60000".into());
        }
        if self.status.is_none() && self.latency_ms.is_none() && !self.malformed {
            return Err("a fault needs at least one of status, latency_ms, malformed".into());
        }
        Ok(())
    }

    fn matches(&self, path: &str, template: Option<&str>) -> bool {
        let Some(want) = &self.path else { return true };
        let want = normalise(want);
        want == normalise(path) || template.is_some_and(|t| want == normalise(t))
    }
}

fn normalise(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let trimmed = path.trim_end_matches('/');
    format!("/{}", trimmed.trim_start_matches('/')).to_ascii_lowercase()
}

/// The active faults.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<Vec<Fault>>);

impl Faults {
    pub(crate) fn add(&self, fault: Fault) -> Result<(), String> {
        fault.validate()?;
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(fault);
        Ok(())
    }

    pub(crate) fn list(&self) -> Vec<Fault> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The fault to apply to this request, if any (consuming one of its `count`).
    pub(crate) fn pick(&self, path: &str, template: Option<&str>) -> Option<Fault> {
        let mut faults = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let index = faults.iter().position(|f| {
            f.matches(path, template)
                && f.rate
                    .is_none_or(|r| r >= 1.0 || rand::rng().random::<f64>() < r)
        })?;
        let fault = faults[index].clone();
        if let Some(n) = faults[index].count.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                faults.remove(index);
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_limits_and_path_filter() {
        let faults = Faults::default();
        faults
            .add(
                Fault::status(503)
                    .only_path("/Identity/v2/auth/account/")
                    .times(2),
            )
            .unwrap();
        assert!(faults.pick("/identity/v2/auth/login", None).is_none());
        assert!(faults.pick("/identity/v2/auth/account", None).is_some());
        assert!(faults.pick("/IDENTITY/v2/auth/account", None).is_some());
        assert!(faults.pick("/identity/v2/auth/account", None).is_none());
    }

    #[test]
    fn template_paths_match_concrete_requests() {
        let faults = Faults::default();
        faults
            .add(Fault::malformed().only_path("/identity/v2/manage/account/{uid}"))
            .unwrap();
        assert!(
            faults
                .pick(
                    "/identity/v2/manage/account/abc",
                    Some("/identity/v2/manage/account/{uid}")
                )
                .is_some()
        );
    }

    #[test]
    fn invalid_faults_are_refused() {
        assert!(Fault::status(200).validate().is_err());
        assert!(Fault::status(500).with_rate(1.5).validate().is_err());
        assert!(Fault::default().validate().is_err());
        assert!(Fault::rate_limited(3).validate().is_ok());
    }

    #[test]
    fn zero_rate_never_fires() {
        let faults = Faults::default();
        faults.add(Fault::status(500).with_rate(0.0)).unwrap();
        assert!((0..100).all(|_| faults.pick("/x", None).is_none()));
    }
}
