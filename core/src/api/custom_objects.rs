//! Custom objects (`CustomObjectApi`): JSON records stored in named objects attached to a user.
//! The signed-in user reaches their own records with an access token; the server reaches any
//! user's records by uid with the API secret (the `*_for_user` calls).

use serde::Serialize;

use crate::Secret;
use crate::models::{CustomObjectList, CustomObjectRecord, Deleted};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    CREATE,
    "custom_objects.create",
    POST,
    "/identity/v2/auth/customobject",
    Bearer
);
endpoint!(
    UPDATE,
    "custom_objects.update",
    PUT,
    "/identity/v2/auth/customobject/{object_record_id}",
    Bearer
);
endpoint!(
    LIST,
    "custom_objects.list",
    GET,
    "/identity/v2/auth/customobject",
    Bearer
);
endpoint!(
    GET,
    "custom_objects.get",
    GET,
    "/identity/v2/auth/customobject/{object_record_id}",
    Bearer
);
endpoint!(
    DELETE,
    "custom_objects.delete",
    DELETE,
    "/identity/v2/auth/customobject/{object_record_id}",
    Bearer
);
endpoint!(
    CREATE_FOR_USER,
    "custom_objects.create_for_user",
    POST,
    "/identity/v2/manage/account/{uid}/customobject",
    Manage
);
endpoint!(
    UPDATE_FOR_USER,
    "custom_objects.update_for_user",
    PUT,
    "/identity/v2/manage/account/{uid}/customobject/{object_record_id}",
    Manage
);
endpoint!(
    LIST_FOR_USER,
    "custom_objects.list_for_user",
    GET,
    "/identity/v2/manage/account/{uid}/customobject",
    Manage
);
endpoint!(
    GET_FOR_USER,
    "custom_objects.get_for_user",
    GET,
    "/identity/v2/manage/account/{uid}/customobject/{object_record_id}",
    Manage
);
endpoint!(
    DELETE_FOR_USER,
    "custom_objects.delete_for_user",
    DELETE,
    "/identity/v2/manage/account/{uid}/customobject/{object_record_id}",
    Manage
);

group_handle! {
    /// Custom objects attached to users, from
    /// [`LoginRadius::custom_objects`](crate::LoginRadius::custom_objects).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, access_token: String) -> Result<(), loginradius::Error> {
    /// use loginradius::api::custom_objects::UpdateType;
    /// use serde_json::json;
    /// let objects = client.custom_objects();
    /// let record = objects.create(&access_token, "preferences", &json!({"theme": "dark"})).await?;
    /// objects
    ///     .update(&access_token, "preferences", &record.id, &json!({"lang": "fr"}))
    ///     .update_type(UpdateType::PartialReplace)
    ///     .await?;
    /// let all = objects.list(&access_token, "preferences").await?;
    /// assert_eq!(all.records.len() as u64, all.count);
    /// # Ok(()) }
    /// ```
    CustomObjects
}

/// How [`CustomObjects::update`] merges the new data (`updateType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateType {
    /// `replace`: the record's data becomes exactly the new data.
    Replace,
    /// `partialreplace`: top-level keys of the new data are set; others are kept.
    PartialReplace,
}

impl UpdateType {
    /// The value LoginRadius expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Replace => "replace",
            Self::PartialReplace => "partialreplace",
        }
    }
}

impl std::fmt::Display for UpdateType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

request_builder! {
    /// Creates or reads one record. From [`CustomObjects::create`], [`CustomObjects::get`] and
    /// their `_for_user` forms.
    pub struct CustomObjectRequest -> CustomObjectRecord;
}

request_builder! {
    /// Updates one record. From [`CustomObjects::update`] and
    /// [`CustomObjects::update_for_user`]. Without [`update_type`](Self::update_type) the
    /// service's default applies; LoginRadius does not document it, so set it explicitly
    /// (the emulator merges, like `partialreplace`).
    pub struct UpdateCustomObject -> CustomObjectRecord;
}

impl UpdateCustomObject {
    /// Chooses how the new data is merged (`updateType`).
    pub fn update_type(mut self, update_type: UpdateType) -> Self {
        self.call = self.call.param("updateType", update_type.as_str());
        self
    }
}

request_builder! {
    /// Lists a user's records of one object. From [`CustomObjects::list`] and
    /// [`CustomObjects::list_for_user`].
    pub struct ListCustomObjects -> CustomObjectList;
}

request_builder! {
    /// Deletes one record. From [`CustomObjects::delete`] and
    /// [`CustomObjects::delete_for_user`]. An unknown record is error 1057.
    pub struct DeleteCustomObject -> Deleted;
}

/// Serializes record data, refusing anything but a JSON object.
fn data_body(call: Call, data: &(impl Serialize + ?Sized)) -> Call {
    match serde_json::to_value(data) {
        Ok(serde_json::Value::Object(_)) => call.json(data),
        _ => call.invalid("data", "must be a JSON object"),
    }
}

