//! Server information, site configuration, and server-side SOTT generation.

use serde_json::{Value, json};

use crate::config::{EmailVerification, MfaMode};
use crate::errors::ApiError;
use crate::request::Ctx;
use crate::times::{iso, server, sott};

super::routes! {
    GET "/identity/v2/serverinfo", Key, server_info;
    GET "/identity/v2/manage/account/sott", Manage, generate_sott;
    GET "/ciam/appinfo", Key, app_info;
}

/// `timedifference` minutes (default 10, clamped to 1..=1440).
fn time_difference(ctx: &Ctx) -> i64 {
    ctx.query
        .get("timedifference")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(10)
        .clamp(1, 1440)
}

fn server_info(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let minutes = time_difference(ctx);
    let end = ctx.now + time::Duration::minutes(minutes);
    Ok(json!({
        "ServerLocation": "local",
        "ServerName": "loginradius-emulator",
        "CurrentTime": server(ctx.now),
        "Sott": {
            "StartTime": sott(ctx.now),
            "EndTime": sott(end),
            "TimeDifference": format!("{minutes} Minutes"),
        }
    }))
}

fn generate_sott(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let minutes = time_difference(ctx);
    let end = ctx.now + time::Duration::minutes(minutes);
    let token = ctx
        .state
        .sott_key
        .seal(&ctx.state.config.api_key, &sott(ctx.now), &sott(end));
    Ok(json!({ "Sott": token.expose(), "ExpiryTime": iso(end) }))
}

/// The subset of the site configuration (`config.lrcontent.com/ciam/appinfo`) that describes
/// what the emulator enforces.
fn app_info(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let config = &ctx.state.config;
    Ok(json!({
        "AppName": "loginradius-emulator",
        "ApiVersion": "v2",
        "EmailVerificationFlow": match config.email_verification {
            EmailVerification::Required => "required",
            EmailVerification::Optional => "optional",
            EmailVerification::Disabled => "disabled",
        },
        "IsUserNameLogin": true,
        "IsPhoneLogin": true,
        "IsInstantSignin": { "EmailLink": true, "SmsOtp": false },
        "TwoFactorAuthentication": {
            "IsEnabled": config.mfa != MfaMode::Disabled,
            "IsRequired": config.mfa == MfaMode::Required,
            "IsGoogleAuthenticator": config.mfa != MfaMode::Disabled,
            "IsAuthenticator": config.mfa != MfaMode::Disabled,
            "IsPushAuthenticator": false,
            "IsEmailOTPAuthenticator": config.mfa != MfaMode::Disabled,
            "IsSecurityQuestionAuthenticator": false,
            "IsSmsOTPAuthenticator": config.mfa != MfaMode::Disabled,
            "IsDuoSecurityAuthenticator": false,
            "IsPasskeyAuthenticator": false,
        },
    }))
}
