//! PIN authentication (sites with `pin_login`): a password login answers with a
//! `session_token` (PIN set) or a `pinAuthToken` (PIN to set), finished here; change, forgot
//! and reset the PIN (by emailed link or code, texted code, or security answers); revoke a
//! session token.

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::phone::{phone_in, sms_refusal, text_code_to_registered};
use super::security::{answers_in, check_answers};
use super::{link, login_envelope, posted, profile_of, user_ref};
use crate::errors::ApiError;
use crate::extras::{Fresh, OtpPurpose, PinToken, PinTokenKind, fresh};
use crate::outbox::{OutboxMessage, kind};
use crate::passwords;
use crate::request::{Ctx, str_ci};
use crate::state::{LINK_TTL, Store};
use crate::times::iso;

super::routes! {
    POST "/identity/v2/auth/login/pin", Key, login;
    POST "/identity/v2/auth/pin/set/pinauthtoken", Key, set_with_auth_token;
    PUT "/identity/v2/auth/pin/change", Bearer, change;
    POST "/identity/v2/auth/pin/forgot/email", Key, forgot_by_email;
    POST "/identity/v2/auth/pin/forgot/username", Key, forgot_by_username;
    POST "/identity/v2/auth/pin/forgot/otp", Key, forgot_by_phone;
    PUT "/identity/v2/auth/pin/reset/token", Key, reset_with_token;
    PUT "/identity/v2/auth/pin/reset/otp/email", Key, reset_by_email_otp;
    PUT "/identity/v2/auth/pin/reset/otp/phone", Key, reset_by_phone_otp;
    PUT "/identity/v2/auth/pin/reset/otp/username", Key, reset_by_username_otp;
    PUT "/identity/v2/auth/pin/reset/securityanswer/email", Key, reset_by_email_answers;
    PUT "/identity/v2/auth/pin/reset/securityanswer/phone", Key, reset_by_phone_answers;
    PUT "/identity/v2/auth/pin/reset/securityanswer/username", Key, reset_by_username_answers;
    GET "/identity/v2/auth/session_token/invalidate", Key, invalidate_session;
}

/// Lifetime of a PIN session or PIN-auth token.
const PIN_TOKEN_TTL: time::Duration = time::Duration::minutes(15);

/// The placeholder token beside a PIN step, as beside a second-factor challenge.
const ZERO_TOKEN: &str = "00000000-0000-0000-0000-000000000000";

fn issue(
    store: &mut Store,
    kind: PinTokenKind,
    uid: &str,
    expires: time::OffsetDateTime,
) -> String {
    let token = fresh(&mut store.ids, Fresh::Token);
    store
        .extras
        .pin_tokens
        .retain(|_, t| !(t.kind == kind && t.uid == uid));
    store.extras.pin_tokens.insert(
        token.clone(),
        PinToken {
            kind,
            uid: uid.to_owned(),
            expires,
        },
    );
    token
}

/// The step after a password login on a PIN site: the profile, a placeholder access token and
/// a `session_token` (PIN set) or a `pinAuthToken` (no PIN yet).
pub(crate) fn pin_step(ctx: &Ctx, store: &mut Store, uid: &str) -> Result<Value, ApiError> {
    let profile = profile_of(ctx, store, uid)?;
    let expires = ctx.now + PIN_TOKEN_TTL;
    let mut out = json!({
        "Profile": profile,
        "access_token": ZERO_TOKEN,
        "expires_in": "0001-01-01T00:00:00",
    });
    if store.extras.pins.contains_key(uid) {
        out["session_token"] = json!(issue(store, PinTokenKind::Session, uid, expires));
        out["session_expires_in"] = json!(iso(expires));
    } else {
        out["pinAuthToken"] = json!(issue(store, PinTokenKind::Auth, uid, expires));
    }
    Ok(out)
}

/// A PIN: 4 to 16 characters; 1234 when missing, 1134 when too short or long.
fn pin_in(body: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    let pin = str_ci(body, key).ok_or_else(|| ApiError::new(codes::PIN_REQUIRED))?;
    if !(4..=16).contains(&pin.chars().count()) {
        return Err(ApiError::validation(
            key,
            format!("The {key} field must be 4 to 16 characters long."),
        ));
    }
    Ok(pin)
}

/// Takes the live token of `kind` named by `token`: `invalid` when unknown or of another kind,
/// `expired` when its time is over (then it is gone).
fn take_token(
    ctx: &Ctx,
    store: &mut Store,
    token: &str,
    kind: PinTokenKind,
    (invalid, expired): (i64, i64),
) -> Result<String, ApiError> {
    let rec = store
        .extras
        .pin_tokens
        .get(token.trim())
        .filter(|t| t.kind == kind)
        .cloned()
        .ok_or_else(|| ApiError::new(invalid))?;
    store.extras.pin_tokens.remove(token.trim());
    if rec.expires <= ctx.now {
        return Err(ApiError::new(expired));
    }
    user_ref(store, &rec.uid)?;
    Ok(rec.uid)
}

