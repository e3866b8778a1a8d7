//! Account management by uid and email, the API key and secret checks, and request signing.

mod common;

use common::{Harness, PASSWORD};
use loginradius::wire::signing;
use loginradius_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn account_create_read_update_delete_by_uid_and_email() {
    let h = Harness::default().await;
    let create = json!({
        "Email": [{ "Type": "Primary", "Value": "acct@example.com" }],
        "Password": PASSWORD,
        "EmailVerified": true,
        "UserName": "acct",
        "FirstName": "Ann",
    });
    let created = h
        .manage(Method::POST, "/identity/v2/manage/account", Some(&create))
        .await
        .ok();
    let uid = created["Uid"].as_str().unwrap().to_owned();
    assert_eq!(created["EmailVerified"], true);
    assert!(created.get("Password").is_none(), "no password in profiles");
    h.manage(Method::POST, "/identity/v2/manage/account", Some(&create))
        .await
        .error(936, 403);

    let read = h
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/{uid}"),
            None,
        )
        .await
        .ok();
    assert_eq!(read["UserName"], "acct");
    let by_email = h
        .manage(
            Method::GET,
            "/identity/v2/manage/account?email=ACCT@example.com",
            None,
        )
        .await
        .ok();
    assert_eq!(by_email["Uid"], uid.as_str());
    let by_name = h
        .manage(
            Method::GET,
            "/identity/v2/manage/account?username=acct",
            None,
        )
        .await
        .ok();
    assert_eq!(by_name["Uid"], uid.as_str());

    let updated = h
        .manage(
            Method::PUT,
            &format!("/identity/v2/manage/account/{uid}"),
            Some(&json!({ "LastName": "Admin", "IsActive": false })),
        )
        .await
        .ok();
    assert_eq!(updated["LastName"], "Admin");
    assert_eq!(updated["IsActive"], false);
    h.login("acct@example.com", PASSWORD).await.error(991, 403);
    h.manage(
        Method::PUT,
        &format!("/identity/v2/manage/account/{uid}"),
        Some(&json!({ "IsActive": true })),
    )
    .await
    .ok();
    h.login("acct@example.com", PASSWORD).await.ok();

    // Set password by uid; the hash is returned, never the password.
    let set = h
        .manage(
            Method::PUT,
            &format!("/identity/v2/manage/account/{uid}/password"),
            Some(&json!({ "password": "set-by-admin" })),
        )
        .await
        .ok();
    let hash = set["PasswordHash"].as_str().unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("set-by-admin"));
    h.login("acct@example.com", "set-by-admin").await.ok();
    h.login("acct@example.com", PASSWORD).await.error(966, 401);

    let del = h
        .manage(
            Method::DELETE,
            &format!("/identity/v2/manage/account/{uid}"),
            None,
        )
        .await
        .ok();
    assert_eq!(del, json!({ "IsDeleted": true }));
    h.manage(
        Method::GET,
        &format!("/identity/v2/manage/account/{uid}"),
        None,
    )
    .await
    .error(938, 403);

    let uid2 = h.create_user("byemail@example.com").await;
    h.manage(
        Method::DELETE,
        "/identity/v2/manage/account?email=byemail@example.com",
        None,
    )
    .await
    .ok();
    h.manage(
        Method::GET,
        &format!("/identity/v2/manage/account/{uid2}"),
        None,
    )
    .await
    .error(938, 403);
}

