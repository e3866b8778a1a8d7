//! The small generic envelopes many endpoints answer with. Their keys are matched in any casing
//! (`isdeleted`, `isPosted`), as the service and its documentation vary.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::Extra;
use super::debug_hiding_extra_secrets;
use super::failure;
use super::shape::{self, any_case};

/// `{"IsPosted": true}`. An answer that carries only `{"Data": …}` (the one-touch sends) counts
/// as posted; its `Data` stays in [`Posted::extra`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Posted {
    /// Whether the action was accepted (`IsPosted`, in any casing).
    #[serde(rename = "IsPosted")]
    pub is_posted: bool,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

any_case!(Posted, ["IsPosted", "Data"], posted_when_data_is_sent);

/// A body with `Data` and no `IsPosted` reports a request that was accepted.
fn posted_when_data_is_sent(map: &mut Map<String, Value>) {
    if !map.contains_key("IsPosted") && map.contains_key("Data") {
        map.insert("IsPosted".to_owned(), Value::Bool(true));
    }
}

/// `{"IsPosted": true, "Data": …}`. `Data` without `IsPosted` counts as posted, and a body with
/// neither (the bare answer, as some endpoints are documented to send) is read as the `Data`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct PostedWith<T> {
    /// Whether the action was accepted.
    #[serde(rename = "IsPosted")]
    pub is_posted: bool,
    /// The payload, absent in some flows (registration with mandatory email verification).
    #[serde(rename = "Data", default = "Option::default")]
    pub data: Option<T>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for PostedWith<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(d)?;
        shape::canonical_keys(&mut map, &["IsPosted", "Data"]);
        if !map.contains_key("IsPosted") && !map.contains_key("Data") && !map.is_empty() {
            let bare = Value::Object(std::mem::take(&mut map));
            map.insert("Data".to_owned(), bare);
        }
        posted_when_data_is_sent(&mut map);
        failure::nested(Value::Object(map), |d| PostedWith::<T>::deserialize(d))
    }
}

impl<T: Serialize> Serialize for PostedWith<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PostedWith::<T>::serialize(self, s)
    }
}

/// `{"IsDeleted": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Deleted {
    /// Whether something was deleted (`IsDeleted`, in any casing).
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

any_case!(Deleted, ["IsDeleted", "RecordsDeleted"]);

/// `{"IsExist": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Exists {
    /// Whether the thing exists (`IsExist`, in any casing).
    #[serde(rename = "IsExist")]
    pub exists: bool,
}

any_case!(Exists, ["IsExist"]);

/// `{"IsDeleteRequestAccepted": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct DeleteRequestAccepted {
    /// Whether the deletion request was accepted (a confirmation email follows).
    #[serde(rename = "IsDeleteRequestAccepted")]
    pub accepted: bool,
}

any_case!(DeleteRequestAccepted, ["IsDeleteRequestAccepted"]);

debug_hiding_extra_secrets!(PostedWith<T>, [is_posted, data]);