const SESSION_CODES: (i64, i64) = (
    codes::PIN_SESSION_TOKEN_INVALID,
    codes::PIN_SESSION_TOKEN_EXPIRED,
);

/// `POST /auth/login/pin?session_token=` with `{"pin"}`: 1236 on a wrong PIN (the session
/// token stays usable), 1245 / 1246 on a bad or expired session token.
fn login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("session_token", codes::PIN_SESSION_TOKEN_INVALID)?;
    let pin = pin_in(&ctx.body()?, "pin")?;
    let (uid, hash) = {
        let store = ctx.state.store();
        let rec = store
            .extras
            .pin_tokens
            .get(&token)
            .filter(|t| t.kind == PinTokenKind::Session)
            .ok_or_else(|| ApiError::new(codes::PIN_SESSION_TOKEN_INVALID))?;
        let uid = rec.uid.clone();
        (uid.clone(), store.extras.pins.get(&uid).cloned())
    };
    // Hash outside the lock.
    if !passwords::verify_or_dummy(&pin, hash.as_deref()) {
        return Err(ApiError::new(codes::PIN_INVALID));
    }
    let mut store = ctx.state.store();
    let same = take_token(
        ctx,
        &mut store,
        &token,
        PinTokenKind::Session,
        SESSION_CODES,
    )?;
    if same != uid {
        return Err(ApiError::new(codes::PIN_SESSION_TOKEN_INVALID));
    }
    login_envelope(ctx, &mut store, &uid)
}

/// `POST /auth/pin/set/pinauthtoken?pinAuthToken=` with `{"pin"}`: sets the first PIN and
/// signs in. 1239 / 1240 on a bad or expired token.
fn set_with_auth_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("pinAuthToken", codes::PIN_AUTH_TOKEN_INVALID)?;
    let pin = pin_in(&ctx.body()?, "pin")?;
    let hash = passwords::hash(&pin);
    let mut store = ctx.state.store();
    let uid = take_token(
        ctx,
        &mut store,
        &token,
        PinTokenKind::Auth,
        (codes::PIN_AUTH_TOKEN_INVALID, codes::PIN_AUTH_TOKEN_EXPIRED),
    )?;
    store.extras.pins.insert(uid.clone(), hash);
    login_envelope(ctx, &mut store, &uid)
}

/// `PUT /auth/pin/change` with `{"oldPIN", "newPIN"}`: 1235 when no PIN is set, 1241 on a
/// wrong current PIN.
fn change(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let old = pin_in(&body, "oldPIN")?;
    let new = pin_in(&body, "newPIN")?;
    let hash = ctx
        .state
        .store()
        .extras
        .pins
        .get(&uid)
        .cloned()
        .ok_or_else(|| ApiError::new(codes::PIN_NOT_AVAILABLE))?;
    if !passwords::verify(&old, &hash) {
        return Err(ApiError::new(codes::CURRENT_PIN_INVALID));
    }
    let new_hash = passwords::hash(&new);
    ctx.state.store().extras.pins.insert(uid, new_hash);
    Ok(posted())
}

/// Emails a reset-PIN link (to `resetPINUrl`, else the emulator page) and code.
fn send_reset_email(ctx: &Ctx, store: &mut Store, uid: &str) -> Result<Value, ApiError> {
    let to = user_ref(store, uid)?
        .primary_email()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    let token = issue(store, PinTokenKind::Reset, uid, ctx.now + LINK_TTL);
    let otp = store.issue_otp(OtpPurpose::PinReset, uid, &to, ctx.now);
    let base = ctx
        .query
        .get("resetPINUrl")
        .map_or_else(|| format!("{}/emulator", ctx.origin), str::to_owned);
    ctx.state.outbox.push(OutboxMessage {
        kind: kind::RESET_PIN.to_owned(),
        to,
        link: Some(link(&base, "resetpin", &token)),
        token: Some(token),
        otp: Some(otp),
        sent_at: iso(ctx.now),
    });
    Ok(posted())
}

fn forgot_by_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let email =
        str_ci(&ctx.body()?, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    send_reset_email(ctx, &mut store, &uid)
}

fn forgot_by_username(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let name =
        str_ci(&ctx.body()?, "username").ok_or_else(|| ApiError::new(codes::USERNAME_REQUIRED))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_username(&name)
        .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?;
    send_reset_email(ctx, &mut store, &uid)
}

fn forgot_by_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let phone = phone_in(&ctx.body()?, "phone")?;
    text_code_to_registered(ctx, &phone, OtpPurpose::PinReset, kind::SMS_RESET_PIN)
}

