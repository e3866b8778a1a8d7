//! PIN authentication (`PINAuthenticationApi`): login with a PIN, and setting, changing and
//! resetting it. These calls need only the API key (and the user's token to change a PIN).

use serde_json::{Map, Value, json};

use crate::Secret;
use crate::models::{LoginResponse, Posted, PostedWith, SmsResponse};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    LOGIN,
    "pin.login",
    POST,
    "/identity/v2/auth/login/pin",
    ApiKey
);
endpoint!(
    FORGOT_BY_EMAIL,
    "pin.send_reset_email",
    POST,
    "/identity/v2/auth/pin/forgot/email",
    ApiKey
);
endpoint!(
    FORGOT_BY_USERNAME,
    "pin.send_reset_email_by_username",
    POST,
    "/identity/v2/auth/pin/forgot/username",
    ApiKey
);
endpoint!(
    FORGOT_BY_PHONE,
    "pin.send_reset_otp",
    POST,
    "/identity/v2/auth/pin/forgot/otp",
    ApiKey
);
endpoint!(
    RESET_BY_TOKEN,
    "pin.reset_with_token",
    PUT,
    "/identity/v2/auth/pin/reset/token",
    ApiKey
);
endpoint!(
    RESET_BY_EMAIL_ANSWERS,
    "pin.reset_by_email_and_security_answers",
    PUT,
    "/identity/v2/auth/pin/reset/securityanswer/email",
    ApiKey
);
endpoint!(
    RESET_BY_USERNAME_ANSWERS,
    "pin.reset_by_username_and_security_answers",
    PUT,
    "/identity/v2/auth/pin/reset/securityanswer/username",
    ApiKey
);
endpoint!(
    RESET_BY_PHONE_ANSWERS,
    "pin.reset_by_phone_and_security_answers",
    PUT,
    "/identity/v2/auth/pin/reset/securityanswer/phone",
    ApiKey
);
endpoint!(
    CHANGE,
    "pin.change",
    PUT,
    "/identity/v2/auth/pin/change",
    Bearer
);
endpoint!(
    RESET_BY_PHONE_OTP,
    "pin.reset_by_phone_and_otp",
    PUT,
    "/identity/v2/auth/pin/reset/otp/phone",
    ApiKey
);
endpoint!(
    RESET_BY_EMAIL_OTP,
    "pin.reset_by_email_and_otp",
    PUT,
    "/identity/v2/auth/pin/reset/otp/email",
    ApiKey
);
endpoint!(
    RESET_BY_USERNAME_OTP,
    "pin.reset_by_username_and_otp",
    PUT,
    "/identity/v2/auth/pin/reset/otp/username",
    ApiKey
);
endpoint!(
    SET_BY_AUTH_TOKEN,
    "pin.set_with_auth_token",
    POST,
    "/identity/v2/auth/pin/set/pinauthtoken",
    ApiKey
);
endpoint!(
    INVALIDATE_SESSION,
    "pin.invalidate_session_token",
    GET,
    "/identity/v2/auth/session_token/invalidate",
    ApiKey
);

group_handle! {
    /// PIN authentication, from [`LoginRadius::pin`](crate::LoginRadius::pin).
    ///
    /// A password login on a PIN site answers with a `session_token` (PIN already set) or a
    /// `pinAuthToken` (PIN to set); either finishes here.
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, session_token: &str) -> Result<(), loginradius::Error> {
    /// let login = client.pin().login(session_token, "4321").await?;
    /// client.pin().change(login.access_token.expose(), "4321", "8765").await?;
    /// client.pin().send_reset_email("jane@example.com").reset_pin_url("https://example.com/reset-pin").await?;
    /// # Ok(()) }
    /// ```
    Pin
}

request_builder! {
    /// A login finished with a PIN, or a PIN set with a PIN-auth token. From [`Pin::login`] and
    /// [`Pin::set_with_auth_token`].
    pub struct PinLogin -> LoginResponse;
}

request_builder! {
    /// Emails a reset-PIN link. From [`Pin::send_reset_email`] and
    /// [`Pin::send_reset_email_by_username`].
    pub struct SendPinResetEmail -> Posted;
    /// Email template name.
    fn email_template("emailTemplate": String);
    /// The page the reset-PIN link points to.
    fn reset_pin_url("resetPINUrl": String);
}

request_builder! {
    /// Texts a reset-PIN code and answers with the provider's message ids. From
    /// [`Pin::send_reset_otp`].
    pub struct SendPinResetOtp -> PostedWith<SmsResponse>;
    /// SMS template name.
    fn sms_template("smsTemplate": String);
    /// `true` to have the code read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// A PIN change or reset, or a PIN session token revoked, answered with
    /// `{"IsPosted": true}`. From the `reset_*` methods, [`Pin::change`] and
    /// [`Pin::invalidate_session_token`].
    pub struct PinPosted -> Posted;
}

