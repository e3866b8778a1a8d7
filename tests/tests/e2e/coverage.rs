//! `GET /emulator/coverage` reports as implemented every endpoint the end-to-end flows call and
//! every endpoint the adapters and the demo use; catalog endpoints it does not implement answer a
//! LoginRadius-shaped "not supported" error, never a fake success.

use std::collections::BTreeSet;
use std::time::Duration;

use loginradius::api::custom_objects::UpdateType;
use loginradius::api::roles::ContextGrant;
use loginradius::models::{MfaLoginOutcome, NewAccount, ProfileUpdate, Registration, Role};
use loginradius_test_support::e2e::*;
use serde_json::{Value, json};

/// What the axum/actix adapters and the demo site call, by `(method, catalog template)`.
const ADAPTERS_AND_DEMO: &[(&str, &str)] = &[
    // login, 2FA login and authenticator verification
    ("POST", "/identity/v2/auth/login"),
    ("POST", "/identity/v2/auth/login/2fa"),
    (
        "PUT",
        "/identity/v2/auth/login/2fa/verification/authenticatorcode",
    ),
    ("PUT", "/identity/v2/auth/login/2fa/verification/backupcode"),
    // registration (with a server SOTT), email verification, resend verification
    ("POST", "/identity/v2/auth/register"),
    ("GET", "/identity/v2/manage/account/sott"),
    ("GET", "/identity/v2/auth/email"),
    ("PUT", "/identity/v2/auth/register"),
    // profile by token
    ("GET", "/identity/v2/auth/account"),
    ("PUT", "/identity/v2/auth/account"),
    // tokens
    ("GET", "/identity/v2/auth/access_token/validate"),
    ("GET", "/identity/v2/auth/access_token/invalidate"),
    ("GET", "/identity/v2/auth/access_token"),
    ("GET", "/identity/v2/manage/account/access_token/refresh"),
    // passwords
    ("PUT", "/identity/v2/auth/password/change"),
    ("POST", "/identity/v2/auth/password"),
    ("PUT", "/identity/v2/auth/password/reset"),
    ("PUT", "/identity/v2/manage/account/{uid}/password"),
    // accounts by uid
    ("POST", "/identity/v2/manage/account"),
    ("GET", "/identity/v2/manage/account"),
    ("GET", "/identity/v2/manage/account/{uid}"),
    ("PUT", "/identity/v2/manage/account/{uid}"),
    ("DELETE", "/identity/v2/manage/account/{uid}"),
    // passwordless login by email link
    ("GET", "/identity/v2/auth/login/passwordlesslogin/email"),
    (
        "GET",
        "/identity/v2/auth/login/passwordlesslogin/email/verify",
    ),
    // MFA settings, enable, reset (token and uid), backup codes (token and uid)
    ("GET", "/identity/v2/auth/account/2fa"),
    (
        "PUT",
        "/identity/v2/auth/account/2fa/verification/authenticatorcode",
    ),
    ("DELETE", "/identity/v2/auth/account/2fa/authenticator"),
    ("DELETE", "/identity/v2/manage/account/2fa/authenticator"),
    ("GET", "/identity/v2/auth/account/2fa/backupcode"),
    ("GET", "/identity/v2/auth/account/2fa/backupcode/reset"),
    ("GET", "/identity/v2/manage/account/2fa/backupcode"),
    ("GET", "/identity/v2/manage/account/2fa/backupcode/reset"),
    // roles
    ("GET", "/identity/v2/manage/role"),
    ("POST", "/identity/v2/manage/role"),
    ("DELETE", "/identity/v2/manage/role/{role}"),
    ("PUT", "/identity/v2/manage/role/{role}/permission"),
    ("DELETE", "/identity/v2/manage/role/{role}/permission"),
    ("GET", "/identity/v2/manage/account/{uid}/role"),
    ("PUT", "/identity/v2/manage/account/{uid}/role"),
    ("DELETE", "/identity/v2/manage/account/{uid}/role"),
    // role contexts
    ("GET", "/identity/v2/manage/account/{uid}/rolecontext"),
    ("PUT", "/identity/v2/manage/account/{uid}/rolecontext"),
    (
        "DELETE",
        "/identity/v2/manage/account/{uid}/rolecontext/{context_name}",
    ),
    // custom objects by token and by uid
    ("POST", "/identity/v2/auth/customobject"),
    ("GET", "/identity/v2/auth/customobject"),
    ("GET", "/identity/v2/auth/customobject/{object_record_id}"),
    ("PUT", "/identity/v2/auth/customobject/{object_record_id}"),
    (
        "DELETE",
        "/identity/v2/auth/customobject/{object_record_id}",
    ),
    ("POST", "/identity/v2/manage/account/{uid}/customobject"),
    ("GET", "/identity/v2/manage/account/{uid}/customobject"),
    (
        "GET",
        "/identity/v2/manage/account/{uid}/customobject/{object_record_id}",
    ),
    (
        "PUT",
        "/identity/v2/manage/account/{uid}/customobject/{object_record_id}",
    ),
    (
        "DELETE",
        "/identity/v2/manage/account/{uid}/customobject/{object_record_id}",
    ),
    // site configuration
    ("GET", "/ciam/appinfo"),
    ("GET", "/identity/v2/serverinfo"),
];

