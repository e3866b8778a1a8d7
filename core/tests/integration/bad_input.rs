//! Bad input is refused before any request, and every value travels percent-encoded. Secrets never
//! show in `Debug` or error messages.

use crate::support::{API_SECRET, TOKEN, assert_named_refused_before_sending};
use loginradius::transport::RecordingTransport;
use loginradius::{Error, LoginRadius};

/// A client with the key `key` and the default retry policy.
fn client(t: &RecordingTransport) -> LoginRadius {
    LoginRadius::builder()
        .api_key("key")
        .api_secret(API_SECRET)
        .transport(t.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_path_traversal_uid_stays_one_encoded_segment() {
    let t = RecordingTransport::new();
    let _ = client(&t).roles().of_user("x/../../auth/account?y=").await;
    let r = t.last().expect("request sent");
    assert_eq!(
        r.path(),
        "/identity/v2/manage/account/x%2F..%2F..%2Fauth%2Faccount%3Fy%3D/role"
    );
    assert_eq!(
        r.query(),
        vec![("apiKey".to_owned(), "key".to_owned())],
        "nothing injected into the query"
    );
}

#[tokio::test]
async fn email_with_plus_ampersand_and_hash_travels_encoded() {
    let t = RecordingTransport::new();
    let email = "john+tag&x=1#frag@example.com";
    let _ = client(&t)
        .auth()
        .login_by_email(email, "pw")
        .fields("Uid,Email")
        .await;
    let r = t.last().unwrap();
    assert!(r.url.contains("fields=Uid,Email"), "{}", r.url);
    assert_eq!(
        r.json().unwrap()["email"],
        email,
        "the body carries the email as typed"
    );

    // In the query: the value arrives exactly as typed, and nothing else is injected.
    let _ = client(&t).account().by_email(email).await;
    let r = t.last().unwrap();
    assert!(
        r.url
            .contains("email=john%2Btag%26x%3D1%23frag@example.com"),
        "{}",
        r.url
    );
    assert_eq!(r.query_value("email").as_deref(), Some(email));
    assert_eq!(r.query().len(), 2, "only apiKey and email: {:?}", r.query());

    // In a path segment: a role context name.
    let _ = client(&t).roles().delete_context("uid", email).await;
    let r = t.last().unwrap();
    assert_eq!(
        r.path(),
        "/identity/v2/manage/account/uid/rolecontext/john%2Btag%26x%3D1%23frag@example.com"
    );
}

#[tokio::test]
async fn empty_or_malformed_ids_never_reach_the_transport() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let cases: Vec<(&str, Result<(), Error>)> = vec![
        ("empty uid", c.roles().of_user("").await.map(drop)),
        ("blank uid", c.roles().of_user("   ").await.map(drop)),
        ("dot segment", c.roles().of_user("..").await.map(drop)),
        ("control char", c.roles().of_user("a\nb").await.map(drop)),
        (
            "empty role list",
            c.roles()
                .assign("uid", Vec::<String>::new())
                .await
                .map(drop),
        ),
        (
            "empty role name",
            c.roles().assign("uid", [""]).await.map(drop),
        ),
        ("empty token", c.auth().profile("").await.map(drop)),
        (
            "header injection in token",
            c.auth().profile("abc\r\nX-Evil: 1").await.map(drop),
        ),
        ("tab in token", c.auth().profile("abc\tdef").await.map(drop)),
        (
            "empty email",
            c.auth().login_by_email("", "pw").await.map(drop),
        ),
        (
            "empty password",
            c.auth().login_by_email("a@b.c", "").await.map(drop),
        ),
    ];
    assert_named_refused_before_sending(cases, &t);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let debug = format!("{c:?}");
    assert!(!debug.contains(API_SECRET), "{debug}");
    assert!(debug.contains("***"));

    let builder = LoginRadius::builder().api_key("key").api_secret(API_SECRET);
    assert!(!format!("{builder:?}").contains(API_SECRET));

    let request = c.auth().profile(TOKEN);
    assert!(!format!("{request:?}").contains(TOKEN));

    t.reply_json(
        403,
        serde_json::json!({"ErrorCode": 905, "Message": "Access token is invalid"}),
    );
    let e = c.auth().profile(TOKEN).await.unwrap_err();
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(
            !text.contains(TOKEN) && !text.contains(API_SECRET),
            "{text}"
        );
    }
    let e = c.auth().profile("bad\ntoken-value").await.unwrap_err();
    assert!(!e.to_string().contains("token-value"), "{e}");

    let login: loginradius::models::LoginResponse = serde_json::from_value(serde_json::json!({
        "access_token": TOKEN, "refresh_token": "refresh-secret", "expires_in": "2030-01-01T00:00:00Z"
    }))
    .unwrap();
    let d = format!("{login:?}");
    assert!(!d.contains(TOKEN) && !d.contains("refresh-secret"), "{d}");
}

#[tokio::test]
async fn secret_headers_are_marked_sensitive() {
    let t = RecordingTransport::new();
    let _ = client(&t).roles().list().await;
    assert!(
        t.last()
            .unwrap()
            .headers
            .get("x-loginradius-apisecret")
            .unwrap()
            .is_sensitive()
    );
    let _ = client(&t).auth().profile(TOKEN).await;
    assert!(
        t.last()
            .unwrap()
            .headers
            .get("authorization")
            .unwrap()
            .is_sensitive()
    );
}

#[tokio::test]
async fn manage_calls_without_a_configured_secret_fail_before_sending() {
    let t = RecordingTransport::new();
    let c = LoginRadius::builder()
        .api_key("key")
        .transport(t.clone())
        .build()
        .unwrap();
    assert!(matches!(c.roles().list().await, Err(Error::Config(_))));
    assert!(t.is_empty());
}

#[tokio::test]
async fn several_tenants_live_in_one_process() {
    let (ta, tb) = (RecordingTransport::new(), RecordingTransport::new());
    let a = LoginRadius::builder()
        .api_key("tenant-a")
        .api_secret("secret-a")
        .transport(ta.clone())
        .build()
        .unwrap();
    let b = LoginRadius::builder()
        .api_key("tenant-b")
        .api_secret("secret-b")
        .request_signing(true)
        .transport(tb.clone())
        .build()
        .unwrap();
    let _ = a.roles().list().await;
    let _ = b.roles().list().await;
    let (ra, rb) = (ta.last().unwrap(), tb.last().unwrap());
    assert_eq!(ra.query_value("apiKey").as_deref(), Some("tenant-a"));
    assert_eq!(ra.header("x-loginradius-apisecret"), Some("secret-a"));
    assert_eq!(rb.query_value("apiKey").as_deref(), Some("tenant-b"));
    assert!(rb.header("x-loginradius-apisecret").is_none());
    assert!(rb.header("digest").is_some());
}
