//! Account management through a recording transport: exact bodies, query values, the secret
//! header or signature, input checks and typed answers.

use crate::support::{
    API_KEY, API_SECRET, UID, assert_named_refused_before_sending, client, client_with_signing,
    record_call,
};
use loginradius::Error;
use loginradius::models::{EmailAddress, NewAccount};
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

const REFRESH: &str = "6e2b5c1a-0c2f-4b7a-9d3e-c1e2d5a3b4f4";

fn email(kind: &str, value: &str) -> EmailAddress {
    EmailAddress {
        kind: kind.into(),
        value: value.into(),
    }
}

#[tokio::test]
async fn every_body_is_exactly_what_the_service_expects() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let a = c.account();
    let new_account = NewAccount::with_email("jane@example.com", "S3cret!pass")
        .first_name("Jane")
        .email_verified(true)
        .field("CustomFields", json!({"plan": "pro"}));
    let cases: Vec<(&str, RecordedRequest, http::Method, String, Value)> = vec![
        (
            "create",
            record_call(&t, a.create(&new_account)).await,
            http::Method::POST,
            "/identity/v2/manage/account".into(),
            json!({"Email": [{"Type": "Primary", "Value": "jane@example.com"}], "Password": "S3cret!pass",
                   "FirstName": "Jane", "EmailVerified": true, "CustomFields": {"plan": "pro"}}),
        ),
        (
            "update",
            record_call(
                &t,
                a.update(UID, &json!({"FirstName": "Janet", "About": null})),
            )
            .await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}"),
            json!({"FirstName": "Janet", "About": null}),
        ),
        (
            "set_phone",
            record_call(&t, a.set_phone(UID, "+16045552368")).await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}/phoneid"),
            json!({"phone": "+16045552368"}),
        ),
        (
            "set_password",
            record_call(&t, a.set_password(UID, "N3w!pass")).await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}/password"),
            json!({"password": "N3w!pass"}),
        ),
        (
            "delete",
            record_call(&t, a.delete(UID)).await,
            http::Method::DELETE,
            format!("/identity/v2/manage/account/{UID}"),
            json!({}),
        ),
        (
            "invalidate_email_verification",
            record_call(&t, a.invalidate_email_verification(UID)).await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}/invalidateemail"),
            json!({}),
        ),
        (
            "forgot_password_token",
            record_call(&t, a.forgot_password_token("jane@example.com")).await,
            http::Method::POST,
            "/identity/v2/manage/account/forgot/token".into(),
            json!({"email": "jane@example.com"}),
        ),
        (
            "email_verification_token",
            record_call(&t, a.email_verification_token("jane@example.com")).await,
            http::Method::POST,
            "/identity/v2/manage/account/verify/token".into(),
            json!({"email": "jane@example.com"}),
        ),
        (
            "invalidate_phone_verification",
            record_call(&t, a.invalidate_phone_verification(UID)).await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}/invalidatephone"),
            json!({}),
        ),
        (
            "upsert_email",
            record_call(
                &t,
                a.upsert_email(UID, [email("Secondary", "jane@work.example")]),
            )
            .await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}/email"),
            json!({"Email": [{"Type": "Secondary", "Value": "jane@work.example"}]}),
        ),
        (
            "remove_email",
            record_call(&t, a.remove_email(UID, "jane@work.example")).await,
            http::Method::DELETE,
            format!("/identity/v2/manage/account/{UID}/email"),
            json!({"email": "jane@work.example"}),
        ),
        (
            "revoke_all_refresh_tokens",
            record_call(&t, a.revoke_all_refresh_tokens(UID)).await,
            http::Method::DELETE,
            format!("/identity/v2/manage/account/{UID}/access_token/refresh/revoke"),
            json!({}),
        ),
        (
            "generate_email_token",
            record_call(
                &t,
                a.generate_email_token(
                    "emailverification",
                    &json!({"Email": "jane@example.com", "Uid": UID}),
                ),
            )
            .await,
            http::Method::POST,
            "/identity/v2/manage/account/emailtoken/emailverification".into(),
            json!({"Email": "jane@example.com", "Uid": UID}),
        ),
        (
            "delete_by_email",
            record_call(&t, a.delete_by_email("jane@example.com")).await,
            http::Method::DELETE,
            "/identity/v2/manage/account".into(),
            json!({}),
        ),
        (
            "generate_sms_otp",
            record_call(
                &t,
                a.generate_sms_otp("phoneverification", &json!({"Phone": "+16045552368"})),
            )
            .await,
            http::Method::POST,
            "/identity/v2/manage/account/smsotp/phoneverification".into(),
            json!({"Phone": "+16045552368"}),
        ),
        (
            "change_uid",
            record_call(&t, a.change_uid(UID, "0123456789abcdef0123456789abcdef")).await,
            http::Method::PUT,
            "/identity/v2/manage/account/uid".into(),
            json!({"NewUid": "0123456789abcdef0123456789abcdef"}),
        ),
    ];
    for (name, r, method, path, body) in cases {
        assert_eq!(r.method, method, "{name}");
        assert_eq!(r.path(), path, "{name}");
        assert_eq!(r.json(), Some(body), "{name}: body");
        assert_eq!(
            r.header("x-loginradius-apisecret"),
            Some(API_SECRET),
            "{name}: secret header"
        );
        assert_eq!(r.header("authorization"), None, "{name}");
    }
    let r = record_call(&t, a.set_password(UID, "N3w!pass")).await;
    assert_eq!(
        std::str::from_utf8(&r.body).unwrap(),
        r#"{"password": "N3w!pass"}"#
    );
}

