//! `client.passwordless()` through a recording transport: exact bodies, query values, the
//! lowercase `apikey` of link verification, input checks and typed responses.

use crate::support::{API_KEY, pairs, wire};
use crate::{assert_refused, record_reply};
use loginradius::transport::RecordedRequest;
use serde_json::{Value, json};

#[tokio::test]
async fn otp_verifications_send_exactly_this_json() {
    let table: Vec<(&str, Option<RecordedRequest>, &str, &str, Value)> = vec![
        (
            "verify_phone_otp",
            record_reply!(c => c.passwordless().verify_phone_otp("+16045552368", "123456")).0,
            "PUT",
            "/identity/v2/auth/login/passwordlesslogin/otp/verify",
            json!({"phone": "+16045552368", "otp": "123456"}),
        ),
        (
            "verify_email_otp",
            record_reply!(c => c.passwordless().verify_email_otp("jane@example.com", "654321")).0,
            "POST",
            "/identity/v2/auth/login/passwordlesslogin/email/verifyotp",
            json!({"email": "jane@example.com", "otp": "654321"}),
        ),
        (
            "verify_username_otp",
            record_reply!(c => c.passwordless().verify_username_otp("jane", "654321")).0,
            "POST",
            "/identity/v2/auth/login/passwordlesslogin/username/verifyotp",
            json!({"username": "jane", "otp": "654321"}),
        ),
    ];
    for (name, request, method, path, body) in table {
        let request = request.unwrap_or_else(|| panic!("{name}: nothing sent"));
        assert_eq!(request.method.as_str(), method, "{name}");
        assert_eq!(request.path(), path, "{name}");
        let expected = wire(&body);
        assert_eq!(
            std::str::from_utf8(&request.body).unwrap(),
            expected,
            "{name}: body"
        );
        assert!(request.header("authorization").is_none(), "{name}");
    }
}

#[tokio::test]
async fn sends_and_link_verification_use_the_query() {
    let (r, _) = record_reply!(c => c.passwordless().send_phone_otp("+16045552368").sms_template("otp").voice_otp(true));
    let r = r.unwrap();
    assert_eq!(
        (r.method.as_str(), r.path()),
        ("GET", "/identity/v2/auth/login/passwordlesslogin/otp")
    );
    assert_eq!(
        r.query(),
        pairs(&[
            ("apiKey", API_KEY),
            ("phone", "+16045552368"),
            ("smsTemplate", "otp"),
            ("isVoiceOtp", "true")
        ])
    );
    assert!(r.url.contains("phone=%2B16045552368"), "{}", r.url);
    assert!(r.body.is_empty());

    let (r, _) = record_reply!(c => c.passwordless().send_link_by_email("jane@example.com").passwordless_login_template("t").verification_url("https://app.example.com/pl"));
    assert_eq!(
        r.unwrap().query(),
        pairs(&[
            ("apiKey", API_KEY),
            ("email", "jane@example.com"),
            ("passwordLessLoginTemplate", "t"),
            ("verificationUrl", "https://app.example.com/pl")
        ])
    );

    let (r, _) = record_reply!(c => c.passwordless().send_link_by_username("jane"));
    let r = r.unwrap();
    assert_eq!(r.path(), "/identity/v2/auth/login/passwordlesslogin/email");
    assert_eq!(
        r.query(),
        pairs(&[("apiKey", API_KEY), ("username", "jane")])
    );

    // The reference SDK spells the key `apikey` on this endpoint only.
    let (r, _) = record_reply!(c => c.passwordless().verify_link("vt-1").fields("Uid").welcome_email_template("w"));
    assert_eq!(
        r.unwrap().query(),
        pairs(&[
            ("apikey", API_KEY),
            ("verificationToken", "vt-1"),
            ("fields", "Uid"),
            ("welcomeEmailTemplate", "w")
        ])
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    assert_refused!("phone", c => c.passwordless().send_phone_otp(" "));
    assert_refused!("otp", c => c.passwordless().verify_phone_otp("+1", ""));
    assert_refused!("email", c => c.passwordless().send_link_by_email(""));
    assert_refused!("username", c => c.passwordless().send_link_by_username("ja\u{0}ne"));
    assert_refused!("verification_token", c => c.passwordless().verify_link(""));
    assert_refused!("email", c => c.passwordless().verify_email_otp("", "1"));
    assert_refused!("otp", c => c.passwordless().verify_username_otp("jane", "\n"));
}

#[tokio::test]
async fn sign_ins_answer_with_the_login_response() {
    let login = json!({"Profile": {"Uid": "u1"}, "access_token": "at-1", "expires_in": "2030-01-01T00:00:00Z"});
    let (_, r) = record_reply!(login.clone(), c => c.passwordless().verify_link("vt"));
    let r = r.unwrap();
    assert_eq!(r.access_token.expose(), "at-1");
    assert_eq!(r.profile.unwrap().uid, "u1");
    let (_, r) = record_reply!(login, c => c.passwordless().verify_phone_otp("+1", "1"));
    assert!(r.unwrap().expires_in.is_some());
    let (_, r) = record_reply!(json!({"Data": {"AccountSid": null, "Sid": "s-1"}}), c => c.passwordless().send_phone_otp("+1"));
    assert_eq!(r.unwrap().data.expect("Data").sid.as_deref(), Some("s-1"));
    let (_, r) = record_reply!(json!({"ErrorCode": 1067, "Message": "Invalid OTP Code", "Description": "x"}), c => c.passwordless().verify_phone_otp("+1", "1"));
    assert_eq!(r.unwrap_err().code(), Some(1067));
}
