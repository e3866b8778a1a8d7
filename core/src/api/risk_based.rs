//! Risk-based authentication (`RiskBasedAuthenticationApi`): password logins that let
//! LoginRadius apply its risk rules (new browser, city, country or IP), with templates for the
//! alerts and one-time codes those rules send. These calls need only the API key.

use serde_json::json;

use crate::Secret;
use crate::models::LoginResponse;
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    LOGIN_BY_EMAIL,
    "risk_based.login_by_email",
    POST,
    "/identity/v2/auth/login",
    ApiKey
);
endpoint!(
    LOGIN_BY_USERNAME,
    "risk_based.login_by_username",
    POST,
    "/identity/v2/auth/login",
    ApiKey
);
endpoint!(
    LOGIN_BY_PHONE,
    "risk_based.login_by_phone",
    POST,
    "/identity/v2/auth/login",
    ApiKey
);

group_handle! {
    /// Risk-based authentication, from
    /// [`LoginRadius::risk_based`](crate::LoginRadius::risk_based).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// let login = client
    ///     .risk_based()
    ///     .login_by_email("jane@example.com", "correct horse")
    ///     .rba_browser_email_template("new-browser")
    ///     .rba_city_email_template("new-city")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    RiskBased
}

request_builder! {
    /// A password login under risk-based-authentication rules. From
    /// [`RiskBased::login_by_email`], [`RiskBased::login_by_username`] and
    /// [`RiskBased::login_by_phone`].
    pub struct RiskBasedLogin -> LoginResponse;
    /// Email template for the verification email sent when the address is not yet verified.
    fn email_template("emailTemplate": String);
    /// Restricts the profile fields returned.
    fn fields("fields": String);
    /// The login page URL used in messages.
    fn login_url("loginUrl": String);
    /// Password delegation: `true` to check the password against a delegated store.
    fn password_delegation("passwordDelegation": bool);
    /// The application used for password delegation.
    fn password_delegation_app("passwordDelegationApp": String);
    /// Email template for a login from a new browser.
    fn rba_browser_email_template("rbaBrowserEmailTemplate": String);
    /// SMS template for a login from a new browser.
    fn rba_browser_sms_template("rbaBrowserSmsTemplate": String);
    /// Email template for a login from a new city.
    fn rba_city_email_template("rbaCityEmailTemplate": String);
    /// SMS template for a login from a new city.
    fn rba_city_sms_template("rbaCitySmsTemplate": String);
    /// Email template for a login from a new country.
    fn rba_country_email_template("rbaCountryEmailTemplate": String);
    /// SMS template for a login from a new country.
    fn rba_country_sms_template("rbaCountrySmsTemplate": String);
    /// Email template for a login from a new IP address.
    fn rba_ip_email_template("rbaIpEmailTemplate": String);
    /// SMS template for a login from a new IP address.
    fn rba_ip_sms_template("rbaIpSmsTemplate": String);
    /// Email template for the one-click confirmation of a risky login.
    fn rba_oneclick_email_template("rbaOneclickEmailTemplate": String);
    /// SMS template for the one-time code of a risky login.
    fn rba_otp_sms_template("rbaOTPSmsTemplate": String);
    /// SMS template for the phone verification code.
    fn sms_template("smsTemplate": String);
    /// The verification link's base URL.
    fn verification_url("verificationUrl": String);
}

impl RiskBased<'_> {
    fn login(
        &self,
        endpoint: &'static Endpoint,
        key: &'static str,
        who: &str,
        password: Secret,
    ) -> RiskBasedLogin {
        let call = Call::new(self.client, endpoint)
            .check(key, who)
            .check("password", password.expose())
            .json(&json!({ key: who, "password": password.expose() }));
        RiskBasedLogin::from_call(call)
    }

    /// Logs in with email and password under risk rules (`POST /identity/v2/auth/login` with
    /// `{"email", "password"}`).
    pub fn login_by_email(&self, email: &str, password: impl Into<Secret>) -> RiskBasedLogin {
        self.login(&LOGIN_BY_EMAIL, "email", email, password.into())
    }

    /// Logs in with username and password under risk rules (`POST /identity/v2/auth/login`
    /// with `{"username", "password"}`).
    pub fn login_by_username(&self, username: &str, password: impl Into<Secret>) -> RiskBasedLogin {
        self.login(&LOGIN_BY_USERNAME, "username", username, password.into())
    }

    /// Logs in with phone number and password under risk rules
    /// (`POST /identity/v2/auth/login` with `{"phone", "password"}`).
    pub fn login_by_phone(&self, phone: &str, password: impl Into<Secret>) -> RiskBasedLogin {
        self.login(&LOGIN_BY_PHONE, "phone", phone, password.into())
    }
}