#[tokio::test]
async fn lookups_send_their_key_in_the_query_encoded() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let cases: Vec<(RecordedRequest, &str, &str, &str)> = vec![
        (
            record_call(
                &t,
                c.account()
                    .by_email("jane+tag&x=1#f@example.com")
                    .fields("Uid,Email"),
            )
            .await,
            "/identity/v2/manage/account",
            "email",
            "jane+tag&x=1#f@example.com",
        ),
        (
            record_call(&t, c.account().by_username("jane doe").fields("Uid,Email")).await,
            "/identity/v2/manage/account",
            "userName",
            "jane doe",
        ),
        (
            record_call(&t, c.account().by_phone("+16045552368").fields("Uid,Email")).await,
            "/identity/v2/manage/account",
            "phone",
            "+16045552368",
        ),
        (
            record_call(
                &t,
                c.account()
                    .identities_by_email("jane@example.com")
                    .fields("Uid,Email"),
            )
            .await,
            "/identity/v2/manage/account/identities",
            "email",
            "jane@example.com",
        ),
    ];
    for (r, path, name, value) in cases {
        assert_eq!(r.method, http::Method::GET);
        assert!(r.body.is_empty());
        assert_eq!(r.path(), path);
        assert_eq!(
            r.query(),
            vec![
                ("apiKey".to_owned(), API_KEY.to_owned()),
                (name.to_owned(), value.to_owned()),
                ("fields".to_owned(), "Uid,Email".to_owned()),
            ]
        );
    }
    let r = record_call(&t, c.account().by_email("jane+tag@example.com")).await;
    assert!(
        r.url.contains("email=jane%2Btag"),
        "a `+` must not reach the server as a space: {}",
        r.url
    );
}

#[tokio::test]
async fn optional_query_values_go_out_as_typed() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let r = record_call(
        &t,
        c.account()
            .update(UID, &json!({"IsActive": false}))
            .null_support(true)
            .fields("Uid"),
    )
    .await;
    assert_eq!(r.query_value("nullSupport").as_deref(), Some("true"));
    assert_eq!(r.query_value("fields").as_deref(), Some("Uid"));

    let r = record_call(
        &t,
        c.account()
            .forgot_password_token("jane@example.com")
            .send_email(false)
            .reset_password_url("https://example.com/reset?x=1")
            .email_template("reset"),
    )
    .await;
    assert_eq!(r.query_value("sendEmail").as_deref(), Some("false"));
    assert_eq!(
        r.query_value("resetPasswordUrl").as_deref(),
        Some("https://example.com/reset?x=1")
    );
    assert_eq!(r.query_value("emailTemplate").as_deref(), Some("reset"));

    let r = record_call(
        &t,
        c.account()
            .invalidate_phone_verification(UID)
            .voice_otp(true)
            .sms_template("otp"),
    )
    .await;
    assert_eq!(r.query_value("isVoiceOtp").as_deref(), Some("true"));
    assert_eq!(r.query_value("smsTemplate").as_deref(), Some("otp"));

    let r = record_call(&t, c.account().invalidate_email_verification(UID)).await;
    assert_eq!(
        r.query(),
        vec![("apiKey".to_owned(), API_KEY.to_owned())],
        "unset optionals are omitted"
    );
}

#[tokio::test]
async fn tokens_and_uids_in_the_query() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let r = record_call(&t, c.account().refresh_access_token(REFRESH)).await;
    assert_eq!(r.path(), "/identity/v2/manage/account/access_token/refresh");
    assert_eq!(r.query_value("refresh_Token").as_deref(), Some(REFRESH));
    let r = record_call(&t, c.account().revoke_refresh_token(REFRESH)).await;
    assert_eq!(
        r.path(),
        "/identity/v2/manage/account/access_token/refresh/revoke"
    );
    assert_eq!(r.query_value("refresh_Token").as_deref(), Some(REFRESH));
    let r = record_call(&t, c.account().access_token(UID)).await;
    assert_eq!(r.path(), "/identity/v2/manage/account/access_token");
    assert_eq!(r.query_value("uid").as_deref(), Some(UID));
    let r = record_call(&t, c.account().change_uid(UID, "new")).await;
    assert_eq!(r.query_value("uid").as_deref(), Some(UID));
}

