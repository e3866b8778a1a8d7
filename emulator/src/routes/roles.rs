//! Roles, permissions, role assignment and role contexts (`/identity/v2/manage/role...`,
//! `/identity/v2/manage/account/{uid}/role...`). Role names match case-insensitively and are
//! answered in the spelling they were created with.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{deleted, user_mut, user_ref};
use loginradius::codes;

use crate::errors::ApiError;
use crate::request::{Ctx, get_ci, str_ci, strings_ci};
use crate::state::{RoleContextRec, Store};
use crate::times::{iso, parse_lenient};

super::routes! {
    GET "/identity/v2/manage/role", Manage, list;
    POST "/identity/v2/manage/role", Manage, create;
    DELETE "/identity/v2/manage/role/{role}", Manage, delete;
    PUT "/identity/v2/manage/role/{role}/permission", Manage, add_permissions;
    DELETE "/identity/v2/manage/role/{role}/permission", Manage, remove_permissions;
    GET "/identity/v2/manage/account/{uid}/role", Manage, of_user;
    PUT "/identity/v2/manage/account/{uid}/role", Manage, assign;
    DELETE "/identity/v2/manage/account/{uid}/role", Manage, unassign;
    GET "/identity/v2/manage/account/{uid}/rolecontext", Manage, contexts_of_user;
    PUT "/identity/v2/manage/account/{uid}/rolecontext", Manage, upsert_contexts;
    DELETE "/identity/v2/manage/account/{uid}/rolecontext/{context_name}", Manage, delete_context;
    DELETE "/identity/v2/manage/account/{uid}/rolecontext/{context_name}/role", Manage, remove_context_roles;
    DELETE "/identity/v2/manage/account/{uid}/rolecontext/{context_name}/additionalpermission", Manage, remove_context_permissions;
    GET "/identity/v2/manage/account/rolecontext/{context_name}", Manage, users_in_context;
}

fn role_json(name: &str, permissions: &BTreeMap<String, bool>) -> Value {
    json!({ "Name": name, "Permissions": permissions })
}

fn list(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let data: Vec<Value> = store.roles.iter().map(|(n, p)| role_json(n, p)).collect();
    Ok(json!({ "data": data, "Count": data.len() }))
}

/// Permissions as `{"p": true}` or `["p"]`.
fn permissions_from(value: Option<&Value>) -> BTreeMap<String, bool> {
    match value {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_bool().unwrap_or(true)))
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|p| (p.to_owned(), true))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn valid_role_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
}

fn create(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let Some(Value::Array(items)) = get_ci(&body, "roles") else {
        return Err(ApiError::validation(
            "roles",
            "The roles field is required.",
        ));
    };
    let mut created = Vec::new();
    for item in items {
        let obj = item
            .as_object()
            .ok_or_else(|| ApiError::new(codes::ROLE_NAME_INVALID))?;
        let name = str_ci(obj, "name").unwrap_or_default();
        if !valid_role_name(&name) {
            return Err(ApiError::new(codes::ROLE_NAME_INVALID));
        }
        created.push((name, permissions_from(get_ci(obj, "permissions"))));
    }
    let mut store = ctx.state.store();
    for (i, (name, _)) in created.iter().enumerate() {
        let duplicate_in_request = created[..i]
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name));
        if store.role_name(name).is_some() || duplicate_in_request {
            return Err(ApiError::new(codes::ROLE_NAME_INVALID));
        }
    }
    let data: Vec<Value> = created.iter().map(|(n, p)| role_json(n, p)).collect();
    store.roles.extend(created);
    Ok(json!({ "data": data, "Count": data.len() }))
}

/// The stored name of role `{role}`, or 1047.
fn existing_role(store: &Store, name: &str) -> Result<String, ApiError> {
    store
        .role_name(name)
        .ok_or_else(|| ApiError::new(codes::ROLE_NOT_FOUND))
}

fn delete(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    let name = existing_role(&store, ctx.param("role"))?;
    store.roles.remove(&name);
    for user in store.users.values_mut() {
        user.roles.retain(|r| r != &name);
        for context in &mut user.role_contexts {
            context.roles.retain(|r| r != &name);
        }
    }
    Ok(deleted())
}

fn change_permissions(ctx: &Ctx, add: bool) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let permissions = strings_ci(&body, "permissions")
        .ok_or_else(|| ApiError::validation("permissions", "The permissions field is required."))?;
    let mut store = ctx.state.store();
    let name = existing_role(&store, ctx.param("role"))?;
    let role = store.roles.entry(name.clone()).or_default();
    for p in permissions {
        if add {
            role.insert(p, true);
        } else {
            role.retain(|k, _| !k.eq_ignore_ascii_case(&p));
        }
    }
    Ok(role_json(&name, role))
}

fn add_permissions(ctx: &mut Ctx) -> Result<Value, ApiError> {
    change_permissions(ctx, true)
}

fn remove_permissions(ctx: &mut Ctx) -> Result<Value, ApiError> {
    change_permissions(ctx, false)
}

fn of_user(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let user = user_ref(&store, ctx.param("uid"))?;
    Ok(json!({ "Roles": user.roles }))
}

/// The stored names of `roles`; 1047 if any does not exist.
fn existing_roles(store: &Store, roles: &[String]) -> Result<Vec<String>, ApiError> {
    roles.iter().map(|r| existing_role(store, r)).collect()
}

fn roles_in_body(ctx: &Ctx) -> Result<Vec<String>, ApiError> {
    strings_ci(&ctx.body()?, "roles")
        .ok_or_else(|| ApiError::validation("roles", "The roles field is required."))
}

