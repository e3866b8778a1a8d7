//! The demo as a fleet: two demo processes (the built binary, spawned twice on their own ports)
//! sharing one Redis, one cookie key and one emulator (in the test's
//! process, so that the test needs no second build of it). Replica A subscribes
//! its webhook receiver (`DEMO_PUBLIC_URL`); B does not, so what B learns from a webhook it
//! learns through Redis.
//!
//! Prints `fleet: invalidation p99 <N> ms over 2 replicas`: the time from the change (answered
//! by the demo or the emulator) until each replica refuses, over every change and replica.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use loginradius_emulator::{EmailVerification, Emulator, EmulatorConfig, MfaMode};
use loginradius_test_support::redis_server::RedisServer;
use reqwest::cookie::{CookieStore as _, Jar};
use serde_json::{Value, json};

mod support;
use support::csrf_of;

/// A child process killed on drop.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command`, reads its stdout until a line starts with `ready` (30 s at most), then
/// keeps draining it; answers the lines read.
fn spawn_until(mut command: Command, ready: &str) -> (Process, Vec<String>) {
    command.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = Process(command.spawn().expect("the process starts"));
    let stdout = child.0.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap_or(0) > 0 && Instant::now() < deadline,
            "no `{ready}` line: {lines:?}"
        );
        let line = line.trim().to_owned();
        let done = line.starts_with(ready);
        lines.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    (child, lines)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

const KEY: &str = "c0ffee00-1111-2222-3333-444455556666";
const SECRET: &str = "fleet-test-secret-0123456789";
const PASSWORD: &str = "Fleet-Horse-42";

struct Fleet {
    emulator: String,
    a: String,
    b: String,
    _processes: Vec<Process>,
    _emulator: Emulator,
    _redis: RedisServer,
}

/// The emulator, then replica A (subscribing its receiver) and replica B.
async fn start_fleet() -> Fleet {
    let redis = RedisServer::start();
    let emulator = Emulator::start(
        EmulatorConfig::default()
            .with_credentials(KEY, SECRET)
            .with_email_verification(EmailVerification::Optional)
            .with_mfa(MfaMode::Disabled)
            .with_demo_admin(),
    )
    .await
    .expect("the emulator starts");
    let base = emulator.base_url().to_owned();
    let session_key = "5a".repeat(64);
    let replica = |public: Option<&str>, port: u16| {
        let mut demo = Command::new(env!("CARGO_BIN_EXE_demo"));
        demo.env("LOGINRADIUS_API_KEY", KEY)
            .env("LOGINRADIUS_API_SECRET", SECRET)
            .env("LOGINRADIUS_BASE_URL", &base)
            .env("LOGINRADIUS_CONFIG_URL", &base)
            .env("DEMO_BIND", format!("127.0.0.1:{port}"))
            .env("DEMO_REDIS_URL", redis.url())
            .env("DEMO_SESSION_KEY", &session_key)
            .env_remove("DEMO_PUBLIC_URL")
            .env("RUST_LOG", "warn");
        if let Some(public) = public {
            demo.env("DEMO_PUBLIC_URL", public);
        }
        demo
    };
    let (port_a, port_b) = (free_port(), free_port());
    let a = format!("http://127.0.0.1:{port_a}");
    let b = format!("http://127.0.0.1:{port_b}");
    let (replica_a, lines) = spawn_until(replica(Some(&a), port_a), "webhooks:");
    assert!(
        lines.iter().any(|l| l.contains("(10 new subscriptions)")),
        "{lines:?}"
    );
    let (replica_b, _) = spawn_until(replica(None, port_b), "loginradius-rs demo on");
    Fleet {
        emulator: base,
        a,
        b,
        _processes: vec![replica_a, replica_b],
        _emulator: emulator,
        _redis: redis,
    }
}

/// A `/manage` call to the emulator (what an administrator or another service does).
async fn manage(fleet: &Fleet, method: reqwest::Method, path: &str, body: Value) -> Value {
    let answer = reqwest::Client::new()
        .request(method, format!("{}{path}", fleet.emulator))
        .query(&[("apikey", KEY)])
        .header("X-LoginRadius-ApiSecret", SECRET)
        .json(&body)
        .send()
        .await
        .expect("the emulator answers");
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
    answer.json().await.expect("JSON")
}

async fn create_user(fleet: &Fleet, email: &str, roles: &[&str]) -> String {
    let created = manage(
        fleet,
        reqwest::Method::POST,
        "/identity/v2/manage/account",
        json!({"Email": [{"Type": "Primary", "Value": email}], "Password": PASSWORD, "EmailVerified": true}),
    )
    .await;
    let uid = created["Uid"].as_str().expect("a uid").to_owned();
    if !roles.is_empty() {
        manage(
            fleet,
            reqwest::Method::PUT,
            &format!("/identity/v2/manage/account/{uid}/role"),
            json!({ "roles": roles }),
        )
        .await;
    }
    uid
}

/// A browser signed in on `base`: its HTTP client and its cookies.
struct SignedIn {
    http: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
}

