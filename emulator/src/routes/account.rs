//! Account management by uid, email, username or phone (`/identity/v2/manage/account...`,
//! API secret or request signature required).

use serde_json::{Map, Value, json};

use super::auth::check_new_password;
use super::{deleted, posted, profile_of, send_reset_link, send_verification, user_mut, user_ref};
use loginradius::codes;

use crate::errors::ApiError;
use crate::passwords;
use crate::profile;
use crate::request::{Ctx, bool_ci, str_ci};
use crate::state::{LINK_TTL, LinkKind, Store, User};
use crate::times::iso;

super::routes! {
    POST "/identity/v2/manage/account", Manage, create;
    GET "/identity/v2/manage/account", Manage, find;
    DELETE "/identity/v2/manage/account", Manage, delete_by_email;
    GET "/identity/v2/manage/account/{uid}", Manage, read;
    PUT "/identity/v2/manage/account/{uid}", Manage, update;
    DELETE "/identity/v2/manage/account/{uid}", Manage, delete;
    GET "/identity/v2/manage/account/{uid}/password", Manage, password_hash;
    PUT "/identity/v2/manage/account/{uid}/password", Manage, set_password;
    POST "/identity/v2/manage/account/verify/token", Manage, verification_token;
    POST "/identity/v2/manage/account/forgot/token", Manage, forgot_token;
    GET "/identity/v2/manage/account/identities", Manage, identities;
    PUT "/identity/v2/manage/account/{uid}/invalidateemail", Manage, invalidate_email;
}

/// Admin-only profile keys: `EmailVerified`, `IsActive`, `UserName`, `PhoneId`, `Email`,
/// `Password`.
fn apply_admin_fields(
    store: &Store,
    user: &mut User,
    body: &Map<String, Value>,
) -> Result<(), ApiError> {
    if let Some(emails) = profile::emails_from(body)?.filter(|e| !e.is_empty()) {
        if emails.iter().any(|e| {
            store
                .uid_by_email(&e.value)
                .is_some_and(|other| other != user.uid)
        }) {
            return Err(ApiError::new(codes::EMAIL_ALREADY_REGISTERED));
        }
        user.emails = emails;
    }
    if let Some(name) = str_ci(body, "UserName") {
        if store
            .uid_by_username(&name)
            .is_some_and(|other| other != user.uid)
        {
            return Err(ApiError::new(codes::USERNAME_ALREADY_REGISTERED));
        }
        user.username = Some(name);
    }
    if let Some(phone) = str_ci(body, "PhoneId") {
        if store
            .uid_by_phone(&phone)
            .is_some_and(|other| other != user.uid)
        {
            return Err(ApiError::new(codes::PHONE_ALREADY_REGISTERED));
        }
        user.phone_id = Some(phone);
    }
    if let Some(verified) = bool_ci(body, "PhoneIdVerified") {
        crate::extras::set_phone_verified(user, verified);
    }
    if let Some(verified) = profile::email_verified_from(body) {
        user.email_verified = verified;
    }
    if let Some(active) = bool_ci(body, "IsActive") {
        user.is_active = active;
    }
    Ok(())
}

fn create(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    // An account needs an email address or a phone number (phone-only sites).
    if profile::emails_from(&body)?.is_none_or(|e| e.is_empty())
        && str_ci(&body, "PhoneId").is_none()
    {
        return Err(ApiError::validation(
            "Email",
            "The Email field is required.",
        ));
    }
    let hash = match str_ci(&body, "Password") {
        Some(p) => Some(passwords::hash(&check_new_password("Password", Some(&p))?)),
        None => None,
    };
    let mut store = ctx.state.store();
    let mut user = store.new_user(None, ctx.now);
    apply_admin_fields(&store, &mut user, &body)?;
    if let Some(source) = str_ci(&body, "RegistrationSource") {
        user.registration_source = source;
    }
    user.last_password_change = hash.as_ref().map(|_| ctx.now);
    user.password_hash = hash;
    profile::apply_fields(&mut user, &body, false);
    let uid = user.uid.clone();
    store.users.insert(uid.clone(), user);
    profile_of(ctx, &store, &uid)
}

