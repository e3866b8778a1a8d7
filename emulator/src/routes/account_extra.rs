//! Account management beyond the core calls: change a uid, invalidate a phone verification,
//! and the multipurpose email-token and SMS-code generation (for sites that send their own
//! messages: nothing is sent, the token or code is returned).

use serde_json::{Value, json};

use loginradius::codes;

use super::phone::send_sms;
use super::{posted, user_mut, user_ref};
use crate::errors::ApiError;
use crate::extras::{OTP_TTL, OtpPurpose, phone_verified, set_phone_verified};
use crate::outbox::kind;
use crate::request::{Ctx, str_ci};
use crate::state::{LINK_TTL, LinkKind, PASSWORDLESS_TTL, Store};
use crate::times::iso;

super::routes! {
    PUT "/identity/v2/manage/account/uid", Manage, change_uid;
    PUT "/identity/v2/manage/account/{uid}/invalidatephone", Manage, invalidate_phone;
    POST "/identity/v2/manage/account/emailtoken/{tokentype}", Manage, email_token;
    POST "/identity/v2/manage/account/smsotp/{smsotptype}", Manage, sms_otp;
}

/// A uid as LoginRadius allows it: 1 to 50 letters, digits, `_` or `-`.
fn valid_uid(uid: &str) -> bool {
    (1..=50).contains(&uid.len())
        && uid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Moves everything of `old` to `new`.
fn rename_user(store: &mut Store, old: &str, new: &str) {
    if let Some(mut user) = store.users.remove(old) {
        user.uid = new.to_owned();
        store.users.insert(new.to_owned(), user);
    }
    let renamed = |uid: &mut String| {
        if uid == old {
            *uid = new.to_owned();
        }
    };
    store
        .sessions
        .values_mut()
        .for_each(|s| renamed(&mut s.uid));
    store
        .refresh_tokens
        .values_mut()
        .for_each(|r| renamed(&mut r.uid));
    store.links.values_mut().for_each(|l| renamed(&mut l.uid));
    store
        .challenges
        .values_mut()
        .for_each(|c| renamed(&mut c.uid));
    store
        .custom_objects
        .values_mut()
        .flatten()
        .for_each(|r| renamed(&mut r.uid));
    store
        .extras
        .otps
        .iter_mut()
        .for_each(|o| renamed(&mut o.uid));
    let extras = &mut store.extras;
    if let Some(v) = extras.otp_factors.remove(old) {
        extras.otp_factors.insert(new.to_owned(), v);
    }
    if let Some(v) = extras.security.remove(old) {
        extras.security.insert(new.to_owned(), v);
    }
    if let Some(v) = extras.pins.remove(old) {
        extras.pins.insert(new.to_owned(), v);
    }
    extras
        .pin_tokens
        .values_mut()
        .for_each(|t| renamed(&mut t.uid));
    extras
        .reauth_tokens
        .values_mut()
        .for_each(|t| renamed(&mut t.uid));
    if let Some(v) = extras.consent_logs.remove(old) {
        extras.consent_logs.insert(new.to_owned(), v);
    }
    if let Some(v) = extras.policy_acceptances.remove(old) {
        extras.policy_acceptances.insert(new.to_owned(), v);
    }
}

/// `PUT /manage/account/uid?uid=` with `{"NewUid"}`: 1200 when the new uid is malformed or
/// taken, 938 when the user does not exist. Sessions, links and records follow the user.
fn change_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    let new = str_ci(&ctx.body()?, "NewUid")
        .filter(|n| valid_uid(n))
        .ok_or_else(|| ApiError::new(codes::UID_INVALID))?;
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    if new != uid && store.users.contains_key(&new) {
        return Err(ApiError::new(codes::UID_INVALID)
            .with_description("The uid is not valid: another account has it."));
    }
    rename_user(&mut store, &uid, &new);
    if let Some(user) = store.users.get_mut(&new) {
        user.modified = ctx.now;
    }
    // `Data.Uid` is the former uid: the sessions a receiver knows are under it.
    ctx.hook("UpdateUid", &uid);
    Ok(posted())
}

