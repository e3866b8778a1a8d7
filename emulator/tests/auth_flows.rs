//! Registration, verification, login, profile, tokens and passwords over real HTTP.

mod common;

use std::time::Duration;

use common::{Harness, PASSWORD, with_user};
use loginradius_emulator::{EmailVerification, EmulatorConfig, message_kind};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn registration_with_required_verification_then_verify_then_login() {
    let h = Harness::default().await;
    let reg = h
        .register("jane@example.com", json!({ "FirstName": "Jane" }))
        .await
        .ok();
    assert_eq!(
        reg,
        json!({ "IsPosted": true }),
        "no tokens before verification"
    );

    h.login("jane@example.com", PASSWORD).await.error(970, 403);

    let msg = h
        .emulator
        .last_message_to("jane@example.com")
        .expect("verification email");
    assert_eq!(msg.kind, message_kind::EMAIL_VERIFICATION);
    let token = msg.token.clone().expect("token");
    assert!(msg.link.as_deref().is_some_and(|l| l.contains(&token)));

    let verified = h
        .get(&format!(
            "/identity/v2/auth/email?verificationtoken={token}"
        ))
        .await
        .ok();
    assert_eq!(verified["IsPosted"], true);
    assert_eq!(verified["Data"]["Profile"]["EmailVerified"], true);
    assert!(verified["Data"]["access_token"].is_string());
    // A link works once.
    h.get(&format!(
        "/identity/v2/auth/email?verificationtoken={token}"
    ))
    .await
    .error(974, 403);
    h.get("/identity/v2/auth/email?verificationtoken=nope")
        .await
        .error(1063, 403);

    let login = h.login("JANE@example.com", PASSWORD).await.ok();
    let profile = &login["Profile"];
    assert_eq!(profile["FirstName"], "Jane");
    assert_eq!(
        profile["Email"],
        json!([{ "Type": "Primary", "Value": "jane@example.com" }])
    );
    assert_eq!(profile["Uid"].as_str().map(str::len), Some(32));
    assert!(login["refresh_token"].is_string());
    let expires = login["expires_in"]
        .as_str()
        .expect("expires_in is a timestamp");
    assert!(loginradius::models::timestamp::parse(expires).is_some());
    assert!(
        !login.to_string().contains(PASSWORD),
        "password never returned"
    );
}

#[tokio::test]
async fn registration_with_optional_verification_returns_tokens_and_allows_login() {
    let h = Harness::start(
        EmulatorConfig::default().with_email_verification(EmailVerification::Optional),
    )
    .await;
    let reg = h.register("opt@example.com", json!({})).await.ok();
    assert_eq!(reg["IsPosted"], true);
    assert_eq!(reg["Data"]["Profile"]["EmailVerified"], false);
    assert!(reg["Data"]["access_token"].is_string());
    assert!(
        h.emulator.last_message_to("opt@example.com").is_some(),
        "verification email still sent"
    );
    h.login("opt@example.com", PASSWORD).await.ok();
}

#[tokio::test]
async fn registration_with_verification_disabled_sends_nothing() {
    let h = Harness::start(
        EmulatorConfig::default().with_email_verification(EmailVerification::Disabled),
    )
    .await;
    let reg = h.register("off@example.com", json!({})).await.ok();
    assert!(reg["Data"]["access_token"].is_string());
    assert!(h.emulator.outbox().is_empty());
    h.login("off@example.com", PASSWORD).await.ok();
}

#[tokio::test]
async fn registration_errors() {
    let h = with_user_harness().await;
    // Missing SOTT.
    let body =
        json!({ "Email": [{ "Type": "Primary", "Value": "x@example.com" }], "Password": PASSWORD });
    h.json(Method::POST, "/identity/v2/auth/register", &body)
        .await
        .error(1048, 400);
    // Garbage SOTT, and a SOTT made with another secret.
    for sott in ["garbage".to_owned(), other_secret_sott(&h)] {
        let a = h
            .send(
                h.req(Method::POST, "/identity/v2/auth/register")
                    .header("X-LoginRadius-Sott", sott)
                    .body(body.to_string()),
            )
            .await;
        a.error(1049, 403);
    }
    // Duplicate email, short password, missing email.
    h.register("seed@example.com", json!({}))
        .await
        .error(936, 403);
    h.register("short@example.com", json!({ "Password": "abc" }))
        .await
        .error(1134, 403);
    let a = h.register("bad-address", json!({})).await;
    a.error(1038, 400);
}

