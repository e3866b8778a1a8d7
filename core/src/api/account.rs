//! Account management (`AccountApi`): users by uid, email, username or phone; creating,
//! updating and deleting them; passwords, emails and phone ids; verification, reset and access
//! tokens made on the server. Every call needs the API secret (or request signing).

use serde::Serialize;
use serde_json::json;

use crate::Secret;
use crate::models::{
    Deleted, EmailAddress, EmailVerificationToken, ForgotPasswordToken, Identities, NewAccount,
    OneTimeToken, PasswordHash, PolicyAcceptances, Posted, Profile, TokenResponse,
};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    PRIVACY_POLICY_HISTORY,
    "account.privacy_policy_history",
    GET,
    "/identity/v2/manage/account/{uid}/privacypolicy/history",
    Manage
);
endpoint!(
    CREATE,
    "account.create",
    POST,
    "/identity/v2/manage/account",
    Manage
);
endpoint!(
    BY_EMAIL,
    "account.by_email",
    GET,
    "/identity/v2/manage/account",
    Manage
);
endpoint!(
    BY_USERNAME,
    "account.by_username",
    GET,
    "/identity/v2/manage/account",
    Manage
);
endpoint!(
    BY_PHONE,
    "account.by_phone",
    GET,
    "/identity/v2/manage/account",
    Manage
);
endpoint!(
    GET,
    "account.get",
    GET,
    "/identity/v2/manage/account/{uid}",
    Manage
);
endpoint!(
    UPDATE,
    "account.update",
    PUT,
    "/identity/v2/manage/account/{uid}",
    Manage
);
endpoint!(
    SET_PHONE,
    "account.set_phone",
    PUT,
    "/identity/v2/manage/account/{uid}/phoneid",
    Manage
);
endpoint!(
    PASSWORD_HASH,
    "account.password_hash",
    GET,
    "/identity/v2/manage/account/{uid}/password",
    Manage
);
endpoint!(
    SET_PASSWORD,
    "account.set_password",
    PUT,
    "/identity/v2/manage/account/{uid}/password",
    Manage
);
endpoint!(
    DELETE,
    "account.delete",
    DELETE,
    "/identity/v2/manage/account/{uid}",
    Manage
);
endpoint!(
    INVALIDATE_EMAIL,
    "account.invalidate_email_verification",
    PUT,
    "/identity/v2/manage/account/{uid}/invalidateemail",
    Manage
);
endpoint!(
    FORGOT_PASSWORD_TOKEN,
    "account.forgot_password_token",
    POST,
    "/identity/v2/manage/account/forgot/token",
    Manage
);
endpoint!(
    EMAIL_VERIFICATION_TOKEN,
    "account.email_verification_token",
    POST,
    "/identity/v2/manage/account/verify/token",
    Manage
);
endpoint!(
    ACCESS_TOKEN,
    "account.access_token",
    GET,
    "/identity/v2/manage/account/access_token",
    Manage
);
endpoint!(
    INVALIDATE_PHONE,
    "account.invalidate_phone_verification",
    PUT,
    "/identity/v2/manage/account/{uid}/invalidatephone",
    Manage
);
endpoint!(
    UPSERT_EMAIL,
    "account.upsert_email",
    PUT,
    "/identity/v2/manage/account/{uid}/email",
    Manage
);
endpoint!(
    REMOVE_EMAIL,
    "account.remove_email",
    DELETE,
    "/identity/v2/manage/account/{uid}/email",
    Manage
);
endpoint!(
    REFRESH_ACCESS_TOKEN,
    "account.refresh_access_token",
    GET,
    "/identity/v2/manage/account/access_token/refresh",
    Manage
);
endpoint!(
    REVOKE_REFRESH_TOKEN,
    "account.revoke_refresh_token",
    GET,
    "/identity/v2/manage/account/access_token/refresh/revoke",
    Manage
);
endpoint!(
    REVOKE_ALL_REFRESH_TOKENS,
    "account.revoke_all_refresh_tokens",
    DELETE,
    "/identity/v2/manage/account/{uid}/access_token/refresh/revoke",
    Manage
);
endpoint!(
    EMAIL_TOKEN,
    "account.generate_email_token",
    POST,
    "/identity/v2/manage/account/emailtoken/{tokentype}",
    Manage
);
endpoint!(
    IDENTITIES_BY_EMAIL,
    "account.identities_by_email",
    GET,
    "/identity/v2/manage/account/identities",
    Manage
);
endpoint!(
    DELETE_BY_EMAIL,
    "account.delete_by_email",
    DELETE,
    "/identity/v2/manage/account",
    Manage
);
endpoint!(
    SMS_OTP,
    "account.generate_sms_otp",
    POST,
    "/identity/v2/manage/account/smsotp/{smsotptype}",
    Manage
);
endpoint!(
    CHANGE_UID,
    "account.change_uid",
    PUT,
    "/identity/v2/manage/account/uid",
    Manage
);

