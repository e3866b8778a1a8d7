//! Keeps web pages away from the emulator's own controls.
//!
//! `POST /emulator/faults`, `/emulator/clock`, `/emulator/reset` and the `DELETE`s under
//! `/emulator` change what every later request sees. A page open in the developer's browser,
//! from any other origin, could otherwise call them:
//! `fetch(…, {mode: "no-cors", method: "POST"})` needs no CORS answer to be delivered. So a
//! request that changes state is refused when
//! - its `Sec-Fetch-Site` says it comes from another site or origin (`cross-site`,
//!   `same-site`), or
//! - its `Origin` is present and is not this server's own origin (`http://` + `Host`), or
//! - it carries a body that is not `application/json` (a type no page can send without a CORS
//!   preflight, which the emulator never grants).
//!
//! Tools (curl, test clients, SDKs) send none of these headers, or send JSON, and pass.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use loginradius::codes;

use crate::errors::ApiError;

/// The middleware: passes reads, and writes that come from a tool or the emulator's own page.
pub(crate) async fn refuse_cross_site(request: Request, next: Next) -> Response {
    match verdict(request.method(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

/// Why a write was refused.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// From another origin (403).
    CrossOrigin,
    /// A body that is not JSON (415).
    NotJson,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let error = match self {
            Refusal::CrossOrigin => ApiError::new(codes::INVALID_REQUEST)
                .with_status(StatusCode::FORBIDDEN)
                .with_description(
                    "The emulator's controls only accept requests from tools or its own page, \
                     not from another site or origin.",
                ),
            Refusal::NotJson => ApiError::new(codes::INVALID_POST_BODY)
                .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
                .with_description("Send the body as application/json."),
        };
        error.into_response()
    }
}

fn verdict(method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(Refusal::CrossOrigin);
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = text(header::HOST.as_str()).map(|host| format!("http://{host}"));
        if own.is_none() || origin.to_str().ok() != own.as_deref() {
            return Err(Refusal::CrossOrigin);
        }
    }
    let has_body = headers.contains_key(header::CONTENT_TYPE)
        || text(header::CONTENT_LENGTH.as_str()).is_some_and(|l| l != "0")
        || headers.contains_key(header::TRANSFER_ENCODING);
    let json = text(header::CONTENT_TYPE.as_str()).is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    });
    if has_body && !json {
        return Err(Refusal::NotJson);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn a_no_cors_post_from_another_local_origin_is_refused() {
        // What Chromium sends for fetch(url, {mode: "no-cors", method: "POST", body: "{…}"}).
        let browser = headers(&[
            ("host", "127.0.0.1:8787"),
            ("origin", "http://127.0.0.1:5000"),
            ("sec-fetch-site", "same-site"),
            ("sec-fetch-mode", "no-cors"),
            ("content-type", "text/plain;charset=UTF-8"),
            ("content-length", "30"),
        ]);
        assert_eq!(verdict(&Method::POST, &browser), Err(Refusal::CrossOrigin));
        let no_fetch_metadata = headers(&[
            ("host", "127.0.0.1:8787"),
            ("origin", "http://localhost:5000"),
            ("content-type", "application/json"),
        ]);
        assert_eq!(
            verdict(&Method::POST, &no_fetch_metadata),
            Err(Refusal::CrossOrigin)
        );
        let null_origin = headers(&[("host", "127.0.0.1:8787"), ("origin", "null")]);
        assert_eq!(
            verdict(&Method::DELETE, &null_origin),
            Err(Refusal::CrossOrigin)
        );
        let text = headers(&[("host", "127.0.0.1:8787"), ("content-type", "text/plain")]);
        assert_eq!(verdict(&Method::POST, &text), Err(Refusal::NotJson));
        let form = headers(&[("content-length", "12")]);
        assert_eq!(verdict(&Method::POST, &form), Err(Refusal::NotJson));
    }

    #[test]
    fn tools_the_own_page_and_reads_pass() {
        let tool = headers(&[
            ("host", "127.0.0.1:8787"),
            ("content-type", "application/json; charset=utf-8"),
            ("content-length", "30"),
        ]);
        assert_eq!(verdict(&Method::POST, &tool), Ok(()));
        let own_page = headers(&[
            ("host", "127.0.0.1:8787"),
            ("origin", "http://127.0.0.1:8787"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(verdict(&Method::DELETE, &own_page), Ok(()));
        let cross_read = headers(&[("sec-fetch-site", "cross-site")]);
        assert_eq!(verdict(&Method::GET, &cross_read), Ok(()));
        assert_eq!(verdict(&Method::DELETE, &HeaderMap::new()), Ok(()));
    }
}
