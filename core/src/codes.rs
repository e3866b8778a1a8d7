//! LoginRadius error codes that callers commonly branch on, and the ones the emulator answers
//! with: one table for the client and `loginradius-emulator`.
//!
//! The numbers and their meanings come from the documented code table (`spec/error-codes.json`
//! in the repository); a test checks every constant here against that table. Use them with
//! [`Error::code`](crate::Error::code) or the `is_*` helpers on [`Error`](crate::Error).

/// 901: the API key is unauthorized.
pub const API_KEY_UNAUTHORIZED: i64 = 901;
/// 902: the API secret is unauthorized.
pub const API_SECRET_UNAUTHORIZED: i64 = 902;
/// 905: access token is invalid.
pub const ACCESS_TOKEN_INVALID: i64 = 905;
/// 906: access token has expired.
pub const ACCESS_TOKEN_EXPIRED: i64 = 906;
/// 908: a parameter is not formatted correctly.
pub const INVALID_PARAMETER_FORMAT: i64 = 908;
/// 909: the site does not have permission to access this endpoint.
pub const ENDPOINT_NOT_PERMITTED: i64 = 909;
/// 922: API key is missing.
pub const API_KEY_MISSING: i64 = 922;
/// 923: API secret is missing.
pub const API_SECRET_MISSING: i64 = 923;
/// 936: email address is already registered.
pub const EMAIL_ALREADY_REGISTERED: i64 = 936;
/// 938: user does not exist.
pub const USER_NOT_FOUND: i64 = 938;
/// 950: the operation failed with an unknown error.
pub const UNKNOWN_ERROR: i64 = 950;
/// 965: the post body is invalid.
pub const INVALID_POST_BODY: i64 = 965;
/// 966: invalid user id and/or password.
pub const INVALID_LOGIN: i64 = 966;
/// 967: current password is invalid.
pub const CURRENT_PASSWORD_INVALID: i64 = 967;
/// 970: email is not verified.
pub const EMAIL_NOT_VERIFIED: i64 = 970;
/// 971: invalid request.
pub const INVALID_REQUEST: i64 = 971;
/// 974: the email verification link has already been used.
pub const VERIFICATION_LINK_USED: i64 = 974;
/// 975: the verification link has expired.
pub const VERIFICATION_LINK_EXPIRED: i64 = 975;
/// 991: the account is blocked.
pub const ACCOUNT_BLOCKED: i64 = 991;
/// 1017: the username is already registered.
pub const USERNAME_ALREADY_REGISTERED: i64 = 1017;
/// 1023: email address does not exist.
pub const EMAIL_NOT_FOUND: i64 = 1023;
/// 1025: the email address is already verified.
pub const EMAIL_ALREADY_VERIFIED: i64 = 1025;
/// 1035: custom object JSON is invalid.
pub const CUSTOM_OBJECT_JSON_INVALID: i64 = 1035;
/// 1036: custom object ID is required.
pub const CUSTOM_OBJECT_ID_REQUIRED: i64 = 1036;
/// 1038: a valid email address is required.
pub const VALID_EMAIL_REQUIRED: i64 = 1038;
/// 1047: role does not exist.
pub const ROLE_NOT_FOUND: i64 = 1047;
/// 1048: a SOTT is required.
pub const SOTT_REQUIRED: i64 = 1048;
/// 1049: the SOTT is invalid.
pub const SOTT_INVALID: i64 = 1049;
/// 1057: custom object not found.
pub const CUSTOM_OBJECT_NOT_FOUND: i64 = 1057;
/// 1060: access token is missing.
pub const ACCESS_TOKEN_MISSING: i64 = 1060;
/// 1063: verification token is invalid.
pub const VERIFICATION_TOKEN_INVALID: i64 = 1063;
/// 1064: custom object name is invalid.
pub const CUSTOM_OBJECT_NAME_INVALID: i64 = 1064;
/// 1075: username is required.
pub const USERNAME_REQUIRED: i64 = 1075;
/// 1090: invalid request body or payload.
pub const INVALID_PAYLOAD: i64 = 1090;
/// 1097: two-factor authentication is not enabled.
pub const MFA_NOT_ENABLED: i64 = 1097;
/// 1101: two-factor authentication is not configured for this profile.
pub const MFA_NOT_CONFIGURED: i64 = 1101;
/// 1102: the two-factor authenticator code is incorrect.
pub const MFA_CODE_INCORRECT: i64 = 1102;
/// 1103: the two-factor authentication token is invalid.
pub const MFA_TOKEN_INVALID: i64 = 1103;
/// 1104: the two-factor authentication token has expired.
pub const MFA_TOKEN_EXPIRED: i64 = 1104;
/// 1119: the account deletion token is invalid.
pub const DELETE_TOKEN_INVALID: i64 = 1119;
/// 1121: not a valid request for removing two-factor authentication.
pub const MFA_REMOVAL_INVALID: i64 = 1121;
/// 1128: the backup code is not valid or has been used.
pub const MFA_BACKUP_CODE_INVALID: i64 = 1128;
/// 1132: the account has been locked.
pub const ACCOUNT_LOCKED: i64 = 1132;
/// 1134: validation failed for one or more fields.
pub const VALIDATION_FAILED: i64 = 1134;
/// 1141: email address or username is required.
pub const EMAIL_OR_USERNAME_REQUIRED: i64 = 1141;
/// 1175: the role name is not valid or already exists.
pub const ROLE_NAME_INVALID: i64 = 1175;
/// 1176: two-factor authentication is enabled (use the MFA login).
pub const MFA_ENABLED: i64 = 1176;
/// 1200: the uid is not valid.
pub const UID_INVALID: i64 = 1200;
/// 1205: invalid password.
pub const INVALID_PASSWORD: i64 = 1205;
/// 1207: the request signature is missing.
pub const SIGNATURE_MISSING: i64 = 1207;
/// 1208: the request signature is invalid.
pub const SIGNATURE_INVALID: i64 = 1208;
/// 1210: the request expiry time is missing.
pub const REQUEST_EXPIRY_MISSING: i64 = 1210;
/// 1211: the request expiry time has an invalid format.
pub const REQUEST_EXPIRY_FORMAT_INVALID: i64 = 1211;
/// 1212: the request expiry time is invalid.
pub const REQUEST_EXPIRY_INVALID: i64 = 1212;
/// 1217: refresh token invalid.
pub const REFRESH_TOKEN_INVALID: i64 = 1217;
/// 1249: a verification (or other link) URL is not one the site allows.
pub const VERIFICATION_URL_INVALID: i64 = 1249;
/// 2024: the access token is expired or invalid.
pub const ACCESS_TOKEN_EXPIRED_OR_INVALID: i64 = 2024;

