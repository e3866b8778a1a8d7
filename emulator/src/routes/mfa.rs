//! Multi-factor authentication with a TOTP authenticator and backup codes: the 2FA login and
//! its second step, set-up and reset for a signed-in user and by uid.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::auth::authenticate;
use super::{deleted, login_envelope, profile_of, user_mut, user_ref};
use crate::authenticator;
use crate::config::MfaMode;
use loginradius::codes;

use crate::errors::ApiError;
use crate::request::{Ctx, bool_ci, str_ci};
use crate::state::{Challenge, MFA_CHALLENGE_TTL, Store, User};
use crate::times::iso;

super::routes! {
    POST "/identity/v2/auth/login/2fa", Key, login;
    PUT "/identity/v2/auth/login/2fa/verification/authenticatorcode", Key, verify_code;
    PUT "/identity/v2/auth/login/2fa/verification/backupcode", Key, verify_backup_code;
    GET "/identity/v2/auth/account/2fa", Bearer, settings;
    PUT "/identity/v2/auth/account/2fa/verification/authenticatorcode", Bearer, enable;
    DELETE "/identity/v2/auth/account/2fa/authenticator", Bearer, reset_by_token;
    DELETE "/identity/v2/manage/account/2fa/authenticator", Manage, reset_by_uid;
    GET "/identity/v2/auth/account/2fa/backupcode", Bearer, backup_codes_by_token;
    GET "/identity/v2/auth/account/2fa/backupcode/reset", Bearer, reset_backup_codes_by_token;
    GET "/identity/v2/manage/account/2fa/backupcode", Manage, backup_codes_by_uid;
    GET "/identity/v2/manage/account/2fa/backupcode/reset", Manage, reset_backup_codes_by_uid;
}

/// The placeholder token LoginRadius sends beside a second-factor challenge.
const ZERO_TOKEN: &str = "00000000-0000-0000-0000-000000000000";

pub(crate) fn require_mfa_site(ctx: &Ctx) -> Result<(), ApiError> {
    if ctx.state.config.mfa == MfaMode::Disabled {
        return Err(ApiError::new(codes::MFA_NOT_ENABLED));
    }
    Ok(())
}