/// `PUT /manage/account/{uid}/invalidatephone`: the number must be verified again; a code is
/// texted to it. 1147 when the account has no number, 1161 when it is already unverified.
fn invalidate_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    let phone = user
        .phone_id
        .clone()
        .ok_or_else(|| ApiError::new(codes::PHONE_INVALIDATION_REFUSED))?;
    if !phone_verified(user) {
        return Err(ApiError::new(codes::PHONE_ALREADY_UNVERIFIED));
    }
    set_phone_verified(user, false);
    user.modified = ctx.now;
    send_sms(
        ctx,
        &mut store,
        OtpPurpose::PhoneVerification,
        kind::SMS_PHONE_VERIFICATION,
        &uid,
        &phone,
    );
    Ok(posted())
}

/// `POST /manage/account/emailtoken/{tokentype}` with `{"Email"}` (or `{"Uid"}`): a one-time
/// token of that type, usable where the emailed one is (verify email, reset password, delete
/// account, passwordless login). 1181 on another type, 1023 / 938 when the user is unknown.
fn email_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let (kind, ttl) = match ctx.param("tokentype").to_ascii_lowercase().as_str() {
        "emailverification" | "addemail" => (LinkKind::EmailVerification, LINK_TTL),
        "forgotpassword" => (LinkKind::ResetPassword, LINK_TTL),
        "deleteusertoken" => (LinkKind::DeleteAccount, LINK_TTL),
        "passwordlesslogintoken" => (LinkKind::Passwordless, PASSWORDLESS_TTL),
        _ => return Err(ApiError::new(codes::TOKEN_TYPE_INVALID)),
    };
    let body = ctx.body()?;
    let mut store = ctx.state.store();
    let uid = match (str_ci(&body, "Email"), str_ci(&body, "Uid")) {
        (Some(email), _) => store
            .uid_by_email(&email)
            .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?,
        (None, Some(uid)) => user_ref(&store, &uid)?.uid.clone(),
        (None, None) => return Err(ApiError::new(codes::VALID_EMAIL_REQUIRED)),
    };
    let expires = ctx.now + ttl;
    let token = store.issue_link(kind, &uid, expires);
    Ok(json!({ "Token": token, "ExpiresIn": iso(expires) }))
}

/// `POST /manage/account/smsotp/{smsotptype}` with `{"Phone"}` (or `{"Uid"}`): a one-time code
/// of that type, usable where a texted one is. 1181 on another type, 1117 / 938 when unknown.
fn sms_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let purpose = match ctx.param("smsotptype").to_ascii_lowercase().as_str() {
        "phoneidverificationotp" | "addphone" => OtpPurpose::PhoneVerification,
        "forgotpassword" | "forgotpasswordotp" => OtpPurpose::ResetPassword,
        "passwordlesslogin" | "passwordlesslogintoken" | "passwordlessloginotp" => {
            OtpPurpose::Passwordless
        }
        _ => return Err(ApiError::new(codes::TOKEN_TYPE_INVALID)),
    };
    let body = ctx.body()?;
    let mut store = ctx.state.store();
    let (uid, phone) = match (str_ci(&body, "Phone"), str_ci(&body, "Uid")) {
        (Some(phone), _) => (
            store
                .uid_by_phone(&phone)
                .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?,
            phone,
        ),
        (None, Some(uid)) => {
            let user = user_ref(&store, &uid)?;
            let phone = user
                .phone_id
                .clone()
                .ok_or_else(|| ApiError::new(codes::PHONE_NOT_LINKED))?;
            (user.uid.clone(), phone)
        }
        (None, None) => return Err(ApiError::new(codes::PHONE_REQUIRED)),
    };
    let code = store.issue_otp(purpose, &uid, &phone, ctx.now);
    Ok(json!({ "Token": code, "ExpiresIn": iso(ctx.now + OTP_TTL) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_shapes() {
        assert!(valid_uid("abc_DEF-123"));
        assert!(!valid_uid(""));
        assert!(!valid_uid("has space"));
        assert!(!valid_uid(&"a".repeat(51)));
    }
}
