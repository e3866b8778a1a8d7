//! Re-authentication (`ReAuthenticationApi`): step-up authentication of a signed-in user
//! before a sensitive action, and the server-side check of the token it produces.
//!
//! The flow: [`ReAuth::start`] (MFA settings, and an SMS code when configured), then one of
//! the `verify_*` calls, which answers with a `SecondFactorValidationToken`; the server checks
//! that token with [`ReAuth::validate_otp_token`], [`ReAuth::validate_password_token`] or
//! [`ReAuth::validate_pin_token`] (these need the API secret).

use serde_json::json;

use crate::Secret;
use crate::models::{MfaSettings, Posted, ReauthToken, SecurityAnswer, Validation};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    START,
    "reauth.start",
    GET,
    "/identity/v2/auth/account/reauth/2fa",
    Bearer
);
endpoint!(
    VERIFY_OTP,
    "reauth.verify_otp",
    PUT,
    "/identity/v2/auth/account/reauth/2fa/otp",
    Bearer
);
endpoint!(
    VERIFY_BACKUP_CODE,
    "reauth.verify_backup_code",
    PUT,
    "/identity/v2/auth/account/reauth/2fa/backupcode",
    Bearer
);
endpoint!(
    VERIFY_PASSWORD,
    "reauth.verify_password",
    PUT,
    "/identity/v2/auth/account/reauth/password",
    Bearer
);
endpoint!(
    VALIDATE_OTP_TOKEN,
    "reauth.validate_otp_token",
    POST,
    "/identity/v2/manage/account/{uid}/reauth/2fa",
    Manage
);
endpoint!(
    VALIDATE_PASSWORD_TOKEN,
    "reauth.validate_password_token",
    POST,
    "/identity/v2/manage/account/{uid}/reauth/password",
    Manage
);
endpoint!(
    VALIDATE_PIN_TOKEN,
    "reauth.validate_pin_token",
    POST,
    "/identity/v2/manage/account/{uid}/reauth/pin",
    Manage
);
endpoint!(
    VERIFY_PIN,
    "reauth.verify_pin",
    PUT,
    "/identity/v2/auth/account/reauth/pin",
    Bearer
);
endpoint!(
    VERIFY_EMAIL_OTP,
    "reauth.verify_email_otp",
    PUT,
    "/identity/v2/auth/account/reauth/2fa/otp/email/verify",
    Bearer
);
endpoint!(
    SEND_EMAIL_OTP,
    "reauth.send_email_otp",
    GET,
    "/identity/v2/auth/account/reauth/2fa/otp/email",
    Bearer
);
endpoint!(
    VERIFY_SECURITY_ANSWERS,
    "reauth.verify_security_answers",
    POST,
    "/identity/v2/auth/account/reauth/2fa/securityquestionanswer/verify",
    Bearer
);
endpoint!(
    VERIFY_AUTHENTICATOR_CODE,
    "reauth.verify_authenticator_code",
    PUT,
    "/identity/v2/auth/account/reauth/2fa/authenticatorcode",
    Bearer
);

group_handle! {
    /// Re-authentication, from [`LoginRadius::reauth`](crate::LoginRadius::reauth).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, access_token: &str, uid: &str) -> Result<(), loginradius::Error> {
    /// // In the browser-facing handler: the user types their password again.
    /// let step_up = client.reauth().verify_password(access_token, "correct horse").await?;
    /// // Before the sensitive action, on the server:
    /// let check = client.reauth().validate_password_token(uid, step_up.token).await?;
    /// assert!(check.is_valid);
    /// # Ok(()) }
    /// ```
    ReAuth
}

request_builder! {
    /// Starts a step-up MFA flow for the signed-in user. From [`ReAuth::start`].
    ///
    /// Answers with the user's MFA settings (`IsAuthenticatorVerified`, `OTPPhoneNo`,
    /// `OTPStatus`…), as the official SDKs type it.
    pub struct StartReauth -> MfaSettings;
    /// SMS template for the code texted to the user's MFA phone.
    fn sms_template_2fa("smsTemplate2FA": String);
    /// `true` to have the code read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Completes a step-up authentication. From the `verify_*` methods of [`ReAuth`].
    ///
    /// Answers `{"SecondFactorValidationToken": "…", "ExpireIn": "…"}`: pass the token to the
    /// server-side check.
    pub struct VerifyReauth -> ReauthToken;
}

