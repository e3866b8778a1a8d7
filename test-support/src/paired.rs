//! The paired throughput measurement of the adapters' guard benchmarks (`loginradius-axum`'s and
//! `loginradius-actix`'s `benches/guard.rs`): alternating timed rounds of the unprotected route,
//! two references (the framework's own pass-through middleware, the floor guard), the protected
//! route and the peers (other crates protecting the same route), so all see the same machine
//! state; their ratios; and at the end the summary lines, a results table and a plot.
//!
//! A round's time is the CPU time of the benchmark's thread
//! ([`thread_cpu_time`](crate::guard_bench::thread_cpu_time)), on which client and server both
//! run: throughputs are requests per second of one core's work.

use std::fmt::Write as _;
use std::path::PathBuf;
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
    /// The route behind another crate's guard (named by its crate), with a warm state.
    Peer(&'static str),
}

impl Route {
    /// The routes every guard benchmark times, before its peers.
    pub const OURS: [Route; 4] = [
        Route::Unprotected,
        Route::PassThrough,
        Route::Floor,
        Route::Protected,
    ];

    /// The route's name in the summary lines, the table and the plot.
    pub fn key(self) -> &'static str {
        match self {
            Route::Unprotected => "unprotected",
            Route::PassThrough => "pass-through",
            Route::Floor => "floor",
            Route::Protected => "protected",
            Route::Peer(name) => name,
        }
    }

    fn label(self, framework: &str) -> String {
        match self {
            Route::Unprotected => "unprotected".to_owned(),
            Route::PassThrough => format!("{framework} pass-through middleware"),
            Route::Floor => "floor guard (bearer, SHA-256, moka, role)".to_owned(),
            Route::Protected => "protected, warm".to_owned(),
            Route::Peer(name) => format!("peer: {name}"),
        }
    }
}

/// Alternating rounds per route.
const ROUNDS: usize = 41;

/// A median with its interquartile range.
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    /// The median.
    pub median: f64,
    /// The first quartile.
    pub low: f64,
    /// The third quartile.
    pub high: f64,
}

impl Spread {
    /// The median and quartiles of `values` (nearest rank; at least one value).
    pub fn of(values: Vec<f64>) -> Self {
        Self {
            median: quantile(values.clone(), 0.5),
            low: quantile(values.clone(), 0.25),
            high: quantile(values, 0.75),
        }
    }
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} iqr {:.3}-{:.3}", self.median, self.low, self.high)
    }
}

/// One route measured in one setting.
#[derive(Clone, Debug)]
pub struct Measured {
    /// The route.
    pub route: Route,
    /// Its median throughput, requests per second.
    pub per_second: f64,
    /// Its throughput ratio to the unprotected route's, round by round.
    pub to_unprotected: Spread,
}

