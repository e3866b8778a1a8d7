//! Passwordless login by one-time code: texted to a phone number, or the code of the
//! passwordless email (verified with the email address or the username).

use serde_json::{Map, Value};

use loginradius::codes;

use super::phone::{phone_in, sms_refusal, text_code_to_registered};
use super::{login_envelope, user_mut};
use crate::errors::ApiError;
use crate::extras::{OtpPurpose, set_phone_verified};
use crate::outbox::kind;
use crate::request::{Ctx, str_ci};
use crate::state::Store;

super::routes! {
    GET "/identity/v2/auth/login/passwordlesslogin/otp", Key, send_phone;
    PUT "/identity/v2/auth/login/passwordlesslogin/otp/verify", Key, verify_phone;
    POST "/identity/v2/auth/login/passwordlesslogin/email/verifyotp", Key, verify_email;
    POST "/identity/v2/auth/login/passwordlesslogin/username/verifyotp", Key, verify_username;
}

/// `GET …/passwordlesslogin/otp?phone=`: texts a login code; 1117 when the number is unknown.
fn send_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let mut query = Map::new();
    if let Some(phone) = ctx.query.get("phone") {
        query.insert("phone".into(), Value::String(phone.to_owned()));
    }
    let phone = phone_in(&query, "phone")?;
    text_code_to_registered(
        ctx,
        &phone,
        OtpPurpose::Passwordless,
        kind::SMS_PASSWORDLESS_LOGIN,
    )
}

fn otp_in(body: &Map<String, Value>) -> Result<String, ApiError> {
    str_ci(body, "otp").ok_or_else(|| ApiError::validation("otp", "The otp field is required."))
}

/// Uses the passwordless code of `uid` sent to `to` (1067 wrong, 1069 expired; 991 when the
/// account is blocked).
fn use_code(ctx: &Ctx, store: &mut Store, uid: &str, to: &str, otp: &str) -> Result<(), ApiError> {
    store
        .extras
        .consume_otp(
            OtpPurpose::Passwordless,
            |o| o.uid == uid && o.to.eq_ignore_ascii_case(to),
            otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    if !user_mut(store, uid)?.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    Ok(())
}

/// `PUT …/otp/verify` with `{"phone", "otp"}`: the texted code proves the number.
fn verify_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let phone = phone_in(&body, "phone")?;
    let otp = otp_in(&body)?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_phone(&phone)
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    use_code(ctx, &mut store, &uid, &phone, &otp)?;
    set_phone_verified(user_mut(&mut store, &uid)?, true);
    login_envelope(ctx, &mut store, &uid)
}

/// `POST …/email/verifyotp` with `{"email", "otp"}`: the emailed code proves the address.
fn verify_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let otp = otp_in(&body)?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    use_code(ctx, &mut store, &uid, &email, &otp)?;
    user_mut(&mut store, &uid)?.email_verified = true;
    login_envelope(ctx, &mut store, &uid)
}

/// `POST …/username/verifyotp` with `{"username", "otp"}`.
fn verify_username(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let name = str_ci(&body, "username").ok_or_else(|| ApiError::new(codes::USERNAME_REQUIRED))?;
    let otp = otp_in(&body)?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_username(&name)
        .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?;
    let to = store
        .extras
        .otps
        .iter()
        .find(|o| o.purpose == OtpPurpose::Passwordless && o.uid == uid)
        .map(|o| o.to.clone())
        .unwrap_or_default();
    use_code(ctx, &mut store, &uid, &to, &otp)?;
    login_envelope(ctx, &mut store, &uid)
}