fn other_secret_sott(h: &Harness) -> String {
    let key = loginradius::wire::sott::SottKey::derive("another-secret");
    let now = time::OffsetDateTime::now_utc();
    key.seal_window(h.emulator.api_key(), now, time::Duration::minutes(10))
        .expose()
        .to_owned()
}

async fn with_user_harness() -> Harness {
    Harness::start(
        with_user(EmulatorConfig::default(), "seed@example.com")
            .with_allowed_link_origin("https://app.example"),
    )
    .await
}

#[tokio::test]
async fn sott_window_is_checked() {
    let h = Harness::default().await;
    let key = loginradius::wire::sott::SottKey::derive(h.emulator.api_secret());
    let body =
        json!({ "Email": [{ "Type": "Primary", "Value": "w@example.com" }], "Password": PASSWORD });
    let now = time::OffsetDateTime::now_utc();
    let send = |sott: String| {
        h.send(
            h.req(Method::POST, "/identity/v2/auth/register")
                .header("X-LoginRadius-Sott", sott)
                .body(body.to_string()),
        )
    };
    // Expired window (ended 5 minutes ago), a window in the future, and another key.
    let expired = key.seal_window(
        h.emulator.api_key(),
        now - time::Duration::minutes(15),
        time::Duration::minutes(10),
    );
    send(expired.expose().to_owned()).await.error(1049, 403);
    let future = key.seal_window(
        h.emulator.api_key(),
        now + time::Duration::hours(3),
        time::Duration::minutes(10),
    );
    send(future.expose().to_owned()).await.error(1049, 403);
    let wrong_key = key.seal_window("another-api-key", now, time::Duration::minutes(10));
    send(wrong_key.expose().to_owned()).await.error(1049, 403);
    // A window written in the lenient formats clients use is accepted.
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let lenient = key.seal(
        h.emulator.api_key(),
        &(now - time::Duration::minutes(1)).format(fmt).unwrap(),
        &(now + time::Duration::minutes(9)).format(fmt).unwrap(),
    );
    send(lenient.expose().to_owned()).await.ok();
    // The server-generated SOTT works too, and can be used again within its window.
    let generated = h
        .manage(
            Method::GET,
            "/identity/v2/manage/account/sott?timedifference=5",
            None,
        )
        .await
        .ok();
    let sott = generated["Sott"].as_str().expect("Sott").to_owned();
    assert!(generated["ExpiryTime"].is_string());
    let b2 = json!({ "Email": [{ "Type": "Primary", "Value": "w2@example.com" }], "Password": PASSWORD });
    h.send(
        h.req(Method::POST, "/identity/v2/auth/register")
            .header("X-LoginRadius-Sott", &sott)
            .body(b2.to_string()),
    )
    .await
    .ok();
    // After the emulator's clock passes the window, it is refused.
    h.emulator.advance_clock(Duration::from_secs(6 * 60));
    let b3 = json!({ "Email": [{ "Type": "Primary", "Value": "w3@example.com" }], "Password": PASSWORD });
    h.send(
        h.req(Method::POST, "/identity/v2/auth/register")
            .header("X-LoginRadius-Sott", &sott)
            .body(b3.to_string()),
    )
    .await
    .error(1049, 403);
}

#[tokio::test]
async fn resend_verification() {
    let h = Harness::default().await;
    h.register("re@example.com", json!({})).await.ok();
    h.emulator.clear_outbox();
    let a = h
        .json(
            Method::PUT,
            "/identity/v2/auth/register",
            &json!({ "email": "re@example.com" }),
        )
        .await;
    assert_eq!(a.ok(), json!({ "IsPosted": true }));
    let token = h.outbox_token("re@example.com");
    h.get(&format!(
        "/identity/v2/auth/email?verificationtoken={token}"
    ))
    .await
    .ok();
    h.json(
        Method::PUT,
        "/identity/v2/auth/register",
        &json!({ "email": "re@example.com" }),
    )
    .await
    .error(1025, 403);
    h.json(
        Method::PUT,
        "/identity/v2/auth/register",
        &json!({ "email": "nobody@example.com" }),
    )
    .await
    .error(1023, 403);
}

