//! Multi-factor authentication (`MultiFactorAuthenticationApi`).
//!
//! - **Login**: [`Mfa::login_by_email`] (or by username or phone) answers with a
//!   [`MfaLoginOutcome`]: the user is signed in, or a [`SecondFactorChallenge`] carries an MFA
//!   token. Finish with one `verify_*` call taking that token: authenticator code, SMS code,
//!   email code, backup code or security answers.
//! - **Signed-in user** (Bearer token): read the MFA settings, enable a factor, reset one, get
//!   backup codes.
//! - **Admin** (API secret): reset a user's factors and get their backup codes (`*_for_user`).
//!
//! The MFA token travels in the query string (`secondFactorAuthenticationToken`), where the
//! service requires it; it is never logged by this client.
//!
//! [`SecondFactorChallenge`]: crate::models::SecondFactorChallenge

use serde_json::json;

use crate::Secret;
use crate::models::{
    BackupCodes, Deleted, LoginResponse, MfaLoginOutcome, MfaSettings, Posted, Profile,
    SecurityAnswer, SmsResponse,
};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    SETTINGS,
    "mfa.settings",
    GET,
    "/identity/v2/auth/account/2fa",
    Bearer
);
endpoint!(
    ENABLE_SMS_OTP,
    "mfa.enable_sms_otp",
    PUT,
    "/identity/v2/auth/account/2fa/verification/otp",
    Bearer
);
endpoint!(
    SET_SMS_PHONE,
    "mfa.set_sms_phone",
    PUT,
    "/identity/v2/auth/account/2fa",
    Bearer
);
endpoint!(
    RESET_AUTHENTICATOR,
    "mfa.reset_authenticator",
    DELETE,
    "/identity/v2/auth/account/2fa/authenticator",
    Bearer
);
endpoint!(
    RESET_SMS_OTP,
    "mfa.reset_sms_otp",
    DELETE,
    "/identity/v2/auth/account/2fa/authenticator",
    Bearer
);
endpoint!(
    BACKUP_CODES,
    "mfa.backup_codes",
    GET,
    "/identity/v2/auth/account/2fa/backupcode",
    Bearer
);
endpoint!(
    RESET_BACKUP_CODES,
    "mfa.reset_backup_codes",
    GET,
    "/identity/v2/auth/account/2fa/backupcode/reset",
    Bearer
);
endpoint!(
    SEND_SETUP_EMAIL_OTP,
    "mfa.send_setup_email_otp",
    GET,
    "/identity/v2/auth/account/2fa/otp/email",
    Bearer
);
endpoint!(
    ENABLE_EMAIL_OTP,
    "mfa.enable_email_otp",
    PUT,
    "/identity/v2/auth/account/2fa/verification/otp/email",
    Bearer
);
endpoint!(
    RESET_EMAIL_OTP,
    "mfa.reset_email_otp",
    DELETE,
    "/identity/v2/auth/account/2fa/authenticator/otp/email",
    Bearer
);
endpoint!(
    ENABLE_SECURITY_QUESTIONS,
    "mfa.enable_security_questions",
    PUT,
    "/identity/v2/auth/account/2fa/securityquestionanswer",
    Bearer
);
endpoint!(
    RESET_SECURITY_QUESTIONS,
    "mfa.reset_security_questions",
    DELETE,
    "/identity/v2/auth/account/2fa/authenticator/securityquestionanswer",
    Bearer
);
endpoint!(
    ENABLE_AUTHENTICATOR,
    "mfa.enable_authenticator",
    PUT,
    "/identity/v2/auth/account/2fa/verification/authenticatorcode",
    Bearer
);

