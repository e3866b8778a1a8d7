//! Phone authentication (`PhoneAuthenticationApi`): login, registration and password reset by
//! phone number, phone verification codes and changes of the login phone number. These calls
//! need only the API key (and the user's token where they act for a signed-in user).

use serde_json::json;

use crate::Secret;
use crate::models::{
    Deleted, Exists, LoginResponse, Posted, PostedWith, Registration, SmsResponse,
};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    LOGIN,
    "phone.login",
    POST,
    "/identity/v2/auth/login",
    ApiKey
);
endpoint!(
    FORGOT_PASSWORD,
    "phone.forgot_password",
    POST,
    "/identity/v2/auth/password/otp",
    ApiKey
);
endpoint!(
    RESET_PASSWORD,
    "phone.reset_password",
    PUT,
    "/identity/v2/auth/password/otp",
    ApiKey
);
endpoint!(
    VERIFY_OTP,
    "phone.verify_otp",
    PUT,
    "/identity/v2/auth/phone/otp",
    ApiKey
);
endpoint!(
    VERIFY_OTP_BY_TOKEN,
    "phone.verify_otp_by_token",
    PUT,
    "/identity/v2/auth/phone/otp",
    Bearer
);
endpoint!(
    RESEND_OTP,
    "phone.resend_verification_otp",
    POST,
    "/identity/v2/auth/phone/otp",
    ApiKey
);
endpoint!(
    RESEND_OTP_BY_TOKEN,
    "phone.resend_verification_otp_by_token",
    POST,
    "/identity/v2/auth/phone/otp",
    Bearer
);
endpoint!(
    UPDATE_NUMBER,
    "phone.update_number",
    PUT,
    "/identity/v2/auth/phone",
    Bearer
);
endpoint!(
    EXISTS,
    "phone.exists",
    GET,
    "/identity/v2/auth/phone",
    ApiKey
);
endpoint!(
    REMOVE,
    "phone.remove",
    DELETE,
    "/identity/v2/auth/phone",
    Bearer
);
endpoint!(
    REGISTER,
    "phone.register",
    POST,
    "/identity/v2/auth/register",
    Sott
);

group_handle! {
    /// Phone authentication, from [`LoginRadius::phone`](crate::LoginRadius::phone).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, sott: &str) -> Result<(), loginradius::Error> {
    /// use loginradius::models::Registration;
    /// let phone = "+16045552368";
    /// if !client.phone().exists(phone).await?.exists {
    ///     client.phone().register(sott, &Registration::with_phone(phone, "correct horse")).await?;
    ///     client.phone().verify_otp(phone, "123456").await?;
    /// }
    /// let login = client.phone().login(phone, "correct horse").await?;
    /// client.phone().send_forgot_password_otp(phone).sms_template("reset").await?;
    /// # Ok(()) }
    /// ```
    Phone
}

request_builder! {
    /// A login with phone number and password. From [`Phone::login`].
    pub struct PhoneLogin -> LoginResponse;
    /// Restricts the profile fields returned (`Uid,PhoneId`).
    fn fields("fields": String);
    /// The login page URL used in messages.
    fn login_url("loginUrl": String);
    /// SMS template for the verification code sent when the number is not yet verified.
    fn sms_template("smsTemplate": String);
    /// Extra options, for example `PreventVerificationEmail`.
    fn options("options": String);
}

request_builder! {
    /// Sends a code by text message and answers with the provider's message ids
    /// (`{"IsPosted": true, "Data": {"AccountSid", "Sid"}}`). From
    /// [`Phone::send_forgot_password_otp`], [`Phone::resend_verification_otp`],
    /// [`Phone::resend_verification_otp_by_token`] and [`Phone::update_number`].
    pub struct SendPhoneOtp -> PostedWith<SmsResponse>;
    /// SMS template name.
    fn sms_template("smsTemplate": String);
    /// `true` to have the code read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// A change answered with `{"IsPosted": true}`. From [`Phone::reset_password`].
    pub struct PhonePosted -> Posted;
}

request_builder! {
    /// Verifies a phone number with the code sent to it and signs the user in. From
    /// [`Phone::verify_otp`].
    pub struct VerifyPhone -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// SMS template name.
    fn sms_template("smsTemplate": String);
    /// `true` when the code was sent by voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Verifies the signed-in user's phone number with the code sent to it. From
    /// [`Phone::verify_otp_by_token`].
    pub struct VerifyPhoneByToken -> Posted;
    /// SMS template name.
    fn sms_template("smsTemplate": String);
    /// `true` when the code was sent by voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Whether a phone number is registered (`{"IsExist": …}`). From [`Phone::exists`].
    pub struct PhoneExists -> Exists;
}

request_builder! {
    /// Removes the signed-in user's phone number (`{"IsDeleted": …}`). From [`Phone::remove`].
    pub struct RemovePhone -> Deleted;
}