impl SignedIn {
    async fn new(base: &str, email: &str) -> Self {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let me = Self {
            http,
            jar,
            base: base.to_owned(),
        };
        me.post(
            "/login",
            &[("email", email), ("password", PASSWORD)],
            "/login",
        )
        .await;
        assert_eq!(me.status_at(base, "/profile").await, 200, "signed in");
        me
    }

    /// The `Cookie` header this browser sends (session and CSRF cookies).
    fn cookies(&self) -> String {
        let url = self.base.parse().unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// Posts a form of the page `form_page` (its CSRF token added).
    async fn post(&self, path: &str, fields: &[(&str, &str)], form_page: &str) -> u16 {
        let page = self
            .http
            .get(format!("{}{form_page}", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &csrf));
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{path}");
        answer.status().as_u16()
    }

    /// The status of `path` on another replica with this browser's cookies.
    async fn status_at(&self, base: &str, path: &str) -> u16 {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(format!("{base}{path}"))
            .header("cookie", self.cookies())
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// Waits (5 s at most) until `path` with `cookies` is refused (not 200) on `base`; answers how
/// long after `since` that was.
async fn refused_after(cookies: &str, base: &str, path: &str, since: Instant) -> Duration {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    loop {
        let status = http
            .get(format!("{base}{path}"))
            .header("cookie", cookies)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if status != 200 {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < Duration::from_secs(5),
            "{base}{path} still accepted"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_demo_processes_on_one_redis_refuse_what_either_or_the_emulator_ended() {
    let fleet = start_fleet().await;
    let mut latencies = Vec::new();

    // A session made on A is read by B (one cookie key).
    create_user(&fleet, "out@example.com", &[]).await;
    let browser = SignedIn::new(&fleet.a, "out@example.com").await;
    assert_eq!(browser.status_at(&fleet.b, "/profile").await, 200);

    // Sign-out on A: B refuses the same cookie.
    let cookies = browser.cookies();
    let since = Instant::now();
    browser.post("/logout", &[], "/profile").await;
    latencies.push(refused_after(&cookies, &fleet.b, "/profile", since).await);
    latencies.push(refused_after(&cookies, &fleet.a, "/profile", since).await);

    // A role removed at the emulator: the webhook reaches A only, Redis tells B.
    let admin_uid = create_user(&fleet, "boss@example.com", &["admin"]).await;
    let admin = SignedIn::new(&fleet.a, "boss@example.com").await;
    for replica in [&fleet.a, &fleet.b] {
        assert_eq!(admin.status_at(replica, "/admin/roles").await, 200);
    }
    let cookies = admin.cookies();
    let since = Instant::now();
    manage(
        &fleet,
        reqwest::Method::DELETE,
        &format!("/identity/v2/manage/account/{admin_uid}/role"),
        json!({ "roles": ["admin"] }),
    )
    .await;
    for replica in [&fleet.a, &fleet.b] {
        latencies.push(refused_after(&cookies, replica, "/admin/roles", since).await);
        assert_eq!(
            admin.status_at(replica, "/profile").await,
            200,
            "still signed in"
        );
    }

    // An account blocked at the emulator: refused on both.
    let blocked_uid = create_user(&fleet, "blocked@example.com", &[]).await;
    let blocked = SignedIn::new(&fleet.a, "blocked@example.com").await;
    assert_eq!(blocked.status_at(&fleet.b, "/profile").await, 200);
    let cookies = blocked.cookies();
    let since = Instant::now();
    manage(
        &fleet,
        reqwest::Method::PUT,
        &format!("/identity/v2/manage/account/{blocked_uid}"),
        json!({ "IsActive": false }),
    )
    .await;
    for replica in [&fleet.a, &fleet.b] {
        latencies.push(refused_after(&cookies, replica, "/profile", since).await);
    }

    // A password change on A ends the user's other sessions: B refuses the other session's
    // cookie, and the session the change was made in goes on.
    create_user(&fleet, "change@example.com", &[]).await;
    let here = SignedIn::new(&fleet.a, "change@example.com").await;
    let there = SignedIn::new(&fleet.b, "change@example.com").await;
    assert_eq!(there.status_at(&fleet.b, "/profile").await, 200);
    let cookies = there.cookies();
    let since = Instant::now();
    here.post(
        "/profile/change-password",
        &[
            ("old_password", PASSWORD),
            ("new_password", "Fleet-Horse-43"),
        ],
        "/profile",
    )
    .await;
    for replica in [&fleet.a, &fleet.b] {
        latencies.push(refused_after(&cookies, replica, "/profile", since).await);
    }
    assert_eq!(
        here.status_at(&fleet.a, "/profile").await,
        200,
        "the session of the change goes on"
    );

    latencies.sort();
    let p99 = latencies[(latencies.len() * 99).div_ceil(100) - 1];
    println!(
        "fleet: invalidation p99 {} ms over 2 replicas",
        p99.as_millis()
    );
    assert!(p99 < Duration::from_secs(1), "{latencies:?}");
}
