//! Turning core's [`Rejection`] into axum responses, and the hook that lets an application
//! replace them ([`RejectionHandler`]).

use std::fmt;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::OriginalUri;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CACHE_CONTROL, LOCATION};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, StatusCode};
use loginradius::auth::Rejection;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The default translation of a [`Rejection`]: its status, its headers (`WWW-Authenticate`,
/// `Retry-After`, `Content-Type: application/json`, `Cache-Control: no-store`) and its JSON body
/// `{"error": …, "message": …}`, exactly as core defines them.
///
/// ```
/// use loginradius::auth::Rejection;
/// let response = loginradius_axum::rejection_response(&Rejection::missing_token());
/// assert_eq!(response.status(), 401);
/// assert_eq!(response.headers()["www-authenticate"], r#"Bearer realm="loginradius""#);
/// ```
pub fn rejection_response(rejection: &Rejection) -> Response {
    let mut response = Response::new(Body::from(rejection.body()));
    *response.status_mut() = rejection.status();
    *response.headers_mut() = rejection.headers();
    response
}

type HandlerFn = dyn Fn(Rejection, &Parts) -> Response + Send + Sync;

/// How rejections become responses: the default JSON translation ([`rejection_response`]), a
/// function of the rejection and the request parts, or the HTML login redirect preset
/// ([`RejectionHandler::redirect_html_to`]).
///
/// Set it once on the layer with
/// [`LoginRadiusLayer::on_rejection`](crate::LoginRadiusLayer::on_rejection); the extractors and
/// guards below the layer all use it. Cheap to clone.
#[derive(Clone)]
pub struct RejectionHandler(Arc<HandlerFn>);

impl fmt::Debug for RejectionHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RejectionHandler(..)")
    }
}

impl Default for RejectionHandler {
    /// The JSON translation of [`rejection_response`].
    fn default() -> Self {
        Self::new(|rejection, _| rejection_response(&rejection))
    }
}

impl RejectionHandler {
    /// A handler from a function of the rejection and the request parts.
    pub fn new(f: impl Fn(Rejection, &Parts) -> Response + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// The preset for web pages: a request that accepts `text/html` and is unauthenticated
    /// (401: no token, invalid or expired token) is redirected (`303 See Other`) to
    /// `login_path?next=<path and query of the request, percent-encoded>`; everything else gets
    /// the default JSON response.
    ///
    /// `next` is always a same-site relative path (it starts with one `/`, never `//` or `/\`),
    /// so a login page that redirects to it cannot be turned into an open redirect.
    ///
    /// # Panics
    /// When `login_path` is not a same-site absolute path (`/login`, not `https://…` or
    /// `//host/…`): that is a programming error, caught at startup.
    pub fn redirect_html_to(login_path: impl Into<String>) -> Self {
        let login_path = login_path.into();
        assert!(
            is_local_path(&login_path),
            "the login path must be a same-site path such as \"/login\", not {login_path:?}"
        );
        let separator = if login_path.contains('?') { '&' } else { '?' };
        Self::new(move |rejection, parts| {
            if rejection.is_unauthenticated() && accepts_html(&parts.headers) {
                let next = next_of(parts);
                let location = format!("{login_path}{separator}next={next}");
                if let Ok(location) = HeaderValue::from_str(&location) {
                    let mut response = Response::new(Body::empty());
                    *response.status_mut() = StatusCode::SEE_OTHER;
                    response.headers_mut().insert(LOCATION, location);
                    response
                        .headers_mut()
                        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
                    return response;
                }
            }
            rejection_response(&rejection)
        })
    }

    /// Renders `rejection` for the request `parts`.
    pub fn respond(&self, rejection: Rejection, parts: &Parts) -> Response {
        (self.0)(rejection, parts)
    }
}

/// True for `/x…`: a path on this site (not `//host`, not `/\host`, which browsers read as a
/// network path), without control characters.
fn is_local_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !path.chars().any(|c| c.is_control())
}

/// True when the `Accept` header lists `text/html` (or XHTML): a browser navigating to a page.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT).iter().any(|value| {
        value.to_str().is_ok_and(|v| {
            v.split(',').any(|item| {
                let media = item.split(';').next().unwrap_or("").trim();
                media.eq_ignore_ascii_case("text/html")
                    || media.eq_ignore_ascii_case("application/xhtml+xml")
            })
        })
    })
}

/// Everything but the unreserved characters and `/` is encoded, so `next` is one query value.
const NEXT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The `next` value for the original request (before any `nest`): see [`safe_next`].
fn next_of(parts: &Parts) -> String {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    safe_next(uri.path_and_query().map_or("/", |pq| pq.as_str()))
}

/// A path and query made into a same-site relative `next` value: leading slashes and
/// backslashes collapse to one `/` (so `//evil.example` stays local), then everything but the
/// unreserved characters and `/` is percent-encoded (so it is one query value).
fn safe_next(path_and_query: &str) -> String {
    let rest = path_and_query.trim_start_matches(['/', '\\']);
    let local = format!("/{rest}");
    utf8_percent_encode(&local, NEXT).to_string()
}

/// A rejection as returned by the extractors and guards: the core [`Rejection`] and the
/// response the [`RejectionHandler`] made of it.
pub struct AuthRejection(Box<Rendered>);

struct Rendered {
    rejection: Rejection,
    response: Response,
}

impl AuthRejection {
    pub(crate) fn new(
        rejection: Rejection,
        handler: Option<&RejectionHandler>,
        parts: &Parts,
    ) -> Self {
        let response = match handler {
            Some(handler) => handler.respond(rejection.clone(), parts),
            None => rejection_response(&rejection),
        };
        Self(Box::new(Rendered {
            rejection,
            response,
        }))
    }

    /// Why the request was refused.
    pub fn rejection(&self) -> &Rejection {
        &self.0.rejection
    }

    /// The response that will be sent.
    pub fn response(&self) -> &Response {
        &self.0.response
    }
}

impl fmt::Debug for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthRejection")
            .field("rejection", &self.0.rejection)
            .field("status", &self.0.response.status())
            .finish()
    }
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.rejection, f)
    }
}

impl std::error::Error for AuthRejection {}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        self.0.response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, accept: Option<&str>) -> Parts {
        let mut builder = http::Request::builder().uri(uri);
        if let Some(accept) = accept {
            builder = builder.header(ACCEPT, accept);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn local_paths_only() {
        assert!(is_local_path("/login"));
        assert!(is_local_path("/"));
        assert!(!is_local_path("//evil.example/login"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("login"));
        assert!(!is_local_path("/a\nb"));
    }

    #[test]
    #[should_panic(expected = "same-site path")]
    fn absolute_login_url_is_refused() {
        let _ = RejectionHandler::redirect_html_to("https://evil.example/login");
    }

    #[test]
    fn next_keeps_path_and_query_encoded_and_local() {
        assert_eq!(
            next_of(&parts("/a/b?x=1&y=%2F", None)),
            "/a/b%3Fx%3D1%26y%3D%252F"
        );
        assert_eq!(next_of(&parts("//evil.example/x", None)), "/evil.example/x");
        assert_eq!(next_of(&parts("http://host/p?q", None)), "/p%3Fq");
        assert_eq!(next_of(&parts("/%5C%5Cevil", None)), "/%255C%255Cevil");
    }

    #[test]
    fn accept_parsing() {
        let html = |accept| accepts_html(&parts("/", accept).headers);
        assert!(html(Some("text/html,application/xhtml+xml;q=0.9")));
        assert!(html(Some("application/json, TEXT/HTML;q=0.1")));
        assert!(!html(Some("application/json")));
        assert!(!html(None));
    }
}
