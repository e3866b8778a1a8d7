//! One-touch and smart login against the emulator: a link in the outbox, a ping that answers
//! "not verified" until the link is clicked and then signs in once; one-touch by SMS code.

use loginradius::api::one_touch::{OneTouchEmail, OneTouchPhone};
use loginradius::codes;
use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";

#[tokio::test]
async fn smart_login_signs_in_after_the_click() {
    let (emulator, client) =
        emulator(EmulatorConfig::default().with_user(user(EMAIL).username("jane"))).await;
    let smart = client.smart_login();
    expect_code(
        smart
            .send_link_by_email("nobody@example.com", "guid-0")
            .await,
        codes::EMAIL_NOT_FOUND,
    );
    smart
        .send_link_by_email(EMAIL, "guid-1")
        .await
        .expect("send");
    expect_code(
        smart.send_link_by_username("jane", "guid-1").await,
        codes::CLIENT_GUID_NOT_UNIQUE,
    );
    expect_code(smart.ping("guid-1").await, codes::SMART_LINK_NOT_VERIFIED);
    expect_code(smart.ping("unknown-guid").await, codes::CLIENT_GUID_INVALID);
    let token = outbox_token(&emulator, EMAIL, message_kind::SMART_LOGIN);
    expect_code(
        smart.verify_token("not-a-token").await,
        codes::VERIFICATION_TOKEN_INVALID,
    );
    smart.verify_token(token.as_str()).await.expect("click");
    expect_code(
        smart.verify_token(token.as_str()).await,
        codes::SMART_LINK_ALREADY_VERIFIED,
    );
    let signed_in = smart.ping("guid-1").await.expect("ping signs in");
    client
        .auth()
        .validate_token(signed_in.access_token.expose())
        .await
        .expect("a live token");
    // Once.
    expect_code(smart.ping("guid-1").await, codes::CLIENT_GUID_INVALID);
}

#[tokio::test]
async fn one_touch_by_email_signs_up_a_new_address() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let one_touch = client.one_touch();
    let new = "new@example.com";
    one_touch
        .send_email_link(&OneTouchEmail::new(new, "guid-a").name("Nia"))
        .await
        .expect("send");
    expect_code(
        one_touch.ping("guid-a").await,
        codes::SMART_LINK_NOT_VERIFIED,
    );
    let token = outbox_token(&emulator, new, message_kind::ONE_TOUCH_LOGIN);
    one_touch.verify_link(token.as_str()).await.expect("click");
    expect_code(
        one_touch.verify_link(token.as_str()).await,
        codes::ONE_TOUCH_LINK_USED,
    );
    let signed_in = one_touch.ping("guid-a").await.expect("ping");
    let profile = signed_in.profile.expect("profile");
    assert_eq!(profile.first_name.as_deref(), Some("Nia"));
    assert!(profile.email_verified);
}

#[tokio::test]
async fn one_touch_by_sms() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let one_touch = client.one_touch();
    let phone = "+16045552368";
    one_touch
        .send_sms(&OneTouchPhone::new(phone))
        .await
        .expect("send");
    let code = last_message(&emulator, phone, message_kind::SMS_ONE_TOUCH_LOGIN)
        .otp
        .expect("code");
    expect_code(
        one_touch.verify_otp(phone, "000000").await,
        codes::OTP_INVALID,
    );
    let signed_in = one_touch
        .verify_otp(phone, code.clone())
        .await
        .expect("verify");
    let profile = signed_in.profile.expect("profile");
    assert_eq!(profile.phone_id.as_deref(), Some(phone));
    assert!(profile.phone_id_verified);
    expect_code(one_touch.verify_otp(phone, code).await, codes::OTP_INVALID);
}
