//! Roles, permissions, role contexts and custom objects.

mod common;

use common::{Harness, with_user};
use loginradius_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn roles_create_list_permissions_assign_unassign_delete() {
    let h = Harness::default().await;
    let uid = h.create_user("r@example.com").await;
    let created = h
        .manage(
            Method::POST,
            "/identity/v2/manage/role",
            Some(&json!({ "roles": [{ "name": "Editor", "permissions": { "publish": true } }, { "name": "viewer" }] })),
        )
        .await
        .ok();
    assert_eq!(created["Count"], 2);
    assert_eq!(
        created["data"][0],
        json!({ "Name": "Editor", "Permissions": { "publish": true } })
    );
    h.manage(
        Method::POST,
        "/identity/v2/manage/role",
        Some(&json!({ "roles": [{ "name": "editor" }] })),
    )
    .await
    .error(1175, 403);

    let list = h
        .manage(Method::GET, "/identity/v2/manage/role", None)
        .await
        .ok();
    assert_eq!(list["Count"], 2);
    assert!(
        list.get("data").is_some() && list.get("Data").is_none(),
        "lowercase data"
    );

    let role = h
        .manage(
            Method::PUT,
            "/identity/v2/manage/role/Editor/permission",
            Some(&json!({ "permissions": ["edit", "delete"] })),
        )
        .await
        .ok();
    assert_eq!(
        role["Permissions"],
        json!({ "delete": true, "edit": true, "publish": true })
    );
    let role = h
        .manage(
            Method::DELETE,
            "/identity/v2/manage/role/editor/permission",
            Some(&json!({ "permissions": ["delete"] })),
        )
        .await
        .ok();
    assert_eq!(role["Name"], "Editor");
    assert_eq!(
        role["Permissions"],
        json!({ "edit": true, "publish": true })
    );
    h.manage(
        Method::PUT,
        "/identity/v2/manage/role/ghost/permission",
        Some(&json!({ "permissions": ["x"] })),
    )
    .await
    .error(1047, 400);

    let path = format!("/identity/v2/manage/account/{uid}/role");
    let assigned = h
        .manage(
            Method::PUT,
            &path,
            Some(&json!({ "roles": ["editor", "viewer"] })),
        )
        .await
        .ok();
    assert_eq!(assigned, json!({ "Roles": ["Editor", "viewer"] }));
    h.manage(Method::PUT, &path, Some(&json!({ "roles": ["ghost"] })))
        .await
        .error(1047, 400);
    assert_eq!(
        h.manage(Method::GET, &path, None).await.ok(),
        json!({ "Roles": ["Editor", "viewer"] })
    );
    let profile = h
        .manage(
            Method::GET,
            &format!("/identity/v2/manage/account/{uid}"),
            None,
        )
        .await
        .ok();
    assert_eq!(profile["Roles"], json!(["Editor", "viewer"]));
    h.manage(Method::DELETE, &path, Some(&json!({ "roles": ["viewer"] })))
        .await
        .ok();
    assert_eq!(
        h.manage(Method::GET, &path, None).await.ok(),
        json!({ "Roles": ["Editor"] })
    );

    h.manage(Method::DELETE, "/identity/v2/manage/role/Editor", None)
        .await
        .ok();
    h.manage(Method::DELETE, "/identity/v2/manage/role/Editor", None)
        .await
        .error(1047, 400);
    assert_eq!(
        h.manage(Method::GET, &path, None).await.ok(),
        json!({ "Roles": [] })
    );
    h.manage(Method::GET, "/identity/v2/manage/account/nobody/role", None)
        .await
        .error(938, 403);
}

