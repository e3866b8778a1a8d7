//! Helpers for the end-to-end tests against the emulator (the `loginradius-e2e` crate's): start an emulator, build a client pointed at
//! it over loopback HTTP, sign users in, read the outbox, compute authenticator codes, and assert
//! LoginRadius error codes.
//!
//! Every test starts its own emulator (bound on an ephemeral port), so tests never share state
//! and can run in parallel.

use std::fmt::Debug;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use loginradius::{Error, LoginRadius};
pub use loginradius_emulator::{
    EmailVerification, Emulator, EmulatorConfig, Fault, MfaMode, OutboxMessage, SeedRoleContext,
    SeedUser, WebhookDelivery, message_kind,
};

use loginradius::RetryPolicy;
use loginradius::models::{LoginResponse, SecondFactorChallenge};

/// The password of every seeded and registered test user.
pub const PASSWORD: &str = "correct-horse-1";

/// The site's own origin in these tests: the emulator accepts verification, reset and
/// passwordless link bases on it (and on loopback), as LoginRadius accepts a site's own domains.
pub const APP_ORIGIN: &str = "https://app.example.com";

/// Starts an emulator with `config` (plus [`APP_ORIGIN`] as an allowed link origin) and a client
/// pointed at it (API key and secret set, no request signing, no retries so every call reaches
/// the emulator exactly once).
pub async fn emulator(config: EmulatorConfig) -> (Emulator, LoginRadius) {
    let emulator = Emulator::start(config.with_allowed_link_origin(APP_ORIGIN))
        .await
        .expect("the emulator starts");
    let client = client(&emulator);
    (emulator, client)
}

/// A client builder pointed at `emulator` with its key and secret.
pub fn client_builder(emulator: &Emulator) -> loginradius::Builder {
    LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .config_url(emulator.base_url())
        .retry(RetryPolicy::none())
        .request_timeout(Duration::from_secs(30))
}

/// A client pointed at `emulator` with its key and secret.
pub fn client(emulator: &Emulator) -> LoginRadius {
    client_builder(emulator)
        .build()
        .expect("a valid client configuration")
}

/// A verified seeded user `email` / [`PASSWORD`].
pub fn user(email: &str) -> SeedUser {
    SeedUser::new(email, PASSWORD)
}

/// Asserts that `result` is the LoginRadius error `code` and returns the error.
#[track_caller]
pub fn expect_code<T: Debug>(result: Result<T, Error>, code: i64) -> Error {
    match result {
        Ok(value) => panic!("expected LoginRadius error {code}, got a success: {value:?}"),
        Err(error) => {
            assert_eq!(
                error.code(),
                Some(code),
                "expected LoginRadius error {code}, got: {error}"
            );
            assert!(
                matches!(error, Error::Api { .. }),
                "expected an API error, got: {error:?}"
            );
            error
        }
    }
}

/// Signs `email` in with [`PASSWORD`] (plain login).
pub async fn login(client: &LoginRadius, email: &str) -> LoginResponse {
    client
        .auth()
        .login_by_email(email, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("{email} signs in: {e}"))
}

/// An access token of the seeded user `email` / `password` of `emulator` (a plain login), to
/// send as `Authorization: Bearer <token>` in a test:
///
/// ```no_run
/// # async fn run() {
/// use loginradius_test_support::e2e::{Emulator, EmulatorConfig, token_for};
///
/// let emulator = Emulator::start(EmulatorConfig::default().with_demo_admin()).await.unwrap();
/// let token = token_for(&emulator, "admin@example.com", "password123").await;
/// # let _ = token;
/// # }
/// ```
///
/// # Panics
/// When the login fails (a test helper: the message says why).
pub async fn token_for(emulator: &Emulator, email: &str, password: &str) -> String {
    let login = client(emulator)
        .auth()
        .login_by_email(email, password)
        .await
        .unwrap_or_else(|e| panic!("{email} signs in: {e}"));
    token_of(&login)
}

/// The uid of a signed-in user.
pub fn uid_of(login: &LoginResponse) -> String {
    login
        .profile
        .as_ref()
        .expect("the login carries the profile")
        .uid
        .clone()
}

