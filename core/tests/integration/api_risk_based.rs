//! RiskBasedAuthenticationApi through a recording transport: one endpoint, three bodies, and
//! every risk template in the query.

use crate::support::{API_KEY, assert_refused_before_sending, pairs, public_client};
use loginradius::transport::RecordingTransport;
use serde_json::json;

#[tokio::test]
async fn each_login_sends_its_own_body() {
    let transport = RecordingTransport::new();
    let c = public_client(&transport);
    let _ = c
        .risk_based()
        .login_by_email("jane@example.com", "pw 1")
        .await;
    let _ = c.risk_based().login_by_username("jane", "pw 2").await;
    let _ = c.risk_based().login_by_phone("+16045552368", "pw 3").await;
    let bodies: Vec<_> = transport.requests().iter().map(|r| r.json()).collect();
    assert_eq!(
        bodies,
        [
            Some(json!({"email": "jane@example.com", "password": "pw 1"})),
            Some(json!({"username": "jane", "password": "pw 2"})),
            Some(json!({"phone": "+16045552368", "password": "pw 3"})),
        ]
    );
    for r in transport.requests() {
        assert_eq!(r.method, http::Method::POST);
        assert_eq!(
            r.url,
            format!("https://api.loginradius.com/identity/v2/auth/login?apiKey={API_KEY}")
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert!(
            r.header("authorization").is_none() && r.header("x-loginradius-apisecret").is_none()
        );
    }
}

#[tokio::test]
async fn every_option_goes_to_the_query_in_order() {
    let transport = RecordingTransport::new();
    let _ = public_client(&transport)
        .risk_based()
        .login_by_email("jane@example.com", "pw")
        .email_template("verify")
        .fields("Uid")
        .login_url("https://example.com/login")
        .password_delegation(true)
        .password_delegation_app("legacy")
        .rba_browser_email_template("be")
        .rba_browser_sms_template("bs")
        .rba_city_email_template("ce")
        .rba_city_sms_template("cs")
        .rba_country_email_template("ke")
        .rba_country_sms_template("ks")
        .rba_ip_email_template("ie")
        .rba_ip_sms_template("is")
        .rba_oneclick_email_template("oc")
        .rba_otp_sms_template("os")
        .sms_template("sms")
        .verification_url("https://example.com/verify")
        .await;
    let query = transport.last().unwrap().query();
    let expected = pairs(&[
        ("apiKey", API_KEY),
        ("emailTemplate", "verify"),
        ("fields", "Uid"),
        ("loginUrl", "https://example.com/login"),
        ("passwordDelegation", "true"),
        ("passwordDelegationApp", "legacy"),
        ("rbaBrowserEmailTemplate", "be"),
        ("rbaBrowserSmsTemplate", "bs"),
        ("rbaCityEmailTemplate", "ce"),
        ("rbaCitySmsTemplate", "cs"),
        ("rbaCountryEmailTemplate", "ke"),
        ("rbaCountrySmsTemplate", "ks"),
        ("rbaIpEmailTemplate", "ie"),
        ("rbaIpSmsTemplate", "is"),
        ("rbaOneclickEmailTemplate", "oc"),
        ("rbaOTPSmsTemplate", "os"),
        ("smsTemplate", "sms"),
        ("verificationUrl", "https://example.com/verify"),
    ]);
    assert_eq!(query, expected);
}

#[tokio::test]
async fn blank_credentials_never_reach_the_transport() {
    let transport = RecordingTransport::new();
    let c = public_client(&transport);
    assert_refused_before_sending(
        [
            c.risk_based().login_by_email("", "pw").await.map(drop),
            c.risk_based().login_by_username("jane", "").await.map(drop),
            c.risk_based().login_by_phone(" ", "pw").await.map(drop),
        ],
        &transport,
    );
}

#[tokio::test]
async fn the_login_answer_is_typed() {
    let transport = RecordingTransport::new();
    let c = public_client(&transport);
    transport.reply_json(
        200,
        json!({"Profile": {"Uid": "u1"}, "access_token": "at-1", "refresh_token": "rt-1", "expires_in": "2030-01-01T00:00:00Z"}),
    );
    let login = c
        .risk_based()
        .login_by_username("jane", "pw")
        .await
        .unwrap();
    assert_eq!(login.profile.unwrap().uid, "u1");
    assert!(login.expires_in.is_some());
    transport.reply_json(
        200,
        json!({"ErrorCode": 1039, "Message": "risk", "Description": "x"}),
    );
    assert_eq!(
        c.risk_based()
            .login_by_phone("+1", "pw")
            .await
            .unwrap_err()
            .code(),
        Some(1039)
    );
}
