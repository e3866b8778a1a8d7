//! Re-authentication of a signed-in user before a sensitive action: by a second factor
//! (authenticator, backup code, SMS or email code, security answers), the password or the PIN.
//! Each answers a one-time `SecondFactorValidationToken` that the site's server checks with the
//! `/manage/account/{uid}/reauth/*` calls.

use serde_json::{Value, json};

use loginradius::codes;

use super::mfa::{authenticator_settings, require_mfa_site};
use super::phone::{email_refusal, sms_refusal};
use super::security::{answers_in, check_answers, factor_enabled};
use super::{posted, user_mut, user_ref};
use crate::authenticator;
use crate::errors::ApiError;
use crate::extras::{Fresh, OtpPurpose, ReauthKind, ReauthProof, fresh};
use crate::outbox::{OutboxMessage, kind};
use crate::passwords;
use crate::request::{Ctx, str_ci};
use crate::state::{MFA_CHALLENGE_TTL, Store};
use crate::times::iso;

super::routes! {
    GET "/identity/v2/auth/account/reauth/2fa", Bearer, start;
    PUT "/identity/v2/auth/account/reauth/2fa/authenticatorcode", Bearer, by_authenticator;
    PUT "/identity/v2/auth/account/reauth/2fa/backupcode", Bearer, by_backup_code;
    PUT "/identity/v2/auth/account/reauth/2fa/otp", Bearer, by_sms;
    GET "/identity/v2/auth/account/reauth/2fa/otp/email", Bearer, send_email;
    PUT "/identity/v2/auth/account/reauth/2fa/otp/email/verify", Bearer, by_email;
    POST "/identity/v2/auth/account/reauth/2fa/securityquestionanswer/verify", Bearer, by_answers;
    PUT "/identity/v2/auth/account/reauth/password", Bearer, by_password;
    PUT "/identity/v2/auth/account/reauth/pin", Bearer, by_pin;
    POST "/identity/v2/manage/account/{uid}/reauth/2fa", Manage, validate_second_factor;
    POST "/identity/v2/manage/account/{uid}/reauth/password", Manage, validate_password;
    POST "/identity/v2/manage/account/{uid}/reauth/pin", Manage, validate_pin;
}

/// Issues the proof `{"SecondFactorValidationToken", "ExpireIn"}`.
fn proof(ctx: &Ctx, store: &mut Store, kind: ReauthKind, uid: &str) -> Value {
    let token = fresh(&mut store.ids, Fresh::Token);
    let expires = ctx.now + MFA_CHALLENGE_TTL;
    store.extras.reauth_tokens.insert(
        token.clone(),
        ReauthProof {
            kind,
            uid: uid.to_owned(),
            expires,
        },
    );
    json!({ "SecondFactorValidationToken": token, "ExpireIn": iso(expires) })
}

/// `GET /auth/account/reauth/2fa`: the user's second-factor settings (an SMS code is texted at
/// once when that factor is on).
fn start(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    let mut out = authenticator_settings(ctx, &mut store, &uid)?;
    super::mfa_otp::login_challenge(ctx, &mut store, &uid, &mut out);
    Ok(Value::Object(out))
}

fn field(ctx: &Ctx, key: &str) -> Result<String, ApiError> {
    str_ci(&ctx.body()?, key)
        .ok_or_else(|| ApiError::validation(key, format!("The {key} field is required.")))
}

/// 1101 when the authenticator is not on, 1102 on a wrong code.
fn by_authenticator(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let code = field(ctx, "authenticatorcode")?;
    let mut store = ctx.state.store();
    let secret = user_ref(&store, &uid)?
        .mfa
        .secret
        .clone()
        .ok_or_else(|| ApiError::new(codes::MFA_NOT_CONFIGURED))?;
    if !authenticator::check(&secret, &code, ctx.now) {
        return Err(ApiError::new(codes::MFA_CODE_INCORRECT));
    }
    Ok(proof(ctx, &mut store, ReauthKind::SecondFactor, &uid))
}

/// A backup code, used once: 1128 when wrong or used.
fn by_backup_code(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let given = field(ctx, "backupcode")?;
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    let index = user
        .mfa
        .backup_codes
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&given))
        .ok_or_else(|| ApiError::new(codes::MFA_BACKUP_CODE_INVALID))?;
    user.mfa.backup_codes.remove(index);
    Ok(proof(ctx, &mut store, ReauthKind::SecondFactor, &uid))
}

