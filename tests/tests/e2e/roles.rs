//! Roles: create/list/delete, permissions add/remove, assign/unassign/get by uid, unknown role
//! 1047, and role contexts (upsert/get/delete, with expiry honoured by the client's
//! authorisation engine).

use std::time::Duration;

use loginradius::Clock;
use loginradius::api::roles::ContextGrant;
use loginradius::auth::{AccessToken, Authenticator, Require};
use loginradius::models::Role;
use loginradius_test_support::e2e::*;
use time::OffsetDateTime;

const EMAIL: &str = "jane@example.com";

fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .with_role("admin", ["manage_users"])
        .with_user(user(EMAIL))
        .with_user(user("other@example.com"))
}

fn names(roles: &[Role]) -> Vec<&str> {
    roles.iter().map(|r| r.name.as_str()).collect()
}

#[tokio::test]
async fn create_list_and_delete_roles() {
    let (_emulator, client) = emulator(config()).await;
    let created = client
        .roles()
        .create([
            Role::new("editor", ["publish", "edit"]),
            Role::new("viewer", ["read"]),
        ])
        .await
        .expect("create roles");
    assert_eq!(created.count, 2);
    assert_eq!(names(&created.roles), ["editor", "viewer"]);
    let editor = &created.roles[0];
    assert_eq!(editor.granted().collect::<Vec<_>>(), ["edit", "publish"]);

    let listed = client.roles().list().await.expect("list roles");
    assert_eq!(listed.count, 3);
    let mut listed_names = names(&listed.roles);
    listed_names.sort_unstable();
    assert_eq!(listed_names, ["admin", "editor", "viewer"]);

    let deleted = client.roles().delete("viewer").await.expect("delete role");
    assert!(deleted.is_deleted);
    let listed = client.roles().list().await.expect("list roles");
    assert!(!names(&listed.roles).contains(&"viewer"));
    assert_eq!(listed.count, 2);
}

#[tokio::test]
async fn creating_an_existing_role_is_refused_with_1175() {
    let (_emulator, client) = emulator(config()).await;
    expect_code(
        client.roles().create([Role::new("admin", ["x"])]).await,
        1175,
    );
}

#[tokio::test]
async fn permissions_are_added_to_and_removed_from_a_role() {
    let (_emulator, client) = emulator(config()).await;
    let role = client
        .roles()
        .add_permissions("admin", ["manage_roles", "audit"])
        .await
        .expect("add");
    assert_eq!(role.name, "admin");
    assert_eq!(
        role.granted().collect::<Vec<_>>(),
        ["audit", "manage_roles", "manage_users"]
    );

    let role = client
        .roles()
        .remove_permissions("admin", ["audit"])
        .await
        .expect("remove");
    assert_eq!(
        role.granted().collect::<Vec<_>>(),
        ["manage_roles", "manage_users"]
    );

    let listed = client.roles().list().await.expect("list");
    let admin = listed
        .roles
        .iter()
        .find(|r| r.name == "admin")
        .expect("admin");
    assert_eq!(
        admin.granted().collect::<Vec<_>>(),
        ["manage_roles", "manage_users"]
    );
}

#[tokio::test]
async fn roles_are_assigned_read_and_unassigned_by_uid() {
    let (_emulator, client) = emulator(config()).await;
    client
        .roles()
        .create([Role::new("editor", ["publish"])])
        .await
        .expect("create");
    let uid = uid_by_email(&client, EMAIL).await;
    assert!(
        client
            .roles()
            .of_user(&uid)
            .await
            .expect("roles")
            .roles
            .is_empty()
    );

    let assigned = client
        .roles()
        .assign(&uid, ["editor", "admin"])
        .await
        .expect("assign");
    assert_eq!(assigned.roles, ["editor", "admin"]);
    // Assigning again changes nothing.
    let again = client
        .roles()
        .assign(&uid, ["editor"])
        .await
        .expect("assign again");
    assert_eq!(again.roles, ["editor", "admin"]);
    assert_eq!(
        client.roles().of_user(&uid).await.expect("roles").roles,
        ["editor", "admin"]
    );
    // The profile carries them too.
    assert_eq!(
        client.account().get(&uid).await.expect("profile").roles,
        Some(vec!["editor".to_owned(), "admin".to_owned()])
    );

    let removed = client
        .roles()
        .unassign(&uid, ["editor"])
        .await
        .expect("unassign");
    assert!(removed.is_deleted);
    assert_eq!(
        client.roles().of_user(&uid).await.expect("roles").roles,
        ["admin"]
    );

    // Another user is untouched.
    let other = uid_by_email(&client, "other@example.com").await;
    assert!(
        client
            .roles()
            .of_user(&other)
            .await
            .expect("roles")
            .roles
            .is_empty()
    );
}

