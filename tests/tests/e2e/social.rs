//! Social sign-in against the emulator through its provider page (`/emulator/social/{p}`): the
//! native exchanges, the web flow's request token, sign-in by ping, linking and unlinking
//! identities; and the CAPTCHA registration, email verification by code and the unlock call.

use loginradius::codes;
use loginradius::models::Registration;
use loginradius_test_support::e2e::*;
use serde_json::{Value, json};

const EMAIL: &str = "jane@example.com";

/// What the emulated `provider` issues for `identity`.
async fn grant(emulator: &Emulator, provider: &str, identity: Value) -> Value {
    let answer = reqwest::Client::new()
        .post(emulator_url(
            emulator,
            &format!("/emulator/social/{provider}"),
        ))
        .json(&identity)
        .send()
        .await
        .expect("the provider page answers");
    assert!(answer.status().is_success(), "{}", answer.status());
    answer.json().await.expect("JSON")
}

fn token(grant: &Value, key: &str) -> String {
    grant[key].as_str().expect("a token").to_owned()
}

#[tokio::test]
async fn native_exchanges_sign_in_the_linked_or_a_new_account() {
    let (emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let native = client.native_social();
    let fb = grant(
        &emulator,
        "facebook",
        json!({ "id": "fb-1", "email": "fb@example.com", "name": "Fab" }),
    )
    .await;
    let first = native
        .exchange_facebook_token(token(&fb, "access_token"))
        .await
        .expect("facebook");
    let profile = client
        .auth()
        .profile(first.access_token.expose())
        .await
        .expect("profile");
    assert!(profile.email_verified);
    let again = native
        .exchange_facebook_token(token(&fb, "access_token"))
        .await
        .expect("same identity");
    let uid = client
        .auth()
        .profile(again.access_token.expose())
        .await
        .expect("profile")
        .uid;
    assert_eq!(uid, profile.uid, "the same account");
    // A token of another provider, or none the provider issued, is refused.
    expect_code(
        native
            .exchange_google_token(token(&fb, "access_token"))
            .await,
        codes::PROVIDER_ERROR,
    );
    expect_code(
        native.exchange_linkedin_token("made-up").await,
        codes::PROVIDER_ERROR,
    );
    // Every native exchange works with its provider's token.
    let g = grant(&emulator, "google", json!({ "id": "g-1" })).await;
    native
        .exchange_google_token(token(&g, "access_token"))
        .await
        .expect("google");
    native
        .exchange_google_id_token(token(&g, "access_token"))
        .await
        .expect("google id token");
    native
        .exchange_google_auth_code(token(&g, "access_token"))
        .await
        .expect("google code");
    for provider in ["linkedin", "foursquare", "apple", "wechat", "twitter"] {
        let t = token(&grant(&emulator, provider, json!({})).await, "access_token");
        let r = match provider {
            "linkedin" => native
                .exchange_linkedin_token(t)
                .await
                .map(|r| r.access_token),
            "foursquare" => native
                .exchange_foursquare_token(t)
                .await
                .map(|r| r.access_token),
            "apple" => native.exchange_apple_code(t).await.map(|r| r.access_token),
            "wechat" => native.exchange_wechat_code(t).await.map(|r| r.access_token),
            _ => native
                .exchange_twitter_token(t, "secret")
                .await
                .map(|r| r.access_token),
        };
        r.unwrap_or_else(|e| panic!("{provider}: {e}"));
    }
    let jwt = grant(&emulator, "okta", json!({ "id": "o-1" })).await;
    native
        .exchange_custom_jwt("okta", token(&jwt, "access_token"))
        .await
        .expect("custom JWT");
    expect_code(
        native
            .exchange_custom_jwt("other", token(&jwt, "access_token"))
            .await,
        codes::PROVIDER_ERROR,
    );

    // An identity whose email belongs to an unlinked account is refused until linked.
    let taken = grant(
        &emulator,
        "google",
        json!({ "id": "g-jane", "email": EMAIL }),
    )
    .await;
    expect_code(
        native
            .exchange_google_token(token(&taken, "access_token"))
            .await,
        codes::SOCIAL_EMAIL_IN_USE,
    );
    let jane = login(&client, EMAIL).await;
    client
        .auth()
        .link_social_identity(token_of(&jane).as_str(), token(&taken, "access_token"))
        .await
        .expect("link");
    let linked = native
        .exchange_google_token(token(&taken, "access_token"))
        .await
        .expect("now signs in Jane");
    let profile = client
        .auth()
        .profile(linked.access_token.expose())
        .await
        .expect("profile");
    assert_eq!(profile.uid, uid_of(&jane));
    // Linked elsewhere: refused.
    expect_code(
        client
            .auth()
            .link_social_identity(token_of(&jane).as_str(), token(&fb, "access_token"))
            .await,
        codes::ACCOUNT_ALREADY_LINKED,
    );
    // Unlink.
    expect_code(
        client
            .auth()
            .unlink_social_identity(token_of(&jane).as_str(), "google", "nope")
            .await,
        codes::PROVIDER_ID_INVALID,
    );
    client
        .auth()
        .unlink_social_identity(token_of(&jane).as_str(), "google", "g-jane")
        .await
        .expect("unlink");
    expect_code(
        native
            .exchange_google_token(token(&taken, "access_token"))
            .await,
        codes::SOCIAL_EMAIL_IN_USE,
    );
}

#[tokio::test]
async fn the_web_flow_request_token_and_the_ping() {
    let (emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let g = grant(
        &emulator,
        "google",
        json!({ "id": "g-2", "name": "Gus", "clientguid": "guid-s" }),
    )
    .await;
    let tokens = client
        .social()
        .exchange_token(token(&g, "request_token"))
        .await
        .expect("request token");
    client
        .auth()
        .profile(tokens.access_token.expose())
        .await
        .expect("profile");
    expect_code(
        client
            .social()
            .exchange_token(token(&g, "request_token"))
            .await,
        codes::PROVIDER_ERROR,
    );
    let pinged = client.auth().profile_by_ping("guid-s").await.expect("ping");
    assert!(pinged.profile.is_some());
    expect_code(
        client.auth().profile_by_ping("guid-s").await,
        codes::CLIENT_GUID_INVALID,
    );
    // Linking by ping.
    grant(
        &emulator,
        "linkedin",
        json!({ "id": "l-9", "clientguid": "guid-l" }),
    )
    .await;
    let jane = login(&client, EMAIL).await;
    client
        .auth()
        .link_social_identity_by_ping(token_of(&jane).as_str(), "guid-l")
        .await
        .expect("link by ping");
    let profile = client
        .auth()
        .profile(token_of(&jane).as_str())
        .await
        .expect("profile");
    let shown = serde_json::to_value(&profile).expect("json");
    assert_eq!(shown["Identities"][0]["Provider"], "linkedin", "{shown}");
    // The provider page itself.
    let page = reqwest::get(emulator_url(&emulator, "/emulator/social/google"))
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Sign in with google"));
}

#[tokio::test]
async fn captcha_registration_email_code_verification_and_unlock() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let auth = client.auth();
    let new = "new@example.com";
    // Without an answer the emulator refuses (the client refuses a blank one before sending).
    let refused = reqwest::Client::new()
        .post(emulator_url(
            &emulator,
            &format!(
                "/identity/v2/auth/register/captcha?apikey={}",
                emulator.api_key()
            ),
        ))
        .json(&json!({ "Email": [{ "Type": "Primary", "Value": new }], "Password": PASSWORD }))
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status().as_u16(), 403);
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["ErrorCode"], codes::CAPTCHA_INVALID);
    assert!(
        auth.register_with_captcha(&Registration::new(new, PASSWORD), " ")
            .await
            .is_err()
    );
    auth.register_with_captcha(&Registration::new(new, PASSWORD), "captcha-answer")
        .await
        .expect("register");
    let message = last_message(&emulator, new, message_kind::EMAIL_VERIFICATION);
    let code = message.otp.expect("the verification email carries a code");
    expect_code(
        auth.verify_email_by_otp(new, "000000").await,
        codes::EMAIL_OTP_INVALID,
    );
    expect_code(
        auth.login_by_email(new, PASSWORD).await,
        codes::EMAIL_NOT_VERIFIED,
    );
    auth.verify_email_by_otp(new, code.clone())
        .await
        .expect("verify by code");
    // The code and the link are spent.
    expect_code(
        auth.verify_email_by_otp(new, code).await,
        codes::EMAIL_OTP_INVALID,
    );
    expect_code(
        auth.verify_email(message.token.expect("token")).await,
        codes::VERIFICATION_LINK_USED,
    );
    let signed_in = login(&client, new).await;
    expect_code(
        auth.send_social_verification_email(token_of(&signed_in).as_str(), "guid")
            .await,
        codes::EMAIL_ALREADY_VERIFIED,
    );
    expect_code(
        auth.unlock_account(token_of(&signed_in).as_str(), &json!({}))
            .await,
        codes::CAPTCHA_INVALID,
    );
    auth.unlock_account(
        token_of(&signed_in).as_str(),
        &json!({ "g-recaptcha-response": "answer" }),
    )
    .await
    .expect("unlock");
}

#[tokio::test]
async fn a_social_account_without_an_email_has_none_to_verify() {
    let (emulator, client) = emulator(EmulatorConfig::default()).await;
    let x = grant(&emulator, "wechat", json!({ "id": "w-1" })).await;
    let tokens = client
        .native_social()
        .exchange_wechat_code(token(&x, "access_token"))
        .await
        .expect("wechat");
    // No email at all: nothing to verify.
    expect_code(
        client
            .auth()
            .send_social_verification_email(tokens.access_token.expose(), "guid")
            .await,
        codes::EMAIL_NOT_FOUND,
    );
}