#[tokio::test]
async fn login_by_email_and_username_and_errors() {
    let h = with_user_harness().await;
    h.login("seed@example.com", PASSWORD).await.ok();
    let by_name = h
        .json(
            Method::POST,
            "/identity/v2/auth/login",
            &json!({ "username": "SEED", "password": PASSWORD }),
        )
        .await
        .ok();
    assert_eq!(by_name["Profile"]["UserName"], "seed");
    h.login("seed@example.com", "wrong-password")
        .await
        .error(966, 401);
    h.login("nobody@example.com", PASSWORD)
        .await
        .error(966, 401);
    h.json(
        Method::POST,
        "/identity/v2/auth/login",
        &json!({ "password": PASSWORD }),
    )
    .await
    .error(1141, 400);
    let a = h
        .send(
            h.req(Method::POST, "/identity/v2/auth/login")
                .body("{not json"),
        )
        .await;
    a.error(965, 400);
    // Email availability.
    assert_eq!(
        h.get("/identity/v2/auth/email?email=seed@example.com")
            .await
            .ok(),
        json!({ "IsExist": true })
    );
    assert_eq!(
        h.get("/identity/v2/auth/email?email=new@example.com")
            .await
            .ok(),
        json!({ "IsExist": false })
    );
    assert_eq!(
        h.get("/identity/v2/auth/username?username=seed").await.ok(),
        json!({ "IsExist": true })
    );
}

#[tokio::test]
async fn profile_read_and_update_by_token() {
    let h = with_user_harness().await;
    let token = h.token("seed@example.com").await;
    let profile = h
        .bearer(Method::GET, "/identity/v2/auth/account", &token, None)
        .await
        .ok();
    assert_eq!(profile["Email"][0]["Value"], "seed@example.com");
    let only = h
        .bearer(
            Method::GET,
            "/identity/v2/auth/account?fields=Uid,Email",
            &token,
            None,
        )
        .await
        .ok();
    assert_eq!(only.as_object().map(|o| o.len()), Some(2));

    let update = json!({ "firstname": "Sally", "LastName": "Seed", "CustomFields": { "team": "blue" }, "Uid": "hijack" });
    let updated = h
        .bearer(
            Method::PUT,
            "/identity/v2/auth/account",
            &token,
            Some(&update),
        )
        .await
        .ok();
    assert_eq!(updated["IsPosted"], true);
    assert_eq!(updated["Data"]["FirstName"], "Sally");
    assert_eq!(updated["Data"]["FullName"], "Sally Seed");
    assert_eq!(updated["Data"]["CustomFields"]["team"], "blue");
    assert_eq!(updated["Data"]["Uid"], profile["Uid"]);

    // Token in the query works too; missing and unknown tokens are refused.
    h.get(&format!("/identity/v2/auth/account?access_token={token}"))
        .await
        .ok();
    h.get("/identity/v2/auth/account").await.error(1060, 400);
    h.bearer(
        Method::GET,
        "/identity/v2/auth/account",
        "not-a-token",
        None,
    )
    .await
    .error(905, 403);
}

