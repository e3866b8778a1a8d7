//! CustomObjectApi.

use loginradius::api::custom_objects::UpdateType;
use serde_json::json;

use super::{Case, TOKEN, UID};
use crate::case;

const OBJECT: &str = "preferences";
const RECORD: &str = "5d01200c5a927e55c0f0ffd2";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "CustomObjectApi",
            "create_custom_object_by_token",
            "client.custom_objects().create(access_token, object_name, &data)",
            |c| c
                .custom_objects()
                .create(TOKEN, OBJECT, &json!({"theme": "dark"}))
        ),
        case!(
            "CustomObjectApi",
            "update_custom_object_by_token",
            "client.custom_objects().update(access_token, object_name, record_id, &data).update_type(UpdateType::PartialReplace)",
            |c| c
                .custom_objects()
                .update(TOKEN, OBJECT, RECORD, &json!({"lang": "fr"}))
                .update_type(UpdateType::PartialReplace)
        ),
        case!(
            "CustomObjectApi",
            "get_custom_object_by_token",
            "client.custom_objects().list(access_token, object_name)",
            |c| c.custom_objects().list(TOKEN, OBJECT)
        ),
        case!(
            "CustomObjectApi",
            "get_custom_object_by_record_id_and_token",
            "client.custom_objects().get(access_token, object_name, record_id)",
            |c| c.custom_objects().get(TOKEN, OBJECT, RECORD)
        ),
        case!(
            "CustomObjectApi",
            "delete_custom_object_by_token",
            "client.custom_objects().delete(access_token, object_name, record_id)",
            |c| c.custom_objects().delete(TOKEN, OBJECT, RECORD)
        ),
        case!(
            "CustomObjectApi",
            "create_custom_object_by_uid",
            "client.custom_objects().create_for_user(uid, object_name, &data)",
            |c| c
                .custom_objects()
                .create_for_user(UID, OBJECT, &json!({"theme": "dark"}))
        ),
        case!(
            "CustomObjectApi",
            "update_custom_object_by_uid",
            "client.custom_objects().update_for_user(uid, object_name, record_id, &data).update_type(UpdateType::Replace)",
            |c| c
                .custom_objects()
                .update_for_user(UID, OBJECT, RECORD, &json!({"theme": "light"}))
                .update_type(UpdateType::Replace)
        ),
        case!(
            "CustomObjectApi",
            "get_custom_object_by_uid",
            "client.custom_objects().list_for_user(uid, object_name)",
            |c| c.custom_objects().list_for_user(UID, OBJECT)
        ),
        case!(
            "CustomObjectApi",
            "get_custom_object_by_record_id",
            "client.custom_objects().get_for_user(uid, object_name, record_id)",
            |c| c.custom_objects().get_for_user(UID, OBJECT, RECORD)
        ),
        case!(
            "CustomObjectApi",
            "delete_custom_object_by_record_id",
            "client.custom_objects().delete_for_user(uid, object_name, record_id)",
            |c| c.custom_objects().delete_for_user(UID, OBJECT, RECORD)
        ),
    ]
}