request_builder! {
    /// A registration by phone number. From [`Phone::register`]. Answers `{"IsPosted": true}`
    /// alone when verification is mandatory, or with the login in `Data` otherwise.
    pub struct PhoneRegistration -> PostedWith<LoginResponse>;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// Extra options, for example `PreventVerificationEmail`.
    fn options("options": String);
    /// SMS template for the verification code.
    fn sms_template("smsTemplate": String);
    /// The verification link's base URL, when an email address is registered too.
    fn verification_url("verificationUrl": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
    /// Verification email template.
    fn email_template("emailTemplate": String);
    /// `true` to send the verification code by voice call.
    fn voice_otp("isVoiceOtp": bool);
}

impl Phone<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Logs in with phone number and password (`POST /identity/v2/auth/login` with
    /// `{"phone", "password"}`).
    pub fn login(&self, phone: &str, password: impl Into<Secret>) -> PhoneLogin {
        let password = password.into();
        let call = self
            .call(&LOGIN)
            .check("phone", phone)
            .check("password", password.expose())
            .json(&json!({ "phone": phone, "password": password.expose() }));
        PhoneLogin::from_call(call)
    }

    /// Texts a password-reset code to `phone` (`POST /identity/v2/auth/password/otp`). Finish
    /// with [`Phone::reset_password`].
    pub fn send_forgot_password_otp(&self, phone: &str) -> SendPhoneOtp {
        SendPhoneOtp::from_call(self.phone_body(&FORGOT_PASSWORD, phone))
    }

    /// Sets a new password with the code texted by [`Phone::send_forgot_password_otp`]
    /// (`PUT /identity/v2/auth/password/otp` with `{"phone", "otp", "password"}`).
    pub fn reset_password(
        &self,
        phone: &str,
        otp: impl Into<Secret>,
        password: impl Into<Secret>,
    ) -> PhonePosted {
        let (otp, password) = (otp.into(), password.into());
        let call = self
            .call(&RESET_PASSWORD)
            .check("phone", phone)
            .check("otp", otp.expose())
            .check("password", password.expose())
            .json(&json!({ "phone": phone, "otp": otp.expose(), "password": password.expose() }));
        PhonePosted::from_call(call)
    }

    /// Verifies `phone` with the code texted to it and signs the user in
    /// (`PUT /identity/v2/auth/phone/otp`). The service takes the code in the query (`otp`)
    /// and the number in the body.
    pub fn verify_otp(&self, phone: &str, otp: impl Into<Secret>) -> VerifyPhone {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_OTP)
            .query("otp", "otp", otp.expose())
            .check("phone", phone)
            .json(&json!({ "phone": phone }));
        VerifyPhone::from_call(call)
    }

    /// Verifies the signed-in user's phone number with the code texted to it
    /// (`PUT /identity/v2/auth/phone/otp` with a Bearer token; the code travels in the query).
    pub fn verify_otp_by_token(
        &self,
        access_token: impl Into<Secret>,
        otp: impl Into<Secret>,
    ) -> VerifyPhoneByToken {
        let otp = otp.into();
        let call =
            self.call(&VERIFY_OTP_BY_TOKEN)
                .token(access_token)
                .query("otp", "otp", otp.expose());
        VerifyPhoneByToken::from_call(call)
    }

    /// Texts the phone-verification code to `phone` again (`POST /identity/v2/auth/phone/otp`).
    pub fn resend_verification_otp(&self, phone: &str) -> SendPhoneOtp {
        SendPhoneOtp::from_call(self.phone_body(&RESEND_OTP, phone))
    }

    /// Texts the phone-verification code again for the signed-in user
    /// (`POST /identity/v2/auth/phone/otp` with a Bearer token).
    pub fn resend_verification_otp_by_token(
        &self,
        access_token: impl Into<Secret>,
        phone: &str,
    ) -> SendPhoneOtp {
        SendPhoneOtp::from_call(
            self.phone_body(&RESEND_OTP_BY_TOKEN, phone)
                .token(access_token),
        )
    }

    /// Changes the signed-in user's login phone number (`PUT /identity/v2/auth/phone`); a
    /// verification code is texted to the new number.
    pub fn update_number(&self, access_token: impl Into<Secret>, phone: &str) -> SendPhoneOtp {
        SendPhoneOtp::from_call(self.phone_body(&UPDATE_NUMBER, phone).token(access_token))
    }

    /// Whether `phone` is already registered (`GET /identity/v2/auth/phone?phone=`).
    pub fn exists(&self, phone: &str) -> PhoneExists {
        PhoneExists::from_call(self.call(&EXISTS).query("phone", "phone", phone))
    }

    /// Removes the phone number from the signed-in user's account
    /// (`DELETE /identity/v2/auth/phone`).
    pub fn remove(&self, access_token: impl Into<Secret>) -> RemovePhone {
        RemovePhone::from_call(self.call(&REMOVE).token(access_token))
    }

    /// Registers a user by phone number (`POST /identity/v2/auth/register` with the SOTT in
    /// `X-LoginRadius-Sott`); a verification code is texted to the number. Build the user with
    /// [`Registration::with_phone`].
    pub fn register(&self, sott: impl Into<Secret>, user: &Registration) -> PhoneRegistration {
        let phone = user.phone_id.as_deref().unwrap_or_default();
        let call = self
            .call(&REGISTER)
            .sott(sott)
            .check("phone_id", phone)
            .check("password", user.password.expose())
            .json(user);
        PhoneRegistration::from_call(call)
    }

    fn phone_body(&self, endpoint: &'static Endpoint, phone: &str) -> Call {
        self.call(endpoint)
            .check("phone", phone)
            .json(&json!({ "phone": phone }))
    }
}
