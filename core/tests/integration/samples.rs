//! Replays every response LoginRadius publishes in `spec/samples/` through the client method of
//! its endpoint, and checks that the request went to that endpoint and that the fields the
//! sample carries come through the typed model. A sample file without an entry here fails the
//! test, so the table covers the folder.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use crate::support::{SOTT, TOKEN, UID, client, spec_dir};
use loginradius::api::one_touch::OneTouchEmail;
use loginradius::api::roles::ContextGrant;
use loginradius::models::{
    ConsentChoice, ConsentEvent, ConsentSubmission, ConsentUpdate, LoginResponse, NewWebhook,
    Profile, ProfileUpdate, Registration, Role, SecurityAnswer, TokenResponse,
};
use loginradius::transport::RecordingTransport;
use loginradius::{LoginRadius, Secret};
use serde_json::{Value, json};

/// The text at JSON pointer `ptr` of the sample.
fn text<'a>(body: &'a Value, ptr: &str) -> &'a str {
    body.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("sample has text at {ptr}"))
}

/// The boolean at JSON pointer `ptr` of the sample.
fn flag(body: &Value, ptr: &str) -> bool {
    body.pointer(ptr)
        .and_then(Value::as_bool)
        .unwrap_or_else(|| panic!("sample has a boolean at {ptr}"))
}

/// The length of the array at JSON pointer `ptr` of the sample.
fn len(body: &Value, ptr: &str) -> usize {
    body.pointer(ptr)
        .and_then(Value::as_array)
        .map_or_else(|| panic!("sample has a list at {ptr}"), Vec::len)
}

/// The exposed text of an optional secret.
fn exposed(secret: &Option<Secret>) -> Option<&str> {
    secret.as_ref().map(Secret::expose)
}

/// A profile's key fields match the sample's profile object at `ptr`.
fn check_profile(profile: &Profile, body: &Value, ptr: &str) {
    let sample = body.pointer(ptr).expect("profile object in the sample");
    assert_eq!(profile.uid, text(sample, "/Uid"), "Uid");
    if let Some(email) = sample.pointer("/Email/0/Value").and_then(Value::as_str) {
        assert_eq!(profile.primary_email(), Some(email), "Email");
    }
    if let Some(phone) = sample
        .get("PhoneId")
        .or_else(|| sample.get("phoneId"))
        .and_then(Value::as_str)
    {
        assert_eq!(profile.phone_id.as_deref(), Some(phone), "PhoneId");
    }
    if let Some(code) = sample.pointer("/Country/Code").and_then(Value::as_str) {
        assert_eq!(
            profile.country.as_ref().and_then(|c| c.code.as_deref()),
            Some(code),
            "Country"
        );
    }
    if let Some(number) = sample
        .pointer("/PhoneNumbers/0/PhoneNumber")
        .and_then(Value::as_str)
    {
        let numbers = profile.phone_numbers.as_deref().unwrap_or_default();
        assert_eq!(numbers[0].phone_number.as_deref(), Some(number));
    }
    if let Some(name) = sample.get("FirstName").and_then(Value::as_str) {
        assert_eq!(profile.first_name.as_deref(), Some(name), "FirstName");
    }
    if let Some(Value::Object(fields)) = sample.get("CustomFields") {
        for (name, value) in fields {
            assert_eq!(
                profile.custom_field::<Value>(name).expect("custom field"),
                Some(value.clone()),
                "CustomFields.{name}"
            );
        }
    }
    // Every key the sample sends stays reachable: typed, or kept as sent in `extra` (tokens
    // sent inside a profile are lifted beside it and checked there).
    let back = serde_json::to_value(profile).expect("profile serializes");
    let tokens = ["access_token", "refresh_token", "expires_in"];
    for (key, value) in sample
        .as_object()
        .expect("object")
        .iter()
        .filter(|(k, _)| !tokens.contains(&k.as_str()))
    {
        let typed_alias = key == "phoneId" && back.get("PhoneId").is_some();
        assert!(
            back.get(key).is_some() || typed_alias || value.is_null(),
            "{key} is not reachable"
        );
    }
}

/// A login answer matches the sample: the profile (at `profile`) and the tokens at the top of
/// the object at `tokens`.
fn check_login(r: &LoginResponse, body: &Value, profile: Option<&str>, tokens: &str) {
    let at = |key: &str| format!("{tokens}/{key}");
    assert_eq!(r.access_token.expose(), text(body, &at("access_token")));
    if let Some(refresh) = body.pointer(&at("refresh_token")).and_then(Value::as_str) {
        assert_eq!(exposed(&r.refresh_token), Some(refresh));
    }
    assert_eq!(
        r.expires_in.is_some(),
        body.pointer(&at("expires_in")).and_then(Value::as_str) != Some("0001-01-01T00:00:00")
            || r.expires_in.is_some()
    );
    if let Some(ptr) = profile {
        check_profile(r.profile.as_ref().expect("profile"), body, ptr);
    }
}

/// A token answer matches the sample.
fn check_tokens(r: &TokenResponse, body: &Value) {
    assert_eq!(r.access_token.expose(), text(body, "/access_token"));
    if let Some(refresh) = body.get("refresh_token").and_then(Value::as_str) {
        assert_eq!(exposed(&r.refresh_token), Some(refresh));
    }
    assert!(r.expires_in.is_some(), "expires_in");
}

