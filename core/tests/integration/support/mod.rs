//! Fixtures shared by the `loginradius` integration tests: sample credentials, clients on a
//! [`RecordingTransport`], helpers that record the one request a call makes, readers of the
//! shared spec (`spec/`), log capture for the `tracing` tests, and the bad-input checks.
//!
//! A module of the one integration test binary (`tests/integration/main.rs`); each test module
//! imports what it needs from `crate::support`.

#![allow(dead_code)]

use std::fmt::Debug;
use std::future::{Future, IntoFuture};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use loginradius::transport::{RecordedRequest, RecordingTransport};
use loginradius::{Builder, Error, LoginRadius, RetryPolicy};
use serde_json::Value;
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::fmt::format::FmtSpan;

/// Sample API key.
pub const API_KEY: &str = "4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c";
/// Sample API secret.
pub const API_SECRET: &str = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
/// Sample access token.
pub const TOKEN: &str = "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9";
/// Sample SOTT, as registration calls take it.
pub const SOTT: &str = "c29tZS1zb3R0*0123456789abcdef0123456789abcdef";
/// Sample uid.
pub const UID: &str = "b2d4f1e0c3a94c1e9f7a6d5c4b3a2910";

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

/// A builder with [`API_KEY`] and [`API_SECRET`], no retries, sending through `transport`.
pub fn builder(transport: &RecordingTransport) -> Builder {
    public_builder(transport).api_secret(API_SECRET)
}

/// A builder with [`API_KEY`] only (no secret, as a front end has it), no retries, sending
/// through `transport`.
pub fn public_builder(transport: &RecordingTransport) -> Builder {
    LoginRadius::builder()
        .api_key(API_KEY)
        .retry(RetryPolicy::none())
        .transport(transport.clone())
}

/// A client with key and secret, without request signing: see [`builder`].
pub fn client(transport: &RecordingTransport) -> LoginRadius {
    client_with_signing(transport, false)
}

/// A client with key and secret that signs `/identity/v2/manage` calls with a digest.
pub fn signed_client(transport: &RecordingTransport) -> LoginRadius {
    client_with_signing(transport, true)
}

/// A client with key and secret, signing requests when `signing` is true.
pub fn client_with_signing(transport: &RecordingTransport, signing: bool) -> LoginRadius {
    builder(transport)
        .request_signing(signing)
        .build()
        .expect("client")
}

/// A client with the API key only: see [`public_builder`].
pub fn public_client(transport: &RecordingTransport) -> LoginRadius {
    public_builder(transport).build().expect("client")
}

// ---------------------------------------------------------------------------------------------
// Recording one request
// ---------------------------------------------------------------------------------------------

/// Runs `call` on a fresh unsigned [`client`] and returns the request it sent, asserting that it
/// sent exactly one.
pub async fn record<F, Fut>(call: F) -> RecordedRequest
where
    F: FnOnce(LoginRadius) -> Fut,
    Fut: Future<Output = ()>,
{
    record_with_signing(false, call).await
}

/// [`record`] on a client that signs requests when `signing` is true.
pub async fn record_with_signing<F, Fut>(signing: bool, call: F) -> RecordedRequest
where
    F: FnOnce(LoginRadius) -> Fut,
    Fut: Future<Output = ()>,
{
    let transport = RecordingTransport::new();
    call(client_with_signing(&transport, signing)).await;
    assert_eq!(transport.len(), 1, "exactly one request");
    transport.last().unwrap()
}

/// Forgets what `transport` recorded, awaits `call` (a request builder on a client of
/// `transport`) and returns the request it sent, asserting that it sent exactly one.
pub async fn record_call<B: IntoFuture>(
    transport: &RecordingTransport,
    call: B,
) -> RecordedRequest {
    transport.clear();
    let _ = call.await;
    let requests = transport.requests();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests[0].clone()
}

/// Runs one call on a fresh client whose transport answers 200 with a JSON reply, and yields
/// `(Option<RecordedRequest>, result)`: the request sent, if any, and what the call returned.
///
/// - `record_reply!(c => c.auth().profile(TOKEN))`: a [`client`] (key and secret), reply `{}`;
/// - `record_reply!(json!({..}), c => ..)`: the same with that reply;
/// - `record_reply!(public: json!({..}), c => ..)`: a [`public_client`] (key only).
#[macro_export]
macro_rules! record_reply {
    (public: $reply:expr, $c:ident => $call:expr) => {
        $crate::record_reply!(@on $crate::support::public_client, $reply, $c => $call)
    };
    (@on $client:path, $reply:expr, $c:ident => $call:expr) => {{
        let transport = loginradius::transport::RecordingTransport::new();
        transport.reply_json(200, $reply);
        let $c = $client(&transport);
        let result = $call.await;
        (transport.last(), result)
    }};
    ($c:ident => $call:expr) => {
        $crate::record_reply!(serde_json::json!({}), $c => $call)
    };
    ($reply:expr, $c:ident => $call:expr) => {
        $crate::record_reply!(@on $crate::support::client, $reply, $c => $call)
    };
}