/// `j**e@e*****e.com`: what LoginRadius shows of an address in a challenge.
fn mask_email(email: &str) -> String {
    fn mask(part: &str) -> String {
        let chars: Vec<char> = part.chars().collect();
        match chars.len() {
            0 => String::new(),
            1 | 2 => "*".repeat(chars.len()),
            n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
        }
    }
    match email.split_once('@') {
        Some((local, domain)) => {
            let (name, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
            format!("{}@{}.{}", mask(local), mask(name), tld)
        }
        None => mask(email),
    }
}

/// The authenticator part of the 2FA settings; creates a pending secret (shown as a QR code)
/// when the authenticator is not set up yet.
pub(crate) fn authenticator_settings(
    ctx: &Ctx,
    store: &mut Store,
    uid: &str,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let user = user_ref(store, uid)?;
    if !user.authenticator_enabled() && user.mfa.pending_secret.is_none() {
        let secret = authenticator::new_secret(&mut store.ids);
        user_mut(store, uid)?.mfa.pending_secret = Some(secret);
    }
    let user = user_ref(store, uid)?;
    let verified = user.authenticator_enabled();
    let (qr, manual) = if verified {
        (Value::Null, Value::Null)
    } else {
        let secret = user.mfa.pending_secret.clone().unwrap_or_default();
        let label = user
            .primary_email()
            .or(user.username.as_deref())
            .unwrap_or(&user.uid)
            .to_owned();
        let uri = authenticator::otpauth_uri(&secret, &label, &ctx.state.config.totp_issuer);
        let qr = format!(
            "{}/emulator/qr?cht=qr&chs=150x150&chl={}",
            ctx.origin,
            utf8_percent_encode(&uri, NON_ALPHANUMERIC)
        );
        (json!(qr), json!(authenticator::manual_entry_code(&secret)))
    };
    let email: Vec<String> = user.emails.iter().map(|e| mask_email(&e.value)).collect();
    let mut out = serde_json::Map::new();
    out.insert("QRCode".into(), qr);
    out.insert("ManualEntryCode".into(), manual);
    out.insert("IsGoogleAuthenticatorVerified".into(), json!(verified));
    out.insert("IsAuthenticatorVerified".into(), json!(verified));
    out.insert("IsEmailOtpAuthenticatorVerified".into(), json!(false));
    out.insert("IsOTPAuthenticatorVerified".into(), json!(false));
    out.insert("OTPPhoneNo".into(), Value::Null);
    out.insert("OTPStatus".into(), Value::Null);
    out.insert("Email".into(), json!(email));
    out.insert("EmailOTPStatus".into(), Value::Null);
    out.insert(
        "IsSecurityQuestionAuthenticatorVerified".into(),
        json!(false),
    );
    out.insert("SecurityQuestions".into(), Value::Null);
    Ok(out)
}

/// `POST /auth/login/2fa`: a second-factor challenge when the site requires MFA or the user
/// enabled an authenticator; otherwise (optional MFA, none set up) a normal login with
/// `SecondFactorAuthentication: null`.
fn login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let body = ctx.body()?;
    let uid = authenticate(ctx, &body)?;
    let mut store = ctx.state.store();
    let enabled = user_ref(&store, &uid)?.authenticator_enabled()
        || super::mfa_otp::any_enabled(&store, &uid);
    if ctx.state.config.mfa == MfaMode::Optional && !enabled {
        let mut envelope = login_envelope(ctx, &mut store, &uid)?;
        envelope["SecondFactorAuthentication"] = Value::Null;
        return Ok(envelope);
    }
    let token = store.ids.token();
    let expires = ctx.now + MFA_CHALLENGE_TTL;
    store.challenges.insert(
        token.clone(),
        Challenge {
            uid: uid.clone(),
            expires,
            wrong_codes: 0,
        },
    );
    let mut challenge = serde_json::Map::new();
    challenge.insert("SecondFactorAuthenticationToken".into(), json!(token));
    challenge.insert("ExpireIn".into(), json!(iso(expires)));
    challenge.extend(authenticator_settings(ctx, &mut store, &uid)?);
    super::mfa_otp::login_challenge(ctx, &mut store, &uid, &mut challenge);
    Ok(json!({
        "SecondFactorAuthentication": challenge,
        "Profile": null,
        "access_token": ZERO_TOKEN,
        "expires_in": "0001-01-01T00:00:00",
    }))
}

/// The challenge named by `secondfactorauthenticationtoken`: 1103 when missing or unknown,
/// 1104 when expired.
pub(crate) fn challenge_uid(ctx: &Ctx, store: &mut Store) -> Result<(String, String), ApiError> {
    let token = ctx
        .query
        .get("secondfactorauthenticationtoken")
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(codes::MFA_TOKEN_INVALID))?;
    let challenge = store
        .challenges
        .get(&token)
        .ok_or_else(|| ApiError::new(codes::MFA_TOKEN_INVALID))?;
    if challenge.expires <= ctx.now {
        store.challenges.remove(&token);
        return Err(ApiError::new(codes::MFA_TOKEN_EXPIRED));
    }
    Ok((token, challenge.uid.clone()))
}

/// Checks an authenticator code against the verified secret, or the pending one (which it then
/// enables). 1101 when there is neither, 1102 when wrong.
fn check_code(ctx: &Ctx, user: &mut User, code_text: &str) -> Result<(), ApiError> {
    let secret = user
        .mfa
        .secret
        .clone()
        .or_else(|| user.mfa.pending_secret.clone())
        .ok_or_else(|| ApiError::new(codes::MFA_NOT_CONFIGURED))?;
    if !authenticator::check(&secret, code_text, ctx.now) {
        return Err(ApiError::new(codes::MFA_CODE_INCORRECT));
    }
    if user.mfa.secret.is_none() {
        user.mfa.secret = Some(secret);
        user.mfa.pending_secret = None;
    }
    Ok(())
}

fn authenticator_code(ctx: &Ctx) -> Result<String, ApiError> {
    let body = ctx.body()?;
    str_ci(&body, "authenticatorcode")
        .or_else(|| str_ci(&body, "googleauthenticatorcode"))
        .ok_or_else(|| {
            ApiError::validation(
                "authenticatorcode",
                "The authenticatorcode field is required.",
            )
        })
}

