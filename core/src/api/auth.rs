//! Authentication (`AuthenticationApi`): login, registration, the profile by access token,
//! passwords and email verification. These calls need only the API key (and the user's token
//! where they act for a user).

use serde_json::json;

use crate::Secret;
use crate::models::{LoginResponse, Profile};
use crate::request::{Call, endpoint, request_builder};

endpoint!(LOGIN_BY_EMAIL, "auth.login_by_email", POST, "/identity/v2/auth/login", ApiKey);
endpoint!(PROFILE, "auth.profile", GET, "/identity/v2/auth/account", Bearer);

group_handle! {
    /// Authentication, from [`LoginRadius::auth`](crate::LoginRadius::auth).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// let login = client.auth().login_by_email("jane@example.com", "correct horse").await?;
    /// let profile = client.auth().profile(login.access_token.expose()).fields("Uid,Email").await?;
    /// # Ok(()) }
    /// ```
    Auth
}

request_builder! {
    /// A password login. From [`Auth::login_by_email`].
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

impl Auth<'_> {
    /// Logs in with email and password (`POST /identity/v2/auth/login`). On a site with MFA
    /// enabled this answers error 1176: use [`Mfa::login_by_email`](crate::api::Mfa) instead.
    pub fn login_by_email(&self, email: &str, password: impl Into<Secret>) -> Login {
        let password = password.into();
        let call = Call::new(self.client, &LOGIN_BY_EMAIL)
            .check("email", email)
            .check("password", password.expose())
            .json(&json!({ "email": email, "password": password.expose() }));
        Login::from_call(call)
    }

    /// The profile of the user who owns `access_token` (`GET /identity/v2/auth/account`).
    pub fn profile(&self, access_token: impl Into<Secret>) -> GetProfile {
        GetProfile::from_call(Call::new(self.client, &PROFILE).token(access_token))
    }
}