/// Codes meaning the access token is not a valid one.
pub const INVALID_TOKEN: &[i64] = &[
    ACCESS_TOKEN_INVALID,
    ACCESS_TOKEN_MISSING,
    ACCESS_TOKEN_EXPIRED_OR_INVALID,
];

/// Codes meaning a second factor is required.
pub const MFA_REQUIRED: &[i64] = &[MFA_ENABLED];

/// Codes meaning the login credentials were wrong.
pub const INVALID_CREDENTIALS: &[i64] = &[INVALID_LOGIN, INVALID_PASSWORD];

/// 1148: the account has been locked; signing in needs the answer to the security question.
pub const ACCOUNT_LOCKED_SECURITY_QUESTION: i64 = 1148;
/// 1198: the account has been locked for a while (suspend lockout); the error's `Data` carries
/// `LoginLockedTimeout`.
pub const ACCOUNT_LOCKED_SUSPENDED: i64 = 1198;
/// Codes meaning the account is locked or blocked.
pub const ACCOUNT_LOCKED_CODES: &[i64] = &[
    ACCOUNT_BLOCKED,
    ACCOUNT_LOCKED,
    ACCOUNT_LOCKED_SECURITY_QUESTION,
    1164,
    ACCOUNT_LOCKED_SUSPENDED,
    1264,
];

/// 1015: the new password is invalid (a password reset or change with a bad reset token).
pub const NEW_PASSWORD_INVALID: i64 = 1015;
/// 1016: the password cannot be changed, the profile id is invalid.
pub const PROFILE_ID_INVALID: i64 = 1016;
/// 1019: the first data point is invalid.
pub const FIRST_DATA_POINT_INVALID: i64 = 1019;
/// 1046: the email has already been registered with the LoginRadius site.
pub const EMAIL_ALREADY_REGISTERED_ON_SITE: i64 = 1046;

