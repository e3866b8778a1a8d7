//! AccountApi.

use loginradius::models::{EmailAddress, NewAccount};
use serde_json::json;

use super::{Case, TOKEN, UID};
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "AccountApi",
            "get_privacy_policy_history_by_uid",
            "client.account().privacy_policy_history(uid)",
            |c| c.account().privacy_policy_history(UID)
        ),
        case!(
            "AccountApi",
            "create_account",
            "client.account().create(&NewAccount::with_email(email, password))",
            |c| c
                .account()
                .create(&NewAccount::with_email("jane@example.com", "S3cret!pass"))
                .fields("Uid")
        ),
        case!(
            "AccountApi",
            "get_account_profile_by_email",
            "client.account().by_email(email)",
            |c| c.account().by_email("jane@example.com").fields("Uid")
        ),
        case!(
            "AccountApi",
            "get_account_profile_by_user_name",
            "client.account().by_username(username)",
            |c| c.account().by_username("jane").fields("Uid")
        ),
        case!(
            "AccountApi",
            "get_account_profile_by_phone",
            "client.account().by_phone(phone)",
            |c| c.account().by_phone("+16045552368").fields("Uid")
        ),
        case!(
            "AccountApi",
            "get_account_profile_by_uid",
            "client.account().get(uid)",
            |c| c.account().get(UID).fields("Uid")
        ),
        case!(
            "AccountApi",
            "update_account_by_uid",
            "client.account().update(uid, &profile_fields)",
            |c| c
                .account()
                .update(UID, &json!({"FirstName": "Jane"}))
                .fields("Uid")
                .null_support(true)
        ),
        case!(
            "AccountApi",
            "update_phone_id_by_uid",
            "client.account().set_phone(uid, phone)",
            |c| c.account().set_phone(UID, "+16045552368").fields("Uid")
        ),
        case!(
            "AccountApi",
            "get_account_password_hash_by_uid",
            "client.account().password_hash(uid)",
            |c| c.account().password_hash(UID)
        ),
        case!(
            "AccountApi",
            "set_account_password_by_uid",
            "client.account().set_password(uid, password)",
            |c| c.account().set_password(UID, "N3w!pass")
        ),
        case!(
            "AccountApi",
            "delete_account_by_uid",
            "client.account().delete(uid)",
            |c| c.account().delete(UID)
        ),
        case!(
            "AccountApi",
            "invalidate_account_email_verification",
            "client.account().invalidate_email_verification(uid)",
            |c| c
                .account()
                .invalidate_email_verification(UID)
                .email_template("verify")
                .verification_url("https://example.com/verify")
        ),
        case!(
            "AccountApi",
            "get_forgot_password_token",
            "client.account().forgot_password_token(email)",
            |c| c
                .account()
                .forgot_password_token("jane@example.com")
                .email_template("reset")
                .reset_password_url("https://example.com/reset")
                .send_email(true)
        ),
        case!(
            "AccountApi",
            "get_email_verification_token",
            "client.account().email_verification_token(email)",
            |c| c.account().email_verification_token("jane@example.com")
        ),
        case!(
            "AccountApi",
            "get_access_token_by_uid",
            "client.account().access_token(uid)",
            |c| c.account().access_token(UID)
        ),
        case!(
            "AccountApi",
            "reset_phone_id_verification_by_uid",
            "client.account().invalidate_phone_verification(uid)",
            |c| c
                .account()
                .invalidate_phone_verification(UID)
                .sms_template("otp")
                .voice_otp(false)
        ),
        case!(
            "AccountApi",
            "upsert_email",
            "client.account().upsert_email(uid, [EmailAddress { kind, value }])",
            |c| c
                .account()
                .upsert_email(
                    UID,
                    [EmailAddress {
                        kind: "Secondary".into(),
                        value: "jane@work.example".into(),
                    }]
                )
                .fields("Uid")
        ),
        case!(
            "AccountApi",
            "remove_email",
            "client.account().remove_email(uid, email)",
            |c| c
                .account()
                .remove_email(UID, "jane@work.example")
                .fields("Uid")
        ),
        case!(
            "AccountApi",
            "refresh_access_token_by_refresh_token",
            "client.account().refresh_access_token(refresh_token)",
            |c| c.account().refresh_access_token(TOKEN)
        ),
        case!(
            "AccountApi",
            "revoke_refresh_token",
            "client.account().revoke_refresh_token(refresh_token)",
            |c| c.account().revoke_refresh_token(TOKEN)
        ),
        case!(
            "AccountApi",
            "revoke_all_refresh_token",
            "client.account().revoke_all_refresh_tokens(uid)",
            |c| c.account().revoke_all_refresh_tokens(UID)
        ),
        case!(
            "AccountApi",
            "multipurpose_email_token_generation",
            "client.account().generate_email_token(token_type, &request)",
            |c| c.account().generate_email_token(
                "emailverification",
                &json!({"Email": "jane@example.com", "Uid": UID})
            )
        ),
        case!(
            "AccountApi",
            "get_account_identities_by_email",
            "client.account().identities_by_email(email)",
            |c| c
                .account()
                .identities_by_email("jane@example.com")
                .fields("Uid")
        ),
        case!(
            "AccountApi",
            "account_delete_by_email",
            "client.account().delete_by_email(email)",
            |c| c.account().delete_by_email("jane@example.com")
        ),
        case!(
            "AccountApi",
            "multipurpose_sms_otp_generation",
            "client.account().generate_sms_otp(otp_type, &request)",
            |c| c.account().generate_sms_otp(
                "phoneverification",
                &json!({"Phone": "+16045552368", "Uid": UID})
            )
        ),
        case!(
            "AccountApi",
            "account_update_uid",
            "client.account().change_uid(uid, new_uid)",
            |c| c
                .account()
                .change_uid(UID, "0123456789abcdef0123456789abcdef")
        ),
    ]
}