#[tokio::test]
async fn emails_phone_ids_and_welcome_email() {
    let h = Harness::default().await;
    let uid = h.create_user("main@example.com").await;
    h.create_user("other@example.com").await;
    let path = format!("/identity/v2/manage/account/{uid}/email");
    let upsert = json!({ "Email": [{ "Type": "Secondary", "Value": "second@example.com" }] });
    let profile = h.manage(Method::PUT, &path, Some(&upsert)).await.ok();
    assert_eq!(
        profile["Email"][1],
        json!({ "Type": "Secondary", "Value": "second@example.com" })
    );
    let taken = json!({ "Email": [{ "Type": "Secondary", "Value": "other@example.com" }] });
    h.manage(Method::PUT, &path, Some(&taken))
        .await
        .error(936, 403);
    let profile = h
        .manage(
            Method::DELETE,
            &path,
            Some(&json!({ "email": "second@example.com" })),
        )
        .await
        .ok();
    assert_eq!(profile["Email"].as_array().map(Vec::len), Some(1));

    let phone = format!("/identity/v2/manage/account/{uid}/phoneid");
    let profile = h
        .manage(
            Method::PUT,
            &phone,
            Some(&json!({ "Phone": "+15555550100" })),
        )
        .await
        .ok();
    assert_eq!(profile["PhoneId"], "+15555550100");
    h.manage(Method::PUT, &phone, Some(&json!({ "phone": "call me" })))
        .await
        .error(1096, 400);
    let exists = h
        .get("/identity/v2/auth/phone?phone=%2B15555550100")
        .await
        .ok();
    assert_eq!(exists, json!({ "IsExist": true }));
    let by_phone = h
        .manage(
            Method::GET,
            "/identity/v2/manage/account?phone=%2B15555550100",
            None,
        )
        .await
        .ok();
    assert_eq!(by_phone["Uid"], uid.as_str());

    let token = h.token("main@example.com").await;
    let added = json!({ "email": "added@example.com", "type": "Secondary" });
    h.bearer(
        Method::POST,
        "/identity/v2/auth/email",
        &token,
        Some(&added),
    )
    .await
    .ok();
    assert_eq!(
        h.emulator
            .last_message_to("added@example.com")
            .map(|m| m.kind),
        Some("email_verification".to_owned())
    );
    let gone = json!({ "email": "added@example.com" });
    h.bearer(
        Method::DELETE,
        "/identity/v2/auth/email",
        &token,
        Some(&gone),
    )
    .await
    .ok();
    h.bearer(
        Method::DELETE,
        "/identity/v2/auth/email",
        &token,
        Some(&gone),
    )
    .await
    .error(1340, 403);
    h.bearer(
        Method::GET,
        "/identity/v2/auth/account/sendwelcomeemail",
        &token,
        None,
    )
    .await
    .ok();
    assert_eq!(
        h.emulator
            .last_message_to("main@example.com")
            .map(|m| m.kind),
        Some("welcome".to_owned())
    );
}

#[tokio::test]
async fn api_key_and_secret_are_checked() {
    let h = Harness::default().await;
    let base = h.emulator.base_url().to_owned();
    let a = h
        .send(h.http.get(format!("{base}/identity/v2/serverinfo")))
        .await;
    a.error(922, 400);
    let a = h
        .send(
            h.http
                .get(format!("{base}/identity/v2/serverinfo?apikey=wrong")),
        )
        .await;
    a.error(901, 403);
    let info = h
        .send(h.http.get(format!(
            "{base}/identity/v2/serverinfo?ApiKey={}",
            h.emulator.api_key()
        )))
        .await
        .ok();
    assert!(info["Sott"]["StartTime"].is_string());
    // The key may also travel in a header.
    h.send(
        h.http
            .get(format!("{base}/identity/v2/serverinfo"))
            .header("X-LoginRadius-ApiKey", h.emulator.api_key()),
    )
    .await
    .ok();

    h.get("/identity/v2/manage/role").await.error(1209, 400);
    let a = h
        .send(
            h.req(Method::GET, "/identity/v2/manage/role")
                .header("X-LoginRadius-ApiSecret", "wrong"),
        )
        .await;
    a.error(902, 401);
    h.manage(Method::GET, "/identity/v2/manage/role", None)
        .await
        .ok();
}

/// A signed request as the reference SDK makes it.
fn signed(
    h: &Harness,
    method: Method,
    path: &str,
    body: Option<&str>,
    secret: &str,
    expires: &str,
) -> reqwest::RequestBuilder {
    let url = h.url(path);
    let payload = body.or(Some("{}"));
    let mut req = h
        .http
        .request(method, &url)
        .header(signing::EXPIRES_HEADER, expires)
        .header(
            signing::DIGEST_HEADER,
            signing::digest_header(secret, expires, &url, payload),
        );
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    req
}

fn in_an_hour() -> String {
    signing::expires_at(time::OffsetDateTime::now_utc())
}

