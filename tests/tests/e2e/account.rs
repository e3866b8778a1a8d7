//! Accounts: create/read/update/delete by uid with the API secret, and the profile read and
//! update by access token.

use loginradius::models::{NewAccount, ProfileUpdate};
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";
const UNKNOWN_UID: &str = "0123456789abcdef0123456789abcdef";

fn config() -> EmulatorConfig {
    EmulatorConfig::default().with_user(user(EMAIL).name("Jane", "Doe"))
}

#[tokio::test]
async fn create_read_update_delete_by_uid() {
    let (_emulator, client) = emulator(EmulatorConfig::default()).await;
    let created = client
        .account()
        .create(
            &NewAccount::with_email("new@example.com", PASSWORD)
                .first_name("Nina")
                .user_name("nina")
                .email_verified(true),
        )
        .await
        .expect("create");
    let uid = created.uid.clone();
    assert!(!uid.is_empty());
    assert_eq!(created.primary_email(), Some("new@example.com"));
    assert_eq!(created.first_name.as_deref(), Some("Nina"));
    assert!(created.email_verified);
    assert!(
        created.extra.get("Password").is_none(),
        "the password never comes back"
    );

    let read = client.account().get(&uid).await.expect("read");
    assert_eq!(read.uid, uid);
    assert_eq!(read.user_name.as_deref(), Some("nina"));
    assert_eq!(
        client
            .account()
            .by_email("new@example.com")
            .await
            .expect("by email")
            .uid,
        uid
    );
    assert_eq!(
        client
            .account()
            .by_username("nina")
            .await
            .expect("by username")
            .uid,
        uid
    );

    // The created account can sign in with its password.
    let signed_in = login(&client, "new@example.com").await;
    assert_eq!(uid_of(&signed_in), uid);

    let updated = client
        .account()
        .update(&uid, &json!({ "FirstName": "Nora", "LastName": "Smith" }))
        .await
        .expect("update");
    assert_eq!(updated.first_name.as_deref(), Some("Nora"));
    assert_eq!(updated.last_name.as_deref(), Some("Smith"));
    assert_eq!(
        client
            .account()
            .get(&uid)
            .await
            .expect("read")
            .first_name
            .as_deref(),
        Some("Nora")
    );

    let deleted = client.account().delete(&uid).await.expect("delete");
    assert!(deleted.is_deleted);
    expect_code(client.account().get(&uid).await, 938);
    expect_code(
        client
            .auth()
            .login_by_email("new@example.com", PASSWORD)
            .await,
        966,
    );
    // The deleted user's session is gone too.
    expect_code(client.auth().profile(token_of(&signed_in)).await, 905);
}

#[tokio::test]
async fn changing_the_email_by_uid_moves_the_login() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    let updated = client
        .account()
        .update(
            &uid,
            &json!({ "Email": [{ "Type": "Primary", "Value": "janet@example.com" }] }),
        )
        .await
        .expect("update the email");
    assert_eq!(updated.primary_email(), Some("janet@example.com"));
    login(&client, "janet@example.com").await;
    expect_code(client.auth().login_by_email(EMAIL, PASSWORD).await, 966);
    expect_code(client.account().by_email(EMAIL).await, 938);
}

#[tokio::test]
async fn deleting_an_account_deletes_what_hangs_off_it() {
    let (_emulator, client) = emulator(config().with_role("admin", ["all"])).await;
    let uid = uid_by_email(&client, EMAIL).await;
    client
        .roles()
        .assign(&uid, ["admin"])
        .await
        .expect("assign");
    let record = client
        .custom_objects()
        .create_for_user(&uid, "notes", &json!({ "n": 1 }))
        .await
        .expect("record");
    client.account().delete(&uid).await.expect("delete");
    expect_code(client.roles().of_user(&uid).await, 938);
    expect_code(
        client
            .custom_objects()
            .get_for_user(&uid, "notes", &record.id)
            .await,
        938,
    );
}

