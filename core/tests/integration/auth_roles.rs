//! Roles, permissions and role contexts: every `Require` combination, caching, context expiry
//! at decision time, and eviction on role changes made through the client.

use std::time::Duration;

use crate::auth_support::*;
use loginradius::auth::{AuthenticatedUser, Authenticator, RejectionKind, Require};
use loginradius::models::Role;
use serde_json::json;
use time::OffsetDateTime;

const UID: &str = "u-1";

/// The user has roles `editor` and `viewer`; `editor` grants `publish` and `edit`, `viewer`
/// grants `read`, `admin` grants everything. Context `acme` makes them `manager` (with extra
/// permission `billing`), context `old` expired, context `beta` expires in a year.
fn scripted() -> Upstream {
    let upstream = Upstream::new();
    upstream.user_until(UID, in_an_hour());
    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["editor", "viewer"]})),
    );
    upstream.always(
        ROLE_LIST,
        Reply::Json(
            200,
            json!({"data": [
                {"Name": "editor", "Permissions": {"publish": true, "edit": true, "delete": false}},
                {"Name": "viewer", "Permissions": {"read": true}},
                {"Name": "manager", "Permissions": {"approve": true}},
                {"Name": "admin", "Permissions": {"publish": true, "edit": true, "delete": true}}
            ], "Count": 4}),
        ),
    );
    upstream.always(
        contexts_path(UID),
        Reply::Json(
            200,
            json!({"Data": [
                {"Context": "acme", "Roles": ["manager"], "AdditionalPermissions": ["billing"], "Expiration": null},
                {"Context": "old", "Roles": ["admin"], "AdditionalPermissions": ["everything"], "Expiration": "2001-01-01T00:00:00Z"},
                {"Context": "beta", "Roles": ["admin"], "AdditionalPermissions": [],
                 "Expiration": loginradius::models::timestamp::format(OffsetDateTime::now_utc() + time::Duration::days(365))}
            ]}),
        ),
    );
    upstream
}

async fn signed_in(auth: &Authenticator) -> AuthenticatedUser {
    auth.authenticate(&token("tok")).await.unwrap()
}

async fn allowed(auth: &Authenticator, require: &Require) -> bool {
    let user = signed_in(auth).await;
    match auth.authorize(&user, require).await {
        Ok(()) => true,
        Err(r) => {
            assert_eq!(r.kind(), RejectionKind::Forbidden, "{r}");
            false
        }
    }
}

#[tokio::test]
async fn every_require_combination() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    let cases: Vec<(Require, bool)> = vec![
        (Require::authenticated(), true),
        (Require::role("editor"), true),
        (Require::role("admin"), false),
        (Require::role("Editor"), false),
        (Require::any_role(["admin", "viewer"]), true),
        (Require::any_role(["admin", "owner"]), false),
        (Require::any_role(Vec::<String>::new()), false),
        (Require::all_roles(["editor", "viewer"]), true),
        (Require::all_roles(["editor", "admin"]), false),
        (Require::all_roles(Vec::<String>::new()), true),
        (Require::permission("publish"), true),
        (Require::permission("delete"), false),
        (Require::permission("approve"), false),
        (Require::any_permission(["delete", "read"]), true),
        (Require::any_permission(["delete", "approve"]), false),
        (Require::all_permissions(["publish", "edit", "read"]), true),
        (Require::all_permissions(["publish", "delete"]), false),
        (
            Require::role("editor").and(Require::permission("read")),
            true,
        ),
        (
            Require::role("editor").and(Require::permission("delete")),
            false,
        ),
        (Require::role("admin").or(Require::permission("edit")), true),
        (
            Require::role("admin").or(Require::permission("delete")),
            false,
        ),
        (
            Require::all([
                Require::role("viewer"),
                Require::any_permission(["x", "edit"]),
            ]),
            true,
        ),
        (
            Require::all([Require::role("viewer"), Require::role("nobody")]),
            false,
        ),
        (
            Require::any([Require::role("nobody"), Require::role("viewer")]),
            true,
        ),
        (Require::any([]), false),
        (Require::all([]), true),
        // Role contexts: the context's roles and permissions count, global roles do not.
        (Require::role("manager").in_context("acme"), true),
        (Require::role("editor").in_context("acme"), false),
        (Require::permission("approve").in_context("acme"), true),
        (Require::permission("billing").in_context("acme"), true),
        (Require::permission("publish").in_context("acme"), false),
        (
            Require::all_permissions(["approve", "billing"]).in_context("acme"),
            true,
        ),
        (Require::role("manager").in_context("elsewhere"), false),
        (Require::role("manager"), false),
        // An expired context counts for nothing; a live one with an expiry counts.
        (Require::role("admin").in_context("old"), false),
        (Require::permission("everything").in_context("old"), false),
        (Require::role("admin").in_context("beta"), true),
        (Require::permission("delete").in_context("beta"), true),
        // Mixed scopes, and the innermost context winning.
        (
            Require::role("editor").and(Require::role("manager").in_context("acme")),
            true,
        ),
        (
            Require::role("admin").or(Require::role("admin").in_context("beta")),
            true,
        ),
        (
            Require::role("admin").in_context("beta").in_context("acme"),
            true,
        ),
        (
            Require::role("manager")
                .in_context("acme")
                .in_context("beta"),
            true,
        ),
    ];
    for (require, expected) in &cases {
        assert_eq!(allowed(&auth, require).await, *expected, "{require}");
    }
    // Everything came from one lookup of each kind.
    assert_eq!(upstream.count(&roles_path(UID)), 1);
    assert_eq!(upstream.count(&contexts_path(UID)), 1);
    assert_eq!(upstream.count(ROLE_LIST), 1);
    assert_eq!(upstream.count(PROFILE), 1);
}

