//! Custom object records.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::shape::{self, any_case};
use super::{Extra, timestamp};

/// One custom object record (`UserCustomObjectData`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomObjectRecord {
    /// Record id.
    pub id: String,
    /// Owner's uid.
    #[serde(default)]
    pub uid: String,
    /// `IsActive`.
    #[serde(default)]
    pub is_active: bool,
    /// `IsDeleted`.
    #[serde(default)]
    pub is_deleted: bool,
    /// `DateCreated`.
    #[serde(with = "timestamp::option", default)]
    pub date_created: Option<OffsetDateTime>,
    /// `DateModified`.
    #[serde(with = "timestamp::option", default)]
    pub date_modified: Option<OffsetDateTime>,
    /// The record's data, any JSON object.
    #[serde(default)]
    pub custom_object: serde_json::Value,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{"data": [record…], "Count": n}` (keys in any casing). A body without the list is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct CustomObjectList {
    /// The records.
    #[serde(rename = "data", deserialize_with = "shape::null_as_default")]
    pub records: Vec<CustomObjectRecord>,
    /// How many.
    #[serde(rename = "Count", default)]
    pub count: u64,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(CustomObjectList, ["data", "Count"]);