#[tokio::test]
async fn unknown_uid_is_refused_with_938() {
    let (_emulator, client) = emulator(config()).await;
    expect_code(client.account().get(UNKNOWN_UID).await, 938);
    expect_code(
        client
            .account()
            .update(UNKNOWN_UID, &json!({ "FirstName": "X" }))
            .await,
        938,
    );
    expect_code(client.account().delete(UNKNOWN_UID).await, 938);
    expect_code(client.account().by_email("nobody@example.com").await, 938);
}

#[tokio::test]
async fn creating_an_account_with_a_taken_email_is_refused_with_936() {
    let (_emulator, client) = emulator(config()).await;
    expect_code(
        client
            .account()
            .create(&NewAccount::with_email(EMAIL, PASSWORD))
            .await,
        936,
    );
}

#[tokio::test]
async fn a_deleted_email_can_register_again() {
    let (_emulator, client) =
        emulator(config().with_email_verification(EmailVerification::Disabled)).await;
    let uid = uid_by_email(&client, EMAIL).await;
    client.account().delete(&uid).await.expect("delete");
    let sott = client
        .local_sott(std::time::Duration::from_secs(600))
        .unwrap();
    let again = client
        .auth()
        .register(
            &loginradius::models::Registration::new(EMAIL, PASSWORD),
            sott,
        )
        .await
        .expect("register again");
    let profile = again.data.and_then(|d| d.profile).expect("profile");
    assert_ne!(profile.uid, uid, "a new identity");
}

#[tokio::test]
async fn profile_by_token_reads_the_signed_in_user() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let profile = client
        .auth()
        .profile(token_of(&signed_in))
        .await
        .expect("profile");
    assert_eq!(profile.uid, uid_of(&signed_in));
    assert_eq!(profile.primary_email(), Some(EMAIL));
    assert_eq!(profile.first_name.as_deref(), Some("Jane"));
    assert_eq!(profile.last_name.as_deref(), Some("Doe"));
    assert!(profile.email_verified);
    assert!(profile.extra.get("Password").is_none());
}

#[tokio::test]
async fn profile_by_token_restricted_to_fields() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let profile = client
        .auth()
        .profile(token_of(&signed_in))
        .fields("Uid,FirstName")
        .await
        .expect("profile");
    assert_eq!(profile.uid, uid_of(&signed_in));
    assert_eq!(profile.first_name.as_deref(), Some("Jane"));
    assert_eq!(profile.last_name, None, "fields not asked for are left out");
    assert_eq!(profile.email, None);
}

#[tokio::test]
async fn profile_update_by_token_changes_the_profile() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let update = ProfileUpdate::new()
        .first_name("Janet")
        .field("About", "Writes tests.");
    let answer = client
        .auth()
        .update_profile(token_of(&signed_in), &update)
        .await
        .expect("update");
    assert!(answer.is_posted);
    let data = answer.data.expect("the updated profile");
    assert_eq!(data.first_name.as_deref(), Some("Janet"));
    assert_eq!(data.about.as_deref(), Some("Writes tests."));
    assert_eq!(
        data.last_name.as_deref(),
        Some("Doe"),
        "fields not sent are kept"
    );

    let read = client
        .auth()
        .profile(token_of(&signed_in))
        .await
        .expect("profile");
    assert_eq!(read.first_name.as_deref(), Some("Janet"));
    let by_uid = client
        .account()
        .get(&uid_of(&signed_in))
        .await
        .expect("by uid");
    assert_eq!(by_uid.about.as_deref(), Some("Writes tests."));
}

#[tokio::test]
async fn profile_update_by_token_with_null_support_erases_a_field() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let update = ProfileUpdate::new().clear("LastName");
    let answer = client
        .auth()
        .update_profile(token_of(&signed_in), &update)
        .null_support(true)
        .await
        .expect("update");
    assert_eq!(answer.data.expect("profile").last_name, None);
}

#[tokio::test]
async fn profile_with_an_invalidated_token_is_refused_with_905() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    client
        .auth()
        .invalidate_token(token_of(&signed_in))
        .await
        .expect("logout");
    expect_code(client.auth().profile(token_of(&signed_in)).await, 905);
    expect_code(
        client
            .auth()
            .update_profile(token_of(&signed_in), &ProfileUpdate::new().first_name("X"))
            .await,
        905,
    );
}