/// `GET /emulator/coverage`, over HTTP: the implemented `(METHOD, path)` pairs.
async fn implemented(emulator: &Emulator) -> BTreeSet<(String, String)> {
    let answer = reqwest::get(emulator_url(emulator, "/emulator/coverage"))
        .await
        .expect("coverage answers");
    assert!(
        answer.status().is_success(),
        "GET /emulator/coverage: {}",
        answer.status()
    );
    let body: Value = serde_json::from_str(&answer.text().await.unwrap()).expect("JSON");
    let list = body["implemented"]
        .as_array()
        .expect("an `implemented` list");
    assert_eq!(body["implemented_count"].as_u64(), Some(list.len() as u64));
    assert_eq!(
        body["implemented_count"].as_u64().unwrap()
            + body["not_implemented_count"].as_u64().unwrap(),
        body["catalog_endpoints"].as_u64().unwrap()
    );
    list.iter()
        .map(|e| {
            (
                e["method"].as_str().expect("method").to_ascii_uppercase(),
                e["path"].as_str().expect("path").to_ascii_lowercase(),
            )
        })
        .collect()
}

fn key(method: &str, path: &str) -> (String, String) {
    (method.to_ascii_uppercase(), path.to_ascii_lowercase())
}

#[tokio::test]
async fn coverage_reports_every_endpoint_the_adapters_and_demo_use() {
    let (emulator, _client) = emulator(EmulatorConfig::default()).await;
    let implemented = implemented(&emulator).await;
    let missing: Vec<_> = ADAPTERS_AND_DEMO
        .iter()
        .filter(|(m, p)| !implemented.contains(&key(m, p)))
        .collect();
    assert!(
        missing.is_empty(),
        "not implemented by the emulator: {missing:#?}"
    );
    // The library report agrees with the HTTP one.
    let library = emulator.coverage();
    for (method, path) in ADAPTERS_AND_DEMO {
        assert!(library.is_implemented(method, path), "{method} {path}");
    }
}

