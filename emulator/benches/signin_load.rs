//! Load test of the emulator binary: bursts of concurrent sign-ins over loopback, with the
//! latency percentiles and the server's resident memory printed at the end.
//!
//! `cargo bench -p loginradius-emulator --bench signin_load` (the binary is built with it).
//! `EMULATOR_BIN=/path/to/loginradius-emulator` measures another build of it, for a before and
//! after in the same run of the machine. Bounded: `BURSTS` bursts of `CONCURRENCY` requests, to
//! `127.0.0.1` only, then the child process is ended.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 200;
const BURSTS: usize = 10;
const API_KEY: &str = "00000000-demo-key-0000-000000000000";

/// The emulator as a child process, killed on drop.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on an ephemeral loopback port with the demo user; returns it and its URL.
fn start() -> (Server, String) {
    let bin = std::env::var("EMULATOR_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_loginradius-emulator").to_owned());
    let mut child = Command::new(bin)
        .args(["--bind", "127.0.0.1:0", "--demo-data"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut base = None;
    let mut line = String::new();
    while base.is_none() && reader.read_line(&mut line).unwrap_or(0) > 0 {
        base = line
            .trim()
            .strip_prefix("LoginRadius emulator listening on ")
            .map(str::to_owned);
        line.clear();
    }
    // Keep draining stdout so the server never writes into a closed pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    (Server(child), base.expect("the emulator printed its URL"))
}

/// `VmRSS` and `VmHWM` (peak) of `pid`, in MiB.
fn memory_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let (server, base) = start();
    let pid = server.0.id();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let url = format!("{base}/identity/v2/auth/login?apikey={API_KEY}");
    let body = r#"{"email":"admin@example.com","password":"password123"}"#;

    let mut latencies = Vec::with_capacity(CONCURRENCY * BURSTS);
    let mut failures = 0usize;
    let (idle_rss, _) = memory_mib(pid);
    for _ in 0..BURSTS {
        let tasks: Vec<_> = (0..CONCURRENCY)
            .map(|_| {
                let http = http.clone();
                let url = url.clone();
                tokio::spawn(async move {
                    let started = Instant::now();
                    let ok = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    (ok, started.elapsed())
                })
            })
            .collect();
        for task in tasks {
            match task.await {
                Ok((true, elapsed)) => latencies.push(elapsed),
                _ => failures += 1,
            }
        }
    }
    let (rss, peak) = memory_mib(pid);
    drop(server);

    latencies.sort();
    assert!(!latencies.is_empty(), "no sign-in succeeded");
    println!(
        "emulator load: {BURSTS} bursts of {CONCURRENCY} concurrent sign-ins over loopback, {} ok, {failures} failed",
        latencies.len()
    );
    println!(
        "emulator load: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 1.0)
    );
    println!(
        "emulator load: resident memory {idle_rss:.0} MiB idle, {rss:.0} MiB after, {peak:.0} MiB peak (goals: p95 <= 250 ms, memory <= 300 MB)"
    );
}
