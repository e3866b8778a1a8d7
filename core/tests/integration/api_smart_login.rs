//! `client.smart_login()`: everything travels in the query of GET requests.

use crate::record_reply;
use crate::support::{API_KEY, pairs};
use loginradius::Error;
use loginradius::transport::RecordedRequest;
use serde_json::json;

/// One row: name, recorded request, path, query pairs.
type Row = (
    &'static str,
    Option<RecordedRequest>,
    &'static str,
    Vec<(String, String)>,
);

#[tokio::test]
async fn each_call_sends_this_method_path_and_query() {
    let table: Vec<Row> = vec![
        (
            "send_link_by_email",
            record_reply!(public: json!({"IsPosted": true}), c => c.smart_login().send_link_by_email("jane@example.com", "g-1")
                .redirect_url("https://app.example.com/r?a=1").smart_login_email_template("s").welcome_email_template("w")).0,
            "/identity/v2/auth/login/smartlogin",
            pairs(&[("apiKey", API_KEY), ("clientGuid", "g-1"), ("email", "jane@example.com"), ("redirectUrl", "https://app.example.com/r?a=1"), ("smartLoginEmailTemplate", "s"), ("welcomeEmailTemplate", "w")]),
        ),
        (
            "send_link_by_username",
            record_reply!(public: json!({"IsPosted": true}), c => c.smart_login().send_link_by_username("jane", "g-1")).0,
            "/identity/v2/auth/login/smartlogin",
            pairs(&[("apiKey", API_KEY), ("clientGuid", "g-1"), ("username", "jane")]),
        ),
        (
            "verify_token",
            record_reply!(public: json!({"IsPosted": true, "IsVerified": true}), c => c.smart_login().verify_token("vt+1").welcome_email_template("w")).0,
            "/identity/v2/auth/email/smartlogin",
            pairs(&[("apiKey", API_KEY), ("verificationToken", "vt+1"), ("welcomeEmailTemplate", "w")]),
        ),
        (
            "ping",
            record_reply!(public: json!({"access_token": "at"}), c => c.smart_login().ping("g-1").fields("Uid")).0,
            "/identity/v2/auth/login/smartlogin/ping",
            pairs(&[("apiKey", API_KEY), ("clientGuid", "g-1"), ("fields", "Uid")]),
        ),
    ];
    for (name, request, path, query) in table {
        let request = request.unwrap_or_else(|| panic!("{name}: nothing sent"));
        assert_eq!(request.method.as_str(), "GET", "{name}");
        assert_eq!(request.path(), path, "{name}");
        assert_eq!(request.query(), query, "{name}");
        assert!(request.body.is_empty(), "{name}");
        assert!(request.header("authorization").is_none(), "{name}");
    }
}

#[tokio::test]
async fn responses_are_typed() {
    let (_, r) = record_reply!(public: json!({"IsPosted": true, "IsVerified": true}), c => c.smart_login().verify_token("vt"));
    let v = r.unwrap();
    assert!(v.is_posted && v.is_verified);
    let (_, r) = record_reply!(public: json!({"Profile": {"Uid": "u1"}, "access_token": "at-1"}), c => c.smart_login().ping("g"));
    assert_eq!(r.unwrap().access_token.expose(), "at-1");
    let (_, r) = record_reply!(public: json!({"IsPosted": true}), c => c.smart_login().send_link_by_email("a@b.c", "g"));
    assert!(r.unwrap().is_posted);
}

#[tokio::test]
async fn missing_identifiers_are_refused_before_any_request() {
    for (field, result, sent) in [
        (
            "client_guid",
            record_reply!(public: json!({}), c => c.smart_login().send_link_by_email("a@b.c", "")),
        ),
        (
            "email",
            record_reply!(public: json!({}), c => c.smart_login().send_link_by_email("", "g")),
        ),
        (
            "username",
            record_reply!(public: json!({}), c => c.smart_login().send_link_by_username(" ", "g")),
        ),
    ]
    .map(|(f, (sent, result))| (f, result, sent))
    {
        assert!(sent.is_none(), "{field}");
        assert!(
            matches!(result, Err(Error::InvalidInput { field: f, .. }) if f == field),
            "{field}: {result:?}"
        );
    }
    let (sent, result) = record_reply!(public: json!({}), c => c.smart_login().verify_token(""));
    assert!(sent.is_none());
    assert!(matches!(
        result,
        Err(Error::InvalidInput {
            field: "verification_token",
            ..
        })
    ));
    let (sent, result) = record_reply!(public: json!({}), c => c.smart_login().ping(""));
    assert!(sent.is_none());
    assert!(matches!(
        result,
        Err(Error::InvalidInput {
            field: "client_guid",
            ..
        })
    ));
}