group_handle! {
    /// Account management by uid, email, username or phone, from
    /// [`LoginRadius::account`](crate::LoginRadius::account). Every call needs the API secret
    /// (sent in `X-LoginRadius-ApiSecret`, or replaced by a request-signing digest).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::models::NewAccount;
    /// let created = client
    ///     .account()
    ///     .create(&NewAccount::with_email("jane@example.com", "S3cret!pass").email_verified(true))
    ///     .await?;
    /// let profile = client.account().get(&created.uid).fields("Uid,Email").await?;
    /// client.account().set_password(&profile.uid, "N3w!pass").await?;
    /// client.account().update(&profile.uid, &serde_json::json!({"FirstName": "Jane"})).await?;
    /// let found = client.account().by_email("jane@example.com").await?;
    /// assert_eq!(found.uid, profile.uid);
    /// # Ok(()) }
    /// ```
    Account
}

request_builder! {
    /// Reads or changes one user and answers with the profile (LoginRadius "Identity"). From
    /// [`Account::get`], [`Account::by_email`], [`Account::by_username`], [`Account::by_phone`],
    /// [`Account::create`], [`Account::set_phone`], [`Account::upsert_email`] and
    /// [`Account::remove_email`].
    pub struct AccountProfile -> Profile;
    /// Restricts the profile fields returned (`Uid,Email/Value`).
    fn fields("fields": String);
}

request_builder! {
    /// Updates a user's profile and answers with the whole profile. From [`Account::update`].
    pub struct UpdateAccount -> Profile;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// With `true`, an explicit JSON `null` in the update clears the field; without it, nulls
    /// are ignored.
    fn null_support("nullSupport": bool);
}

request_builder! {
    /// Lists the privacy-policy versions a user accepted. From
    /// [`Account::privacy_policy_history`].
    pub struct PrivacyPolicyHistory -> PolicyAcceptances;
}

request_builder! {
    /// Reads or sets a user's password and answers with the stored hash. From
    /// [`Account::password_hash`] and [`Account::set_password`].
    pub struct PasswordHashRequest -> PasswordHash;
}

request_builder! {
    /// A deletion answered with `{"IsDeleted": …}`. From [`Account::delete`],
    /// [`Account::delete_by_email`], [`Account::revoke_refresh_token`] and
    /// [`Account::revoke_all_refresh_tokens`].
    pub struct AccountDeletion -> Deleted;
}

