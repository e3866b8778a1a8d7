//! Account enumeration by timing, replayed over HTTP: does a sign-in through the route helpers
//! answer a registered email (wrong password) as fast as an unregistered one?
//!
//! `cargo bench -p loginradius-axum --bench signin_timing`
//!
//! The app (`routes::router` under `/auth`, served with `axum::serve` on loopback) signs in
//! against the emulator, which verifies a password against a dummy hash when the login does
//! not exist, so that both answers cost the same. The route helpers' limits are lifted here
//! (they would answer the repeated wrong passwords with 429, which says nothing about timing).
//!
//! Each round sends `PAIRS` pairs of sign-ins, one for the registered email and one for an
//! unregistered one, interleaved so that drift of the machine hits both alike, and takes the
//! median time of each. The summary line is the median, over the rounds, of the per-round
//! ratio unknown/known, with its interquartile range:
//!
//! ```text
//! summary: axum signin unknown/known <ratio> iqr <low>-<high>
//! ```
//!
//! A ratio near 1.0 is what defends against enumeration (before the dummy hash the emulator
//! answered an unknown email in 2.7 ms against 45–52 ms for a known one: 0.06).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use loginradius::auth::{Authenticator, TokenExtractor};
use loginradius::web::limits::{Action, LimitConfig, Rule};
use loginradius::web::{CookieSecurity, FlowConfig, Flows, SessionCookie};
use loginradius_axum::routes::{self, AuthRoutes};
use loginradius_emulator::{Emulator, EmulatorConfig};
use loginradius_test_support::e2e::{PASSWORD, client_builder, user};
use loginradius_test_support::paired::Spread;

const ROUNDS: usize = 31;
const PAIRS: usize = 20;
const KNOWN: &str = "known@example.com";
const UNKNOWN: &str = "nobody@example.com";
const WRONG_PASSWORD: &str = "Not-The-Password-1";

/// The median of `values`.
fn median(values: Vec<f64>) -> f64 {
    Spread::of(values).median
}

/// One sign-in; its status and how long the answer took.
async fn sign_in(http: &reqwest::Client, url: &str, email: &str) -> (u16, Duration) {
    let body = serde_json::json!({ "email": email, "password": WRONG_PASSWORD }).to_string();
    let started = Instant::now();
    let response = http
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the app answers");
    let status = response.status().as_u16();
    let _ = response.bytes().await;
    (status, started.elapsed())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let emulator = Emulator::start(EmulatorConfig::default().with_user(user(KNOWN)))
        .await
        .expect("the emulator starts");
    let client = client_builder(&emulator).build().expect("a client");
    let session = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
    let authenticator = Authenticator::builder(client)
        .token_sources(TokenExtractor::bearer().with(session.token_source()))
        .build()
        .expect("an authenticator");
    let unlimited = Rule {
        per_account: None,
        per_client: None,
    };
    let flows = Flows::new(authenticator, session).expect("flows").config(
        FlowConfig::default().limits(LimitConfig::default().with_rule(Action::SignIn, unlimited)),
    );
    let app = axum::Router::new()
        .nest("/auth", routes::router(AuthRoutes::new(flows)))
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!(
        "http://{}/auth/login",
        listener.local_addr().expect("its address")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    let http = reqwest::Client::new();
    // The right password signs in: the account exists and the route works.
    let right = http
        .post(&url)
        .json(&serde_json::json!({ "email": KNOWN, "password": PASSWORD }))
        .send()
        .await
        .expect("the app answers");
    assert_eq!(right.status(), 200, "the registered user signs in");
    // Warm-up, and both refusals alike.
    for _ in 0..PAIRS {
        let (known, _) = sign_in(&http, &url, KNOWN).await;
        let (unknown, _) = sign_in(&http, &url, UNKNOWN).await;
        assert_eq!((known, unknown), (401, 401), "both refused alike");
    }

    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut known_all, mut unknown_all) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for pair in 0..PAIRS {
            // Alternate which goes first, so neither always follows the other.
            let order = if (round + pair) % 2 == 0 {
                [KNOWN, UNKNOWN]
            } else {
                [UNKNOWN, KNOWN]
            };
            for email in order {
                let (status, took) = sign_in(&http, &url, email).await;
                assert_eq!(status, 401, "{email} refused");
                let ms = took.as_secs_f64() * 1000.0;
                if email == KNOWN {
                    known.push(ms);
                } else {
                    unknown.push(ms);
                }
            }
        }
        let (k, u) = (median(known), median(unknown));
        known_all.push(k);
        unknown_all.push(u);
        ratios.push(u / k);
    }
    println!(
        "signin timing: {ROUNDS} rounds of {PAIRS} pairs; median sign-in {:.2} ms for a registered email (wrong password), {:.2} ms for an unregistered one",
        median(known_all),
        median(unknown_all),
    );
    println!("summary: axum signin unknown/known {}", Spread::of(ratios));
    emulator.shutdown().await;
}