/// Builds `{"QuestionId": "Answer", …}`, the map the PIN reset endpoints take.
fn answer_map(
    call: Call,
    answers: impl IntoIterator<Item = (impl Into<String>, impl Into<Secret>)>,
) -> (Call, Value) {
    let mut call = call;
    let mut map = Map::new();
    for (question, answer) in answers {
        let (question, answer) = (question.into(), answer.into());
        call = call
            .check("security_answers[].question_id", &question)
            .check("security_answers[].answer", answer.expose());
        map.insert(question, Value::String(answer.expose().to_owned()));
    }
    if map.is_empty() {
        call = call.invalid("security_answers", "must not be empty");
    }
    (call, Value::Object(map))
}

impl Pin<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Finishes a login with the user's PIN (`POST /identity/v2/auth/login/pin` with
    /// `{"pin"}`). `session_token` is the `session_token` of the password login; the service
    /// takes it in the query.
    pub fn login(&self, session_token: impl Into<Secret>, pin: impl Into<Secret>) -> PinLogin {
        let (session_token, pin) = (session_token.into(), pin.into());
        let call = self
            .call(&LOGIN)
            .query("session_token", "session_token", session_token.expose())
            .check("pin", pin.expose())
            .json(&json!({ "pin": pin.expose() }));
        PinLogin::from_call(call)
    }

    /// Emails a reset-PIN link to `email` (`POST /identity/v2/auth/pin/forgot/email`).
    pub fn send_reset_email(&self, email: &str) -> SendPinResetEmail {
        let call = self
            .call(&FORGOT_BY_EMAIL)
            .check("email", email)
            .json(&json!({ "email": email }));
        SendPinResetEmail::from_call(call)
    }

    /// Emails a reset-PIN link to the user named `username`
    /// (`POST /identity/v2/auth/pin/forgot/username`).
    pub fn send_reset_email_by_username(&self, username: &str) -> SendPinResetEmail {
        let call = self
            .call(&FORGOT_BY_USERNAME)
            .check("username", username)
            .json(&json!({ "userName": username }));
        SendPinResetEmail::from_call(call)
    }

    /// Texts a reset-PIN code to `phone` (`POST /identity/v2/auth/pin/forgot/otp`). Finish with
    /// [`Pin::reset_by_phone_and_otp`].
    pub fn send_reset_otp(&self, phone: &str) -> SendPinResetOtp {
        let call = self
            .call(&FORGOT_BY_PHONE)
            .check("phone", phone)
            .json(&json!({ "phone": phone }));
        SendPinResetOtp::from_call(call)
    }

    /// Sets a new PIN with the token from the reset-PIN email
    /// (`PUT /identity/v2/auth/pin/reset/token` with `{"pin", "resetToken"}`).
    pub fn reset_with_token(
        &self,
        reset_token: impl Into<Secret>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        let (reset_token, pin) = (reset_token.into(), pin.into());
        let call = self
            .call(&RESET_BY_TOKEN)
            .check("reset_token", reset_token.expose())
            .check("pin", pin.expose())
            .json(&json!({ "pin": pin.expose(), "resetToken": reset_token.expose() }));
        PinPosted::from_call(call)
    }

    /// Sets a new PIN by answering security questions, for the user with `email`
    /// (`PUT /identity/v2/auth/pin/reset/securityanswer/email` with
    /// `{"email", "pin", "securityAnswer": {"<question id>": "<answer>"}}`).
    pub fn reset_by_email_and_security_answers(
        &self,
        email: &str,
        answers: impl IntoIterator<Item = (impl Into<String>, impl Into<Secret>)>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        self.reset_with_answers(
            &RESET_BY_EMAIL_ANSWERS,
            ("email", "email"),
            email,
            answers,
            pin.into(),
        )
    }

    /// Sets a new PIN by answering security questions, for the user named `username`
    /// (`PUT /identity/v2/auth/pin/reset/securityanswer/username`).
    pub fn reset_by_username_and_security_answers(
        &self,
        username: &str,
        answers: impl IntoIterator<Item = (impl Into<String>, impl Into<Secret>)>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        self.reset_with_answers(
            &RESET_BY_USERNAME_ANSWERS,
            ("username", "username"),
            username,
            answers,
            pin.into(),
        )
    }

    /// Sets a new PIN by answering security questions, for the user with `phone`
    /// (`PUT /identity/v2/auth/pin/reset/securityanswer/phone`).
    pub fn reset_by_phone_and_security_answers(
        &self,
        phone: &str,
        answers: impl IntoIterator<Item = (impl Into<String>, impl Into<Secret>)>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        self.reset_with_answers(
            &RESET_BY_PHONE_ANSWERS,
            ("phone", "phone"),
            phone,
            answers,
            pin.into(),
        )
    }

    fn reset_with_answers(
        &self,
        endpoint: &'static Endpoint,
        (field, key): (&'static str, &'static str),
        who: &str,
        answers: impl IntoIterator<Item = (impl Into<String>, impl Into<Secret>)>,
        pin: Secret,
    ) -> PinPosted {
        let call = self
            .call(endpoint)
            .check(field, who)
            .check("pin", pin.expose());
        let (call, answers) = answer_map(call, answers);
        let mut body = Map::new();
        body.insert(key.to_owned(), Value::String(who.to_owned()));
        body.insert("pin".to_owned(), Value::String(pin.expose().to_owned()));
        body.insert("securityAnswer".to_owned(), answers);
        PinPosted::from_call(call.json(&body))
    }

    /// Changes the signed-in user's PIN (`PUT /identity/v2/auth/pin/change` with
    /// `{"oldPIN", "newPIN"}`).
    pub fn change(
        &self,
        access_token: impl Into<Secret>,
        old_pin: impl Into<Secret>,
        new_pin: impl Into<Secret>,
    ) -> PinPosted {
        let (old_pin, new_pin) = (old_pin.into(), new_pin.into());
        let call = self
            .call(&CHANGE)
            .token(access_token)
            .check("old_pin", old_pin.expose())
            .check("new_pin", new_pin.expose())
            .json(&json!({ "oldPIN": old_pin.expose(), "newPIN": new_pin.expose() }));
        PinPosted::from_call(call)
    }

    /// Sets a new PIN with the code texted by [`Pin::send_reset_otp`]
    /// (`PUT /identity/v2/auth/pin/reset/otp/phone` with `{"phone", "otp", "pin"}`).
    pub fn reset_by_phone_and_otp(
        &self,
        phone: &str,
        otp: impl Into<Secret>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        self.reset_with_otp(
            &RESET_BY_PHONE_OTP,
            ("phone", "phone"),
            phone,
            otp.into(),
            pin.into(),
        )
    }

    /// Sets a new PIN with an emailed code (`PUT /identity/v2/auth/pin/reset/otp/email` with
    /// `{"email", "otp", "pin"}`).
    pub fn reset_by_email_and_otp(
        &self,
        email: &str,
        otp: impl Into<Secret>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        self.reset_with_otp(
            &RESET_BY_EMAIL_OTP,
            ("email", "email"),
            email,
            otp.into(),
            pin.into(),
        )
    }

    /// Sets a new PIN with a one-time code, for the user named `username`
    /// (`PUT /identity/v2/auth/pin/reset/otp/username` with `{"username", "otp", "pin"}`).
    pub fn reset_by_username_and_otp(
        &self,
        username: &str,
        otp: impl Into<Secret>,
        pin: impl Into<Secret>,
    ) -> PinPosted {
        self.reset_with_otp(
            &RESET_BY_USERNAME_OTP,
            ("username", "username"),
            username,
            otp.into(),
            pin.into(),
        )
    }

    fn reset_with_otp(
        &self,
        endpoint: &'static Endpoint,
        (field, key): (&'static str, &'static str),
        who: &str,
        otp: Secret,
        pin: Secret,
    ) -> PinPosted {
        let mut body = Map::new();
        body.insert(key.to_owned(), Value::String(who.to_owned()));
        body.insert("otp".to_owned(), Value::String(otp.expose().to_owned()));
        body.insert("pin".to_owned(), Value::String(pin.expose().to_owned()));
        let call = self
            .call(endpoint)
            .check(field, who)
            .check("otp", otp.expose())
            .check("pin", pin.expose())
            .json(&body);
        PinPosted::from_call(call)
    }

    /// Sets the PIN of a user whose password login answered with a `pinAuthToken`, and signs
    /// them in (`POST /identity/v2/auth/pin/set/pinauthtoken` with `{"pin"}`; the service takes
    /// the token in the query).
    pub fn set_with_auth_token(
        &self,
        pin_auth_token: impl Into<Secret>,
        pin: impl Into<Secret>,
    ) -> PinLogin {
        let (pin_auth_token, pin) = (pin_auth_token.into(), pin.into());
        let call = self
            .call(&SET_BY_AUTH_TOKEN)
            .query("pinAuthToken", "pin_auth_token", pin_auth_token.expose())
            .check("pin", pin.expose())
            .json(&json!({ "pin": pin.expose() }));
        PinLogin::from_call(call)
    }

    /// Revokes a PIN session token (`GET /identity/v2/auth/session_token/invalidate`; the
    /// service takes the token in the query).
    pub fn invalidate_session_token(&self, session_token: impl Into<Secret>) -> PinPosted {
        let session_token = session_token.into();
        PinPosted::from_call(self.call(&INVALIDATE_SESSION).query(
            "session_token",
            "session_token",
            session_token.expose(),
        ))
    }
}
