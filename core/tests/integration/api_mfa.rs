//! Multi-factor authentication through a recording transport: exact bodies, where the MFA
//! token, access token and API secret travel, input checks, and the two shapes of the MFA
//! login answer.

use crate::support::{
    API_KEY, API_SECRET, TOKEN, UID, assert_named_refused_before_sending, client,
    client_with_signing, record_call,
};
use loginradius::Error;
use loginradius::models::{MfaLoginOutcome, SecurityAnswer};
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

const MFA_TOKEN: &str = "b1fbbba5-2a5e-41a2-96da-c216df36e6f4";

fn answers() -> Vec<SecurityAnswer> {
    vec![
        SecurityAnswer::new("q1", "Rex"),
        SecurityAnswer::new("q2", "Paris"),
    ]
}

#[tokio::test]
async fn every_body_is_exactly_what_the_service_expects() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let m = c.mfa();
    let answers_json =
        json!([{"QuestionId": "q1", "Answer": "Rex"}, {"QuestionId": "q2", "Answer": "Paris"}]);
    let cases: Vec<(&str, RecordedRequest, Value)> = vec![
        (
            "login_by_email",
            record_call(&t, m.login_by_email("jane@example.com", "pw")).await,
            json!({"email": "jane@example.com", "password": "pw"}),
        ),
        (
            "login_by_username",
            record_call(&t, m.login_by_username("jane", "pw")).await,
            json!({"username": "jane", "password": "pw"}),
        ),
        (
            "login_by_phone",
            record_call(&t, m.login_by_phone("+16045552368", "pw")).await,
            json!({"phone": "+16045552368", "password": "pw"}),
        ),
        (
            "verify_authenticator_code",
            record_call(&t, m.verify_authenticator_code(MFA_TOKEN, "123456")).await,
            json!({"authenticatorcode": "123456"}),
        ),
        (
            "verify_sms_otp",
            record_call(&t, m.verify_sms_otp(MFA_TOKEN, "654321")).await,
            json!({"otp": "654321"}),
        ),
        (
            "verify_backup_code",
            record_call(&t, m.verify_backup_code(MFA_TOKEN, "02ea0-de2bd")).await,
            json!({"backupcode": "02ea0-de2bd"}),
        ),
        (
            "set_login_sms_phone",
            record_call(&t, m.set_login_sms_phone(MFA_TOKEN, "+16045552368")).await,
            json!({"phoneNo2FA": "+16045552368"}),
        ),
        (
            "send_email_otp",
            record_call(&t, m.send_email_otp(MFA_TOKEN, "jane@example.com")).await,
            json!({"emailid": "jane@example.com"}),
        ),
        (
            "verify_email_otp",
            record_call(
                &t,
                m.verify_email_otp(MFA_TOKEN, "jane@example.com", "111222"),
            )
            .await,
            json!({"emailid": "jane@example.com", "otp": "111222"}),
        ),
        (
            "set_security_answers",
            record_call(&t, m.set_security_answers(MFA_TOKEN, answers())).await,
            json!({"securityquestionanswer": answers_json}),
        ),
        (
            "verify_security_answers",
            record_call(&t, m.verify_security_answers(MFA_TOKEN, answers())).await,
            json!({"securityquestionanswer": answers_json}),
        ),
        (
            "enable_authenticator",
            record_call(&t, m.enable_authenticator(TOKEN, "123456")).await,
            json!({"authenticatorcode": "123456"}),
        ),
        (
            "enable_sms_otp",
            record_call(&t, m.enable_sms_otp(TOKEN, "654321")).await,
            json!({"otp": "654321"}),
        ),
        (
            "set_sms_phone",
            record_call(&t, m.set_sms_phone(TOKEN, "+16045552368")).await,
            json!({"phoneNo2FA": "+16045552368"}),
        ),
        (
            "enable_email_otp",
            record_call(&t, m.enable_email_otp(TOKEN, "jane@example.com", "111222")).await,
            json!({"emailid": "jane@example.com", "otp": "111222"}),
        ),
        (
            "enable_security_questions",
            record_call(&t, m.enable_security_questions(TOKEN, answers(), true)).await,
            json!({"securityquestionanswer": answers_json, "ReplaceSecurityQuestionAnswer": true}),
        ),
        (
            "reset_authenticator",
            record_call(&t, m.reset_authenticator(TOKEN)).await,
            json!({"authenticator": true}),
        ),
        (
            "reset_sms_otp",
            record_call(&t, m.reset_sms_otp(TOKEN)).await,
            json!({"otpauthenticator": true}),
        ),
        (
            "reset_email_otp",
            record_call(&t, m.reset_email_otp(TOKEN)).await,
            json!({}),
        ),
        (
            "reset_security_questions",
            record_call(&t, m.reset_security_questions(TOKEN)).await,
            json!({}),
        ),
        (
            "reset_authenticator_for_user",
            record_call(&t, m.reset_authenticator_for_user(UID)).await,
            json!({"authenticator": true}),
        ),
        (
            "reset_sms_otp_for_user",
            record_call(&t, m.reset_sms_otp_for_user(UID)).await,
            json!({"otpauthenticator": true}),
        ),
        (
            "reset_email_otp_for_user",
            record_call(&t, m.reset_email_otp_for_user(UID)).await,
            json!({}),
        ),
        (
            "reset_security_questions_for_user",
            record_call(&t, m.reset_security_questions_for_user(UID)).await,
            json!({}),
        ),
    ];
    for (name, request, body) in cases {
        assert_eq!(request.json(), Some(body), "{name}: body");
        assert_eq!(
            request.header("content-type"),
            Some("application/json"),
            "{name}"
        );
    }
    // The reference SDK's byte format, so signed bodies match it exactly.
    let r = record_call(
        &t,
        m.verify_email_otp(MFA_TOKEN, "jane@example.com", "111222"),
    )
    .await;
    assert_eq!(
        std::str::from_utf8(&r.body).unwrap(),
        r#"{"emailid": "jane@example.com", "otp": "111222"}"#
    );
}

