//! The implemented endpoints, one module per API family, and the helpers they share.

use serde_json::{Value, json};

use loginradius::codes;

use crate::endpoint::Route;
use crate::errors::ApiError;
use crate::outbox::OutboxMessage;
use crate::profile;
use crate::request::Ctx;
use crate::state::{LinkKind, Store, User};
use crate::times::iso;

mod account;
mod account_extra;
mod auth;
mod auth_extra;
mod consent;
mod contact;
mod custom_objects;
mod mfa;
mod mfa_otp;
mod one_touch;
mod passwordless;
mod passwordless_otp;
mod phone;
mod pin;
mod reauth;
mod roles;
mod security;
mod sessions;
mod site;
mod social;
mod tokens;
pub(crate) mod webhooks;

/// Declares routes: `route!(GET "/path", Cred, handler)`.
macro_rules! routes {
    ($( $method:ident $path:literal, $cred:ident, $handler:path; )*) => {
        pub(crate) fn routes() -> Vec<crate::endpoint::Route> {
            vec![$(crate::endpoint::Route {
                method: axum::http::Method::$method,
                template: $path,
                cred: crate::endpoint::Cred::$cred,
                handler: Some($handler as crate::endpoint::Handler),
            }),*]
        }
    };
}
pub(crate) use routes;

/// Every implemented route.
pub(crate) fn all() -> Vec<Route> {
    let mut all = Vec::new();
    for group in [
        auth::routes(),
        contact::routes(),
        tokens::routes(),
        account::routes(),
        mfa::routes(),
        roles::routes(),
        custom_objects::routes(),
        passwordless::routes(),
        site::routes(),
        webhooks::routes(),
        phone::routes(),
        mfa_otp::routes(),
        passwordless_otp::routes(),
        sessions::routes(),
        account_extra::routes(),
        security::routes(),
        pin::routes(),
        reauth::routes(),
        consent::routes(),
        one_touch::routes(),
        social::routes(),
        auth_extra::routes(),
    ] {
        all.extend(group);
    }
    all
}

/// `{"IsPosted": true}`.
pub(crate) fn posted() -> Value {
    json!({ "IsPosted": true })
}

/// `{"IsDeleted": true}`.
pub(crate) fn deleted() -> Value {
    json!({ "IsDeleted": true })
}

/// The user `uid`, or 938.
pub(crate) fn user_mut<'a>(store: &'a mut Store, uid: &str) -> Result<&'a mut User, ApiError> {
    store
        .users
        .get_mut(uid)
        .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))
}

/// The user `uid`, or 938.
pub(crate) fn user_ref<'a>(store: &'a Store, uid: &str) -> Result<&'a User, ApiError> {
    store
        .users
        .get(uid)
        .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))
}

/// The profile of `uid` with the `fields` query applied.
pub(crate) fn profile_of(ctx: &Ctx, store: &Store, uid: &str) -> Result<Value, ApiError> {
    Ok(profile::project(
        profile::profile_json(user_ref(store, uid)?),
        ctx.query.get("fields"),
    ))
}

/// Logs `uid` in: counts the login, issues tokens, and answers
/// `{Profile, access_token, refresh_token, expires_in}`.
pub(crate) fn login_envelope(ctx: &Ctx, store: &mut Store, uid: &str) -> Result<Value, ApiError> {
    let user = user_mut(store, uid)?;
    user.no_of_logins += 1;
    user.last_login = Some(ctx.now);
    ctx.hook("Login", uid);
    let (access, refresh, expires) = store.issue_session(uid, ctx.now, ctx.state.token_ttl());
    Ok(json!({
        "Profile": profile_of(ctx, store, uid)?,
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": iso(expires),
    }))
}

/// `base?vtype=…&vtoken=…` (or `&…` when `base` already has a query).
pub(crate) fn link(base: &str, vtype: &str, token: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}vtype={vtype}&vtoken={token}")
}

/// Creates a one-time link token for `uid` and captures the email that carries it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn send_link(
    ctx: &Ctx,
    store: &mut Store,
    kind: LinkKind,
    uid: &str,
    to: &str,
    ttl: time::Duration,
    url: Option<&str>,
    default_url: String,
) -> String {
    send_link_with_otp(ctx, store, kind, uid, to, ttl, url, default_url, None)
}

