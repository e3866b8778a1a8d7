//! The paired throughput measurement of the adapters' guard benchmarks (`loginradius-axum`'s and
//! `loginradius-actix`'s `benches/guard.rs`): alternating timed rounds of
//! the unprotected route, two references (the framework's own pass-through middleware, the floor
//! guard) and the protected route, so all see the same machine state, and their ratios to the
//! unprotected one.

use std::time::Duration;

/// The routes a guard benchmark times, in the order they run and are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// The route alone.
    Unprotected,
    /// The route behind the framework's own middleware that only calls the next service.
    PassThrough,
    /// The route behind the floor guard ([`floor_allows`](crate::guard_bench::floor_allows)).
    Floor,
    /// The route behind our guard, with a warm cache.
    Protected,
}

impl Route {
    const ALL: [Route; 4] = [
        Route::Unprotected,
        Route::PassThrough,
        Route::Floor,
        Route::Protected,
    ];

    fn label(self, framework: &str) -> String {
        match self {
            Route::Unprotected => "unprotected".to_owned(),
            Route::PassThrough => format!("{framework} pass-through middleware"),
            Route::Floor => "floor guard (bearer, SHA-256, moka, role)".to_owned(),
            Route::Protected => "protected, warm".to_owned(),
        }
    }
}

/// Alternating rounds per route.
const ROUNDS: usize = 41;

/// Times `ROUNDS` alternating rounds of each [`Route`] (after one warm-up round each) with
/// `round`, which times `per_round` requests to a route; `framework` names the pass-through
/// middleware. Prints per route the median throughput and the ratio of its throughput to the
/// unprotected route's, then the protected route's ratio to the floor guard's.
///
/// A ratio is taken round by round (each round against the other route's round just before it,
/// so both saw the same machine state) and summarised by its median and interquartile range,
/// which holds up on a noisy shared machine better than a ratio of two separate medians. The
/// protected route's ratio to the unprotected one carries the 0.95 target.
pub fn report(
    what: &str,
    framework: &str,
    per_round: u32,
    mut round: impl FnMut(Route) -> Duration,
) {
    for route in Route::ALL {
        round(route);
    }
    let mut times = vec![Vec::with_capacity(ROUNDS); Route::ALL.len()];
    for _ in 0..ROUNDS {
        for (route, times) in Route::ALL.into_iter().zip(&mut times) {
            times.push(round(route).as_secs_f64());
        }
    }
    let times_of = |route: Route| &times[route as usize];
    println!();
    println!("throughput {what}, {ROUNDS} alternating rounds of {per_round} requests:");
    for route in Route::ALL {
        let median_time = quantile(times_of(route).clone(), 0.5);
        print!(
            "  {:<44} median {:>9.0} req/s, {:>7.2} µs/request",
            format!("{}:", route.label(framework)),
            f64::from(per_round) / median_time,
            median_time * 1e6 / f64::from(per_round),
        );
        if route == Route::Unprotected {
            println!();
            continue;
        }
        println!(
            "; ratio {}{}",
            ratios(times_of(Route::Unprotected), times_of(route)),
            if route == Route::Protected {
                " (target >= 0.95)"
            } else {
                ""
            }
        );
    }
    println!(
        "  {} / {}: ratio {}",
        Route::Protected.label(framework),
        Route::Floor.label(framework),
        ratios(times_of(Route::Floor), times_of(Route::Protected)),
    );
}

/// The round-by-round throughput ratios of `measured` to `base` (time of base / time of
/// measured): their median and interquartile range.
fn ratios(base: &[f64], measured: &[f64]) -> String {
    let ratios: Vec<f64> = base.iter().zip(measured).map(|(b, t)| b / t).collect();
    format!(
        "{:.3} (interquartile {:.3}-{:.3})",
        quantile(ratios.clone(), 0.5),
        quantile(ratios.clone(), 0.25),
        quantile(ratios, 0.75),
    )
}

/// The `q` quantile of `values` (nearest rank).
fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = (q * (values.len() - 1) as f64).round() as usize;
    values[rank]
}
