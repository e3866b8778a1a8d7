//! The setup both adapters' guard benchmarks share (`loginradius-axum` and `loginradius-actix`
//! include this file from `benches/guard.rs`): the scripted authenticator whose one cold lookup
//! the warm-up consumes, and a timed round of requests over loopback HTTP.

use std::hint::black_box;
use std::time::{Duration, Instant};

use loginradius::auth::Authenticator;
use loginradius::transport::RecordingTransport;
use loginradius::{LoginRadius, RetryPolicy};

/// The bearer token of every benchmark request.
pub const TOKEN: &str = "bench-token-0123456789abcdef";

/// An authenticator answering the one cold lookup of [`TOKEN`] (validation, profile, then the
/// user's roles: `admin`), with caches that outlive the benchmark; and its transport, to check
/// that the warm routes make no further call.
pub fn authenticator() -> (Authenticator, RecordingTransport) {
    let transport = RecordingTransport::new();
    transport.reply_json(
        200,
        serde_json::json!({"access_token": TOKEN, "expires_in": "2999-01-01T00:00:00Z"}),
    );
    transport.reply_json(200, serde_json::json!({"Uid": "u-1"}));
    transport.reply_json(200, serde_json::json!({"Roles": ["admin"]}));
    let client = LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let authenticator = Authenticator::builder(client)
        .max_token_ttl(Duration::from_secs(3600))
        .roles_ttl(Duration::from_secs(3600))
        .build()
        .unwrap();
    (authenticator, transport)
}

/// `count` GETs of `url` with [`TOKEN`] on a keep-alive client, each answered 200 and read
/// whole; how long they took.
pub async fn http_round(http: &reqwest::Client, url: &str, count: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..count {
        let response = http
            .get(url)
            .header("authorization", format!("Bearer {TOKEN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        black_box(response.bytes().await.unwrap());
    }
    start.elapsed()
}