/// 1085: more webhook subscriptions than allowed (five per event).
pub const WEBHOOK_LIMIT_EXCEEDED: i64 = 1085;
/// 1086: the webhook event is invalid.
pub const WEBHOOK_EVENT_INVALID: i64 = 1086;
/// 1087: the webhook target URL is invalid.
pub const WEBHOOK_URL_INVALID: i64 = 1087;
/// 1110: the webhook target URL is already subscribed.
pub const WEBHOOK_ALREADY_SUBSCRIBED: i64 = 1110;
/// 1112: the webhook target URL is not subscribed.
pub const WEBHOOK_NOT_SUBSCRIBED: i64 = 1112;

/// 1058: the phone number is already registered with the site.
pub const PHONE_ALREADY_REGISTERED: i64 = 1058;
/// 1066: the phone number is not verified.
pub const PHONE_NOT_VERIFIED: i64 = 1066;
/// 1067: the one-time code is invalid.
pub const OTP_INVALID: i64 = 1067;
/// 1069: the verification one-time code has expired.
pub const OTP_EXPIRED: i64 = 1069;
/// 1073: the phone number has already been confirmed.
pub const PHONE_ALREADY_VERIFIED: i64 = 1073;
/// 1076: a phone number is required.
pub const PHONE_REQUIRED: i64 = 1076;
/// 1091: the security question is invalid.
pub const SECURITY_QUESTION_INVALID: i64 = 1091;
/// 1092: no security question and answer is saved in the profile.
pub const SECURITY_ANSWERS_NOT_SAVED: i64 = 1092;
/// 1094: the security answer or question is incorrect.
pub const SECURITY_ANSWER_INCORRECT: i64 = 1094;
/// 1096: the phone number is invalid.
pub const PHONE_INVALID: i64 = 1096;
/// 1100: OTP (SMS) two-factor authentication is not enabled.
pub const SMS_OTP_MFA_NOT_ENABLED: i64 = 1100;
/// 1117: the phone number is not registered.
pub const PHONE_NOT_REGISTERED: i64 = 1117;
/// 1147: the profile cannot be made to verify its phone number again (it has none).
pub const PHONE_INVALIDATION_REFUSED: i64 = 1147;
/// 1161: the phone number is already unverified.
pub const PHONE_ALREADY_UNVERIFIED: i64 = 1161;
/// 1181: the token type is invalid.
pub const TOKEN_TYPE_INVALID: i64 = 1181;
/// 1187: the email one-time code has expired.
pub const EMAIL_OTP_EXPIRED: i64 = 1187;
/// 1188: the email one-time code is invalid.
pub const EMAIL_OTP_INVALID: i64 = 1188;
/// 1256: email OTP two-factor authentication is not enabled.
pub const EMAIL_OTP_MFA_NOT_ENABLED: i64 = 1256;
/// 1257: security questions are not enabled as a second factor.
pub const SECURITY_QUESTION_MFA_NOT_ENABLED: i64 = 1257;
/// 1258: one of the second-factor methods is already enabled.
pub const MFA_METHOD_ALREADY_ENABLED: i64 = 1258;
/// 1250: the request to update the phone number of the SMS second factor is invalid.
pub const MFA_PHONE_UPDATE_INVALID: i64 = 1250;
/// 1292: no phone number is linked to the account.
pub const PHONE_NOT_LINKED: i64 = 1292;

/// 1234: a PIN is required.
pub const PIN_REQUIRED: i64 = 1234;
/// 1235: no PIN is set for the account.
pub const PIN_NOT_AVAILABLE: i64 = 1235;
/// 1236: the PIN is invalid.
pub const PIN_INVALID: i64 = 1236;
/// 1239: the PIN-auth token is invalid.
pub const PIN_AUTH_TOKEN_INVALID: i64 = 1239;
/// 1240: the PIN-auth token has expired.
pub const PIN_AUTH_TOKEN_EXPIRED: i64 = 1240;
/// 1241: the current PIN is invalid.
pub const CURRENT_PIN_INVALID: i64 = 1241;
/// 1245: the PIN session token is invalid.
pub const PIN_SESSION_TOKEN_INVALID: i64 = 1245;
/// 1246: the PIN session token has expired.
pub const PIN_SESSION_TOKEN_EXPIRED: i64 = 1246;

