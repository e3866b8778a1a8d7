//! Registration, email verification, login, the profile by token, passwords, usernames and
//! account deletion by email confirmation (`/identity/v2/auth/...`).

use serde_json::{Map, Value, json};

use super::{
    consume_link, login_envelope, posted, profile_of, send_link, send_reset_link,
    send_verification, user_mut,
};
use crate::config::{EmailVerification, MfaMode};
use loginradius::codes;

use crate::errors::ApiError;
use crate::lockout;
use crate::passwords;
use crate::profile;
use crate::request::{Ctx, str_ci};
use crate::state::{LINK_TTL, LinkKind, User};

super::routes! {
    POST "/identity/v2/auth/register", Sott, register;
    PUT "/identity/v2/auth/register", Key, resend_verification;
    GET "/identity/v2/auth/email", Key, email_get;
    POST "/identity/v2/auth/login", Key, login;
    GET "/identity/v2/auth/account", Bearer, profile_get;
    PUT "/identity/v2/auth/account", Bearer, profile_update;
    DELETE "/identity/v2/auth/account", Bearer, delete_request;
    GET "/identity/v2/auth/account/delete", Key, delete_confirm;
    PUT "/identity/v2/auth/password/change", Bearer, change_password;
    POST "/identity/v2/auth/password", Key, forgot_password;
    PUT "/identity/v2/auth/password/reset", Key, reset_password;
    GET "/identity/v2/auth/username", Key, username_available;
    PUT "/identity/v2/auth/username", Bearer, set_username;
}

/// Checks a new password: 1134 when missing or shorter than the minimum.
pub(crate) fn check_new_password(field: &str, password: Option<&str>) -> Result<String, ApiError> {
    let password = password
        .ok_or_else(|| ApiError::validation(field, format!("The {field} field is required.")))?;
    if password.chars().count() < passwords::MIN_LENGTH {
        return Err(ApiError::validation(
            field,
            format!(
                "The {field} field must be at least {} characters in length.",
                passwords::MIN_LENGTH
            ),
        ));
    }
    Ok(password.to_owned())
}

/// Password login by `email`, `username` or `phone`: 966 on an unknown user or a wrong
/// password, 970 when the site requires verified email and it is not, 991 when blocked.
pub(crate) fn authenticate(ctx: &Ctx, body: &Map<String, Value>) -> Result<String, ApiError> {
    let password = str_ci(body, "password")
        .ok_or_else(|| ApiError::validation("password", "The password field is required."))?;
    let store = ctx.state.store();
    let by_phone = str_ci(body, "email").is_none() && str_ci(body, "username").is_none();
    let uid = if let Some(email) = str_ci(body, "email") {
        store.uid_by_email(&email)
    } else if let Some(username) = str_ci(body, "username") {
        store.uid_by_username(&username)
    } else if let Some(phone) = str_ci(body, "phone") {
        store.uid_by_phone(&phone)
    } else {
        return Err(ApiError::new(codes::EMAIL_OR_USERNAME_REQUIRED));
    };
    let hash = uid
        .as_ref()
        .and_then(|uid| store.users.get(uid))
        .and_then(|u| u.password_hash.clone());
    drop(store);
    // Hash outside the lock; an unknown login is hashed too (against a dummy), so the time of
    // the answer does not tell which logins exist.
    let right = passwords::verify_or_dummy(&password, hash.as_deref());
    let lockout = ctx.state.config.lockout;
    if let (Some(uid), Some(lockout)) = (&uid, &lockout) {
        // A locked account is refused whatever the password; a wrong one counts.
        let mut store = ctx.state.store();
        lockout::check(&mut store.login_locks, uid, body, ctx.now)?;
        if right {
            lockout::clear(&mut store.login_locks, uid);
        } else {
            lockout::failed(&mut store.login_locks, lockout, uid, ctx.now);
        }
    }
    if !right {
        return Err(ApiError::new(codes::INVALID_LOGIN));
    }
    let uid = uid.ok_or_else(|| ApiError::new(codes::INVALID_LOGIN))?;
    let store = ctx.state.store();
    let user = store
        .users
        .get(&uid)
        .ok_or_else(|| ApiError::new(codes::INVALID_LOGIN))?;
    if !user.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    if by_phone && !crate::extras::phone_verified(user) {
        return Err(ApiError::new(codes::PHONE_NOT_VERIFIED));
    }
    if ctx.state.config.email_verification == EmailVerification::Required
        && !user.email_verified
        && !user.emails.is_empty()
    {
        return Err(ApiError::new(codes::EMAIL_NOT_VERIFIED));
    }
    Ok(uid)
}