#[tokio::test]
async fn role_contexts_upsert_read_delete_with_expiry_kept() {
    let h = Harness::start(
        EmulatorConfig::default()
            .with_role("admin", ["all"])
            .with_role("editor", ["edit"]),
    )
    .await;
    let uid = h.create_user("c@example.com").await;
    let path = format!("/identity/v2/manage/account/{uid}/rolecontext");
    let body = json!({ "rolecontext": [
        { "context": "acme", "roles": ["admin"], "additionalpermissions": ["billing"], "expiration": "07/15/2018 8:30:08 AM" },
        { "Context": "globex", "Roles": ["editor"], "AdditionalPermissions": [] },
    ]});
    let data = h.manage(Method::PUT, &path, Some(&body)).await.ok();
    assert_eq!(data["Data"].as_array().map(Vec::len), Some(2));
    // The expired context is still returned, with its expiration: the client decides.
    assert_eq!(
        data["Data"][0],
        json!({ "Context": "acme", "Roles": ["admin"], "AdditionalPermissions": ["billing"], "Expiration": "2018-07-15T08:30:08.0000000Z" })
    );
    assert!(data["Data"][1]["Expiration"].is_null());
    let parsed: loginradius::models::RoleContextList =
        serde_json::from_value(data.clone()).expect("core model parses it");
    assert!(parsed.contexts[0].is_expired_at(time::OffsetDateTime::now_utc()));

    // Upsert replaces by name; unknown roles are refused.
    let replace = json!({ "rolecontext": [{ "context": "ACME", "roles": ["editor"], "expiration": "2099-01-01T00:00:00Z" }] });
    let data = h.manage(Method::PUT, &path, Some(&replace)).await.ok();
    assert_eq!(data["Data"][0]["Roles"], json!(["editor"]));
    assert_eq!(
        data["Data"][0]["Expiration"],
        "2099-01-01T00:00:00.0000000Z"
    );
    h.manage(
        Method::PUT,
        &path,
        Some(&json!({ "rolecontext": [{ "context": "x", "roles": ["ghost"] }] })),
    )
    .await
    .error(1047, 400);

    let users = h
        .manage(
            Method::GET,
            "/identity/v2/manage/account/rolecontext/globex",
            None,
        )
        .await
        .ok();
    assert_eq!(users["Data"][0]["Uid"], uid.as_str());
    assert_eq!(users["Data"][0]["RoleContext"]["Roles"], json!(["editor"]));

    h.manage(
        Method::DELETE,
        &format!("{path}/globex/role"),
        Some(&json!({ "roles": ["editor"] })),
    )
    .await
    .ok();
    h.manage(
        Method::DELETE,
        &format!("{path}/acme/additionalpermission"),
        Some(&json!({ "additionalpermissions": ["x"] })),
    )
    .await
    .ok();
    let read = h.manage(Method::GET, &path, None).await.ok();
    assert_eq!(read["Data"][1]["Roles"], json!([]));
    h.manage(Method::DELETE, &format!("{path}/globex"), None)
        .await
        .ok();
    let read = h.manage(Method::GET, &path, None).await.ok();
    assert_eq!(read["Data"].as_array().map(Vec::len), Some(1));
    h.manage(Method::DELETE, &format!("{path}/globex"), None)
        .await
        .error(908, 403);
}

#[tokio::test]
async fn custom_objects_by_uid_and_by_token() {
    let h = Harness::start(with_user(EmulatorConfig::default(), "co@example.com")).await;
    let token = h.token("co@example.com").await;
    let uid = h
        .bearer(Method::GET, "/identity/v2/auth/account", &token, None)
        .await
        .ok()["Uid"]
        .as_str()
        .unwrap()
        .to_owned();

    let base = format!("/identity/v2/manage/account/{uid}/customobject");
    let created = h
        .manage(
            Method::POST,
            &format!("{base}?objectname=prefs"),
            Some(&json!({ "theme": "dark", "size": 2 })),
        )
        .await
        .ok();
    let id = created["Id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);
    assert_eq!(created["Uid"], uid.as_str());
    assert_eq!(
        created["CustomObject"],
        json!({ "theme": "dark", "size": 2 })
    );
    assert_eq!(created["IsActive"], true);

    // By token: the same records.
    let list = h
        .bearer(
            Method::GET,
            "/identity/v2/auth/customobject?objectname=prefs",
            &token,
            None,
        )
        .await
        .ok();
    assert_eq!(list["Count"], 1);
    assert_eq!(list["data"][0]["Id"], id.as_str());
    let by_token = h
        .bearer(
            Method::POST,
            "/identity/v2/auth/customobject?ObjectName=prefs",
            &token,
            Some(&json!({ "lang": "fr" })),
        )
        .await
        .ok();
    let id2 = by_token["Id"].as_str().unwrap().to_owned();

    // Partial replace (default) merges top-level keys; replace swaps the object.
    let merged = h
        .manage(
            Method::PUT,
            &format!("{base}/{id}?objectname=prefs"),
            Some(&json!({ "size": 3 })),
        )
        .await
        .ok();
    assert_eq!(
        merged["CustomObject"],
        json!({ "theme": "dark", "size": 3 })
    );
    let replaced = h
        .bearer(
            Method::PUT,
            &format!("/identity/v2/auth/customobject/{id}?objectname=prefs&updatetype=replace"),
            &token,
            Some(&json!({ "only": true })),
        )
        .await
        .ok();
    assert_eq!(replaced["CustomObject"], json!({ "only": true }));
    let read = h
        .manage(Method::GET, &format!("{base}/{id}?objectname=prefs"), None)
        .await
        .ok();
    assert_eq!(read["CustomObject"], json!({ "only": true }));

    let del = h
        .bearer(
            Method::DELETE,
            &format!("/identity/v2/auth/customobject/{id2}?objectname=prefs"),
            &token,
            None,
        )
        .await
        .ok();
    assert_eq!(del, json!({ "IsDeleted": true }));
    h.manage(Method::GET, &format!("{base}/{id2}?objectname=prefs"), None)
        .await
        .error(1057, 403);
    h.manage(
        Method::DELETE,
        &format!("{base}/{id}?objectname=prefs"),
        None,
    )
    .await
    .ok();
    h.bearer(
        Method::GET,
        &format!("/identity/v2/auth/customobject/{id}?objectname=prefs"),
        &token,
        None,
    )
    .await
    .error(1057, 403);
    h.manage(
        Method::POST,
        &format!("{base}?objectname=prefs"),
        Some(&json!([1, 2])),
    )
    .await
    .error(1035, 400);
    h.manage(Method::GET, &base, None).await.error(1064, 403);
}
