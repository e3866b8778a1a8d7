//! Custom objects: create/read/list/update/delete by uid (API secret) and by access token, the
//! two update modes, and the error paths (unknown record 1057, another user's record).

use loginradius::api::custom_objects::UpdateType;
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";
const OBJECT: &str = "orders";

fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .with_user(user(EMAIL))
        .with_user(user("other@example.com"))
}

#[tokio::test]
async fn records_are_created_read_listed_updated_and_deleted_by_uid() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    let objects = client.custom_objects();

    let created = objects
        .create_for_user(&uid, OBJECT, &json!({ "item": "book", "qty": 1 }))
        .await
        .expect("create");
    assert!(!created.id.is_empty());
    assert_eq!(created.uid, uid);
    assert!(created.is_active && !created.is_deleted);
    assert!(created.date_created.is_some());
    assert_eq!(created.custom_object, json!({ "item": "book", "qty": 1 }));

    let read = objects
        .get_for_user(&uid, OBJECT, &created.id)
        .await
        .expect("read");
    assert_eq!(read.custom_object, created.custom_object);

    objects
        .create_for_user(&uid, OBJECT, &json!({ "item": "pen" }))
        .await
        .expect("second record");
    let listed = objects.list_for_user(&uid, OBJECT).await.expect("list");
    assert_eq!(listed.count, 2);
    assert_eq!(listed.records.len(), 2);
    assert!(listed.records.iter().any(|r| r.id == created.id));
    assert_eq!(
        objects
            .list_for_user(&uid, "wishlist")
            .await
            .expect("another object")
            .count,
        0
    );

    let merged = objects
        .update_for_user(&uid, OBJECT, &created.id, &json!({ "qty": 3 }))
        .update_type(UpdateType::PartialReplace)
        .await
        .expect("partial update");
    assert_eq!(merged.custom_object, json!({ "item": "book", "qty": 3 }));
    let replaced = objects
        .update_for_user(&uid, OBJECT, &created.id, &json!({ "note": "gift" }))
        .update_type(UpdateType::Replace)
        .await
        .expect("replace");
    assert_eq!(replaced.custom_object, json!({ "note": "gift" }));
    assert_eq!(
        objects
            .get_for_user(&uid, OBJECT, &created.id)
            .await
            .expect("read")
            .custom_object,
        json!({ "note": "gift" })
    );

    let deleted = objects
        .delete_for_user(&uid, OBJECT, &created.id)
        .await
        .expect("delete");
    assert!(deleted.is_deleted);
    expect_code(objects.get_for_user(&uid, OBJECT, &created.id).await, 1057);
    expect_code(
        objects.delete_for_user(&uid, OBJECT, &created.id).await,
        1057,
    );
    assert_eq!(
        objects
            .list_for_user(&uid, OBJECT)
            .await
            .expect("list")
            .count,
        1
    );
}

#[tokio::test]
async fn records_are_created_read_listed_updated_and_deleted_by_token() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let token = token_of(&signed_in);
    let objects = client.custom_objects();

    let created = objects
        .create(token.as_str(), OBJECT, &json!({ "item": "lamp" }))
        .await
        .expect("create");
    assert_eq!(created.uid, uid_of(&signed_in));
    let read = objects
        .get(token.as_str(), OBJECT, &created.id)
        .await
        .expect("read");
    assert_eq!(read.custom_object, json!({ "item": "lamp" }));
    let listed = objects.list(token.as_str(), OBJECT).await.expect("list");
    assert_eq!(listed.count, 1);
    assert_eq!(listed.records[0].id, created.id);

    let merged = objects
        .update(
            token.as_str(),
            OBJECT,
            &created.id,
            &json!({ "colour": "red" }),
        )
        .update_type(UpdateType::PartialReplace)
        .await
        .expect("partial update");
    assert_eq!(
        merged.custom_object,
        json!({ "item": "lamp", "colour": "red" })
    );
    let replaced = objects
        .update(
            token.as_str(),
            OBJECT,
            &created.id,
            &json!({ "item": "desk" }),
        )
        .update_type(UpdateType::Replace)
        .await
        .expect("replace");
    assert_eq!(replaced.custom_object, json!({ "item": "desk" }));

    // The same record is visible by uid.
    let by_uid = objects
        .get_for_user(&uid_of(&signed_in), OBJECT, &created.id)
        .await
        .expect("by uid");
    assert_eq!(by_uid.custom_object, json!({ "item": "desk" }));

    assert!(
        objects
            .delete(token.as_str(), OBJECT, &created.id)
            .await
            .expect("delete")
            .is_deleted
    );
    expect_code(objects.get(token.as_str(), OBJECT, &created.id).await, 1057);
    assert_eq!(
        objects
            .list(token.as_str(), OBJECT)
            .await
            .expect("list")
            .count,
        0
    );
}

#[tokio::test]
async fn another_users_record_is_out_of_reach() {
    let (_emulator, client) = emulator(config()).await;
    let mine = login(&client, EMAIL).await;
    let theirs = login(&client, "other@example.com").await;
    let objects = client.custom_objects();
    let record = objects
        .create(token_of(&mine), OBJECT, &json!({ "secret": true }))
        .await
        .expect("create");

    expect_code(
        objects.get(token_of(&theirs), OBJECT, &record.id).await,
        1057,
    );
    expect_code(
        objects
            .update(
                token_of(&theirs),
                OBJECT,
                &record.id,
                &json!({ "secret": false }),
            )
            .await,
        1057,
    );
    expect_code(
        objects.delete(token_of(&theirs), OBJECT, &record.id).await,
        1057,
    );
    expect_code(
        objects
            .get_for_user(&uid_of(&theirs), OBJECT, &record.id)
            .await,
        1057,
    );
    assert_eq!(
        objects
            .list(token_of(&theirs), OBJECT)
            .await
            .expect("list")
            .count,
        0
    );
    // Still intact for its owner.
    let read = objects
        .get(token_of(&mine), OBJECT, &record.id)
        .await
        .expect("read");
    assert_eq!(read.custom_object, json!({ "secret": true }));
}

#[tokio::test]
async fn custom_objects_need_a_valid_token_or_uid() {
    let (_emulator, client) = emulator(config()).await;
    let objects = client.custom_objects();
    expect_code(
        objects
            .list("d3b07384-d9a0-4c9b-8f1e-000000000000", OBJECT)
            .await,
        905,
    );
    expect_code(
        objects
            .create_for_user("0123456789abcdef0123456789abcdef", OBJECT, &json!({}))
            .await,
        938,
    );
    let uid = uid_by_email(&client, EMAIL).await;
    expect_code(
        objects.get_for_user(&uid, OBJECT, "no-such-record").await,
        1057,
    );
}