/// A texted code: 1100 when the SMS factor is off, 1067 / 1069 on a wrong or expired code.
fn by_sms(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let otp = field(ctx, "otp")?;
    let mut store = ctx.state.store();
    let factors = store.extras.factors(&uid);
    let phone = factors
        .sms_phone
        .filter(|_| factors.sms_enabled)
        .ok_or_else(|| ApiError::new(codes::SMS_OTP_MFA_NOT_ENABLED))?;
    store
        .extras
        .consume_otp(
            OtpPurpose::MfaSms,
            |o| o.uid == uid && o.to == phone,
            &otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    Ok(proof(ctx, &mut store, ReauthKind::SecondFactor, &uid))
}

/// Emails a code to `emailId`, an address of the user with the email factor on (1256 off,
/// 1023 not the user's).
fn send_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let email = ctx.required_query("emailid", codes::VALID_EMAIL_REQUIRED)?;
    let mut store = ctx.state.store();
    if !store.extras.factors(&uid).email_enabled {
        return Err(ApiError::new(codes::EMAIL_OTP_MFA_NOT_ENABLED));
    }
    if !user_ref(&store, &uid)?.has_email(&email) {
        return Err(ApiError::new(codes::EMAIL_NOT_FOUND));
    }
    let code = store.issue_otp(OtpPurpose::MfaEmail, &uid, &email, ctx.now);
    ctx.state.outbox.push(OutboxMessage {
        kind: kind::EMAIL_SECOND_FACTOR.to_owned(),
        to: email,
        token: None,
        otp: Some(code),
        link: None,
        sent_at: iso(ctx.now),
    });
    Ok(posted())
}

/// The emailed code: 1188 wrong, 1187 expired.
fn by_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let email = field(ctx, "EmailId")?;
    let otp = field(ctx, "Otp")?;
    let mut store = ctx.state.store();
    store
        .extras
        .consume_otp(
            OtpPurpose::MfaEmail,
            |o| o.uid == uid && o.to.eq_ignore_ascii_case(&email),
            &otp,
            ctx.now,
        )
        .map_err(email_refusal)?;
    Ok(proof(ctx, &mut store, ReauthKind::SecondFactor, &uid))
}

/// The security answers of the factor: 1257 off, 1094 wrong.
fn by_answers(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let given = answers_in(&ctx.body()?)?;
    let mut store = ctx.state.store();
    if !factor_enabled(&store, &uid) {
        return Err(ApiError::new(codes::SECURITY_QUESTION_MFA_NOT_ENABLED));
    }
    check_answers(&store, &uid, &given)?;
    Ok(proof(ctx, &mut store, ReauthKind::SecondFactor, &uid))
}

/// The password: 1205 when wrong.
fn by_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let password = field(ctx, "password")?;
    let hash = user_ref(&ctx.state.store(), &uid)?.password_hash.clone();
    if !passwords::verify_or_dummy(&password, hash.as_deref()) {
        return Err(ApiError::new(codes::INVALID_PASSWORD));
    }
    let mut store = ctx.state.store();
    Ok(proof(ctx, &mut store, ReauthKind::Password, &uid))
}

/// The PIN: 1235 when none is set, 1236 when wrong.
fn by_pin(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let pin = field(ctx, "pin")?;
    let hash = ctx
        .state
        .store()
        .extras
        .pins
        .get(&uid)
        .cloned()
        .ok_or_else(|| ApiError::new(codes::PIN_NOT_AVAILABLE))?;
    if !passwords::verify(&pin, &hash) {
        return Err(ApiError::new(codes::PIN_INVALID));
    }
    let mut store = ctx.state.store();
    Ok(proof(ctx, &mut store, ReauthKind::Pin, &uid))
}

/// `{"IsValid": true}` for a live proof of `kind` for the user `{uid}`, which it spends;
/// `{"IsValid": false}` otherwise (unknown, expired, another user's or another kind's).
fn validate(ctx: &Ctx, kind: ReauthKind) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    let token = str_ci(&ctx.body()?, "SecondFactorValidationToken").ok_or_else(|| {
        ApiError::validation(
            "SecondFactorValidationToken",
            "The SecondFactorValidationToken field is required.",
        )
    })?;
    let mut store = ctx.state.store();
    user_ref(&store, &uid)?;
    let valid = store
        .extras
        .reauth_tokens
        .get(&token)
        .is_some_and(|p| p.kind == kind && p.uid == uid && p.expires > ctx.now);
    if valid {
        store.extras.reauth_tokens.remove(&token);
    }
    Ok(json!({ "IsValid": valid }))
}

fn validate_second_factor(ctx: &mut Ctx) -> Result<Value, ApiError> {
    validate(ctx, ReauthKind::SecondFactor)
}

fn validate_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    validate(ctx, ReauthKind::Password)
}

fn validate_pin(ctx: &mut Ctx) -> Result<Value, ApiError> {
    validate(ctx, ReauthKind::Pin)
}
