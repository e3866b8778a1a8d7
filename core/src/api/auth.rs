//! Authentication (`AuthenticationApi`): login, registration, the profile by access token,
//! passwords and email verification. These calls need only the API key (and the user's token
//! where they act for a user).
//!
//! A few one-time tokens (email verification, account deletion) travel in the query string:
//! the service only accepts them there. Access tokens always travel in `Authorization: Bearer`.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::Secret;
use crate::models::{
    DeleteRequestAccepted, Deleted, EmailVerificationData, Exists, LoginResponse,
    PolicyAcceptances, Posted, PostedWith, Profile, ProfileUpdate, Registration, SecurityQuestion,
    TokenInfo, TokenResponse,
};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    LOGIN_BY_EMAIL,
    "auth.login_by_email",
    POST,
    "/identity/v2/auth/login",
    ApiKey
);
endpoint!(
    LOGIN_BY_USERNAME,
    "auth.login_by_username",
    POST,
    "/identity/v2/auth/login",
    ApiKey
);
endpoint!(
    PROFILE,
    "auth.profile",
    GET,
    "/identity/v2/auth/account",
    Bearer
);
endpoint!(
    QUESTIONS_BY_EMAIL,
    "auth.security_questions_by_email",
    GET,
    "/identity/v2/auth/securityquestion/email",
    ApiKey
);
endpoint!(
    QUESTIONS_BY_USERNAME,
    "auth.security_questions_by_username",
    GET,
    "/identity/v2/auth/securityquestion/username",
    ApiKey
);
endpoint!(
    QUESTIONS_BY_PHONE,
    "auth.security_questions_by_phone",
    GET,
    "/identity/v2/auth/securityquestion/phone",
    ApiKey
);
endpoint!(
    QUESTIONS_BY_TOKEN,
    "auth.security_questions",
    GET,
    "/identity/v2/auth/securityquestion/accesstoken",
    Bearer
);
endpoint!(
    VALIDATE_TOKEN,
    "auth.validate_token",
    GET,
    "/identity/v2/auth/access_token/validate",
    Bearer
);
endpoint!(
    INVALIDATE_TOKEN,
    "auth.invalidate_token",
    GET,
    "/identity/v2/auth/access_token/invalidate",
    Bearer
);
endpoint!(
    TOKEN_INFO,
    "auth.token_info",
    GET,
    "/identity/v2/auth/access_token",
    Bearer
);
endpoint!(
    SEND_WELCOME_EMAIL,
    "auth.send_welcome_email",
    GET,
    "/identity/v2/auth/account/sendwelcomeemail",
    Bearer
);
endpoint!(
    UPDATE_PROFILE,
    "auth.update_profile",
    PUT,
    "/identity/v2/auth/account",
    Bearer
);
endpoint!(
    REQUEST_DELETION,
    "auth.request_account_deletion",
    DELETE,
    "/identity/v2/auth/account",
    Bearer
);
endpoint!(
    DELETE_ACCOUNT,
    "auth.delete_account",
    GET,
    "/identity/v2/auth/account/delete",
    ApiKey
);
endpoint!(
    UNLOCK_ACCOUNT,
    "auth.unlock_account",
    PUT,
    "/identity/v2/auth/account/unlock",
    Bearer
);
endpoint!(
    PROFILE_BY_PING,
    "auth.profile_by_ping",
    GET,
    "/identity/v2/auth/account/ping",
    ApiKey
);
endpoint!(
    EMAIL_EXISTS,
    "auth.email_exists",
    GET,
    "/identity/v2/auth/email",
    ApiKey
);
endpoint!(
    VERIFY_EMAIL,
    "auth.verify_email",
    GET,
    "/identity/v2/auth/email",
    ApiKey
);
endpoint!(
    VERIFY_EMAIL_BY_OTP,
    "auth.verify_email_by_otp",
    PUT,
    "/identity/v2/auth/email",
    ApiKey
);
endpoint!(
    ADD_EMAIL,
    "auth.add_email",
    POST,
    "/identity/v2/auth/email",
    Bearer
);
endpoint!(
    REMOVE_EMAIL,
    "auth.remove_email",
    DELETE,
    "/identity/v2/auth/email",
    Bearer
);
endpoint!(
    FORGOT_PASSWORD,
    "auth.forgot_password",
    POST,
    "/identity/v2/auth/password",
    ApiKey
);
endpoint!(
    RESET_BY_ANSWER_EMAIL,
    "auth.reset_password_by_email_answer",
    PUT,
    "/identity/v2/auth/password/securityanswer",
    ApiKey
);
endpoint!(
    RESET_BY_ANSWER_PHONE,
    "auth.reset_password_by_phone_answer",
    PUT,
    "/identity/v2/auth/password/securityanswer",
    ApiKey
);
endpoint!(
    RESET_BY_ANSWER_USERNAME,
    "auth.reset_password_by_username_answer",
    PUT,
    "/identity/v2/auth/password/securityanswer",
    ApiKey
);
endpoint!(
    RESET_BY_TOKEN,
    "auth.reset_password",
    PUT,
    "/identity/v2/auth/password/reset",
    ApiKey
);
endpoint!(
    RESET_BY_EMAIL_OTP,
    "auth.reset_password_by_email_otp",
    PUT,
    "/identity/v2/auth/password/reset",
    ApiKey
);
endpoint!(
    RESET_BY_USERNAME_OTP,
    "auth.reset_password_by_username_otp",
    PUT,
    "/identity/v2/auth/password/reset",
    ApiKey
);
endpoint!(
    CHANGE_PASSWORD,
    "auth.change_password",
    PUT,
    "/identity/v2/auth/password/change",
    Bearer
);
endpoint!(
    UNLINK_SOCIAL,
    "auth.unlink_social_identity",
    DELETE,
    "/identity/v2/auth/socialidentity",
    Bearer
);
endpoint!(
    LINK_SOCIAL,
    "auth.link_social_identity",
    POST,
    "/identity/v2/auth/socialidentity",
    Bearer
);
endpoint!(
    LINK_SOCIAL_BY_PING,
    "auth.link_social_identity_by_ping",
    POST,
    "/identity/v2/auth/socialidentity",
    Bearer
);
endpoint!(
    SET_USERNAME,
    "auth.set_username",
    PUT,
    "/identity/v2/auth/username",
    Bearer
);
endpoint!(
    USERNAME_EXISTS,
    "auth.username_exists",
    GET,
    "/identity/v2/auth/username",
    ApiKey
);
endpoint!(
    ACCEPT_PRIVACY_POLICY,
    "auth.accept_privacy_policy",
    GET,
    "/identity/v2/auth/privacypolicy/accept",
    Bearer
);
endpoint!(
    PRIVACY_POLICY_HISTORY,
    "auth.privacy_policy_history",
    GET,
    "/identity/v2/auth/privacypolicy/history",
    Bearer
);
endpoint!(
    REGISTER,
    "auth.register",
    POST,
    "/identity/v2/auth/register",
    Sott
);
endpoint!(
    REGISTER_WITH_CAPTCHA,
    "auth.register_with_captcha",
    POST,
    "/identity/v2/auth/register/captcha",
    ApiKey
);
endpoint!(
    RESEND_VERIFICATION,
    "auth.resend_verification_email",
    PUT,
    "/identity/v2/auth/register",
    ApiKey
);
endpoint!(
    SOCIAL_VERIFICATION_EMAIL,
    "auth.send_social_verification_email",
    GET,
    "/identity/v2/auth/email/sendverificationemail",
    Bearer
);

