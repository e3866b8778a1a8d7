//! Custom objects through a recording transport: bodies, `objectName`/`updateType`, record ids
//! as encoded path segments, Bearer versus API-secret credentials, and typed records.

use crate::support::{
    API_KEY, API_SECRET, TOKEN, UID, assert_named_refused_before_sending, client, record_call,
};
use loginradius::Error;
use loginradius::api::custom_objects::UpdateType;
use loginradius::transport::RecordingTransport;
use serde::Serialize;
use serde_json::json;

const RECORD: &str = "5d01200c5a927e55c0f0ffd2";

#[derive(Serialize)]
struct Preferences {
    theme: &'static str,
    #[serde(rename = "fontSize")]
    font_size: u8,
}

#[tokio::test]
async fn writes_carry_the_record_data_as_the_body() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let o = c.custom_objects();
    let prefs = Preferences {
        theme: "dark",
        font_size: 14,
    };
    let cases = vec![
        (
            record_call(&t, o.create(TOKEN, "preferences", &prefs)).await,
            http::Method::POST,
            "/identity/v2/auth/customobject".to_owned(),
            json!({"theme": "dark", "fontSize": 14}),
        ),
        (
            record_call(
                &t,
                o.update(TOKEN, "preferences", RECORD, &json!({"lang": "fr"})),
            )
            .await,
            http::Method::PUT,
            format!("/identity/v2/auth/customobject/{RECORD}"),
            json!({"lang": "fr"}),
        ),
        (
            record_call(&t, o.delete(TOKEN, "preferences", RECORD)).await,
            http::Method::DELETE,
            format!("/identity/v2/auth/customobject/{RECORD}"),
            json!({}),
        ),
        (
            record_call(
                &t,
                o.create_for_user(UID, "preferences", &json!({"nested": {"a": [1, 2]}})),
            )
            .await,
            http::Method::POST,
            format!("/identity/v2/manage/account/{UID}/customobject"),
            json!({"nested": {"a": [1, 2]}}),
        ),
        (
            record_call(&t, o.update_for_user(UID, "preferences", RECORD, &prefs)).await,
            http::Method::PUT,
            format!("/identity/v2/manage/account/{UID}/customobject/{RECORD}"),
            json!({"theme": "dark", "fontSize": 14}),
        ),
        (
            record_call(&t, o.delete_for_user(UID, "preferences", RECORD)).await,
            http::Method::DELETE,
            format!("/identity/v2/manage/account/{UID}/customobject/{RECORD}"),
            json!({}),
        ),
    ];
    for (r, method, path, body) in cases {
        assert_eq!(r.method, method, "{path}");
        assert_eq!(r.path(), path);
        assert_eq!(r.json(), Some(body), "{method} {path}");
        assert_eq!(r.query_value("objectName").as_deref(), Some("preferences"));
    }
    let r = record_call(&t, o.create(TOKEN, "preferences", &prefs)).await;
    assert_eq!(
        std::str::from_utf8(&r.body).unwrap(),
        r#"{"theme": "dark", "fontSize": 14}"#
    );
}

#[tokio::test]
async fn update_type_is_typed_and_omitted_when_unset() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let o = c.custom_objects();
    let r = record_call(
        &t,
        o.update(TOKEN, "prefs", RECORD, &json!({"a": 1}))
            .update_type(UpdateType::PartialReplace),
    )
    .await;
    assert_eq!(
        r.query(),
        vec![
            ("apiKey".to_owned(), API_KEY.to_owned()),
            ("objectName".to_owned(), "prefs".to_owned()),
            ("updateType".to_owned(), "partialreplace".to_owned()),
        ]
    );
    let r = record_call(
        &t,
        o.update_for_user(UID, "prefs", RECORD, &json!({"a": 1}))
            .update_type(UpdateType::Replace),
    )
    .await;
    assert_eq!(r.query_value("updateType").as_deref(), Some("replace"));
    let r = record_call(&t, o.update(TOKEN, "prefs", RECORD, &json!({"a": 1}))).await;
    assert_eq!(r.query_value("updateType"), None);
    assert_eq!(UpdateType::PartialReplace.to_string(), "partialreplace");
}