type Check<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Calls the client method of `file`'s endpoint on `c` (whose transport answers with the
/// sample) and checks the answer against `body`.
fn replay<'a>(file: &'a str, c: &'a LoginRadius, body: &'a Value) -> Check<'a> {
    Box::pin(async move {
        match file {
            "access-token-by-custom-jwt-token.json" => check_tokens(
                &c.native_social()
                    .exchange_custom_jwt("custom", "id-token")
                    .await
                    .expect("native_social().exchange_custom_jwt"),
                body,
            ),
            "access-token-via-facebook-token.json" => check_tokens(
                &c.native_social()
                    .exchange_facebook_token("fb-token")
                    .await
                    .expect("native_social().exchange_facebook_token"),
                body,
            ),
            "access-token-via-google-auth-code.json" => check_tokens(
                &c.native_social()
                    .exchange_google_auth_code("code")
                    .await
                    .expect("native_social().exchange_google_auth_code"),
                body,
            ),
            "access-token-via-googlejwt.json" => check_tokens(
                &c.native_social()
                    .exchange_google_id_token("id-token")
                    .await
                    .expect("native_social().exchange_google_id_token"),
                body,
            ),
            "access-token-via-twitter-token.json" => check_tokens(
                &c.native_social()
                    .exchange_twitter_token("tw-token", "tw-secret")
                    .await
                    .expect("native_social().exchange_twitter_token"),
                body,
            ),
            "access-token.json" => check_tokens(
                &c.social()
                    .exchange_token("request-token")
                    .await
                    .expect("social().exchange_token"),
                body,
            ),
            "refresh-token.json" => check_tokens(
                &c.social().refresh(TOKEN).await.expect("social().refresh"),
                body,
            ),
            "validate-access-token.json" => check_tokens(
                &c.social().validate(TOKEN).await.expect("social().validate"),
                body,
            ),
            "account-impersonation-api.json" => check_tokens(
                &c.account()
                    .access_token(UID)
                    .await
                    .expect("account().access_token"),
                body,
            ),
            "auth-validate-access-token.docs-site.json"
            | "auth-validate-access-token.jwt-tokens.json" => check_tokens(
                &c.auth()
                    .validate_token(TOKEN)
                    .await
                    .expect("auth().validate_token"),
                body,
            ),
            "invalidate-access-token.json" => {
                let r = c
                    .social()
                    .invalidate(TOKEN)
                    .await
                    .expect("social().invalidate");
                assert_eq!(r.is_posted, flag(body, "/isPosted"));
            }
            "account-delete-by-email.json" => {
                let r = c
                    .account()
                    .delete_by_email("jane@example.com")
                    .await
                    .expect("account().delete_by_email");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
                assert_eq!(r.records_deleted, body["RecordsDeleted"].as_u64());
            }
            "account-email-delete.json" => check_profile(
                &c.account()
                    .remove_email(UID, "jane@example.com")
                    .await
                    .expect("account().remove_email"),
                body,
                "",
            ),
            "account-profiles-by-phone-id.json" => check_profile(
                &c.account()
                    .by_phone("+16045552368")
                    .await
                    .expect("account().by_phone"),
                body,
                "",
            ),
            "account-profiles-by-user-name.json" => check_profile(
                &c.account()
                    .by_username("jane")
                    .await
                    .expect("account().by_username"),
                body,
                "",
            ),
            "account-update.json" => check_profile(
                &c.account()
                    .update(UID, &json!({"FirstName": "Jane"}))
                    .await
                    .expect("account().update"),
                body,
                "",
            ),
            "account-password.json" => {
                let r = c
                    .account()
                    .password_hash(UID)
                    .await
                    .expect("account().password_hash");
                assert_eq!(r.hash.expose(), text(body, "/PasswordHash"));
            }
            "get-forgot-password-token.json" => {
                let r = c
                    .account()
                    .forgot_password_token("jane@example.com")
                    .await
                    .expect("account().forgot_password_token");
                assert_eq!(r.token.expose(), text(body, "/ForgotToken"));
                assert_eq!(r.identity_providers[0], text(body, "/IdentityProviders/0"));
            }
            "get-email-verification-token.docs-site.json" => {
                let r = c
                    .account()
                    .email_verification_token("jane@example.com")
                    .await
                    .expect("account().email_verification_token");
                assert_eq!(r.token.expose(), text(body, "/VerificationToken"));
            }
            "privacy-policy-history-by-uid.json" => {
                let r = c
                    .account()
                    .privacy_policy_history(UID)
                    .await
                    .expect("account().privacy_policy_history");
                assert_eq!(r.uid.as_deref(), Some(text(body, "/Uid")));
                let current = r.current.expect("Current");
                assert_eq!(current.version, text(body, "/Current/Version"));
                assert!(current.accept_date_time.is_some());
                assert_eq!(r.history.len(), len(body, "/History"));
                assert_eq!(r.history[0].version, text(body, "/History/0/Version"));
            }
            "multipurpose-sms-otp-generation.json" => {
                let r = c
                    .account()
                    .generate_sms_otp("phone_verification", &json!({"phone": "+16045552368"}))
                    .await
                    .expect("account().generate_sms_otp");
                assert_eq!(r.token.expose(), text(body, "/Token"));
                assert!(r.expires_at.is_some(), "ExpiresIn");
            }
            "revoke-refresh-token.json" => {
                let r = c
                    .account()
                    .revoke_refresh_token("refresh-token")
                    .await
                    .expect("account().revoke_refresh_token");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "update-uid.docs-site.json" => {
                let r = c
                    .account()
                    .change_uid(UID, "new-uid")
                    .await
                    .expect("account().change_uid");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "add-permissions-to-role.json" => {
                let r = c
                    .roles()
                    .add_permissions("Editor", ["abc"])
                    .await
                    .expect("roles().add_permissions");
                assert_eq!(r.name, text(body, "/Name"));
                let sent = body["Permissions"].as_object().expect("Permissions");
                assert_eq!(r.permissions.len(), sent.len());
                assert!(sent.keys().all(|p| r.permissions.get(p) == Some(&true)));
            }
            "roles-create.json" => {
                let r = c
                    .roles()
                    .create([Role::new("Editor", ["edit"])])
                    .await
                    .expect("roles().create");
                assert_eq!(r.roles[0].name, text(body, "/data/0/Name"));
                assert_eq!(r.count, body["Count"].as_u64().expect("Count"));
            }
            "get-context.json" | "upsert-context.json" => {
                let r = if file == "get-context.json" {
                    c.roles()
                        .contexts_of_user(UID)
                        .await
                        .expect("roles().contexts_of_user")
                } else {
                    c.roles()
                        .upsert_contexts(UID, [ContextGrant::new("Home", ["Admin"])])
                        .await
                        .expect("roles().upsert_contexts")
                };
                assert_eq!(r.contexts.len(), len(body, "/Data"));
                assert_eq!(r.contexts[0].context, text(body, "/Data/0/Context"));
                assert_eq!(r.contexts[0].roles[0], text(body, "/Data/0/Roles/0"));
            }
            "delete-context.json" => {
                let r = c
                    .roles()
                    .delete_context(UID, "Home")
                    .await
                    .expect("roles().delete_context");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "delete-role-from-context.json" => {
                let r = c
                    .roles()
                    .remove_context_roles(UID, "Home", ["Admin"])
                    .await
                    .expect("roles().remove_context_roles");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "auth-access-token-info.json" => {
                let r = c.auth().token_info(TOKEN).await.expect("auth().token_info");
                assert_eq!(r.provider.as_deref(), Some(text(body, "/provider")));
                assert_eq!(r.access_token.expose(), text(body, "/access_token"));
                assert_eq!(r.is_remember_me, flag(body, "/isrememberme"));
            }
            "auth-change-password.json" => {
                let r = c
                    .auth()
                    .change_password(TOKEN, "old-pw", "new-pw")
                    .await
                    .expect("auth().change_password");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "auth-delete-account.json" => {
                let r = c
                    .auth()
                    .delete_account("delete-token")
                    .await
                    .expect("auth().delete_account");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "auth-forgot-password.json" => {
                let r = c
                    .auth()
                    .forgot_password("jane@example.com", "https://example.com/reset")
                    .await
                    .expect("auth().forgot_password");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "auth-link-social-identities.json" => {
                let r = c
                    .auth()
                    .link_social_identity(TOKEN, "candidate-token")
                    .await
                    .expect("auth().link_social_identity");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "auth-set-or-change-user-name.json" => {
                let r = c
                    .auth()
                    .set_username(TOKEN, "jane")
                    .await
                    .expect("auth().set_username");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "auth-unlock-account-by-access-token.json" => {
                let r = c
                    .auth()
                    .unlock_account(TOKEN, &json!({"g-recaptcha-response": "captcha"}))
                    .await
                    .expect("auth().unlock_account");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "auth-send-social-link-verification-email.json" => {
                let r = c
                    .auth()
                    .send_social_verification_email(TOKEN, "client-guid")
                    .await
                    .expect("auth().send_social_verification_email");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
                assert_eq!(r.extra["UUID"], body["UUID"]);
            }
            "auth-remove-email.json" => {
                let r = c
                    .auth()
                    .remove_email(TOKEN, "jane@example.com")
                    .await
                    .expect("auth().remove_email");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "auth-reset-password-by-email.json" => {
                let r = c
                    .auth()
                    .reset_password_by_email_answer("jane@example.com", [("q1", "a1")], "new-pw")
                    .await
                    .expect("auth().reset_password_by_email_answer");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
                assert!(r.data.is_none());
            }
            "auth-login-by-username.json" => check_login(
                &c.auth()
                    .login_by_username("jane", "pw")
                    .await
                    .expect("auth().login_by_username"),
                body,
                Some("/Profile"),
                "",
            ),
            "auth-read-profiles-by-token.android-tutorial.json" => check_profile(
                &c.auth().profile(TOKEN).await.expect("auth().profile"),
                body,
                "",
            ),
            "auth-update-security-question-by-access-token.json" => {
                let r = c
                    .auth()
                    .update_profile(TOKEN, &ProfileUpdate::new().field("FirstName", "Jane"))
                    .await
                    .expect("auth().update_profile");
                assert!(r.is_posted);
                check_profile(r.data.as_ref().expect("Data"), body, "");
            }
            "auth-user-registration-by-recaptcha.json" => {
                let r = c
                    .auth()
                    .register_with_captcha(
                        &Registration::new("jane@example.com", "pw"),
                        "captcha-response",
                    )
                    .await
                    .expect("auth().register_with_captcha");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
                let data = r.data.as_ref().expect("Data");
                check_login(data, body, Some("/Data/Profile"), "/Data");
                assert_eq!(data.extra["session_token"], body["Data"]["session_token"]);
            }
            "auth-verify-email.docs-site.json" => {
                let r = c
                    .auth()
                    .verify_email("verification-token")
                    .await
                    .expect("auth().verify_email");
                let data = r.data.expect("the bare profile read as Data");
                check_profile(data.profile.as_ref().expect("Profile"), body, "");
                if let Some(token) = body.get("access_token").and_then(Value::as_str) {
                    assert_eq!(exposed(&data.access_token), Some(token));
                }
            }
            "security-questions-by-email.json" => {
                let r = c
                    .auth()
                    .security_questions_by_email("jane@example.com")
                    .await
                    .expect("auth().security_questions_by_email");
                assert_eq!(r.len(), len(body, ""));
                assert_eq!(r[0].question_id, text(body, "/0/QuestionId"));
                assert_eq!(r[0].question, text(body, "/0/Question"));
            }
            "social-login-by-ping.json" => check_login(
                &c.auth()
                    .profile_by_ping("client-guid")
                    .await
                    .expect("auth().profile_by_ping"),
                body,
                Some(""),
                "",
            ),
            "change-pin-by-access-token.json" => {
                let r = c
                    .pin()
                    .change(TOKEN, "1234", "5678")
                    .await
                    .expect("pin().change");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "reset-pin-by-resettoken.json" => {
                let r = c
                    .pin()
                    .reset_with_token("reset-token", "5678")
                    .await
                    .expect("pin().reset_with_token");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "forgot-pin-by-phone.json" => {
                let r = c
                    .pin()
                    .send_reset_otp("+16045552368")
                    .await
                    .expect("pin().send_reset_otp");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
                assert_eq!(
                    r.data.expect("Data").sid.as_deref(),
                    Some(text(body, "/Data/Sid"))
                );
            }
            "login-by-pin.json" => check_login(
                &c.pin()
                    .login("session-token", "1234")
                    .await
                    .expect("pin().login"),
                body,
                Some("/Profile"),
                "",
            ),
            "set-pin-by-pinauthtoken.json" => {
                let r = c
                    .pin()
                    .set_with_auth_token("pin-auth-token", "1234")
                    .await
                    .expect("pin().set_with_auth_token");
                check_login(&r, body, Some("/Profile"), "");
                assert_eq!(r.extra["session_token"], body["session_token"]);
            }
            "consent-by-consent-token.json" => check_login(
                &c.consent()
                    .submit_with_consent_token(
                        "consent-token",
                        &ConsentSubmission::new(
                            [ConsentChoice::accept("email_consent")],
                            [ConsentEvent::new("Login")],
                        ),
                    )
                    .await
                    .expect("consent().submit_with_consent_token"),
                body,
                Some("/Profile"),
                "",
            ),
            "consent-log-by-uid.json" => {
                let r = c
                    .consent()
                    .logs_of_user(UID)
                    .await
                    .expect("consent().logs_of_user");
                assert_eq!(r.uid.as_deref(), Some(text(body, "/Uid")));
                assert_eq!(r.logs.len(), len(body, "/ConsentLogs"));
                assert_eq!(
                    r.logs[0].id.as_deref(),
                    Some(text(body, "/ConsentLogs/0/Id"))
                );
                assert!(r.logs[0].logged_on_date.is_some());
                assert_eq!(
                    r.logs[0].extra["ConsentLogs"],
                    body["ConsentLogs"][0]["ConsentLogs"]
                );
            }
            "update-consent-by-access-token.json" => {
                let r = c
                    .consent()
                    .update(
                        TOKEN,
                        &ConsentUpdate::new([ConsentChoice::accept("email_consent")]),
                    )
                    .await
                    .expect("consent().update");
                assert_eq!(
                    r.accepted_versions.len(),
                    len(body, "/AcceptedConsentVersions")
                );
                assert_eq!(
                    r.accepted_versions[0].event,
                    text(body, "/AcceptedConsentVersions/0/Event")
                );
                assert_eq!(r.consents.len(), len(body, "/Consents"));
                assert_eq!(
                    r.consents[0].consent_option_id,
                    text(body, "/Consents/0/ConsentOptionId")
                );
                assert!(r.consents[0].accept_on_date.is_some());
            }
            "create-webhook-subscription.json" => {
                let r = c
                    .webhooks()
                    .create(&NewWebhook::new("login", "https://example.com/hook"))
                    .await
                    .expect("webhooks().create");
                assert_eq!(r.id, text(body, "/Id"));
                assert_eq!(r.target_url, text(body, "/TargetUrl"));
                assert_eq!(r.event, text(body, "/Event"));
                assert_eq!(
                    r.headers["x-test-header"],
                    text(body, "/Headers/x-test-header")
                );
                assert!(r.created_date.is_some());
            }
            "delete-webhook-subscription.json" => {
                let r = c
                    .webhooks()
                    .delete("hook-id")
                    .await
                    .expect("webhooks().delete");
                assert_eq!(r.is_deleted, flag(body, "/isdeleted"));
            }
            "list-all-events.json" => {
                let r = c.webhooks().events().await.expect("webhooks().events");
                assert_eq!(r.events.len(), len(body, "/Data"));
                assert_eq!(r.events[0], text(body, "/Data/0"));
            }
            "custom-object-by-objectrecordid-and-token.json" => {
                let r = c
                    .custom_objects()
                    .get(TOKEN, "objects", "record-id")
                    .await
                    .expect("custom_objects().get");
                assert_eq!(r.id, text(body, "/Id"));
                assert_eq!(r.uid, text(body, "/Uid"));
                assert_eq!(r.custom_object, body["CustomObject"]);
                assert!(r.date_created.is_some());
            }
            "custom-object-by-token.json" => {
                let r = c
                    .custom_objects()
                    .list(TOKEN, "objects")
                    .await
                    .expect("custom_objects().list");
                assert_eq!(r.records.len(), len(body, "/data"));
                assert_eq!(r.records[0].id, text(body, "/data/0/Id"));
                assert_eq!(r.count, body["Count"].as_u64().expect("Count"));
            }
            "custom-object-delete-by-objectrecordid-and-token.json" => {
                let r = c
                    .custom_objects()
                    .delete(TOKEN, "objects", "record-id")
                    .await
                    .expect("custom_objects().delete");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "get-active-session-details.json" => {
                let r = c
                    .social()
                    .active_sessions(TOKEN)
                    .await
                    .expect("social().active_sessions");
                assert_eq!(r.sessions.len(), len(body, "/data"));
                assert_eq!(
                    r.sessions[0].browser.as_deref(),
                    Some(text(body, "/data/0/Browser"))
                );
                assert_eq!(
                    exposed(&r.sessions[0].access_token),
                    Some(text(body, "/data/0/AccessToken"))
                );
                assert_eq!(r.next_cursor.as_deref(), Some("0"));
            }
            "get-server-time.json" => {
                let r = c
                    .configuration()
                    .server_info()
                    .await
                    .expect("configuration().server_info");
                assert_eq!(r.server_name.as_deref(), Some(text(body, "/ServerName")));
                assert_eq!(r.current_time.as_deref(), Some(text(body, "/CurrentTime")));
                assert_eq!(
                    r.sott.expect("Sott").start_time,
                    text(body, "/Sott/StartTime")
                );
            }
            "mfa-email-login.json" => {
                let r = c
                    .mfa()
                    .login_by_email("jane@example.com", "pw")
                    .await
                    .expect("mfa().login_by_email");
                let challenge = r.challenge().expect("a second-factor challenge");
                assert_eq!(
                    challenge.token.expose(),
                    text(
                        body,
                        "/SecondFactorAuthentication/SecondFactorAuthenticationToken"
                    )
                );
                assert_eq!(
                    challenge.settings.emails[0],
                    text(body, "/SecondFactorAuthentication/Email/0")
                );
                assert_eq!(
                    challenge.settings.security_questions[0].question_id,
                    text(
                        body,
                        "/SecondFactorAuthentication/SecurityQuestions/0/QuestionId"
                    )
                );
            }
            "mfa-validate-access-token.json" => {
                let r = c.mfa().settings(TOKEN).await.expect("mfa().settings");
                assert_eq!(
                    r.is_authenticator_verified,
                    flag(body, "/IsAuthenticatorVerified")
                );
                assert_eq!(r.emails[0], text(body, "/Email/0"));
                assert_eq!(
                    r.security_questions[0].question,
                    text(body, "/SecurityQuestions/0/Question")
                );
            }
            "mfa-validate-backup-code.json" => check_login(
                &c.mfa()
                    .verify_backup_code("mfa-token", "backup-code")
                    .await
                    .expect("mfa().verify_backup_code"),
                body,
                Some("/Profile"),
                "",
            ),
            "mfa-verify-authenticator-code.json" => {
                let r = c
                    .mfa()
                    .enable_authenticator(TOKEN, "123456")
                    .await
                    .expect("mfa().enable_authenticator");
                assert_eq!(r.uid, text(body, "/Identities/0/Uid"));
                assert_eq!(r.extra["Identities"], body["Identities"]);
            }
            "update-mfa-setting.json" => {
                let r = c
                    .mfa()
                    .enable_sms_otp(TOKEN, "123456")
                    .await
                    .expect("mfa().enable_sms_otp");
                assert_eq!(r.uid, text(body, "/Uid"));
                assert_eq!(r.phone_id.as_deref(), Some(text(body, "/PhoneId")));
                // Fields of an unexpected type are kept as sent, not dropped and not fatal.
                assert!(r.country.is_none() && r.phone_numbers.is_none());
                assert_eq!(r.extra["Country"], body["Country"]);
                assert_eq!(r.extra["PhoneNumbers"], body["PhoneNumbers"]);
            }
            "verify-mfa-email-otp-by-access-token.json" => check_profile(
                &c.mfa()
                    .enable_email_otp(TOKEN, "jane@example.com", "123456")
                    .await
                    .expect("mfa().enable_email_otp"),
                body,
                "/Data/0",
            ),
            "verify-mfa-security-question-by-access-token.json" => {
                let r = c
                    .mfa()
                    .enable_security_questions(TOKEN, [SecurityAnswer::new("q1", "a1")], false)
                    .await
                    .expect("mfa().enable_security_questions");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "mfa-update-phone-number.json" => {
                let r = c
                    .mfa()
                    .set_login_sms_phone("mfa-token", "+16045552368")
                    .await
                    .expect("mfa().set_login_sms_phone");
                assert_eq!(r.sid.as_deref(), Some(text(body, "/Sid")));
                assert_eq!(r.account_sid.as_deref(), Some(text(body, "/AccountSid")));
            }
            "mfa-reset-authenticator-by-token.json" => {
                let r = c
                    .mfa()
                    .reset_authenticator(TOKEN)
                    .await
                    .expect("mfa().reset_authenticator");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "reset-mfa-email-otp-authenticator-settings-by-uid.json" => {
                let r = c
                    .mfa()
                    .reset_email_otp_for_user(UID)
                    .await
                    .expect("mfa().reset_email_otp_for_user");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "send-mfa-email-otp-by-mfa-token.json" => {
                let r = c
                    .mfa()
                    .send_email_otp("mfa-token", "jane@example.com")
                    .await
                    .expect("mfa().send_email_otp");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "one-touch-login-by-email-captcha.json" => {
                let r = c
                    .one_touch()
                    .send_email_link(&OneTouchEmail::new("jane@example.com", "client-guid"))
                    .await
                    .expect("one_touch().send_email_link");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "one-touch-login-ping.json" => check_login(
                &c.one_touch()
                    .ping("client-guid")
                    .await
                    .expect("one_touch().ping"),
                body,
                Some("/Profile"),
                "",
            ),
            "smart-login-ping.json" => check_login(
                &c.smart_login()
                    .ping("client-guid")
                    .await
                    .expect("smart_login().ping"),
                body,
                Some("/Profile"),
                "",
            ),
            "passwordless-login-by-email.json" => {
                let r = c
                    .passwordless()
                    .send_link_by_email("jane@example.com")
                    .await
                    .expect("passwordless().send_link_by_email");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
            }
            "passwordless-login-phone-verification.json" => check_login(
                &c.passwordless()
                    .verify_phone_otp("+16045552368", "123456")
                    .await
                    .expect("passwordless().verify_phone_otp"),
                body,
                Some("/Profile"),
                "",
            ),
            "passwordless-login-verify-by-email-and-otp.json" => check_login(
                &c.passwordless()
                    .verify_email_otp("jane@example.com", "123456")
                    .await
                    .expect("passwordless().verify_email_otp"),
                body,
                Some("/Profile"),
                "",
            ),
            "phone-login.json" => check_login(
                &c.phone()
                    .login("+16045552368", "pw")
                    .await
                    .expect("phone().login"),
                body,
                Some("/Profile"),
                "",
            ),
            "phone-verify-otp.json" => check_login(
                &c.phone()
                    .verify_otp("+16045552368", "123456")
                    .await
                    .expect("phone().verify_otp"),
                body,
                Some("/Profile"),
                "",
            ),
            "phone-number-update.json" | "phone-resend-otp.json" => {
                let r = if file == "phone-number-update.json" {
                    c.phone()
                        .update_number(TOKEN, "+16045552368")
                        .await
                        .expect("phone().update_number")
                } else {
                    c.phone()
                        .resend_verification_otp("+16045552368")
                        .await
                        .expect("phone().resend_verification_otp")
                };
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
                assert_eq!(
                    r.data.expect("Data").sid.as_deref(),
                    Some(text(body, "/Data/Sid"))
                );
            }
            "phone-user-registration-by-sms.json" => {
                let r = c
                    .phone()
                    .register(SOTT, &Registration::with_phone("+16045552368", "pw"))
                    .await
                    .expect("phone().register");
                assert_eq!(r.is_posted, flag(body, "/IsPosted"));
                assert!(r.data.is_none());
            }
            "remove-phone-id-by-access-token.json" => {
                let r = c.phone().remove(TOKEN).await.expect("phone().remove");
                assert_eq!(r.is_deleted, flag(body, "/IsDeleted"));
            }
            "step-up-auth-by-password.json" => {
                let r = c
                    .reauth()
                    .verify_password(TOKEN, "pw")
                    .await
                    .expect("reauth().verify_password");
                assert_eq!(r.token.expose(), text(body, "/SecondFactorValidationToken"));
                assert!(r.expires_at.is_some(), "ExpireIn");
            }
            "step-up-auth-validate-mfa.json" => {
                let r = c
                    .reauth()
                    .validate_otp_token(UID, "validation-token")
                    .await
                    .expect("reauth().validate_otp_token");
                assert_eq!(r.is_valid, flag(body, "/IsValid"));
            }
            "step-up-auth-validate-pin.json" => {
                let r = c
                    .reauth()
                    .validate_pin_token(UID, "validation-token")
                    .await
                    .expect("reauth().validate_pin_token");
                assert_eq!(r.is_valid, flag(body, "/IsValid"));
            }
            other => panic!("{other} has no entry in the replay table"),
        }
    })
}

/// `file` → (method, documented path) from the table of `spec/samples/README.md`.
fn documented_endpoints() -> BTreeMap<String, (String, String)> {
    let readme = std::fs::read_to_string(spec_dir().join("samples/README.md")).expect("README");
    let mut out = BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let file = cells[1].trim_matches('`').to_owned();
        let endpoint = cells[4].trim_start_matches('`');
        let mut words = endpoint.split_whitespace();
        let (Some(method), Some(path)) = (words.next(), words.next()) else {
            panic!("{file}: no endpoint in {line}");
        };
        out.insert(
            file,
            (method.to_owned(), path.trim_end_matches('`').to_owned()),
        );
    }
    out
}

/// Whether `path` is the documented `template` (`{name}` matches one segment; the service's
/// paths are case-insensitive). A segment may differ by a plural `s`: the webhook paths are
/// singular in the API docs and plural in the Java SDK (`wire.md` leaves the form open).
fn same_path(path: &str, template: &str) -> bool {
    let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
    let wanted: Vec<&str> = template.trim_matches('/').split('/').collect();
    let skip = actual.len().saturating_sub(wanted.len());
    actual.len() >= wanted.len()
        && actual[skip..].iter().zip(&wanted).all(|(a, w)| {
            (w.starts_with('{') && w.ends_with('}'))
                || a.eq_ignore_ascii_case(w)
                || a.strip_suffix('s')
                    .is_some_and(|a| a.eq_ignore_ascii_case(w))
        })
}

#[tokio::test]
async fn every_published_sample_decodes_through_its_endpoint_with_its_fields() {
    let endpoints = documented_endpoints();
    let mut files: Vec<String> = std::fs::read_dir(spec_dir().join("samples"))
        .expect("spec/samples")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    assert!(files.len() >= 80, "the samples are there: {}", files.len());
    for file in &files {
        let body: Value = serde_json::from_str(
            &std::fs::read_to_string(spec_dir().join("samples").join(file)).expect("readable"),
        )
        .unwrap_or_else(|e| panic!("{file} is JSON: {e}"));
        let transport = RecordingTransport::new();
        transport.reply_json(200, body.clone());
        let c = client(&transport);
        eprintln!("replaying {file}");
        replay(file, &c, &body).await;
        let requests = transport.requests();
        assert_eq!(requests.len(), 1, "{file}: one request");
        let (method, path) = endpoints
            .get(file)
            .unwrap_or_else(|| panic!("{file} is listed in the samples README"));
        assert_eq!(requests[0].method.as_str(), method, "{file}: method");
        assert!(
            same_path(requests[0].path(), path),
            "{file}: {} is not {path}",
            requests[0].path()
        );
    }
}

/// Replays `body` through the call `f` makes and returns its error.
async fn decode_error<T: std::fmt::Debug, F, Fut>(body: Value, f: F) -> loginradius::Error
where
    F: FnOnce(LoginRadius) -> Fut,
    Fut: Future<Output = Result<T, loginradius::Error>>,
{
    let transport = RecordingTransport::new();
    transport.reply_json(200, body);
    f(client(&transport))
        .await
        .expect_err("a wrong-shaped body is an error")
}

/// The (path, reason) of a decode error.
fn path_and_reason(e: &loginradius::Error) -> (&str, &str) {
    match e {
        loginradius::Error::Decode { path, reason, .. } => (path, reason),
        other => panic!("not a decode error: {other:?}"),
    }
}

#[tokio::test]
async fn a_body_with_nothing_of_the_expected_shape_is_an_error_not_an_empty_value() {
    let e = decode_error(json!({"Name": "not a profile"}), |c| async move {
        c.auth().profile(TOKEN).await
    })
    .await;
    assert_eq!(path_and_reason(&e), ("", "missing field `Uid`"));

    let e = decode_error(json!({}), |c| async move {
        c.auth().login_by_email("jane@example.com", "pw").await
    })
    .await;
    assert_eq!(path_and_reason(&e), ("", "missing field `access_token`"));

    let e = decode_error(
        json!({"Profile": {"FirstName": "Jane"}, "access_token": "t"}),
        |c| async move { c.auth().login_by_email("jane@example.com", "pw").await },
    )
    .await;
    assert_eq!(path_and_reason(&e), ("Profile", "missing field `Uid`"));

    let e = decode_error(
        json!({"Count": 0}),
        |c| async move { c.roles().list().await },
    )
    .await;
    assert_eq!(path_and_reason(&e), ("", "missing field `data`"));

    let e = decode_error(json!({"Message": "ok"}), |c| async move {
        c.account().delete(UID).await
    })
    .await;
    assert_eq!(path_and_reason(&e), ("", "missing field `IsDeleted`"));

    let e = decode_error(json!({"Message": "ok"}), |c| async move {
        c.smart_login().verify_token("vt").await
    })
    .await;
    assert_eq!(
        path_and_reason(&e),
        ("", "expected at least one of the keys IsPosted, IsVerified")
    );

    let e = decode_error(json!({"Message": "ok"}), |c| async move {
        c.mfa().settings(TOKEN).await
    })
    .await;
    assert!(
        path_and_reason(&e)
            .1
            .starts_with("expected at least one of the keys QRCode, ManualEntryCode"),
        "{e}"
    );

    let e = decode_error(json!({}), |c| async move {
        c.configuration().server_info().await
    })
    .await;
    assert_eq!(
        path_and_reason(&e),
        (
            "",
            "expected at least one of the keys ServerLocation, ServerName, CurrentTime, Sott"
        )
    );

    let e = decode_error(json!({"provider": "Email"}), |c| async move {
        c.auth().token_info(TOKEN).await
    })
    .await;
    assert_eq!(path_and_reason(&e), ("", "missing field `access_token`"));

    let e = decode_error(json!({"IsPosted": true}), |c| async move {
        c.mfa().set_sms_phone(TOKEN, "+16045552368").await
    })
    .await;
    assert_eq!(path_and_reason(&e), ("", "missing field `Sid`"));

    let e = decode_error(json!([]), |c| async move {
        c.auth()
            .forgot_password("jane@example.com", "https://example.com/reset")
            .await
    })
    .await;
    assert_eq!(path_and_reason(&e), ("", "expected a map, found sequence"));
}

#[tokio::test]
async fn a_profile_restricted_by_fields_may_lack_its_uid() {
    let transport = RecordingTransport::new();
    transport.reply_json(200, json!({"FirstName": "Jane"}));
    let p = client(&transport)
        .auth()
        .profile(TOKEN)
        .fields("FirstName")
        .await
        .expect("the selected fields decode");
    assert_eq!(p.first_name.as_deref(), Some("Jane"));
    assert_eq!(p.uid, "");
    // The same body without `fields` is refused, even on the same thread right after.
    transport.reply_json(200, json!({"FirstName": "Jane"}));
    assert!(client(&transport).auth().profile(TOKEN).await.is_err());
}

#[tokio::test]
async fn decode_errors_name_the_path_and_the_expected_type_never_a_value() {
    const VALUE: &str = "value-from-the-body-4f1c";
    let cases: Vec<(loginradius::Error, &str, &str)> = vec![
        (
            decode_error(json!({"IsPosted": VALUE}), |c| async move {
                c.auth().change_password(TOKEN, "a", "b").await
            })
            .await,
            "IsPosted",
            "expected a boolean, found string",
        ),
        (
            decode_error(
                json!({"data": [{"Name": "r", "Permissions": {"p": VALUE}}], "Count": 1}),
                |c| async move { c.roles().list().await },
            )
            .await,
            "data[0].Permissions.p",
            "expected a boolean, found string",
        ),
        (
            decode_error(
                json!({"IsPosted": true, "Data": {"Profile": {"Uid": "u"}, "access_token": 42}}),
                |c| async move {
                    c.auth()
                        .register(&Registration::new("jane@example.com", "pw"), SOTT)
                        .await
                },
            )
            .await,
            "Data.access_token",
            "expected a string, found integer",
        ),
        (
            decode_error(
                json!({"Data": [{"Context": VALUE, "Roles": VALUE}]}),
                |c| async move { c.roles().contexts_of_user(UID).await },
            )
            .await,
            "Data[0].Roles",
            "expected a sequence, found string",
        ),
        (
            decode_error(
                json!({"SecondFactorAuthentication": {
                    "SecondFactorAuthenticationToken": "t", "IsAuthenticatorVerified": VALUE}}),
                |c| async move { c.mfa().login_by_email("jane@example.com", "pw").await },
            )
            .await,
            "SecondFactorAuthentication.IsAuthenticatorVerified",
            "expected a boolean, found string",
        ),
    ];
    for (e, path, reason) in &cases {
        assert_eq!(path_and_reason(e), (*path, *reason), "{e}");
        let text = format!("{e} {e:?}");
        assert!(text.contains(path), "{text}");
        assert!(!text.contains(VALUE), "{text}");
    }
    let transport = RecordingTransport::new();
    transport.reply_raw(200, &[], format!("{{\"IsPosted\": \"{VALUE}"));
    let e = client(&transport)
        .auth()
        .change_password(TOKEN, "a", "b")
        .await
        .expect_err("not JSON");
    assert!(e.to_string().contains("not JSON") && !e.to_string().contains(VALUE));
}

#[tokio::test]
async fn keys_in_other_casings_and_odd_field_types_come_through() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    transport.reply_json(200, json!({"isdeleted": true, "recordsdeleted": 2}));
    let d = c.account().delete(UID).await.expect("isdeleted");
    assert!(d.is_deleted);
    assert_eq!(d.records_deleted, Some(2));
    transport.reply_json(200, json!({"Data": {"Sid": "s-1"}}));
    let sent = c
        .one_touch()
        .send_email_link(&OneTouchEmail::new("jane@example.com", "guid"))
        .await
        .expect("Data without IsPosted");
    assert!(sent.is_posted);
    assert_eq!(sent.extra["Data"]["Sid"], "s-1");
    transport.reply_json(
        200,
        json!({"uid": "u1", "PhoneId": null, "phoneid": "+16045552368",
               "Country": "France", "PhoneNumbers": 5, "EmailVerified": "yes"}),
    );
    let p = c.auth().profile(TOKEN).await.expect("odd types stay raw");
    assert_eq!(p.uid, "u1");
    assert_eq!(p.phone_id.as_deref(), Some("+16045552368"));
    assert_eq!(p.extra["Country"], "France");
    assert_eq!(p.extra["PhoneNumbers"], 5);
    assert_eq!(p.extra["EmailVerified"], "yes");
    assert!(!p.email_verified);
}

#[tokio::test]
async fn tokens_kept_as_unknown_fields_stay_out_of_debug_output() {
    let transport = RecordingTransport::new();
    transport.reply_json(
        200,
        json!({"Identities": [{"Uid": "u1"}], "access_token": "tok-in-extra-1",
               "session_token": "tok-in-extra-2", "Password": "hash-in-extra-3"}),
    );
    let p = client(&transport)
        .mfa()
        .enable_authenticator(TOKEN, "123456")
        .await
        .expect("profile");
    assert_eq!(p.uid, "u1");
    assert_eq!(p.extra["access_token"], "tok-in-extra-1");
    let shown = format!("{p:?}");
    for hidden in ["tok-in-extra-1", "tok-in-extra-2", "hash-in-extra-3"] {
        assert!(!shown.contains(hidden), "{shown}");
    }
}