#[tokio::test]
async fn reads_send_no_body() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let m = c.mfa();
    for r in [
        record_call(&t, m.settings(TOKEN)).await,
        record_call(&t, m.backup_codes(TOKEN)).await,
        record_call(&t, m.reset_backup_codes(TOKEN)).await,
        record_call(&t, m.send_setup_email_otp(TOKEN, "jane@example.com")).await,
        record_call(&t, m.resend_sms_otp(MFA_TOKEN)).await,
        record_call(&t, m.backup_codes_for_user(UID)).await,
        record_call(&t, m.reset_backup_codes_for_user(UID)).await,
    ] {
        assert_eq!(r.method, http::Method::GET);
        assert!(r.body.is_empty(), "{}", r.url);
    }
}

#[tokio::test]
async fn the_mfa_token_travels_in_the_query_under_the_catalog_name_and_nothing_else_does() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let r = record_call(
        &t,
        c.mfa()
            .verify_sms_otp(MFA_TOKEN, "654321")
            .fields("Uid")
            .sms_template_2fa("t2"),
    )
    .await;
    assert_eq!(r.path(), "/identity/v2/auth/login/2fa/verification/otp");
    assert_eq!(r.method, http::Method::PUT);
    assert_eq!(
        r.query(),
        vec![
            ("apiKey".to_owned(), API_KEY.to_owned()),
            (
                "secondFactorAuthenticationToken".to_owned(),
                MFA_TOKEN.to_owned()
            ),
            ("fields".to_owned(), "Uid".to_owned()),
            ("smsTemplate2FA".to_owned(), "t2".to_owned()),
        ]
    );
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.header("x-loginradius-apisecret"), None);

    // The authenticator-code step is spelled in lowercase in the catalog.
    let r = record_call(&t, c.mfa().verify_authenticator_code(MFA_TOKEN, "123456")).await;
    assert_eq!(
        r.path(),
        "/identity/v2/auth/login/2fa/verification/authenticatorcode"
    );
    assert_eq!(
        r.query_value("secondfactorauthenticationtoken").as_deref(),
        Some(MFA_TOKEN)
    );
    assert_eq!(r.query_value("secondFactorAuthenticationToken"), None);
}

#[tokio::test]
async fn login_options_go_out_as_typed_and_unset_ones_are_omitted() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let r = record_call(&t, c.mfa().login_by_email("jane+mfa@example.com", "pw")).await;
    assert_eq!(r.path(), "/identity/v2/auth/login/2fa");
    assert_eq!(
        r.query(),
        vec![("apiKey".to_owned(), API_KEY.to_owned())],
        "no default is sent"
    );

    let r = record_call(
        &t,
        c.mfa()
            .login_by_email("jane+mfa@example.com", "pw")
            .voice_otp(false)
            .email_template_2fa("mfa email")
            .options("PreventVerificationEmail"),
    )
    .await;
    assert_eq!(r.query_value("isVoiceOtp").as_deref(), Some("false"));
    assert_eq!(
        r.query_value("emailTemplate2FA").as_deref(),
        Some("mfa email")
    );
    assert!(r.url.contains("emailTemplate2FA=mfa%20email"), "{}", r.url);
    assert_eq!(
        r.query_value("options").as_deref(),
        Some("PreventVerificationEmail")
    );
    assert_eq!(r.json().unwrap()["email"], "jane+mfa@example.com");
}