fn lookup_uid(ctx: &Ctx, store: &Store) -> Result<String, ApiError> {
    let uid = if let Some(email) = ctx.query.get("email") {
        store.uid_by_email(email)
    } else if let Some(name) = ctx.query.get("username") {
        store.uid_by_username(name)
    } else if let Some(phone) = ctx.query.get("phone") {
        store.uid_by_phone(phone)
    } else {
        return Err(ApiError::new(1118));
    };
    uid.ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))
}

fn find(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let uid = lookup_uid(ctx, &store)?;
    profile_of(ctx, &store, &uid)
}

fn delete_by_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    let uid = lookup_uid(ctx, &store)?;
    store.remove_user(&uid);
    ctx.hook("DeleteAccount", &uid);
    Ok(deleted())
}

fn read(ctx: &mut Ctx) -> Result<Value, ApiError> {
    profile_of(ctx, &ctx.state.store(), ctx.param("uid"))
}

fn update(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let body = ctx.body()?;
    let null_support = ctx.query.flag("nullsupport");
    let mut store = ctx.state.store();
    let mut user = user_ref(&store, &uid)?.clone();
    let was_active = user.is_active;
    apply_admin_fields(&store, &mut user, &body)?;
    super::security::apply_profile_answers(&mut store, &uid, &body)?;
    profile::apply_fields(&mut user, &body, null_support);
    user.modified = ctx.now;
    if !user.is_active {
        store.sessions.retain(|_, s| s.uid != uid);
    }
    let event = if was_active && !user.is_active {
        "BlockAccount"
    } else {
        "UpdateProfile"
    };
    ctx.hook(event, &uid);
    store.users.insert(uid.clone(), user);
    profile_of(ctx, &store, &uid)
}

fn delete(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    if !store.remove_user(&uid) {
        return Err(ApiError::new(codes::USER_NOT_FOUND));
    }
    ctx.hook("DeleteAccount", &uid);
    Ok(deleted())
}

fn password_hash(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let store = ctx.state.store();
    let user = user_ref(&store, ctx.param("uid"))?;
    Ok(json!({ "PasswordHash": user.password_hash }))
}

fn set_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let body = ctx.body()?;
    let password = check_new_password("password", str_ci(&body, "password").as_deref())?;
    user_ref(&ctx.state.store(), &uid)?;
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    user.password_hash = Some(hash.clone());
    user.last_password_change = Some(ctx.now);
    user.modified = ctx.now;
    ctx.hook("SetPassword", &uid);
    Ok(json!({ "PasswordHash": hash }))
}

fn verification_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    if user_ref(&store, &uid)?.email_verified {
        return Err(ApiError::new(1126));
    }
    let expires = ctx.now + LINK_TTL;
    let token = store.issue_link(LinkKind::EmailVerification, &uid, expires);
    Ok(json!({ "VerificationToken": token, "expires_in": iso(expires) }))
}

fn forgot_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    let token = if ctx.query.flag("sendemail") {
        send_reset_link(ctx, &mut store, &uid, &email)
    } else {
        store.issue_link(LinkKind::ResetPassword, &uid, ctx.now + LINK_TTL)
    };
    Ok(json!({ "ForgotToken": token, "IdentityProviders": [] }))
}

fn identities(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let email = ctx.required_query("email", codes::VALID_EMAIL_REQUIRED)?;
    let store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?;
    Ok(json!({ "Data": [profile_of(ctx, &store, &uid)?] }))
}

fn invalidate_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    let email = user
        .primary_email()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(1113))?;
    if !user.email_verified {
        return Err(ApiError::new(1115));
    }
    user.email_verified = false;
    user.modified = ctx.now;
    send_verification(ctx, &mut store, &uid, &email);
    Ok(posted())
}
