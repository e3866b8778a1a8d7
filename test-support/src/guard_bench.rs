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

/// The CPU time the calling thread has used so far: the clock of the paired rounds.
///
/// Client and server run on the benchmark's one thread, so a round's CPU time is all the work
/// of its requests; unlike the wall clock, it leaves out the time the thread waited for a core
/// while the other jobs of a shared machine ran, which made round times swing by several times.
pub fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` writes one `timespec` through the pointer, which points to a live
    // local of that type.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(
        u64::try_from(now.tv_sec).unwrap(),
        u32::try_from(now.tv_nsec).unwrap(),
    )
}

/// The RS256 private key (PKCS#8 PEM) signing the JWT peers' tokens: a benchmark fixture, used
/// nowhere else.
pub const RS256_PRIVATE_PEM: &str = include_str!("../bench-keys/rs256-private.pem");

/// Its public key (SPKI PEM), for the peers that take a PEM.
pub const RS256_PUBLIC_PEM: &str = include_str!("../bench-keys/rs256-public.pem");

/// The file holding its public key as a JWKS (key id [`JWT_KID`]), for the peers that read one.
pub const JWKS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bench-keys/jwks.json");

/// The key id of the JWKS key.
pub const JWT_KID: &str = "bench-key";

/// An RS256 JWT for user `u-1` with the role `admin`, valid for an hour, signed with
/// [`RS256_PRIVATE_PEM`] under key id [`JWT_KID`]: the JWT peers' warm request.
pub fn jwt() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(JWT_KID.to_owned());
    let claims =
        serde_json::json!({"sub": "u-1", "iat": now, "exp": now + 3600, "roles": ["admin"]});
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(RS256_PRIVATE_PEM.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

/// `connections` keep-alive HTTP clients, one connection each (requests on a client are
/// sequential), with `TCP_NODELAY` set as reqwest does by default.
pub fn clients(connections: usize) -> Vec<reqwest::Client> {
    (0..connections)
        .map(|_| {
            reqwest::Client::builder()
                .tcp_nodelay(true)
                .pool_max_idle_per_host(1)
                .build()
                .unwrap()
        })
        .collect()
}

/// `count` GETs of `url` with the header `(name, value)`, spread evenly over `clients` (one
/// keep-alive connection each, all driven concurrently from the calling task's thread), each
/// answered 200 and read whole; the CPU time they took on this thread (server included, when it
/// runs on this thread too; see [`thread_cpu_time`]).
pub async fn http_round(
    clients: &[reqwest::Client],
    url: &str,
    header: &(&'static str, String),
    count: u32,
) -> Duration {
    let per_client = count / u32::try_from(clients.len()).unwrap();
    let start = thread_cpu_time();
    if let [client] = clients {
        requests(client.clone(), url.to_owned(), header.clone(), per_client).await;
    } else {
        let mut tasks = tokio::task::JoinSet::new();
        for client in clients {
            tasks.spawn(requests(
                client.clone(),
                url.to_owned(),
                header.clone(),
                per_client,
            ));
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
    }
    thread_cpu_time() - start
}

/// `count` sequential GETs of `url` with `header` on `client`, each answered 200 and read whole.
async fn requests(
    client: reqwest::Client,
    url: String,
    header: (&'static str, String),
    count: u32,
) {
    for _ in 0..count {
        let response = client
            .get(&url)
            .header(header.0, &header.1)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        black_box(response.bytes().await.unwrap());
    }
}

/// The `Authorization` header of our guard's and the floor guard's requests.
pub fn bearer() -> (&'static str, String) {
    ("authorization", format!("Bearer {TOKEN}"))
}
