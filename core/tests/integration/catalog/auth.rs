//! AuthenticationApi.

use loginradius::models::{ProfileUpdate, Registration};
use serde_json::json;

use super::{Case, SOTT, TOKEN};
use crate::case;

const G: &str = "client-guid-1";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "AuthenticationApi",
            "get_security_questions_by_email",
            "client.auth().security_questions_by_email(email)",
            |c| c.auth().security_questions_by_email("jane@example.com")
        ),
        case!(
            "AuthenticationApi",
            "get_security_questions_by_user_name",
            "client.auth().security_questions_by_username(username)",
            |c| c.auth().security_questions_by_username("jane")
        ),
        case!(
            "AuthenticationApi",
            "get_security_questions_by_phone",
            "client.auth().security_questions_by_phone(phone)",
            |c| c.auth().security_questions_by_phone("+16045552368")
        ),
        case!(
            "AuthenticationApi",
            "get_security_questions_by_access_token",
            "client.auth().security_questions(access_token)",
            |c| c.auth().security_questions(TOKEN)
        ),
        case!(
            "AuthenticationApi",
            "auth_validate_access_token",
            "client.auth().validate_token(access_token)",
            |c| c.auth().validate_token(TOKEN)
        ),
        case!(
            "AuthenticationApi",
            "auth_in_validate_access_token",
            "client.auth().invalidate_token(access_token)",
            |c| c.auth().invalidate_token(TOKEN).prevent_refresh(true)
        ),
        case!(
            "AuthenticationApi",
            "get_access_token_info",
            "client.auth().token_info(access_token)",
            |c| c.auth().token_info(TOKEN)
        ),
        case!(
            "AuthenticationApi",
            "get_profile_by_access_token",
            "client.auth().profile(access_token)",
            |c| c
                .auth()
                .profile(TOKEN)
                .email_template("verify")
                .fields("Uid,Email")
                .verification_url("https://app.example.com/verify")
                .welcome_email_template("welcome")
        ),
        case!(
            "AuthenticationApi",
            "send_welcome_email",
            "client.auth().send_welcome_email(access_token)",
            |c| c
                .auth()
                .send_welcome_email(TOKEN)
                .welcome_email_template("welcome")
        ),
        case!(
            "AuthenticationApi",
            "update_profile_by_access_token",
            "client.auth().update_profile(access_token, &ProfileUpdate)",
            |c| c
                .auth()
                .update_profile(TOKEN, &ProfileUpdate::new().first_name("Jane"))
                .email_template("verify")
                .fields("Uid")
                .null_support(true)
                .sms_template("sms")
                .verification_url("https://app.example.com/verify")
                .voice_otp(false)
                .options("PreventVerificationEmail")
        ),
        case!(
            "AuthenticationApi",
            "delete_account_with_email_confirmation",
            "client.auth().request_account_deletion(access_token)",
            |c| c
                .auth()
                .request_account_deletion(TOKEN)
                .delete_url("https://app.example.com/delete")
                .email_template("delete")
        ),
        case!(
            "AuthenticationApi",
            "delete_account_by_delete_token",
            "client.auth().delete_account(delete_token)",
            |c| c.auth().delete_account("delete-token-1")
        ),
        case!(
            "AuthenticationApi",
            "unlock_account_by_token",
            "client.auth().unlock_account(access_token, &challenge)",
            |c| c
                .auth()
                .unlock_account(TOKEN, &json!({"g-recaptcha-response": "captcha"}))
        ),
        case!(
            "AuthenticationApi",
            "get_profile_by_ping",
            "client.auth().profile_by_ping(client_guid)",
            |c| c
                .auth()
                .profile_by_ping(G)
                .email_template("verify")
                .fields("Uid")
                .verification_url("https://app.example.com/verify")
                .welcome_email_template("welcome")
        ),
        case!(
            "AuthenticationApi",
            "check_email_availability",
            "client.auth().email_exists(email)",
            |c| c.auth().email_exists("jane@example.com")
        ),
        case!(
            "AuthenticationApi",
            "verify_email",
            "client.auth().verify_email(verification_token)",
            |c| c
                .auth()
                .verify_email("vtoken-1")
                .fields("Uid")
                .url("https://app.example.com")
                .welcome_email_template("welcome")
                .uuid("uuid-1")
        ),
        case!(
            "AuthenticationApi",
            "verify_email_by_otp",
            "client.auth().verify_email_by_otp(email, otp)",
            |c| c
                .auth()
                .verify_email_by_otp("jane@example.com", "123456")
                .fields("Uid")
                .url("https://app.example.com")
                .welcome_email_template("welcome")
        ),
        case!(
            "AuthenticationApi",
            "add_email",
            "client.auth().add_email(access_token, email, kind)",
            |c| c
                .auth()
                .add_email(TOKEN, "jane@work.example.com", "Secondary")
                .email_template("verify")
                .verification_url("https://app.example.com/verify")
        ),
        case!(
            "AuthenticationApi",
            "remove_email",
            "client.auth().remove_email(access_token, email)",
            |c| c.auth().remove_email(TOKEN, "jane@work.example.com")
        ),
        case!(
            "AuthenticationApi",
            "login_by_email",
            "client.auth().login_by_email(email, password)",
            |c| c
                .auth()
                .login_by_email("jane@example.com", "correct horse")
                .email_template("verify")
                .fields("Uid")
                .login_url("https://app.example.com/login")
                .verification_url("https://app.example.com/verify")
        ),
        case!(
            "AuthenticationApi",
            "login_by_user_name",
            "client.auth().login_by_username(username, password)",
            |c| c
                .auth()
                .login_by_username("jane", "correct horse")
                .email_template("verify")
                .fields("Uid")
                .login_url("https://app.example.com/login")
                .verification_url("https://app.example.com/verify")
        ),
        case!(
            "AuthenticationApi",
            "forgot_password",
            "client.auth().forgot_password(email, reset_password_url)",
            |c| c
                .auth()
                .forgot_password("jane@example.com", "https://app.example.com/reset")
                .email_template("reset")
        ),
        case!(
            "AuthenticationApi",
            "reset_password_by_security_answer_and_email",
            "client.auth().reset_password_by_email_answer(email, answers, new_password)",
            |c| c.auth().reset_password_by_email_answer(
                "jane@example.com",
                [("q1", "Rex")],
                "new pass"
            )
        ),
        case!(
            "AuthenticationApi",
            "reset_password_by_security_answer_and_phone",
            "client.auth().reset_password_by_phone_answer(phone, answers, new_password)",
            |c| c.auth().reset_password_by_phone_answer(
                "+16045552368",
                [("q1", "Rex")],
                "new pass"
            )
        ),
        case!(
            "AuthenticationApi",
            "reset_password_by_security_answer_and_user_name",
            "client.auth().reset_password_by_username_answer(username, answers, new_password)",
            |c| c
                .auth()
                .reset_password_by_username_answer("jane", [("q1", "Rex")], "new pass")
        ),
        case!(
            "AuthenticationApi",
            "reset_password_by_reset_token",
            "client.auth().reset_password(reset_token, new_password)",
            |c| c.auth().reset_password("reset-token-1", "new pass")
        ),
        case!(
            "AuthenticationApi",
            "reset_password_by_email_otp",
            "client.auth().reset_password_by_email_otp(email, otp, new_password)",
            |c| c
                .auth()
                .reset_password_by_email_otp("jane@example.com", "123456", "new pass")
        ),
        case!(
            "AuthenticationApi",
            "reset_password_by_otp_and_user_name",
            "client.auth().reset_password_by_username_otp(username, otp, new_password)",
            |c| c
                .auth()
                .reset_password_by_username_otp("jane", "123456", "new pass")
        ),
        case!(
            "AuthenticationApi",
            "change_password",
            "client.auth().change_password(access_token, old_password, new_password)",
            |c| c.auth().change_password(TOKEN, "old pass", "new pass")
        ),
        case!(
            "AuthenticationApi",
            "unlink_social_identities",
            "client.auth().unlink_social_identity(access_token, provider, provider_id)",
            |c| c.auth().unlink_social_identity(TOKEN, "facebook", "fb-123")
        ),
        case!(
            "AuthenticationApi",
            "link_social_identities",
            "client.auth().link_social_identity(access_token, candidate_token)",
            |c| c.auth().link_social_identity(TOKEN, "candidate-1")
        ),
        case!(
            "AuthenticationApi",
            "link_social_identities_by_ping",
            "client.auth().link_social_identity_by_ping(access_token, client_guid)",
            |c| c.auth().link_social_identity_by_ping(TOKEN, G)
        ),
        case!(
            "AuthenticationApi",
            "set_or_change_user_name",
            "client.auth().set_username(access_token, username)",
            |c| c.auth().set_username(TOKEN, "jane")
        ),
        case!(
            "AuthenticationApi",
            "check_user_name_availability",
            "client.auth().username_exists(username)",
            |c| c.auth().username_exists("jane")
        ),
        case!(
            "AuthenticationApi",
            "accept_privacy_policy",
            "client.auth().accept_privacy_policy(access_token)",
            |c| c.auth().accept_privacy_policy(TOKEN).fields("Uid")
        ),
        case!(
            "AuthenticationApi",
            "get_privacy_policy_history_by_access_token",
            "client.auth().privacy_policy_history(access_token)",
            |c| c.auth().privacy_policy_history(TOKEN)
        ),
        case!(
            "AuthenticationApi",
            "user_registration_by_email",
            "client.auth().register(&Registration, sott)",
            |c| c
                .auth()
                .register(
                    &Registration::new("jane@example.com", "correct horse"),
                    SOTT
                )
                .email_template("verify")
                .fields("Uid")
                .options("PreventVerificationEmail")
                .verification_url("https://app.example.com/verify")
                .welcome_email_template("welcome")
                .voice_otp(false)
        ),
        case!(
            "AuthenticationApi",
            "user_registration_by_captcha",
            "client.auth().register_with_captcha(&Registration, captcha_response)",
            |c| c
                .auth()
                .register_with_captcha(
                    &Registration::new("jane@example.com", "correct horse"),
                    "captcha"
                )
                .email_template("verify")
                .fields("Uid")
                .options("PreventVerificationEmail")
                .sms_template("sms")
                .verification_url("https://app.example.com/verify")
                .welcome_email_template("welcome")
                .voice_otp(false)
        ),
        case!(
            "AuthenticationApi",
            "auth_resend_email_verification",
            "client.auth().resend_verification_email(email)",
            |c| c
                .auth()
                .resend_verification_email("jane@example.com")
                .email_template("verify")
                .verification_url("https://app.example.com/verify")
        ),
        case!(
            "AuthenticationApi",
            "auth_send_verification_email_for_linking_social_profiles",
            "client.auth().send_social_verification_email(access_token, client_guid)",
            |c| c.auth().send_social_verification_email(TOKEN, G)
        ),
    ]
}