/// The exact bytes our client writes for the JSON `body`, as text.
pub fn wire(body: &Value) -> String {
    String::from_utf8(loginradius::wire::json::to_vec(body).unwrap()).unwrap()
}

/// Query pairs as owned strings, to compare with [`RecordedRequest::query`].
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

/// Asserts that every result is [`Error::InvalidInput`] and that `transport` saw no request:
/// bad input is refused before anything is sent. Failures name the case by its position.
pub fn assert_refused_before_sending<T: Debug>(
    results: impl IntoIterator<Item = Result<T, Error>>,
    transport: &RecordingTransport,
) {
    assert_named_refused_before_sending(
        results
            .into_iter()
            .enumerate()
            .map(|(i, result)| (format!("case {i}"), result)),
        transport,
    );
}

/// [`assert_refused_before_sending`] for `(name, result)` pairs; failures name the case.
pub fn assert_named_refused_before_sending<N, T>(
    cases: impl IntoIterator<Item = (N, Result<T, Error>)>,
    transport: &RecordingTransport,
) where
    N: std::fmt::Display,
    T: Debug,
{
    for (name, result) in cases {
        assert!(
            matches!(result, Err(Error::InvalidInput { .. })),
            "{name}: {result:?}"
        );
    }
    assert!(
        transport.is_empty(),
        "no request may be sent for invalid input, saw {}",
        transport.len()
    );
}

/// `assert_refused!("email", c => c.auth().login_by_email(" ", "pw"))`: on a fresh [`client`],
/// the call sends nothing and fails with [`Error::InvalidInput`] for exactly that field.
#[macro_export]
macro_rules! assert_refused {
    ($field:literal, $c:ident => $call:expr) => {{
        let (request, result) = $crate::record_reply!($c => $call);
        assert!(request.is_none(), "{}: a request was sent", $field);
        match result {
            Err(loginradius::Error::InvalidInput { field, .. }) => assert_eq!(field, $field),
            other => panic!("{}: expected InvalidInput, got {other:?}", $field),
        }
    }};
}

// ---------------------------------------------------------------------------------------------
// The shared spec
// ---------------------------------------------------------------------------------------------

/// The shared spec folder: `$LOGINRADIUS_SPEC_DIR`, else the repository's `spec/` folder.
pub fn spec_dir() -> PathBuf {
    std::env::var_os("LOGINRADIUS_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
}

/// The JSON file `file` of the [`spec_dir`], parsed.
pub fn spec_json(file: &str) -> Value {
    let text = std::fs::read_to_string(spec_dir().join(file))
        .unwrap_or_else(|e| panic!("{file} readable: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is JSON: {e}"))
}

/// The request vector called `name` in `test-vectors.json`.
pub fn request_vector(name: &str) -> Value {
    spec_json("test-vectors.json")["request"]
        .as_array()
        .expect("request vectors")
        .iter()
        .find(|v| v["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("vector {name} missing"))
}

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

/// An in-memory log sink; clones share the same buffer.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything written so far, as text.
    pub fn contents(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    /// Sends every event and span close of this thread, at TRACE level and without colours,
    /// here until the returned guard is dropped.
    pub fn capture(&self) -> DefaultGuard {
        dynamic_interest_everywhere();
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
}

/// Installs, once per process, a global subscriber that records nothing but answers "sometimes"
/// for every callsite, so no callsite's interest is ever cached as "never".
///
/// Every test shares this process, and `tracing` caches each callsite's interest from the
/// subscribers alive when it is first hit. A callsite first hit by another test's thread at the
/// moment a capture starts could otherwise be cached as "never" (the capture registered just
/// after the interest was computed, and just before the callsite joined the list the capture
/// rebuilds), and its events would be missing from the capture. With "sometimes", each event asks
/// the current thread's subscriber.
fn dynamic_interest_everywhere() {
    use tracing::subscriber::Interest;
    use tracing_subscriber::filter::DynFilterFn;
    use tracing_subscriber::layer::SubscriberExt;

    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let nothing = tracing_subscriber::registry()
            .with(DynFilterFn::new(|_, _| false).with_callsite_filter(|_| Interest::sometimes()));
        tracing::subscriber::set_global_default(nothing)
            .expect("no other test installs a global subscriber");
    });
}

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