pub(crate) fn register(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let emails = profile::emails_from(&body)?.filter(|e| !e.is_empty());
    let Some(emails) = emails else {
        if str_ci(&body, "PhoneId").is_some() {
            return super::phone::register(ctx, &body);
        }
        return Err(ApiError::validation(
            "Email",
            "The Email field is required.",
        ));
    };
    let password = check_new_password("Password", str_ci(&body, "Password").as_deref())?;
    let username = str_ci(&body, "UserName");
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    if emails
        .iter()
        .any(|e| store.uid_by_email(&e.value).is_some())
    {
        return Err(ApiError::new(codes::EMAIL_ALREADY_REGISTERED));
    }
    if let Some(name) = &username
        && store.uid_by_username(name).is_some()
    {
        return Err(ApiError::new(codes::USERNAME_ALREADY_REGISTERED));
    }
    let mut user = store.new_user(None, ctx.now);
    user.emails = emails;
    user.username = username;
    user.password_hash = Some(hash);
    user.last_password_change = Some(ctx.now);
    profile::apply_fields(&mut user, &body, false);
    let uid = user.uid.clone();
    let email = user.primary_email().unwrap_or_default().to_owned();
    store.users.insert(uid.clone(), user);
    ctx.hook("Register", &uid);

    let mode = ctx.state.config.email_verification;
    let prevent = ctx
        .query
        .get("options")
        .is_some_and(|o| o.to_ascii_lowercase().contains("preventverificationemail"));
    if mode != EmailVerification::Disabled && !prevent {
        send_verification(ctx, &mut store, &uid, &email);
    }
    if mode == EmailVerification::Required {
        return Ok(posted());
    }
    let data = login_envelope(ctx, &mut store, &uid)?;
    Ok(json!({ "IsPosted": true, "Data": data }))
}

fn resend_verification(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    if store.users.get(&uid).is_some_and(|u| u.email_verified) {
        return Err(ApiError::new(codes::EMAIL_ALREADY_VERIFIED));
    }
    send_verification(ctx, &mut store, &uid, &email);
    Ok(posted())
}

/// `GET /auth/email`: `?verificationtoken=` verifies an address; `?email=` checks availability.
fn email_get(ctx: &mut Ctx) -> Result<Value, ApiError> {
    if let Some(token) = ctx.query.get("verificationtoken").map(str::to_owned) {
        let mut store = ctx.state.store();
        let uid = consume_link(
            ctx,
            &mut store,
            &token,
            LinkKind::EmailVerification,
            codes::VERIFICATION_LINK_USED,
        )?;
        let user = user_mut(&mut store, &uid)?;
        user.email_verified = true;
        user.modified = ctx.now;
        let data = login_envelope(ctx, &mut store, &uid)?;
        return Ok(json!({ "IsPosted": true, "Data": data }));
    }
    if let Some(email) = ctx.query.get("email") {
        let exists = ctx.state.store().uid_by_email(email).is_some();
        return Ok(json!({ "IsExist": exists }));
    }
    Err(ApiError::new(codes::VERIFICATION_TOKEN_INVALID)
        .with_description("Either verificationtoken (to verify an email) or email (to check availability) is required."))
}

fn login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let uid = authenticate(ctx, &body)?;
    let mut store = ctx.state.store();
    let enabled = store
        .users
        .get(&uid)
        .is_some_and(User::authenticator_enabled)
        || super::mfa_otp::any_enabled(&store, &uid);
    let mfa = ctx.state.config.mfa;
    if mfa == MfaMode::Required || (mfa == MfaMode::Optional && enabled) {
        return Err(ApiError::new(codes::MFA_ENABLED));
    }
    super::consent::login_step(ctx, &mut store, &uid)?;
    if ctx.state.config.pin_login {
        return super::pin::pin_step(ctx, &mut store, &uid);
    }
    login_envelope(ctx, &mut store, &uid)
}

fn profile_get(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    profile_of(ctx, &ctx.state.store(), &uid)
}

fn profile_update(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let null_support = ctx.query.flag("nullsupport");
    let mut store = ctx.state.store();
    super::security::apply_profile_answers(&mut store, &uid, &body)?;
    let user = user_mut(&mut store, &uid)?;
    profile::apply_fields(user, &body, null_support);
    user.modified = ctx.now;
    ctx.hook("UpdateProfile", &uid);
    let data = profile_of(ctx, &store, &uid)?;
    Ok(json!({ "IsPosted": true, "Data": data }))
}