fn assign(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let roles = roles_in_body(ctx)?;
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    let roles = existing_roles(&store, &roles)?;
    let user = user_mut(&mut store, &uid)?;
    for role in roles {
        if !user.roles.contains(&role) {
            user.roles.push(role);
        }
    }
    user.modified = ctx.now;
    let roles = json!({ "Roles": user.roles });
    ctx.hook("AssignRoles", &uid);
    Ok(roles)
}

fn unassign(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let roles = roles_in_body(ctx)?;
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    user.roles
        .retain(|r| !roles.iter().any(|x| x.eq_ignore_ascii_case(r)));
    user.modified = ctx.now;
    ctx.hook("UnassignRoles", &uid);
    Ok(deleted())
}

fn context_json(c: &RoleContextRec) -> Value {
    json!({
        "Context": c.context,
        "Roles": c.roles,
        "AdditionalPermissions": c.additional_permissions,
        "Expiration": c.expiration.map(iso),
    })
}

fn contexts_of_user(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let user = user_ref(&store, ctx.param("uid"))?;
    let data: Vec<Value> = user.role_contexts.iter().map(context_json).collect();
    Ok(json!({ "Data": data }))
}

fn parse_context(store: &Store, obj: &Map<String, Value>) -> Result<RoleContextRec, ApiError> {
    let context = str_ci(obj, "context")
        .ok_or_else(|| ApiError::validation("context", "The context field is required."))?;
    let roles = existing_roles(store, &strings_ci(obj, "roles").unwrap_or_default())?;
    let additional_permissions = strings_ci(obj, "additionalpermissions").unwrap_or_default();
    let expiration = match str_ci(obj, "expiration") {
        None => None,
        Some(text) => Some(parse_lenient(&text).ok_or_else(|| {
            ApiError::validation("expiration", "The expiration field is not a valid date.")
        })?),
    };
    Ok(RoleContextRec {
        context,
        roles,
        additional_permissions,
        expiration,
    })
}

/// Upserts contexts by name. Expired contexts are kept and returned with their `Expiration`:
/// deciding what an expired context grants is the client's job.
fn upsert_contexts(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let Some(Value::Array(items)) = get_ci(&body, "rolecontext") else {
        return Err(ApiError::validation(
            "rolecontext",
            "The rolecontext field is required.",
        ));
    };
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    let mut parsed = Vec::new();
    for item in items {
        let obj = item.as_object().ok_or_else(|| {
            ApiError::validation("rolecontext", "Each rolecontext entry must be an object.")
        })?;
        parsed.push(parse_context(&store, obj)?);
    }
    let user = user_mut(&mut store, &uid)?;
    for new in parsed {
        match user
            .role_contexts
            .iter_mut()
            .find(|c| c.context.eq_ignore_ascii_case(&new.context))
        {
            Some(existing) => *existing = new,
            None => user.role_contexts.push(new),
        }
    }
    user.modified = ctx.now;
    let data: Vec<Value> = user.role_contexts.iter().map(context_json).collect();
    Ok(json!({ "Data": data }))
}

fn with_context<F>(ctx: &Ctx, change: F) -> Result<Value, ApiError>
where
    F: FnOnce(&mut Vec<RoleContextRec>, usize),
{
    let uid = ctx.param("uid").to_owned();
    let name = ctx.param("context_name").to_owned();
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    let index = user
        .role_contexts
        .iter()
        .position(|c| c.context.eq_ignore_ascii_case(&name))
        .ok_or_else(|| {
            ApiError::new(codes::INVALID_PARAMETER_FORMAT).with_description(format!(
                "The role context '{name}' does not exist for this user."
            ))
        })?;
    change(&mut user.role_contexts, index);
    user.modified = ctx.now;
    ctx.hook("RemoveRoleContext", &uid);
    Ok(deleted())
}

fn delete_context(ctx: &mut Ctx) -> Result<Value, ApiError> {
    with_context(ctx, |contexts, i| {
        contexts.remove(i);
    })
}

fn remove_context_roles(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let roles = roles_in_body(ctx)?;
    with_context(ctx, |contexts, i| {
        contexts[i]
            .roles
            .retain(|r| !roles.iter().any(|x| x.eq_ignore_ascii_case(r)));
    })
}

fn remove_context_permissions(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let permissions = strings_ci(&ctx.body()?, "additionalpermissions").ok_or_else(|| {
        ApiError::validation(
            "additionalpermissions",
            "The additionalpermissions field is required.",
        )
    })?;
    with_context(ctx, |contexts, i| {
        contexts[i]
            .additional_permissions
            .retain(|p| !permissions.iter().any(|x| x.eq_ignore_ascii_case(p)));
    })
}

fn users_in_context(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let name = ctx.param("context_name").to_owned();
    let store = ctx.state.store();
    let mut data = Vec::new();
    for user in store.users.values() {
        for c in user
            .role_contexts
            .iter()
            .filter(|c| c.context.eq_ignore_ascii_case(&name))
        {
            let profile = crate::profile::profile_json(user);
            data.push(json!({
                "RoleContext": {
                    "Roles": c.roles,
                    "AdditionalPermissions": c.additional_permissions,
                    "Expiration": c.expiration.map(iso),
                },
                "Uid": user.uid,
                "LastLoginDate": user.last_login.map(iso),
                "FullName": profile["FullName"],
                "Email": profile["Email"],
                "ImageUrl": user.fields.get("ImageUrl"),
            }));
        }
    }
    Ok(json!({ "Data": data }))
}
