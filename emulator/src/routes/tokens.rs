//! Access and refresh tokens: validate, info, invalidate, sliding, refresh, revoke,
//! impersonation, and the legacy `/api/v2/access_token` checks.

use serde_json::{Value, json};

use super::{deleted, posted, user_ref};
use loginradius::codes;

use crate::errors::ApiError;
use crate::request::Ctx;
use crate::times::iso;

super::routes! {
    GET "/identity/v2/auth/access_token/validate", Bearer, validate;
    GET "/identity/v2/auth/access_token", Bearer, info;
    GET "/identity/v2/auth/access_token/invalidate", Bearer, invalidate;
    GET "/identity/v2/auth/access_token/sliding_token", Bearer, sliding;
    GET "/identity/v2/manage/account/access_token/refresh", Manage, refresh;
    GET "/identity/v2/manage/account/access_token/refresh/revoke", Manage, revoke;
    DELETE "/identity/v2/manage/account/{uid}/access_token/refresh/revoke", Manage, revoke_all;
    GET "/identity/v2/manage/account/access_token", Manage, impersonate;
    GET "/api/v2/access_token/validate", LegacySecret, legacy_validate;
    GET "/api/v2/access_token/invalidate", LegacySecret, legacy_invalidate;
}

fn token_of(ctx: &Ctx) -> Result<String, ApiError> {
    ctx.token
        .clone()
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_MISSING))
}

/// `{access_token, refresh_token, expires_in}` of the current token.
fn validate(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = token_of(ctx)?;
    let store = ctx.state.store();
    let session = store
        .sessions
        .get(&token)
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_INVALID))?;
    let mut out = json!({ "access_token": token, "expires_in": iso(session.expires) });
    if let Some(refresh) = session
        .refresh_token
        .as_ref()
        .filter(|r| store.refresh_tokens.contains_key(*r))
    {
        out["refresh_token"] = json!(refresh);
    }
    Ok(out)
}

fn info(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = token_of(ctx)?;
    Ok(json!({ "provider": "Email", "access_token": token, "isrememberme": false }))
}

fn invalidate(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = token_of(ctx)?;
    let prevent_refresh = ctx.query.flag("preventrefresh");
    let mut store = ctx.state.store();
    if let Some(session) = store.sessions.remove(&token)
        && prevent_refresh
        && let Some(refresh) = session.refresh_token
    {
        store.refresh_tokens.remove(&refresh);
    }
    Ok(posted())
}

fn sliding(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = token_of(ctx)?;
    let ttl = ctx.state.token_ttl();
    let mut store = ctx.state.store();
    let session = store
        .sessions
        .get_mut(&token)
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_INVALID))?;
    session.expires = ctx.now + ttl;
    let mut out = json!({ "access_token": token, "expires_in": iso(session.expires) });
    if let Some(refresh) = &session.refresh_token {
        out["refresh_token"] = json!(refresh);
    }
    Ok(out)
}

/// Refresh tokens are single-use: each refresh returns a new one.
fn refresh(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let refresh = ctx.required_query("refresh_token", codes::REFRESH_TOKEN_INVALID)?;
    let mut store = ctx.state.store();
    let rec = store
        .refresh_tokens
        .remove(&refresh)
        .filter(|r| r.expires > ctx.now)
        .ok_or_else(|| ApiError::new(codes::REFRESH_TOKEN_INVALID))?;
    user_ref(&store, &rec.uid)?;
    let (access, refresh, expires) = store.issue_session(&rec.uid, ctx.now, ctx.state.token_ttl());
    Ok(json!({ "access_token": access, "refresh_token": refresh, "expires_in": iso(expires) }))
}

fn revoke(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let refresh = ctx.required_query("refresh_token", codes::REFRESH_TOKEN_INVALID)?;
    let mut store = ctx.state.store();
    store
        .refresh_tokens
        .remove(&refresh)
        .ok_or_else(|| ApiError::new(codes::REFRESH_TOKEN_INVALID))?;
    Ok(deleted())
}

fn revoke_all(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    store.refresh_tokens.retain(|_, r| r.uid != uid);
    Ok(deleted())
}

fn impersonate(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    let (access, refresh, expires) = store.issue_session(&uid, ctx.now, ctx.state.token_ttl());
    Ok(json!({ "access_token": access, "refresh_token": refresh, "expires_in": iso(expires) }))
}

fn legacy_validate(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = token_of(ctx)?;
    let store = ctx.state.store();
    let session = store
        .sessions
        .get(&token)
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_INVALID))?;
    Ok(json!({ "access_token": token, "expires_in": iso(session.expires) }))
}

fn legacy_invalidate(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = token_of(ctx)?;
    ctx.state.store().sessions.remove(&token);
    Ok(json!({ "isPosted": true }))
}
