//! `client.auth()` through a recording transport: exact bodies, query values and headers,
//! input checks before any request, and typed responses.

use crate::support::{API_KEY, TOKEN, client, pairs, wire};
use crate::{assert_refused, record_reply};
use loginradius::models::{ProfileUpdate, Registration};
use loginradius::transport::{RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

fn sent(request: Option<RecordedRequest>) -> RecordedRequest {
    request.expect("a request was sent")
}

#[tokio::test]
async fn every_auth_call_with_a_body_sends_exactly_this_json() {
    let table: Vec<(&str, Option<RecordedRequest>, &str, &str, Value)> = vec![
        (
            "login_by_email",
            record_reply!(c => c.auth().login_by_email("jane@example.com", "pw 1")).0,
            "POST",
            "/identity/v2/auth/login",
            json!({"email": "jane@example.com", "password": "pw 1"}),
        ),
        (
            "login_by_username",
            record_reply!(c => c.auth().login_by_username("jane", "pw 1")).0,
            "POST",
            "/identity/v2/auth/login",
            json!({"username": "jane", "password": "pw 1"}),
        ),
        (
            "update_profile",
            record_reply!(c => c.auth().update_profile(TOKEN, &ProfileUpdate::new().first_name("Zoë").custom_field("plan", "pro").clear("NickName"))).0,
            "PUT",
            "/identity/v2/auth/account",
            json!({"FirstName": "Zoë", "CustomFields": {"plan": "pro"}, "NickName": null}),
        ),
        (
            "unlock_account",
            record_reply!(c => c.auth().unlock_account(TOKEN, &json!({"g-recaptcha-response": "cap"}))).0,
            "PUT",
            "/identity/v2/auth/account/unlock",
            json!({"g-recaptcha-response": "cap"}),
        ),
        (
            "verify_email_by_otp",
            record_reply!(c => c.auth().verify_email_by_otp("jane@example.com", "123456")).0,
            "PUT",
            "/identity/v2/auth/email",
            json!({"email": "jane@example.com", "otp": "123456"}),
        ),
        (
            "add_email",
            record_reply!(c => c.auth().add_email(TOKEN, "jane@work.example.com", "Secondary")).0,
            "POST",
            "/identity/v2/auth/email",
            json!({"email": "jane@work.example.com", "type": "Secondary"}),
        ),
        (
            "remove_email",
            record_reply!(c => c.auth().remove_email(TOKEN, "jane@work.example.com")).0,
            "DELETE",
            "/identity/v2/auth/email",
            json!({"email": "jane@work.example.com"}),
        ),
        (
            "forgot_password",
            record_reply!(c => c.auth().forgot_password("jane@example.com", "https://app.example.com/reset")).0,
            "POST",
            "/identity/v2/auth/password",
            json!({"email": "jane@example.com"}),
        ),
        (
            "reset_password_by_email_answer",
            record_reply!(c => c.auth().reset_password_by_email_answer("jane@example.com", [("q1", "Rex")], "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/securityanswer",
            json!({"email": "jane@example.com", "password": "new pw", "securityAnswer": {"q1": "Rex"}}),
        ),
        (
            "reset_password_by_phone_answer",
            record_reply!(c => c.auth().reset_password_by_phone_answer("+16045552368", vec![("q1".to_string(), "Rex".to_string())], "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/securityanswer",
            json!({"phone": "+16045552368", "password": "new pw", "securityAnswer": {"q1": "Rex"}}),
        ),
        (
            "reset_password_by_username_answer",
            record_reply!(c => c.auth().reset_password_by_username_answer("jane", [("q1", "Rex"), ("q2", "Paris")], "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/securityanswer",
            json!({"userName": "jane", "password": "new pw", "securityAnswer": {"q1": "Rex", "q2": "Paris"}}),
        ),
        (
            "reset_password",
            record_reply!(c => c.auth().reset_password("reset-token-1", "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/reset",
            json!({"resetToken": "reset-token-1", "password": "new pw"}),
        ),
        (
            "reset_password_by_email_otp",
            record_reply!(c => c.auth().reset_password_by_email_otp("jane@example.com", "123456", "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/reset",
            json!({"email": "jane@example.com", "otp": "123456", "password": "new pw"}),
        ),
        (
            "reset_password_by_username_otp",
            record_reply!(c => c.auth().reset_password_by_username_otp("jane", "123456", "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/reset",
            json!({"userName": "jane", "otp": "123456", "password": "new pw"}),
        ),
        (
            "change_password",
            record_reply!(c => c.auth().change_password(TOKEN, "old pw", "new pw")).0,
            "PUT",
            "/identity/v2/auth/password/change",
            json!({"oldPassword": "old pw", "newPassword": "new pw"}),
        ),
        (
            "unlink_social_identity",
            record_reply!(c => c.auth().unlink_social_identity(TOKEN, "facebook", "fb-1")).0,
            "DELETE",
            "/identity/v2/auth/socialidentity",
            json!({"provider": "facebook", "providerId": "fb-1"}),
        ),
        (
            "link_social_identity",
            record_reply!(c => c.auth().link_social_identity(TOKEN, "candidate-1")).0,
            "POST",
            "/identity/v2/auth/socialidentity",
            json!({"candidateToken": "candidate-1"}),
        ),
        (
            "link_social_identity_by_ping",
            record_reply!(c => c.auth().link_social_identity_by_ping(TOKEN, "guid-1")).0,
            "POST",
            "/identity/v2/auth/socialidentity",
            json!({"clientGuid": "guid-1"}),
        ),
        (
            "set_username",
            record_reply!(c => c.auth().set_username(TOKEN, "jane")).0,
            "PUT",
            "/identity/v2/auth/username",
            json!({"username": "jane"}),
        ),
        (
            "register",
            record_reply!(c => c.auth().register(&Registration::new("new@example.com", "s3cret!").first_name("Jane"), "SOTT*abc")).0,
            "POST",
            "/identity/v2/auth/register",
            json!({"Email": [{"Type": "Primary", "Value": "new@example.com"}], "Password": "s3cret!", "FirstName": "Jane"}),
        ),
        (
            "register_with_captcha",
            record_reply!(c => c.auth().register_with_captcha(&Registration::new("new@example.com", "s3cret!").field("Gender", "F"), "cap-1")).0,
            "POST",
            "/identity/v2/auth/register/captcha",
            json!({"Email": [{"Type": "Primary", "Value": "new@example.com"}], "Password": "s3cret!", "Gender": "F", "g-recaptcha-response": "cap-1"}),
        ),
        (
            "resend_verification_email",
            record_reply!(c => c.auth().resend_verification_email("jane@example.com")).0,
            "PUT",
            "/identity/v2/auth/register",
            json!({"email": "jane@example.com"}),
        ),
        (
            "request_account_deletion (no payload)",
            record_reply!(c => c.auth().request_account_deletion(TOKEN)).0,
            "DELETE",
            "/identity/v2/auth/account",
            json!({}),
        ),
    ];
    assert_eq!(table.len(), 23);
    for (name, request, method, path, body) in table {
        let request = request.unwrap_or_else(|| panic!("{name}: nothing sent"));
        assert_eq!(request.method.as_str(), method, "{name}: method");
        assert_eq!(request.path(), path, "{name}: path");
        assert_eq!(
            std::str::from_utf8(&request.body).unwrap(),
            wire(&body),
            "{name}: body"
        );
    }
}

#[tokio::test]
async fn reads_send_no_body_and_put_the_token_in_the_authorization_header_only() {
    let table: Vec<(&str, Option<RecordedRequest>, &str)> = vec![
        (
            "profile",
            record_reply!(c => c.auth().profile(TOKEN)).0,
            "/identity/v2/auth/account",
        ),
        (
            "security_questions",
            record_reply!(c => c.auth().security_questions(TOKEN)).0,
            "/identity/v2/auth/securityquestion/accesstoken",
        ),
        (
            "validate_token",
            record_reply!(c => c.auth().validate_token(TOKEN)).0,
            "/identity/v2/auth/access_token/validate",
        ),
        (
            "token_info",
            record_reply!(c => c.auth().token_info(TOKEN)).0,
            "/identity/v2/auth/access_token",
        ),
        (
            "send_welcome_email",
            record_reply!(c => c.auth().send_welcome_email(TOKEN)).0,
            "/identity/v2/auth/account/sendwelcomeemail",
        ),
        (
            "accept_privacy_policy",
            record_reply!(c => c.auth().accept_privacy_policy(TOKEN)).0,
            "/identity/v2/auth/privacypolicy/accept",
        ),
        (
            "privacy_policy_history",
            record_reply!(c => c.auth().privacy_policy_history(TOKEN)).0,
            "/identity/v2/auth/privacypolicy/history",
        ),
    ];
    for (name, request, path) in table {
        let request = sent(request);
        assert_eq!(request.method.as_str(), "GET", "{name}");
        assert_eq!(request.path(), path, "{name}");
        assert!(request.body.is_empty(), "{name}: GET with a body");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{name}"
        );
        assert_eq!(
            request.query(),
            vec![("apiKey".to_owned(), API_KEY.to_owned())],
            "{name}: query"
        );
        assert!(!request.url.contains(TOKEN), "{name}: token in the URL");
        assert!(
            request.header("x-loginradius-apisecret").is_none(),
            "{name}: secret sent"
        );
    }
}

#[tokio::test]
async fn query_values_are_sent_as_given_and_percent_encoded() {
    let q = |r: Option<RecordedRequest>| sent(r).query();

    assert_eq!(
        q(record_reply!(c => c.auth().invalidate_token(TOKEN).prevent_refresh(true)).0),
        pairs(&[("apiKey", API_KEY), ("preventRefresh", "true")])
    );
    assert_eq!(
        q(record_reply!(c => c.auth().security_questions_by_username("jane")).0),
        pairs(&[("apiKey", API_KEY), ("userName", "jane")])
    );
    assert_eq!(
        q(record_reply!(c => c.auth().forgot_password("a+b@example.com", "https://app.example.com/reset?x=1&y=2").email_template("reset")).0),
        pairs(&[("apiKey", API_KEY), ("resetPasswordUrl", "https://app.example.com/reset?x=1&y=2"), ("emailTemplate", "reset")])
    );
    assert_eq!(
        q(record_reply!(c => c.auth().verify_email("v+tok/1").uuid("u-1").welcome_email_template("welcome")).0),
        pairs(&[("apiKey", API_KEY), ("verificationToken", "v+tok/1"), ("uuid", "u-1"), ("welcomeEmailTemplate", "welcome")])
    );
    assert_eq!(
        q(record_reply!(c => c.auth().delete_account("del-1")).0),
        pairs(&[("apiKey", API_KEY), ("deletetoken", "del-1")])
    );
    assert_eq!(
        q(record_reply!(c => c.auth().update_profile(TOKEN, &ProfileUpdate::new().first_name("J")).null_support(true).voice_otp(false).fields("")).0),
        pairs(&[("apiKey", API_KEY), ("nullSupport", "true"), ("isVoiceOtp", "false")]),
        "blank optional values are left out, booleans are true/false"
    );
    assert_eq!(
        q(record_reply!(c => c.auth().send_social_verification_email(TOKEN, "guid-1")).0),
        pairs(&[("apiKey", API_KEY), ("clientguid", "guid-1")])
    );
    assert_eq!(
        q(record_reply!(c => c.auth().register(&Registration::new("a@b.c", "pw"), "S*1")).0),
        pairs(&[("apiKey", API_KEY)]),
        "isVoiceOtp is not sent unless set"
    );

    let raw = sent(record_reply!(c => c.auth().email_exists("a+b&c#d@example.com")).0).url;
    assert!(raw.ends_with("&email=a%2Bb%26c%23d@example.com"), "{raw}");
    let raw = sent(record_reply!(c => c.auth().verify_email("v+tok/1")).0).url;
    assert!(raw.contains("verificationToken=v%2Btok/1"), "{raw}");
}

#[tokio::test]
async fn registration_carries_the_sott_header_and_nothing_else_secret() {
    let (request, _) = record_reply!(c => c.auth().register(&Registration::new("a@b.c", "pw"), "SOTT-VALUE*0123456789abcdef0123456789abcdef"));
    let request = sent(request);
    assert_eq!(
        request.header("x-loginradius-sott"),
        Some("SOTT-VALUE*0123456789abcdef0123456789abcdef")
    );
    assert!(request.header("authorization").is_none());
    assert!(request.header("x-loginradius-apisecret").is_none());
    assert_eq!(request.header("content-type"), Some("application/json"));

    let (request, _) = record_reply!(c => c.auth().register_with_captcha(&Registration::new("a@b.c", "pw"), "cap"));
    assert!(sent(request).header("x-loginradius-sott").is_none());

    let sott = client(&RecordingTransport::new())
        .local_sott(std::time::Duration::from_secs(600))
        .unwrap();
    let (request, _) =
        record_reply!(c => c.auth().register(&Registration::new("a@b.c", "pw"), sott.clone()));
    assert_eq!(
        sent(request).header("x-loginradius-sott"),
        Some(sott.expose())
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    assert_refused!("email", c => c.auth().login_by_email(" ", "pw"));
    assert_refused!("password", c => c.auth().login_by_username("jane", ""));
    assert_refused!("access_token", c => c.auth().profile(""));
    assert_refused!("access_token", c => c.auth().change_password("tok\n", "a", "b"));
    assert_refused!("new_password", c => c.auth().change_password(TOKEN, "a", " "));
    assert_refused!("email", c => c.auth().security_questions_by_email(""));
    assert_refused!("verification_token", c => c.auth().verify_email("\t"));
    assert_refused!("delete_token", c => c.auth().delete_account(""));
    assert_refused!("reset_password_url", c => c.auth().forgot_password("a@b.c", ""));
    assert_refused!("security_answers", c => c.auth().reset_password_by_email_answer("a@b.c", Vec::<(String, String)>::new(), "pw"));
    assert_refused!("security_answers.answer", c => c.auth().reset_password_by_phone_answer("+1", [("q1", " ")], "pw"));
    assert_refused!("reset_token", c => c.auth().reset_password("", "pw"));
    assert_refused!("update", c => c.auth().update_profile(TOKEN, &ProfileUpdate::new()));
    assert_refused!("password", c => c.auth().register(&Registration::new("a@b.c", ""), "S*1"));
    assert_refused!("email", c => c.auth().register(&Registration::new("", "pw"), "S*1"));
    assert_refused!("sott", c => c.auth().register(&Registration::new("a@b.c", "pw"), ""));
    assert_refused!("captcha_response", c => c.auth().register_with_captcha(&Registration::new("a@b.c", "pw"), ""));
    assert_refused!("client_guid", c => c.auth().profile_by_ping(""));
    assert_refused!("kind", c => c.auth().add_email(TOKEN, "a@b.c", ""));
}

#[tokio::test]
async fn responses_decode_into_typed_models() {
    let (_, r) = record_reply!(json!({"IsPosted": true, "Data": {
        "Profile": {"Uid": "u1", "Email": [{"Type": "Primary", "Value": "a@b.c"}]},
        "access_token": "at-1", "refresh_token": "rt-1", "expires_in": "2017-08-17T10:52:36.1644137Z"
    }}), c => c.auth().register(&Registration::new("a@b.c", "pw"), "S*1"));
    let r = r.unwrap();
    assert!(r.is_posted);
    let data = r.data.expect("Data");
    assert_eq!(data.access_token.expose(), "at-1");
    assert_eq!(data.profile.unwrap().primary_email(), Some("a@b.c"));

    let (_, r) = record_reply!(json!({"IsPosted": true}), c => c.auth().register(&Registration::new("a@b.c", "pw"), "S*1"));
    assert!(r.unwrap().data.is_none(), "mandatory verification: no Data");

    let (_, r) = record_reply!(json!({"provider": "Email", "access_token": TOKEN, "isrememberme": false}), c => c.auth().token_info(TOKEN));
    let info = r.unwrap();
    assert_eq!(info.provider.as_deref(), Some("Email"));
    assert!(!info.is_remember_me);

    let (_, r) = record_reply!(json!([{"QuestionId": "q1", "Question": "Pet?"}, {"QuestionId": "q2", "Question": "City?"}]), c => c.auth().security_questions_by_email("a@b.c"));
    let questions = r.unwrap();
    assert_eq!(
        questions
            .iter()
            .map(|q| q.question_id.as_str())
            .collect::<Vec<_>>(),
        ["q1", "q2"]
    );

    let (_, r) = record_reply!(json!({"IsPosted": true, "Data": {"Profile": {"Uid": "u1", "EmailVerified": true}, "access_token": "at"}}), c => c.auth().verify_email("v1"));
    let data = r.unwrap().data.unwrap();
    assert!(data.profile.unwrap().email_verified);
    assert!(data.refresh_token.is_none());

    let (_, r) = record_reply!(json!({"IsPosted": true, "Data": {"access_token": "at-2", "expires_in": "2030-01-01T00:00:00Z"}}), c => c.auth().reset_password("rt", "pw"));
    assert_eq!(r.unwrap().data.unwrap().access_token.expose(), "at-2");

    let (_, r) = record_reply!(json!({"IsExist": true}), c => c.auth().username_exists("jane"));
    assert!(r.unwrap().exists);

    let (_, r) = record_reply!(json!({"IsDeleteRequestAccepted": true}), c => c.auth().request_account_deletion(TOKEN));
    assert!(r.unwrap().accepted);

    let (_, r) = record_reply!(json!({"ErrorCode": 967, "Message": "Current password is invalid", "Description": "x"}), c => c.auth().change_password(TOKEN, "a", "b"));
    assert_eq!(r.unwrap_err().code(), Some(967));
}

#[test]
fn builders_and_inputs_never_show_secrets_in_debug() {
    let client = client(&RecordingTransport::new());
    let builder = client
        .auth()
        .change_password(TOKEN, "old-secret-pw", "new-secret-pw");
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("secret-pw") && !shown.contains(TOKEN),
        "{shown}"
    );
    let user = Registration::new("a@b.c", "registration-secret");
    assert!(!format!("{user:?}").contains("registration-secret"));
}