/// One call of every client method the end-to-end flows use.
async fn every_flow(emulator: &Emulator, client: &LoginRadius) {
    let email = "flow@example.com";
    let auth = client.auth();
    client
        .configuration()
        .get()
        .await
        .expect("app configuration");
    client
        .configuration()
        .server_info()
        .await
        .expect("server info");

    // Registration, verification, resend.
    let sott = client.sott().generate().await.expect("server SOTT").sott;
    auth.register(&Registration::new(email, PASSWORD).user_name("flow"), sott)
        .await
        .expect("register");
    auth.resend_verification_email(email).await.expect("resend");
    auth.verify_email(outbox_token(
        emulator,
        email,
        message_kind::EMAIL_VERIFICATION,
    ))
    .await
    .expect("verify");

    // Login, profile, tokens.
    auth.login_by_username("flow", PASSWORD)
        .await
        .expect("login by username");
    let signed_in = login(client, email).await;
    let token = token_of(&signed_in);
    let uid = uid_of(&signed_in);
    auth.profile(token.as_str()).await.expect("profile");
    auth.update_profile(token.as_str(), &ProfileUpdate::new().first_name("Flo"))
        .await
        .expect("update");
    auth.validate_token(token.as_str()).await.expect("validate");
    auth.token_info(token.as_str()).await.expect("info");
    client
        .sliding_token()
        .extend(token.as_str())
        .await
        .expect("sliding");
    let refreshed = client
        .account()
        .refresh_access_token(signed_in.refresh_token.clone().expect("refresh"))
        .await
        .expect("refresh");
    client
        .account()
        .revoke_refresh_token(refreshed.refresh_token.expect("refresh"))
        .await
        .expect("revoke");
    client
        .account()
        .access_token(&uid)
        .await
        .expect("impersonate");

    // Passwords.
    auth.change_password(token.as_str(), PASSWORD, "second-pass-2")
        .await
        .expect("change");
    auth.forgot_password(email, "https://app.example.com/reset")
        .await
        .expect("forgot");
    auth.reset_password(
        outbox_token(emulator, email, message_kind::RESET_PASSWORD),
        PASSWORD,
    )
    .await
    .expect("reset");
    client
        .account()
        .set_password(&uid, PASSWORD)
        .await
        .expect("set password");
    client
        .account()
        .password_hash(&uid)
        .await
        .expect("password hash");

    // Accounts.
    let other = client
        .account()
        .create(
            &NewAccount::with_email("other@example.com", PASSWORD)
                .user_name("other")
                .email_verified(true),
        )
        .await
        .expect("create");
    client.account().get(&other.uid).await.expect("get");
    client
        .account()
        .by_email("other@example.com")
        .await
        .expect("by email");
    client
        .account()
        .by_username("other")
        .await
        .expect("by username");
    client
        .account()
        .update(&other.uid, &json!({ "FirstName": "O" }))
        .await
        .expect("update");

    // Passwordless.
    client
        .passwordless()
        .send_link_by_email(email)
        .await
        .expect("send link");
    client
        .passwordless()
        .verify_link(outbox_token(
            emulator,
            email,
            message_kind::PASSWORDLESS_LOGIN,
        ))
        .await
        .expect("verify link");

    // MFA.
    let settings = client
        .mfa()
        .settings(token.as_str())
        .await
        .expect("settings");
    let manual = settings
        .manual_entry_code
        .expect("manual entry code")
        .expose()
        .to_owned();
    client
        .mfa()
        .enable_authenticator(token.as_str(), totp_code(&manual))
        .await
        .expect("enable");
    let codes = client
        .mfa()
        .backup_codes(token.as_str())
        .await
        .expect("backup codes")
        .codes;
    client
        .mfa()
        .reset_backup_codes(token.as_str())
        .await
        .expect("reset backup codes");
    let codes_by_uid = client
        .mfa()
        .backup_codes_for_user(&uid)
        .await
        .expect("backup codes by uid")
        .codes;
    assert_ne!(codes, codes_by_uid);
    let challenge =
        |outcome: MfaLoginOutcome| outcome.into_challenge().expect("a second-factor challenge");
    let c = challenge(
        client
            .mfa()
            .login_by_email(email, PASSWORD)
            .await
            .expect("2FA login"),
    );
    client
        .mfa()
        .verify_authenticator_code(c.token, totp_code(&manual))
        .await
        .expect("verify code");
    let c = challenge(
        client
            .mfa()
            .login_by_username("flow", PASSWORD)
            .await
            .expect("2FA login"),
    );
    client
        .mfa()
        .verify_backup_code(c.token, codes_by_uid[0].clone())
        .await
        .expect("backup code");
    client
        .mfa()
        .reset_backup_codes_for_user(&uid)
        .await
        .expect("reset backup codes by uid");
    client
        .mfa()
        .reset_authenticator(token.as_str())
        .await
        .expect("reset");
    client
        .mfa()
        .reset_authenticator_for_user(&uid)
        .await
        .expect("reset by uid");

    // Roles and role contexts.
    client
        .roles()
        .create([
            Role::new("editor", ["publish"]),
            Role::new("viewer", ["read"]),
        ])
        .await
        .expect("create");
    client.roles().list().await.expect("list");
    client
        .roles()
        .add_permissions("editor", ["edit"])
        .await
        .expect("add permissions");
    client
        .roles()
        .remove_permissions("editor", ["edit"])
        .await
        .expect("remove permissions");
    client
        .roles()
        .assign(&uid, ["editor", "viewer"])
        .await
        .expect("assign");
    client.roles().of_user(&uid).await.expect("of user");
    client
        .roles()
        .unassign(&uid, ["viewer"])
        .await
        .expect("unassign");
    client.roles().delete("viewer").await.expect("delete");
    let in_an_hour = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    client
        .roles()
        .upsert_contexts(
            &uid,
            [ContextGrant::new("project", ["editor"])
                .with_permissions(["a", "b"])
                .expires_at(in_an_hour)],
        )
        .await
        .expect("upsert contexts");
    client
        .roles()
        .contexts_of_user(&uid)
        .await
        .expect("contexts");
    client
        .roles()
        .users_in_context("project")
        .await
        .expect("users in context");
    client
        .roles()
        .remove_context_roles(&uid, "project", ["editor"])
        .await
        .expect("remove context roles");
    client
        .roles()
        .remove_context_permissions(&uid, "project", ["a"])
        .await
        .expect("remove context permissions");
    client
        .roles()
        .delete_context(&uid, "project")
        .await
        .expect("delete context");

    // Custom objects.
    let objects = client.custom_objects();
    let r = objects
        .create(token.as_str(), "o", &json!({ "a": 1 }))
        .await
        .expect("create");
    objects.get(token.as_str(), "o", &r.id).await.expect("get");
    objects.list(token.as_str(), "o").await.expect("list");
    objects
        .update(token.as_str(), "o", &r.id, &json!({ "b": 2 }))
        .update_type(UpdateType::Replace)
        .await
        .expect("update");
    objects
        .delete(token.as_str(), "o", &r.id)
        .await
        .expect("delete");
    let r = objects
        .create_for_user(&uid, "o", &json!({ "a": 1 }))
        .await
        .expect("create");
    objects.get_for_user(&uid, "o", &r.id).await.expect("get");
    objects.list_for_user(&uid, "o").await.expect("list");
    objects
        .update_for_user(&uid, "o", &r.id, &json!({ "b": 2 }))
        .await
        .expect("update");
    objects
        .delete_for_user(&uid, "o", &r.id)
        .await
        .expect("delete");

    // Logout, then account deletion.
    auth.invalidate_token(token.as_str())
        .await
        .expect("invalidate");
    client.account().delete(&other.uid).await.expect("delete");
}

