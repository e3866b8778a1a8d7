//! SmartLoginApi.

use super::Case;
use crate::case;

const G: &str = "client-guid-1";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "SmartLoginApi",
            "smart_login_token_verification",
            "client.smart_login().verify_token(verification_token)",
            |c| c
                .smart_login()
                .verify_token("vtoken-1")
                .welcome_email_template("welcome")
        ),
        case!(
            "SmartLoginApi",
            "smart_login_by_email",
            "client.smart_login().send_link_by_email(email, client_guid)",
            |c| c
                .smart_login()
                .send_link_by_email("jane@example.com", G)
                .redirect_url("https://app.example.com")
                .smart_login_email_template("smart")
                .welcome_email_template("welcome")
        ),
        case!(
            "SmartLoginApi",
            "smart_login_by_user_name",
            "client.smart_login().send_link_by_username(username, client_guid)",
            |c| c
                .smart_login()
                .send_link_by_username("jane", G)
                .redirect_url("https://app.example.com")
                .smart_login_email_template("smart")
                .welcome_email_template("welcome")
        ),
        case!(
            "SmartLoginApi",
            "smart_login_ping",
            "client.smart_login().ping(client_guid)",
            |c| c.smart_login().ping(G).fields("Uid")
        ),
    ]
}