/// 1224: no consent form is available.
pub const CONSENT_FORM_NOT_AVAILABLE: i64 = 1224;
/// 1225: the consent form validation failed.
pub const CONSENT_FORM_VALIDATION_FAILED: i64 = 1225;
/// 1226: the consent form is not submitted. A sign-in answers it, with a consent token, when
/// the user has to accept the site's consent form first (see
/// [`Error::consent_token`](crate::Error::consent_token)).
pub const CONSENT_FORM_NOT_SUBMITTED: i64 = 1226;
/// 1229: the consent token is invalid.
pub const CONSENT_TOKEN_INVALID: i64 = 1229;
/// 1230: the consent token has expired.
pub const CONSENT_TOKEN_EXPIRED: i64 = 1230;
/// 1222: the current privacy policy is already accepted.
pub const PRIVACY_POLICY_ALREADY_ACCEPTED: i64 = 1222;

/// 1136: the client GUID has already been used.
pub const CLIENT_GUID_NOT_UNIQUE: i64 = 1136;
/// 1138: the smart login link has already been verified.
pub const SMART_LINK_ALREADY_VERIFIED: i64 = 1138;
/// 1139: the smart (or one-touch) login link has not been clicked yet.
pub const SMART_LINK_NOT_VERIFIED: i64 = 1139;
/// 1140: the client GUID is invalid or expired.
pub const CLIENT_GUID_INVALID: i64 = 1140;
/// 1145: the one-touch login link has already been used.
pub const ONE_TOUCH_LINK_USED: i64 = 1145;

/// 929: the social provider's access token is missing.
pub const PROVIDER_TOKEN_MISSING: i64 = 929;
/// 930: the social provider's token secret is missing.
pub const PROVIDER_TOKEN_SECRET_MISSING: i64 = 930;
/// 986: the social account is already linked.
pub const ACCOUNT_ALREADY_LINKED: i64 = 986;
/// 1000: an error occurred at the social identity provider.
pub const PROVIDER_ERROR: i64 = 1000;
/// 1033: the social provider's email address is already used by another account.
pub const SOCIAL_EMAIL_IN_USE: i64 = 1033;
/// 1065: the provider name or provider id is invalid.
pub const PROVIDER_ID_INVALID: i64 = 1065;
/// 1078: the provider is invalid.
pub const PROVIDER_INVALID: i64 = 1078;

/// 982: the CAPTCHA answer is invalid.
pub const CAPTCHA_INVALID: i64 = 982;