#[tokio::test]
async fn coverage_reports_every_endpoint_the_end_to_end_flows_call() {
    let (emulator, client) =
        emulator(EmulatorConfig::default().with_token_ttl(Duration::from_secs(3600))).await;
    every_flow(&emulator, &client).await;
    let implemented = implemented(&emulator).await;
    let called: BTreeSet<(String, String)> = emulator
        .stats()
        .into_keys()
        .map(|k| {
            let (method, path) = k.split_once(' ').expect("`METHOD /path` keys");
            key(method, path)
        })
        .collect();
    assert!(
        called.len() > 60,
        "the flow reached the emulator: {called:#?}"
    );
    let unknown: Vec<_> = called.iter().filter(|(_, p)| !p.starts_with('/')).collect();
    assert!(
        unknown.is_empty(),
        "calls to no catalog endpoint: {unknown:#?}"
    );
    let missing: Vec<_> = called.difference(&implemented).collect();
    assert!(
        missing.is_empty(),
        "called but not reported as implemented: {missing:#?}"
    );
    // The flow exercised everything the adapters and the demo use, so that list is spelled as
    // the emulator counts it.
    let unexercised: Vec<_> = ADAPTERS_AND_DEMO
        .iter()
        .filter(|(m, p)| !called.contains(&key(m, p)))
        .collect();
    assert!(
        unexercised.is_empty(),
        "not exercised by the flow: {unexercised:#?}"
    );
}

#[tokio::test]
async fn every_catalog_endpoint_is_implemented_and_none_answers_not_supported() {
    let (emulator, client) =
        emulator(EmulatorConfig::default().with_user(user("jane@example.com"))).await;
    let implemented = implemented(&emulator).await;
    let coverage = emulator.coverage();
    assert_eq!(coverage.catalog_endpoints, 184);
    assert!(
        coverage.not_implemented.is_empty(),
        "not implemented: {:#?}",
        coverage.not_implemented
    );
    assert_eq!(coverage.implemented_count, 184);
    assert_eq!(implemented.len(), 184);

    // Every endpoint, called with the key and the secret (and nothing else it needs), answers
    // its own success or error: never the emulator's "not supported".
    let http = reqwest::Client::new();
    for endpoint in &coverage.implemented {
        let (method, path) = (endpoint.method.as_str(), endpoint.path.as_str());
        let concrete = path.replace('{', "x").replace('}', "");
        let url = emulator_url(
            &emulator,
            &format!(
                "{concrete}?apikey={k}&key={k}&apisecret={s}&secret={s}",
                k = emulator.api_key(),
                s = emulator.api_secret()
            ),
        );
        let mut request = http.request(method.parse().expect("a method"), url);
        if method != "GET" {
            request = request.json(&json!({}));
        }
        let answer = request.send().await.expect("an answer");
        let status = answer.status().as_u16();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        assert_ne!(status, 501, "{method} {path}: {body}");
        assert_ne!(body["ErrorCode"], 909, "{method} {path}: {body}");
    }

    // The last variant that used to answer "not supported": reset by the emailed code.
    client
        .auth()
        .forgot_password("jane@example.com", "https://app.example.com/reset")
        .await
        .expect("forgot");
    let code = last_message(&emulator, "jane@example.com", message_kind::RESET_PASSWORD)
        .otp
        .expect("the reset email carries a code");
    expect_code(
        client
            .auth()
            .reset_password_by_email_otp("jane@example.com", "000000", "new-password-2")
            .await,
        loginradius::codes::OTP_INVALID,
    );
    client
        .auth()
        .reset_password_by_email_otp("jane@example.com", code, "new-password-2")
        .await
        .expect("reset by code");
    client
        .auth()
        .login_by_email("jane@example.com", "new-password-2")
        .await
        .expect("the new password");
}
