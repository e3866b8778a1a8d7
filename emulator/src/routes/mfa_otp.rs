//! One-time codes as second factors: by SMS (set the number, enable with a texted code, log in
//! with a texted code, resend) and by email (send, enable, log in, reset by token and by uid).
//! Codes land in the outbox (`sms_second_factor`, `email_second_factor`).

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::mfa::{challenge_uid, require_mfa_site};
use super::phone::{email_refusal, phone_in, send_sms, sms_refusal};
use super::{deleted, login_envelope, posted, profile_of, user_ref};
use crate::errors::ApiError;
use crate::extras::OtpPurpose;
use crate::outbox::{OutboxMessage, kind};
use crate::request::{Ctx, str_ci};
use crate::state::Store;
use crate::times::iso;

super::routes! {
    PUT "/identity/v2/auth/account/2fa", Bearer, set_phone_by_token;
    PUT "/identity/v2/auth/account/2fa/verification/otp", Bearer, enable_sms;
    PUT "/identity/v2/auth/login/2fa", Key, set_phone_at_login;
    GET "/identity/v2/auth/login/2fa/resend", Key, resend_at_login;
    PUT "/identity/v2/auth/login/2fa/verification/otp", Key, verify_sms_at_login;
    GET "/identity/v2/auth/account/2fa/otp/email", Bearer, send_email_by_token;
    PUT "/identity/v2/auth/account/2fa/verification/otp/email", Bearer, enable_email;
    DELETE "/identity/v2/auth/account/2fa/authenticator/otp/email", Bearer, reset_email_by_token;
    DELETE "/identity/v2/manage/account/2fa/authenticator/otp/email", Manage, reset_email_by_uid;
    POST "/identity/v2/auth/login/2fa/otp/email", Key, send_email_at_login;
    PUT "/identity/v2/auth/login/2fa/verification/otp/email", Key, verify_email_at_login;
}

/// Whether `uid` has an SMS or email second factor on.
pub(crate) fn any_enabled(store: &Store, uid: &str) -> bool {
    let f = store.extras.factors(uid);
    f.sms_enabled || f.email_enabled || super::security::factor_enabled(store, uid)
}

/// `123****68`: what LoginRadius shows of a phone number.
fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n <= 4 {
        return "*".repeat(n);
    }
    let shown_head = 3.min(n - 4);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < shown_head || i >= n - 2 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// The SMS and email parts of the 2FA settings.
pub(crate) fn settings(store: &Store, uid: &str, out: &mut Map<String, Value>) {
    let f = store.extras.factors(uid);
    out.insert("IsOTPAuthenticatorVerified".into(), json!(f.sms_enabled));
    out.insert(
        "OTPPhoneNo".into(),
        json!(f.sms_phone.as_deref().map(mask_phone)),
    );
    out.insert(
        "IsEmailOtpAuthenticatorVerified".into(),
        json!(f.email_enabled),
    );
    super::security::settings(store, uid, out);
}

/// A login challenge: the settings, and with the SMS factor on, a code texted at once
/// (`OTPStatus` is the receipt).
pub(crate) fn login_challenge(
    ctx: &Ctx,
    store: &mut Store,
    uid: &str,
    challenge: &mut Map<String, Value>,
) {
    settings(store, uid, challenge);
    let f = store.extras.factors(uid);
    if let (true, Some(phone)) = (f.sms_enabled, f.sms_phone) {
        let receipt = send_sms(
            ctx,
            store,
            OtpPurpose::MfaSms,
            kind::SMS_SECOND_FACTOR,
            uid,
            &phone,
        );
        challenge.insert("OTPStatus".into(), receipt);
    }
}

/// Texts a second-factor code to `phone` after making it the user's SMS number. 1250 when the
/// SMS factor is already on with another number at login.
fn set_phone(ctx: &Ctx, uid: &str, at_login: bool) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let phone = phone_in(&ctx.body()?, "phoneno2fa")?;
    let mut store = ctx.state.store();
    user_ref(&store, uid)?;
    let factors = store.extras.factors_mut(uid);
    if at_login && factors.sms_enabled && factors.sms_phone.as_deref() != Some(phone.as_str()) {
        return Err(ApiError::new(codes::MFA_PHONE_UPDATE_INVALID));
    }
    if factors.sms_phone.as_deref() != Some(phone.as_str()) {
        factors.sms_phone = Some(phone.clone());
        factors.sms_enabled = false;
    }
    Ok(send_sms(
        ctx,
        &mut store,
        OtpPurpose::MfaSms,
        kind::SMS_SECOND_FACTOR,
        uid,
        &phone,
    ))
}

fn set_phone_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    set_phone(ctx, &uid, false)
}

fn set_phone_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let (_, uid) = challenge_uid(ctx, &mut ctx.state.store())?;
    set_phone(ctx, &uid, true)
}

