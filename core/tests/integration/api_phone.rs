//! PhoneAuthenticationApi through a recording transport: exact bodies, query values and
//! headers, input checks, and the typed answers.

use crate::support::{API_KEY, SOTT, TOKEN, assert_refused_before_sending, client, pairs, record};
use loginradius::models::Registration;
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

const PHONE: &str = "+16045552368";

fn query(r: &RecordedRequest) -> Vec<(String, String)> {
    r.query()
}

#[tokio::test]
async fn bodies_are_exact() {
    let cases: Vec<(&str, RecordedRequest, &str, &str, Value)> = vec![
        (
            "login",
            record(|c| async move {
                let _ = c.phone().login(PHONE, "pa ss").await;
            })
            .await,
            "POST",
            "/identity/v2/auth/login",
            json!({"phone": PHONE, "password": "pa ss"}),
        ),
        (
            "send_forgot_password_otp",
            record(|c| async move {
                let _ = c.phone().send_forgot_password_otp(PHONE).await;
            })
            .await,
            "POST",
            "/identity/v2/auth/password/otp",
            json!({"phone": PHONE}),
        ),
        (
            "reset_password",
            record(|c| async move {
                let _ = c.phone().reset_password(PHONE, "123456", "new pass").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/password/otp",
            json!({"phone": PHONE, "otp": "123456", "password": "new pass"}),
        ),
        (
            "verify_otp",
            record(|c| async move {
                let _ = c.phone().verify_otp(PHONE, "123456").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/phone/otp",
            json!({"phone": PHONE}),
        ),
        (
            "verify_otp_by_token",
            record(|c| async move {
                let _ = c.phone().verify_otp_by_token(TOKEN, "123456").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/phone/otp",
            json!({}),
        ),
        (
            "resend_verification_otp",
            record(|c| async move {
                let _ = c.phone().resend_verification_otp(PHONE).await;
            })
            .await,
            "POST",
            "/identity/v2/auth/phone/otp",
            json!({"phone": PHONE}),
        ),
        (
            "resend_verification_otp_by_token",
            record(|c| async move {
                let _ = c
                    .phone()
                    .resend_verification_otp_by_token(TOKEN, PHONE)
                    .await;
            })
            .await,
            "POST",
            "/identity/v2/auth/phone/otp",
            json!({"phone": PHONE}),
        ),
        (
            "update_number",
            record(|c| async move {
                let _ = c.phone().update_number(TOKEN, PHONE).await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/phone",
            json!({"phone": PHONE}),
        ),
        (
            "remove",
            record(|c| async move {
                let _ = c.phone().remove(TOKEN).await;
            })
            .await,
            "DELETE",
            "/identity/v2/auth/phone",
            json!({}),
        ),
        (
            "register",
            record(|c| async move {
                let _ = c
                    .phone()
                    .register(
                        SOTT,
                        &Registration::with_phone(PHONE, "pa ss").first_name("Jane"),
                    )
                    .await;
            })
            .await,
            "POST",
            "/identity/v2/auth/register",
            json!({"PhoneId": PHONE, "Password": "pa ss", "FirstName": "Jane"}),
        ),
    ];
    for (name, request, method, path, body) in cases {
        assert_eq!(request.method.as_str(), method, "{name}");
        assert_eq!(request.path(), path, "{name}");
        assert_eq!(request.json(), Some(body), "{name}");
    }
}

#[tokio::test]
async fn queries_and_headers_are_exact() {
    let r = record(|c| async move {
        let _ = c
            .phone()
            .login(PHONE, "pw")
            .fields("Uid,PhoneId")
            .login_url("https://example.com/login")
            .sms_template("sms")
            .options("PreventVerificationEmail")
            .await;
    })
    .await;
    assert_eq!(
        query(&r),
        pairs(&[
            ("apiKey", API_KEY),
            ("fields", "Uid,PhoneId"),
            ("loginUrl", "https://example.com/login"),
            ("smsTemplate", "sms"),
            ("options", "PreventVerificationEmail"),
        ])
    );
    assert!(r.header("authorization").is_none() && r.header("x-loginradius-apisecret").is_none());

    // The verification code travels in the query, the token in the Authorization header.
    let r = record(|c| async move {
        let _ = c
            .phone()
            .verify_otp_by_token(TOKEN, "123456")
            .sms_template("sms")
            .voice_otp(true)
            .await;
    })
    .await;
    assert_eq!(
        query(&r),
        pairs(&[
            ("apiKey", API_KEY),
            ("otp", "123456"),
            ("smsTemplate", "sms"),
            ("isVoiceOtp", "true")
        ])
    );
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    let r = record(|c| async move {
        let _ = c
            .phone()
            .send_forgot_password_otp(PHONE)
            .voice_otp(false)
            .await;
    })
    .await;
    assert_eq!(
        query(&r),
        pairs(&[("apiKey", API_KEY), ("isVoiceOtp", "false")])
    );

    // Unset options are left out, the phone number is percent-encoded.
    let r = record(|c| async move {
        let _ = c.phone().exists("+1 604&555").await;
    })
    .await;
    assert_eq!(r.method, http::Method::GET);
    assert!(r.url.ends_with("/identity/v2/auth/phone?apiKey=4f2c7a1e-9b3d-4c8e-a5f6-0d1e2f3a4b5c&phone=%2B1%20604%26555"), "{}", r.url);
    assert!(r.body.is_empty());

    let r = record(|c| async move {
        let _ = c
            .phone()
            .register(SOTT, &Registration::with_phone(PHONE, "pw"))
            .sms_template("sms")
            .await;
    })
    .await;
    assert_eq!(r.header("x-loginradius-sott"), Some(SOTT));
    assert_eq!(
        query(&r),
        pairs(&[("apiKey", API_KEY), ("smsTemplate", "sms")])
    );
}

#[tokio::test]
async fn blank_input_never_reaches_the_transport() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let p = c.phone();
    let results = [
        p.login("", "pw").await.map(drop),
        p.login(PHONE, " ").await.map(drop),
        p.send_forgot_password_otp("").await.map(drop),
        p.reset_password(PHONE, "", "pw").await.map(drop),
        p.reset_password(PHONE, "1", "").await.map(drop),
        p.verify_otp(PHONE, "").await.map(drop),
        p.verify_otp("", "1").await.map(drop),
        p.verify_otp_by_token("", "1").await.map(drop),
        p.verify_otp_by_token(TOKEN, "").await.map(drop),
        p.resend_verification_otp("\n").await.map(drop),
        p.resend_verification_otp_by_token(TOKEN, "")
            .await
            .map(drop),
        p.update_number("", PHONE).await.map(drop),
        p.exists("").await.map(drop),
        p.remove("").await.map(drop),
        p.register("", &Registration::with_phone(PHONE, "pw"))
            .await
            .map(drop),
        p.register(SOTT, &Registration::new("jane@example.com", "pw"))
            .await
            .map(drop),
    ];
    assert_refused_before_sending(results, &transport);
}

#[tokio::test]
async fn answers_are_typed() {
    let transport = RecordingTransport::new();
    let c = client(&transport);

    transport.reply_json(
        200,
        json!({"IsPosted": true, "Data": {"AccountSid": null, "Sid": "8071aba1-0e29"}}),
    );
    let sent = c.phone().send_forgot_password_otp(PHONE).await.unwrap();
    assert!(sent.is_posted);
    assert_eq!(
        sent.data.and_then(|d| d.sid).as_deref(),
        Some("8071aba1-0e29")
    );

    transport.reply_json(
        200,
        json!({"Profile": {"Uid": "u1", "PhoneId": PHONE}, "access_token": "at-1", "expires_in": "2030-01-01T00:00:00Z"}),
    );
    let login = c.phone().verify_otp(PHONE, "123456").await.unwrap();
    assert_eq!(login.access_token.expose(), "at-1");
    assert_eq!(login.profile.unwrap().phone_id.as_deref(), Some(PHONE));

    transport.reply_json(200, json!({"IsExist": true}));
    assert!(c.phone().exists(PHONE).await.unwrap().exists);

    transport.reply_json(200, json!({"IsDeleted": true}));
    assert!(c.phone().remove(TOKEN).await.unwrap().is_deleted);

    transport.reply_json(200, json!({"IsPosted": true}));
    let registered = c
        .phone()
        .register(SOTT, &Registration::with_phone(PHONE, "pw"))
        .await
        .unwrap();
    assert!(registered.is_posted && registered.data.is_none());

    transport.reply_json(
        400,
        json!({"ErrorCode": 1067, "Message": "Invalid OTP Code", "Description": "x"}),
    );
    assert_eq!(
        c.phone()
            .verify_otp(PHONE, "000000")
            .await
            .unwrap_err()
            .code(),
        Some(1067)
    );
}