#[tokio::test]
async fn role_names_match_case_insensitively_and_answer_as_created() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    assert_eq!(
        client
            .roles()
            .assign(&uid, ["ADMIN"])
            .await
            .expect("assign")
            .roles,
        ["admin"]
    );
    client
        .roles()
        .unassign(&uid, ["Admin"])
        .await
        .expect("unassign");
    assert!(
        client
            .roles()
            .of_user(&uid)
            .await
            .expect("roles")
            .roles
            .is_empty()
    );
}

#[tokio::test]
async fn deleting_a_role_takes_it_away_from_its_users() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    client
        .roles()
        .assign(&uid, ["admin"])
        .await
        .expect("assign");
    client.roles().delete("admin").await.expect("delete");
    assert!(
        client
            .roles()
            .of_user(&uid)
            .await
            .expect("roles")
            .roles
            .is_empty()
    );
}

#[tokio::test]
async fn unknown_role_is_refused_with_1047() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    let e = expect_code(client.roles().assign(&uid, ["ghost"]).await, 1047);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    // Nothing was assigned, not even the known role of the same request.
    expect_code(client.roles().assign(&uid, ["admin", "ghost"]).await, 1047);
    assert!(
        client
            .roles()
            .of_user(&uid)
            .await
            .expect("roles")
            .roles
            .is_empty()
    );

    expect_code(client.roles().delete("ghost").await, 1047);
    expect_code(client.roles().add_permissions("ghost", ["p"]).await, 1047);
    expect_code(
        client.roles().remove_permissions("ghost", ["p"]).await,
        1047,
    );
    expect_code(
        client
            .roles()
            .upsert_contexts(&uid, [ContextGrant::new("project", ["ghost"])])
            .await,
        1047,
    );
}

#[tokio::test]
async fn roles_of_an_unknown_uid_are_refused_with_938() {
    let (_emulator, client) = emulator(config()).await;
    let nobody = "0123456789abcdef0123456789abcdef";
    expect_code(client.roles().of_user(nobody).await, 938);
    expect_code(client.roles().assign(nobody, ["admin"]).await, 938);
}

