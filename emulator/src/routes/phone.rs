//! Phone authentication: registration by phone with a code texted to it, phone verification
//! (resend, verify by number or by token), forgot password by SMS code, number update and
//! removal. Every text lands in the outbox with its code (`otp`). Login by phone is the
//! password login of [`auth`](super::auth) (refused with 1066 while the number is unverified).

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::auth::check_new_password;
use super::{login_envelope, posted, user_mut, user_ref};
use crate::errors::ApiError;
use crate::extras::{Fresh, OtpPurpose, OtpRefusal, fresh, phone_verified, set_phone_verified};
use crate::outbox::{OutboxMessage, kind};
use crate::passwords;
use crate::profile;
use crate::request::{Ctx, str_ci};
use crate::state::Store;
use crate::times::iso;

super::routes! {
    POST "/identity/v2/auth/phone/otp", Key, resend_otp;
    PUT "/identity/v2/auth/phone/otp", Key, verify_otp;
    PUT "/identity/v2/auth/phone", Bearer, update_number;
    DELETE "/identity/v2/auth/phone", Bearer, remove;
    POST "/identity/v2/auth/password/otp", Key, forgot_password;
    PUT "/identity/v2/auth/password/otp", Key, reset_password;
}

/// A phone number as LoginRadius takes it: an optional `+` and 4 to 20 digits. 1076 when
/// missing, 1096 when not a number.
pub(crate) fn phone_in(body: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    let phone = str_ci(body, key).ok_or_else(|| ApiError::new(codes::PHONE_REQUIRED))?;
    let digits = phone.strip_prefix('+').unwrap_or(&phone);
    if !(4..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::new(codes::PHONE_INVALID));
    }
    Ok(phone)
}

/// Texts a code of `purpose` to `phone` for `uid` (captured in the outbox as `message_kind`)
/// and answers the provider receipt `{"AccountSid": null, "Sid": "…"}`.
pub(crate) fn send_sms(
    ctx: &Ctx,
    store: &mut Store,
    purpose: OtpPurpose,
    message_kind: &str,
    uid: &str,
    phone: &str,
) -> Value {
    let code = store.issue_otp(purpose, uid, phone, ctx.now);
    ctx.state.outbox.push(OutboxMessage {
        kind: message_kind.to_owned(),
        to: phone.to_owned(),
        token: None,
        otp: Some(code),
        link: None,
        sent_at: iso(ctx.now),
    });
    json!({ "AccountSid": null, "Sid": fresh(&mut store.ids, Fresh::Token) })
}

/// `{"IsPosted": true, "Data": receipt}`.
fn posted_with(data: Value) -> Value {
    json!({ "IsPosted": true, "Data": data })
}

/// The error for a refused SMS code: 1067 wrong (or none sent), 1069 expired.
pub(crate) fn sms_refusal(refusal: OtpRefusal) -> ApiError {
    match refusal {
        OtpRefusal::Invalid => ApiError::new(codes::OTP_INVALID),
        OtpRefusal::Expired => ApiError::new(codes::OTP_EXPIRED),
    }
}

/// The refusal of an emailed code: 1188 wrong, 1187 expired.
pub(crate) fn email_refusal(refusal: OtpRefusal) -> ApiError {
    match refusal {
        OtpRefusal::Invalid => ApiError::new(codes::EMAIL_OTP_INVALID),
        OtpRefusal::Expired => ApiError::new(codes::EMAIL_OTP_EXPIRED),
    }
}

/// Texts a code of `purpose` to the account registered with `phone` (1117 when none) and
/// answers `{"IsPosted": true, "Data": receipt}`.
pub(crate) fn text_code_to_registered(
    ctx: &Ctx,
    phone: &str,
    purpose: OtpPurpose,
    message_kind: &str,
) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_phone(phone)
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    let receipt = send_sms(ctx, &mut store, purpose, message_kind, &uid, phone);
    Ok(posted_with(receipt))
}

