//! ReAuthenticationApi through a recording transport: exact bodies, Bearer or secret header
//! placement, signing of the server-side checks, input checks and answers.

use crate::support::{
    API_KEY, API_SECRET, TOKEN, UID, assert_refused_before_sending, client, pairs, record,
    record_with_signing,
};
use loginradius::models::SecurityAnswer;
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

const CHECK: &str = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";

#[tokio::test]
async fn user_steps_send_exact_bodies_with_the_bearer_token() {
    let cases: Vec<(&str, RecordedRequest, &str, &str, Option<Value>)> = vec![
        (
            "start",
            record(|c| async move {
                let _ = c.reauth().start(TOKEN).await;
            })
            .await,
            "GET",
            "/identity/v2/auth/account/reauth/2fa",
            None,
        ),
        (
            "verify_otp",
            record(|c| async move {
                let _ = c.reauth().verify_otp(TOKEN, "123456").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/account/reauth/2fa/otp",
            Some(json!({"otp": "123456"})),
        ),
        (
            "verify_backup_code",
            record(|c| async move {
                let _ = c.reauth().verify_backup_code(TOKEN, "02ea0-de2bd").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/account/reauth/2fa/backupcode",
            Some(json!({"backupcode": "02ea0-de2bd"})),
        ),
        (
            "verify_password",
            record(|c| async move {
                let _ = c.reauth().verify_password(TOKEN, "correct horse").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/account/reauth/password",
            Some(json!({"password": "correct horse"})),
        ),
        (
            "verify_pin",
            record(|c| async move {
                let _ = c.reauth().verify_pin(TOKEN, "4321").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/account/reauth/pin",
            Some(json!({"pin": "4321"})),
        ),
        (
            "verify_email_otp",
            record(|c| async move {
                let _ = c
                    .reauth()
                    .verify_email_otp(TOKEN, "jane@example.com", "654321")
                    .await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/account/reauth/2fa/otp/email/verify",
            Some(json!({"EmailId": "jane@example.com", "Otp": "654321"})),
        ),
        (
            "send_email_otp",
            record(|c| async move {
                let _ = c.reauth().send_email_otp(TOKEN, "jane@example.com").await;
            })
            .await,
            "GET",
            "/identity/v2/auth/account/reauth/2fa/otp/email",
            None,
        ),
        (
            "verify_security_answers",
            record(|c| async move {
                let _ = c
                    .reauth()
                    .verify_security_answers(
                        TOKEN,
                        [
                            SecurityAnswer::new("q1", "Paris"),
                            SecurityAnswer::new("q2", "Rex"),
                        ],
                    )
                    .await;
            })
            .await,
            "POST",
            "/identity/v2/auth/account/reauth/2fa/securityquestionanswer/verify",
            Some(
                json!({"securityquestionanswer": [{"QuestionId": "q1", "Answer": "Paris"}, {"QuestionId": "q2", "Answer": "Rex"}]}),
            ),
        ),
        (
            "verify_authenticator_code",
            record(|c| async move {
                let _ = c.reauth().verify_authenticator_code(TOKEN, "940482").await;
            })
            .await,
            "PUT",
            "/identity/v2/auth/account/reauth/2fa/authenticatorcode",
            Some(json!({"authenticatorcode": "940482"})),
        ),
    ];
    for (name, request, method, path, body) in cases {
        assert_eq!(request.method.as_str(), method, "{name}");
        assert_eq!(request.path(), path, "{name}");
        match body {
            Some(body) => assert_eq!(request.json(), Some(body), "{name}"),
            None => assert!(request.body.is_empty(), "{name}"),
        }
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{name}"
        );
        assert!(
            request.query_value("access_token").is_none(),
            "{name}: token only in the header"
        );
        assert!(
            request.header("x-loginradius-apisecret").is_none(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn server_checks_send_the_token_in_the_body_with_the_secret_or_a_signature() {
    for signing in [false, true] {
        let cases = [
            (
                "/reauth/2fa",
                record_with_signing(signing, |c| async move {
                    let _ = c.reauth().validate_otp_token(UID, CHECK).await;
                })
                .await,
            ),
            (
                "/reauth/password",
                record_with_signing(signing, |c| async move {
                    let _ = c.reauth().validate_password_token(UID, CHECK).await;
                })
                .await,
            ),
            (
                "/reauth/pin",
                record_with_signing(signing, |c| async move {
                    let _ = c.reauth().validate_pin_token(UID, CHECK).await;
                })
                .await,
            ),
        ];
        for (suffix, r) in cases {
            assert_eq!(r.method, http::Method::POST);
            assert_eq!(
                r.path(),
                format!("/identity/v2/manage/account/{UID}{suffix}")
            );
            assert_eq!(
                r.json(),
                Some(json!({"SecondFactorValidationToken": CHECK}))
            );
            assert_eq!(r.query(), vec![("apiKey".to_owned(), API_KEY.to_owned())]);
            assert!(r.header("authorization").is_none());
            if signing {
                assert!(r.header("x-loginradius-apisecret").is_none());
                assert!(
                    r.header("digest")
                        .is_some_and(|d| d.starts_with("SHA-256="))
                );
                assert!(r.header("x-request-expires").is_some());
            } else {
                assert_eq!(r.header("x-loginradius-apisecret"), Some(API_SECRET));
                assert!(r.header("digest").is_none());
            }
        }
    }
}

#[tokio::test]
async fn optional_query_values() {
    let r = record(|c| async move {
        let _ = c
            .reauth()
            .start(TOKEN)
            .sms_template_2fa("sms-2fa")
            .voice_otp(true)
            .await;
    })
    .await;
    assert_eq!(
        r.query(),
        pairs(&[
            ("apiKey", API_KEY),
            ("smsTemplate2FA", "sms-2fa"),
            ("isVoiceOtp", "true")
        ])
    );
    let r = record(|c| async move {
        let _ = c
            .reauth()
            .send_email_otp(TOKEN, "jane+1@example.com")
            .email_template_2fa("e-2fa")
            .await;
    })
    .await;
    assert_eq!(
        r.query(),
        pairs(&[
            ("apiKey", API_KEY),
            ("emailId", "jane+1@example.com"),
            ("emailTemplate2FA", "e-2fa")
        ])
    );
    assert!(
        r.url.contains("emailId=jane%2B1"),
        "a `+` must not turn into a space: {}",
        r.url
    );
    let r = record(|c| async move {
        let _ = c
            .reauth()
            .verify_pin(TOKEN, "1")
            .sms_template_2fa("s")
            .await;
    })
    .await;
    assert_eq!(r.query_value("smsTemplate2FA").as_deref(), Some("s"));
}

#[tokio::test]
async fn blank_input_never_reaches_the_transport() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let r = c.reauth();
    let results = [
        r.start("").await.map(drop),
        r.verify_otp(TOKEN, "").await.map(drop),
        r.verify_otp("", "1").await.map(drop),
        r.verify_backup_code(TOKEN, " ").await.map(drop),
        r.verify_password(TOKEN, "").await.map(drop),
        r.verify_pin(TOKEN, "").await.map(drop),
        r.verify_email_otp(TOKEN, "", "1").await.map(drop),
        r.verify_email_otp(TOKEN, "jane@example.com", "")
            .await
            .map(drop),
        r.send_email_otp(TOKEN, "").await.map(drop),
        r.verify_security_answers(TOKEN, []).await.map(drop),
        r.verify_security_answers(TOKEN, [SecurityAnswer::new("q1", "")])
            .await
            .map(drop),
        r.verify_authenticator_code(TOKEN, "").await.map(drop),
        r.validate_otp_token("", CHECK).await.map(drop),
        r.validate_password_token(UID, "").await.map(drop),
        r.validate_pin_token("..", CHECK).await.map(drop),
    ];
    assert_refused_before_sending(results, &transport);
}

#[tokio::test]
async fn answers_are_decoded() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    transport.reply_json(
        200,
        json!({"SecondFactorValidationToken": CHECK, "ExpireIn": "2030-01-01T00:00:00Z"}),
    );
    let step = c.reauth().verify_password(TOKEN, "pw").await.unwrap();
    assert_eq!(step.token.expose(), CHECK);

    transport.reply_json(200, json!({"IsValid": true}));
    assert!(
        c.reauth()
            .validate_password_token(UID, CHECK)
            .await
            .unwrap()
            .is_valid
    );

    transport.reply_json(200, json!({"IsPosted": true}));
    assert!(
        c.reauth()
            .send_email_otp(TOKEN, "jane@example.com")
            .await
            .unwrap()
            .is_posted
    );

    transport.reply_json(
        403,
        json!({"ErrorCode": 1132, "Message": "locked", "Description": "x"}),
    );
    assert_eq!(
        c.reauth().verify_otp(TOKEN, "1").await.unwrap_err().code(),
        Some(1132)
    );
}