/// The access token of a login, as text.
pub fn token_of(login: &LoginResponse) -> String {
    login.access_token.expose().to_owned()
}

/// The uid of the user with this email, read with the API secret.
pub async fn uid_by_email(client: &LoginRadius, email: &str) -> String {
    client
        .account()
        .by_email(email)
        .await
        .expect("the account exists")
        .uid
}

/// The newest outbox message of `kind` sent to `to`.
#[track_caller]
pub fn last_message(emulator: &Emulator, to: &str, kind: &str) -> OutboxMessage {
    emulator
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m.to.eq_ignore_ascii_case(to) && m.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} message to {to} in {:#?}", emulator.outbox()))
}

/// The token of the newest outbox message of `kind` sent to `to`, checking that its link
/// carries it.
#[track_caller]
pub fn outbox_token(emulator: &Emulator, to: &str, kind: &str) -> String {
    let message = last_message(emulator, to, kind);
    let token = message.token.clone().expect("the message carries a token");
    let link = message.link.as_deref().expect("the message carries a link");
    assert!(link.contains(&token), "the link {link} carries the token");
    token
}

/// How many outbox messages of `kind` went to `to`.
pub fn messages_to(emulator: &Emulator, to: &str, kind: &str) -> usize {
    emulator
        .outbox()
        .iter()
        .filter(|m| m.to.eq_ignore_ascii_case(to) && m.kind == kind)
        .count()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn totp(manual_entry_code: &str) -> totp_rs::Totp {
    let secret = totp_rs::Secret::try_from_base32(manual_entry_code)
        .expect("the manual entry code is Base32");
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .expect("a valid TOTP configuration")
}

/// The RFC 6238 code (SHA-1, 6 digits, 30 s) for `manual_entry_code` at the system time plus
/// `offset` (use the same offset as the emulator's advanced clock).
pub fn totp_code_at(manual_entry_code: &str, offset: Duration) -> String {
    totp(manual_entry_code)
        .generate(unix_now() + offset.as_secs())
        .to_string()
}

/// The current RFC 6238 code for `manual_entry_code`.
pub fn totp_code(manual_entry_code: &str) -> String {
    totp_code_at(manual_entry_code, Duration::ZERO)
}

/// A 6-digit code that is none of the codes accepted now (current step ± 1).
pub fn wrong_totp_code(manual_entry_code: &str) -> String {
    let t = totp(manual_entry_code);
    let now = unix_now();
    let accepted: Vec<String> = [now - 60, now - 30, now, now + 30, now + 60]
        .iter()
        .map(|s| t.generate(*s).to_string())
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !accepted.contains(c))
        .expect("some code is wrong")
}

/// The Base32 secret of a challenge that offers the authenticator set-up.
#[track_caller]
pub fn manual_entry_code(challenge: &SecondFactorChallenge) -> String {
    challenge
        .settings
        .manual_entry_code
        .as_ref()
        .expect("the challenge offers the ManualEntryCode")
        .expose()
        .to_owned()
}

/// The URL of `path` on the emulator, e.g. its `/emulator/coverage` admin page.
pub fn emulator_url(emulator: &Emulator, path: &str) -> String {
    format!("{}{path}", emulator.base_url())
}

/// What a finished child process printed.
#[derive(Debug)]
pub struct ProcessOutput {
    /// Its exit status.
    pub status: std::process::ExitStatus,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

/// Runs `command` on a blocking thread (the emulator keeps serving on the runtime meanwhile),
/// killing it after `limit`. Panics when it cannot be started or does not finish in time.
pub async fn run_process(mut command: std::process::Command, limit: Duration) -> ProcessOutput {
    use std::io::Read;
    use std::process::Stdio;

    let shown = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + limit;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status),
                Ok(None) if std::time::Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "{shown} did not finish within {limit:?} and was killed"
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(format!("waiting for {shown}: {e}")),
            }
        }
    })
    .await
    .expect("the waiting thread finishes");
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    match status {
        Ok(status) => ProcessOutput {
            status,
            stdout,
            stderr,
        },
        Err(why) => panic!("{why}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"),
    }
}
