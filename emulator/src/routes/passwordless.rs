//! Passwordless login by an emailed link (the email also carries a one-time code, see
//! [`passwordless_otp`](super::passwordless_otp)).

use serde_json::Value;

use super::{consume_link, login_envelope, posted, send_link_with_otp, user_mut};
use crate::extras::OtpPurpose;
use loginradius::codes;

use crate::errors::ApiError;
use crate::request::Ctx;
use crate::state::{LinkKind, PASSWORDLESS_TTL};

super::routes! {
    GET "/identity/v2/auth/login/passwordlesslogin/email", Key, send;
    GET "/identity/v2/auth/login/passwordlesslogin/email/verify", Key, verify;
}

/// Sends a login link to the user named by `email` or `username` (1023 / 938 when unknown).
fn send(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    let uid = if let Some(email) = ctx.query.get("email") {
        store
            .uid_by_email(email)
            .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?
    } else if let Some(name) = ctx.query.get("username") {
        store
            .uid_by_username(name)
            .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?
    } else {
        return Err(ApiError::new(codes::EMAIL_OR_USERNAME_REQUIRED));
    };
    let to = store
        .users
        .get(&uid)
        .and_then(|u| u.primary_email().map(str::to_owned))
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    let default = format!(
        "{}/identity/v2/auth/login/passwordlesslogin/email/verify?apikey={}&verificationtoken={{token}}",
        ctx.origin, ctx.state.config.api_key
    );
    let url = ctx.query.get("verificationurl").map(str::to_owned);
    // The email carries a one-time code too, for the verify-by-OTP calls.
    let otp = store.issue_otp(OtpPurpose::Passwordless, &uid, &to, ctx.now);
    send_link_with_otp(
        ctx,
        &mut store,
        LinkKind::Passwordless,
        &uid,
        &to,
        PASSWORDLESS_TTL,
        url.as_deref(),
        default,
        Some(otp),
    );
    Ok(posted())
}

/// Exchanges a link token (single use) for a login. Following the link proves the address, so
/// it also marks the email verified.
fn verify(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("verificationtoken", codes::VERIFICATION_TOKEN_INVALID)?;
    let mut store = ctx.state.store();
    let uid = consume_link(
        ctx,
        &mut store,
        &token,
        LinkKind::Passwordless,
        codes::VERIFICATION_TOKEN_INVALID,
    )?;
    let user = user_mut(&mut store, &uid)?;
    if !user.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    user.email_verified = true;
    login_envelope(ctx, &mut store, &uid)
}
