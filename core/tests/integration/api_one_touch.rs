//! `client.one_touch()`: exact bodies of the two sends and the OTP verification, the OTP in the
//! query where the service wants it, and the ping shared with smart login.

use crate::record_reply;
use crate::support::{API_KEY, pairs};
use loginradius::Error;
use loginradius::api::one_touch::{OneTouchEmail, OneTouchPhone};
use loginradius::transport::RecordedRequest;
use serde_json::{Value, json};

/// One row: name, recorded request, method, path, query pairs, body.
type Row = (
    &'static str,
    Option<RecordedRequest>,
    &'static str,
    &'static str,
    Vec<(String, String)>,
    Value,
);

#[tokio::test]
async fn calls_with_a_body_send_exactly_this_json_and_query() {
    let posted = json!({"IsPosted": true});
    let table: Vec<Row> = vec![
        (
            "send_email_link",
            record_reply!(public: posted.clone(), c => c.one_touch().send_email_link(&OneTouchEmail::new("jane@example.com", "g-1"))
                .one_touch_login_email_template("ot").redirect_url("https://app.example.com").welcome_email_template("w")).0,
            "POST",
            "/identity/v2/auth/onetouchlogin/email",
            pairs(&[("apiKey", API_KEY), ("oneTouchLoginEmailTemplate", "ot"), ("redirecturl", "https://app.example.com"), ("welcomeemailtemplate", "w")]),
            json!({"clientguid": "g-1", "email": "jane@example.com"}),
        ),
        (
            "send_email_link with name and captcha",
            record_reply!(public: posted.clone(), c => c.one_touch().send_email_link(&OneTouchEmail::new("jane@example.com", "g-1").name("Jane").captcha_response("cap"))).0,
            "POST",
            "/identity/v2/auth/onetouchlogin/email",
            pairs(&[("apiKey", API_KEY)]),
            json!({"clientguid": "g-1", "email": "jane@example.com", "name": "Jane", "g-recaptcha-response": "cap"}),
        ),
        (
            "send_sms",
            record_reply!(public: posted.clone(), c => c.one_touch().send_sms(&OneTouchPhone::new("+16045552368").name("Jane")).sms_template("s").voice_otp(false)).0,
            "POST",
            "/identity/v2/auth/onetouchlogin/phone",
            pairs(&[("apiKey", API_KEY), ("smsTemplate", "s"), ("isVoiceOtp", "false")]),
            json!({"phone": "+16045552368", "name": "Jane"}),
        ),
        (
            "verify_otp",
            record_reply!(public: json!({"access_token": "at"}), c => c.one_touch().verify_otp("+16045552368", "123456").fields("Uid").sms_template("s")).0,
            "PUT",
            "/identity/v2/auth/onetouchlogin/phone/verify",
            pairs(&[("apiKey", API_KEY), ("otp", "123456"), ("fields", "Uid"), ("smsTemplate", "s")]),
            json!({"phone": "+16045552368"}),
        ),
    ];
    for (name, request, method, path, query, body) in table {
        let request = request.unwrap_or_else(|| panic!("{name}: nothing sent"));
        assert_eq!(request.method.as_str(), method, "{name}");
        assert_eq!(request.path(), path, "{name}");
        assert_eq!(request.query(), query, "{name}");
        let expected = String::from_utf8(loginradius::wire::json::to_vec(&body).unwrap()).unwrap();
        assert_eq!(
            std::str::from_utf8(&request.body).unwrap(),
            expected,
            "{name}: body"
        );
    }
}

#[tokio::test]
async fn link_verification_and_ping() {
    let (r, v) = record_reply!(public: json!({"IsPosted": true, "IsVerified": true}), c => c.one_touch().verify_link("vt-1").welcome_email_template("w"));
    let r = r.unwrap();
    assert_eq!(
        (r.method.as_str(), r.path()),
        ("GET", "/identity/v2/auth/email/onetouchlogin")
    );
    assert_eq!(
        r.query(),
        pairs(&[
            ("apiKey", API_KEY),
            ("verificationToken", "vt-1"),
            ("welcomeEmailTemplate", "w")
        ])
    );
    assert!(v.unwrap().is_verified);

    let (r, login) = record_reply!(public: json!({"Profile": {"Uid": "u1"}, "access_token": "at-1"}), c => c.one_touch().ping("g-1"));
    let r = r.unwrap();
    assert_eq!(r.path(), "/identity/v2/auth/login/smartlogin/ping");
    assert_eq!(
        r.query(),
        pairs(&[("apiKey", API_KEY), ("clientGuid", "g-1")])
    );
    assert_eq!(login.unwrap().profile.unwrap().uid, "u1");
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let (sent, r) = record_reply!(public: json!({}), c => c.one_touch().send_email_link(&OneTouchEmail::new("", "g")));
    assert!(sent.is_none() && matches!(r, Err(Error::InvalidInput { field: "email", .. })));
    let (sent, r) = record_reply!(public: json!({}), c => c.one_touch().send_email_link(&OneTouchEmail::new("a@b.c", " ")));
    assert!(
        sent.is_none()
            && matches!(
                r,
                Err(Error::InvalidInput {
                    field: "client_guid",
                    ..
                })
            )
    );
    let (sent, r) =
        record_reply!(public: json!({}), c => c.one_touch().send_sms(&OneTouchPhone::new("")));
    assert!(sent.is_none() && matches!(r, Err(Error::InvalidInput { field: "phone", .. })));
    let (sent, r) = record_reply!(public: json!({}), c => c.one_touch().verify_otp("+1", ""));
    assert!(sent.is_none() && matches!(r, Err(Error::InvalidInput { field: "otp", .. })));
    let (sent, r) = record_reply!(public: json!({}), c => c.one_touch().verify_otp("", "1"));
    assert!(sent.is_none() && matches!(r, Err(Error::InvalidInput { field: "phone", .. })));
}
