//! The small generic envelopes many endpoints answer with.

use serde::{Deserialize, Serialize};

use super::Extra;

/// `{"IsPosted": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posted {
    /// Whether the action was accepted (`IsPosted`, or `isPosted` on legacy endpoints).
    #[serde(rename = "IsPosted", alias = "isPosted")]
    pub is_posted: bool,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{"IsPosted": true, "Data": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostedWith<T> {
    /// Whether the action was accepted.
    #[serde(rename = "IsPosted")]
    pub is_posted: bool,
    /// The payload, absent in some flows (registration with mandatory email verification).
    #[serde(rename = "Data", default = "Option::default")]
    pub data: Option<T>,
}

/// `{"IsDeleted": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deleted {
    /// Whether something was deleted.
    #[serde(rename = "IsDeleted")]
    pub is_deleted: bool,
    /// How many records, when the service says.
    #[serde(
        rename = "RecordsDeleted",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub records_deleted: Option<u64>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{"IsExist": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exists {
    /// Whether the thing exists.
    #[serde(rename = "IsExist")]
    pub exists: bool,
}

/// `{"IsDeleteRequestAccepted": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteRequestAccepted {
    /// Whether the deletion request was accepted (a confirmation email follows).
    #[serde(rename = "IsDeleteRequestAccepted")]
    pub accepted: bool,
}