#[tokio::test]
async fn only_the_role_data_a_requirement_needs_is_fetched() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    assert!(allowed(&auth, &Require::authenticated()).await);
    assert_eq!(upstream.total(), 2, "validate + profile only");
    assert!(allowed(&auth, &Require::role("editor")).await);
    assert_eq!(upstream.count(ROLE_LIST), 0);
    assert_eq!(upstream.count(&contexts_path(UID)), 0);
    assert!(allowed(&auth, &Require::permission("read")).await);
    assert_eq!(upstream.count(ROLE_LIST), 1);
    assert_eq!(upstream.count(&contexts_path(UID)), 0);
}

#[tokio::test]
async fn roles_are_cached_for_their_ttl() {
    let upstream = scripted();
    let auth = builder(&upstream)
        .roles_ttl(Duration::from_millis(300))
        .build()
        .unwrap();
    assert!(allowed(&auth, &Require::role("editor")).await);
    assert!(allowed(&auth, &Require::role("editor")).await);
    assert_eq!(upstream.count(&roles_path(UID)), 1);
    tokio::time::sleep(Duration::from_millis(400)).await;
    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["viewer"]})),
    );
    assert!(!allowed(&auth, &Require::role("editor")).await);
    assert_eq!(upstream.count(&roles_path(UID)), 2);
}

#[tokio::test]
async fn role_context_expiry_is_checked_at_decision_time() {
    let upstream = scripted();
    let soon = OffsetDateTime::now_utc() + time::Duration::milliseconds(600);
    upstream.always(
        contexts_path(UID),
        Reply::Json(
            200,
            json!({"Data": [{"Context": "trial", "Roles": ["admin"], "Expiration": loginradius::models::timestamp::format(soon)}]}),
        ),
    );
    let auth = builder(&upstream).build().unwrap();
    let require = Require::role("admin").in_context("trial");
    assert!(allowed(&auth, &require).await);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        !allowed(&auth, &require).await,
        "an expired context must not count"
    );
    // Decided from the cached contexts: no new fetch was needed to notice the expiry.
    assert_eq!(upstream.count(&contexts_path(UID)), 1);
}

#[tokio::test]
async fn role_context_expiry_follows_the_authenticator_clock() {
    let upstream = scripted();
    let later = OffsetDateTime::now_utc() + time::Duration::days(400);
    let auth = builder(&upstream)
        .clock(loginradius::Clock::fixed(later))
        .validate_tokens(false)
        .build()
        .unwrap();
    assert!(!allowed(&auth, &Require::role("admin").in_context("beta")).await);
    assert!(allowed(&auth, &Require::role("manager").in_context("acme")).await);
}