#[tokio::test]
async fn role_contexts_are_upserted_read_and_deleted_with_their_expiry() {
    let (_emulator, client) = emulator(config()).await;
    client
        .roles()
        .create([Role::new("editor", ["publish"])])
        .await
        .expect("create");
    let uid = uid_by_email(&client, EMAIL).await;
    // Whole seconds: LoginRadius writes role-context expiry to the second.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let later = now + time::Duration::hours(2);
    let earlier = now - time::Duration::hours(2);

    let contexts = client
        .roles()
        .upsert_contexts(
            &uid,
            [
                ContextGrant::new("project-1", ["editor"])
                    .with_permissions(["approve", "archive"])
                    .expires_at(later),
                ContextGrant::new("project-2", ["admin"]),
                ContextGrant::new("old-project", ["editor"]).expires_at(earlier),
            ],
        )
        .await
        .expect("upsert contexts")
        .contexts;
    assert_eq!(contexts.len(), 3);

    let read = client
        .roles()
        .contexts_of_user(&uid)
        .await
        .expect("contexts")
        .contexts;
    let by_name = |name: &str| {
        read.iter()
            .find(|c| c.context == name)
            .unwrap_or_else(|| panic!("{name} in {read:?}"))
            .clone()
    };
    let p1 = by_name("project-1");
    assert_eq!(p1.roles, ["editor"]);
    assert_eq!(p1.additional_permissions, ["approve", "archive"]);
    assert_eq!(
        p1.expiration,
        Some(later),
        "the expiry round-trips to the second"
    );
    assert!(!p1.is_expired_at(now));
    assert!(p1.is_expired_at(later + time::Duration::seconds(1)));
    let p2 = by_name("project-2");
    assert_eq!(p2.expiration, None);
    // An expired context is still listed, with its expiry: the client decides what it grants.
    let old = by_name("old-project");
    assert_eq!(old.expiration, Some(earlier));
    assert!(old.is_expired_at(now));

    // Upserting an existing context replaces it.
    client
        .roles()
        .upsert_contexts(&uid, [ContextGrant::new("project-2", ["admin", "editor"])])
        .await
        .expect("replace");
    let read = client
        .roles()
        .contexts_of_user(&uid)
        .await
        .expect("contexts")
        .contexts;
    assert_eq!(read.len(), 3);
    assert_eq!(
        read.iter()
            .find(|c| c.context == "project-2")
            .expect("project-2")
            .roles,
        ["admin", "editor"]
    );

    // Users holding a context.
    let holders = client
        .roles()
        .users_in_context("project-1")
        .await
        .expect("users in context");
    let holders = &holders.members;
    assert_eq!(holders.len(), 1);
    assert_eq!(holders[0].uid, uid.as_str());

    // Roles and permissions are removed from one context.
    client
        .roles()
        .remove_context_roles(&uid, "project-2", ["editor"])
        .await
        .expect("remove roles");
    client
        .roles()
        .remove_context_permissions(&uid, "project-1", ["archive"])
        .await
        .expect("remove permissions");
    let read = client
        .roles()
        .contexts_of_user(&uid)
        .await
        .expect("contexts")
        .contexts;
    assert_eq!(
        read.iter()
            .find(|c| c.context == "project-2")
            .expect("project-2")
            .roles,
        ["admin"]
    );
    assert_eq!(
        read.iter()
            .find(|c| c.context == "project-1")
            .expect("project-1")
            .additional_permissions,
        ["approve"]
    );

    let deleted = client
        .roles()
        .delete_context(&uid, "project-1")
        .await
        .expect("delete context");
    assert!(deleted.is_deleted);
    let read = client
        .roles()
        .contexts_of_user(&uid)
        .await
        .expect("contexts")
        .contexts;
    assert!(read.iter().all(|c| c.context != "project-1"));
    assert_eq!(read.len(), 2);
    expect_code(client.roles().delete_context(&uid, "project-1").await, 908);
}

#[tokio::test]
async fn role_context_expiry_is_honoured_by_the_authorisation_engine() {
    let (_emulator, client) =
        emulator(config().with_token_ttl(Duration::from_secs(6 * 3600))).await;
    client
        .roles()
        .create([Role::new("editor", ["publish"])])
        .await
        .expect("create");
    let signed_in = login(&client, EMAIL).await;
    let uid = uid_of(&signed_in);
    let now = OffsetDateTime::now_utc();
    client
        .roles()
        .upsert_contexts(
            &uid,
            [
                ContextGrant::new("live", ["editor"]).expires_at(now + time::Duration::hours(2)),
                ContextGrant::new("expired", ["editor"]).expires_at(now - time::Duration::hours(2)),
            ],
        )
        .await
        .expect("upsert contexts");
    let token = AccessToken::new(token_of(&signed_in));
    let can_publish_in = |context: &str| Require::permission("publish").in_context(context);

    let today = Authenticator::builder(client.clone())
        .build()
        .expect("authenticator");
    let user = today.authenticate(&token).await.expect("authenticated");
    assert!(
        today
            .authorize(&user, &can_publish_in("live"))
            .await
            .is_ok()
    );
    assert!(
        today
            .authorize(&user, &can_publish_in("expired"))
            .await
            .is_err()
    );
    assert!(
        today
            .authorize(&user, &Require::role("editor"))
            .await
            .is_err(),
        "no global role"
    );

    // Three hours later the live context has expired too.
    let at = now + time::Duration::hours(3);
    let later = Authenticator::builder(client.clone())
        .clock(Clock::fixed(at))
        .build()
        .expect("authenticator");
    let user = later.authenticate(&token).await.expect("authenticated");
    assert!(
        later
            .authorize(&user, &can_publish_in("live"))
            .await
            .is_err()
    );
}
