//! Webhook subscriptions (`/v2/manage/webhooks`): subscribe a target URL to an event, list,
//! read, change and delete subscriptions, and list the events. The key and the secret travel in
//! the query (`apikey`, `apisecret`), as the service requires. Deliveries go out through [`deliveries`](crate::deliveries).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use loginradius::codes;

use crate::errors::ApiError;
use crate::extras::{Fresh, Webhook, fresh};
use crate::request::{Ctx, get_ci, str_ci};
use crate::times::iso;

super::routes! {
    GET "/v2/manage/webhooks", Manage, list;
    POST "/v2/manage/webhooks", Manage, create;
    GET "/v2/manage/webhooks/events", Manage, events;
    GET "/v2/manage/webhooks/{hook_id}", Manage, get_one;
    PUT "/v2/manage/webhooks/{hook_id}", Manage, update;
    DELETE "/v2/manage/webhooks/{hook_id}", Manage, delete;
}

/// The events a webhook can follow, as `GET /v2/manage/webhooks/events` lists them.
pub(crate) const EVENTS: &[&str] = &[
    "Login",
    "Register",
    "UpdateProfile",
    "ResetPassword",
    "ChangePassword",
    "EmailVerification",
    "AddEmail",
    "RemoveEmail",
    "BlockAccount",
    "DeleteAccount",
    "SetUsername",
    "CreateTraditionalAccount",
    "AssignRoles",
    "UnassignRoles",
    "SetPassword",
    "LinkAccount",
    "UnlinkAccount",
    "UpdatePhoneId",
    "VerifyPhoneNumber",
    "InvalidateEmailVerification",
    "RemoveRoleContext",
    "CreateCustomObject",
    "UpdateCustomObject",
    "DeleteCustomObject",
    "InvalidatePhoneVerification",
    "RemovePhoneId",
    "ConsentProfileUpdate",
    "SetPIN",
    "ResetPIN",
    "ChangePIN",
    "UpdateUid",
];

/// Most subscriptions one event may have (code 1085 beyond).
const PER_EVENT_LIMIT: usize = 5;

/// The subscription as the service shows it. A `Password` inside `Authentication` is never
/// echoed (the published sample shows it blank).
fn shown(hook: &Webhook) -> Value {
    let mut authentication = hook.authentication.clone().unwrap_or(Value::Null);
    blank_passwords(&mut authentication);
    json!({
        "Id": hook.id,
        "TargetUrl": hook.target_url,
        "Event": hook.event,
        "CreatedDate": iso(hook.created),
        "LastModifiedDate": iso(hook.modified),
        "SecretName": "",
        "IsIntegrationWebhook": false,
        "Name": hook.name,
        "Headers": hook.headers,
        "QueryParams": hook.query_params,
        "Authentication": authentication,
    })
}

fn blank_passwords(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("token") {
                    *inner = Value::String(String::new());
                } else {
                    blank_passwords(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(blank_passwords),
        _ => {}
    }
}

/// An absolute `http`/`https` URL with a host.
fn valid_target(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// A `{name: string}` object of the body (`Headers`, `QueryParams`); 1090 when another shape.
fn string_map(body: &Map<String, Value>, key: &str) -> Result<BTreeMap<String, Value>, ApiError> {
    match get_ci(body, key) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) if map.values().all(Value::is_string) => {
            Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        Some(_) => Err(ApiError::validation(
            key,
            format!("The {key} field must be an object of strings."),
        )),
    }
}

fn authentication(body: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    match get_ci(body, "Authentication") {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(ApiError::validation(
            "Authentication",
            "The Authentication field must be an object.",
        )),
    }
}

fn list(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let data: Vec<Value> = store.extras.webhooks.iter().map(shown).collect();
    Ok(json!({ "Data": data }))
}

fn events(_ctx: &mut Ctx) -> Result<Value, ApiError> {
    Ok(json!({ "Data": EVENTS }))
}

fn get_one(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let id = ctx.param("hook_id").to_owned();
    let store = ctx.state.store();
    let data: Vec<Value> = store
        .extras
        .webhooks
        .iter()
        .filter(|h| h.id == id)
        .map(shown)
        .collect();
    Ok(json!({ "Data": data }))
}

/// Subscribes: 1086 on an unknown event, 1087 on a target that is not an http(s) URL, 1110 when
/// the target already follows the event, 1085 beyond five subscriptions of one event.
fn create(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let event = str_ci(&body, "Event")
        .and_then(|e| EVENTS.iter().find(|k| k.eq_ignore_ascii_case(&e)).copied())
        .ok_or_else(|| ApiError::new(codes::WEBHOOK_EVENT_INVALID))?;
    let target = str_ci(&body, "TargetUrl")
        .filter(|u| valid_target(u))
        .ok_or_else(|| ApiError::new(codes::WEBHOOK_URL_INVALID))?;
    let headers = string_map(&body, "Headers")?;
    let query_params = string_map(&body, "QueryParams")?;
    let authentication = authentication(&body)?;
    let mut store = ctx.state.store();
    let id = fresh(&mut store.ids, Fresh::RecordId);
    let hooks = &mut store.extras.webhooks;
    if hooks
        .iter()
        .any(|h| h.event == event && h.target_url == target)
    {
        return Err(ApiError::new(codes::WEBHOOK_ALREADY_SUBSCRIBED));
    }
    if hooks.iter().filter(|h| h.event == event).count() >= PER_EVENT_LIMIT {
        return Err(ApiError::new(codes::WEBHOOK_LIMIT_EXCEEDED));
    }
    let hook = Webhook {
        id,
        event: event.to_owned(),
        name: str_ci(&body, "Name").unwrap_or_default(),
        target_url: target,
        created: ctx.now,
        modified: ctx.now,
        headers,
        query_params,
        authentication,
    };
    let answer = shown(&hook);
    hooks.push(hook);
    Ok(answer)
}

/// Changes headers, query parameters or authentication: 1112 when the id is not subscribed.
fn update(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let id = ctx.param("hook_id").to_owned();
    let body = ctx.body()?;
    let headers = get_ci(&body, "Headers")
        .map(|_| string_map(&body, "Headers"))
        .transpose()?;
    let query_params = get_ci(&body, "QueryParams")
        .map(|_| string_map(&body, "QueryParams"))
        .transpose()?;
    let auth = authentication(&body)?;
    let mut store = ctx.state.store();
    let hook = store
        .extras
        .webhooks
        .iter_mut()
        .find(|h| h.id == id)
        .ok_or_else(|| ApiError::new(codes::WEBHOOK_NOT_SUBSCRIBED))?;
    if let Some(headers) = headers {
        hook.headers = headers;
    }
    if let Some(query_params) = query_params {
        hook.query_params = query_params;
    }
    if auth.is_some() {
        hook.authentication = auth;
    }
    hook.modified = ctx.now;
    Ok(shown(hook))
}

/// Unsubscribes: `{"isdeleted": true}` (the published casing); 1112 when not subscribed.
fn delete(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let id = ctx.param("hook_id").to_owned();
    let mut store = ctx.state.store();
    let hooks = &mut store.extras.webhooks;
    let before = hooks.len();
    hooks.retain(|h| h.id != id);
    if hooks.len() == before {
        return Err(ApiError::new(codes::WEBHOOK_NOT_SUBSCRIBED));
    }
    Ok(json!({ "isdeleted": true }))
}
