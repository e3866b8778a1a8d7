//! RoleApi.

use loginradius::api::roles::ContextGrant;
use loginradius::models::Role;

use super::{Case, UID};
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "RoleApi",
            "get_roles_by_uid",
            "client.roles().of_user(uid)",
            |c| c.roles().of_user(UID)
        ),
        case!(
            "RoleApi",
            "assign_roles_by_uid",
            "client.roles().assign(uid, roles)",
            |c| c.roles().assign(UID, ["editor"])
        ),
        case!(
            "RoleApi",
            "unassign_roles_by_uid",
            "client.roles().unassign(uid, roles)",
            |c| c.roles().unassign(UID, ["editor"])
        ),
        case!(
            "RoleApi",
            "get_role_context_by_uid",
            "client.roles().contexts_of_user(uid)",
            |c| c.roles().contexts_of_user(UID)
        ),
        case!(
            "RoleApi",
            "get_role_context_by_context_name",
            "client.roles().users_in_context(context)",
            |c| c.roles().users_in_context("home")
        ),
        case!(
            "RoleApi",
            "update_role_context_by_uid",
            "client.roles().upsert_contexts(uid, [ContextGrant::new(context, roles)])",
            |c| c.roles().upsert_contexts(
                UID,
                [ContextGrant::new("home", ["admin"]).with_permissions(["export"])]
            )
        ),
        case!(
            "RoleApi",
            "delete_role_context_by_uid",
            "client.roles().delete_context(uid, context)",
            |c| c.roles().delete_context(UID, "home")
        ),
        case!(
            "RoleApi",
            "delete_roles_from_role_context_by_uid",
            "client.roles().remove_context_roles(uid, context, roles)",
            |c| c.roles().remove_context_roles(UID, "home", ["admin"])
        ),
        case!(
            "RoleApi",
            "delete_additional_permission_from_role_context_by_uid",
            "client.roles().remove_context_permissions(uid, context, permissions)",
            |c| c
                .roles()
                .remove_context_permissions(UID, "home", ["export"])
        ),
        case!("RoleApi", "get_roles_list", "client.roles().list()", |c| c
            .roles()
            .list()),
        case!(
            "RoleApi",
            "create_roles",
            "client.roles().create([Role::new(name, permissions)])",
            |c| c.roles().create([Role::new("editor", ["publish"])])
        ),
        case!(
            "RoleApi",
            "delete_role",
            "client.roles().delete(role)",
            |c| c.roles().delete("editor")
        ),
        case!(
            "RoleApi",
            "add_role_permissions",
            "client.roles().add_permissions(role, permissions)",
            |c| c.roles().add_permissions("editor", ["publish"])
        ),
        case!(
            "RoleApi",
            "remove_role_permissions",
            "client.roles().remove_permissions(role, permissions)",
            |c| c.roles().remove_permissions("editor", ["publish"])
        ),
    ]
}
