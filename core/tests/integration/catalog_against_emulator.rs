//! Every method of the reference SDK's catalog, called through the client against the emulator
//! (the same 210 calls, with the same sample arguments, as `catalog_conformance`): none is
//! answered "not implemented" (501, code 909). Most answer an error (the sample ids, tokens and
//! emails do not exist there), which is the point: what is checked is that the emulator knows
//! every endpoint the client can call.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use loginradius::LoginRadius;
use loginradius::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use loginradius_emulator::{Emulator, EmulatorConfig};

use crate::catalog;

/// One answer: `METHOD /path`, the status, and the `ErrorCode` of an error envelope.
type Answer = (String, u16, Option<i64>);

/// Forwards to reqwest and keeps every answer.
#[derive(Clone)]
struct Observing {
    inner: Arc<ReqwestTransport>,
    answers: Arc<Mutex<Vec<Answer>>>,
}

#[async_trait::async_trait]
impl Transport for Observing {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let what = format!("{} {}", request.method(), request.uri().path());
        let response = self.inner.send(request).await?;
        let code = serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
            .and_then(|body| body.get("ErrorCode").and_then(serde_json::Value::as_i64));
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((what, response.status().as_u16(), code));
        Ok(response)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_catalog_method_reaches_an_endpoint_the_emulator_implements() {
    let emulator = Emulator::start(EmulatorConfig::default().with_demo_admin())
        .await
        .expect("the emulator starts");
    let observing = Observing {
        inner: Arc::new(ReqwestTransport::new(Duration::from_secs(5)).expect("transport")),
        answers: Arc::default(),
    };
    let client = LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .config_url(emulator.base_url())
        .transport(observing.clone())
        .retry(loginradius::RetryPolicy::none())
        .build()
        .expect("client");

    let cases = catalog::all();
    assert_eq!(cases.len(), 210, "the whole catalog");
    for case in &cases {
        (case.run)(client.clone()).await;
    }

    let answers = observing
        .answers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    assert!(
        answers.len() >= 200,
        "most calls reached the emulator (some are refused before sending): {}",
        answers.len()
    );
    let not_implemented: Vec<_> = answers
        .iter()
        .filter(|(_, status, code)| *status == 501 || *code == Some(909))
        .collect();
    assert!(
        not_implemented.is_empty(),
        "answered as not implemented: {not_implemented:#?}"
    );
    println!(
        "catalog against the emulator: {} calls, {} answered, none not implemented",
        cases.len(),
        answers.len()
    );
}