fn verify_code(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let code_text = authenticator_code(ctx)?;
    let mut store = ctx.state.store();
    let (token, uid) = challenge_uid(ctx, &mut store)?;
    if let Err(wrong) = check_code(ctx, user_mut(&mut store, &uid)?, &code_text) {
        count_wrong_code(ctx, &mut store, &token);
        return Err(wrong);
    }
    store.challenges.remove(&token);
    login_envelope(ctx, &mut store, &uid)
}

/// A wrong code on the challenge `token`: the last one it survives removes it, so the next
/// attempt is 1103 (as LoginRadius ends a second-factor token after its allowed wrong codes).
fn count_wrong_code(ctx: &Ctx, store: &mut Store, token: &str) {
    let limit = ctx.state.config.mfa_wrong_codes.max(1);
    if let Some(challenge) = store.challenges.get_mut(token) {
        challenge.wrong_codes += 1;
        if challenge.wrong_codes >= limit {
            store.challenges.remove(token);
        }
    }
}

fn verify_backup_code(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let body = ctx.body()?;
    let given = str_ci(&body, "backupcode")
        .ok_or_else(|| ApiError::validation("backupcode", "The backupcode field is required."))?;
    let mut store = ctx.state.store();
    let (token, uid) = challenge_uid(ctx, &mut store)?;
    let user = user_mut(&mut store, &uid)?;
    let index = user
        .mfa
        .backup_codes
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&given))
        .ok_or_else(|| ApiError::new(codes::MFA_BACKUP_CODE_INVALID))?;
    user.mfa.backup_codes.remove(index);
    store.challenges.remove(&token);
    login_envelope(ctx, &mut store, &uid)
}

fn settings(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    let mut out = authenticator_settings(ctx, &mut store, &uid)?;
    super::mfa_otp::settings(&store, &uid, &mut out);
    Ok(Value::Object(out))
}

fn enable(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let code_text = authenticator_code(ctx)?;
    let mut store = ctx.state.store();
    check_code(ctx, user_mut(&mut store, &uid)?, &code_text)?;
    profile_of(ctx, &store, &uid)
}

/// `{"authenticator": true}` removes the authenticator (and its backup codes);
/// `{"otpauthenticator": true}` the SMS second factor (1100 when it is not on).
fn reset(ctx: &Ctx, uid: &str) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let body = ctx.body()?;
    if bool_ci(&body, "authenticator") != Some(true) {
        if bool_ci(&body, "otpauthenticator") == Some(true) {
            return super::mfa_otp::reset_sms(ctx, uid);
        }
        return Err(ApiError::new(codes::MFA_REMOVAL_INVALID));
    }
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, uid)?;
    user.mfa = Default::default();
    Ok(deleted())
}

fn reset_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    reset(ctx, &uid)
}

fn reset_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    reset(ctx, &uid)
}

/// The user's backup codes, made on first request (or anew with `regenerate`). 1101 when the
/// authenticator is not enabled.
fn backup_codes(ctx: &Ctx, uid: &str, regenerate: bool) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let mut store = ctx.state.store();
    let user = user_ref(&store, uid)?;
    if !user.authenticator_enabled() {
        return Err(ApiError::new(codes::MFA_NOT_CONFIGURED));
    }
    if regenerate || user.mfa.backup_codes.is_empty() {
        let fresh = authenticator::backup_codes(&mut store.ids);
        user_mut(&mut store, uid)?.mfa.backup_codes = fresh;
    }
    Ok(json!({ "BackUpCodes": user_ref(&store, uid)?.mfa.backup_codes }))
}

fn backup_codes_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    backup_codes(ctx, &uid, false)
}

fn reset_backup_codes_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    backup_codes(ctx, &uid, true)
}

fn backup_codes_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    backup_codes(ctx, &uid, false)
}

fn reset_backup_codes_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    backup_codes(ctx, &uid, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_masking() {
        assert_eq!(mask_email("jane@example.com"), "j**e@e*****e.com");
        assert_eq!(mask_email("jo@x.io"), "**@*.io");
    }
}