#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn table() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/error-codes.json");
        let text = std::fs::read_to_string(path).expect("spec/error-codes.json in the repository");
        serde_json::from_str(&text).expect("valid JSON")
    }

    fn message(table: &Value, code: i64) -> String {
        table["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .find(|c| c["code"].as_i64() == Some(code))
            .and_then(|c| c["message"].as_str())
            .unwrap_or_else(|| panic!("code {code} is not in error-codes.json"))
            .to_lowercase()
    }

    #[test]
    fn every_constant_is_a_documented_code_with_the_meaning_we_give_it() {
        let t = table();
        let expectations: &[(i64, &str)] = &[
            (super::API_KEY_UNAUTHORIZED, "api key"),
            (super::API_SECRET_UNAUTHORIZED, "api secret"),
            (super::ACCESS_TOKEN_INVALID, "access token is invalid"),
            (super::ACCESS_TOKEN_EXPIRED, "access token has expired"),
            (super::API_KEY_MISSING, "api key is missing"),
            (super::EMAIL_ALREADY_REGISTERED, "already registered"),
            (super::USER_NOT_FOUND, "user does not exist"),
            (super::INVALID_LOGIN, "password"),
            (super::CURRENT_PASSWORD_INVALID, "current password"),
            (super::EMAIL_NOT_VERIFIED, "not verified"),
            (super::VERIFICATION_LINK_USED, "already been used"),
            (super::VERIFICATION_LINK_EXPIRED, "expired"),
            (super::ACCOUNT_BLOCKED, "blocked"),
            (super::EMAIL_NOT_FOUND, "does not exist"),
            (super::ROLE_NOT_FOUND, "role does not exist"),
            (super::SOTT_REQUIRED, "sott"),
            (super::SOTT_INVALID, "sott"),
            (super::CUSTOM_OBJECT_NOT_FOUND, "custom object"),
            (super::ACCESS_TOKEN_MISSING, "access token is missing"),
            (super::VERIFICATION_TOKEN_INVALID, "verification token"),
            (super::MFA_CODE_INCORRECT, "incorrect"),
            (super::MFA_TOKEN_INVALID, "token is invalid"),
            (super::MFA_TOKEN_EXPIRED, "expired"),
            (super::MFA_BACKUP_CODE_INVALID, "backup"),
            (super::ACCOUNT_LOCKED, "locked"),
            (super::VALIDATION_FAILED, "validation failed"),
            (super::MFA_ENABLED, "two factor authentication is enabled"),
            (super::INVALID_PASSWORD, "invalid password"),
            (super::REFRESH_TOKEN_INVALID, "refresh token"),
            (super::ACCESS_TOKEN_EXPIRED_OR_INVALID, "expired or invalid"),
            (
                super::INVALID_PARAMETER_FORMAT,
                "a parameter is not formatted correctly",
            ),
            (super::ENDPOINT_NOT_PERMITTED, "permission"),
            (super::API_SECRET_MISSING, "api secret is missing"),
            (super::UNKNOWN_ERROR, "unknown error"),
            (super::INVALID_POST_BODY, "post body is invalid"),
            (super::INVALID_REQUEST, "invalid request"),
            (super::NEW_PASSWORD_INVALID, "new password is invalid"),
            (super::PROFILE_ID_INVALID, "profile id is invalid"),
            (
                super::USERNAME_ALREADY_REGISTERED,
                "username is already registered",
            ),
            (super::EMAIL_ALREADY_VERIFIED, "already verified"),
            (
                super::CUSTOM_OBJECT_JSON_INVALID,
                "custom object json is invalid",
            ),
            (
                super::CUSTOM_OBJECT_ID_REQUIRED,
                "custom object id is required",
            ),
            (super::VALID_EMAIL_REQUIRED, "valid email"),
            (
                super::CUSTOM_OBJECT_NAME_INVALID,
                "custom object name is invalid",
            ),
            (super::USERNAME_REQUIRED, "username is required"),
            (super::INVALID_PAYLOAD, "invalid request body"),
            (
                super::MFA_NOT_ENABLED,
                "two factor authentication is not enabled",
            ),
            (super::MFA_NOT_CONFIGURED, "not configured for this profile"),
            (super::DELETE_TOKEN_INVALID, "deletetoken is invalid"),
            (super::MFA_REMOVAL_INVALID, "removing two factor"),
            (
                super::EMAIL_OR_USERNAME_REQUIRED,
                "email address or username is required",
            ),
            (super::ROLE_NAME_INVALID, "role name is not valid"),
            (super::UID_INVALID, "uid is not valid"),
            (super::SIGNATURE_MISSING, "api signature is missing"),
            (super::SIGNATURE_INVALID, "api signature is invalid"),
            (super::REQUEST_EXPIRY_MISSING, "expiry time is missing"),
            (super::REQUEST_EXPIRY_FORMAT_INVALID, "invalid format"),
            (super::REQUEST_EXPIRY_INVALID, "expiry time is invalid"),
            (
                super::VERIFICATION_URL_INVALID,
                "verificationurl url is invalid",
            ),
            (
                super::FIRST_DATA_POINT_INVALID,
                "first data point is invalid",
            ),
            (
                super::EMAIL_ALREADY_REGISTERED_ON_SITE,
                "already been registered",
            ),
            (
                super::WEBHOOK_LIMIT_EXCEEDED,
                "webhook subscriptions exceed",
            ),
            (super::WEBHOOK_EVENT_INVALID, "event parameter is invalid"),
            (super::WEBHOOK_URL_INVALID, "webhook target url is invalid"),
            (super::WEBHOOK_ALREADY_SUBSCRIBED, "already subscribed"),
            (super::WEBHOOK_NOT_SUBSCRIBED, "not subscribed"),
            (super::PHONE_ALREADY_REGISTERED, "already registered"),
            (super::PHONE_NOT_VERIFIED, "phone number is not verified"),
            (super::OTP_INVALID, "invalid otp"),
            (super::OTP_EXPIRED, "otp has expired"),
            (super::PHONE_ALREADY_VERIFIED, "already been confirmed"),
            (super::PHONE_REQUIRED, "phone number is required"),
            (
                super::SECURITY_QUESTION_INVALID,
                "security question is invalid",
            ),
            (super::SECURITY_ANSWERS_NOT_SAVED, "not saved in profile"),
            (
                super::SECURITY_ANSWER_INCORRECT,
                "answer or question is incorrect",
            ),
            (
                super::SECURITY_QUESTION_MFA_NOT_ENABLED,
                "security question two factor",
            ),
            (super::MFA_METHOD_ALREADY_ENABLED, "already enabled"),
            (super::PIN_REQUIRED, "pin is required"),
            (super::PIN_NOT_AVAILABLE, "pin is not available"),
            (super::PIN_INVALID, "invalid pin"),
            (super::PIN_AUTH_TOKEN_INVALID, "pinauth token is invalid"),
            (super::PIN_AUTH_TOKEN_EXPIRED, "pinauth token has expired"),
            (super::CURRENT_PIN_INVALID, "current pin is invalid"),
            (super::PIN_SESSION_TOKEN_INVALID, "session token is invalid"),
            (
                super::PIN_SESSION_TOKEN_EXPIRED,
                "session token has expired",
            ),
            (
                super::CONSENT_FORM_NOT_AVAILABLE,
                "consent form is not available",
            ),
            (
                super::CONSENT_FORM_VALIDATION_FAILED,
                "consent form validation failed",
            ),
            (
                super::CONSENT_FORM_NOT_SUBMITTED,
                "consent form not submitted",
            ),
            (super::CONSENT_TOKEN_INVALID, "consent token is invalid"),
            (super::CONSENT_TOKEN_EXPIRED, "consent token has expired"),
            (super::PRIVACY_POLICY_ALREADY_ACCEPTED, "already accepted"),
            (super::CLIENT_GUID_NOT_UNIQUE, "client guid must be unique"),
            (super::SMART_LINK_ALREADY_VERIFIED, "already been verified"),
            (super::SMART_LINK_NOT_VERIFIED, "has not been verified"),
            (super::CLIENT_GUID_INVALID, "client guid is invalid"),
            (
                super::ONE_TOUCH_LINK_USED,
                "one touch login link has already been used",
            ),
            (
                super::PROVIDER_TOKEN_MISSING,
                "access token is missing from social id provider",
            ),
            (
                super::PROVIDER_TOKEN_SECRET_MISSING,
                "token secret is missing",
            ),
            (super::ACCOUNT_ALREADY_LINKED, "account is already linked"),
            (super::PROVIDER_ERROR, "social identity provider"),
            (
                super::SOCIAL_EMAIL_IN_USE,
                "already being used with another account",
            ),
            (
                super::PROVIDER_ID_INVALID,
                "provider name or provider id is invalid",
            ),
            (super::PROVIDER_INVALID, "provider is invalid"),
            (super::CAPTCHA_INVALID, "captcha is invalid"),
            (super::PHONE_INVALID, "invalid phone number"),
            (
                super::SMS_OTP_MFA_NOT_ENABLED,
                "otp two factor authentication is not enabled",
            ),
            (super::PHONE_NOT_REGISTERED, "not registered"),
            (
                super::EMAIL_OTP_EXPIRED,
                "email verification otp has expired",
            ),
            (super::EMAIL_OTP_INVALID, "invalid email verification otp"),
            (
                super::EMAIL_OTP_MFA_NOT_ENABLED,
                "email otp two factor authentication is not enabled",
            ),
            (
                super::PHONE_NOT_LINKED,
                "phone number is not currently linked",
            ),
        ];
        for (code, needle) in expectations {
            let m = message(&t, *code);
            assert!(
                m.contains(needle),
                "code {code}: {m:?} does not say {needle:?}"
            );
        }
        for code in super::ACCOUNT_LOCKED_CODES {
            let m = message(&t, *code);
            assert!(m.contains("locked") || m.contains("blocked"), "{code}: {m}");
        }
    }
}
