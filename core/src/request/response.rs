//! Turning an HTTP response into a typed value or an [`Error`].

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, parse_envelope};
use crate::models::{failure, shape};
use crate::retry::parse_retry_after;
use crate::transport::HttpResponse;

/// A decode failure at `path` (empty for the body itself), described without quoting the body.
fn decode_error(status: StatusCode, path: &str, e: &serde_json::Error) -> Error {
    let (path, reason) = failure::describe(path, e);
    Error::Decode {
        status,
        path,
        reason,
    }
}

/// Maps a response: 429 → [`Error::RateLimited`]; the LoginRadius envelope on any status →
/// [`Error::Api`]; other non-2xx → [`Error::UnexpectedStatus`]; 2xx → `T` or [`Error::Decode`].
/// `fields_selected` says the caller restricted the answer with `fields`, so a profile may come
/// without its `Uid`.
pub(crate) fn decode<T: DeserializeOwned>(
    response: &HttpResponse,
    fields_selected: bool,
) -> Result<T, Error> {
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(Error::RateLimited {
            retry_after: parse_retry_after(response.headers().get(http::header::RETRY_AFTER)),
        });
    }
    let parsed: Result<Value, _> = serde_json::from_slice(response.body());
    if let Ok(value) = &parsed
        && let Some(error) = parse_envelope(status, value)
    {
        return Err(error);
    }
    if !status.is_success() {
        return Err(Error::UnexpectedStatus { status });
    }
    let value = parsed.map_err(|e| decode_error(status, ".", &e))?;
    shape::with_fields_selected(fields_selected, || {
        serde_path_to_error::deserialize(value)
            .map_err(|e| decode_error(status, &e.path().to_string(), e.inner()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn response(status: u16, body: &str) -> HttpResponse {
        let mut r = http::Response::new(Bytes::from(body.to_owned()));
        *r.status_mut() = StatusCode::from_u16(status).unwrap();
        r
    }

    #[test]
    fn envelope_on_200_is_an_error() {
        let r = response(
            200,
            r#"{"ErrorCode":905,"Message":"Access token is invalid"}"#,
        );
        let e = decode::<Value>(&r, false).unwrap_err();
        assert_eq!(e.code(), Some(905));
        assert_eq!(e.status(), Some(StatusCode::OK));
    }

    #[test]
    fn html_error_page_is_unexpected_status() {
        let e = decode::<Value>(&response(502, "<html>bad gateway</html>"), false).unwrap_err();
        assert!(
            matches!(e, Error::UnexpectedStatus { status } if status == StatusCode::BAD_GATEWAY)
        );
    }

    #[test]
    fn decode_errors_do_not_quote_the_body() {
        #[derive(Debug, serde::Deserialize)]
        struct T {
            #[allow(dead_code)]
            n: u32,
        }
        let e = decode::<T>(&response(200, r#"{"n":"secret-token-value"}"#), false).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }));
        assert!(!e.to_string().contains("secret-token-value"), "{e}");
    }

    #[test]
    fn decode_errors_name_the_path_and_the_expected_type() {
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            n: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)]
            items: Vec<Inner>,
        }
        let body = r#"{"items":[{"n":1},{"n":"secret-token-value"}]}"#;
        let e = decode::<Outer>(&response(200, body), false).unwrap_err();
        let Error::Decode { path, reason, .. } = &e else {
            panic!("not a decode error: {e:?}");
        };
        assert_eq!(path, "items[1].n");
        assert_eq!(reason, "expected u32, found string");
        let text = e.to_string();
        assert!(
            text.contains("items[1].n") && !text.contains("secret-token-value"),
            "{text}"
        );
        let e = decode::<Outer>(&response(200, "{\"items\": [secret"), false).unwrap_err();
        assert!(e.to_string().contains("not JSON"), "{e}");
    }
}