group_handle! {
    /// Authentication, from [`LoginRadius::auth`](crate::LoginRadius::auth).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::models::Registration;
    ///
    /// let sott = client.local_sott(std::time::Duration::from_secs(600))?;
    /// let user = Registration::new("jane@example.com", "correct horse").first_name("Jane");
    /// client.auth().register(&user, sott).verification_url("https://app.example.com/verify").await?;
    ///
    /// let login = client.auth().login_by_email("jane@example.com", "correct horse").await?;
    /// let profile = client.auth().profile(login.access_token.expose()).fields("Uid,Email").await?;
    /// client.auth().change_password(login.access_token.expose(), "correct horse", "battery staple").await?;
    /// client.auth().invalidate_token(login.access_token.expose()).await?;
    /// # Ok(()) }
    /// ```
    Auth
}

request_builder! {
    /// A password login. From [`Auth::login_by_email`] and [`Auth::login_by_username`].
    pub struct Login -> LoginResponse;
    /// Email template for the verification email sent when the address is not yet verified.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned (`Uid,Email/Value`).
    fn fields("fields": String);
    /// The login page URL used in emails.
    fn login_url("loginUrl": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
}

request_builder! {
    /// Reads the profile of the token's user. From [`Auth::profile`].
    pub struct GetProfile -> Profile;
    /// Email template, used when the profile read triggers a verification email.
    fn email_template("emailTemplate": String);
    /// Restricts the fields returned.
    fn fields("fields": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Lists an account's security questions. From [`Auth::security_questions`] and the
    /// `security_questions_by_*` methods.
    pub struct SecurityQuestions -> Vec<SecurityQuestion>;
}

request_builder! {
    /// Validates an access token; answers with the token and its expiry. From
    /// [`Auth::validate_token`].
    pub struct ValidateToken -> TokenResponse;
}

request_builder! {
    /// Invalidates an access token (logout). From [`Auth::invalidate_token`].
    pub struct InvalidateToken -> Posted;
    /// `true` also stops the token's refresh token from being used.
    fn prevent_refresh("preventRefresh": bool);
}

request_builder! {
    /// Reads information about an access token. From [`Auth::token_info`].
    pub struct GetTokenInfo -> TokenInfo;
}

request_builder! {
    /// Sends the welcome email. From [`Auth::send_welcome_email`].
    pub struct SendWelcomeEmail -> Posted;
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Updates the token user's profile; answers with the updated profile in `Data`. From
    /// [`Auth::update_profile`].
    pub struct UpdateProfile -> PostedWith<Profile>;
    /// Email template for the verification email sent when the email changes.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// `true` lets explicit `null`s erase fields (see [`ProfileUpdate::clear`]).
    fn null_support("nullSupport": bool);
    /// SMS template for the verification SMS sent when the phone changes.
    fn sms_template("smsTemplate": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// `true` sends the phone OTP as a voice call.
    fn voice_otp("isVoiceOtp": bool);
    /// Service options, e.g. `PreventVerificationEmail`.
    fn options("options": String);
}

request_builder! {
    /// Asks for account deletion; a confirmation email follows. From
    /// [`Auth::request_account_deletion`].
    pub struct RequestAccountDeletion -> DeleteRequestAccepted;
    /// The URL the confirmation link points to.
    fn delete_url("deleteUrl": String);
    /// Email template of the confirmation email.
    fn email_template("emailTemplate": String);
}

request_builder! {
    /// A deletion answered with `{"IsDeleted": …}`. From [`Auth::remove_email`] and
    /// [`Auth::unlink_social_identity`].
    pub struct AuthDeletion -> Deleted;
}

request_builder! {
    /// An action answered with `{"IsPosted": …}`. From [`Auth::unlock_account`],
    /// [`Auth::change_password`], [`Auth::link_social_identity`],
    /// [`Auth::link_social_identity_by_ping`], [`Auth::set_username`],
    /// [`Auth::send_social_verification_email`] and [`Auth::delete_account`].
    pub struct AuthAction -> Posted;
}

request_builder! {
    /// Polls for a login by client GUID. From [`Auth::profile_by_ping`].
    pub struct ProfileByPing -> LoginResponse;
    /// Email template, used when a verification email is sent.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Tells whether an email address or username is taken. From [`Auth::email_exists`] and
    /// [`Auth::username_exists`].
    pub struct Availability -> Exists;
}

request_builder! {
    /// Verifies an email address with the emailed token. From [`Auth::verify_email`].
    pub struct VerifyEmail -> PostedWith<EmailVerificationData>;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// The URL the user came from, used in the welcome email.
    fn url("url": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
    /// The `uuid` of a multi-email verification.
    fn uuid("uuid": String);
}

request_builder! {
    /// Verifies an email address with an emailed one-time code. From
    /// [`Auth::verify_email_by_otp`].
    pub struct VerifyEmailByOtp -> PostedWith<EmailVerificationData>;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// The URL the user came from, used in the welcome email.
    fn url("url": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Sends a verification email. From [`Auth::add_email`] and
    /// [`Auth::resend_verification_email`].
    pub struct SendVerification -> Posted;
    /// Email template of the verification email.
    fn email_template("emailTemplate": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
}

request_builder! {
    /// Sends a reset-password email. From [`Auth::forgot_password`].
    pub struct ForgotPassword -> Posted;
    /// Email template of the reset email.
    fn email_template("emailTemplate": String);
}

request_builder! {
    /// Sets a new password after a reset; the service may answer with tokens in `Data`. From
    /// [`Auth::reset_password`] and the other `reset_password_by_*` methods.
    pub struct ResetPassword -> PostedWith<TokenResponse>;
}

request_builder! {
    /// Accepts the current privacy policy; answers with the profile. From
    /// [`Auth::accept_privacy_policy`].
    pub struct AcceptPrivacyPolicy -> Profile;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

request_builder! {
    /// The privacy-policy versions the token's user accepted. From
    /// [`Auth::privacy_policy_history`].
    pub struct PrivacyPolicyHistory -> PolicyAcceptances;
}

request_builder! {
    /// Registers a user with a SOTT. From [`Auth::register`]. With mandatory email
    /// verification the answer has no `Data`; otherwise `Data` holds the profile and tokens.
    pub struct Register -> PostedWith<LoginResponse>;
    /// Email template of the verification email.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// Service options, e.g. `PreventVerificationEmail`.
    fn options("options": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
    /// `true` sends the phone OTP as a voice call.
    fn voice_otp("isVoiceOtp": bool);
}

request_builder! {
    /// Registers a user behind a captcha instead of a SOTT. From [`Auth::register_with_captcha`].
    pub struct RegisterWithCaptcha -> PostedWith<LoginResponse>;
    /// Email template of the verification email.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// Service options, e.g. `PreventVerificationEmail`.
    fn options("options": String);
    /// SMS template of the verification SMS.
    fn sms_template("smsTemplate": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
    /// Welcome email template.
    fn welcome_email_template("welcomeEmailTemplate": String);
    /// `true` sends the phone OTP as a voice call.
    fn voice_otp("isVoiceOtp": bool);
}

/// Collects security answers (question id → answer), refusing an empty set and blank entries.
fn answers<K: Into<String>, V: Into<String>>(
    call: Call,
    items: impl IntoIterator<Item = (K, V)>,
) -> (Call, Map<String, Value>) {
    let map: Map<String, Value> = items
        .into_iter()
        .map(|(k, v)| (k.into(), Value::String(v.into())))
        .collect();
    let mut call = call;
    if map.is_empty() {
        call = call.invalid("security_answers", "must not be empty");
    }
    for (question, answer) in &map {
        call = call.check("security_answers.question_id", question).check(
            "security_answers.answer",
            answer.as_str().unwrap_or_default(),
        );
    }
    (call, map)
}

impl Auth<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    fn bearer(&self, endpoint: &'static Endpoint, access_token: impl Into<Secret>) -> Call {
        self.call(endpoint).token(access_token)
    }

    /// Logs in with email and password (`POST /identity/v2/auth/login`). On a site with MFA
    /// enabled this answers error 1176: use [`Mfa::login_by_email`](crate::api::Mfa) instead.
    pub fn login_by_email(&self, email: &str, password: impl Into<Secret>) -> Login {
        let password = password.into();
        let call = self
            .call(&LOGIN_BY_EMAIL)
            .check("email", email)
            .check("password", password.expose())
            .json(&json!({ "email": email, "password": password.expose() }));
        Login::from_call(call)
    }

    /// Logs in with username and password (`POST /identity/v2/auth/login`).
    pub fn login_by_username(&self, username: &str, password: impl Into<Secret>) -> Login {
        let password = password.into();
        let call = self
            .call(&LOGIN_BY_USERNAME)
            .check("username", username)
            .check("password", password.expose())
            .json(&json!({ "username": username, "password": password.expose() }));
        Login::from_call(call)
    }

    /// The profile of the user who owns `access_token` (`GET /identity/v2/auth/account`).
    pub fn profile(&self, access_token: impl Into<Secret>) -> GetProfile {
        GetProfile::from_call(self.bearer(&PROFILE, access_token))
    }

    /// The security questions of the account with this email
    /// (`GET /identity/v2/auth/securityquestion/email`).
    pub fn security_questions_by_email(&self, email: &str) -> SecurityQuestions {
        SecurityQuestions::from_call(
            self.call(&QUESTIONS_BY_EMAIL)
                .query("email", "email", email),
        )
    }

    /// The security questions of the account with this username
    /// (`GET /identity/v2/auth/securityquestion/username`).
    pub fn security_questions_by_username(&self, username: &str) -> SecurityQuestions {
        SecurityQuestions::from_call(
            self.call(&QUESTIONS_BY_USERNAME)
                .query("userName", "username", username),
        )
    }

    /// The security questions of the account with this phone number
    /// (`GET /identity/v2/auth/securityquestion/phone`).
    pub fn security_questions_by_phone(&self, phone: &str) -> SecurityQuestions {
        SecurityQuestions::from_call(
            self.call(&QUESTIONS_BY_PHONE)
                .query("phone", "phone", phone),
        )
    }

    /// The security questions of the token's user
    /// (`GET /identity/v2/auth/securityquestion/accesstoken`).
    pub fn security_questions(&self, access_token: impl Into<Secret>) -> SecurityQuestions {
        SecurityQuestions::from_call(self.bearer(&QUESTIONS_BY_TOKEN, access_token))
    }

    /// Checks an access token; answers with it and its expiry while it is valid, error 905/906
    /// otherwise (`GET /identity/v2/auth/access_token/validate`).
    pub fn validate_token(&self, access_token: impl Into<Secret>) -> ValidateToken {
        ValidateToken::from_call(self.bearer(&VALIDATE_TOKEN, access_token))
    }

    /// Revokes an access token: logs the user out
    /// (`GET /identity/v2/auth/access_token/invalidate`).
    pub fn invalidate_token(&self, access_token: impl Into<Secret>) -> InvalidateToken {
        InvalidateToken::from_call(self.bearer(&INVALIDATE_TOKEN, access_token))
    }

    /// Information about an active access token (`GET /identity/v2/auth/access_token`).
    pub fn token_info(&self, access_token: impl Into<Secret>) -> GetTokenInfo {
        GetTokenInfo::from_call(self.bearer(&TOKEN_INFO, access_token))
    }

    /// Sends the welcome email to the token's user
    /// (`GET /identity/v2/auth/account/sendwelcomeemail`).
    pub fn send_welcome_email(&self, access_token: impl Into<Secret>) -> SendWelcomeEmail {
        SendWelcomeEmail::from_call(self.bearer(&SEND_WELCOME_EMAIL, access_token))
    }

    /// Updates the token user's own profile (`PUT /identity/v2/auth/account`). Only the fields
    /// set in `update` are sent; an empty update is refused before any request.
    pub fn update_profile(
        &self,
        access_token: impl Into<Secret>,
        update: &ProfileUpdate,
    ) -> UpdateProfile {
        let mut call = self.bearer(&UPDATE_PROFILE, access_token);
        if update.is_empty() {
            call = call.invalid("update", "must not be empty");
        }
        UpdateProfile::from_call(call.json(update))
    }

    /// Asks for the token user's account to be deleted; the service emails a confirmation link
    /// (`DELETE /identity/v2/auth/account`).
    pub fn request_account_deletion(
        &self,
        access_token: impl Into<Secret>,
    ) -> RequestAccountDeletion {
        RequestAccountDeletion::from_call(self.bearer(&REQUEST_DELETION, access_token))
    }

    /// Deletes an account with the token from the deletion-confirmation email
    /// (`GET /identity/v2/auth/account/delete`). The service takes the token in the query
    /// string (`deletetoken`) and answers `{"IsPosted": true}`, as its documentation and the
    /// official SDKs say.
    pub fn delete_account(&self, delete_token: impl Into<Secret>) -> AuthAction {
        let token = delete_token.into();
        AuthAction::from_call(self.call(&DELETE_ACCOUNT).query(
            "deletetoken",
            "delete_token",
            token.expose(),
        ))
    }

    /// Unlocks the token user's account after a bot-protection challenge
    /// (`PUT /identity/v2/auth/account/unlock`). The body holds only the answers to the
    /// challenges the service prompted, for example
    /// `json!({"g-recaptcha-response": "…"})` or `json!({"securityanswer": {"<QuestionId>": "…"}})`;
    /// its shape is not documented further.
    pub fn unlock_account(
        &self,
        access_token: impl Into<Secret>,
        challenge: &impl Serialize,
    ) -> AuthAction {
        AuthAction::from_call(self.bearer(&UNLOCK_ACCOUNT, access_token).json(challenge))
    }

    /// Polls for a login by client GUID, for flows without a callback
    /// (`GET /identity/v2/auth/account/ping`).
    pub fn profile_by_ping(&self, client_guid: &str) -> ProfileByPing {
        ProfileByPing::from_call(self.call(&PROFILE_BY_PING).query(
            "clientGuid",
            "client_guid",
            client_guid,
        ))
    }

    /// Whether an email address is already registered (`GET /identity/v2/auth/email`).
    pub fn email_exists(&self, email: &str) -> Availability {
        Availability::from_call(self.call(&EMAIL_EXISTS).query("email", "email", email))
    }

    /// Verifies an email address with the token from the verification email
    /// (`GET /identity/v2/auth/email`). The service takes the token in the query string
    /// (`verificationToken`). The profile and tokens come back only when the site logs users
    /// in after verification.
    pub fn verify_email(&self, verification_token: impl Into<Secret>) -> VerifyEmail {
        let token = verification_token.into();
        VerifyEmail::from_call(self.call(&VERIFY_EMAIL).query(
            "verificationToken",
            "verification_token",
            token.expose(),
        ))
    }

    /// Verifies an email address with an emailed one-time code (`PUT /identity/v2/auth/email`).
    pub fn verify_email_by_otp(&self, email: &str, otp: impl Into<Secret>) -> VerifyEmailByOtp {
        let otp = otp.into();
        let call = self
            .call(&VERIFY_EMAIL_BY_OTP)
            .check("email", email)
            .check("otp", otp.expose())
            .json(&json!({ "email": email, "otp": otp.expose() }));
        VerifyEmailByOtp::from_call(call)
    }

    /// Adds an email address of type `kind` (`Secondary`, `Work`, …) to the token user's account;
    /// a verification email follows (`POST /identity/v2/auth/email`).
    pub fn add_email(
        &self,
        access_token: impl Into<Secret>,
        email: &str,
        kind: &str,
    ) -> SendVerification {
        let call = self
            .bearer(&ADD_EMAIL, access_token)
            .check("email", email)
            .check("kind", kind)
            .json(&json!({ "email": email, "type": kind }));
        SendVerification::from_call(call)
    }

    /// Removes one of the token user's email addresses (`DELETE /identity/v2/auth/email`).
    pub fn remove_email(&self, access_token: impl Into<Secret>, email: &str) -> AuthDeletion {
        let call = self
            .bearer(&REMOVE_EMAIL, access_token)
            .check("email", email)
            .json(&json!({ "email": email }));
        AuthDeletion::from_call(call)
    }

    /// Emails a reset-password link pointing at `reset_password_url`
    /// (`POST /identity/v2/auth/password`). With the username workflow, pass the username as
    /// `email`.
    pub fn forgot_password(&self, email: &str, reset_password_url: &str) -> ForgotPassword {
        let call = self
            .call(&FORGOT_PASSWORD)
            .query("resetPasswordUrl", "reset_password_url", reset_password_url)
            .check("email", email)
            .json(&json!({ "email": email }));
        ForgotPassword::from_call(call)
    }

    fn reset_by_answers<K: Into<String>, V: Into<String>>(
        &self,
        endpoint: &'static Endpoint,
        (id_key, id_field, id): (&'static str, &'static str, &str),
        answers_in: impl IntoIterator<Item = (K, V)>,
        password: Secret,
    ) -> ResetPassword {
        let call = self
            .call(endpoint)
            .check(id_field, id)
            .check("password", password.expose());
        let (call, answers) = answers(call, answers_in);
        let mut body = Map::new();
        body.insert(id_key.into(), json!(id));
        body.insert("password".into(), json!(password.expose()));
        body.insert("securityAnswer".into(), Value::Object(answers));
        ResetPassword::from_call(call.json(&body))
    }

    /// Resets a password by answering the account's security questions, identified by email
    /// (`PUT /identity/v2/auth/password/securityanswer`). `answers` maps question ids (from
    /// [`security_questions_by_email`](Self::security_questions_by_email)) to answers.
    pub fn reset_password_by_email_answer<K: Into<String>, V: Into<String>>(
        &self,
        email: &str,
        answers: impl IntoIterator<Item = (K, V)>,
        new_password: impl Into<Secret>,
    ) -> ResetPassword {
        self.reset_by_answers(
            &RESET_BY_ANSWER_EMAIL,
            ("email", "email", email),
            answers,
            new_password.into(),
        )
    }

    /// Resets a password by answering the account's security questions, identified by phone
    /// (`PUT /identity/v2/auth/password/securityanswer`).
    pub fn reset_password_by_phone_answer<K: Into<String>, V: Into<String>>(
        &self,
        phone: &str,
        answers: impl IntoIterator<Item = (K, V)>,
        new_password: impl Into<Secret>,
    ) -> ResetPassword {
        self.reset_by_answers(
            &RESET_BY_ANSWER_PHONE,
            ("phone", "phone", phone),
            answers,
            new_password.into(),
        )
    }

    /// Resets a password by answering the account's security questions, identified by username
    /// (`PUT /identity/v2/auth/password/securityanswer`).
    pub fn reset_password_by_username_answer<K: Into<String>, V: Into<String>>(
        &self,
        username: &str,
        answers: impl IntoIterator<Item = (K, V)>,
        new_password: impl Into<Secret>,
    ) -> ResetPassword {
        self.reset_by_answers(
            &RESET_BY_ANSWER_USERNAME,
            ("userName", "username", username),
            answers,
            new_password.into(),
        )
    }

    /// Sets a new password with the token from the reset email
    /// (`PUT /identity/v2/auth/password/reset`).
    pub fn reset_password(
        &self,
        reset_token: impl Into<Secret>,
        new_password: impl Into<Secret>,
    ) -> ResetPassword {
        let (token, password) = (reset_token.into(), new_password.into());
        let call = self
            .call(&RESET_BY_TOKEN)
            .check("reset_token", token.expose())
            .check("password", password.expose())
            .json(&json!({ "resetToken": token.expose(), "password": password.expose() }));
        ResetPassword::from_call(call)
    }

    /// Sets a new password with a one-time code emailed to `email`
    /// (`PUT /identity/v2/auth/password/reset`).
    pub fn reset_password_by_email_otp(
        &self,
        email: &str,
        otp: impl Into<Secret>,
        new_password: impl Into<Secret>,
    ) -> ResetPassword {
        let (otp, password) = (otp.into(), new_password.into());
        let call = self
            .call(&RESET_BY_EMAIL_OTP)
            .check("email", email)
            .check("otp", otp.expose())
            .check("password", password.expose())
            .json(&json!({ "email": email, "otp": otp.expose(), "password": password.expose() }));
        ResetPassword::from_call(call)
    }

    /// Sets a new password with a one-time code, identified by username
    /// (`PUT /identity/v2/auth/password/reset`).
    pub fn reset_password_by_username_otp(
        &self,
        username: &str,
        otp: impl Into<Secret>,
        new_password: impl Into<Secret>,
    ) -> ResetPassword {
        let (otp, password) = (otp.into(), new_password.into());
        let call = self
            .call(&RESET_BY_USERNAME_OTP)
            .check("username", username)
            .check("otp", otp.expose())
            .check("password", password.expose())
            .json(&json!({ "userName": username, "otp": otp.expose(), "password": password.expose() }));
        ResetPassword::from_call(call)
    }

    /// Changes the token user's password; a wrong old password is error 967
    /// (`PUT /identity/v2/auth/password/change`).
    pub fn change_password(
        &self,
        access_token: impl Into<Secret>,
        old_password: impl Into<Secret>,
        new_password: impl Into<Secret>,
    ) -> AuthAction {
        let (old, new) = (old_password.into(), new_password.into());
        let call = self
            .bearer(&CHANGE_PASSWORD, access_token)
            .check("old_password", old.expose())
            .check("new_password", new.expose())
            .json(&json!({ "oldPassword": old.expose(), "newPassword": new.expose() }));
        AuthAction::from_call(call)
    }

    /// Detaches a linked social identity from the token user's account
    /// (`DELETE /identity/v2/auth/socialidentity`).
    pub fn unlink_social_identity(
        &self,
        access_token: impl Into<Secret>,
        provider: &str,
        provider_id: &str,
    ) -> AuthDeletion {
        let call = self
            .bearer(&UNLINK_SOCIAL, access_token)
            .check("provider", provider)
            .check("provider_id", provider_id)
            .json(&json!({ "provider": provider, "providerId": provider_id }));
        AuthDeletion::from_call(call)
    }

    /// Attaches a social identity, given its candidate token, to the token user's account
    /// (`POST /identity/v2/auth/socialidentity`).
    pub fn link_social_identity(
        &self,
        access_token: impl Into<Secret>,
        candidate_token: impl Into<Secret>,
    ) -> AuthAction {
        let candidate = candidate_token.into();
        let call = self
            .bearer(&LINK_SOCIAL, access_token)
            .check("candidate_token", candidate.expose())
            .json(&json!({ "candidateToken": candidate.expose() }));
        AuthAction::from_call(call)
    }

    /// Attaches the social identity found by client GUID to the token user's account
    /// (`POST /identity/v2/auth/socialidentity`).
    pub fn link_social_identity_by_ping(
        &self,
        access_token: impl Into<Secret>,
        client_guid: &str,
    ) -> AuthAction {
        let call = self
            .bearer(&LINK_SOCIAL_BY_PING, access_token)
            .check("client_guid", client_guid)
            .json(&json!({ "clientGuid": client_guid }));
        AuthAction::from_call(call)
    }

    /// Sets or changes the token user's username (`PUT /identity/v2/auth/username`).
    pub fn set_username(&self, access_token: impl Into<Secret>, username: &str) -> AuthAction {
        let call = self
            .bearer(&SET_USERNAME, access_token)
            .check("username", username)
            .json(&json!({ "username": username }));
        AuthAction::from_call(call)
    }

    /// Whether a username is already taken (`GET /identity/v2/auth/username`).
    pub fn username_exists(&self, username: &str) -> Availability {
        Availability::from_call(
            self.call(&USERNAME_EXISTS)
                .query("username", "username", username),
        )
    }

    /// Records that the token's user accepted the current privacy policy
    /// (`GET /identity/v2/auth/privacypolicy/accept`).
    pub fn accept_privacy_policy(&self, access_token: impl Into<Secret>) -> AcceptPrivacyPolicy {
        AcceptPrivacyPolicy::from_call(self.bearer(&ACCEPT_PRIVACY_POLICY, access_token))
    }

    /// The privacy-policy versions the token's user accepted
    /// (`GET /identity/v2/auth/privacypolicy/history`).
    pub fn privacy_policy_history(&self, access_token: impl Into<Secret>) -> PrivacyPolicyHistory {
        PrivacyPolicyHistory::from_call(self.bearer(&PRIVACY_POLICY_HISTORY, access_token))
    }

    fn checked_registration(call: Call, user: &Registration) -> Call {
        let mut call = call.check("password", user.password.expose());
        for email in &user.email {
            call = call.check("email", &email.value);
        }
        call
    }

    /// Registers a user (`POST /identity/v2/auth/register`). The SOTT travels in
    /// `X-LoginRadius-Sott`; make one with
    /// [`LoginRadius::local_sott`](crate::LoginRadius::local_sott) or
    /// [`Sott::generate`](crate::api::Sott::generate). A verification email follows unless
    /// the site does not verify emails.
    pub fn register(&self, user: &Registration, sott: impl Into<Secret>) -> Register {
        let call = Self::checked_registration(self.call(&REGISTER).sott(sott), user);
        Register::from_call(call.json(user))
    }

    /// Registers a user behind a captcha instead of a SOTT
    /// (`POST /identity/v2/auth/register/captcha`). `captcha_response` is the
    /// `g-recaptcha-response` value from the browser.
    pub fn register_with_captcha(
        &self,
        user: &Registration,
        captcha_response: &str,
    ) -> RegisterWithCaptcha {
        #[derive(Serialize)]
        struct WithCaptcha<'a> {
            #[serde(flatten)]
            user: &'a Registration,
            #[serde(rename = "g-recaptcha-response")]
            captcha: &'a str,
        }
        let call = Self::checked_registration(self.call(&REGISTER_WITH_CAPTCHA), user)
            .check("captcha_response", captcha_response)
            .json(&WithCaptcha {
                user,
                captcha: captcha_response,
            });
        RegisterWithCaptcha::from_call(call)
    }

    /// Sends the email-verification message again (`PUT /identity/v2/auth/register`).
    pub fn resend_verification_email(&self, email: &str) -> SendVerification {
        let call = self
            .call(&RESEND_VERIFICATION)
            .check("email", email)
            .json(&json!({ "email": email }));
        SendVerification::from_call(call)
    }

    /// Sends a verification email to the unverified address of a social profile linked by
    /// client GUID; only in the optional-verification flow
    /// (`GET /identity/v2/auth/email/sendverificationemail`).
    pub fn send_social_verification_email(
        &self,
        access_token: impl Into<Secret>,
        client_guid: &str,
    ) -> AuthAction {
        AuthAction::from_call(self.bearer(&SOCIAL_VERIFICATION_EMAIL, access_token).query(
            "clientguid",
            "client_guid",
            client_guid,
        ))
    }
}