#[tokio::test]
async fn tokens_validate_info_invalidate_refresh_and_expire() {
    let h = Harness::start(
        with_user(EmulatorConfig::default(), "t@example.com")
            .with_token_ttl(Duration::from_secs(60)),
    )
    .await;
    let login = h.login("t@example.com", PASSWORD).await.ok();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let refresh = login["refresh_token"].as_str().unwrap().to_owned();

    let valid = h
        .bearer(
            Method::GET,
            "/identity/v2/auth/access_token/Validate",
            &token,
            None,
        )
        .await
        .ok();
    assert_eq!(valid["access_token"], token.as_str());
    assert_eq!(valid["expires_in"], login["expires_in"]);
    let info = h
        .bearer(Method::GET, "/identity/v2/auth/access_token", &token, None)
        .await
        .ok();
    assert_eq!(info["access_token"], token.as_str());
    assert_eq!(info["provider"], "Email");

    // Refresh: single use.
    let path = format!("/identity/v2/manage/account/access_token/refresh?refresh_token={refresh}");
    let fresh = h.manage(Method::GET, &path, None).await.ok();
    let new_token = fresh["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new_token, token);
    assert_ne!(fresh["refresh_token"], refresh.as_str());
    h.manage(Method::GET, &path, None).await.error(1217, 403);

    // Expiry: 906 once the token's lifetime has passed.
    h.emulator.advance_clock(Duration::from_secs(61));
    h.bearer(Method::GET, "/identity/v2/auth/account", &token, None)
        .await
        .error(906, 403);
    h.bearer(
        Method::GET,
        "/identity/v2/auth/access_token/validate",
        &new_token,
        None,
    )
    .await
    .error(906, 403);

    // Invalidate.
    let t2 = h.token("t@example.com").await;
    h.bearer(
        Method::GET,
        "/identity/v2/auth/access_token/invalidate",
        &t2,
        None,
    )
    .await
    .ok();
    h.bearer(Method::GET, "/identity/v2/auth/account", &t2, None)
        .await
        .error(905, 403);
}

#[tokio::test]
async fn change_password_forgot_and_reset() {
    let h = with_user_harness().await;
    let token = h.token("seed@example.com").await;
    let wrong = json!({ "oldpassword": "nope-nope", "newpassword": "new-password-1" });
    h.bearer(
        Method::PUT,
        "/identity/v2/auth/password/change",
        &token,
        Some(&wrong),
    )
    .await
    .error(967, 401);
    let right = json!({ "OldPassword": PASSWORD, "NewPassword": "new-password-1" });
    h.bearer(
        Method::PUT,
        "/identity/v2/auth/password/change",
        &token,
        Some(&right),
    )
    .await
    .ok();
    h.login("seed@example.com", PASSWORD).await.error(966, 401);
    h.login("seed@example.com", "new-password-1").await.ok();

    let forgot = h
        .json(
            Method::POST,
            "/identity/v2/auth/password?resetpasswordurl=https://app.example/reset",
            &json!({ "email": "seed@example.com" }),
        )
        .await
        .ok();
    assert_eq!(forgot, json!({ "IsPosted": true }));
    let msg = h.emulator.last_message_to("seed@example.com").unwrap();
    assert_eq!(msg.kind, message_kind::RESET_PASSWORD);
    let reset_token = msg.token.clone().unwrap();
    assert_eq!(
        msg.link.as_deref(),
        Some(format!("https://app.example/reset?vtype=reset&vtoken={reset_token}").as_str())
    );
    h.json(
        Method::POST,
        "/identity/v2/auth/password",
        &json!({ "email": "ghost@example.com" }),
    )
    .await
    .error(1023, 403);

    let reset = json!({ "resettoken": reset_token, "password": "after-reset-1" });
    h.json(Method::PUT, "/identity/v2/auth/password/reset", &reset)
        .await
        .ok();
    h.json(Method::PUT, "/identity/v2/auth/password/reset", &reset)
        .await
        .error(1063, 403);
    h.login("seed@example.com", "after-reset-1").await.ok();
}

#[tokio::test]
async fn passwordless_login_by_email_link() {
    let h = with_user_harness().await;
    let sent = h
        .get("/identity/v2/auth/login/passwordlesslogin/email?email=seed@example.com&verificationurl=https://app.example/pl")
        .await
        .ok();
    assert_eq!(sent, json!({ "IsPosted": true }));
    let msg = h.emulator.last_message_to("seed@example.com").unwrap();
    assert_eq!(msg.kind, message_kind::PASSWORDLESS_LOGIN);
    let token = msg.token.unwrap();
    let login = h
        .get(&format!(
            "/identity/v2/auth/login/passwordlesslogin/email/verify?verificationtoken={token}"
        ))
        .await
        .ok();
    assert!(login["access_token"].is_string());
    assert_eq!(login["Profile"]["Email"][0]["Value"], "seed@example.com");
    h.get(&format!(
        "/identity/v2/auth/login/passwordlesslogin/email/verify?verificationtoken={token}"
    ))
    .await
    .error(1063, 403);
    h.get("/identity/v2/auth/login/passwordlesslogin/email?email=ghost@example.com")
        .await
        .error(1023, 403);
}

#[tokio::test]
async fn delete_account_with_email_confirmation() {
    let h = with_user_harness().await;
    let token = h.token("seed@example.com").await;
    let a = h
        .bearer(Method::DELETE, "/identity/v2/auth/account", &token, None)
        .await
        .ok();
    assert_eq!(a, json!({ "IsDeleteRequestAccepted": true }));
    let delete_token = h.outbox_token("seed@example.com");
    let confirmed = h
        .get(&format!(
            "/identity/v2/auth/account/delete?deletetoken={delete_token}"
        ))
        .await
        .ok();
    assert_eq!(confirmed, json!({ "IsPosted": true }));
    h.login("seed@example.com", PASSWORD).await.error(966, 401);
    h.bearer(Method::GET, "/identity/v2/auth/account", &token, None)
        .await
        .error(905, 403);
}