endpoint!(
    LOGIN_BY_EMAIL,
    "mfa.login_by_email",
    POST,
    "/identity/v2/auth/login/2fa",
    ApiKey
);
endpoint!(
    LOGIN_BY_USERNAME,
    "mfa.login_by_username",
    POST,
    "/identity/v2/auth/login/2fa",
    ApiKey
);
endpoint!(
    LOGIN_BY_PHONE,
    "mfa.login_by_phone",
    POST,
    "/identity/v2/auth/login/2fa",
    ApiKey
);
endpoint!(
    VERIFY_SMS_OTP,
    "mfa.verify_sms_otp",
    PUT,
    "/identity/v2/auth/login/2fa/verification/otp",
    ApiKey
);
endpoint!(
    VERIFY_BACKUP_CODE,
    "mfa.verify_backup_code",
    PUT,
    "/identity/v2/auth/login/2fa/verification/backupcode",
    ApiKey
);
endpoint!(
    SET_LOGIN_SMS_PHONE,
    "mfa.set_login_sms_phone",
    PUT,
    "/identity/v2/auth/login/2fa",
    ApiKey
);
endpoint!(
    RESEND_SMS_OTP,
    "mfa.resend_sms_otp",
    GET,
    "/identity/v2/auth/login/2fa/resend",
    ApiKey
);
endpoint!(
    SEND_EMAIL_OTP,
    "mfa.send_email_otp",
    POST,
    "/identity/v2/auth/login/2fa/otp/email",
    ApiKey
);
endpoint!(
    VERIFY_EMAIL_OTP,
    "mfa.verify_email_otp",
    PUT,
    "/identity/v2/auth/login/2fa/verification/otp/email",
    ApiKey
);
endpoint!(
    SET_SECURITY_ANSWERS,
    "mfa.set_security_answers",
    PUT,
    "/identity/v2/auth/login/2fa/securityquestionanswer",
    ApiKey
);
endpoint!(
    VERIFY_SECURITY_ANSWERS,
    "mfa.verify_security_answers",
    POST,
    "/identity/v2/auth/login/2fa/verification/securityquestionanswer",
    ApiKey
);
endpoint!(
    VERIFY_AUTHENTICATOR_CODE,
    "mfa.verify_authenticator_code",
    PUT,
    "/identity/v2/auth/login/2fa/verification/authenticatorcode",
    ApiKey
);

endpoint!(
    RESET_USER_SMS_OTP,
    "mfa.reset_sms_otp_for_user",
    DELETE,
    "/identity/v2/manage/account/2fa/authenticator",
    Manage
);
endpoint!(
    RESET_USER_AUTHENTICATOR,
    "mfa.reset_authenticator_for_user",
    DELETE,
    "/identity/v2/manage/account/2fa/authenticator",
    Manage
);
endpoint!(
    USER_BACKUP_CODES,
    "mfa.backup_codes_for_user",
    GET,
    "/identity/v2/manage/account/2fa/backupcode",
    Manage
);
endpoint!(
    RESET_USER_BACKUP_CODES,
    "mfa.reset_backup_codes_for_user",
    GET,
    "/identity/v2/manage/account/2fa/backupcode/reset",
    Manage
);
endpoint!(
    RESET_USER_EMAIL_OTP,
    "mfa.reset_email_otp_for_user",
    DELETE,
    "/identity/v2/manage/account/2fa/authenticator/otp/email",
    Manage
);
endpoint!(
    RESET_USER_SECURITY_QUESTIONS,
    "mfa.reset_security_questions_for_user",
    DELETE,
    "/identity/v2/manage/account/2fa/authenticator/securityquestionanswer",
    Manage
);

/// Query name of the MFA token on most second-step endpoints.
const MFA_TOKEN: &str = "secondFactorAuthenticationToken";

