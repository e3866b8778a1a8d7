//! Roles, permissions and role contexts (`RoleApi`). Every call needs the API secret.

use std::sync::Arc;

use serde_json::json;
use time::OffsetDateTime;

use crate::client::role_events::{RoleChange, RoleEvents};
use crate::models::{ContextMembers, Deleted, Role, RoleContextList, RoleList, UserRoles};
use crate::request::{Call, endpoint, request_builder};

endpoint!(LIST, "roles.list", GET, "/identity/v2/manage/role", Manage);
endpoint!(
    CREATE,
    "roles.create",
    POST,
    "/identity/v2/manage/role",
    Manage
);
endpoint!(
    DELETE,
    "roles.delete",
    DELETE,
    "/identity/v2/manage/role/{role}",
    Manage
);
endpoint!(
    ADD_PERMISSIONS,
    "roles.add_permissions",
    PUT,
    "/identity/v2/manage/role/{role}/permission",
    Manage
);
endpoint!(
    REMOVE_PERMISSIONS,
    "roles.remove_permissions",
    DELETE,
    "/identity/v2/manage/role/{role}/permission",
    Manage
);
endpoint!(
    OF_USER,
    "roles.of_user",
    GET,
    "/identity/v2/manage/account/{uid}/role",
    Manage
);
endpoint!(
    ASSIGN,
    "roles.assign",
    PUT,
    "/identity/v2/manage/account/{uid}/role",
    Manage
);
endpoint!(
    UNASSIGN,
    "roles.unassign",
    DELETE,
    "/identity/v2/manage/account/{uid}/role",
    Manage
);
endpoint!(
    CONTEXTS_OF_USER,
    "roles.contexts_of_user",
    GET,
    "/identity/v2/manage/account/{uid}/rolecontext",
    Manage
);
endpoint!(
    USERS_IN_CONTEXT,
    "roles.users_in_context",
    GET,
    "/identity/v2/manage/account/rolecontext/{context}",
    Manage
);
endpoint!(
    UPSERT_CONTEXTS,
    "roles.upsert_contexts",
    PUT,
    "/identity/v2/manage/account/{uid}/rolecontext",
    Manage
);
endpoint!(
    DELETE_CONTEXT,
    "roles.delete_context",
    DELETE,
    "/identity/v2/manage/account/{uid}/rolecontext/{context}",
    Manage
);
endpoint!(
    REMOVE_CONTEXT_ROLES,
    "roles.remove_context_roles",
    DELETE,
    "/identity/v2/manage/account/{uid}/rolecontext/{context}/role",
    Manage
);
endpoint!(
    REMOVE_CONTEXT_PERMISSIONS,
    "roles.remove_context_permissions",
    DELETE,
    "/identity/v2/manage/account/{uid}/rolecontext/{context}/additionalpermission",
    Manage
);

group_handle! {
    /// Roles, permissions and role contexts, from [`LoginRadius::roles`](crate::LoginRadius::roles).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::models::Role;
    /// client.roles().create([Role::new("editor", ["publish", "edit"])]).await?;
    /// client.roles().assign("b2d4f1e0c3a94c1e9f7a6d5c4b3a2910", ["editor"]).await?;
    /// let roles = client.roles().of_user("b2d4f1e0c3a94c1e9f7a6d5c4b3a2910").await?;
    /// assert!(roles.roles.contains(&"editor".to_string()));
    /// # Ok(()) }
    /// ```
    Roles
}

