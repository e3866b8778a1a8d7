//! Email addresses and phone ids of an account: add and remove by token or uid, phone
//! availability, the welcome email.

use serde_json::{Value, json};

use super::{deleted, posted, profile_of, send_verification, user_mut, user_ref};
use loginradius::codes;

use crate::errors::ApiError;
use crate::outbox::{OutboxMessage, kind};
use crate::profile;
use crate::request::{Ctx, str_ci};
use crate::state::{EmailEntry, Store};
use crate::times::iso;

super::routes! {
    POST "/identity/v2/auth/email", Bearer, add_email;
    DELETE "/identity/v2/auth/email", Bearer, remove_email_by_token;
    PUT "/identity/v2/manage/account/{uid}/email", Manage, upsert_emails;
    DELETE "/identity/v2/manage/account/{uid}/email", Manage, remove_email_by_uid;
    PUT "/identity/v2/manage/account/{uid}/phoneid", Manage, set_phone;
    GET "/identity/v2/auth/phone", Key, phone_available;
    GET "/identity/v2/auth/account/sendwelcomeemail", Bearer, welcome_email;
}

/// 936 when `email` belongs to another user.
fn ensure_free(store: &Store, email: &str, uid: &str) -> Result<(), ApiError> {
    if store.uid_by_email(email).is_some_and(|other| other != uid) {
        return Err(ApiError::new(codes::EMAIL_ALREADY_REGISTERED));
    }
    Ok(())
}

fn add_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(1032))?;
    if !profile::valid_email(&email) {
        return Err(ApiError::new(codes::VALID_EMAIL_REQUIRED));
    }
    let kind = str_ci(&body, "type").ok_or_else(|| ApiError::new(1201))?;
    let mut store = ctx.state.store();
    ensure_free(&store, &email, &uid)?;
    let user = user_mut(&mut store, &uid)?;
    if !user.has_email(&email) {
        user.emails.push(EmailEntry {
            kind,
            value: email.clone(),
        });
        user.modified = ctx.now;
    }
    send_verification(ctx, &mut store, &uid, &email);
    Ok(posted())
}

fn remove_email(ctx: &Ctx, uid: &str, email: &str) -> Result<(), ApiError> {
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, uid)?;
    let before = user.emails.len();
    user.emails.retain(|e| !e.value.eq_ignore_ascii_case(email));
    if user.emails.len() == before {
        return Err(ApiError::new(1340));
    }
    user.modified = ctx.now;
    Ok(())
}

fn remove_email_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let email = str_ci(&ctx.body()?, "email").ok_or_else(|| ApiError::new(1032))?;
    remove_email(ctx, &uid, &email)?;
    Ok(deleted())
}

fn remove_email_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let email = str_ci(&ctx.body()?, "email").ok_or_else(|| ApiError::new(1032))?;
    remove_email(ctx, &uid, &email)?;
    profile_of(ctx, &ctx.state.store(), &uid)
}

/// Adds the addresses of `Email` that the user does not have yet (an upsert by value).
fn upsert_emails(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let body = ctx.body()?;
    let emails = profile::emails_from(&body)?
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::validation("Email", "The Email field is required."))?;
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    for e in &emails {
        ensure_free(&store, &e.value, &uid)?;
    }
    let user = user_mut(&mut store, &uid)?;
    for e in emails {
        match user
            .emails
            .iter_mut()
            .find(|x| x.value.eq_ignore_ascii_case(&e.value))
        {
            Some(existing) => existing.kind = e.kind,
            None => user.emails.push(e),
        }
    }
    user.modified = ctx.now;
    profile_of(ctx, &store, &uid)
}

fn set_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let phone = str_ci(&ctx.body()?, "phone").ok_or_else(|| ApiError::new(1076))?;
    let digits = phone.strip_prefix('+').unwrap_or(&phone);
    if !(4..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::new(1096));
    }
    let mut store = ctx.state.store();
    if store.uid_by_phone(&phone).is_some_and(|other| other != uid) {
        return Err(ApiError::new(codes::INVALID_PARAMETER_FORMAT)
            .with_description("This phone id belongs to another account."));
    }
    let user = user_mut(&mut store, &uid)?;
    user.phone_id = Some(phone);
    user.modified = ctx.now;
    profile_of(ctx, &store, &uid)
}

fn phone_available(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let phone = ctx.required_query("phone", 1076)?;
    Ok(json!({ "IsExist": ctx.state.store().uid_by_phone(&phone).is_some() }))
}

fn welcome_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let store = ctx.state.store();
    let to = user_ref(&store, &uid)?
        .primary_email()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    drop(store);
    ctx.state.outbox.push(OutboxMessage {
        kind: kind::WELCOME.to_owned(),
        to,
        token: None,
        otp: None,
        link: None,
        sent_at: iso(ctx.now),
    });
    Ok(posted())
}