#[tokio::test]
async fn signed_in_calls_carry_the_bearer_token_only_in_the_header() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let r = record_call(&t, c.mfa().settings(TOKEN).voice_otp(true)).await;
    assert_eq!(r.path(), "/identity/v2/auth/account/2fa");
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        r.query(),
        vec![
            ("apiKey".to_owned(), API_KEY.to_owned()),
            ("isVoiceOtp".to_owned(), "true".to_owned())
        ]
    );
    assert!(!r.url.contains(TOKEN));

    let r = record_call(
        &t,
        c.mfa()
            .send_setup_email_otp(TOKEN, "jane@example.com")
            .email_template_2fa("t"),
    )
    .await;
    assert_eq!(r.path(), "/identity/v2/auth/account/2fa/otp/email");
    assert_eq!(
        r.query_value("emailId").as_deref(),
        Some("jane@example.com")
    );
    assert_eq!(r.query_value("emailTemplate2FA").as_deref(), Some("t"));
    assert_eq!(r.header("x-loginradius-apisecret"), None);
}

#[tokio::test]
async fn admin_calls_send_the_uid_in_the_query_and_the_secret_or_a_signature() {
    let t = RecordingTransport::new();
    let r = record_call(&t, client(&t).mfa().reset_authenticator_for_user(UID)).await;
    assert_eq!(r.method, http::Method::DELETE);
    assert_eq!(r.path(), "/identity/v2/manage/account/2fa/authenticator");
    assert_eq!(r.query_value("uid").as_deref(), Some(UID));
    assert_eq!(r.header("x-loginradius-apisecret"), Some(API_SECRET));
    assert_eq!(r.header("authorization"), None);

    let signed = client_with_signing(&t, true);
    let r = record_call(&t, signed.mfa().backup_codes_for_user(UID)).await;
    assert_eq!(r.path(), "/identity/v2/manage/account/2fa/backupcode");
    assert_eq!(r.header("x-loginradius-apisecret"), None);
    assert!(
        r.header("digest")
            .is_some_and(|d| d.starts_with("SHA-256="))
    );
    assert!(r.header("x-request-expires").is_some());
}

#[tokio::test]
async fn a_challenge_answer_becomes_a_challenge_never_a_login() {
    let t = RecordingTransport::new();
    t.reply_json(
        200,
        json!({
            "SecondFactorAuthentication": {
                "SecondFactorAuthenticationToken": MFA_TOKEN,
                "ExpireIn": "2021-04-06T08:36:53.3005592Z",
                "QRCode": "http://chart.googleapis.com/chart?cht=qr&chs=150x150&chl=otpauth%3A%2F%2Ftotp%2Fjane%40example.com%3Fsecret%3DHBRWENLD%26issuer%3Ddemo",
                "ManualEntryCode": "HBRWENLD",
                "IsAuthenticatorVerified": false,
                "IsGoogleAuthenticatorVerified": false
            },
            "Profile": null,
            "access_token": "00000000-0000-0000-0000-000000000000",
            "expires_in": "0001-01-01T00:00:00"
        }),
    );
    let outcome = client(&t)
        .mfa()
        .login_by_email("jane@example.com", "pw")
        .await
        .unwrap();
    let MfaLoginOutcome::Challenge(challenge) = outcome else {
        panic!("expected a challenge");
    };
    assert_eq!(challenge.token.expose(), MFA_TOKEN);
    assert!(challenge.settings.needs_authenticator_setup());
    assert_eq!(
        challenge.settings.otpauth_uri().as_deref(),
        Some("otpauth://totp/jane@example.com?secret=HBRWENLD&issuer=demo")
    );
    assert!(!format!("{challenge:?}").contains("HBRWENLD"));
}

#[tokio::test]
async fn a_complete_answer_becomes_a_login() {
    let t = RecordingTransport::new();
    t.reply_json(
        200,
        json!({
            "SecondFactorAuthentication": null,
            "Profile": {"Uid": UID, "Email": [{"Type": "Primary", "Value": "jane@example.com"}]},
            "access_token": TOKEN,
            "refresh_token": "6e2b5c1a-0c2f-4b7a-9d3e-c1e2d5a3b4f4",
            "expires_in": "2030-01-01T00:00:00Z"
        }),
    );
    let outcome = client(&t)
        .mfa()
        .login_by_username("jane", "pw")
        .await
        .unwrap();
    let login = outcome.into_login().expect("login");
    assert_eq!(login.access_token.expose(), TOKEN);
    assert_eq!(login.profile.unwrap().uid, UID);
}

