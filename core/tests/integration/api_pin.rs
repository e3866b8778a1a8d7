//! PINAuthenticationApi through a recording transport: exact bodies for every call, query
//! values and headers, input checks, and the typed answers.

use crate::support::{API_KEY, TOKEN, assert_refused_before_sending, client, pairs, record};
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

const SESSION: &str = "6e2b5c1a-0c2f-4b7a-9d3e-c1e2d5a3b4f4";
const PHONE: &str = "+16045552368";
const EMAIL: &str = "jane+pin@example.com";

#[tokio::test]
async fn bodies_are_exact() {
    let cases: Vec<(&str, RecordedRequest, &str, &str, Option<Value>)> = vec![
        (
            "login",
            record(|c| async move {
                let _ = c.pin().login(SESSION, "4321").await;
            })
            .await,
            "POST",
            "/identity/v2/auth/login/pin",
            Some(json!({"pin": "4321"})),
        ),
        (
            "send_reset_email",
            record(|c| async move {
                let _ = c.pin().send_reset_email(EMAIL).await;
            })
            .await,
            "POST",
            "/identity/v2/auth/pin/forgot/email",
            Some(json!({"email": EMAIL})),
        ),
        (
            "send_reset_email_by_username",
            record(|c| async move {
                let _ = c.pin().send_reset_email_by_username("jane").await;
            })
            .await,
            "POST",
            "/identity/v2/auth/pin/forgot/username",
            Some(json!({"userName": "jane"})),
        ),
        (
            "send_reset_otp",
            record(|c| async move {
                let _ = c.pin().send_reset_otp(PHONE).await;
            })
            .await,
            "POST",
            "/identity/v2/auth/pin/forgot/otp",
            Some(json!({"phone": PHONE})),
        ),
        (
            "reset_with_token",
            record(|c| async move {
                let _ = c.pin().reset_with_token("reset-1", "4321").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/token",
            Some(json!({"pin": "4321", "resetToken": "reset-1"})),
        ),
        (
            "reset_by_email_and_security_answers",
            record(|c| async move {
                let _ = c
                    .pin()
                    .reset_by_email_and_security_answers(
                        EMAIL,
                        [("q1", "Paris"), ("q2", "Rex")],
                        "4321",
                    )
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/securityanswer/email",
            Some(
                json!({"email": EMAIL, "pin": "4321", "securityAnswer": {"q1": "Paris", "q2": "Rex"}}),
            ),
        ),
        (
            "reset_by_username_and_security_answers",
            record(|c| async move {
                let _ = c
                    .pin()
                    .reset_by_username_and_security_answers("jane", [("q1", "Paris")], "4321")
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/securityanswer/username",
            Some(json!({"username": "jane", "pin": "4321", "securityAnswer": {"q1": "Paris"}})),
        ),
        (
            "reset_by_phone_and_security_answers",
            record(|c| async move {
                let _ = c
                    .pin()
                    .reset_by_phone_and_security_answers(PHONE, [("q1", "Paris")], "4321")
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/securityanswer/phone",
            Some(json!({"phone": PHONE, "pin": "4321", "securityAnswer": {"q1": "Paris"}})),
        ),
        (
            "change",
            record(|c| async move {
                let _ = c.pin().change(TOKEN, "4321", "8765").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/change",
            Some(json!({"oldPIN": "4321", "newPIN": "8765"})),
        ),
        (
            "reset_by_phone_and_otp",
            record(|c| async move {
                let _ = c
                    .pin()
                    .reset_by_phone_and_otp(PHONE, "123456", "4321")
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/otp/phone",
            Some(json!({"phone": PHONE, "otp": "123456", "pin": "4321"})),
        ),
        (
            "reset_by_email_and_otp",
            record(|c| async move {
                let _ = c
                    .pin()
                    .reset_by_email_and_otp(EMAIL, "123456", "4321")
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/otp/email",
            Some(json!({"email": EMAIL, "otp": "123456", "pin": "4321"})),
        ),
        (
            "reset_by_username_and_otp",
            record(|c| async move {
                let _ = c
                    .pin()
                    .reset_by_username_and_otp("jane", "123456", "4321")
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/pin/reset/otp/username",
            Some(json!({"username": "jane", "otp": "123456", "pin": "4321"})),
        ),
        (
            "set_with_auth_token",
            record(|c| async move {
                let _ = c.pin().set_with_auth_token("pin-auth-1", "4321").await;
            })
            .await,
            "POST",
            "/identity/v2/auth/pin/set/pinauthtoken",
            Some(json!({"pin": "4321"})),
        ),
        (
            "invalidate_session_token",
            record(|c| async move {
                let _ = c.pin().invalidate_session_token(SESSION).await;
            })
            .await,
            "GET",
            "/identity/v2/auth/session_token/invalidate",
            None,
        ),
    ];
    for (name, request, method, path, body) in cases {
        assert_eq!(request.method.as_str(), method, "{name}");
        assert_eq!(request.path(), path, "{name}");
        match body {
            Some(body) => assert_eq!(request.json(), Some(body), "{name}"),
            None => assert!(request.body.is_empty(), "{name}"),
        }
        assert!(
            request.header("x-loginradius-apisecret").is_none(),
            "{name}: no secret on /auth"
        );
    }
}

#[tokio::test]
async fn tokens_travel_where_the_service_wants_them() {
    let r = record(|c| async move {
        let _ = c.pin().login(SESSION, "4321").await;
    })
    .await;
    assert_eq!(r.query_value("session_token").as_deref(), Some(SESSION));
    assert!(r.header("authorization").is_none());

    let r = record(|c| async move {
        let _ = c.pin().set_with_auth_token("pin-auth+1", "4321").await;
    })
    .await;
    assert!(
        r.url
            .ends_with("?apiKey=4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c&pinAuthToken=pin-auth%2B1"),
        "{}",
        r.url
    );

    let r = record(|c| async move {
        let _ = c.pin().change(TOKEN, "1", "2").await;
    })
    .await;
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(r.query(), vec![("apiKey".to_owned(), API_KEY.to_owned())]);

    let r = record(|c| async move {
        let _ = c
            .pin()
            .send_reset_email(EMAIL)
            .email_template("reset-pin")
            .reset_pin_url("https://example.com/reset?x=1")
            .await;
    })
    .await;
    assert_eq!(
        r.query(),
        pairs(&[
            ("apiKey", API_KEY),
            ("emailTemplate", "reset-pin"),
            ("resetPINUrl", "https://example.com/reset?x=1")
        ])
    );

    let r = record(|c| async move {
        let _ = c
            .pin()
            .send_reset_otp(PHONE)
            .sms_template("s")
            .voice_otp(true)
            .await;
    })
    .await;
    assert_eq!(r.query_value("isVoiceOtp").as_deref(), Some("true"));
    assert_eq!(r.query_value("smsTemplate").as_deref(), Some("s"));
}

#[tokio::test]
async fn blank_input_never_reaches_the_transport() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let p = c.pin();
    let no_answers: [(&str, &str); 0] = [];
    let results = [
        p.login("", "1").await.map(drop),
        p.login(SESSION, "").await.map(drop),
        p.send_reset_email("").await.map(drop),
        p.send_reset_email_by_username(" ").await.map(drop),
        p.send_reset_otp("").await.map(drop),
        p.reset_with_token("", "1").await.map(drop),
        p.reset_by_email_and_security_answers(EMAIL, no_answers, "1")
            .await
            .map(drop),
        p.reset_by_username_and_security_answers("jane", [("", "a")], "1")
            .await
            .map(drop),
        p.reset_by_phone_and_security_answers(PHONE, [("q1", " ")], "1")
            .await
            .map(drop),
        p.reset_by_phone_and_security_answers("", [("q1", "a")], "1")
            .await
            .map(drop),
        p.change("", "1", "2").await.map(drop),
        p.change(TOKEN, "1", "").await.map(drop),
        p.reset_by_phone_and_otp(PHONE, "", "1").await.map(drop),
        p.reset_by_email_and_otp("", "1", "1").await.map(drop),
        p.reset_by_username_and_otp("jane", "1", "").await.map(drop),
        p.set_with_auth_token("", "1").await.map(drop),
        p.invalidate_session_token("bad\u{7}token").await.map(drop),
    ];
    assert_refused_before_sending(results, &transport);
}

#[tokio::test]
async fn answers_are_typed_and_pins_stay_out_of_debug_output() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let request = c.pin().login(SESSION, "9753");
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("9753") && !shown.contains(SESSION),
        "{shown}"
    );

    transport.reply_json(200, json!({"Profile": {"Uid": "u1"}, "access_token": "at-1", "expires_in": "2030-01-01T00:00:00Z"}));
    let login = request.await.unwrap();
    assert_eq!(login.access_token.expose(), "at-1");

    transport.reply_json(200, json!({"IsPosted": true}));
    assert!(c.pin().change(TOKEN, "1", "2").await.unwrap().is_posted);

    transport.reply_json(
        200,
        json!({"IsPosted": true, "Data": {"AccountSid": "AC1", "Sid": "SM1"}}),
    );
    let sms = c.pin().send_reset_otp(PHONE).await.unwrap();
    assert_eq!(sms.data.unwrap().account_sid.as_deref(), Some("AC1"));

    transport.reply_json(
        403,
        json!({"ErrorCode": 1201, "Message": "PIN mismatch", "Description": "x"}),
    );
    assert_eq!(
        c.pin().reset_with_token("t", "1").await.unwrap_err().code(),
        Some(1201)
    );
}