#[tokio::test]
async fn signed_manage_calls_are_accepted_and_bad_signatures_refused() {
    let h = Harness::start(EmulatorConfig::default().with_required_signing(true)).await;
    let secret = h.emulator.api_secret().to_owned();
    let expires = in_an_hour();

    // Signed GET (":{}" appended, like the reference SDK) and signed GET with nothing appended.
    h.send(signed(
        &h,
        Method::GET,
        "/identity/v2/manage/role",
        None,
        &secret,
        &expires,
    ))
    .await
    .ok();
    let url = h.url("/identity/v2/manage/account/sott");
    let bare = h
        .http
        .get(&url)
        .header(signing::EXPIRES_HEADER, &expires)
        .header(
            signing::DIGEST_HEADER,
            signing::digest_header(&secret, &expires, &url, None),
        );
    assert!(h.send(bare).await.ok()["Sott"].is_string());

    // Signed POST with a body.
    let body = r#"{"roles": [{"name": "signed", "permissions": {"p": true}}]}"#;
    h.send(signed(
        &h,
        Method::POST,
        "/identity/v2/manage/role",
        Some(body),
        &secret,
        &expires,
    ))
    .await
    .ok();

    // Refusals: unsigned (secret only), wrong secret, tampered body, expired, bad format, missing expiry.
    h.manage(Method::GET, "/identity/v2/manage/role", None)
        .await
        .error(1207, 400);
    h.send(signed(
        &h,
        Method::GET,
        "/identity/v2/manage/role",
        None,
        "wrong",
        &expires,
    ))
    .await
    .error(1208, 403);
    let tampered = signed(
        &h,
        Method::POST,
        "/identity/v2/manage/role",
        Some(body),
        &secret,
        &expires,
    )
    .body(r#"{"roles": [{"name": "evil"}]}"#);
    h.send(tampered).await.error(1208, 403);
    let past = signing::expires_at(time::OffsetDateTime::now_utc() - time::Duration::hours(2));
    h.send(signed(
        &h,
        Method::GET,
        "/identity/v2/manage/role",
        None,
        &secret,
        &past,
    ))
    .await
    .error(1212, 403);
    h.send(signed(
        &h,
        Method::GET,
        "/identity/v2/manage/role",
        None,
        &secret,
        "tomorrow",
    ))
    .await
    .error(1211, 400);
    let no_expiry = h
        .http
        .get(h.url("/identity/v2/manage/role"))
        .header(signing::DIGEST_HEADER, "SHA-256=abc");
    h.send(no_expiry).await.error(1210, 400);
}

#[tokio::test]
async fn signing_is_optional_unless_required() {
    let h = Harness::default().await;
    let secret = h.emulator.api_secret().to_owned();
    h.send(signed(
        &h,
        Method::GET,
        "/identity/v2/manage/role",
        None,
        &secret,
        &in_an_hour(),
    ))
    .await
    .ok();
    h.manage(Method::GET, "/identity/v2/manage/role", None)
        .await
        .ok();
}

#[tokio::test]
async fn the_core_client_works_against_the_emulator_with_and_without_signing() {
    for signing_on in [false, true] {
        let h = Harness::start(
            common::with_user(
                EmulatorConfig::default().with_required_signing(signing_on),
                "client@example.com",
            )
            .with_role("editor", ["publish"]),
        )
        .await;
        let client = loginradius::LoginRadius::builder()
            .api_key(h.emulator.api_key())
            .api_secret(h.emulator.api_secret())
            .base_url(h.emulator.base_url())
            .request_signing(signing_on)
            .build()
            .expect("client");
        let login = client
            .auth()
            .login_by_email("client@example.com", PASSWORD)
            .await
            .expect("login");
        let uid = login.profile.as_ref().expect("profile").uid.clone();
        let profile = client
            .auth()
            .profile(login.access_token.expose())
            .await
            .expect("profile");
        assert_eq!(profile.uid, uid);
        let err = client
            .auth()
            .login_by_email("client@example.com", "wrong-password")
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(966));
        let roles = client.roles().list().await.expect("roles list");
        assert!(roles.roles.iter().any(|r| r.name == "editor"));
        client
            .roles()
            .assign(&uid, ["editor"])
            .await
            .expect("assign");
        assert_eq!(
            client.roles().of_user(&uid).await.expect("of_user").roles,
            vec!["editor".to_owned()]
        );
        let err = client.roles().assign(&uid, ["ghost"]).await.unwrap_err();
        assert_eq!(err.code(), Some(1047));
    }
}
