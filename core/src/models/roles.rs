//! Roles, permissions and role contexts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Extra, timestamp};

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
        deserialize_with = "null_as_empty"
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

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, bool>, D::Error> {
    Ok(Option::deserialize(d)?.unwrap_or_default())
}

/// `{"data": [Role…], "Count": n}` (note the lowercase `data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleList {
    /// The roles.
    #[serde(rename = "data", alias = "Data", default)]
    pub roles: Vec<Role>,
    /// How many.
    #[serde(rename = "Count", default)]
    pub count: u64,
}

/// `{"Roles": ["Editor"]}`: the roles of one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRoles {
    /// Role names.
    #[serde(rename = "Roles", default, deserialize_with = "null_as_empty_vec")]
    pub roles: Vec<String>,
}

fn null_as_empty_vec<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::deserialize(d)?.unwrap_or_default())
}

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
        deserialize_with = "null_as_empty_vec"
    )]
    pub roles: Vec<String>,
    /// Permissions granted in this context beyond its roles'.
    #[serde(
        rename = "AdditionalPermissions",
        alias = "additionalpermissions",
        default,
        deserialize_with = "null_as_empty_vec"
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

/// `{"Data": [RoleContext…]}` (capital `Data`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleContextList {
    /// The contexts.
    #[serde(rename = "Data", alias = "data", default)]
    pub contexts: Vec<RoleContext>,
}