#[tokio::test]
async fn signing_replaces_the_secret_header() {
    let t = RecordingTransport::new();
    let c = client_with_signing(&t, true);
    for r in [
        record_call(&t, c.account().get(UID)).await,
        record_call(&t, c.account().set_password(UID, "N3w!pass")).await,
    ] {
        assert_eq!(r.header("x-loginradius-apisecret"), None);
        assert!(
            r.header("digest")
                .is_some_and(|d| d.starts_with("SHA-256="))
        );
        assert!(r.header("x-request-expires").is_some());
        assert!(!r.url.contains(API_SECRET));
    }
}

#[tokio::test]
async fn answers_decode_into_typed_models() {
    let t = RecordingTransport::new();
    let c = client(&t);

    t.reply_json(200, json!({"PasswordHash": "Rfc2898DeriveBytes$1000$abc"}));
    let hash = c.account().set_password(UID, "N3w!pass").await.unwrap();
    assert_eq!(hash.hash.expose(), "Rfc2898DeriveBytes$1000$abc");

    t.reply_json(
        200,
        json!({"ForgotToken": "ft", "IdentityProviders": ["Facebook"]}),
    );
    let forgot = c
        .account()
        .forgot_password_token("jane@example.com")
        .await
        .unwrap();
    assert_eq!(
        (forgot.token.expose(), forgot.identity_providers.as_slice()),
        ("ft", &["Facebook".to_owned()][..])
    );

    t.reply_json(
        200,
        json!({"VerificationToken": "vt", "expires_in": "2030-01-01T00:00:00Z"}),
    );
    let vt = c
        .account()
        .email_verification_token("jane@example.com")
        .await
        .unwrap();
    assert_eq!(vt.token.expose(), "vt");
    assert!(vt.expires_at.is_some());

    t.reply_json(
        200,
        json!({"access_token": "at", "refresh_token": "rt2", "expires_in": "2030-01-01T00:00:00Z"}),
    );
    let tokens = c.account().refresh_access_token(REFRESH).await.unwrap();
    assert_eq!(tokens.refresh_token.unwrap().expose(), "rt2");

    t.reply_json(200, json!({"Data": [{"Uid": "a"}, {"Uid": "b"}]}));
    let ids = c
        .account()
        .identities_by_email("jane@example.com")
        .await
        .unwrap();
    assert_eq!(
        ids.identities
            .iter()
            .map(|p| p.uid.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );

    t.reply_json(200, json!({"Uid": UID, "FirstName": "Jane", "Email": [{"Type": "Primary", "Value": "jane@example.com"}]}));
    let p = c.account().get(UID).await.unwrap();
    assert_eq!(p.primary_email(), Some("jane@example.com"));

    t.reply_json(200, json!({"IsDeleted": true}));
    assert!(
        c.account()
            .delete_by_email("jane@example.com")
            .await
            .unwrap()
            .is_deleted
    );

    t.reply_json(200, json!({"IsPosted": true}));
    assert!(
        c.account()
            .invalidate_phone_verification(UID)
            .await
            .unwrap()
            .is_posted
    );

    t.reply_json(
        403,
        json!({"ErrorCode": 938, "Message": "User does not exist", "Description": "x"}),
    );
    assert_eq!(c.account().get(UID).await.unwrap_err().code(), Some(938));
}

#[tokio::test]
async fn bad_input_never_reaches_the_transport() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let a = c.account();
    let results: Vec<(&str, Result<(), Error>)> = vec![
        ("empty uid", a.get("").await.map(drop)),
        ("dot-dot uid", a.delete("..").await.map(drop)),
        ("empty email lookup", a.by_email(" ").await.map(drop)),
        ("empty username", a.by_username("").await.map(drop)),
        ("empty password", a.set_password(UID, "").await.map(drop)),
        (
            "update with an array",
            a.update(UID, &json!(["FirstName"])).await.map(drop),
        ),
        (
            "update with null",
            a.update(UID, &Value::Null).await.map(drop),
        ),
        (
            "account with no identifier",
            a.create(&NewAccount::default()).await.map(drop),
        ),
        (
            "account with an empty email",
            a.create(&NewAccount::with_email("", "pw")).await.map(drop),
        ),
        (
            "no emails to upsert",
            a.upsert_email(UID, Vec::new()).await.map(drop),
        ),
        (
            "empty email value",
            a.upsert_email(UID, [email("Primary", "")]).await.map(drop),
        ),
        (
            "empty refresh token",
            a.refresh_access_token("").await.map(drop),
        ),
        (
            "empty token type",
            a.generate_email_token("", &json!({"Email": "a@b.c"}))
                .await
                .map(drop),
        ),
        ("empty new uid", a.change_uid(UID, "").await.map(drop)),
        ("empty phone", a.set_phone(UID, "").await.map(drop)),
    ];
    assert_named_refused_before_sending(results, &t);
}

#[test]
fn builders_never_show_secrets_in_debug() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let debug = format!(
        "{:?} {:?} {:?}",
        c.account().set_password(UID, "hunter2"),
        c.account().refresh_access_token(REFRESH),
        c.account()
            .create(&NewAccount::with_email("jane@example.com", "hunter2")),
    );
    assert!(
        !debug.contains("hunter2") && !debug.contains(REFRESH),
        "{debug}"
    );
}