#[tokio::test]
async fn a_placeholder_token_without_a_challenge_is_a_decode_error() {
    let t = RecordingTransport::new();
    t.reply_json(
        200,
        json!({"SecondFactorAuthentication": null, "Profile": null,
               "access_token": "00000000-0000-0000-0000-000000000000", "expires_in": "0001-01-01T00:00:00"}),
    );
    let e = client(&t)
        .mfa()
        .login_by_phone("+16045552368", "pw")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
}

#[tokio::test]
async fn second_step_and_account_answers_decode() {
    let t = RecordingTransport::new();
    let c = client(&t);
    t.reply_json(200, json!({"Profile": {"Uid": UID}, "access_token": TOKEN, "expires_in": "2030-01-01T00:00:00Z"}));
    let login = c
        .mfa()
        .verify_backup_code(MFA_TOKEN, "02ea0-de2bd")
        .await
        .unwrap();
    assert_eq!(login.access_token.expose(), TOKEN);

    t.reply_json(200, json!({"AccountSid": null, "Sid": "8071aba1"}));
    let sms = c.mfa().resend_sms_otp(MFA_TOKEN).await.unwrap();
    assert_eq!(sms.sid.as_deref(), Some("8071aba1"));

    t.reply_json(200, json!({"BackUpCodes": ["02ea0-de2bd", "a1b2c-d3e4f"]}));
    let codes = c.mfa().reset_backup_codes(TOKEN).await.unwrap();
    assert_eq!(codes.codes.len(), 2);

    t.reply_json(200, json!({"IsDeleted": true}));
    assert!(
        c.mfa()
            .reset_sms_otp_for_user(UID)
            .await
            .unwrap()
            .is_deleted
    );

    t.reply_json(200, json!({"Uid": UID, "EmailVerified": true}));
    assert_eq!(
        c.mfa()
            .enable_authenticator(TOKEN, "123456")
            .await
            .unwrap()
            .uid,
        UID
    );

    t.reply_json(403, json!({"ErrorCode": 1102, "Message": "The two-factor authenticator code is incorrect", "Description": "x"}));
    let e = c
        .mfa()
        .verify_authenticator_code(MFA_TOKEN, "000000")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(1102));
}

#[tokio::test]
async fn missing_tokens_codes_and_answers_never_reach_the_transport() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let m = c.mfa();
    let results: Vec<(&str, Result<(), Error>)> = vec![
        (
            "empty mfa token",
            m.verify_authenticator_code("", "123456").await.map(drop),
        ),
        (
            "blank mfa token",
            m.verify_sms_otp("  ", "123456").await.map(drop),
        ),
        (
            "mfa token with newline",
            m.resend_sms_otp("a\nb").await.map(drop),
        ),
        (
            "empty code",
            m.verify_authenticator_code(MFA_TOKEN, "").await.map(drop),
        ),
        (
            "empty backup code",
            m.verify_backup_code(MFA_TOKEN, " ").await.map(drop),
        ),
        (
            "empty password",
            m.login_by_email("jane@example.com", "").await.map(drop),
        ),
        ("empty email", m.login_by_email("", "pw").await.map(drop)),
        (
            "empty phone",
            m.set_login_sms_phone(MFA_TOKEN, "").await.map(drop),
        ),
        (
            "no answers",
            m.verify_security_answers(MFA_TOKEN, Vec::new())
                .await
                .map(drop),
        ),
        (
            "blank answer",
            m.set_security_answers(MFA_TOKEN, [SecurityAnswer::new("q1", "")])
                .await
                .map(drop),
        ),
        (
            "empty question id",
            m.enable_security_questions(TOKEN, [SecurityAnswer::new("", "a")], false)
                .await
                .map(drop),
        ),
        ("empty access token", m.settings("").await.map(drop)),
        (
            "header injection",
            m.backup_codes("t\r\nX-Evil: 1").await.map(drop),
        ),
        (
            "empty uid",
            m.reset_authenticator_for_user("").await.map(drop),
        ),
        (
            "empty setup email",
            m.send_setup_email_otp(TOKEN, "").await.map(drop),
        ),
    ];
    assert_named_refused_before_sending(results, &t);
}

#[test]
fn builders_never_show_tokens_in_debug() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let debug = format!(
        "{:?} {:?} {:?}",
        c.mfa().verify_authenticator_code(MFA_TOKEN, "123456"),
        c.mfa().settings(TOKEN),
        c.mfa().login_by_email("jane@example.com", "hunter2"),
    );
    for secret in [MFA_TOKEN, TOKEN, "123456", "hunter2"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}
