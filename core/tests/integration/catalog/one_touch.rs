//! OneTouchLoginApi.

use loginradius::api::one_touch::{OneTouchEmail, OneTouchPhone};

use super::Case;
use crate::case;

const G: &str = "client-guid-1";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "OneTouchLoginApi",
            "one_touch_login_by_email",
            "client.one_touch().send_email_link(&OneTouchEmail::new(email, client_guid))",
            |c| c
                .one_touch()
                .send_email_link(&OneTouchEmail::new("jane@example.com", G).name("Jane"))
                .one_touch_login_email_template("onetouch")
                .redirect_url("https://app.example.com")
                .welcome_email_template("welcome")
        ),
        case!(
            "OneTouchLoginApi",
            "one_touch_login_by_phone",
            "client.one_touch().send_sms(&OneTouchPhone::new(phone))",
            |c| c
                .one_touch()
                .send_sms(&OneTouchPhone::new("+16045552368").captcha_response("captcha"))
                .sms_template("sms")
                .voice_otp(false)
        ),
        case!(
            "OneTouchLoginApi",
            "one_touch_login_otp_verification",
            "client.one_touch().verify_otp(phone, otp)",
            |c| c
                .one_touch()
                .verify_otp("+16045552368", "123456")
                .fields("Uid")
                .sms_template("sms")
        ),
        case!(
            "OneTouchLoginApi",
            "one_touch_email_verification",
            "client.one_touch().verify_link(verification_token)",
            |c| c
                .one_touch()
                .verify_link("vtoken-1")
                .welcome_email_template("welcome")
        ),
        case!(
            "OneTouchLoginApi",
            "one_touch_login_ping",
            "client.one_touch().ping(client_guid)",
            |c| c.one_touch().ping(G).fields("Uid")
        ),
    ]
}
