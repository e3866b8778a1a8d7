//! The LoginRadius error envelope, built from the documented error table
//! (`data/error-codes.json`, a byte-identical copy of `spec/error-codes.json`). Codes are named
//! by [`loginradius::codes`], the table the client matches on.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use loginradius::codes;
use serde::Deserialize;
use serde_json::{Value, json};

/// The vendored error table.
pub(crate) const ERROR_CODES_JSON: &str = include_str!("../data/error-codes.json");

/// One documented error code.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CodeInfo {
    pub(crate) code: i64,
    pub(crate) message: String,
    pub(crate) description: String,
    pub(crate) http_status: u16,
}

#[derive(Deserialize)]
struct Table {
    codes: Vec<CodeInfo>,
}

fn table() -> &'static HashMap<i64, CodeInfo> {
    static TABLE: OnceLock<HashMap<i64, CodeInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<Table>(ERROR_CODES_JSON)
            .map(|t| t.codes.into_iter().map(|c| (c.code, c)).collect())
            .unwrap_or_default()
    })
}

/// The documented entry for `code`, if any.
pub(crate) fn lookup(code: i64) -> Option<&'static CodeInfo> {
    table().get(&code)
}

/// An error answer: a documented code, optionally with another HTTP status, another
/// description, extra headers or extra envelope fields (`Errors`, `Data`).
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) code: i64,
    status: Option<StatusCode>,
    message: Option<String>,
    description: Option<String>,
    extra: Vec<(&'static str, Value)>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// The documented error `code`, with its documented status, message and description.
    pub(crate) fn new(code: i64) -> Self {
        Self {
            code,
            status: None,
            message: None,
            description: None,
            extra: Vec::new(),
            retry_after: None,
        }
    }

    /// Answers with `status` instead of the documented one.
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Replaces the `Description`.
    pub(crate) fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Replaces the `Message`.
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Adds a field to the envelope.
    pub(crate) fn with_field(mut self, key: &'static str, value: Value) -> Self {
        self.extra.push((key, value));
        self
    }

    /// Adds a `Retry-After` header.
    pub(crate) fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// 1134 with one `Errors` entry.
    pub(crate) fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::new(codes::VALIDATION_FAILED).with_field(
            "Errors",
            json!([{ "FieldName": field, "ErrorMessage": message.into() }]),
        )
    }

    /// The HTTP status answered.
    pub(crate) fn status(&self) -> StatusCode {
        self.status.unwrap_or_else(|| {
            lookup(self.code)
                .and_then(|c| StatusCode::from_u16(c.http_status).ok())
                .unwrap_or(StatusCode::BAD_REQUEST)
        })
    }

    /// The envelope: `{Description, ErrorCode, Message, IsProviderError, ProviderErrorResponse}`.
    pub(crate) fn body(&self) -> Value {
        let info = lookup(self.code);
        let message = self
            .message
            .clone()
            .or_else(|| info.map(|c| c.message.clone()))
            .unwrap_or_else(|| "Error".to_owned());
        let description = self
            .description
            .clone()
            .or_else(|| info.map(|c| c.description.clone()))
            .unwrap_or_else(|| message.clone());
        let mut body = json!({
            "Description": description,
            "ErrorCode": self.code,
            "Message": message,
            "IsProviderError": false,
            "ProviderErrorResponse": null,
        });
        if let Some(map) = body.as_object_mut() {
            for (k, v) in &self.extra {
                map.insert((*k).to_owned(), v.clone());
            }
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status(), &self.body());
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A JSON response with the given status.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_every_documented_code() {
        assert_eq!(table().len(), 335);
        assert_eq!(lookup(906).map(|c| c.http_status), Some(403));
    }

    #[test]
    fn envelope_has_the_documented_fields_in_order() {
        let body = ApiError::new(906).body();
        let keys: Vec<_> = body
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(
            keys,
            [
                "Description",
                "ErrorCode",
                "Message",
                "IsProviderError",
                "ProviderErrorResponse"
            ]
        );
        assert_eq!(body["Message"], "Access token has expired");
        assert_eq!(ApiError::new(906).status(), StatusCode::FORBIDDEN);
    }
}