request_builder! {
    /// Marks a user's email address unverified. From [`Account::invalidate_email_verification`].
    pub struct InvalidateEmailVerification -> Posted;
    /// Template of the verification email sent again.
    fn email_template("emailTemplate": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
}

request_builder! {
    /// Marks a user's phone number unverified and sends a new code. From
    /// [`Account::invalidate_phone_verification`]. The answer (`{"IsPosted": …}`) is typed as
    /// in the Java SDK.
    pub struct InvalidatePhoneVerification -> Posted;
    /// Template of the text message.
    fn sms_template("smsTemplate": String);
    /// With `true`, the code is read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Makes a reset-password token for an address. From [`Account::forgot_password_token`].
    pub struct ForgotPasswordTokenRequest -> ForgotPasswordToken;
    /// Template of the reset email, when one is sent.
    fn email_template("emailTemplate": String);
    /// The reset link's base URL.
    fn reset_password_url("resetPasswordUrl": String);
    /// With `true`, the user is also sent the reset email.
    fn send_email("sendEmail": bool);
}

request_builder! {
    /// Makes an email-verification token for an address. From
    /// [`Account::email_verification_token`].
    pub struct EmailVerificationTokenRequest -> EmailVerificationToken;
}

request_builder! {
    /// Tokens made on the server: an access token for a uid, or a refreshed one. From
    /// [`Account::access_token`] and [`Account::refresh_access_token`].
    pub struct AccountTokens -> TokenResponse;
}

request_builder! {
    /// Every identity sharing an email address. From [`Account::identities_by_email`].
    pub struct IdentitiesByEmail -> Identities;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

request_builder! {
    /// Generates an email token or an SMS OTP for a chosen purpose. From
    /// [`Account::generate_email_token`] and [`Account::generate_sms_otp`]. The service's shape
    /// is not documented in our wire reference, so the answer is returned as JSON.
    pub struct GeneratedToken -> OneTimeToken;
}

request_builder! {
    /// Changes a user's uid. From [`Account::change_uid`]. The answer (`{"IsPosted": …}`) is
    /// typed as in the Java SDK.
    pub struct ChangeUid -> Posted;
}

/// Serializes a model body, refusing anything but a JSON object.
fn object_body(call: Call, field: &'static str, body: &(impl Serialize + ?Sized)) -> Call {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(_)) => call.json(body),
        _ => call.invalid(field, "must be a JSON object"),
    }
}

impl Account<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// The privacy-policy versions a user accepted
    /// (`GET /identity/v2/manage/account/{uid}/privacypolicy/history`).
    pub fn privacy_policy_history(&self, uid: &str) -> PrivacyPolicyHistory {
        PrivacyPolicyHistory::from_call(self.call(&PRIVACY_POLICY_HISTORY).segment("uid", uid))
    }

    /// Creates a user directly, without the usual email verification unless the account says
    /// so (`POST /identity/v2/manage/account`). It needs an email address, a phone id or a
    /// username.
    pub fn create(&self, account: &NewAccount) -> AccountProfile {
        let mut call = self.call(&CREATE);
        if account.email.is_empty() && account.phone_id.is_none() && account.user_name.is_none() {
            call = call.check("account.email", "");
        }
        for email in &account.email {
            call = call.check("account.email", &email.value);
        }
        if let Some(phone) = &account.phone_id {
            call = call.check("account.phone_id", phone);
        }
        if let Some(user_name) = &account.user_name {
            call = call.check("account.user_name", user_name);
        }
        AccountProfile::from_call(call.json(account))
    }

    /// The profile of the user with this primary or secondary email address
    /// (`GET /identity/v2/manage/account?email=`).
    pub fn by_email(&self, email: &str) -> AccountProfile {
        AccountProfile::from_call(self.call(&BY_EMAIL).query("email", "email", email))
    }

    /// The profile of the user with this username (`GET /identity/v2/manage/account?userName=`).
    pub fn by_username(&self, username: &str) -> AccountProfile {
        AccountProfile::from_call(
            self.call(&BY_USERNAME)
                .query("userName", "username", username),
        )
    }

    /// The profile of the user with this phone id (`GET /identity/v2/manage/account?phone=`).
    pub fn by_phone(&self, phone: &str) -> AccountProfile {
        AccountProfile::from_call(self.call(&BY_PHONE).query("phone", "phone", phone))
    }

    /// The profile of a user (`GET /identity/v2/manage/account/{uid}`).
    pub fn get(&self, uid: &str) -> AccountProfile {
        AccountProfile::from_call(self.call(&GET).segment("uid", uid))
    }

    /// Updates a user's profile with the given fields, in LoginRadius casing
    /// (`PUT /identity/v2/manage/account/{uid}`); answers with the whole profile. `"IsActive":
    /// false` blocks the user and `true` unblocks. The update must be a JSON object.
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// let profile = client
    ///     .account()
    ///     .update("b2d4f1e0c3a94c1e9f7a6d5c4b3a2910", &serde_json::json!({"FirstName": "Jane", "About": null}))
    ///     .null_support(true)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, uid: &str, profile: &(impl Serialize + ?Sized)) -> UpdateAccount {
        UpdateAccount::from_call(object_body(
            self.call(&UPDATE).segment("uid", uid),
            "profile",
            profile,
        ))
    }

    /// Replaces a user's phone id without OTP verification
    /// (`PUT /identity/v2/manage/account/{uid}/phoneid`).
    pub fn set_phone(&self, uid: &str, phone: &str) -> AccountProfile {
        let call = self
            .call(&SET_PHONE)
            .segment("uid", uid)
            .check("phone", phone);
        AccountProfile::from_call(call.json(&json!({ "phone": phone })))
    }

    /// A user's stored password hash (`GET /identity/v2/manage/account/{uid}/password`).
    pub fn password_hash(&self, uid: &str) -> PasswordHashRequest {
        PasswordHashRequest::from_call(self.call(&PASSWORD_HASH).segment("uid", uid))
    }

    /// Sets a user's password (`PUT /identity/v2/manage/account/{uid}/password`); answers with
    /// the new hash. A weak or invalid password is error 1015, 1134 or 1216.
    pub fn set_password(&self, uid: &str, password: impl Into<Secret>) -> PasswordHashRequest {
        let password = password.into();
        let call = self
            .call(&SET_PASSWORD)
            .segment("uid", uid)
            .check("password", password.expose())
            .json(&json!({ "password": password.expose() }));
        PasswordHashRequest::from_call(call)
    }

    /// Deletes a user (`DELETE /identity/v2/manage/account/{uid}`). The same identity may
    /// register again later.
    pub fn delete(&self, uid: &str) -> AccountDeletion {
        AccountDeletion::from_call(self.call(&DELETE).segment("uid", uid))
    }

    /// Marks a user's email address unverified again, optionally sending a new verification
    /// email (`PUT /identity/v2/manage/account/{uid}/invalidateemail`).
    pub fn invalidate_email_verification(&self, uid: &str) -> InvalidateEmailVerification {
        InvalidateEmailVerification::from_call(self.call(&INVALIDATE_EMAIL).segment("uid", uid))
    }

    /// Makes a reset-password token for an address, optionally emailing the user too
    /// (`POST /identity/v2/manage/account/forgot/token`).
    pub fn forgot_password_token(&self, email: &str) -> ForgotPasswordTokenRequest {
        let call = self.call(&FORGOT_PASSWORD_TOKEN).check("email", email);
        ForgotPasswordTokenRequest::from_call(call.json(&json!({ "email": email })))
    }

    /// Makes an email-verification token for an address
    /// (`POST /identity/v2/manage/account/verify/token`).
    pub fn email_verification_token(&self, email: &str) -> EmailVerificationTokenRequest {
        let call = self.call(&EMAIL_VERIFICATION_TOKEN).check("email", email);
        EmailVerificationTokenRequest::from_call(call.json(&json!({ "email": email })))
    }

    /// An access token for a user, made on the server: impersonation
    /// (`GET /identity/v2/manage/account/access_token?uid=`).
    pub fn access_token(&self, uid: &str) -> AccountTokens {
        AccountTokens::from_call(self.call(&ACCESS_TOKEN).query("uid", "uid", uid))
    }

    /// Marks a user's phone number unverified again and sends a new code
    /// (`PUT /identity/v2/manage/account/{uid}/invalidatephone`).
    pub fn invalidate_phone_verification(&self, uid: &str) -> InvalidatePhoneVerification {
        InvalidatePhoneVerification::from_call(self.call(&INVALIDATE_PHONE).segment("uid", uid))
    }

    /// Adds email addresses to a user, or replaces the one of the same type
    /// (`PUT /identity/v2/manage/account/{uid}/email`, body `{"Email": [{"Type", "Value"}]}`).
    pub fn upsert_email(
        &self,
        uid: &str,
        emails: impl IntoIterator<Item = EmailAddress>,
    ) -> AccountProfile {
        let emails: Vec<EmailAddress> = emails.into_iter().collect();
        let mut call = self.call(&UPSERT_EMAIL).segment("uid", uid);
        if emails.is_empty() {
            call = call.invalid("emails", "must not be empty");
        }
        for email in &emails {
            call = call
                .check("emails[].type", &email.kind)
                .check("emails[].value", &email.value);
        }
        AccountProfile::from_call(call.json(&json!({ "Email": emails })))
    }

    /// Removes one email address from a user (`DELETE /identity/v2/manage/account/{uid}/email`).
    pub fn remove_email(&self, uid: &str, email: &str) -> AccountProfile {
        let call = self
            .call(&REMOVE_EMAIL)
            .segment("uid", uid)
            .check("email", email);
        AccountProfile::from_call(call.json(&json!({ "email": email })))
    }

    /// Exchanges a refresh token for a new access token
    /// (`GET /identity/v2/manage/account/access_token/refresh`). The refresh token is single
    /// use: keep the new one from the answer.
    ///
    /// The service takes the refresh token only in the query string (`refresh_Token`); it is
    /// never logged by this client, but proxies in between may log URLs.
    pub fn refresh_access_token(&self, refresh_token: impl Into<Secret>) -> AccountTokens {
        let token = refresh_token.into();
        AccountTokens::from_call(self.call(&REFRESH_ACCESS_TOKEN).query(
            "refresh_Token",
            "refresh_token",
            token.expose(),
        ))
    }

    /// Revokes one refresh token; its access token stays valid until it expires
    /// (`GET /identity/v2/manage/account/access_token/refresh/revoke`). Like
    /// [`refresh_access_token`](Self::refresh_access_token), the token travels in the query
    /// string because the service requires it there.
    pub fn revoke_refresh_token(&self, refresh_token: impl Into<Secret>) -> AccountDeletion {
        let token = refresh_token.into();
        AccountDeletion::from_call(self.call(&REVOKE_REFRESH_TOKEN).query(
            "refresh_Token",
            "refresh_token",
            token.expose(),
        ))
    }

    /// Revokes every refresh token issued to a user
    /// (`DELETE /identity/v2/manage/account/{uid}/access_token/refresh/revoke`).
    pub fn revoke_all_refresh_tokens(&self, uid: &str) -> AccountDeletion {
        AccountDeletion::from_call(self.call(&REVOKE_ALL_REFRESH_TOKENS).segment("uid", uid))
    }

    /// Generates an email token for a purpose (`token_type`: verification, reset, one-click
    /// login…) from a request such as `{"Email": …, "Uid": …, "Name": …}`
    /// (`POST /identity/v2/manage/account/emailtoken/{tokentype}`).
    pub fn generate_email_token(
        &self,
        token_type: &str,
        request: &(impl Serialize + ?Sized),
    ) -> GeneratedToken {
        let call = self.call(&EMAIL_TOKEN).segment("tokentype", token_type);
        GeneratedToken::from_call(object_body(call, "request", request))
    }

    /// Every identity (uid and profile) that shares an email address
    /// (`GET /identity/v2/manage/account/identities?email=`).
    pub fn identities_by_email(&self, email: &str) -> IdentitiesByEmail {
        IdentitiesByEmail::from_call(
            self.call(&IDENTITIES_BY_EMAIL)
                .query("email", "email", email),
        )
    }

    /// Deletes every user with this email address (`DELETE /identity/v2/manage/account?email=`).
    /// The answer (`{"IsDeleted": …}`) is typed as in the Java SDK.
    pub fn delete_by_email(&self, email: &str) -> AccountDeletion {
        AccountDeletion::from_call(self.call(&DELETE_BY_EMAIL).query("email", "email", email))
    }

    /// Generates an SMS OTP for a purpose (`otp_type`) from a request such as
    /// `{"Phone": …, "Uid": …, "Name": …}`
    /// (`POST /identity/v2/manage/account/smsotp/{smsotptype}`).
    pub fn generate_sms_otp(
        &self,
        otp_type: &str,
        request: &(impl Serialize + ?Sized),
    ) -> GeneratedToken {
        let call = self.call(&SMS_OTP).segment("smsotptype", otp_type);
        GeneratedToken::from_call(object_body(call, "request", request))
    }

    /// Changes a user's uid, carrying over profiles, custom objects and consent logs
    /// (`PUT /identity/v2/manage/account/uid?uid=`, body `{"NewUid": …}`).
    pub fn change_uid(&self, uid: &str, new_uid: &str) -> ChangeUid {
        let call = self
            .call(&CHANGE_UID)
            .query("uid", "uid", uid)
            .check("new_uid", new_uid);
        ChangeUid::from_call(call.json(&json!({ "NewUid": new_uid })))
    }
}
