//! PasswordLessLoginApi.

use super::Case;
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_phone_verification",
            "client.passwordless().verify_phone_otp(phone, otp)",
            |c| c
                .passwordless()
                .verify_phone_otp("+16045552368", "123456")
                .fields("Uid")
                .sms_template("sms")
                .voice_otp(false)
        ),
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_by_phone",
            "client.passwordless().send_phone_otp(phone)",
            |c| c
                .passwordless()
                .send_phone_otp("+16045552368")
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_by_email",
            "client.passwordless().send_link_by_email(email)",
            |c| c
                .passwordless()
                .send_link_by_email("jane@example.com")
                .passwordless_login_template("link")
                .verification_url("https://app.example.com/passwordless")
        ),
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_by_user_name",
            "client.passwordless().send_link_by_username(username)",
            |c| c
                .passwordless()
                .send_link_by_username("jane")
                .passwordless_login_template("link")
                .verification_url("https://app.example.com/passwordless")
        ),
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_verification",
            "client.passwordless().verify_link(verification_token)",
            |c| c
                .passwordless()
                .verify_link("vtoken-1")
                .fields("Uid")
                .welcome_email_template("welcome")
        ),
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_verification_by_email_and_otp",
            "client.passwordless().verify_email_otp(email, otp)",
            |c| c
                .passwordless()
                .verify_email_otp("jane@example.com", "123456")
                .fields("Uid")
        ),
        case!(
            "PasswordLessLoginApi",
            "passwordless_login_verification_by_user_name_and_otp",
            "client.passwordless().verify_username_otp(username, otp)",
            |c| c
                .passwordless()
                .verify_username_otp("jane", "123456")
                .fields("Uid")
        ),
    ]
}