/// Uses a second-factor SMS code of `uid`, turning the SMS factor on. 1101 when no number is
/// set, 1067 wrong, 1069 expired.
fn use_sms_code(ctx: &Ctx, store: &mut Store, uid: &str) -> Result<(), ApiError> {
    let otp = str_ci(&ctx.body()?, "otp")
        .ok_or_else(|| ApiError::validation("otp", "The otp field is required."))?;
    let Some(phone) = store.extras.factors(uid).sms_phone else {
        return Err(ApiError::new(codes::MFA_NOT_CONFIGURED));
    };
    store
        .extras
        .consume_otp(
            OtpPurpose::MfaSms,
            |o| o.uid == uid && o.to == phone,
            &otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    store.extras.factors_mut(uid).sms_enabled = true;
    Ok(())
}

fn enable_sms(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    use_sms_code(ctx, &mut store, &uid)?;
    profile_of(ctx, &store, &uid)
}

fn resend_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let mut store = ctx.state.store();
    let (_, uid) = challenge_uid(ctx, &mut store)?;
    let phone = store
        .extras
        .factors(&uid)
        .sms_phone
        .ok_or_else(|| ApiError::new(codes::MFA_NOT_CONFIGURED))?;
    Ok(send_sms(
        ctx,
        &mut store,
        OtpPurpose::MfaSms,
        kind::SMS_SECOND_FACTOR,
        &uid,
        &phone,
    ))
}

fn verify_sms_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let mut store = ctx.state.store();
    let (token, uid) = challenge_uid(ctx, &mut store)?;
    use_sms_code(ctx, &mut store, &uid)?;
    store.challenges.remove(&token);
    login_envelope(ctx, &mut store, &uid)
}

/// `SMS` factor off (`DELETE …/2fa/authenticator` with `{"otpauthenticator": true}`): 1100 when
/// it is not on.
pub(crate) fn reset_sms(ctx: &Ctx, uid: &str) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    user_ref(&store, uid)?;
    let factors = store.extras.factors_mut(uid);
    if !factors.sms_enabled && factors.sms_phone.is_none() {
        return Err(ApiError::new(codes::SMS_OTP_MFA_NOT_ENABLED));
    }
    factors.sms_enabled = false;
    factors.sms_phone = None;
    store
        .extras
        .otps
        .retain(|o| !(o.uid == uid && o.purpose == OtpPurpose::MfaSms));
    Ok(deleted())
}

/// Emails a second-factor code to `email`, which must be an address of `uid` (1023 otherwise).
fn send_email_code(ctx: &Ctx, store: &mut Store, uid: &str, email: &str) -> Result<(), ApiError> {
    if !user_ref(store, uid)?.has_email(email) {
        return Err(ApiError::new(codes::EMAIL_NOT_FOUND));
    }
    let code = store.issue_otp(OtpPurpose::MfaEmail, uid, email, ctx.now);
    ctx.state.outbox.push(OutboxMessage {
        kind: kind::EMAIL_SECOND_FACTOR.to_owned(),
        to: email.to_owned(),
        token: None,
        otp: Some(code),
        link: None,
        sent_at: iso(ctx.now),
    });
    Ok(())
}

/// Uses an email second-factor code of `uid`, turning the email factor on: 1188 wrong, 1187
/// expired.
fn use_email_code(ctx: &Ctx, store: &mut Store, uid: &str) -> Result<(), ApiError> {
    let body = ctx.body()?;
    let email =
        str_ci(&body, "emailid").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let otp = str_ci(&body, "otp")
        .ok_or_else(|| ApiError::validation("Otp", "The Otp field is required."))?;
    store
        .extras
        .consume_otp(
            OtpPurpose::MfaEmail,
            |o| o.uid == uid && o.to.eq_ignore_ascii_case(&email),
            &otp,
            ctx.now,
        )
        .map_err(email_refusal)?;
    store.extras.factors_mut(uid).email_enabled = true;
    Ok(())
}

fn send_email_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let email = ctx.required_query("emailid", codes::VALID_EMAIL_REQUIRED)?;
    send_email_code(ctx, &mut ctx.state.store(), &uid, &email)?;
    Ok(posted())
}

fn enable_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    use_email_code(ctx, &mut store, &uid)?;
    profile_of(ctx, &store, &uid)
}

/// Email factor off: 1256 when it is not on.
fn reset_email(ctx: &Ctx, uid: &str) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let mut store = ctx.state.store();
    user_ref(&store, uid)?;
    let factors = store.extras.factors_mut(uid);
    if !factors.email_enabled {
        return Err(ApiError::new(codes::EMAIL_OTP_MFA_NOT_ENABLED));
    }
    factors.email_enabled = false;
    Ok(deleted())
}

fn reset_email_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    reset_email(ctx, &uid)
}

fn reset_email_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    reset_email(ctx, &uid)
}

fn send_email_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let email = str_ci(&ctx.body()?, "emailid")
        .ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    let mut store = ctx.state.store();
    let (_, uid) = challenge_uid(ctx, &mut store)?;
    send_email_code(ctx, &mut store, &uid, &email)?;
    Ok(posted())
}

fn verify_email_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let mut store = ctx.state.store();
    let (token, uid) = challenge_uid(ctx, &mut store)?;
    use_email_code(ctx, &mut store, &uid)?;
    store.challenges.remove(&token);
    login_envelope(ctx, &mut store, &uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_masking() {
        assert_eq!(mask_phone("+16045552368"), "+16*******68");
        assert_eq!(mask_phone("12345"), "1**45");
        assert_eq!(mask_phone("1234"), "****");
    }
}