/// [`send_link`], the email also carrying the one-time code `otp` (passwordless login emails
/// carry both).
#[allow(clippy::too_many_arguments)]
pub(crate) fn send_link_with_otp(
    ctx: &Ctx,
    store: &mut Store,
    kind: LinkKind,
    uid: &str,
    to: &str,
    ttl: time::Duration,
    url: Option<&str>,
    default_url: String,
    otp: Option<String>,
) -> String {
    let token = store.issue_link(kind, uid, ctx.now + ttl);
    let (message_kind, vtype) = match kind {
        LinkKind::EmailVerification => {
            (crate::outbox::kind::EMAIL_VERIFICATION, "emailverification")
        }
        LinkKind::ResetPassword => (crate::outbox::kind::RESET_PASSWORD, "reset"),
        LinkKind::Passwordless => (crate::outbox::kind::PASSWORDLESS_LOGIN, "oneclicksignin"),
        LinkKind::DeleteAccount => (crate::outbox::kind::DELETE_ACCOUNT, "deleteuser"),
    };
    let link = match url {
        Some(base) => link(base, vtype, &token),
        None => default_url.replace("{token}", &token),
    };
    ctx.state.outbox.push(OutboxMessage {
        kind: message_kind.to_owned(),
        to: to.to_owned(),
        token: Some(token.clone()),
        otp,
        link: Some(link),
        sent_at: iso(ctx.now),
    });
    token
}

/// Sends a reset-password link to `email` for `uid` (to `resetpasswordurl` when given);
/// returns its token.
pub(crate) fn send_reset_link(ctx: &Ctx, store: &mut Store, uid: &str, email: &str) -> String {
    let default = format!("{}/emulator?vtype=reset&vtoken={{token}}", ctx.origin);
    let url = ctx.query.get("resetpasswordurl").map(str::to_owned);
    // The email carries a one-time code too, for the reset by email and code.
    let otp = store.issue_otp(
        crate::extras::OtpPurpose::ResetPassword,
        uid,
        email,
        ctx.now,
    );
    send_link_with_otp(
        ctx,
        store,
        LinkKind::ResetPassword,
        uid,
        email,
        crate::state::LINK_TTL,
        url.as_deref(),
        default,
        Some(otp),
    )
}

/// Sends an email verification link to `email` for `uid`.
pub(crate) fn send_verification(ctx: &Ctx, store: &mut Store, uid: &str, email: &str) {
    let default = format!(
        "{}/identity/v2/auth/email?apikey={}&verificationtoken={{token}}",
        ctx.origin, ctx.state.config.api_key
    );
    let url = ctx.query.get("verificationurl").map(str::to_owned);
    // The email carries a one-time code too, for `PUT /auth/email` (verify by OTP).
    let otp = store.issue_otp(
        crate::extras::OtpPurpose::EmailVerification,
        uid,
        email,
        ctx.now,
    );
    send_link_with_otp(
        ctx,
        store,
        LinkKind::EmailVerification,
        uid,
        email,
        crate::state::LINK_TTL,
        url.as_deref(),
        default,
        Some(otp),
    );
}

/// Consumes a one-time link token of `kind`: 1063 when unknown, of another kind or already
/// used (`used_code` for email verification), 975 when expired. Returns the uid.
pub(crate) fn consume_link(
    ctx: &Ctx,
    store: &mut Store,
    token: &str,
    kind: LinkKind,
    used_code: i64,
) -> Result<String, ApiError> {
    let link = store
        .links
        .get_mut(token.trim())
        .filter(|l| l.kind == kind)
        .ok_or_else(|| ApiError::new(codes::VERIFICATION_TOKEN_INVALID))?;
    if link.used {
        return Err(ApiError::new(used_code));
    }
    if link.expires <= ctx.now {
        return Err(ApiError::new(codes::VERIFICATION_LINK_EXPIRED));
    }
    link.used = true;
    let uid = link.uid.clone();
    if !store.users.contains_key(&uid) {
        return Err(ApiError::new(codes::USER_NOT_FOUND));
    }
    Ok(uid)
}

/// The answer for a catalog endpoint the emulator does not implement: 501 with code 909 and a
/// description saying so.
pub(crate) fn not_supported(method: &str, template: &str) -> ApiError {
    ApiError::new(codes::ENDPOINT_NOT_PERMITTED)
        .with_status(axum::http::StatusCode::NOT_IMPLEMENTED)
        .with_description(format!(
            "{method} {template} is not supported by the LoginRadius emulator. See GET /emulator/coverage for the endpoints it implements."
        ))
}
