//! `client.sott()`: the server-side SOTT call, its headers, and its digest, which the reference
//! SDK computes with nothing appended after the URL (unlike every other signed GET).

use crate::support::{API_KEY, API_SECRET, builder, public_client};
use loginradius::transport::RecordingTransport;
use loginradius::{Clock, LoginRadius};
use serde_json::json;
use time::macros::datetime;

/// A client (see `support::builder`) whose clock stands at 2025-06-01 11:34:56 UTC.
fn client(transport: &RecordingTransport, signing: bool) -> LoginRadius {
    builder(transport)
        .request_signing(signing)
        .clock(Clock::fixed(datetime!(2025-06-01 11:34:56 UTC)))
        .build()
        .expect("client")
}

#[tokio::test]
async fn generate_sends_the_secret_header_when_unsigned() {
    let transport = RecordingTransport::new();
    transport.reply_json(
        200,
        json!({"Sott": "tok*abc", "ExpiryTime": "2017-11-06T07:03:12.1100256Z"}),
    );
    let sott = client(&transport, false).sott().generate().await.unwrap();
    assert_eq!(sott.sott.expose(), "tok*abc");
    assert!(sott.expiry_time.is_some());
    let r = transport.last().unwrap();
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(
        r.url,
        format!("https://api.loginradius.com/identity/v2/manage/account/sott?apiKey={API_KEY}")
    );
    assert_eq!(r.header("x-loginradius-apisecret"), Some(API_SECRET));
    assert!(r.header("digest").is_none());
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn signed_generate_matches_the_reference_digest_vector() {
    // `digest` vector `none_payload_nothing_appended` of spec/test-vectors.json.
    let transport = RecordingTransport::new();
    let _ = client(&transport, true)
        .sott()
        .generate()
        .time_difference(20)
        .await;
    let r = transport.last().unwrap();
    assert_eq!(
        r.url,
        format!(
            "https://api.loginradius.com/identity/v2/manage/account/sott?apiKey={API_KEY}&timeDifference=20"
        )
    );
    assert_eq!(r.header("x-request-expires"), Some("2025-06-01 12:34:56"));
    assert_eq!(
        r.header("digest"),
        Some("SHA-256=9IwcrDXEWsyIWTmCxDX/apygfVmNLSt8xXett9+uMPk=")
    );
    assert!(
        r.header("x-loginradius-apisecret").is_none(),
        "the secret never rides with a digest"
    );
}

#[tokio::test]
async fn generated_sott_feeds_registration() {
    let transport = RecordingTransport::new();
    transport.reply_json(200, json!({"Sott": "server*sott", "ExpiryTime": null}));
    let client = client(&transport, false);
    let issued = client.sott().generate().await.unwrap();
    assert!(!format!("{issued:?}").contains("server*sott"));
    let user = loginradius::models::Registration::new("a@b.c", "pw");
    let _ = client.auth().register(&user, issued).await;
    assert_eq!(
        transport.last().unwrap().header("x-loginradius-sott"),
        Some("server*sott")
    );
}

#[tokio::test]
async fn generate_without_a_secret_is_a_config_error_and_sends_nothing() {
    let transport = RecordingTransport::new();
    let client = public_client(&transport);
    let e = client.sott().generate().await.unwrap_err();
    assert!(matches!(e, loginradius::Error::Config(_)), "{e:?}");
    assert!(transport.is_empty());
}