/// Sets the PIN of `uid` to `pin` (any reset-PIN tokens and codes are spent).
fn set_pin(store: &mut Store, uid: &str, hash: String) {
    store.extras.pins.insert(uid.to_owned(), hash);
    store
        .extras
        .pin_tokens
        .retain(|_, t| !(t.uid == uid && t.kind == PinTokenKind::Reset));
    store
        .extras
        .otps
        .retain(|o| !(o.uid == uid && o.purpose == OtpPurpose::PinReset));
}

/// `PUT /auth/pin/reset/token` with `{"resetToken", "pin"}`: 1063 on a bad token, 975 expired.
fn reset_with_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let token = str_ci(&body, "resetToken")
        .ok_or_else(|| ApiError::new(codes::VERIFICATION_TOKEN_INVALID))?;
    let pin = pin_in(&body, "pin")?;
    let hash = passwords::hash(&pin);
    let mut store = ctx.state.store();
    let uid = take_token(
        ctx,
        &mut store,
        &token,
        PinTokenKind::Reset,
        (
            codes::VERIFICATION_TOKEN_INVALID,
            codes::VERIFICATION_LINK_EXPIRED,
        ),
    )?;
    set_pin(&mut store, &uid, hash);
    Ok(posted())
}

/// Who a reset names: `email`, `username` or `phone` (per the endpoint), with the address the
/// code went to.
#[derive(Clone, Copy)]
enum By {
    Email,
    Username,
    Phone,
}

fn who(store: &Store, body: &Map<String, Value>, by: By) -> Result<(String, String), ApiError> {
    match by {
        By::Email => {
            let email =
                str_ci(body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
            let uid = store
                .uid_by_email(&email)
                .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
            Ok((uid, email))
        }
        By::Username => {
            let name =
                str_ci(body, "username").ok_or_else(|| ApiError::new(codes::USERNAME_REQUIRED))?;
            let uid = store
                .uid_by_username(&name)
                .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?;
            let email = user_ref(store, &uid)?
                .primary_email()
                .unwrap_or_default()
                .to_owned();
            Ok((uid, email))
        }
        By::Phone => {
            let phone = phone_in(body, "phone")?;
            let uid = store
                .uid_by_phone(&phone)
                .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
            Ok((uid, phone))
        }
    }
}

/// Resets the PIN with the emailed or texted code: 1067 wrong, 1069 expired.
fn reset_by_otp(ctx: &Ctx, by: By) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let otp = str_ci(&body, "otp")
        .ok_or_else(|| ApiError::validation("otp", "The otp field is required."))?;
    let pin = pin_in(&body, "pin")?;
    let hash = passwords::hash(&pin);
    let mut store = ctx.state.store();
    let (uid, to) = who(&store, &body, by)?;
    store
        .extras
        .consume_otp(
            OtpPurpose::PinReset,
            |o| o.uid == uid && o.to.eq_ignore_ascii_case(&to),
            &otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    set_pin(&mut store, &uid, hash);
    Ok(posted())
}

fn reset_by_email_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    reset_by_otp(ctx, By::Email)
}

fn reset_by_phone_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    reset_by_otp(ctx, By::Phone)
}

fn reset_by_username_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    reset_by_otp(ctx, By::Username)
}

/// Resets the PIN with the security answers: 1092 none saved, 1094 wrong.
fn reset_by_answers(ctx: &Ctx, by: By) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let given = answers_in(&body)?;
    let pin = pin_in(&body, "pin")?;
    let hash = passwords::hash(&pin);
    let mut store = ctx.state.store();
    let (uid, _) = who(&store, &body, by)?;
    check_answers(&store, &uid, &given)?;
    set_pin(&mut store, &uid, hash);
    Ok(posted())
}

fn reset_by_email_answers(ctx: &mut Ctx) -> Result<Value, ApiError> {
    reset_by_answers(ctx, By::Email)
}

fn reset_by_phone_answers(ctx: &mut Ctx) -> Result<Value, ApiError> {
    reset_by_answers(ctx, By::Phone)
}

fn reset_by_username_answers(ctx: &mut Ctx) -> Result<Value, ApiError> {
    reset_by_answers(ctx, By::Username)
}

/// `GET /auth/session_token/invalidate?session_token=`: 1245 when unknown.
fn invalidate_session(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("session_token", codes::PIN_SESSION_TOKEN_INVALID)?;
    let mut store = ctx.state.store();
    match store.extras.pin_tokens.get(&token) {
        Some(t) if t.kind == PinTokenKind::Session => {
            store.extras.pin_tokens.remove(&token);
            Ok(posted())
        }
        _ => Err(ApiError::new(codes::PIN_SESSION_TOKEN_INVALID)),
    }
}
