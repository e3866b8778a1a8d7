//! Turning an HTTP response into a typed value or an [`Error`].

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, parse_envelope};
use crate::retry::parse_retry_after;
use crate::transport::HttpResponse;

fn decode_error(status: StatusCode, e: &serde_json::Error) -> Error {
    // serde_json messages can quote the offending value; keep only the category and position.
    Error::Decode {
        status,
        reason: format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ),
    }
}

/// Maps a response: 429 → [`Error::RateLimited`]; the LoginRadius envelope on any status →
/// [`Error::Api`]; other non-2xx → [`Error::UnexpectedStatus`]; 2xx → `T` or [`Error::Decode`].
pub(crate) fn decode<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
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
    let value = parsed.map_err(|e| decode_error(status, &e))?;
    serde_json::from_value(value).map_err(|e| decode_error(status, &e))
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
        let e = decode::<Value>(&r).unwrap_err();
        assert_eq!(e.code(), Some(905));
        assert_eq!(e.status(), Some(StatusCode::OK));
    }

    #[test]
    fn html_error_page_is_unexpected_status() {
        let e = decode::<Value>(&response(502, "<html>bad gateway</html>")).unwrap_err();
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
        let e = decode::<T>(&response(200, r#"{"n":"secret-token-value"}"#)).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }));
        assert!(!e.to_string().contains("secret-token-value"), "{e}");
    }
}
