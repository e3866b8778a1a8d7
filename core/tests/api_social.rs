//! SocialApi (legacy `/api/v2/access_token…`) through a recording transport: exact URLs with the
//! secret and tokens in the query where the service requires them, no signing, input checks.

use loginradius::transport::RecordingTransport;
use loginradius::{Error, LoginRadius, RetryPolicy};
use serde_json::{Value, json};

const KEY: &str = "4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c";
const SECRET: &str = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
const TOKEN: &str = "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9";
const BASE: &str = "https://api.loginradius.com";

fn client(transport: &RecordingTransport, signing: bool) -> LoginRadius {
    LoginRadius::builder()
        .api_key(KEY)
        .api_secret(SECRET)
        .request_signing(signing)
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .expect("client")
}

fn request_vector(name: &str) -> Value {
    let dir = std::env::var_os("LOGINRADIUS_SPEC_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec")
        });
    let text =
        std::fs::read_to_string(dir.join("test-vectors.json")).expect("test-vectors.json readable");
    let all: Value = serde_json::from_str(&text).expect("vectors are JSON");
    all["request"]
        .as_array()
        .expect("request vectors")
        .iter()
        .find(|v| v["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("vector {name} missing"))
}

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
    let s = SECRET;
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
                "{BASE}/api/v2/access_token/validate?access_token={TOKEN}&key={KEY}&secret={s}"
            ),
        ),
        (
            "invalidate",
            format!(
                "{BASE}/api/v2/access_token/invalidate?access_token={TOKEN}&key={KEY}&secret={s}"
            ),
        ),
        (
            "active_sessions",
            format!("{BASE}/api/v2/access_token/activesession?key={KEY}&secret={s}&token={TOKEN}"),
        ),
        (
            "of_user",
            format!(
                "{BASE}/api/v2/access_token/activesession?key={KEY}&secret={s}&accountId=uid-1"
            ),
        ),
        (
            "of_profile",
            format!(
                "{BASE}/api/v2/access_token/activesession?key={KEY}&secret={s}&profileId=1020304"
            ),
        ),
    ];
    for signing in [false, true] {
        for (name, url) in &cases {
            let transport = RecordingTransport::new();
            let c = client(&transport, signing);
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
    client(&transport, false)
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
    let c = client(&transport, false);
    let errors = [
        c.social().exchange_token(" ").await.map(drop),
        c.social().refresh("").await.map(drop),
        c.social().validate("tok\nen").await.map(drop),
        c.social().invalidate("").await.map(drop),
        c.social().active_sessions("").await.map(drop),
        c.social().active_sessions_of_user("").await.map(drop),
        c.social().active_sessions_of_profile("\t").await.map(drop),
    ];
    for e in errors {
        assert!(matches!(e, Err(Error::InvalidInput { .. })), "{e:?}");
    }
    assert!(transport.is_empty());
}

#[tokio::test]
async fn answers_are_decoded() {
    let transport = RecordingTransport::new();
    let c = client(&transport, false);
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
    let c = LoginRadius::builder()
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let e = c.social().validate(TOKEN).await.unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert!(transport.is_empty());
}