/// The measurements of one setting (`inproc`, `http1`, `http4`, `http16`).
#[derive(Clone, Debug)]
pub struct Setting {
    /// Its short name, as in the summary lines.
    pub name: &'static str,
    /// Every route, in the order measured.
    pub routes: Vec<Measured>,
    /// The protected route's throughput ratio to the floor's and to each peer's, round by
    /// round: (`floor` or the peer's name, ratio).
    pub protected_to: Vec<(&'static str, Spread)>,
}

/// Times `ROUNDS` alternating rounds of each of `routes` (after one warm-up round each) with
/// `round`, which times `per_round` requests to a route (thread CPU time). Prints per route the median throughput
/// and the ratio of its throughput to the unprotected route's, then the protected route's ratio
/// to the floor guard's and to each peer's. `framework` names the pass-through middleware;
/// `name` is the setting's short name and `what` its description.
///
/// A ratio is taken round by round (each round against the other route's round of the same
/// alternation, so both saw the same machine state) and summarised by its median and
/// interquartile range, which holds up on a noisy shared machine better than a ratio of two
/// separate medians.
pub fn report(
    framework: &str,
    name: &'static str,
    what: &str,
    per_round: u32,
    routes: &[Route],
    mut round: impl FnMut(Route) -> Duration,
) -> Setting {
    assert_eq!(&routes[..Route::OURS.len()], &Route::OURS);
    for &route in routes {
        round(route);
    }
    let mut times = vec![Vec::with_capacity(ROUNDS); routes.len()];
    for _ in 0..ROUNDS {
        for (&route, times) in routes.iter().zip(&mut times) {
            times.push(round(route).as_secs_f64());
        }
    }
    let times_of = |route: Route| &times[routes.iter().position(|&r| r == route).unwrap()];
    println!();
    println!("throughput {what}, {ROUNDS} alternating rounds of {per_round} requests:");
    let mut measured = Vec::new();
    for &route in routes {
        let median_time = quantile(times_of(route).clone(), 0.5);
        let to_unprotected = ratios(times_of(Route::Unprotected), times_of(route));
        print!(
            "  {:<44} median {:>9.0} req/s, {:>7.2} µs of CPU/request",
            format!("{}:", route.label(framework)),
            f64::from(per_round) / median_time,
            median_time * 1e6 / f64::from(per_round),
        );
        if route == Route::Unprotected {
            println!();
        } else {
            println!("; ratio {to_unprotected}");
        }
        measured.push(Measured {
            route,
            per_second: f64::from(per_round) / median_time,
            to_unprotected,
        });
    }
    let mut protected_to = Vec::new();
    for &other in routes
        .iter()
        .filter(|r| matches!(r, Route::Floor | Route::Peer(_)))
    {
        let spread = ratios(times_of(other), times_of(Route::Protected));
        println!("  protected / {}: ratio {spread}", other.key());
        protected_to.push((other.key(), spread));
    }
    Setting {
        name,
        routes: measured,
        protected_to,
    }
}

/// Ends a guard benchmark of `framework` (`axum` or `actix`): prints one summary line per ratio
/// of the protected route (`summary: <framework> <setting> protected/<other> <ratio> iqr
/// <low>-<high>`), and writes the results table (`docs/perf/<framework>-guard.md`) and plot
/// (`docs/perf/<framework>-guard.svg`) of `settings`.
pub fn finish(framework: &str, settings: &[Setting]) {
    println!();
    for setting in settings {
        for (other, spread) in &setting.protected_to {
            println!(
                "summary: {framework} {} protected/{other} {spread}",
                setting.name
            );
        }
    }
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/perf"));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join(format!("{framework}-guard.md"));
    std::fs::write(&table, markdown(settings)).unwrap();
    let plot = dir.join(format!("{framework}-guard.svg"));
    svg(framework, settings, &plot);
    println!("wrote {} and {}", table.display(), plot.display());
}

/// The results as a Markdown table: per setting and route, the median throughput and its ratio
/// to the unprotected route's.
fn markdown(settings: &[Setting]) -> String {
    let mut out = String::from(
        "| setting | route | req/s (median) | / unprotected (median, IQR) |\n|---|---|---|---|\n",
    );
    for setting in settings {
        for measured in &setting.routes {
            writeln!(
                out,
                "| {} | {} | {:.0} | {:.3} ({:.3}-{:.3}) |",
                setting.name,
                measured.route.key(),
                measured.per_second,
                measured.to_unprotected.median,
                measured.to_unprotected.low,
                measured.to_unprotected.high,
            )
            .unwrap();
        }
    }
    out
}

/// Draws one panel per setting: a horizontal bar per route, its median throughput.
fn svg(framework: &str, settings: &[Setting], path: &std::path::Path) {
    use plotters::prelude::*;

    let rows: usize = settings.iter().map(|s| s.routes.len() + 1).sum();
    let height = 40 + 22 * u32::try_from(rows).unwrap();
    let root = SVGBackend::new(path, (760, height)).into_drawing_area();
    root.fill(&WHITE).unwrap();
    let font = ("sans-serif", 13).into_font();
    root.draw(&Text::new(
        format!("{framework}: guarded route throughput (median req/s, warm)"),
        (10, 10),
        font.clone().style(FontStyle::Bold),
    ))
    .unwrap();
    let (label_width, bar_left, bar_width) = (180, 190, 470);
    let mut y = 36;
    for setting in settings {
        root.draw(&Text::new(
            setting.name.to_owned(),
            (10, y),
            font.clone().style(FontStyle::Bold),
        ))
        .unwrap();
        y += 22;
        let max = setting
            .routes
            .iter()
            .map(|m| m.per_second)
            .fold(0.0, f64::max);
        for measured in &setting.routes {
            let color = match measured.route {
                Route::Protected => RGBColor(0x1f, 0x77, 0xb4),
                Route::Peer(_) => RGBColor(0xd6, 0x27, 0x28),
                _ => RGBColor(0x99, 0x99, 0x99),
            };
            let width = (measured.per_second / max * f64::from(bar_width)) as i32;
            root.draw(&Text::new(
                measured.route.key().to_owned(),
                (label_width - 170, y),
                font.clone(),
            ))
            .unwrap();
            root.draw(&Rectangle::new(
                [(bar_left, y), (bar_left + width, y + 15)],
                color.filled(),
            ))
            .unwrap();
            root.draw(&Text::new(
                format!(
                    "{:.0} ({:.2})",
                    measured.per_second, measured.to_unprotected.median
                ),
                (bar_left + width + 6, y),
                font.clone(),
            ))
            .unwrap();
            y += 22;
        }
    }
    root.present().unwrap();
}

/// The round-by-round throughput ratios of `measured` to `base` (time of base / time of
/// measured): their median and interquartile range.
fn ratios(base: &[f64], measured: &[f64]) -> Spread {
    Spread::of(base.iter().zip(measured).map(|(b, t)| b / t).collect())
}

/// The `q` quantile of `values` (nearest rank).
fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = (q * (values.len() - 1) as f64).round() as usize;
    values[rank]
}