#[tokio::test]
async fn assigning_or_unassigning_roles_through_the_client_evicts_the_user_roles() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    assert!(!allowed(&auth, &Require::role("admin")).await);

    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["editor", "viewer", "admin"]})),
    );
    auth.client().roles().assign(UID, ["admin"]).await.unwrap();
    assert!(allowed(&auth, &Require::role("admin")).await);
    // PUT (assign) + 2 GETs.
    assert_eq!(upstream.count(&roles_path(UID)), 3);

    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["viewer"]})),
    );
    upstream.once(
        roles_path(UID),
        Reply::Json(200, json!({"IsDeleted": true})),
    );
    auth.client()
        .roles()
        .unassign(UID, ["admin", "editor"])
        .await
        .unwrap();
    assert!(!allowed(&auth, &Require::role("admin")).await);
    assert!(allowed(&auth, &Require::role("viewer")).await);
}

#[tokio::test]
async fn changing_role_contexts_through_the_client_evicts_the_user_contexts() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    let require = Require::role("owner").in_context("acme");
    assert!(!allowed(&auth, &require).await);

    let changed = json!({"Data": [{"Context": "acme", "Roles": ["owner"]}]});
    upstream.always(contexts_path(UID), Reply::Json(200, changed));
    auth.client()
        .roles()
        .upsert_contexts(
            UID,
            [loginradius::api::roles::ContextGrant::new(
                "acme",
                ["owner"],
            )],
        )
        .await
        .unwrap();
    assert!(allowed(&auth, &require).await);

    upstream.always(contexts_path(UID), Reply::Json(200, json!({"Data": []})));
    upstream.always(
        format!("{}/acme", contexts_path(UID)),
        Reply::Json(200, json!({"IsDeleted": true})),
    );
    auth.client()
        .roles()
        .delete_context(UID, "acme")
        .await
        .unwrap();
    assert!(!allowed(&auth, &require).await);
}

#[tokio::test]
async fn changing_role_definitions_through_the_client_evicts_them() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    assert!(!allowed(&auth, &Require::permission("delete")).await);

    upstream.always(
        ROLE_LIST,
        Reply::Json(
            200,
            json!({"data": [{"Name": "editor", "Permissions": {"delete": true}}]}),
        ),
    );
    upstream.always(
        format!("{ROLE_LIST}/editor/permission"),
        Reply::Json(
            200,
            json!({"Name": "editor", "Permissions": {"delete": true}}),
        ),
    );
    auth.client()
        .roles()
        .add_permissions("editor", ["delete"])
        .await
        .unwrap();
    assert!(allowed(&auth, &Require::permission("delete")).await);
    assert_eq!(upstream.count(ROLE_LIST), 2);

    // Creating a role evicts them too.
    upstream.once(
        ROLE_LIST,
        Reply::Json(200, json!({"data": [{"Name": "x", "Permissions": {}}]})),
    );
    auth.client()
        .roles()
        .create([Role::new("x", ["y"])])
        .await
        .unwrap();
    assert!(allowed(&auth, &Require::permission("delete")).await);
    assert_eq!(upstream.count(ROLE_LIST), 4, "{:?}", upstream.calls());
}

#[tokio::test]
async fn deleting_a_role_evicts_definitions_and_every_user_role() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    assert!(allowed(&auth, &Require::permission("publish")).await);
    upstream.always(
        roles_path(UID),
        Reply::Json(200, json!({"Roles": ["viewer"]})),
    );
    upstream.always(
        format!("{ROLE_LIST}/editor"),
        Reply::Json(200, json!({"IsDeleted": true})),
    );
    auth.client().roles().delete("editor").await.unwrap();
    assert!(!allowed(&auth, &Require::permission("publish")).await);
    assert_eq!(upstream.count(&roles_path(UID)), 2);
}

#[tokio::test]
async fn a_failed_role_change_evicts_nothing() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    assert!(allowed(&auth, &Require::role("editor")).await);
    upstream.once(roles_path(UID), lr_error(400, 1047, "unknown role"));
    assert!(auth.client().roles().assign(UID, ["nope"]).await.is_err());
    assert!(allowed(&auth, &Require::role("editor")).await);
    assert_eq!(upstream.count(&roles_path(UID)), 2, "one GET, one PUT");
}

#[tokio::test]
async fn subscribers_are_weak_and_clients_outlive_authenticators() {
    let upstream = scripted();
    let client = client(&upstream);
    for _ in 0..3 {
        let auth = Authenticator::builder(client.clone()).build().unwrap();
        drop(auth);
    }
    upstream.once(roles_path(UID), Reply::Json(200, json!({"Roles": ["x"]})));
    client.roles().assign(UID, ["x"]).await.unwrap();
}

