//! Turning core's [`Rejection`] into actix responses, and the hook that lets an application
//! replace them ([`ErrorHandler`]).

use std::fmt;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CACHE_CONTROL, HeaderMap, LOCATION};
use actix_web::{HttpRequest, HttpResponse};
use loginradius::auth::Rejection;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::headers;

/// The default translation of a [`Rejection`]: its status, its headers (`WWW-Authenticate`,
/// `Retry-After`, `Content-Type: application/json`, `Cache-Control: no-store`) and its JSON body
/// `{"error": …, "message": …}`, exactly as core defines them (and as the axum adapter sends
/// them).
///
/// ```
/// use loginradius::auth::Rejection;
/// let response = loginradius_actix::rejection_response(&Rejection::missing_token());
/// assert_eq!(response.status(), 401);
/// assert_eq!(response.headers().get("www-authenticate").unwrap(), r#"Bearer realm="loginradius""#);
/// ```
pub fn rejection_response(rejection: &Rejection) -> HttpResponse {
    let mut response =
        HttpResponse::build(headers::status(rejection.status())).body(rejection.body());
    headers::append_core_headers(response.headers_mut(), &rejection.headers());
    response
}

type HandlerFn = dyn Fn(Rejection, &HttpRequest) -> HttpResponse + Send + Sync;

/// How rejections become responses: the default JSON translation ([`rejection_response`]), a
/// function of the rejection and the request, or the HTML login redirect preset
/// ([`ErrorHandler::redirect_html_to`]).
///
/// Set it on [`LoginRadiusConfig`](crate::LoginRadiusConfig) with
/// [`error_handler`](crate::LoginRadiusConfig::error_handler); every extractor and guard of
/// the app uses it. Cheap to clone.
#[derive(Clone)]
pub struct ErrorHandler(Arc<HandlerFn>);

impl fmt::Debug for ErrorHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ErrorHandler(..)")
    }
}

impl Default for ErrorHandler {
    /// The JSON translation of [`rejection_response`].
    fn default() -> Self {
        Self::new(|rejection, _| rejection_response(&rejection))
    }
}

impl ErrorHandler {
    /// A handler from a function of the rejection and the request.
    pub fn new(
        f: impl Fn(Rejection, &HttpRequest) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(f))
    }

    /// The preset for web pages: a request that accepts `text/html` and is unauthenticated
    /// (401: no token, invalid or expired token) is redirected (`303 See Other`) to
    /// `login_path?next=<path and query of the request, percent-encoded>`; everything else gets
    /// the default JSON response. Same behaviour as the axum adapter's preset.
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
        Self::new(move |rejection, req| {
            if rejection.is_unauthenticated() && accepts_html(req.headers()) {
                let next = safe_next(req.uri().path_and_query().map_or("/", |pq| pq.as_str()));
                return HttpResponse::build(StatusCode::SEE_OTHER)
                    .insert_header((LOCATION, format!("{login_path}{separator}next={next}")))
                    .insert_header((CACHE_CONTROL, "no-store"))
                    .finish();
            }
            rejection_response(&rejection)
        })
    }

    /// Renders `rejection` for the request `req`.
    pub fn respond(&self, rejection: Rejection, req: &HttpRequest) -> HttpResponse {
        (self.0)(rejection, req)
    }
}

impl<F> From<F> for ErrorHandler
where
    F: Fn(Rejection, &HttpRequest) -> HttpResponse + Send + Sync + 'static,
{
    fn from(f: F) -> Self {
        Self::new(f)
    }
}

/// A refused request as returned by [`authenticate`](crate::authenticate): core's
/// [`Rejection`] and the response the app's renderer made of it. Converts into an
/// `actix_web::Error` (answering with that response), so `?` works in handlers.
pub struct AuthError(Box<Rendered>);

struct Rendered {
    rejection: Rejection,
    response: HttpResponse,
}

impl AuthError {
    pub(crate) fn new(rejection: Rejection, handler: &ErrorHandler, req: &HttpRequest) -> Self {
        let response = handler.respond(rejection.clone(), req);
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
    pub fn response(&self) -> &HttpResponse {
        &self.0.response
    }

    /// The response, to send it.
    pub fn into_response(self) -> HttpResponse {
        self.0.response
    }
}

impl fmt::Debug for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthError")
            .field("rejection", &self.0.rejection)
            .field("status", &self.0.response.status())
            .finish()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.rejection, f)
    }
}

impl std::error::Error for AuthError {}

impl From<AuthError> for actix_web::Error {
    fn from(error: AuthError) -> Self {
        let Rendered {
            rejection,
            response,
        } = *error.0;
        actix_web::error::InternalError::from_response(rejection, response).into()
    }
}

/// True for `/x…`: a path on this site (not `//host`, not `/\host`, which browsers read as a
/// network path), without control characters.
fn is_local_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !path.chars().any(char::is_control)
}

/// True when the `Accept` header lists `text/html` (or XHTML): a browser navigating to a page.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT).any(|value| {
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

/// A path and query made into a same-site relative `next` value: leading slashes and
/// backslashes collapse to one `/` (so `//evil.example` stays local), then everything but the
/// unreserved characters and `/` is percent-encoded (so it is one query value).
fn safe_next(path_and_query: &str) -> String {
    let rest = path_and_query.trim_start_matches(['/', '\\']);
    let local = format!("/{rest}");
    utf8_percent_encode(&local, NEXT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

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
        let _ = ErrorHandler::redirect_html_to("https://evil.example/login");
    }

    #[test]
    fn next_keeps_path_and_query_encoded_and_local() {
        assert_eq!(safe_next("/a/b?x=1&y=%2F"), "/a/b%3Fx%3D1%26y%3D%252F");
        assert_eq!(safe_next("//evil.example/x"), "/evil.example/x");
        assert_eq!(safe_next("/%5C%5Cevil"), "/%255C%255Cevil");
        assert_eq!(safe_next("\\\\evil"), "/evil");
    }

    #[test]
    fn accept_parsing() {
        let html = |accept: Option<&str>| {
            let mut req = TestRequest::get();
            if let Some(accept) = accept {
                req = req.insert_header((ACCEPT, accept));
            }
            accepts_html(req.to_http_request().headers())
        };
        assert!(html(Some("text/html,application/xhtml+xml;q=0.9")));
        assert!(html(Some("application/json, TEXT/HTML;q=0.1")));
        assert!(!html(Some("application/json")));
        assert!(!html(None));
    }
}
