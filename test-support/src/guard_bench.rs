//! The setup both adapters' guard benchmarks share (`loginradius-axum`'s and
//! `loginradius-actix`'s `benches/guard.rs`): the scripted authenticator whose one cold lookup
//! the warm-up consumes, the floor guard's check, and a timed round of requests over loopback
//! HTTP.

use std::hint::black_box;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

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

/// A warm entry of the floor guard's cache: the user's roles, and how long the entry may live.
#[derive(Clone)]
struct FloorEntry {
    roles: Arc<[String]>,
    ttl: Duration,
}

/// Each floor entry lives its own TTL from creation, as a token's entry must.
struct FloorExpiry;

impl moka::Expiry<[u8; 32], FloorEntry> for FloorExpiry {
    fn expire_after_create(
        &self,
        _key: &[u8; 32],
        entry: &FloorEntry,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

/// The floor guard's cache, keyed by the SHA-256 of the token, warm with [`TOKEN`] → `admin`.
static FLOOR_CACHE: LazyLock<moka::sync::Cache<[u8; 32], FloorEntry>> = LazyLock::new(|| {
    let cache = moka::sync::Cache::builder()
        .max_capacity(10_000)
        .expire_after(FloorExpiry)
        .build();
    let entry = FloorEntry {
        roles: Arc::from(["admin".to_owned()]),
        ttl: Duration::from_secs(3600),
    };
    cache.insert(Sha256::digest(TOKEN).into(), entry);
    cache
});

/// The floor guard: the least work a warm role guard meeting the requirements does per
/// request, and nothing else. It finds the bearer token, hashes it (the cache is keyed by a hash
/// of the token), makes one moka lookup in a cache with per-entry expiry, and checks the role.
/// It skips everything the real guard adds: token syntax and expiry checks, role-data freshness,
/// tracing, the lazy context the extractors share, configurable sources, rejection rendering.
/// Whether a request with this `Authorization` value may reach an `admin` route.
pub fn floor_allows(authorization: Option<&[u8]>) -> bool {
    let Some(token) = authorization.and_then(|value| value.strip_prefix(b"Bearer ")) else {
        return false;
    };
    FLOOR_CACHE
        .get(&<[u8; 32]>::from(Sha256::digest(token)))
        .is_some_and(|entry| entry.roles.iter().any(|role| role == "admin"))
}

/// Asserts that the floor guard decides (so its timings are a guard's, not a pass-through's):
/// it lets [`TOKEN`] in and keeps everything else out.
pub fn assert_floor_decides() {
    assert!(floor_allows(Some(format!("Bearer {TOKEN}").as_bytes())));
    assert!(!floor_allows(Some(b"Bearer another-token")));
    assert!(!floor_allows(Some(format!("Basic {TOKEN}").as_bytes())));
    assert!(!floor_allows(None));
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
