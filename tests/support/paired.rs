//! The paired throughput measurement of the adapters' guard benchmarks (`loginradius-axum` and
//! `loginradius-actix` include this file from `benches/guard.rs`): alternating timed rounds of
//! the unprotected route, references (the framework's own pass-through middleware, the floor
//! guard) and the protected route, so all see the same machine state, and their ratios to the
//! unprotected one.

use std::time::Duration;

/// One side of a paired measurement: what it is, and a function timing one round of it.
pub struct Side<'a> {
    label: &'static str,
    round: Box<dyn FnMut() -> Duration + 'a>,
}

impl<'a> Side<'a> {
    /// A side labelled `label` whose round is timed by `round`.
    pub fn new(label: &'static str, round: impl FnMut() -> Duration + 'a) -> Self {
        Self {
            label,
            round: Box::new(round),
        }
    }
}

/// Alternating timed rounds of each side (after one warm-up round each), then per side: the
/// median throughput, and the ratio of its throughput to the first side's. The ratio is taken
/// round by round (each side's round against the first side's round just before it, so both
/// saw the same machine state) and summarised by its median and interquartile range, which
/// holds up on a noisy shared machine better than a ratio of two separate medians. The first
/// side is the unprotected route; the last is the protected one, whose ratio has the 0.95
/// target. With three sides or more, the last is also compared with the one before it (the
/// floor guard) in the same way.
pub fn report(what: &str, per_round: u32, rounds: usize, mut sides: Vec<Side<'_>>) {
    assert!(sides.len() >= 2, "a baseline and the measured side");
    for side in &mut sides {
        (side.round)();
    }
    let mut times = vec![Vec::with_capacity(rounds); sides.len()];
    for _ in 0..rounds {
        for (side, times) in sides.iter_mut().zip(&mut times) {
            times.push((side.round)().as_secs_f64());
        }
    }
    println!();
    println!("throughput {what}, {rounds} alternating rounds of {per_round} requests:");
    let base = &times[0];
    let last = sides.len() - 1;
    for (i, (side, times)) in sides.iter().zip(&times).enumerate() {
        let median_time = quantile(times.clone(), 0.5);
        print!(
            "  {:<44} median {:>9.0} req/s, {:>7.2} µs/request",
            format!("{}:", side.label),
            f64::from(per_round) / median_time,
            median_time * 1e6 / f64::from(per_round),
        );
        if i == 0 {
            println!();
            continue;
        }
        let ratios: Vec<f64> = base.iter().zip(times).map(|(b, t)| b / t).collect();
        println!(
            "; ratio {:.3} (interquartile {:.3}-{:.3}){}",
            quantile(ratios.clone(), 0.5),
            quantile(ratios.clone(), 0.25),
            quantile(ratios, 0.75),
            if i == last { " (target >= 0.95)" } else { "" }
        );
    }
    if last >= 2 {
        // The measured side against the side before it (the floor, where there is one).
        let ratios: Vec<f64> = times[last - 1]
            .iter()
            .zip(&times[last])
            .map(|(b, t)| b / t)
            .collect();
        println!(
            "  {} / {}: ratio {:.3} (interquartile {:.3}-{:.3})",
            sides[last].label,
            sides[last - 1].label,
            quantile(ratios.clone(), 0.5),
            quantile(ratios.clone(), 0.25),
            quantile(ratios, 0.75),
        );
    }
}

/// The `q` quantile of `values` (nearest rank).
fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = (q * (values.len() - 1) as f64).round() as usize;
    values[rank]
}
