//! RiskBasedAuthenticationApi.

use super::Case;
use crate::case;

/// Sets every optional query parameter of a risk-based login.
fn all_options(
    login: loginradius::api::risk_based::RiskBasedLogin,
) -> loginradius::api::risk_based::RiskBasedLogin {
    login
        .email_template("verify")
        .fields("Uid")
        .login_url("https://example.com/login")
        .password_delegation(true)
        .password_delegation_app("legacy-store")
        .rba_browser_email_template("b-email")
        .rba_browser_sms_template("b-sms")
        .rba_city_email_template("c-email")
        .rba_city_sms_template("c-sms")
        .rba_country_email_template("k-email")
        .rba_country_sms_template("k-sms")
        .rba_ip_email_template("i-email")
        .rba_ip_sms_template("i-sms")
        .rba_oneclick_email_template("one-click")
        .rba_otp_sms_template("otp-sms")
        .sms_template("sms")
        .verification_url("https://example.com/verify")
}

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "RiskBasedAuthenticationApi",
            "rba_login_by_email",
            "client.risk_based().login_by_email(email, password)",
            |c| all_options(
                c.risk_based()
                    .login_by_email("jane@example.com", "correct horse")
            )
        ),
        case!(
            "RiskBasedAuthenticationApi",
            "rba_login_by_user_name",
            "client.risk_based().login_by_username(username, password)",
            |c| all_options(c.risk_based().login_by_username("jane", "correct horse"))
        ),
        case!(
            "RiskBasedAuthenticationApi",
            "rba_login_by_phone",
            "client.risk_based().login_by_phone(phone, password)",
            |c| all_options(
                c.risk_based()
                    .login_by_phone("+16045552368", "correct horse")
            )
        ),
    ]
}
