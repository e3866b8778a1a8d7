//! Roles, permissions and role contexts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::shape::{self, any_case};
use super::{EmailAddress, Extra, timestamp};

/// A role and its permissions: `{"Name": "Editor", "Permissions": {"publish": true}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The role's name.
    #[serde(rename = "Name", alias = "name")]
    pub name: String,
    /// Permission name → granted.
    #[serde(
        rename = "Permissions",
        alias = "permissions",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    pub permissions: BTreeMap<String, bool>,
}

impl Role {
    /// A role with the given permissions, all granted.
    pub fn new(
        name: impl Into<String>,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            name: name.into(),
            permissions: permissions.into_iter().map(|p| (p.into(), true)).collect(),
        }
    }

    /// The granted permissions.
    pub fn granted(&self) -> impl Iterator<Item = &str> {
        self.permissions
            .iter()
            .filter(|(_, on)| **on)
            .map(|(p, _)| p.as_str())
    }
}

/// `{"data": [Role…], "Count": n}` (note the lowercase `data`; keys are matched in any casing).
/// A body without the list is an error, not an empty list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct RoleList {
    /// The roles.
    #[serde(rename = "data", deserialize_with = "shape::null_as_default")]
    pub roles: Vec<Role>,
    /// How many.
    #[serde(rename = "Count", default)]
    pub count: u64,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(RoleList, ["data", "Count"]);

/// `{"Roles": ["Editor"]}`: the roles of one user (keys in any casing; `null` reads as none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct UserRoles {
    /// Role names.
    #[serde(rename = "Roles", deserialize_with = "shape::null_as_default")]
    pub roles: Vec<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(UserRoles, ["Roles"]);

/// A role context: roles and extra permissions that apply to a user within a named context,
/// until an optional expiry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleContext {
    /// The context's name.
    #[serde(rename = "Context", alias = "context")]
    pub context: String,
    /// Roles in this context.
    #[serde(
        rename = "Roles",
        alias = "roles",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    pub roles: Vec<String>,
    /// Permissions granted in this context beyond its roles'.
    #[serde(
        rename = "AdditionalPermissions",
        alias = "additionalpermissions",
        default,
        deserialize_with = "shape::null_as_default"
    )]
    pub additional_permissions: Vec<String>,
    /// When the context stops applying.
    #[serde(
        rename = "Expiration",
        alias = "expiration",
        with = "timestamp::option",
        default
    )]
    pub expiration: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RoleContext {
    /// True when the context has an expiry at or before `now`.
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.expiration.is_some_and(|e| e <= now)
    }
}

/// `{"Data": [RoleContext…]}` (capital `Data`; keys in any casing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct RoleContextList {
    /// The contexts.
    #[serde(rename = "Data", deserialize_with = "shape::null_as_default")]
    pub contexts: Vec<RoleContext>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(RoleContextList, ["Data"]);

/// `{"Data": [member…]}`: the users holding a role context, from
/// [`Roles::users_in_context`](crate::api::Roles::users_in_context). Keys in any casing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ContextMembers {
    /// The users.
    #[serde(rename = "Data", deserialize_with = "shape::null_as_default")]
    pub members: Vec<ContextMember>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(ContextMembers, ["Data"]);

/// One user holding a role context: `{"RoleContext": {…}, "Uid", "LastLoginDate", "FullName",
/// "Email": […], "ImageUrl"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextMember {
    /// `Uid`.
    pub uid: String,
    /// What the user holds in the context (`RoleContext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_context: Option<HeldContext>,
    /// `FullName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// `Email`.
    #[serde(
        default,
        deserialize_with = "shape::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub email: Vec<EmailAddress>,
    /// `LastLoginDate`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_login_date: Option<OffsetDateTime>,
    /// Other fields (`ImageUrl`…).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `RoleContext` of a [`ContextMember`]: `{"Roles", "AdditionalPermissions", "Expiration"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HeldContext {
    /// `Roles`.
    #[serde(default, deserialize_with = "shape::null_as_default")]
    pub roles: Vec<String>,
    /// `AdditionalPermissions`.
    #[serde(default, deserialize_with = "shape::null_as_default")]
    pub additional_permissions: Vec<String>,
    /// `Expiration`.
    #[serde(
        with = "timestamp::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration: Option<OffsetDateTime>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}
