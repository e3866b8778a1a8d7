//! ReAuthenticationApi.

use loginradius::models::SecurityAnswer;

use super::{Case, TOKEN, UID};
use crate::case;

const VALIDATION_TOKEN: &str = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "ReAuthenticationApi",
            "mfa_re_authenticate",
            "client.reauth().start(access_token)",
            |c| c
                .reauth()
                .start(TOKEN)
                .sms_template_2fa("sms-2fa")
                .voice_otp(true)
        ),
        case!(
            "ReAuthenticationApi",
            "mfa_re_authenticate_by_otp",
            "client.reauth().verify_otp(access_token, otp)",
            |c| c.reauth().verify_otp(TOKEN, "123456")
        ),
        case!(
            "ReAuthenticationApi",
            "mfa_re_authenticate_by_backup_code",
            "client.reauth().verify_backup_code(access_token, backup_code)",
            |c| c.reauth().verify_backup_code(TOKEN, "02ea0-de2bd")
        ),
        case!(
            "ReAuthenticationApi",
            "mfa_re_authenticate_by_password",
            "client.reauth().verify_password(access_token, password)",
            |c| c
                .reauth()
                .verify_password(TOKEN, "correct horse")
                .sms_template_2fa("sms-2fa")
        ),
        case!(
            "ReAuthenticationApi",
            "verify_multi_factor_otp_reauthentication",
            "client.reauth().validate_otp_token(uid, validation_token)",
            |c| c.reauth().validate_otp_token(UID, VALIDATION_TOKEN)
        ),
        case!(
            "ReAuthenticationApi",
            "verify_multi_factor_password_reauthentication",
            "client.reauth().validate_password_token(uid, validation_token)",
            |c| c.reauth().validate_password_token(UID, VALIDATION_TOKEN)
        ),
        case!(
            "ReAuthenticationApi",
            "verify_multi_factor_pin_reauthentication",
            "client.reauth().validate_pin_token(uid, validation_token)",
            |c| c.reauth().validate_pin_token(UID, VALIDATION_TOKEN)
        ),
        case!(
            "ReAuthenticationApi",
            "verify_pin_authentication",
            "client.reauth().verify_pin(access_token, pin)",
            |c| c
                .reauth()
                .verify_pin(TOKEN, "4321")
                .sms_template_2fa("sms-2fa")
        ),
        case!(
            "ReAuthenticationApi",
            "re_auth_validate_email_otp",
            "client.reauth().verify_email_otp(access_token, email, otp)",
            |c| c
                .reauth()
                .verify_email_otp(TOKEN, "jane@example.com", "123456")
        ),
        case!(
            "ReAuthenticationApi",
            "re_auth_send_email_otp",
            "client.reauth().send_email_otp(access_token, email)",
            |c| c
                .reauth()
                .send_email_otp(TOKEN, "jane@example.com")
                .email_template_2fa("email-2fa")
        ),
        case!(
            "ReAuthenticationApi",
            "re_auth_by_security_question",
            "client.reauth().verify_security_answers(access_token, [SecurityAnswer::new(question_id, answer)])",
            |c| c
                .reauth()
                .verify_security_answers(TOKEN, [SecurityAnswer::new("q1", "Paris")])
        ),
        case!(
            "ReAuthenticationApi",
            "mfa_re_authenticate_by_authenticator_code",
            "client.reauth().verify_authenticator_code(access_token, code)",
            |c| c.reauth().verify_authenticator_code(TOKEN, "123456")
        ),
    ]
}
