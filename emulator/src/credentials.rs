//! The checks the real service makes before an endpoint runs: the API key on every call, the
//! API secret or a request signature on `/manage` calls, a SOTT on registration, a Bearer token
//! where a user acts.

use loginradius::wire::signing;
use loginradius::wire::sott::parse_window_time;
use time::OffsetDateTime;

use loginradius::codes;

use crate::endpoint::Cred;
use crate::errors::ApiError;
use crate::request::Ctx;

/// Runs the checks `cred` names; on success a Bearer check leaves the user in `ctx.uid`.
pub(crate) fn check(ctx: &mut Ctx, cred: Cred) -> Result<(), ApiError> {
    match cred {
        Cred::Key => api_key(ctx),
        Cred::Bearer => {
            api_key(ctx)?;
            bearer(ctx)
        }
        Cred::Manage => {
            api_key(ctx)?;
            manage(ctx)
        }
        Cred::Sott => {
            api_key(ctx)?;
            sott(ctx)
        }
        Cred::LegacySecret => {
            api_key(ctx)?;
            legacy_secret(ctx)?;
            bearer(ctx)
        }
        Cred::SecretOnly => legacy_secret(ctx),
        Cred::KeyAndSecret => {
            api_key(ctx)?;
            legacy_secret(ctx)
        }
    }
}

/// `apikey` (or `key`) in the query, or `X-LoginRadius-ApiKey`: 922 when missing, 901 when wrong.
fn api_key(ctx: &Ctx) -> Result<(), ApiError> {
    let given = ctx
        .query
        .get("apikey")
        .or_else(|| ctx.query.get("key"))
        .or_else(|| ctx.header("x-loginradius-apikey"));
    match given {
        None => Err(ApiError::new(codes::API_KEY_MISSING)),
        Some(key) if key.eq_ignore_ascii_case(&ctx.state.config.api_key) => Ok(()),
        Some(_) => Err(ApiError::new(codes::API_KEY_UNAUTHORIZED)),
    }
}

/// A `/manage` call: a valid `digest` + unexpired `X-Request-Expires`, or (unless signing is
/// required) the secret in `X-LoginRadius-ApiSecret` or the `apisecret` query.
fn manage(ctx: &Ctx) -> Result<(), ApiError> {
    let secret = ctx.state.config.api_secret.as_str();
    if let Some(digest) = ctx.header(signing::DIGEST_HEADER) {
        let expires = ctx
            .header(signing::EXPIRES_HEADER)
            .ok_or_else(|| ApiError::new(codes::REQUEST_EXPIRY_MISSING))?;
        let at = signing::parse_expires(expires)
            .ok_or_else(|| ApiError::new(codes::REQUEST_EXPIRY_FORMAT_INVALID))?;
        if at <= ctx.now {
            return Err(ApiError::new(codes::REQUEST_EXPIRY_INVALID));
        }
        let body = std::str::from_utf8(&ctx.raw_body)
            .map_err(|_| ApiError::new(codes::SIGNATURE_INVALID))?;
        // A body is signed as sent. With no body, the reference SDK signs ":{}" (every GET but
        // SOTT generation) and other clients sign nothing: accept either.
        let candidates: &[Option<&str>] = if body.trim().is_empty() {
            &[Some("{}"), None]
        } else {
            &[Some(body)]
        };
        return if candidates
            .iter()
            .any(|p| signing::verify(secret, expires, &ctx.url, *p, digest))
        {
            Ok(())
        } else {
            Err(ApiError::new(codes::SIGNATURE_INVALID))
        };
    }
    if ctx.state.config.require_signing {
        return Err(ApiError::new(codes::SIGNATURE_MISSING));
    }
    match ctx
        .header("x-loginradius-apisecret")
        .or_else(|| ctx.query.get("apisecret"))
    {
        None => Err(ApiError::new(1209)),
        Some(given) if given == secret => Ok(()),
        Some(_) => Err(ApiError::new(codes::API_SECRET_UNAUTHORIZED)),
    }
}

