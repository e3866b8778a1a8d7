//! [`RetryBudget`]: retries limited to a share of recent calls, on tower's [`TpsBudget`].

use std::time::Duration;

use tower::retry::budget::{Budget, TpsBudget};

use crate::Error;

/// How many retries a client may make, as a share of the calls it made recently.
///
/// Every call deposits into the budget; every retry withdraws from it. Deposits count for
/// [`window`](Self::window) (default 10 s); retries may reach [`percent`](Self::percent) of
/// them (default 20%) plus a floor of [`min_per_second`](Self::min_per_second) retries per
/// second of the window (default 1, so 10 retries per window even for a quiet client). When
/// the budget is spent, failed calls return their error instead of being retried, so an outage
/// costs at most that much extra load; the budget refills as calls are made and old deposits
/// leave the window. This is the scheme of tower's and reqwest's retry budgets (from Finagle).
///
/// The budget is shared by a client and its clones. [`Builder::build`](crate::Builder::build)
/// refuses a window outside 1–60 s or a percentage above 100 000.
///
/// ```
/// use std::time::Duration;
/// use loginradius::{RetryBudget, RetryPolicy};
///
/// // Retries up to 10% of the calls of the last 30 s, and at least 2 per second.
/// let budget = RetryBudget::default()
///     .percent(10)
///     .min_per_second(2)
///     .window(Duration::from_secs(30));
/// let policy = RetryPolicy::default().budget(budget);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryBudget {
    window: Duration,
    min_per_second: u32,
    percent: u32,
}

/// Smallest accepted [`RetryBudget::window`].
const MIN_WINDOW: Duration = Duration::from_secs(1);
/// Largest accepted [`RetryBudget::window`].
const MAX_WINDOW: Duration = Duration::from_secs(60);
/// Largest accepted [`RetryBudget::percent`] (tower's limit: 1000 retries per call).
const MAX_PERCENT: u32 = 100_000;

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(10),
            min_per_second: 1,
            percent: 20,
        }
    }
}

impl RetryBudget {
    /// How long one call counts towards the budget (default 10 s; 1–60 s accepted).
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Retries allowed per second of the window whatever the number of calls (default 1).
    pub fn min_per_second(mut self, retries: u32) -> Self {
        self.min_per_second = retries;
        self
    }

    /// Retries allowed, in percent of the calls made in the window, on top of the floor
    /// (default 20).
    pub fn percent(mut self, percent: u32) -> Self {
        self.percent = percent;
        self
    }

    /// Refuses settings the budget cannot honour.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if !(MIN_WINDOW..=MAX_WINDOW).contains(&self.window) {
            return Err(Error::Config(
                "the retry budget window must be between 1 and 60 seconds".into(),
            ));
        }
        if self.percent > MAX_PERCENT {
            return Err(Error::Config(format!(
                "the retry budget percentage must be at most {MAX_PERCENT}"
            )));
        }
        if i32::try_from(self.min_per_second).is_err() {
            return Err(Error::Config("the retry budget floor is too large".into()));
        }
        Ok(())
    }
}

/// The live budget of one client (shared by its clones).
pub(crate) struct SharedBudget(TpsBudget);

impl SharedBudget {
    /// A full budget with these settings, once they are checked.
    pub(crate) fn new(settings: &RetryBudget) -> Result<Self, Error> {
        settings.check()?;
        // Checked above: the window is 1–60 s, the ratio at most 1000, the floor below i32::MAX,
        // so tower's assertions hold.
        let ratio = settings.percent as f32 / 100.0;
        Ok(Self(TpsBudget::new(
            settings.window,
            settings.min_per_second,
            ratio,
        )))
    }

    /// Records a call (its first attempt).
    pub(crate) fn deposit(&self) {
        self.0.deposit();
    }

    /// Takes one retry from the budget: `false` when it is spent.
    pub(crate) fn withdraw(&self) -> bool {
        self.0.withdraw()
    }
}

impl std::fmt::Debug for SharedBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused() {
        for bad in [
            RetryBudget::default().window(Duration::from_millis(999)),
            RetryBudget::default().window(Duration::from_secs(61)),
            RetryBudget::default().percent(MAX_PERCENT + 1),
            RetryBudget::default().min_per_second(u32::MAX),
        ] {
            assert!(
                matches!(SharedBudget::new(&bad), Err(Error::Config(_))),
                "{bad:?}"
            );
        }
        assert!(SharedBudget::new(&RetryBudget::default()).is_ok());
    }

    #[test]
    fn retries_are_a_share_of_calls_plus_the_floor() {
        // No floor, 50%: two calls pay for one retry.
        let budget = SharedBudget::new(&RetryBudget::default().min_per_second(0).percent(50))
            .expect("valid settings");
        assert!(!budget.withdraw(), "nothing deposited yet");
        budget.deposit();
        assert!(!budget.withdraw(), "one call is half a retry");
        budget.deposit();
        assert!(budget.withdraw());
        assert!(!budget.withdraw(), "spent");

        // A floor of 1 per second over 2 s, and no share: two retries, then none.
        let budget = SharedBudget::new(
            &RetryBudget::default()
                .percent(0)
                .min_per_second(1)
                .window(Duration::from_secs(2)),
        )
        .expect("valid settings");
        budget.deposit();
        assert!(budget.withdraw());
        assert!(budget.withdraw());
        assert!(!budget.withdraw());
    }
}
