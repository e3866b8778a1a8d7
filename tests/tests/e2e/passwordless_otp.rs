//! Passwordless login by one-time code against the emulator: the code of the passwordless
//! email (with the address or the username) and a code texted to a phone number.

use std::time::Duration;

use loginradius::codes;
use loginradius::models::NewAccount;
use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";
const PHONE: &str = "+16045552368";

fn other_code(code: &str) -> String {
    let n: u32 = code.parse().expect("digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test]
async fn the_passwordless_email_carries_a_code_that_signs_in_once() {
    let (emulator, client) =
        emulator(EmulatorConfig::default().with_user(user(EMAIL).username("jane"))).await;
    let pl = client.passwordless();
    pl.send_link_by_email(EMAIL).await.expect("send");
    let message = last_message(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN);
    let code = message.otp.expect("the email carries a code");
    assert!(message.link.is_some(), "and the link");
    expect_code(
        pl.verify_email_otp(EMAIL, other_code(&code)).await,
        codes::OTP_INVALID,
    );
    expect_code(
        pl.verify_email_otp("nobody@example.com", code.clone())
            .await,
        codes::EMAIL_NOT_FOUND,
    );
    let signed_in = pl
        .verify_email_otp(EMAIL, code.clone())
        .await
        .expect("sign in by code");
    assert!(signed_in.profile.expect("profile").email_verified);
    expect_code(pl.verify_email_otp(EMAIL, code).await, codes::OTP_INVALID);

    // By username, with the code of a new email; a code expires.
    pl.send_link_by_username("jane").await.expect("send");
    let code = last_message(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN)
        .otp
        .expect("code");
    pl.verify_username_otp("jane", code)
        .await
        .expect("by username");
    pl.send_link_by_email(EMAIL).await.expect("send");
    let code = last_message(&emulator, EMAIL, message_kind::PASSWORDLESS_LOGIN)
        .otp
        .expect("code");
    emulator.advance_clock(Duration::from_secs(11 * 60));
    expect_code(
        pl.verify_username_otp("jane", code).await,
        codes::OTP_EXPIRED,
    );
}

#[tokio::test]
async fn a_texted_code_signs_in_by_phone() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    client
        .account()
        .create(&NewAccount::with_phone(PHONE, PASSWORD))
        .await
        .expect("account with a phone number");
    let pl = client.passwordless();
    expect_code(
        pl.send_phone_otp("+15550000000").await,
        codes::PHONE_NOT_REGISTERED,
    );
    let sent = pl.send_phone_otp(PHONE).await.expect("send");
    assert!(sent.data.expect("receipt").sid.is_some());
    let code = last_message(&emulator, PHONE, message_kind::SMS_PASSWORDLESS_LOGIN)
        .otp
        .expect("code");
    expect_code(
        pl.verify_phone_otp(PHONE, other_code(&code)).await,
        codes::OTP_INVALID,
    );
    let signed_in = pl.verify_phone_otp(PHONE, code).await.expect("sign in");
    let profile = signed_in.profile.expect("profile");
    assert_eq!(profile.phone_id.as_deref(), Some(PHONE));
    assert!(
        profile.phone_id_verified,
        "the texted code proves the number"
    );
    // The number is verified now, so the password login by phone works too.
    client
        .phone()
        .login(PHONE, PASSWORD)
        .await
        .expect("phone login");
}