/// Legacy `/api/v2` calls carry the secret in the query (`secret`).
fn legacy_secret(ctx: &Ctx) -> Result<(), ApiError> {
    match ctx
        .query
        .get("secret")
        .or_else(|| ctx.query.get("apisecret"))
    {
        None => Err(ApiError::new(codes::API_SECRET_MISSING)),
        Some(given) if given == ctx.state.config.api_secret => Ok(()),
        Some(_) => Err(ApiError::new(codes::API_SECRET_UNAUTHORIZED)),
    }
}

/// The access token: `Authorization: Bearer`, else `access_token` in the query or body.
/// 1060 when missing, 905 when unknown, 906 when expired.
pub(crate) fn bearer(ctx: &mut Ctx) -> Result<(), ApiError> {
    let from_header = ctx.header("authorization").and_then(|v| {
        let (scheme, token) = v.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned())
    });
    let token = from_header
        .or_else(|| ctx.query.get("access_token").map(str::to_owned))
        .or_else(|| {
            ctx.body()
                .ok()
                .and_then(|b| crate::request::str_ci(&b, "access_token"))
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_MISSING))?;
    let store = ctx.state.store();
    let session = store
        .sessions
        .get(&token)
        .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_INVALID))?;
    if session.expires <= ctx.now {
        return Err(ApiError::new(codes::ACCESS_TOKEN_EXPIRED));
    }
    if !store.users.contains_key(&session.uid) {
        return Err(ApiError::new(codes::ACCESS_TOKEN_INVALID));
    }
    let uid = session.uid.clone();
    drop(store);
    ctx.uid = Some(uid);
    ctx.token = Some(token);
    Ok(())
}

/// `X-LoginRadius-Sott` (or a `sott` query): 1048 when missing; 1049 when it does not decrypt
/// with this secret, names another key, or `now` is outside its window.
fn sott(ctx: &Ctx) -> Result<(), ApiError> {
    let sott = ctx
        .header("x-loginradius-sott")
        .or_else(|| ctx.query.get("sott"))
        .ok_or_else(|| ApiError::new(codes::SOTT_REQUIRED))?;
    let invalid = || ApiError::new(codes::SOTT_INVALID);
    let content = ctx.state.sott_key.open(sott).map_err(|_| invalid())?;
    if !content
        .api_key
        .eq_ignore_ascii_case(&ctx.state.config.api_key)
    {
        return Err(invalid());
    }
    let start = parse_window_time(&content.start).ok_or_else(invalid)?;
    let end = parse_window_time(&content.end).ok_or_else(invalid)?;
    if sott_window_contains(start, end, ctx.now) {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Whether `now` is inside `[start, end]`. Strict, like the service: a window written with the
/// reference Python SDK's 12-hour clock (13:30 written `01:30`) is outside in the afternoon, and
/// an expired window never becomes valid again (fail closed).
pub(crate) fn sott_window_contains(
    start: OffsetDateTime,
    end: OffsetDateTime,
    now: OffsetDateTime,
) -> bool {
    start <= now && now <= end
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sott_window() {
        let start = datetime!(2025-03-05 13:30:00 UTC);
        let end = datetime!(2025-03-05 13:40:00 UTC);
        assert!(sott_window_contains(
            start,
            end,
            datetime!(2025-03-05 13:35:00 UTC)
        ));
        assert!(!sott_window_contains(
            start,
            end,
            datetime!(2025-03-05 13:41:00 UTC)
        ));
        assert!(!sott_window_contains(
            start,
            end,
            datetime!(2025-03-05 13:29:00 UTC)
        ));
        // The Python SDK's 12-hour clock writes 13:30 as 01:30: that window is over at 13:35,
        // and it is not read as an afternoon window.
        let (s12, e12) = (
            datetime!(2025-03-05 01:30:00 UTC),
            datetime!(2025-03-05 01:40:00 UTC),
        );
        assert!(!sott_window_contains(
            s12,
            e12,
            datetime!(2025-03-05 13:35:00 UTC)
        ));
    }
}
