//! One-touch login (`OneTouchLoginApi`): passwordless sign-in or sign-up by an emailed link or
//! an SMS code, for users who may not have an account yet. These calls need only the API key.
//! The link's verification token and the SMS code travel in the query string, where the
//! service requires them.

use serde::Serialize;

use crate::Secret;
use crate::models::{LoginResponse, Posted, Verified};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    SEND_EMAIL_LINK,
    "one_touch.send_email_link",
    POST,
    "/identity/v2/auth/onetouchlogin/email",
    ApiKey
);
endpoint!(
    SEND_SMS,
    "one_touch.send_sms",
    POST,
    "/identity/v2/auth/onetouchlogin/phone",
    ApiKey
);
endpoint!(
    VERIFY_OTP,
    "one_touch.verify_otp",
    PUT,
    "/identity/v2/auth/onetouchlogin/phone/verify",
    ApiKey
);
endpoint!(
    VERIFY_LINK,
    "one_touch.verify_link",
    GET,
    "/identity/v2/auth/email/onetouchlogin",
    ApiKey
);
// The service shares the ping endpoint with smart login.
endpoint!(
    PING,
    "one_touch.ping",
    GET,
    "/identity/v2/auth/login/smartlogin/ping",
    ApiKey
);

group_handle! {
    /// One-touch login, from [`LoginRadius::one_touch`](crate::LoginRadius::one_touch).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::api::one_touch::OneTouchPhone;
    ///
    /// client.one_touch().send_sms(&OneTouchPhone::new("+16045552368").name("Jane")).await?;
    /// // The user types the code they received:
    /// let login = client.one_touch().verify_otp("+16045552368", "123456").await?;
    /// # Ok(()) }
    /// ```
    OneTouch
}

/// The body of [`OneTouch::send_email_link`]: the address, the client GUID the app will poll
/// with, and optionally the user's name and a captcha answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OneTouchEmail {
    /// `clientguid`: a unique id chosen by the app, later passed to [`OneTouch::ping`].
    #[serde(rename = "clientguid")]
    pub client_guid: String,
    /// `email`.
    pub email: String,
    /// `name`, used when the user signs up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `g-recaptcha-response`, when the site asks for a captcha.
    #[serde(
        rename = "g-recaptcha-response",
        skip_serializing_if = "Option::is_none"
    )]
    pub captcha_response: Option<String>,
}

impl OneTouchEmail {
    /// A link for `email`, tied to `client_guid`.
    pub fn new(email: impl Into<String>, client_guid: impl Into<String>) -> Self {
        Self {
            client_guid: client_guid.into(),
            email: email.into(),
            name: None,
            captcha_response: None,
        }
    }

    /// Sets the user's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the captcha answer (`g-recaptcha-response`).
    pub fn captcha_response(mut self, response: impl Into<String>) -> Self {
        self.captcha_response = Some(response.into());
        self
    }
}

/// The body of [`OneTouch::send_sms`]: the phone number, and optionally the user's name and a
/// captcha answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OneTouchPhone {
    /// `phone` (E.164).
    pub phone: String,
    /// `name`, used when the user signs up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `g-recaptcha-response`, when the site asks for a captcha.
    #[serde(
        rename = "g-recaptcha-response",
        skip_serializing_if = "Option::is_none"
    )]
    pub captcha_response: Option<String>,
}

impl OneTouchPhone {
    /// A code for `phone`.
    pub fn new(phone: impl Into<String>) -> Self {
        Self {
            phone: phone.into(),
            name: None,
            captcha_response: None,
        }
    }

    /// Sets the user's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the captcha answer (`g-recaptcha-response`).
    pub fn captcha_response(mut self, response: impl Into<String>) -> Self {
        self.captcha_response = Some(response.into());
        self
    }
}

request_builder! {
    /// Emails a one-touch link. From [`OneTouch::send_email_link`].
    pub struct SendOneTouchEmail -> Posted;
    /// Email template of the one-touch email.
    fn one_touch_login_email_template("oneTouchLoginEmailTemplate": String);
    /// Where the user lands after clicking the link.
    fn redirect_url("redirecturl": String);
    /// Welcome email template, for a sign-up.
    fn welcome_email_template("welcomeemailtemplate": String);
}

request_builder! {
    /// Texts a one-touch code. From [`OneTouch::send_sms`].
    pub struct SendOneTouchSms -> Posted;
    /// SMS template.
    fn sms_template("smsTemplate": String);
    /// `true` sends the code as a voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Signs in with a one-touch SMS code. From [`OneTouch::verify_otp`].
    pub struct VerifyOneTouchOtp -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// SMS template.
    fn sms_template("smsTemplate": String);
}

request_builder! {
    /// Confirms a one-touch link. From [`OneTouch::verify_link`].
    pub struct VerifyOneTouchLink -> Verified;
    /// Welcome email template, for a sign-up.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Polls for the login of a one-touch link. From [`OneTouch::ping`].
    pub struct OneTouchPing -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

impl OneTouch<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Emails a one-touch sign-in (or sign-up) link
    /// (`POST /identity/v2/auth/onetouchlogin/email`).
    pub fn send_email_link(&self, request: &OneTouchEmail) -> SendOneTouchEmail {
        let call = self
            .call(&SEND_EMAIL_LINK)
            .check("email", &request.email)
            .check("client_guid", &request.client_guid)
            .json(request);
        SendOneTouchEmail::from_call(call)
    }

    /// Texts a one-touch sign-in (or sign-up) code (`POST /identity/v2/auth/onetouchlogin/phone`).
    pub fn send_sms(&self, request: &OneTouchPhone) -> SendOneTouchSms {
        let call = self
            .call(&SEND_SMS)
            .check("phone", &request.phone)
            .json(request);
        SendOneTouchSms::from_call(call)
    }

    /// Signs in with the code sent by [`send_sms`](Self::send_sms)
    /// (`PUT /identity/v2/auth/onetouchlogin/phone/verify`). The service takes the code in the
    /// query string (`otp`) and the phone in the body.
    pub fn verify_otp(&self, phone: &str, otp: impl Into<Secret>) -> VerifyOneTouchOtp {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_OTP)
            .query("otp", "otp", otp.expose())
            .check("phone", phone)
            .json(&serde_json::json!({ "phone": phone }));
        VerifyOneTouchOtp::from_call(call)
    }

    /// Confirms the verification token of a one-touch email
    /// (`GET /identity/v2/auth/email/onetouchlogin`). The service takes the token in the query
    /// string (`verificationToken`).
    pub fn verify_link(&self, verification_token: impl Into<Secret>) -> VerifyOneTouchLink {
        let token = verification_token.into();
        VerifyOneTouchLink::from_call(self.call(&VERIFY_LINK).query(
            "verificationToken",
            "verification_token",
            token.expose(),
        ))
    }

    /// Polls by client GUID; once the link has been clicked, answers with the profile and
    /// tokens (`GET /identity/v2/auth/login/smartlogin/ping`, shared with smart login).
    pub fn ping(&self, client_guid: &str) -> OneTouchPing {
        OneTouchPing::from_call(
            self.call(&PING)
                .query("clientGuid", "client_guid", client_guid),
        )
    }
}
