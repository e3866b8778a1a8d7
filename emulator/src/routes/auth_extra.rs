//! Registration with a CAPTCHA answer instead of a SOTT, email verification by the code of the
//! verification email, and the unlock challenge of a signed-in user.
//!
//! The emulator cannot ask Google whether a CAPTCHA answer is right: it accepts any non-blank
//! `g-recaptcha-response` and refuses a missing or blank one (982), so a client that forgets to
//! send the answer fails here as it would against the service.

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::phone::email_refusal;
use super::security::{answers_in, check_answers};
use super::{login_envelope, posted, user_mut};
use crate::errors::ApiError;
use crate::extras::OtpPurpose;
use crate::request::{Ctx, get_ci, str_ci};

super::routes! {
    POST "/identity/v2/auth/register/captcha", Key, register_with_captcha;
    PUT "/identity/v2/auth/email", Key, verify_email_by_otp;
    PUT "/identity/v2/auth/account/unlock", Bearer, unlock;
}

/// The CAPTCHA answer of a body: 982 when missing or blank.
fn captcha(body: &Map<String, Value>) -> Result<String, ApiError> {
    str_ci(body, "g-recaptcha-response").ok_or_else(|| ApiError::new(codes::CAPTCHA_INVALID))
}

/// `POST /auth/register/captcha`: the registration of `POST /auth/register`, proven by a
/// CAPTCHA answer instead of a SOTT.
fn register_with_captcha(ctx: &mut Ctx) -> Result<Value, ApiError> {
    captcha(&ctx.body()?)?;
    super::auth::register(ctx)
}

/// `PUT /auth/email` with `{"email", "otp"}`: verifies the address with the code of its
/// verification email (1188 wrong, 1187 expired) and signs the user in.
fn verify_email_by_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let otp = str_ci(&body, "otp")
        .ok_or_else(|| ApiError::validation("otp", "The otp field is required."))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    store
        .extras
        .consume_otp(
            OtpPurpose::EmailVerification,
            |o| o.uid == uid && o.to.eq_ignore_ascii_case(&email),
            &otp,
            ctx.now,
        )
        .map_err(email_refusal)?;
    // The emailed link is spent with its code.
    for link in store.links.values_mut() {
        if link.uid == uid && link.kind == crate::state::LinkKind::EmailVerification {
            link.used = true;
        }
    }
    let user = user_mut(&mut store, &uid)?;
    user.email_verified = true;
    user.modified = ctx.now;
    let data = login_envelope(ctx, &mut store, &uid)?;
    Ok(json!({ "IsPosted": true, "Data": data }))
}

/// `PUT /auth/account/unlock` with a CAPTCHA answer (`g-recaptcha-response`, 982 when blank)
/// or the security answers (`securityanswer`, 1094 when wrong).
fn unlock(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let mut store = ctx.state.store();
    if get_ci(&body, "securityanswer").is_some() {
        check_answers(&store, &uid, &answers_in(&body)?)?;
    } else {
        captcha(&body)?;
    }
    // A passed challenge lifts the brute-force lock (see `lockout`); an account an admin
    // blocked (`IsActive: false`) stays blocked, as this call does not lift a block.
    crate::lockout::clear(&mut store.login_locks, &uid);
    user_mut(&mut store, &uid)?.modified = ctx.now;
    Ok(posted())
}