/// The `otp` query (or body) value; 1134 when missing.
fn otp_of(ctx: &Ctx, body: &Map<String, Value>) -> Result<String, ApiError> {
    ctx.query
        .get("otp")
        .map(str::to_owned)
        .or_else(|| str_ci(body, "otp"))
        .ok_or_else(|| ApiError::validation("otp", "The otp field is required."))
}

/// Whether the request carries a user's access token (the by-token variants of the phone
/// calls share their path with the by-number ones).
fn has_token(ctx: &Ctx) -> bool {
    ctx.header("authorization").is_some() || ctx.query.get("access_token").is_some()
}

/// Registration by phone (`POST /auth/register` with `PhoneId` and no email): 1058 when the
/// number is taken; the account waits for the code texted to it. Answers `{"IsPosted": true}`.
pub(crate) fn register(ctx: &Ctx, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let phone = phone_in(body, "PhoneId")?;
    let password = check_new_password("Password", str_ci(body, "Password").as_deref())?;
    let username = str_ci(body, "UserName");
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    if store.uid_by_phone(&phone).is_some() {
        return Err(ApiError::new(codes::PHONE_ALREADY_REGISTERED));
    }
    if let Some(name) = &username
        && store.uid_by_username(name).is_some()
    {
        return Err(ApiError::new(codes::USERNAME_ALREADY_REGISTERED));
    }
    let mut user = store.new_user(None, ctx.now);
    user.phone_id = Some(phone.clone());
    user.username = username;
    user.password_hash = Some(hash);
    user.last_password_change = Some(ctx.now);
    profile::apply_fields(&mut user, body, false);
    set_phone_verified(&mut user, false);
    let uid = user.uid.clone();
    store.users.insert(uid.clone(), user);
    send_sms(
        ctx,
        &mut store,
        OtpPurpose::PhoneVerification,
        kind::SMS_PHONE_VERIFICATION,
        &uid,
        &phone,
    );
    Ok(json!({ "IsPosted": true }))
}

/// `POST /auth/phone/otp`: texts the verification code again, to the number in the body (and,
/// with a token, for that user: also to a number waiting in an update). 1117 unknown number,
/// 1073 already verified.
fn resend_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let by_token = has_token(ctx);
    if by_token {
        crate::credentials::bearer(ctx)?;
    }
    let phone = phone_in(&ctx.body()?, "phone")?;
    let mut store = ctx.state.store();
    if let Some(uid) = ctx.uid.clone() {
        let pending = store
            .extras
            .otps
            .iter()
            .any(|o| o.purpose == OtpPurpose::PhoneUpdate && o.uid == uid && o.to == phone);
        if pending {
            let receipt = send_sms(
                ctx,
                &mut store,
                OtpPurpose::PhoneUpdate,
                kind::SMS_PHONE_VERIFICATION,
                &uid,
                &phone,
            );
            return Ok(posted_with(receipt));
        }
    }
    let uid = store
        .uid_by_phone(&phone)
        .filter(|uid| ctx.uid.as_ref().is_none_or(|me| me == uid))
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    if phone_verified(user_ref(&store, &uid)?) {
        return Err(ApiError::new(codes::PHONE_ALREADY_VERIFIED));
    }
    let receipt = send_sms(
        ctx,
        &mut store,
        OtpPurpose::PhoneVerification,
        kind::SMS_PHONE_VERIFICATION,
        &uid,
        &phone,
    );
    Ok(posted_with(receipt))
}

