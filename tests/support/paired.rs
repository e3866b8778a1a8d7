//! The paired throughput measurement of the adapters' guard benchmarks (`loginradius-axum` and
//! `loginradius-actix` include this file from `benches/guard.rs`): alternating timed rounds of
//! the unprotected and the protected route, so both see the same machine state, and the ratio.

use std::time::Duration;

/// Alternating timed rounds of each side (after one warm-up round each); prints requests per
/// second, best and median, and the ratio protected/unprotected.
pub fn report(
    what: &str,
    per_round: u32,
    rounds: usize,
    mut open: impl FnMut() -> Duration,
    mut guarded: impl FnMut() -> Duration,
) {
    open();
    guarded();
    let mut open_times = Vec::with_capacity(rounds);
    let mut guarded_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        open_times.push(open());
        guarded_times.push(guarded());
    }
    open_times.sort();
    guarded_times.sort();
    let per_second = |d: Duration| f64::from(per_round) / d.as_secs_f64();
    let (open_best, guarded_best) = (per_second(open_times[0]), per_second(guarded_times[0]));
    let (open_median, guarded_median) = (
        per_second(open_times[rounds / 2]),
        per_second(guarded_times[rounds / 2]),
    );
    println!();
    println!("throughput {what}, {rounds} alternating rounds of {per_round} requests:");
    println!("  unprotected:     best {open_best:>10.0} req/s, median {open_median:>10.0} req/s");
    println!(
        "  protected, warm: best {guarded_best:>10.0} req/s, median {guarded_median:>10.0} req/s"
    );
    println!(
        "  ratio protected/unprotected: best {:.3}, median {:.3} (target >= 0.95)",
        guarded_best / open_best,
        guarded_median / open_median
    );
}
