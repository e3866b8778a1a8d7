//! Custom objects: JSON records attached to a user, by uid (API secret) or by access token.
//! `objectname` names the collection (any name is accepted); `updatetype` is `partialreplace`
//! (the default: top-level keys are upserted) or `replace`.

use serde_json::{Map, Value, json};

use super::{deleted, user_ref};
use loginradius::codes;

use crate::errors::ApiError;
use crate::request::Ctx;
use crate::state::CustomRecord;
use crate::times::iso;

super::routes! {
    POST "/identity/v2/manage/account/{uid}/customobject", Manage, create_by_uid;
    GET "/identity/v2/manage/account/{uid}/customobject", Manage, list_by_uid;
    GET "/identity/v2/manage/account/{uid}/customobject/{object_record_id}", Manage, read_by_uid;
    PUT "/identity/v2/manage/account/{uid}/customobject/{object_record_id}", Manage, update_by_uid;
    DELETE "/identity/v2/manage/account/{uid}/customobject/{object_record_id}", Manage, delete_by_uid;
    POST "/identity/v2/auth/customobject", Bearer, create_by_token;
    GET "/identity/v2/auth/customobject", Bearer, list_by_token;
    GET "/identity/v2/auth/customobject/{object_record_id}", Bearer, read_by_token;
    PUT "/identity/v2/auth/customobject/{object_record_id}", Bearer, update_by_token;
    DELETE "/identity/v2/auth/customobject/{object_record_id}", Bearer, delete_by_token;
}

fn record_json(r: &CustomRecord) -> Value {
    json!({
        "Id": r.id,
        "IsActive": true,
        "DateCreated": iso(r.created),
        "DateModified": iso(r.modified),
        "IsDeleted": false,
        "Uid": r.uid,
        "CustomObject": r.data,
    })
}

fn object_name(ctx: &Ctx) -> Result<String, ApiError> {
    ctx.query
        .get("objectname")
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| ApiError::new(codes::CUSTOM_OBJECT_NAME_INVALID))
}

fn object_body(ctx: &Ctx) -> Result<Map<String, Value>, ApiError> {
    match ctx
        .body_value()
        .map_err(|_| ApiError::new(codes::CUSTOM_OBJECT_JSON_INVALID))?
    {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::new(codes::CUSTOM_OBJECT_JSON_INVALID)),
    }
}

fn uid_of(ctx: &Ctx) -> Result<String, ApiError> {
    let uid = match &ctx.uid {
        Some(uid) => uid.clone(),
        None => ctx.param("uid").to_owned(),
    };
    user_ref(&ctx.state.store(), &uid)?;
    Ok(uid)
}

fn create(ctx: &Ctx) -> Result<Value, ApiError> {
    let uid = uid_of(ctx)?;
    let name = object_name(ctx)?;
    let data = object_body(ctx)?;
    let mut store = ctx.state.store();
    let record = CustomRecord {
        id: store.ids.record_id(),
        uid,
        created: ctx.now,
        modified: ctx.now,
        data: Value::Object(data),
    };
    let out = record_json(&record);
    store.custom_objects.entry(name).or_default().push(record);
    Ok(out)
}

fn list(ctx: &Ctx) -> Result<Value, ApiError> {
    let uid = uid_of(ctx)?;
    let name = object_name(ctx)?;
    let store = ctx.state.store();
    let data: Vec<Value> = store
        .custom_objects
        .get(&name)
        .into_iter()
        .flatten()
        .filter(|r| r.uid == uid)
        .map(record_json)
        .collect();
    Ok(json!({ "data": data, "Count": data.len() }))
}

/// Runs `f` on the record `{object_record_id}` of the user; 1057 when there is none.
fn with_record<T>(
    ctx: &Ctx,
    f: impl FnOnce(&mut Vec<CustomRecord>, usize) -> T,
) -> Result<T, ApiError> {
    let uid = uid_of(ctx)?;
    let name = object_name(ctx)?;
    let id = ctx.param("object_record_id").to_owned();
    if id.trim().is_empty() {
        return Err(ApiError::new(codes::CUSTOM_OBJECT_ID_REQUIRED));
    }
    let mut store = ctx.state.store();
    let records = store
        .custom_objects
        .get_mut(&name)
        .ok_or_else(|| ApiError::new(codes::CUSTOM_OBJECT_NOT_FOUND))?;
    let index = records
        .iter()
        .position(|r| r.id == id && r.uid == uid)
        .ok_or_else(|| ApiError::new(codes::CUSTOM_OBJECT_NOT_FOUND))?;
    Ok(f(records, index))
}

fn read(ctx: &Ctx) -> Result<Value, ApiError> {
    with_record(ctx, |records, i| record_json(&records[i]))
}

fn update(ctx: &Ctx) -> Result<Value, ApiError> {
    let data = object_body(ctx)?;
    let replace = ctx
        .query
        .get("updatetype")
        .is_some_and(|t| t.eq_ignore_ascii_case("replace"));
    let now = ctx.now;
    with_record(ctx, |records, i| {
        let record = &mut records[i];
        match (&mut record.data, replace) {
            (Value::Object(existing), false) => existing.extend(data),
            (slot, _) => *slot = Value::Object(data),
        }
        record.modified = now;
        record_json(record)
    })
}

fn delete(ctx: &Ctx) -> Result<Value, ApiError> {
    with_record(ctx, |records, i| {
        records.remove(i);
    })?;
    Ok(deleted())
}

fn create_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    create(ctx)
}
fn list_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    list(ctx)
}
fn read_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    read(ctx)
}
fn update_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    update(ctx)
}
fn delete_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    delete(ctx)
}
fn create_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    create(ctx)
}
fn list_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    list(ctx)
}
fn read_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    read(ctx)
}
fn update_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    update(ctx)
}
fn delete_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    delete(ctx)
}