impl CustomObjects<'_> {
    fn bearer(
        &self,
        endpoint: &'static Endpoint,
        access_token: impl Into<Secret>,
        object_name: &str,
    ) -> Call {
        Call::new(self.client, endpoint).token(access_token).query(
            "objectName",
            "object_name",
            object_name,
        )
    }

    fn manage(&self, endpoint: &'static Endpoint, uid: &str, object_name: &str) -> Call {
        Call::new(self.client, endpoint).segment("uid", uid).query(
            "objectName",
            "object_name",
            object_name,
        )
    }

    /// Stores a new record (any JSON object) in the signed-in user's object `object_name`
    /// (`POST /identity/v2/auth/customobject?objectName=`).
    pub fn create(
        &self,
        access_token: impl Into<Secret>,
        object_name: &str,
        data: &(impl Serialize + ?Sized),
    ) -> CustomObjectRequest {
        CustomObjectRequest::from_call(data_body(
            self.bearer(&CREATE, access_token, object_name),
            data,
        ))
    }

    /// Replaces or merges one of the signed-in user's records
    /// (`PUT /identity/v2/auth/customobject/{record_id}?objectName=`).
    pub fn update(
        &self,
        access_token: impl Into<Secret>,
        object_name: &str,
        record_id: &str,
        data: &(impl Serialize + ?Sized),
    ) -> UpdateCustomObject {
        let call = self
            .bearer(&UPDATE, access_token, object_name)
            .segment("object_record_id", record_id);
        UpdateCustomObject::from_call(data_body(call, data))
    }

    /// The signed-in user's records of object `object_name`
    /// (`GET /identity/v2/auth/customobject?objectName=`).
    pub fn list(&self, access_token: impl Into<Secret>, object_name: &str) -> ListCustomObjects {
        ListCustomObjects::from_call(self.bearer(&LIST, access_token, object_name))
    }

    /// One of the signed-in user's records
    /// (`GET /identity/v2/auth/customobject/{record_id}?objectName=`).
    pub fn get(
        &self,
        access_token: impl Into<Secret>,
        object_name: &str,
        record_id: &str,
    ) -> CustomObjectRequest {
        CustomObjectRequest::from_call(
            self.bearer(&GET, access_token, object_name)
                .segment("object_record_id", record_id),
        )
    }

    /// Deletes one of the signed-in user's records
    /// (`DELETE /identity/v2/auth/customobject/{record_id}?objectName=`).
    pub fn delete(
        &self,
        access_token: impl Into<Secret>,
        object_name: &str,
        record_id: &str,
    ) -> DeleteCustomObject {
        DeleteCustomObject::from_call(
            self.bearer(&DELETE, access_token, object_name)
                .segment("object_record_id", record_id),
        )
    }

    /// Stores a new record (any JSON object) in a user's object `object_name`
    /// (`POST /identity/v2/manage/account/{uid}/customobject?objectName=`).
    pub fn create_for_user(
        &self,
        uid: &str,
        object_name: &str,
        data: &(impl Serialize + ?Sized),
    ) -> CustomObjectRequest {
        CustomObjectRequest::from_call(data_body(
            self.manage(&CREATE_FOR_USER, uid, object_name),
            data,
        ))
    }

    /// Replaces or merges one of a user's records
    /// (`PUT /identity/v2/manage/account/{uid}/customobject/{record_id}?objectName=`).
    pub fn update_for_user(
        &self,
        uid: &str,
        object_name: &str,
        record_id: &str,
        data: &(impl Serialize + ?Sized),
    ) -> UpdateCustomObject {
        let call = self
            .manage(&UPDATE_FOR_USER, uid, object_name)
            .segment("object_record_id", record_id);
        UpdateCustomObject::from_call(data_body(call, data))
    }

    /// A user's records of object `object_name`
    /// (`GET /identity/v2/manage/account/{uid}/customobject?objectName=`).
    pub fn list_for_user(&self, uid: &str, object_name: &str) -> ListCustomObjects {
        ListCustomObjects::from_call(self.manage(&LIST_FOR_USER, uid, object_name))
    }

    /// One of a user's records
    /// (`GET /identity/v2/manage/account/{uid}/customobject/{record_id}?objectName=`).
    pub fn get_for_user(
        &self,
        uid: &str,
        object_name: &str,
        record_id: &str,
    ) -> CustomObjectRequest {
        CustomObjectRequest::from_call(
            self.manage(&GET_FOR_USER, uid, object_name)
                .segment("object_record_id", record_id),
        )
    }

    /// Deletes one of a user's records
    /// (`DELETE /identity/v2/manage/account/{uid}/customobject/{record_id}?objectName=`).
    pub fn delete_for_user(
        &self,
        uid: &str,
        object_name: &str,
        record_id: &str,
    ) -> DeleteCustomObject {
        DeleteCustomObject::from_call(
            self.manage(&DELETE_FOR_USER, uid, object_name)
                .segment("object_record_id", record_id),
        )
    }
}