request_builder! {
    /// Lists every role of the site with its permissions. From [`Roles::list`].
    pub struct ListRoles -> RoleList;
}
/// Declares a request builder for a role call that may change roles: after it succeeds (or
/// when its outcome is unknown: timeout, transport failure, 5xx), the client's role-change
/// subscribers are told, so that authorisation caches drop the affected entries.
macro_rules! notifying_builder {
    ($(#[$meta:meta])* pub struct $name:ident -> $out:ty;) => {
        $(#[$meta])*
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct $name {
            call: Call,
            events: Arc<RoleEvents>,
            change: Option<RoleChange>,
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name)).field("endpoint", &self.call.endpoint_name()).finish_non_exhaustive()
            }
        }

        impl $name {
            fn from_call(roles: &Roles<'_>, call: Call, change: Option<RoleChange>) -> Self {
                Self { call, events: Arc::clone(&roles.client.role_events), change }
            }

            /// Finishes by `at`, as every request builder's `deadline` does (see
            /// [`ListRoles::deadline`]).
            pub fn deadline(mut self, at: ::tokio::time::Instant) -> Self {
                self.call = self.call.deadline(at);
                self
            }

            /// Sends the request. Awaiting the builder does the same.
            pub async fn send(self) -> Result<$out, crate::Error> {
                let result = self.call.send().await;
                let may_have_changed = match &result {
                    Ok(_) => true,
                    Err(e) => e.is_unavailable(),
                };
                if let (true, Some(change)) = (may_have_changed, self.change) {
                    self.events.publish(change).await;
                }
                result
            }
        }

        impl ::std::future::IntoFuture for $name {
            type Output = Result<$out, crate::Error>;
            type IntoFuture = crate::request::BoxFuture<$out>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

notifying_builder! {
    /// Creates roles. From [`Roles::create`].
    pub struct CreateRoles -> RoleList;
}
notifying_builder! {
    /// Deletes a role. From [`Roles::delete`].
    pub struct DeleteRole -> Deleted;
}
notifying_builder! {
    /// Adds or removes permissions of a role. From [`Roles::add_permissions`] and
    /// [`Roles::remove_permissions`].
    pub struct ChangePermissions -> Role;
}
notifying_builder! {
    /// Reads or changes the roles of a user. From [`Roles::of_user`] and [`Roles::assign`].
    pub struct UserRolesRequest -> UserRoles;
}
notifying_builder! {
    /// A deletion answered with `{"IsDeleted": …}`. From [`Roles::unassign`] and the role
    /// context removals.
    pub struct RoleDeletion -> Deleted;
}
notifying_builder! {
    /// Reads or changes a user's role contexts. From [`Roles::contexts_of_user`] and
    /// [`Roles::upsert_contexts`].
    pub struct RoleContexts -> RoleContextList;
}
request_builder! {
    /// Lists the users who have a role context, with their context data. From
    /// [`Roles::users_in_context`].
    pub struct UsersInContext -> ContextMembers;
}

/// A role context to create or replace with [`Roles::upsert_contexts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextGrant {
    /// The context's name.
    pub context: String,
    /// Roles granted in the context.
    pub roles: Vec<String>,
    /// Extra permissions granted in the context.
    pub additional_permissions: Vec<String>,
    /// When the grant ends, if ever.
    pub expiration: Option<OffsetDateTime>,
}

impl ContextGrant {
    /// A grant of `roles` in `context`, with no extra permissions and no expiry.
    pub fn new(
        context: impl Into<String>,
        roles: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            context: context.into(),
            roles: roles.into_iter().map(Into::into).collect(),
            additional_permissions: Vec::new(),
            expiration: None,
        }
    }

    /// Adds extra permissions.
    pub fn with_permissions(
        mut self,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.additional_permissions = permissions.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the expiry.
    pub fn expires_at(mut self, at: OffsetDateTime) -> Self {
        self.expiration = Some(at);
        self
    }

    fn to_json(&self) -> serde_json::Value {
        let mut v = json!({
            "context": self.context,
            "roles": self.roles,
            "additionalpermissions": self.additional_permissions,
        });
        if let Some(at) = self.expiration {
            v["expiration"] = json!(us_datetime(at));
        }
        v
    }
}

/// The `M/d/yyyy h:mm:ss tt` UTC format LoginRadius documents for role-context expiry.
fn us_datetime(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let (hour12, meridiem) = match at.hour() {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        u8::from(at.month()),
        at.day(),
        at.year(),
        hour12,
        at.minute(),
        at.second(),
        meridiem
    )
}

fn user_roles(uid: &str) -> RoleChange {
    RoleChange::UserRoles {
        uid: uid.to_owned(),
    }
}

fn user_contexts(uid: &str) -> RoleChange {
    RoleChange::UserContexts {
        uid: uid.to_owned(),
    }
}

fn names(items: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

impl Roles<'_> {
    fn call(&self, endpoint: &'static crate::request::Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Lists every role with its permissions (`GET /identity/v2/manage/role`).
    pub fn list(&self) -> ListRoles {
        ListRoles::from_call(self.call(&LIST))
    }

    /// Creates roles with their permissions (`POST /identity/v2/manage/role`).
    pub fn create(&self, roles: impl IntoIterator<Item = Role>) -> CreateRoles {
        let roles: Vec<_> = roles
            .into_iter()
            .map(|r| json!({"name": r.name, "permissions": r.permissions}))
            .collect();
        let mut call = self.call(&CREATE);
        if roles.is_empty() {
            call = call.invalid("roles", "must not be empty");
        }
        for r in &roles {
            call = call.check("roles[].name", r["name"].as_str().unwrap_or_default());
        }
        CreateRoles::from_call(
            self,
            call.json(&json!({ "roles": roles })),
            Some(RoleChange::Definitions),
        )
    }

    /// Deletes a role (`DELETE /identity/v2/manage/role/{role}`).
    pub fn delete(&self, role: &str) -> DeleteRole {
        DeleteRole::from_call(
            self,
            self.call(&DELETE).segment("role", role),
            Some(RoleChange::RoleDeleted),
        )
    }

    /// Grants permissions to a role.
    pub fn add_permissions(
        &self,
        role: &str,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> ChangePermissions {
        self.permissions(&ADD_PERMISSIONS, role, names(permissions))
    }

    /// Takes permissions away from a role.
    pub fn remove_permissions(
        &self,
        role: &str,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> ChangePermissions {
        self.permissions(&REMOVE_PERMISSIONS, role, names(permissions))
    }

    fn permissions(
        &self,
        endpoint: &'static crate::request::Endpoint,
        role: &str,
        permissions: Vec<String>,
    ) -> ChangePermissions {
        let call = non_empty(
            self.call(endpoint).segment("role", role),
            "permissions",
            &permissions,
        );
        ChangePermissions::from_call(
            self,
            call.json(&json!({ "permissions": permissions })),
            Some(RoleChange::Definitions),
        )
    }

    /// The roles of a user.
    pub fn of_user(&self, uid: &str) -> UserRolesRequest {
        UserRolesRequest::from_call(self, self.call(&OF_USER).segment("uid", uid), None)
    }

    /// Adds roles to a user; answers with all the user's roles. An unknown role is error 1047.
    pub fn assign(
        &self,
        uid: &str,
        roles: impl IntoIterator<Item = impl Into<String>>,
    ) -> UserRolesRequest {
        let roles = names(roles);
        let call = non_empty(self.call(&ASSIGN).segment("uid", uid), "roles", &roles);
        UserRolesRequest::from_call(
            self,
            call.json(&json!({ "roles": roles })),
            Some(user_roles(uid)),
        )
    }

    /// Removes roles from a user.
    pub fn unassign(
        &self,
        uid: &str,
        roles: impl IntoIterator<Item = impl Into<String>>,
    ) -> RoleDeletion {
        let roles = names(roles);
        let call = non_empty(self.call(&UNASSIGN).segment("uid", uid), "roles", &roles);
        RoleDeletion::from_call(
            self,
            call.json(&json!({ "roles": roles })),
            Some(user_roles(uid)),
        )
    }

    /// The role contexts of a user, expired ones included (check
    /// [`RoleContext::is_expired_at`](crate::models::RoleContext::is_expired_at)).
    pub fn contexts_of_user(&self, uid: &str) -> RoleContexts {
        RoleContexts::from_call(self, self.call(&CONTEXTS_OF_USER).segment("uid", uid), None)
    }

    /// Every user who has the named role context.
    pub fn users_in_context(&self, context: &str) -> UsersInContext {
        UsersInContext::from_call(self.call(&USERS_IN_CONTEXT).segment("context", context))
    }

    /// Creates or replaces role contexts of a user.
    pub fn upsert_contexts(
        &self,
        uid: &str,
        contexts: impl IntoIterator<Item = ContextGrant>,
    ) -> RoleContexts {
        let contexts: Vec<ContextGrant> = contexts.into_iter().collect();
        let mut call = self.call(&UPSERT_CONTEXTS).segment("uid", uid);
        if contexts.is_empty() {
            call = call.invalid("contexts", "must not be empty");
        }
        for c in &contexts {
            call = call.check("context", &c.context);
        }
        let body: Vec<_> = contexts.iter().map(ContextGrant::to_json).collect();
        RoleContexts::from_call(
            self,
            call.json(&json!({ "rolecontext": body })),
            Some(user_contexts(uid)),
        )
    }

    /// Deletes one role context of a user.
    pub fn delete_context(&self, uid: &str, context: &str) -> RoleDeletion {
        RoleDeletion::from_call(
            self,
            self.call(&DELETE_CONTEXT)
                .segment("uid", uid)
                .segment("context", context),
            Some(user_contexts(uid)),
        )
    }

    /// Removes roles from one role context of a user.
    pub fn remove_context_roles(
        &self,
        uid: &str,
        context: &str,
        roles: impl IntoIterator<Item = impl Into<String>>,
    ) -> RoleDeletion {
        let roles = names(roles);
        let call = self
            .call(&REMOVE_CONTEXT_ROLES)
            .segment("uid", uid)
            .segment("context", context);
        RoleDeletion::from_call(
            self,
            non_empty(call, "roles", &roles).json(&json!({ "roles": roles })),
            Some(user_contexts(uid)),
        )
    }

    /// Removes extra permissions from one role context of a user.
    pub fn remove_context_permissions(
        &self,
        uid: &str,
        context: &str,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> RoleDeletion {
        let permissions = names(permissions);
        let call = self
            .call(&REMOVE_CONTEXT_PERMISSIONS)
            .segment("uid", uid)
            .segment("context", context);
        RoleDeletion::from_call(
            self,
            non_empty(call, "additional_permissions", &permissions)
                .json(&json!({ "additionalpermissions": permissions })),
            Some(user_contexts(uid)),
        )
    }
}

/// Refuses an empty list and empty names in it.
fn non_empty(mut call: Call, field: &'static str, items: &[String]) -> Call {
    if items.is_empty() {
        return call.invalid(field, "must not be empty");
    }
    for item in items {
        call = call.check(field, item);
    }
    call
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn us_datetime_uses_12_hour_clock_with_meridiem() {
        assert_eq!(
            us_datetime(datetime!(2018-07-15 08:30:08 UTC)),
            "7/15/2018 8:30:08 AM"
        );
        assert_eq!(
            us_datetime(datetime!(2018-07-15 00:05:00 UTC)),
            "7/15/2018 12:05:00 AM"
        );
        assert_eq!(
            us_datetime(datetime!(2018-07-15 12:00:00 UTC)),
            "7/15/2018 12:00:00 PM"
        );
        assert_eq!(
            us_datetime(datetime!(2018-07-15 23:59:59 UTC)),
            "7/15/2018 11:59:59 PM"
        );
    }
}