group_handle! {
    /// Multi-factor authentication, from [`LoginRadius::mfa`](crate::LoginRadius::mfa).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, read_code: impl Fn() -> String) -> Result<(), loginradius::Error> {
    /// use loginradius::models::MfaLoginOutcome;
    /// let login = match client.mfa().login_by_email("jane@example.com", "correct horse").await? {
    ///     MfaLoginOutcome::Complete(login) => login,
    ///     MfaLoginOutcome::Challenge(challenge) => {
    ///         if let Some(uri) = challenge.settings.otpauth_uri() {
    ///             // First login: show `uri` as a QR code so the user can add the account.
    /// #           drop(uri);
    ///         }
    ///         client.mfa().verify_authenticator_code(challenge.token, read_code()).await?
    ///     }
    /// };
    /// let codes = client.mfa().backup_codes(login.access_token.expose()).await?;
    /// # drop(codes);
    /// # Ok(()) }
    /// ```
    Mfa
}

request_builder! {
    /// Starts an MFA login by email or phone. From [`Mfa::login_by_email`] and
    /// [`Mfa::login_by_phone`].
    pub struct MfaLogin -> MfaLoginOutcome;
    /// Email template for the verification email sent when the address is not yet verified.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// The login page URL used in emails.
    fn login_url("loginUrl": String);
    /// Template of the text sent when the phone is not yet verified.
    fn sms_template("smsTemplate": String);
    /// Template of the text carrying the second-factor code.
    fn sms_template_2fa("smsTemplate2FA": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// Template of the email carrying the second-factor code.
    fn email_template_2fa("emailTemplate2FA": String);
    /// With `true`, the second-factor code is read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
    /// `PreventVerificationEmail` stops the verification email (optional verification flow).
    fn options("options": String);
}

request_builder! {
    /// Starts an MFA login by username. From [`Mfa::login_by_username`].
    pub struct MfaLoginByUsername -> MfaLoginOutcome;
    /// Email template for the verification email sent when the address is not yet verified.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// The login page URL used in emails.
    fn login_url("loginUrl": String);
    /// Template of the text sent when the phone is not yet verified.
    fn sms_template("smsTemplate": String);
    /// Template of the text carrying the second-factor code.
    fn sms_template_2fa("smsTemplate2FA": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// Template of the email carrying the second-factor code.
    fn email_template_2fa("emailTemplate2FA": String);
    /// With `true`, the second-factor code is read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Finishes an MFA login with an authenticator-app code. From
    /// [`Mfa::verify_authenticator_code`].
    pub struct VerifyAuthenticatorCode -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

request_builder! {
    /// Finishes an MFA login with an SMS code. From [`Mfa::verify_sms_otp`].
    pub struct VerifySmsOtp -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// Risk-based authentication: template of the new-browser email.
    fn rba_browser_email_template("rbaBrowserEmailTemplate": String);
    /// Risk-based authentication: template of the new-city email.
    fn rba_city_email_template("rbaCityEmailTemplate": String);
    /// Risk-based authentication: template of the new-country email.
    fn rba_country_email_template("rbaCountryEmailTemplate": String);
    /// Risk-based authentication: template of the new-IP email.
    fn rba_ip_email_template("rbaIpEmailTemplate": String);
    /// Template of the text carrying the second-factor code.
    fn sms_template_2fa("smsTemplate2FA": String);
}

request_builder! {
    /// Finishes an MFA login with a backup code. From [`Mfa::verify_backup_code`].
    pub struct VerifyBackupCode -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// Risk-based authentication: template of the new-browser email.
    fn rba_browser_email_template("rbaBrowserEmailTemplate": String);
    /// Risk-based authentication: template of the new-city email.
    fn rba_city_email_template("rbaCityEmailTemplate": String);
    /// Risk-based authentication: template of the new-country email.
    fn rba_country_email_template("rbaCountryEmailTemplate": String);
    /// Risk-based authentication: template of the new-IP email.
    fn rba_ip_email_template("rbaIpEmailTemplate": String);
}

request_builder! {
    /// Finishes an MFA login with an email code or security answers. From
    /// [`Mfa::verify_email_otp`] and [`Mfa::verify_security_answers`].
    pub struct VerifySecondFactor -> LoginResponse;
    /// Risk-based authentication: template of the new-browser email.
    fn rba_browser_email_template("rbaBrowserEmailTemplate": String);
    /// Risk-based authentication: template of the new-city email.
    fn rba_city_email_template("rbaCityEmailTemplate": String);
    /// Risk-based authentication: template of the new-country email.
    fn rba_country_email_template("rbaCountryEmailTemplate": String);
    /// Risk-based authentication: template of the new-IP email.
    fn rba_ip_email_template("rbaIpEmailTemplate": String);
}

request_builder! {
    /// Sets the security answers during an MFA login and signs the user in. From
    /// [`Mfa::set_security_answers`]. The answer is typed as in the Java SDK
    /// (`AccessToken<UserProfile>`).
    pub struct SetSecurityAnswers -> LoginResponse;
}

request_builder! {
    /// Sets the phone number that receives second-factor codes; a code is sent to it. From
    /// [`Mfa::set_sms_phone`] and [`Mfa::set_login_sms_phone`].
    pub struct SetSmsPhone -> SmsResponse;
    /// Template of the text carrying the code.
    fn sms_template_2fa("smsTemplate2FA": String);
    /// With `true`, the code is read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
    /// `PreventVerificationEmail` stops the verification email (optional verification flow).
    fn options("options": String);
}

request_builder! {
    /// Sends the SMS code of an MFA login again. From [`Mfa::resend_sms_otp`].
    pub struct ResendSmsOtp -> SmsResponse;
    /// Template of the text carrying the code.
    fn sms_template_2fa("smsTemplate2FA": String);
    /// With `true`, the code is read out in a voice call instead of a text.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Emails a second-factor code. From [`Mfa::send_email_otp`] and
    /// [`Mfa::send_setup_email_otp`].
    pub struct SendEmailOtp -> Posted;
    /// Template of the email carrying the code.
    fn email_template_2fa("emailTemplate2FA": String);
}

request_builder! {
    /// Reads the MFA settings of the signed-in user. From [`Mfa::settings`].
    pub struct GetMfaSettings -> MfaSettings;
    /// With `true`, codes sent by this call are read out in a voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Enables a factor for the signed-in user by checking a code; answers with the profile.
    /// From [`Mfa::enable_authenticator`] and [`Mfa::enable_sms_otp`].
    pub struct EnableFactor -> Profile;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

request_builder! {
    /// Enables email codes for the signed-in user; answers with the profile. From
    /// [`Mfa::enable_email_otp`].
    pub struct EnableEmailOtp -> Profile;
}

request_builder! {
    /// Sets up security questions for the signed-in user. From
    /// [`Mfa::enable_security_questions`].
    pub struct EnableSecurityQuestions -> Posted;
}

request_builder! {
    /// Removes a factor, answered with `{"IsDeleted": …}`. From the `reset_*` calls.
    pub struct ResetFactor -> Deleted;
}

request_builder! {
    /// Reads or regenerates backup codes. From [`Mfa::backup_codes`],
    /// [`Mfa::reset_backup_codes`] and their `_for_user` forms.
    pub struct BackupCodesRequest -> BackupCodes;
}

fn answers_json(answers: &[SecurityAnswer]) -> serde_json::Value {
    serde_json::to_value(answers).unwrap_or_default()
}

fn check_answers(mut call: Call, answers: &[SecurityAnswer]) -> Call {
    if answers.is_empty() {
        return call.invalid("answers", "must not be empty");
    }
    for a in answers {
        call = call
            .check("answers[].question_id", &a.question_id)
            .check("answers[].answer", a.answer.expose());
    }
    call
}

impl Mfa<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// A second-step call: the MFA token in the query under `name`.
    fn second_step(
        &self,
        endpoint: &'static Endpoint,
        name: &'static str,
        mfa_token: Secret,
    ) -> Call {
        self.call(endpoint)
            .query(name, "mfa_token", mfa_token.expose())
    }

    fn login(
        &self,
        endpoint: &'static Endpoint,
        id_key: &'static str,
        id: &str,
        password: Secret,
    ) -> Call {
        self.call(endpoint)
            .check(id_key, id)
            .check("password", password.expose())
            .json(&json!({ id_key: id, "password": password.expose() }))
    }

    // ---- login -------------------------------------------------------------------------

    /// Starts a login with email and password on an MFA site
    /// (`POST /identity/v2/auth/login/2fa`): the user is signed in, or a second factor is
    /// required ([`MfaLoginOutcome::Challenge`]).
    pub fn login_by_email(&self, email: &str, password: impl Into<Secret>) -> MfaLogin {
        MfaLogin::from_call(self.login(&LOGIN_BY_EMAIL, "email", email, password.into()))
    }

    /// Starts a login with username and password on an MFA site
    /// (`POST /identity/v2/auth/login/2fa`).
    pub fn login_by_username(
        &self,
        username: &str,
        password: impl Into<Secret>,
    ) -> MfaLoginByUsername {
        MfaLoginByUsername::from_call(self.login(
            &LOGIN_BY_USERNAME,
            "username",
            username,
            password.into(),
        ))
    }

    /// Starts a login with phone number and password on an MFA site
    /// (`POST /identity/v2/auth/login/2fa`).
    pub fn login_by_phone(&self, phone: &str, password: impl Into<Secret>) -> MfaLogin {
        MfaLogin::from_call(self.login(&LOGIN_BY_PHONE, "phone", phone, password.into()))
    }

    /// Finishes an MFA login with the 6-digit code of the authenticator app
    /// (`PUT /identity/v2/auth/login/2fa/verification/authenticatorcode`). A wrong code is
    /// error 1102; an expired MFA token 1104.
    pub fn verify_authenticator_code(
        &self,
        mfa_token: impl Into<Secret>,
        code: impl Into<Secret>,
    ) -> VerifyAuthenticatorCode {
        let code = code.into();
        let call = self
            .second_step(
                &VERIFY_AUTHENTICATOR_CODE,
                "secondfactorauthenticationtoken",
                mfa_token.into(),
            )
            .check("code", code.expose())
            .json(&json!({ "authenticatorcode": code.expose() }));
        VerifyAuthenticatorCode::from_call(call)
    }

    /// Finishes an MFA login with the code sent by text
    /// (`PUT /identity/v2/auth/login/2fa/verification/otp`).
    pub fn verify_sms_otp(
        &self,
        mfa_token: impl Into<Secret>,
        otp: impl Into<Secret>,
    ) -> VerifySmsOtp {
        let otp = otp.into();
        let call = self
            .second_step(&VERIFY_SMS_OTP, MFA_TOKEN, mfa_token.into())
            .check("otp", otp.expose())
            .json(&json!({ "otp": otp.expose() }));
        VerifySmsOtp::from_call(call)
    }

    /// Finishes an MFA login with a backup code, when no second factor is at hand
    /// (`PUT /identity/v2/auth/login/2fa/verification/backupcode`). Each code works once.
    pub fn verify_backup_code(
        &self,
        mfa_token: impl Into<Secret>,
        backup_code: impl Into<Secret>,
    ) -> VerifyBackupCode {
        let code = backup_code.into();
        let call = self
            .second_step(&VERIFY_BACKUP_CODE, MFA_TOKEN, mfa_token.into())
            .check("backup_code", code.expose())
            .json(&json!({ "backupcode": code.expose() }));
        VerifyBackupCode::from_call(call)
    }

    /// During an MFA login, sets the phone number that receives the SMS code, and sends one
    /// (`PUT /identity/v2/auth/login/2fa`).
    pub fn set_login_sms_phone(&self, mfa_token: impl Into<Secret>, phone: &str) -> SetSmsPhone {
        let call = self
            .second_step(&SET_LOGIN_SMS_PHONE, MFA_TOKEN, mfa_token.into())
            .check("phone", phone)
            .json(&json!({ "phoneNo2FA": phone }));
        SetSmsPhone::from_call(call)
    }

    /// During an MFA login, sends the SMS code again (`GET /identity/v2/auth/login/2fa/resend`).
    pub fn resend_sms_otp(&self, mfa_token: impl Into<Secret>) -> ResendSmsOtp {
        ResendSmsOtp::from_call(self.second_step(&RESEND_SMS_OTP, MFA_TOKEN, mfa_token.into()))
    }

    /// During an MFA login, emails a code to one of the user's addresses
    /// (`POST /identity/v2/auth/login/2fa/otp/email`).
    pub fn send_email_otp(&self, mfa_token: impl Into<Secret>, email: &str) -> SendEmailOtp {
        let call = self
            .second_step(&SEND_EMAIL_OTP, MFA_TOKEN, mfa_token.into())
            .check("email", email)
            .json(&json!({ "emailid": email }));
        SendEmailOtp::from_call(call)
    }

    /// Finishes an MFA login with the code sent by email
    /// (`PUT /identity/v2/auth/login/2fa/verification/otp/email`).
    pub fn verify_email_otp(
        &self,
        mfa_token: impl Into<Secret>,
        email: &str,
        otp: impl Into<Secret>,
    ) -> VerifySecondFactor {
        let otp = otp.into();
        let call = self
            .second_step(&VERIFY_EMAIL_OTP, MFA_TOKEN, mfa_token.into())
            .check("email", email)
            .check("otp", otp.expose())
            .json(&json!({ "emailid": email, "otp": otp.expose() }));
        VerifySecondFactor::from_call(call)
    }

    /// During an MFA login, sets the answers to security questions on the profile
    /// (`PUT /identity/v2/auth/login/2fa/securityquestionanswer`).
    pub fn set_security_answers(
        &self,
        mfa_token: impl Into<Secret>,
        answers: impl IntoIterator<Item = SecurityAnswer>,
    ) -> SetSecurityAnswers {
        let answers: Vec<SecurityAnswer> = answers.into_iter().collect();
        let call = check_answers(
            self.second_step(&SET_SECURITY_ANSWERS, MFA_TOKEN, mfa_token.into()),
            &answers,
        );
        SetSecurityAnswers::from_call(
            call.json(&json!({ "securityquestionanswer": answers_json(&answers) })),
        )
    }

    /// Finishes an MFA login by answering security questions
    /// (`POST /identity/v2/auth/login/2fa/verification/securityquestionanswer`).
    pub fn verify_security_answers(
        &self,
        mfa_token: impl Into<Secret>,
        answers: impl IntoIterator<Item = SecurityAnswer>,
    ) -> VerifySecondFactor {
        let answers: Vec<SecurityAnswer> = answers.into_iter().collect();
        let call = check_answers(
            self.second_step(&VERIFY_SECURITY_ANSWERS, MFA_TOKEN, mfa_token.into()),
            &answers,
        );
        VerifySecondFactor::from_call(
            call.json(&json!({ "securityquestionanswer": answers_json(&answers) })),
        )
    }

    // ---- signed-in user ----------------------------------------------------------------

    /// The MFA settings of the signed-in user, with the authenticator QR code while it is not
    /// set up (`GET /identity/v2/auth/account/2fa`).
    pub fn settings(&self, access_token: impl Into<Secret>) -> GetMfaSettings {
        GetMfaSettings::from_call(self.call(&SETTINGS).token(access_token))
    }

    /// Enables the authenticator app for the signed-in user by checking a code from it
    /// (`PUT /identity/v2/auth/account/2fa/verification/authenticatorcode`).
    pub fn enable_authenticator(
        &self,
        access_token: impl Into<Secret>,
        code: impl Into<Secret>,
    ) -> EnableFactor {
        let code = code.into();
        let call = self
            .call(&ENABLE_AUTHENTICATOR)
            .token(access_token)
            .check("code", code.expose())
            .json(&json!({ "authenticatorcode": code.expose() }));
        EnableFactor::from_call(call)
    }

    /// Enables SMS codes for the signed-in user by checking the code sent to their phone
    /// (`PUT /identity/v2/auth/account/2fa/verification/otp`).
    pub fn enable_sms_otp(
        &self,
        access_token: impl Into<Secret>,
        otp: impl Into<Secret>,
    ) -> EnableFactor {
        let otp = otp.into();
        let call = self
            .call(&ENABLE_SMS_OTP)
            .token(access_token)
            .check("otp", otp.expose())
            .json(&json!({ "otp": otp.expose() }));
        EnableFactor::from_call(call)
    }

    /// Sets the signed-in user's MFA phone number and sends a code to it
    /// (`PUT /identity/v2/auth/account/2fa`); confirm with [`enable_sms_otp`](Self::enable_sms_otp).
    pub fn set_sms_phone(&self, access_token: impl Into<Secret>, phone: &str) -> SetSmsPhone {
        let call = self
            .call(&SET_SMS_PHONE)
            .token(access_token)
            .check("phone", phone)
            .json(&json!({ "phoneNo2FA": phone }));
        SetSmsPhone::from_call(call)
    }

    /// Emails a code to the signed-in user, to set up email codes
    /// (`GET /identity/v2/auth/account/2fa/otp/email?emailId=`); confirm with
    /// [`enable_email_otp`](Self::enable_email_otp).
    pub fn send_setup_email_otp(
        &self,
        access_token: impl Into<Secret>,
        email: &str,
    ) -> SendEmailOtp {
        SendEmailOtp::from_call(
            self.call(&SEND_SETUP_EMAIL_OTP)
                .token(access_token)
                .query("emailId", "email", email),
        )
    }

    /// Enables email codes for the signed-in user by checking the emailed code
    /// (`PUT /identity/v2/auth/account/2fa/verification/otp/email`).
    pub fn enable_email_otp(
        &self,
        access_token: impl Into<Secret>,
        email: &str,
        otp: impl Into<Secret>,
    ) -> EnableEmailOtp {
        let otp = otp.into();
        let call = self
            .call(&ENABLE_EMAIL_OTP)
            .token(access_token)
            .check("email", email)
            .check("otp", otp.expose())
            .json(&json!({ "emailid": email, "otp": otp.expose() }));
        EnableEmailOtp::from_call(call)
    }

    /// Sets up security questions as a factor for the signed-in user
    /// (`PUT /identity/v2/auth/account/2fa/securityquestionanswer`). With `replace`, the new
    /// answers replace the existing ones.
    pub fn enable_security_questions(
        &self,
        access_token: impl Into<Secret>,
        answers: impl IntoIterator<Item = SecurityAnswer>,
        replace: bool,
    ) -> EnableSecurityQuestions {
        let answers: Vec<SecurityAnswer> = answers.into_iter().collect();
        let call = check_answers(
            self.call(&ENABLE_SECURITY_QUESTIONS).token(access_token),
            &answers,
        );
        EnableSecurityQuestions::from_call(call.json(&json!({
            "securityquestionanswer": answers_json(&answers),
            "ReplaceSecurityQuestionAnswer": replace,
        })))
    }

    /// Removes the signed-in user's authenticator app
    /// (`DELETE /identity/v2/auth/account/2fa/authenticator`, body `{"authenticator": true}`).
    pub fn reset_authenticator(&self, access_token: impl Into<Secret>) -> ResetFactor {
        ResetFactor::from_call(
            self.call(&RESET_AUTHENTICATOR)
                .token(access_token)
                .json(&json!({ "authenticator": true })),
        )
    }

    /// Removes the signed-in user's SMS codes
    /// (`DELETE /identity/v2/auth/account/2fa/authenticator`, body `{"otpauthenticator": true}`).
    pub fn reset_sms_otp(&self, access_token: impl Into<Secret>) -> ResetFactor {
        ResetFactor::from_call(
            self.call(&RESET_SMS_OTP)
                .token(access_token)
                .json(&json!({ "otpauthenticator": true })),
        )
    }

    /// Removes the signed-in user's email codes
    /// (`DELETE /identity/v2/auth/account/2fa/authenticator/otp/email`).
    pub fn reset_email_otp(&self, access_token: impl Into<Secret>) -> ResetFactor {
        ResetFactor::from_call(self.call(&RESET_EMAIL_OTP).token(access_token))
    }

    /// Removes the signed-in user's security questions
    /// (`DELETE /identity/v2/auth/account/2fa/authenticator/securityquestionanswer`).
    pub fn reset_security_questions(&self, access_token: impl Into<Secret>) -> ResetFactor {
        ResetFactor::from_call(self.call(&RESET_SECURITY_QUESTIONS).token(access_token))
    }

    /// The signed-in user's backup codes (`GET /identity/v2/auth/account/2fa/backupcode`).
    pub fn backup_codes(&self, access_token: impl Into<Secret>) -> BackupCodesRequest {
        BackupCodesRequest::from_call(self.call(&BACKUP_CODES).token(access_token))
    }

    /// Replaces the signed-in user's backup codes with ten new ones
    /// (`GET /identity/v2/auth/account/2fa/backupcode/reset`).
    pub fn reset_backup_codes(&self, access_token: impl Into<Secret>) -> BackupCodesRequest {
        BackupCodesRequest::from_call(self.call(&RESET_BACKUP_CODES).token(access_token))
    }

    // ---- admin (API secret) ------------------------------------------------------------

    /// Removes a user's authenticator app
    /// (`DELETE /identity/v2/manage/account/2fa/authenticator?uid=`).
    pub fn reset_authenticator_for_user(&self, uid: &str) -> ResetFactor {
        ResetFactor::from_call(
            self.call(&RESET_USER_AUTHENTICATOR)
                .query("uid", "uid", uid)
                .json(&json!({ "authenticator": true })),
        )
    }

    /// Removes a user's SMS codes (`DELETE /identity/v2/manage/account/2fa/authenticator?uid=`).
    pub fn reset_sms_otp_for_user(&self, uid: &str) -> ResetFactor {
        ResetFactor::from_call(
            self.call(&RESET_USER_SMS_OTP)
                .query("uid", "uid", uid)
                .json(&json!({ "otpauthenticator": true })),
        )
    }

    /// Removes a user's email codes
    /// (`DELETE /identity/v2/manage/account/2fa/authenticator/otp/email?uid=`).
    pub fn reset_email_otp_for_user(&self, uid: &str) -> ResetFactor {
        ResetFactor::from_call(self.call(&RESET_USER_EMAIL_OTP).query("uid", "uid", uid))
    }

    /// Removes a user's security questions
    /// (`DELETE /identity/v2/manage/account/2fa/authenticator/securityquestionanswer?uid=`).
    pub fn reset_security_questions_for_user(&self, uid: &str) -> ResetFactor {
        ResetFactor::from_call(
            self.call(&RESET_USER_SECURITY_QUESTIONS)
                .query("uid", "uid", uid),
        )
    }

    /// A user's backup codes (`GET /identity/v2/manage/account/2fa/backupcode?uid=`).
    pub fn backup_codes_for_user(&self, uid: &str) -> BackupCodesRequest {
        BackupCodesRequest::from_call(self.call(&USER_BACKUP_CODES).query("uid", "uid", uid))
    }

    /// Replaces a user's backup codes with ten new ones
    /// (`GET /identity/v2/manage/account/2fa/backupcode/reset?uid=`).
    pub fn reset_backup_codes_for_user(&self, uid: &str) -> BackupCodesRequest {
        BackupCodesRequest::from_call(self.call(&RESET_USER_BACKUP_CODES).query("uid", "uid", uid))
    }
}
