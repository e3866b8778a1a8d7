//! SocialApi (legacy `/api/v2/access_token…`) through a recording transport: exact URLs with the
//! secret and tokens in the query where the service requires them, no signing, input checks.

use crate::support::{
    API_KEY, API_SECRET, TOKEN, assert_refused_before_sending, client, client_with_signing,
    public_client, request_vector,
};
use loginradius::transport::RecordingTransport;
use loginradius::{Error, LoginRadius, RetryPolicy};
use serde_json::json;

const BASE: &str = "https://api.loginradius.com";

#[tokio::test]
async fn validate_reproduces_the_social_token_stays_in_query_vector() {
    let v = request_vector("social_token_stays_in_query");
    assert_eq!(v["sdk_call"]["attribute"], "social");
    assert_eq!(v["sdk_call"]["method"], "validate_access_token");
    let config = &v["config"];
    let transport = RecordingTransport::new();
    let client = LoginRadius::builder()
        .api_key(config["api_key"].as_str().unwrap())
        .api_secret(config["api_secret"].as_str().unwrap())
        .request_signing(config["request_signing"].as_bool().unwrap())
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    transport.reply_json(
        200,
        json!({"access_token": TOKEN, "expires_in": "2025-06-01T12:34:56Z"}),
    );

    let token = v["sdk_call"]["args"][0].as_str().unwrap();
    let answer = client.social().validate(token).await.unwrap();
    assert_eq!(answer.access_token.expose(), TOKEN);

    let expected = &v["expected_request"];
    let sent = transport.last().unwrap();
    assert_eq!(sent.method.as_str(), expected["method"].as_str().unwrap());
    assert_eq!(sent.url, expected["url"].as_str().unwrap());
    for (name, value) in expected["headers"].as_object().unwrap() {
        assert_eq!(sent.header(name), value.as_str(), "header {name}");
    }
    assert!(expected["body"].is_null() && sent.body.is_empty());
    assert!(
        sent.header("authorization").is_none(),
        "the legacy endpoint takes the token in the query only"
    );
}

#[tokio::test]
async fn every_call_sends_exactly_the_query_the_service_requires() {
    let s = API_SECRET;
    let cases: Vec<(&str, String)> = vec![
        (
            "exchange_token",
            format!("{BASE}/api/v2/access_token?secret={s}&token=request-token-1"),
        ),
        (
            "refresh",
            format!(
                "{BASE}/api/v2/access_token/refresh?access_token={TOKEN}&secret={s}&expiresIn=60&isWeb=true"
            ),
        ),
        (
            "refresh_plain",
            format!("{BASE}/api/v2/access_token/refresh?access_token={TOKEN}&secret={s}"),
        ),
        (
            "validate",
            format!(
                "{BASE}/api/v2/access_token/validate?access_token={TOKEN}&key={API_KEY}&secret={s}"
            ),
        ),
        (
            "invalidate",
            format!(
                "{BASE}/api/v2/access_token/invalidate?access_token={TOKEN}&key={API_KEY}&secret={s}"
            ),
        ),
        (
            "active_sessions",
            format!(
                "{BASE}/api/v2/access_token/activesession?key={API_KEY}&secret={s}&token={TOKEN}"
            ),
        ),
        (
            "of_user",
            format!(
                "{BASE}/api/v2/access_token/activesession?key={API_KEY}&secret={s}&accountId=uid-1"
            ),
        ),
        (
            "of_profile",
            format!(
                "{BASE}/api/v2/access_token/activesession?key={API_KEY}&secret={s}&profileId=1020304"
            ),
        ),
    ];
    for signing in [false, true] {
        for (name, url) in &cases {
            let transport = RecordingTransport::new();
            let c = client_with_signing(&transport, signing);
            let social = c.social();
            let _ = match *name {
                "exchange_token" => social.exchange_token("request-token-1").await.map(drop),
                "refresh" => social
                    .refresh(TOKEN)
                    .expires_in_minutes(60)
                    .web(true)
                    .await
                    .map(drop),
                "refresh_plain" => social.refresh(TOKEN).await.map(drop),
                "validate" => social.validate(TOKEN).await.map(drop),
                "invalidate" => social.invalidate(TOKEN).await.map(drop),
                "active_sessions" => social.active_sessions(TOKEN).await.map(drop),
                "of_user" => social.active_sessions_of_user("uid-1").await.map(drop),
                "of_profile" => social.active_sessions_of_profile("1020304").await.map(drop),
                other => unreachable!("{other}"),
            };
            let sent = transport
                .last()
                .unwrap_or_else(|| panic!("{name}: nothing sent"));
            assert_eq!(sent.method, http::Method::GET, "{name}");
            assert_eq!(&sent.url, url, "{name} (signing={signing})");
            assert!(sent.body.is_empty(), "{name}: GET without body");
            for header in [
                "authorization",
                "digest",
                "x-request-expires",
                "x-loginradius-apisecret",
            ] {
                assert!(
                    sent.header(header).is_none(),
                    "{name}: unexpected {header} (signing={signing})"
                );
            }
        }
    }
}

#[tokio::test]
async fn tokens_are_percent_encoded_in_the_query() {
    let transport = RecordingTransport::new();
    client(&transport)
        .social()
        .validate("a+b&c=d#e")
        .await
        .unwrap_err();
    let sent = transport.last().unwrap();
    assert!(
        sent.url.contains("access_token=a%2Bb%26c%3Dd%23e&"),
        "{}",
        sent.url
    );
    assert_eq!(
        sent.query_value("access_token").as_deref(),
        Some("a+b&c=d#e")
    );
}

#[tokio::test]
async fn blank_tokens_and_ids_never_reach_the_transport() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let errors = [
        c.social().exchange_token(" ").await.map(drop),
        c.social().refresh("").await.map(drop),
        c.social().validate("tok\nen").await.map(drop),
        c.social().invalidate("").await.map(drop),
        c.social().active_sessions("").await.map(drop),
        c.social().active_sessions_of_user("").await.map(drop),
        c.social().active_sessions_of_profile("\t").await.map(drop),
    ];
    assert_refused_before_sending(errors, &transport);
}

#[tokio::test]
async fn answers_are_decoded() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    transport.reply_json(200, json!({"isPosted": true}));
    assert!(c.social().invalidate(TOKEN).await.unwrap().is_posted);

    transport.reply_json(
        200,
        json!({"data": [{"AccessToken": "session-1", "Browser": "Firefox", "Os": "Linux", "LoginDate": "2024-01-02T03:04:05.1234567Z"}], "nextcursor": 0}),
    );
    let sessions = c.social().active_sessions_of_user("uid-1").await.unwrap();
    assert_eq!(sessions.sessions.len(), 1);
    assert_eq!(sessions.sessions[0].browser.as_deref(), Some("Firefox"));
    assert!(sessions.sessions[0].login_date.is_some());
    assert_eq!(sessions.next_cursor.as_deref(), Some("0"));
    assert!(!format!("{sessions:?}").contains("session-1"));

    transport.reply_json(200, json!({"access_token": "new-token", "refresh_token": "r", "expires_in": "2030-01-01T00:00:00Z"}));
    let refreshed = c.social().refresh(TOKEN).await.unwrap();
    assert_eq!(refreshed.access_token.expose(), "new-token");
    assert!(refreshed.expires_in.is_some());
}

#[tokio::test]
async fn social_calls_need_the_secret() {
    let transport = RecordingTransport::new();
    let c = public_client(&transport);
    let e = c.social().validate(TOKEN).await.unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert!(transport.is_empty());
}
