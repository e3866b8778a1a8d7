//! What a handler sees of a request: path parameters, query and JSON body looked up
//! case-insensitively (like the real service), headers, the emulator's clock, and the user the
//! credentials identified.

use std::sync::Arc;

use axum::http::{HeaderMap, Method};
use bytes::Bytes;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use loginradius::codes;

use crate::errors::ApiError;
use crate::state::AppState;

/// Query parameters in order, names matched case-insensitively.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        Self(
            raw.map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default(),
        )
    }

    /// The first value of `name`, trimmed, if present and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A boolean flag (`true`, `True`, `1`).
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }
}

/// Looks a key up in a JSON object case-insensitively.
pub(crate) fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A string (or number) value of a JSON object, trimmed, not blank.
pub(crate) fn str_ci(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match get_ci(obj, key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A boolean value of a JSON object (`true`, `"true"`).
pub(crate) fn bool_ci(obj: &Map<String, Value>, key: &str) -> Option<bool> {
    match get_ci(obj, key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A list of strings of a JSON object (non-strings are skipped).
pub(crate) fn strings_ci(obj: &Map<String, Value>, key: &str) -> Option<Vec<String>> {
    match get_ci(obj, key)? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(|s| s.trim().to_owned()))
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        _ => None,
    }
}

/// The parts of a request a handler needs, owned so that the handler can run on a blocking
/// thread.
pub(crate) struct Ctx {
    pub(crate) state: Arc<AppState>,
    pub(crate) method: Method,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) query: Query,
    pub(crate) headers: HeaderMap,
    pub(crate) raw_body: Bytes,
    body: Option<Result<Value, ()>>,
    pub(crate) now: OffsetDateTime,
    /// `http://host:port` as the client addressed the emulator.
    pub(crate) origin: String,
    /// The full URL as received (for request signing).
    pub(crate) url: String,
    /// The user the Bearer token identified.
    pub(crate) uid: Option<String>,
    /// The Bearer token.
    pub(crate) token: Option<String>,
    /// The webhook events the call raised, `(event, uid)`, delivered once it succeeds.
    hooks: std::cell::RefCell<Vec<(&'static str, String)>>,
}

impl Ctx {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        state: Arc<AppState>,
        method: Method,
        params: Vec<(String, String)>,
        query: Query,
        headers: HeaderMap,
        raw_body: Bytes,
        origin: String,
        url: String,
    ) -> Self {
        let now = state.now();
        let body = if raw_body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            Some(serde_json::from_slice::<Value>(&raw_body).map_err(|_| ()))
        };
        Self {
            state,
            method,
            params,
            query,
            headers,
            raw_body,
            body,
            now,
            origin,
            url,
            uid: None,
            token: None,
            hooks: std::cell::RefCell::default(),
        }
    }

    /// Notes that the call raised webhook `event` (as subscribed: `UnassignRoles`) about `uid`;
    /// delivered to the event's subscribers once the call succeeds.
    pub(crate) fn hook(&self, event: &'static str, uid: &str) {
        self.hooks.borrow_mut().push((event, uid.to_owned()));
    }

    /// The events the call raised, in order.
    pub(crate) fn take_hooks(&self) -> Vec<(&'static str, String)> {
        std::mem::take(&mut self.hooks.borrow_mut())
    }

    /// A path parameter (already percent-decoded).
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A header value as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// The JSON body, which must be an object (an empty body reads as `{}`); 965 otherwise.
    pub(crate) fn body(&self) -> Result<Map<String, Value>, ApiError> {
        match &self.body {
            None => Ok(Map::new()),
            Some(Ok(Value::Object(map))) => Ok(map.clone()),
            Some(_) => Err(ApiError::new(codes::INVALID_POST_BODY)),
        }
    }

    /// The JSON body, any value; `None` when empty; 965 when not JSON.
    pub(crate) fn body_value(&self) -> Result<Option<Value>, ApiError> {
        match &self.body {
            None => Ok(None),
            Some(Ok(v)) => Ok(Some(v.clone())),
            Some(Err(())) => Err(ApiError::new(codes::INVALID_POST_BODY)),
        }
    }

    /// The uid identified by the Bearer token (set by the credential check).
    pub(crate) fn user_uid(&self) -> Result<String, ApiError> {
        self.uid
            .clone()
            .ok_or_else(|| ApiError::new(codes::ACCESS_TOKEN_MISSING))
    }

    /// A required query parameter; `code` when missing.
    pub(crate) fn required_query(&self, name: &str, missing: i64) -> Result<String, ApiError> {
        self.query.get(name).map(str::to_owned).ok_or_else(|| {
            ApiError::new(missing)
                .with_description(format!("The query parameter '{name}' is required."))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_names_are_case_insensitive_and_values_decoded() {
        let q = Query::parse(Some(
            "apiKey=k&SecondFactorAuthenticationToken=a%2Bb&flag=True&e=a+b",
        ));
        assert_eq!(q.get("apikey"), Some("k"));
        assert_eq!(q.get("secondfactorauthenticationtoken"), Some("a+b"));
        assert!(q.flag("FLAG"));
        assert_eq!(q.get("e"), Some("a b"));
        assert_eq!(q.get("missing"), None);
    }

    #[test]
    fn body_keys_are_case_insensitive() {
        let v: Value = serde_json::from_str(
            r#"{"AuthenticatorCode":"123456","Roles":["a",1,"b"],"flag":"True"}"#,
        )
        .unwrap();
        let obj = v.as_object().unwrap();
        assert_eq!(str_ci(obj, "authenticatorcode").as_deref(), Some("123456"));
        assert_eq!(strings_ci(obj, "roles"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(bool_ci(obj, "FLAG"), Some(true));
    }
}
