//! Passwordless login (`PasswordLessLoginApi`): a sign-in link by email, or a one-time code by
//! email, username or SMS, exchanged for the usual login response. These calls need only the
//! API key. The link's verification token travels in the query string, where the service
//! requires it.

use serde_json::json;

use crate::Secret;
use crate::models::{LoginResponse, Posted, PostedWith, SmsResponse};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    VERIFY_PHONE_OTP,
    "passwordless.verify_phone_otp",
    PUT,
    "/identity/v2/auth/login/passwordlesslogin/otp/verify",
    ApiKey
);
endpoint!(
    SEND_PHONE_OTP,
    "passwordless.send_phone_otp",
    GET,
    "/identity/v2/auth/login/passwordlesslogin/otp",
    ApiKey
);
endpoint!(
    SEND_LINK_BY_EMAIL,
    "passwordless.send_link_by_email",
    GET,
    "/identity/v2/auth/login/passwordlesslogin/email",
    ApiKey
);
endpoint!(
    SEND_LINK_BY_USERNAME,
    "passwordless.send_link_by_username",
    GET,
    "/identity/v2/auth/login/passwordlesslogin/email",
    ApiKey
);
// The reference SDK spells the API key `apikey` on this one endpoint.
endpoint!(
    VERIFY_LINK,
    "passwordless.verify_link",
    GET,
    "/identity/v2/auth/login/passwordlesslogin/email/verify",
    crate::request::Credentials::ApiKey("apikey")
);
endpoint!(
    VERIFY_EMAIL_OTP,
    "passwordless.verify_email_otp",
    POST,
    "/identity/v2/auth/login/passwordlesslogin/email/verifyotp",
    ApiKey
);
endpoint!(
    VERIFY_USERNAME_OTP,
    "passwordless.verify_username_otp",
    POST,
    "/identity/v2/auth/login/passwordlesslogin/username/verifyotp",
    ApiKey
);

group_handle! {
    /// Passwordless login, from [`LoginRadius::passwordless`](crate::LoginRadius::passwordless).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, token_from_link: String) -> Result<(), loginradius::Error> {
    /// client
    ///     .passwordless()
    ///     .send_link_by_email("jane@example.com")
    ///     .verification_url("https://app.example.com/passwordless")
    ///     .await?;
    /// // Later, when the user follows the link:
    /// let login = client.passwordless().verify_link(token_from_link).await?;
    /// println!("token expires at {:?}", login.expires_in);
    /// # Ok(()) }
    /// ```
    Passwordless
}

request_builder! {
    /// Signs in with an SMS code. From [`Passwordless::verify_phone_otp`].
    pub struct VerifyPhoneOtp -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// SMS template.
    fn sms_template("smsTemplate": String);
    /// `true` when the code was sent as a voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Sends a sign-in code by SMS to a verified phone. From [`Passwordless::send_phone_otp`].
    /// Answers with the SMS receipt, `{"IsPosted": true, "Data": {"AccountSid", "Sid"}}` (the
    /// Java SDK types only `Data`, which is read the same way).
    pub struct SendPhoneOtp -> PostedWith<SmsResponse>;
    /// SMS template.
    fn sms_template("smsTemplate": String);
    /// `true` sends the code as a voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Emails a sign-in link. From [`Passwordless::send_link_by_email`] and
    /// [`Passwordless::send_link_by_username`].
    pub struct SendLink -> Posted;
    /// Email template of the sign-in email.
    fn passwordless_login_template("passwordLessLoginTemplate": String);
    /// The base URL of the link.
    fn verification_url("verificationUrl": String);
}

request_builder! {
    /// Signs in with the token of a sign-in link. From [`Passwordless::verify_link`].
    pub struct VerifyLink -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// Welcome email template, for a first sign-in.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Signs in with an emailed code. From [`Passwordless::verify_email_otp`] and
    /// [`Passwordless::verify_username_otp`].
    pub struct VerifyOtp -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

impl Passwordless<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Sends a sign-in code by SMS to a verified phone number
    /// (`GET /identity/v2/auth/login/passwordlesslogin/otp`).
    pub fn send_phone_otp(&self, phone: &str) -> SendPhoneOtp {
        SendPhoneOtp::from_call(self.call(&SEND_PHONE_OTP).query("phone", "phone", phone))
    }

    /// Signs in with the SMS code sent by [`send_phone_otp`](Self::send_phone_otp)
    /// (`PUT /identity/v2/auth/login/passwordlesslogin/otp/verify`).
    pub fn verify_phone_otp(&self, phone: &str, otp: impl Into<Secret>) -> VerifyPhoneOtp {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_PHONE_OTP)
            .check("phone", phone)
            .check("otp", otp.expose())
            .json(&json!({ "phone": phone, "otp": otp.expose() }));
        VerifyPhoneOtp::from_call(call)
    }

    /// Emails a sign-in link to `email`
    /// (`GET /identity/v2/auth/login/passwordlesslogin/email`).
    pub fn send_link_by_email(&self, email: &str) -> SendLink {
        SendLink::from_call(
            self.call(&SEND_LINK_BY_EMAIL)
                .query("email", "email", email),
        )
    }

    /// Emails a sign-in link to the account with this username
    /// (`GET /identity/v2/auth/login/passwordlesslogin/email`).
    pub fn send_link_by_username(&self, username: &str) -> SendLink {
        SendLink::from_call(
            self.call(&SEND_LINK_BY_USERNAME)
                .query("username", "username", username),
        )
    }

    /// Signs in with the verification token of a sign-in link
    /// (`GET /identity/v2/auth/login/passwordlesslogin/email/verify`). The service takes the
    /// token in the query string (`verificationToken`).
    pub fn verify_link(&self, verification_token: impl Into<Secret>) -> VerifyLink {
        let token = verification_token.into();
        VerifyLink::from_call(self.call(&VERIFY_LINK).query(
            "verificationToken",
            "verification_token",
            token.expose(),
        ))
    }

    /// Signs in with a code emailed to `email`
    /// (`POST /identity/v2/auth/login/passwordlesslogin/email/verifyotp`).
    pub fn verify_email_otp(&self, email: &str, otp: impl Into<Secret>) -> VerifyOtp {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_EMAIL_OTP)
            .check("email", email)
            .check("otp", otp.expose())
            .json(&json!({ "email": email, "otp": otp.expose() }));
        VerifyOtp::from_call(call)
    }

    /// Signs in with a code emailed to the account with this username
    /// (`POST /identity/v2/auth/login/passwordlesslogin/username/verifyotp`).
    pub fn verify_username_otp(&self, username: &str, otp: impl Into<Secret>) -> VerifyOtp {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_USERNAME_OTP)
            .check("username", username)
            .check("otp", otp.expose())
            .json(&json!({ "username": username, "otp": otp.expose() }));
        VerifyOtp::from_call(call)
    }
}
