//! Smart login (`SmartLoginApi`): the user clicks an emailed link, and the app, which has been
//! polling with a client GUID of its choice, receives the login. These calls need only the API
//! key. The link's verification token travels in the query string, where the service requires
//! it.

use crate::Secret;
use crate::models::{LoginResponse, Posted, Verified};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    VERIFY_TOKEN,
    "smart_login.verify_token",
    GET,
    "/identity/v2/auth/email/smartlogin",
    ApiKey
);
endpoint!(
    SEND_LINK_BY_EMAIL,
    "smart_login.send_link_by_email",
    GET,
    "/identity/v2/auth/login/smartlogin",
    ApiKey
);
endpoint!(
    SEND_LINK_BY_USERNAME,
    "smart_login.send_link_by_username",
    GET,
    "/identity/v2/auth/login/smartlogin",
    ApiKey
);
endpoint!(
    PING,
    "smart_login.ping",
    GET,
    "/identity/v2/auth/login/smartlogin/ping",
    ApiKey
);

group_handle! {
    /// Smart login, from [`LoginRadius::smart_login`](crate::LoginRadius::smart_login).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// let guid = "5b1e7e4c-0d0a-4c5e-9d43-2c6f7f0e9a11";
    /// client.smart_login().send_link_by_email("jane@example.com", guid).await?;
    /// // Poll until the user has clicked the link (the service answers with an error before).
    /// let login = client.smart_login().ping(guid).await?;
    /// # Ok(()) }
    /// ```
    SmartLogin
}

request_builder! {
    /// Confirms a smart-login link. From [`SmartLogin::verify_token`].
    pub struct VerifySmartLogin -> Verified;
    /// Welcome email template, for a first sign-in.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Emails a smart-login link. From [`SmartLogin::send_link_by_email`] and
    /// [`SmartLogin::send_link_by_username`].
    pub struct SendSmartLink -> Posted;
    /// Where the user lands after clicking the link.
    fn redirect_url("redirectUrl": String);
    /// Email template of the smart-login email.
    fn smart_login_email_template("smartLoginEmailTemplate": String);
    /// Welcome email template, for a first sign-in.
    fn welcome_email_template("welcomeEmailTemplate": String);
}

request_builder! {
    /// Polls for the login of a smart-login link. From [`SmartLogin::ping`].
    pub struct SmartLoginPing -> LoginResponse;
    /// Restricts the profile fields returned.
    fn fields("fields": String);
}

impl SmartLogin<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Confirms the verification token of a smart-login email
    /// (`GET /identity/v2/auth/email/smartlogin`). The service takes the token in the query
    /// string (`verificationToken`).
    pub fn verify_token(&self, verification_token: impl Into<Secret>) -> VerifySmartLogin {
        let token = verification_token.into();
        VerifySmartLogin::from_call(self.call(&VERIFY_TOKEN).query(
            "verificationToken",
            "verification_token",
            token.expose(),
        ))
    }

    /// Emails a smart-login link to `email`, tied to `client_guid`
    /// (`GET /identity/v2/auth/login/smartlogin`).
    pub fn send_link_by_email(&self, email: &str, client_guid: &str) -> SendSmartLink {
        SendSmartLink::from_call(
            self.call(&SEND_LINK_BY_EMAIL)
                .query("clientGuid", "client_guid", client_guid)
                .query("email", "email", email),
        )
    }

    /// Emails a smart-login link to the account with this username, tied to `client_guid`
    /// (`GET /identity/v2/auth/login/smartlogin`).
    pub fn send_link_by_username(&self, username: &str, client_guid: &str) -> SendSmartLink {
        SendSmartLink::from_call(
            self.call(&SEND_LINK_BY_USERNAME)
                .query("clientGuid", "client_guid", client_guid)
                .query("username", "username", username),
        )
    }

    /// Polls by client GUID; once the link has been clicked, answers with the profile and
    /// tokens (`GET /identity/v2/auth/login/smartlogin/ping`).
    pub fn ping(&self, client_guid: &str) -> SmartLoginPing {
        SmartLoginPing::from_call(
            self.call(&PING)
                .query("clientGuid", "client_guid", client_guid),
        )
    }
}