/// `PUT /auth/phone/otp?otp=`: by number (body `phone`), verifies it and signs the user in;
/// with a token, verifies the user's number (or the new number of an update, which then
/// becomes the login number) and answers `{"IsPosted": true}`. 1067 wrong code, 1069 expired.
fn verify_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let by_token = has_token(ctx);
    if by_token {
        crate::credentials::bearer(ctx)?;
    }
    let body = ctx.body()?;
    let otp = otp_of(ctx, &body)?;
    let mut store = ctx.state.store();
    if let Some(uid) = ctx.uid.clone() {
        let used = store
            .extras
            .consume_otp(OtpPurpose::PhoneUpdate, |o| o.uid == uid, &otp, ctx.now)
            .or_else(|_| {
                store.extras.consume_otp(
                    OtpPurpose::PhoneVerification,
                    |o| o.uid == uid,
                    &otp,
                    ctx.now,
                )
            })
            .map_err(sms_refusal)?;
        if store
            .uid_by_phone(&used.to)
            .is_some_and(|other| other != uid)
        {
            return Err(ApiError::new(codes::PHONE_ALREADY_REGISTERED));
        }
        let user = user_mut(&mut store, &uid)?;
        user.phone_id = Some(used.to);
        set_phone_verified(user, true);
        user.modified = ctx.now;
        return Ok(posted());
    }
    let phone = phone_in(&body, "phone")?;
    let uid = store
        .uid_by_phone(&phone)
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    if phone_verified(user_ref(&store, &uid)?)
        && !store.extras.has_otp(OtpPurpose::PhoneVerification, &uid)
    {
        return Err(ApiError::new(codes::PHONE_ALREADY_VERIFIED));
    }
    store
        .extras
        .consume_otp(
            OtpPurpose::PhoneVerification,
            |o| o.uid == uid && o.to == phone,
            &otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    let user = user_mut(&mut store, &uid)?;
    set_phone_verified(user, true);
    user.modified = ctx.now;
    login_envelope(ctx, &mut store, &uid)
}

/// `PUT /auth/phone`: texts a code to the new number; the login number changes when that code
/// is verified (`PUT /auth/phone/otp` with the token). 1058 when the number is taken.
fn update_number(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let phone = phone_in(&ctx.body()?, "phone")?;
    let mut store = ctx.state.store();
    if store.uid_by_phone(&phone).is_some() {
        return Err(ApiError::new(codes::PHONE_ALREADY_REGISTERED));
    }
    let receipt = send_sms(
        ctx,
        &mut store,
        OtpPurpose::PhoneUpdate,
        kind::SMS_PHONE_VERIFICATION,
        &uid,
        &phone,
    );
    Ok(posted_with(receipt))
}

/// `DELETE /auth/phone`: removes the login number; 1292 when there is none.
fn remove(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    if user.phone_id.take().is_none() {
        return Err(ApiError::new(codes::PHONE_NOT_LINKED));
    }
    set_phone_verified(user, false);
    user.modified = ctx.now;
    store
        .extras
        .otps
        .retain(|o| !(o.uid == uid && o.purpose == OtpPurpose::PhoneVerification));
    Ok(json!({ "IsDeleted": true }))
}

/// `POST /auth/password/otp`: texts a reset code; 1117 when the number is not registered.
fn forgot_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let phone = phone_in(&ctx.body()?, "phone")?;
    text_code_to_registered(
        ctx,
        &phone,
        OtpPurpose::ResetPassword,
        kind::SMS_RESET_PASSWORD,
    )
}

/// `PUT /auth/password/otp` with `{"phone", "otp", "password"}`: 1067 wrong code, 1069
/// expired; a texted code proves the number, so it also counts as verified.
fn reset_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let phone = phone_in(&body, "phone")?;
    let otp = otp_of(ctx, &body)?;
    let password = check_new_password("password", str_ci(&body, "password").as_deref())?;
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_phone(&phone)
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    store
        .extras
        .consume_otp(
            OtpPurpose::ResetPassword,
            |o| o.uid == uid && o.to == phone,
            &otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    let user = user_mut(&mut store, &uid)?;
    user.password_hash = Some(hash);
    user.last_password_change = Some(ctx.now);
    set_phone_verified(user, true);
    user.modified = ctx.now;
    ctx.hook("ResetPassword", &uid);
    Ok(posted())
}
