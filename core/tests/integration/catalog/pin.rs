//! PINAuthenticationApi.

use super::{Case, TOKEN};
use crate::case;

const PHONE: &str = "+16045552368";
const EMAIL: &str = "jane@example.com";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "PINAuthenticationApi",
            "pin_login",
            "client.pin().login(session_token, pin)",
            |c| c
                .pin()
                .login("6e2b5c1a-0c2f-4b7a-9d3e-c1e2d5a3b4f4", "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "send_forgot_pin_email_by_email",
            "client.pin().send_reset_email(email)",
            |c| c
                .pin()
                .send_reset_email(EMAIL)
                .email_template("reset-pin")
                .reset_pin_url("https://example.com/reset-pin")
        ),
        case!(
            "PINAuthenticationApi",
            "send_forgot_pin_email_by_username",
            "client.pin().send_reset_email_by_username(username)",
            |c| c
                .pin()
                .send_reset_email_by_username("jane")
                .email_template("reset-pin")
                .reset_pin_url("https://example.com/reset-pin")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_reset_token",
            "client.pin().reset_with_token(reset_token, pin)",
            |c| c.pin().reset_with_token("reset-token-1", "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_email_and_security_answer",
            "client.pin().reset_by_email_and_security_answers(email, [(question_id, answer)], pin)",
            |c| c
                .pin()
                .reset_by_email_and_security_answers(EMAIL, [("q1", "Paris")], "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_username_and_security_answer",
            "client.pin().reset_by_username_and_security_answers(username, [(question_id, answer)], pin)",
            |c| c
                .pin()
                .reset_by_username_and_security_answers("jane", [("q1", "Paris")], "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_phone_and_security_answer",
            "client.pin().reset_by_phone_and_security_answers(phone, [(question_id, answer)], pin)",
            |c| c
                .pin()
                .reset_by_phone_and_security_answers(PHONE, [("q1", "Paris")], "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "send_forgot_pin_sms_by_phone",
            "client.pin().send_reset_otp(phone)",
            |c| c
                .pin()
                .send_reset_otp(PHONE)
                .sms_template("sms")
                .voice_otp(true)
        ),
        case!(
            "PINAuthenticationApi",
            "change_pin_by_access_token",
            "client.pin().change(access_token, old_pin, new_pin)",
            |c| c.pin().change(TOKEN, "4321", "8765")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_phone_and_otp",
            "client.pin().reset_by_phone_and_otp(phone, otp, pin)",
            |c| c.pin().reset_by_phone_and_otp(PHONE, "123456", "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_email_and_otp",
            "client.pin().reset_by_email_and_otp(email, otp, pin)",
            |c| c.pin().reset_by_email_and_otp(EMAIL, "123456", "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "reset_pin_by_username_and_otp",
            "client.pin().reset_by_username_and_otp(username, otp, pin)",
            |c| c.pin().reset_by_username_and_otp("jane", "123456", "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "set_pin_by_pin_auth_token",
            "client.pin().set_with_auth_token(pin_auth_token, pin)",
            |c| c.pin().set_with_auth_token("pin-auth-token-1", "4321")
        ),
        case!(
            "PINAuthenticationApi",
            "in_validate_pin_session_token",
            "client.pin().invalidate_session_token(session_token)",
            |c| c
                .pin()
                .invalidate_session_token("6e2b5c1a-0c2f-4b7a-9d3e-c1e2d5a3b4f4")
        ),
    ]
}
