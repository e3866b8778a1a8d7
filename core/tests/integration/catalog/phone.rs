//! PhoneAuthenticationApi.

use loginradius::models::Registration;

use super::{Case, SOTT, TOKEN};
use crate::case;

const PHONE: &str = "+16045552368";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "PhoneAuthenticationApi",
            "login_by_phone",
            "client.phone().login(phone, password)",
            |c| c
                .phone()
                .login(PHONE, "correct horse")
                .fields("Uid")
                .login_url("https://example.com/login")
                .sms_template("sms")
                .options("PreventVerificationEmail")
        ),
        case!(
            "PhoneAuthenticationApi",
            "forgot_password_by_phone_otp",
            "client.phone().send_forgot_password_otp(phone)",
            |c| c
                .phone()
                .send_forgot_password_otp(PHONE)
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PhoneAuthenticationApi",
            "reset_password_by_phone_otp",
            "client.phone().reset_password(phone, otp, password)",
            |c| c.phone().reset_password(PHONE, "123456", "new horse")
        ),
        case!(
            "PhoneAuthenticationApi",
            "phone_verification_by_otp",
            "client.phone().verify_otp(phone, otp)",
            |c| c
                .phone()
                .verify_otp(PHONE, "123456")
                .fields("Uid")
                .sms_template("sms")
                .voice_otp(false)
        ),
        case!(
            "PhoneAuthenticationApi",
            "phone_verification_otp_by_access_token",
            "client.phone().verify_otp_by_token(access_token, otp)",
            |c| c
                .phone()
                .verify_otp_by_token(TOKEN, "123456")
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PhoneAuthenticationApi",
            "phone_resend_verification_otp",
            "client.phone().resend_verification_otp(phone)",
            |c| c
                .phone()
                .resend_verification_otp(PHONE)
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PhoneAuthenticationApi",
            "phone_resend_verification_otp_by_token",
            "client.phone().resend_verification_otp_by_token(access_token, phone)",
            |c| c
                .phone()
                .resend_verification_otp_by_token(TOKEN, PHONE)
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PhoneAuthenticationApi",
            "update_phone_number",
            "client.phone().update_number(access_token, phone)",
            |c| c
                .phone()
                .update_number(TOKEN, PHONE)
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PhoneAuthenticationApi",
            "check_phone_number_availability",
            "client.phone().exists(phone)",
            |c| c.phone().exists(PHONE)
        ),
        case!(
            "PhoneAuthenticationApi",
            "remove_phone_id_by_access_token",
            "client.phone().remove(access_token)",
            |c| c.phone().remove(TOKEN)
        ),
        case!(
            "PhoneAuthenticationApi",
            "user_registration_by_phone",
            "client.phone().register(sott, &Registration::with_phone(phone, password))",
            |c| c
                .phone()
                .register(
                    SOTT,
                    &Registration::with_phone(PHONE, "correct horse").first_name("Jane")
                )
                .fields("Uid")
                .options("PreventVerificationEmail")
                .sms_template("sms")
                .verification_url("https://example.com/verify")
                .welcome_email_template("welcome")
                .email_template("verify")
                .voice_otp(true)
        ),
    ]
}