fn delete_request(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    let email = store
        .users
        .get(&uid)
        .and_then(|u| u.primary_email().map(str::to_owned))
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    let default = format!(
        "{}/identity/v2/auth/account/delete?apikey={}&deletetoken={{token}}",
        ctx.origin, ctx.state.config.api_key
    );
    let url = ctx.query.get("deleteurl").map(str::to_owned);
    send_link(
        ctx,
        &mut store,
        LinkKind::DeleteAccount,
        &uid,
        &email,
        LINK_TTL,
        url.as_deref(),
        default,
    );
    Ok(json!({ "IsDeleteRequestAccepted": true }))
}

fn delete_confirm(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("deletetoken", codes::DELETE_TOKEN_INVALID)?;
    let mut store = ctx.state.store();
    let uid = consume_link(
        ctx,
        &mut store,
        &token,
        LinkKind::DeleteAccount,
        codes::DELETE_TOKEN_INVALID,
    )
    .map_err(|e| {
        if e.code == codes::VERIFICATION_TOKEN_INVALID {
            ApiError::new(codes::DELETE_TOKEN_INVALID)
        } else {
            e
        }
    })?;
    store.remove_user(&uid);
    ctx.hook("DeleteAccount", &uid);
    // Documented (and typed by the official SDKs) as `{"IsPosted": true}`.
    Ok(posted())
}

fn change_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let old = str_ci(&body, "oldpassword")
        .ok_or_else(|| ApiError::validation("oldPassword", "The oldPassword field is required."))?;
    let new = check_new_password("newPassword", str_ci(&body, "newpassword").as_deref())?;
    let hash = ctx
        .state
        .store()
        .users
        .get(&uid)
        .and_then(|u| u.password_hash.clone());
    if !hash.is_some_and(|h| passwords::verify(&old, &h)) {
        return Err(ApiError::new(codes::CURRENT_PASSWORD_INVALID));
    }
    let new_hash = passwords::hash(&new);
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    user.password_hash = Some(new_hash);
    user.last_password_change = Some(ctx.now);
    user.modified = ctx.now;
    ctx.hook("ChangePassword", &uid);
    Ok(posted())
}

fn forgot_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    send_reset_link(ctx, &mut store, &uid, &email);
    Ok(posted())
}

fn reset_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let Some(token) = str_ci(&body, "resettoken") else {
        if let Some(otp) = str_ci(&body, "otp") {
            return reset_password_by_email_otp(ctx, &body, &otp);
        }
        return Err(ApiError::validation(
            "resettoken",
            "The resettoken field is required.",
        ));
    };
    let password = check_new_password("password", str_ci(&body, "password").as_deref())?;
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    let uid = consume_link(
        ctx,
        &mut store,
        &token,
        LinkKind::ResetPassword,
        codes::VERIFICATION_TOKEN_INVALID,
    )?;
    let user = user_mut(&mut store, &uid)?;
    user.password_hash = Some(hash);
    user.last_password_change = Some(ctx.now);
    user.modified = ctx.now;
    ctx.hook("ResetPassword", &uid);
    Ok(posted())
}

/// `PUT /auth/password/reset` with `{"email", "otp", "password"}`: the code of the reset email
/// (1067 wrong, 1069 expired); the emailed link is spent with it.
fn reset_password_by_email_otp(
    ctx: &Ctx,
    body: &Map<String, Value>,
    otp: &str,
) -> Result<Value, ApiError> {
    let email = str_ci(body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let password = check_new_password("password", str_ci(body, "password").as_deref())?;
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    store
        .extras
        .consume_otp(
            crate::extras::OtpPurpose::ResetPassword,
            |o| o.uid == uid && o.to.eq_ignore_ascii_case(&email),
            otp,
            ctx.now,
        )
        .map_err(super::phone::sms_refusal)?;
    for link in store.links.values_mut() {
        if link.uid == uid && link.kind == LinkKind::ResetPassword {
            link.used = true;
        }
    }
    let user = user_mut(&mut store, &uid)?;
    user.password_hash = Some(hash);
    user.last_password_change = Some(ctx.now);
    user.modified = ctx.now;
    ctx.hook("ResetPassword", &uid);
    Ok(posted())
}

fn username_available(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let name = ctx.required_query("username", codes::USERNAME_REQUIRED)?;
    Ok(json!({ "IsExist": ctx.state.store().uid_by_username(&name).is_some() }))
}

fn set_username(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let name = str_ci(&body, "username").ok_or_else(|| ApiError::new(codes::USERNAME_REQUIRED))?;
    let mut store = ctx.state.store();
    if store
        .uid_by_username(&name)
        .is_some_and(|other| other != uid)
    {
        return Err(ApiError::new(codes::USERNAME_ALREADY_REGISTERED));
    }
    let user = user_mut(&mut store, &uid)?;
    user.username = Some(name);
    user.modified = ctx.now;
    Ok(posted())
}