#[tokio::test]
async fn credentials_follow_the_endpoint() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let o = c.custom_objects();
    for r in [
        record_call(&t, o.list(TOKEN, "prefs")).await,
        record_call(&t, o.get(TOKEN, "prefs", RECORD)).await,
    ] {
        assert_eq!(r.method, http::Method::GET);
        assert!(r.body.is_empty());
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(r.header("x-loginradius-apisecret"), None);
        assert!(!r.url.contains(TOKEN));
    }
    for r in [
        record_call(&t, o.list_for_user(UID, "prefs")).await,
        record_call(&t, o.get_for_user(UID, "prefs", RECORD)).await,
    ] {
        assert_eq!(r.header("authorization"), None);
        assert_eq!(r.header("x-loginradius-apisecret"), Some(API_SECRET));
        assert!(
            r.path()
                .starts_with(&format!("/identity/v2/manage/account/{UID}/customobject"))
        );
    }
}

#[tokio::test]
async fn names_and_ids_travel_encoded() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let r = record_call(
        &t,
        c.custom_objects()
            .get_for_user("u/../x", "my prefs&x=1", "r?1"),
    )
    .await;
    assert_eq!(
        r.path(),
        "/identity/v2/manage/account/u%2F..%2Fx/customobject/r%3F1"
    );
    assert_eq!(r.query_value("objectName").as_deref(), Some("my prefs&x=1"));
    assert_eq!(r.query().len(), 2, "nothing injected: {}", r.url);
}

#[tokio::test]
async fn records_and_lists_decode() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let record = json!({"Id": RECORD, "IsActive": true, "DateCreated": "2019-06-12T15:53:48.546Z",
        "DateModified": "2019-06-12T16:02:47.3504795Z", "IsDeleted": false, "Uid": UID,
        "CustomObject": {"customdata1": "value"}});
    t.reply_json(200, record.clone());
    let r = c
        .custom_objects()
        .create(TOKEN, "prefs", &json!({"customdata1": "value"}))
        .await
        .unwrap();
    assert_eq!(r.id, RECORD);
    assert_eq!(r.custom_object["customdata1"], "value");
    assert!(r.date_modified.is_some());

    t.reply_json(200, json!({"data": [record], "Count": 1}));
    let list = c
        .custom_objects()
        .list_for_user(UID, "prefs")
        .await
        .unwrap();
    assert_eq!((list.records.len(), list.count), (1, 1));

    t.reply_json(200, json!({"IsDeleted": true}));
    assert!(
        c.custom_objects()
            .delete(TOKEN, "prefs", RECORD)
            .await
            .unwrap()
            .is_deleted
    );

    t.reply_json(403, json!({"ErrorCode": 1057, "Message": "Custom object is not found or does not exist", "Description": "x"}));
    assert_eq!(
        c.custom_objects()
            .get(TOKEN, "prefs", RECORD)
            .await
            .unwrap_err()
            .code(),
        Some(1057)
    );
}

#[tokio::test]
async fn bad_input_never_reaches_the_transport() {
    let t = RecordingTransport::new();
    let c = client(&t);
    let o = c.custom_objects();
    let results: Vec<(&str, Result<(), Error>)> = vec![
        ("empty object name", o.list(TOKEN, "").await.map(drop)),
        ("empty token", o.list("", "prefs").await.map(drop)),
        (
            "empty record id",
            o.get(TOKEN, "prefs", " ").await.map(drop),
        ),
        (
            "dot record id",
            o.delete_for_user(UID, "prefs", ".").await.map(drop),
        ),
        ("empty uid", o.list_for_user("", "prefs").await.map(drop)),
        (
            "array data",
            o.create(TOKEN, "prefs", &json!([1, 2])).await.map(drop),
        ),
        (
            "string data",
            o.update_for_user(UID, "prefs", RECORD, &"text")
                .await
                .map(drop),
        ),
    ];
    assert_named_refused_before_sending(results, &t);
}
