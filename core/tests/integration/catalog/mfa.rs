//! MultiFactorAuthenticationApi.

use loginradius::models::SecurityAnswer;

use super::{Case, TOKEN, UID};
use crate::case;

/// Sample second-factor (MFA) token.
const MFA_TOKEN: &str = "b1fbbba5-2a5e-41a2-96da-c216df36e6f4";

fn answers() -> [SecurityAnswer; 1] {
    [SecurityAnswer::new("db7a8a73e4bd98c20", "Rex")]
}

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_configure_by_access_token",
            "client.mfa().settings(access_token)",
            |c| c.mfa().settings(TOKEN).voice_otp(true)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_update_setting",
            "client.mfa().enable_sms_otp(access_token, otp)",
            |c| c.mfa().enable_sms_otp(TOKEN, "123456").fields("Uid")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_update_phone_number_by_token",
            "client.mfa().set_sms_phone(access_token, phone)",
            |c| c
                .mfa()
                .set_sms_phone(TOKEN, "+16045552368")
                .sms_template_2fa("mfa-sms")
                .voice_otp(false)
                .options("PreventVerificationEmail")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_authenticator_by_token",
            "client.mfa().reset_authenticator(access_token)",
            |c| c.mfa().reset_authenticator(TOKEN)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_sms_auth_by_token",
            "client.mfa().reset_sms_otp(access_token)",
            |c| c.mfa().reset_sms_otp(TOKEN)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_backup_code_by_access_token",
            "client.mfa().backup_codes(access_token)",
            |c| c.mfa().backup_codes(TOKEN)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_backup_code_by_access_token",
            "client.mfa().reset_backup_codes(access_token)",
            |c| c.mfa().reset_backup_codes(TOKEN)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_email_otp_by_access_token",
            "client.mfa().send_setup_email_otp(access_token, email)",
            |c| c
                .mfa()
                .send_setup_email_otp(TOKEN, "jane@example.com")
                .email_template_2fa("mfa-email")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_validate_email_otp_by_access_token",
            "client.mfa().enable_email_otp(access_token, email, otp)",
            |c| c
                .mfa()
                .enable_email_otp(TOKEN, "jane@example.com", "123456")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_email_otp_authenticator_by_access_token",
            "client.mfa().reset_email_otp(access_token)",
            |c| c.mfa().reset_email_otp(TOKEN)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_security_question_answer_by_access_token",
            "client.mfa().enable_security_questions(access_token, answers, replace)",
            |c| c.mfa().enable_security_questions(TOKEN, answers(), true)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_security_question_authenticator_by_access_token",
            "client.mfa().reset_security_questions(access_token)",
            |c| c.mfa().reset_security_questions(TOKEN)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_login_by_email",
            "client.mfa().login_by_email(email, password)",
            |c| c
                .mfa()
                .login_by_email("jane@example.com", "correct horse")
                .email_template("verify")
                .fields("Uid")
                .login_url("https://example.com/login")
                .sms_template("sms")
                .sms_template_2fa("mfa-sms")
                .verification_url("https://example.com/verify")
                .email_template_2fa("mfa-email")
                .voice_otp(false)
                .options("PreventVerificationEmail")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_login_by_user_name",
            "client.mfa().login_by_username(username, password)",
            |c| c
                .mfa()
                .login_by_username("jane", "correct horse")
                .email_template("verify")
                .fields("Uid")
                .login_url("https://example.com/login")
                .sms_template("sms")
                .sms_template_2fa("mfa-sms")
                .verification_url("https://example.com/verify")
                .email_template_2fa("mfa-email")
                .voice_otp(false)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_login_by_phone",
            "client.mfa().login_by_phone(phone, password)",
            |c| c
                .mfa()
                .login_by_phone("+16045552368", "correct horse")
                .email_template("verify")
                .fields("Uid")
                .login_url("https://example.com/login")
                .sms_template("sms")
                .sms_template_2fa("mfa-sms")
                .verification_url("https://example.com/verify")
                .email_template_2fa("mfa-email")
                .voice_otp(false)
                .options("PreventVerificationEmail")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_validate_otp_by_phone",
            "client.mfa().verify_sms_otp(mfa_token, otp)",
            |c| c
                .mfa()
                .verify_sms_otp(MFA_TOKEN, "123456")
                .fields("Uid")
                .rba_browser_email_template("rba-browser")
                .rba_city_email_template("rba-city")
                .rba_country_email_template("rba-country")
                .rba_ip_email_template("rba-ip")
                .sms_template_2fa("mfa-sms")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_validate_backup_code",
            "client.mfa().verify_backup_code(mfa_token, backup_code)",
            |c| c
                .mfa()
                .verify_backup_code(MFA_TOKEN, "02ea0-de2bd")
                .fields("Uid")
                .rba_browser_email_template("rba-browser")
                .rba_city_email_template("rba-city")
                .rba_country_email_template("rba-country")
                .rba_ip_email_template("rba-ip")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_update_phone_number",
            "client.mfa().set_login_sms_phone(mfa_token, phone)",
            |c| c
                .mfa()
                .set_login_sms_phone(MFA_TOKEN, "+16045552368")
                .sms_template_2fa("mfa-sms")
                .voice_otp(false)
                .options("PreventVerificationEmail")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_resend_otp",
            "client.mfa().resend_sms_otp(mfa_token)",
            |c| c
                .mfa()
                .resend_sms_otp(MFA_TOKEN)
                .sms_template_2fa("mfa-sms")
                .voice_otp(false)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_email_otp",
            "client.mfa().send_email_otp(mfa_token, email)",
            |c| c
                .mfa()
                .send_email_otp(MFA_TOKEN, "jane@example.com")
                .email_template_2fa("mfa-email")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_validate_email_otp",
            "client.mfa().verify_email_otp(mfa_token, email, otp)",
            |c| c
                .mfa()
                .verify_email_otp(MFA_TOKEN, "jane@example.com", "123456")
                .rba_browser_email_template("rba-browser")
                .rba_city_email_template("rba-city")
                .rba_country_email_template("rba-country")
                .rba_ip_email_template("rba-ip")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_security_question_answer",
            "client.mfa().set_security_answers(mfa_token, answers)",
            |c| c.mfa().set_security_answers(MFA_TOKEN, answers())
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_security_question_answer_verification",
            "client.mfa().verify_security_answers(mfa_token, answers)",
            |c| c
                .mfa()
                .verify_security_answers(MFA_TOKEN, answers())
                .rba_browser_email_template("rba-browser")
                .rba_city_email_template("rba-city")
                .rba_country_email_template("rba-country")
                .rba_ip_email_template("rba-ip")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_sms_authenticator_by_uid",
            "client.mfa().reset_sms_otp_for_user(uid)",
            |c| c.mfa().reset_sms_otp_for_user(UID)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_authenticator_by_uid",
            "client.mfa().reset_authenticator_for_user(uid)",
            |c| c.mfa().reset_authenticator_for_user(UID)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_backup_code_by_uid",
            "client.mfa().backup_codes_for_user(uid)",
            |c| c.mfa().backup_codes_for_user(UID)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_backup_code_by_uid",
            "client.mfa().reset_backup_codes_for_user(uid)",
            |c| c.mfa().reset_backup_codes_for_user(UID)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_email_otp_authenticator_by_uid",
            "client.mfa().reset_email_otp_for_user(uid)",
            |c| c.mfa().reset_email_otp_for_user(UID)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_reset_security_question_authenticator_by_uid",
            "client.mfa().reset_security_questions_for_user(uid)",
            |c| c.mfa().reset_security_questions_for_user(UID)
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_validate_authenticator_code",
            "client.mfa().verify_authenticator_code(mfa_token, code)",
            |c| c
                .mfa()
                .verify_authenticator_code(MFA_TOKEN, "123456")
                .fields("Uid")
        ),
        case!(
            "MultiFactorAuthenticationApi",
            "mfa_verify_authenticator_code",
            "client.mfa().enable_authenticator(access_token, code)",
            |c| c.mfa().enable_authenticator(TOKEN, "123456").fields("Uid")
        ),
    ]
}