request_builder! {
    /// Completes a step-up authentication with the password or the PIN. From
    /// [`ReAuth::verify_password`] and [`ReAuth::verify_pin`]. Answers as [`VerifyReauth`] does.
    pub struct VerifyReauthWithTemplate -> ReauthToken;
    /// SMS template name.
    fn sms_template_2fa("smsTemplate2FA": String);
}

request_builder! {
    /// Emails the step-up code. From [`ReAuth::send_email_otp`].
    pub struct SendReauthEmailOtp -> Posted;
    /// Email template name.
    fn email_template_2fa("emailTemplate2FA": String);
}

request_builder! {
    /// Server-side check of a step-up token (`{"IsValid": …}`). From
    /// [`ReAuth::validate_otp_token`], [`ReAuth::validate_password_token`] and
    /// [`ReAuth::validate_pin_token`].
    pub struct ValidateReauthToken -> Validation;
}

impl ReAuth<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    fn with_body(
        &self,
        endpoint: &'static Endpoint,
        access_token: impl Into<Secret>,
        key: &'static str,
        value: &Secret,
    ) -> Call {
        self.call(endpoint)
            .token(access_token)
            .check(key, value.expose())
            .json(&json!({ key: value.expose() }))
    }

    /// Starts a step-up MFA flow for the signed-in user
    /// (`GET /identity/v2/auth/account/reauth/2fa`).
    pub fn start(&self, access_token: impl Into<Secret>) -> StartReauth {
        StartReauth::from_call(self.call(&START).token(access_token))
    }

    /// Completes a step-up with the code texted to the user
    /// (`PUT /identity/v2/auth/account/reauth/2fa/otp` with `{"otp"}`).
    pub fn verify_otp(
        &self,
        access_token: impl Into<Secret>,
        otp: impl Into<Secret>,
    ) -> VerifyReauth {
        VerifyReauth::from_call(self.with_body(&VERIFY_OTP, access_token, "otp", &otp.into()))
    }

    /// Completes a step-up with a backup code
    /// (`PUT /identity/v2/auth/account/reauth/2fa/backupcode` with `{"backupcode"}`).
    pub fn verify_backup_code(
        &self,
        access_token: impl Into<Secret>,
        backup_code: impl Into<Secret>,
    ) -> VerifyReauth {
        VerifyReauth::from_call(self.with_body(
            &VERIFY_BACKUP_CODE,
            access_token,
            "backupcode",
            &backup_code.into(),
        ))
    }

    /// Completes a step-up with the account password
    /// (`PUT /identity/v2/auth/account/reauth/password` with `{"password"}`).
    pub fn verify_password(
        &self,
        access_token: impl Into<Secret>,
        password: impl Into<Secret>,
    ) -> VerifyReauthWithTemplate {
        VerifyReauthWithTemplate::from_call(self.with_body(
            &VERIFY_PASSWORD,
            access_token,
            "password",
            &password.into(),
        ))
    }

    /// Completes a step-up with the user's PIN
    /// (`PUT /identity/v2/auth/account/reauth/pin` with `{"pin"}`).
    pub fn verify_pin(
        &self,
        access_token: impl Into<Secret>,
        pin: impl Into<Secret>,
    ) -> VerifyReauthWithTemplate {
        VerifyReauthWithTemplate::from_call(self.with_body(
            &VERIFY_PIN,
            access_token,
            "pin",
            &pin.into(),
        ))
    }

    /// Completes a step-up with the code emailed by [`ReAuth::send_email_otp`]
    /// (`PUT /identity/v2/auth/account/reauth/2fa/otp/email/verify` with `{"EmailId", "Otp"}`).
    pub fn verify_email_otp(
        &self,
        access_token: impl Into<Secret>,
        email: &str,
        otp: impl Into<Secret>,
    ) -> VerifyReauth {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_EMAIL_OTP)
            .token(access_token)
            .check("email", email)
            .check("otp", otp.expose())
            .json(&json!({ "EmailId": email, "Otp": otp.expose() }));
        VerifyReauth::from_call(call)
    }

    /// Emails a step-up code to `email`, one of the user's addresses
    /// (`GET /identity/v2/auth/account/reauth/2fa/otp/email?emailId=`).
    pub fn send_email_otp(
        &self,
        access_token: impl Into<Secret>,
        email: &str,
    ) -> SendReauthEmailOtp {
        SendReauthEmailOtp::from_call(
            self.call(&SEND_EMAIL_OTP)
                .token(access_token)
                .query("emailId", "email", email),
        )
    }

    /// Completes a step-up by answering security questions
    /// (`POST /identity/v2/auth/account/reauth/2fa/securityquestionanswer/verify` with
    /// `{"securityquestionanswer": [{"QuestionId", "Answer"}]}`). An empty list or a blank
    /// answer is refused before any request.
    pub fn verify_security_answers(
        &self,
        access_token: impl Into<Secret>,
        answers: impl IntoIterator<Item = SecurityAnswer>,
    ) -> VerifyReauth {
        let answers: Vec<SecurityAnswer> = answers.into_iter().collect();
        let mut call = self.call(&VERIFY_SECURITY_ANSWERS).token(access_token);
        if answers.is_empty() {
            call = call.invalid("answers", "must not be empty");
        }
        for answer in &answers {
            call = call
                .check("answers[].question_id", &answer.question_id)
                .check("answers[].answer", answer.answer.expose());
        }
        #[derive(serde::Serialize)]
        struct Body<'a> {
            securityquestionanswer: &'a [SecurityAnswer],
        }
        VerifyReauth::from_call(call.json(&Body {
            securityquestionanswer: &answers,
        }))
    }

    /// Completes a step-up with a code from the user's authenticator app
    /// (`PUT /identity/v2/auth/account/reauth/2fa/authenticatorcode` with `{"authenticatorcode"}`).
    pub fn verify_authenticator_code(
        &self,
        access_token: impl Into<Secret>,
        code: impl Into<Secret>,
    ) -> VerifyReauth {
        VerifyReauth::from_call(self.with_body(
            &VERIFY_AUTHENTICATOR_CODE,
            access_token,
            "authenticatorcode",
            &code.into(),
        ))
    }

    /// Server side: checks a step-up token produced by an OTP (SMS, email, authenticator,
    /// backup code or security question) re-authentication of `uid`
    /// (`POST /identity/v2/manage/account/{uid}/reauth/2fa`). Needs the API secret.
    pub fn validate_otp_token(
        &self,
        uid: &str,
        validation_token: impl Into<Secret>,
    ) -> ValidateReauthToken {
        self.validate(&VALIDATE_OTP_TOKEN, uid, validation_token.into())
    }

    /// Server side: checks a step-up token produced by [`ReAuth::verify_password`]
    /// (`POST /identity/v2/manage/account/{uid}/reauth/password`). Needs the API secret.
    pub fn validate_password_token(
        &self,
        uid: &str,
        validation_token: impl Into<Secret>,
    ) -> ValidateReauthToken {
        self.validate(&VALIDATE_PASSWORD_TOKEN, uid, validation_token.into())
    }

    /// Server side: checks a step-up token produced by [`ReAuth::verify_pin`]
    /// (`POST /identity/v2/manage/account/{uid}/reauth/pin`). Needs the API secret.
    pub fn validate_pin_token(
        &self,
        uid: &str,
        validation_token: impl Into<Secret>,
    ) -> ValidateReauthToken {
        self.validate(&VALIDATE_PIN_TOKEN, uid, validation_token.into())
    }

    fn validate(
        &self,
        endpoint: &'static Endpoint,
        uid: &str,
        token: Secret,
    ) -> ValidateReauthToken {
        let call = self
            .call(endpoint)
            .segment("uid", uid)
            .check("validation_token", token.expose())
            .json(&json!({ "SecondFactorValidationToken": token.expose() }));
        ValidateReauthToken::from_call(call)
    }
}
