//! ConsentManagementApi through a recording transport: exact bodies, where the consent token
//! and the access token travel, and the admin call with its secret or signature.

use crate::support::{
    API_KEY, API_SECRET, TOKEN, UID, assert_refused_before_sending, client, client_with_signing,
};
use loginradius::models::{ConsentChoice, ConsentEvent, ConsentSubmission, ConsentUpdate};
use loginradius::transport::RecordingTransport;
use serde_json::json;

fn form() -> ConsentSubmission {
    ConsentSubmission::new(
        [
            ConsentChoice::accept("marketing"),
            ConsentChoice::decline("profiling"),
        ],
        [
            ConsentEvent::new("Register"),
            ConsentEvent::custom("Checkout"),
        ],
    )
}

#[tokio::test]
async fn bodies_and_credentials_are_exact() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let _ = c
        .consent()
        .submit_with_consent_token("consent+token", &form())
        .await;
    let _ = c.consent().submit(TOKEN, &form()).await;
    let _ = c
        .consent()
        .update(
            TOKEN,
            &ConsentUpdate::new([ConsentChoice::decline("marketing")]),
        )
        .await;
    let _ = c.consent().update(TOKEN, &json!({"consents": []})).await;
    let sent = transport.requests();

    let expected_form = json!({
        "data": [{"consentOptionId": "marketing", "isAccepted": true}, {"consentOptionId": "profiling", "isAccepted": false}],
        "events": [{"event": "Register", "isCustom": false}, {"event": "Checkout", "isCustom": true}]
    });
    assert_eq!(sent[0].method, http::Method::POST);
    assert_eq!(
        sent[0].url,
        format!(
            "https://api.loginradius.com/identity/v2/auth/consent?apiKey={API_KEY}&consentToken=consent%2Btoken"
        )
    );
    assert!(sent[0].header("authorization").is_none());
    assert_eq!(sent[0].json(), Some(expected_form.clone()));

    assert_eq!(sent[1].method, http::Method::POST);
    assert_eq!(sent[1].path(), "/identity/v2/auth/consent/profile");
    assert_eq!(
        sent[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(sent[1].json(), Some(expected_form));

    assert_eq!(sent[2].method, http::Method::PUT);
    assert_eq!(sent[2].path(), "/identity/v2/auth/consent");
    assert_eq!(
        sent[2].json(),
        Some(json!({"consents": [{"consentOptionId": "marketing", "isAccepted": false}]}))
    );
    assert_eq!(sent[3].json(), Some(json!({"consents": []})));
}

#[tokio::test]
async fn reads_send_no_body_and_the_right_query() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let _ = c.consent().logs(TOKEN).await;
    let _ = c.consent().verify(TOKEN, "Register", false).await;
    let _ = c.consent().verify(TOKEN, "Check out", true).await;
    let sent = transport.requests();
    assert_eq!(
        sent[0].url,
        format!("https://api.loginradius.com/identity/v2/auth/consent/logs?apiKey={API_KEY}")
    );
    assert_eq!(
        sent[1].url,
        format!(
            "https://api.loginradius.com/identity/v2/auth/consent/verify?apiKey={API_KEY}&event=Register&isCustom=false"
        )
    );
    assert_eq!(
        sent[2].url,
        format!(
            "https://api.loginradius.com/identity/v2/auth/consent/verify?apiKey={API_KEY}&event=Check%20out&isCustom=true"
        )
    );
    for r in &sent {
        assert_eq!(r.method, http::Method::GET);
        assert!(r.body.is_empty());
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
}

#[tokio::test]
async fn the_admin_log_read_carries_the_secret_or_a_signature() {
    for signing in [false, true] {
        let transport = RecordingTransport::new();
        let _ = client_with_signing(&transport, signing)
            .consent()
            .logs_of_user(UID)
            .await;
        let r = transport.last().unwrap();
        assert_eq!(
            r.url,
            format!(
                "https://api.loginradius.com/identity/v2/manage/account/{UID}/consent/logs?apiKey={API_KEY}"
            )
        );
        assert!(r.body.is_empty());
        if signing {
            assert!(r.header("digest").is_some() && r.header("x-loginradius-apisecret").is_none());
        } else {
            assert_eq!(r.header("x-loginradius-apisecret"), Some(API_SECRET));
        }
    }
}

#[tokio::test]
async fn blank_input_never_reaches_the_transport() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    assert_refused_before_sending(
        [
            c.consent().logs_of_user("").await.map(drop),
            c.consent()
                .submit_with_consent_token("", &form())
                .await
                .map(drop),
            c.consent().logs(" ").await.map(drop),
            c.consent().submit("", &form()).await.map(drop),
            c.consent().verify(TOKEN, "", true).await.map(drop),
            c.consent()
                .update("", &ConsentUpdate::new([]))
                .await
                .map(drop),
        ],
        &transport,
    );
}

#[tokio::test]
async fn answers_are_json() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    transport.reply_json(200, json!({"isValid": true}));
    assert!(
        c.consent()
            .verify(TOKEN, "Register", false)
            .await
            .unwrap()
            .is_valid
    );
    transport.reply_json(
        200,
        json!({"ErrorCode": 905, "Message": "invalid token", "Description": "x"}),
    );
    assert!(
        c.consent()
            .logs(TOKEN)
            .await
            .unwrap_err()
            .is_invalid_token()
    );
}
