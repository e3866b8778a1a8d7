//! Legacy `/api/v2/access_token` calls beyond validate/invalidate: the token refresh (secret
//! only, no API key) and the active sessions of a user (by token, uid or profile id).

use serde_json::{Value, json};

use loginradius::codes;

use super::user_ref;
use crate::errors::ApiError;
use crate::request::Ctx;
use crate::times::iso;

super::routes! {
    GET "/api/v2/access_token/refresh", SecretOnly, refresh;
    GET "/api/v2/access_token/activesession", KeyAndSecret, active_sessions;
}

/// `GET /api/v2/access_token/refresh?access_token=&secret=`: a live token gets a new lifetime
/// (`expiresIn` minutes when given, else the site's). 1060 missing, 905 unknown, 906 expired.
fn refresh(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("access_token", codes::ACCESS_TOKEN_MISSING)?;
    let ttl = ctx
        .query
        .get("expiresIn")
        .and_then(|m| m.parse::<i64>().ok())
        .filter(|m| (1..=60 * 24 * 365).contains(m))
        .map_or_else(|| ctx.state.token_ttl(), time::Duration::minutes);
    let mut store = ctx.state.store();
    let session = store
        .sessions
        .get_mut(&token)
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_INVALID))?;
    if session.expires <= ctx.now {
        return Err(ApiError::new(codes::ACCESS_TOKEN_EXPIRED));
    }
    session.expires = ctx.now + ttl;
    let mut out = json!({ "access_token": token, "expires_in": iso(session.expires) });
    if let Some(refresh) = &session.refresh_token {
        out["refresh_token"] = json!(refresh);
    }
    Ok(out)
}

/// `GET /api/v2/access_token/activesession?key=&secret=` with `token`, `accountId` (uid) or
/// `profileId`: the user's live sessions,
/// `{"data": [{AccessToken, Browser, Device, Os, DeviceType, City, Country, Ip, LoginDate}],
/// "nextcursor": 0}`. The emulator records no device data; `LoginDate` is when the session's
/// current lifetime began. 905 unknown token, 938 unknown user.
fn active_sessions(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let uid = if let Some(token) = ctx.query.get("token") {
        store
            .sessions
            .get(token)
            .filter(|s| s.expires > ctx.now)
            .map(|s| s.uid.clone())
            .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_INVALID))?
    } else if let Some(uid) = ctx.query.get("accountId") {
        user_ref(&store, uid)?.uid.clone()
    } else if let Some(profile_id) = ctx.query.get("profileId") {
        store
            .users
            .values()
            .find(|u| u.id == profile_id)
            .map(|u| u.uid.clone())
            .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?
    } else {
        return Err(ApiError::validation(
            "token",
            "One of token, accountId or profileId is required.",
        ));
    };
    let ttl = ctx.state.token_ttl();
    let mut sessions: Vec<(&String, time::OffsetDateTime)> = store
        .sessions
        .iter()
        .filter(|(_, s)| s.uid == uid && s.expires > ctx.now)
        .map(|(token, s)| (token, s.expires))
        .collect();
    sessions.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let data: Vec<Value> = sessions
        .into_iter()
        .map(|(token, expires)| {
            json!({
                "AccessToken": token,
                "Browser": null,
                "Device": null,
                "Os": null,
                "DeviceType": null,
                "City": null,
                "Country": null,
                "Ip": null,
                "LoginDate": iso(expires - ttl),
            })
        })
        .collect();
    Ok(json!({ "data": data, "nextcursor": 0 }))
}