#[tokio::test]
async fn role_api_outage_is_503_never_allow() {
    let upstream = scripted();
    upstream.always(roles_path(UID), Reply::Raw(500, vec![], "down"));
    upstream.always(ROLE_LIST, Reply::Timeout);
    let auth = builder(&upstream).build().unwrap();
    let user = signed_in(&auth).await;
    for require in [
        Require::role("editor"),
        Require::permission("read"),
        Require::role("nobody").or(Require::role("editor")),
    ] {
        let r = auth.authorize(&user, &require).await.unwrap_err();
        assert_eq!(r.kind(), RejectionKind::Unavailable, "{require}");
    }
    // The token itself does not need the Role API.
    assert!(
        auth.authorize(&user, &Require::authenticated())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_client_without_the_api_secret_is_a_500_for_role_requirements() {
    let upstream = scripted();
    let client = loginradius::LoginRadius::builder()
        .api_key("k")
        .retry(loginradius::RetryPolicy::none())
        .transport(upstream.clone())
        .build()
        .unwrap();
    let auth = Authenticator::builder(client).build().unwrap();
    let user = signed_in(&auth).await;
    let r = auth
        .authorize(&user, &Require::role("editor"))
        .await
        .unwrap_err();
    assert_eq!(r.kind(), RejectionKind::Misconfigured);
    assert_eq!(r.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_user_whose_token_expired_meanwhile_is_not_authorised() {
    let upstream = scripted();
    let auth = builder(&upstream).build().unwrap();
    let profile: loginradius::models::Profile =
        serde_json::from_value(json!({"Uid": UID})).unwrap();
    let stale = AuthenticatedUser::new(
        token("tok"),
        profile,
        Some(OffsetDateTime::now_utc() - time::Duration::seconds(1)),
    );
    let r = auth
        .authorize(&stale, &Require::authenticated())
        .await
        .unwrap_err();
    assert_eq!(r.kind(), RejectionKind::ExpiredToken);
}

/// A decision for a role in context `acme` that is fetching the (old) role contexts slowly
/// while the context is deleted through the client; `during` runs right after the deletion, with
/// the first decision's fetch still under way. Returns the authenticator, the user, the
/// requirement and the upstream, once the first decision has finished (it saw the old data).
async fn context_deleted_during_a_fetch<F: Future<Output = ()>>(
    during: impl FnOnce(Authenticator, AuthenticatedUser, Require) -> F,
) -> (Authenticator, AuthenticatedUser, Require, Upstream) {
    let upstream = scripted();
    upstream.set_path_delay(contexts_path(UID), Duration::from_millis(400));
    upstream.always(
        format!("{}/acme", contexts_path(UID)),
        Reply::Json(200, json!({"IsDeleted": true})),
    );
    let auth = builder(&upstream).build().unwrap();
    let user = signed_in(&auth).await;
    let require = Require::role("manager").in_context("acme");
    let in_flight = {
        let (auth, user, require) = (auth.clone(), user.clone(), require.clone());
        tokio::spawn(async move { auth.authorize(&user, &require).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    upstream.always(contexts_path(UID), Reply::Json(200, json!({"Data": []})));
    auth.client()
        .roles()
        .delete_context(UID, "acme")
        .await
        .unwrap();
    during(auth.clone(), user.clone(), require.clone()).await;
    assert!(
        in_flight.await.unwrap().is_ok(),
        "the overlapping decision saw the old data"
    );
    (auth, user, require, upstream)
}

#[tokio::test]
async fn a_fetch_that_overlaps_a_role_change_is_not_kept() {
    let (auth, user, require, upstream) = context_deleted_during_a_fetch(|_, _, _| async {}).await;
    // The old data was not kept.
    let r = auth.authorize(&user, &require).await.unwrap_err();
    assert_eq!(r.kind(), RejectionKind::Forbidden);
    assert_eq!(upstream.count(&contexts_path(UID)), 2);
}

#[tokio::test]
async fn role_data_fetched_before_a_change_is_not_remembered_by_a_decision_that_starts_after_it() {
    // A second decision starts after the change, while the old fetch is still running.
    let (auth, user, require, _) =
        context_deleted_during_a_fetch(|auth, user, require| async move {
            let _ = auth.authorize(&user, &require).await;
        })
        .await;
    // Whatever that decision saw, it remembered no old data: the next decisions, by the same
    // user value, are refused.
    for _ in 0..2 {
        let r = auth.authorize(&user, &require).await.unwrap_err();
        assert_eq!(r.kind(), RejectionKind::Forbidden);
    }
}
