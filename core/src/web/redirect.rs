//! The login-redirect preset's rules, shared by the adapters' `redirect_html_to` presets: when
//! a rejection becomes a redirect (401 for a browser asking for HTML), the `Location` it
//! points to, with a same-site relative `next` that cannot be turned into an open redirect,
//! and the HTML page a signed-in browser without the right role or permission gets (403,
//! [`FORBIDDEN_PAGE`]) instead of JSON.
//!
//! ```
//! use loginradius::auth::Rejection;
//! use loginradius::web::redirect::LoginRedirect;
//!
//! let preset = LoginRedirect::new("/login");
//! let accept = ["text/html,application/xhtml+xml;q=0.9"];
//! assert!(preset.applies(&Rejection::missing_token(), accept));
//! assert_eq!(preset.location("/account?tab=mfa"), "/login?next=/account%3Ftab%3Dmfa");
//! ```

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::auth::{Rejection, RejectionKind};

/// The login-redirect preset: a same-site login path and the rules of when and where to
/// redirect. The adapters build their framework's `303 See Other` response (with
/// `Cache-Control: no-store`) from [`location`](Self::location) when
/// [`applies`](Self::applies) is true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRedirect {
    login_path: String,
    reauth_path: Option<String>,
}

impl LoginRedirect {
    /// The preset for `login_path`.
    ///
    /// # Panics
    /// When `login_path` is not a same-site absolute path (`/login`, not `https://…` or
    /// `//host/…`, see [`is_local_path`]): that is a programming error, caught at startup.
    pub fn new(login_path: impl Into<String>) -> Self {
        let login_path = login_path.into();
        assert!(
            is_local_path(&login_path),
            "the login path must be a same-site path such as \"/login\", not {login_path:?}"
        );
        Self {
            login_path,
            reauth_path: None,
        }
    }

    /// Sends browsers refused for an insufficient proof of their session
    /// ([`RejectionKind::ReauthRequired`]: [`Require::second_factor`](crate::auth::Require::second_factor),
    /// [`Require::proven_within`](crate::auth::Require::proven_within)) to `reauth_path?next=…`,
    /// a page where a signed-in user proves it is them again (the route helpers'
    /// re-authentication). Without it they are sent to the login path: a new sign-in is a
    /// fresh proof too.
    ///
    /// ```
    /// use loginradius::auth::{Rejection, RejectionKind};
    /// use loginradius::web::redirect::LoginRedirect;
    ///
    /// let preset = LoginRedirect::new("/login").reauth_path("/reauth");
    /// let stale = Rejection::new(RejectionKind::ReauthRequired);
    /// assert!(preset.applies(&stale, ["text/html"]));
    /// assert_eq!(preset.location_for(&stale, "/payouts"), "/reauth?next=/payouts");
    /// let anonymous = Rejection::missing_token();
    /// assert_eq!(preset.location_for(&anonymous, "/payouts"), "/login?next=/payouts");
    /// ```
    ///
    /// # Panics
    /// When `reauth_path` is not a same-site absolute path, as [`new`](Self::new).
    pub fn reauth_path(mut self, reauth_path: impl Into<String>) -> Self {
        let reauth_path = reauth_path.into();
        assert!(
            is_local_path(&reauth_path),
            "the re-authentication path must be a same-site path such as \"/reauth\", not {reauth_path:?}"
        );
        self.reauth_path = Some(reauth_path);
        self
    }

    /// The login path.
    pub fn login_path(&self) -> &str {
        &self.login_path
    }

    /// True when `rejection` should become a redirect: it is unauthenticated (401: no token,
    /// invalid or expired token) or asks for a re-authentication
    /// ([`RejectionKind::ReauthRequired`]), and the request's `Accept` values (`accept`, the
    /// header's values that are valid text) list `text/html` (see [`accepts_html`]).
    pub fn applies<'a>(
        &self,
        rejection: &Rejection,
        accept: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        (rejection.is_unauthenticated() || rejection.kind() == RejectionKind::ReauthRequired)
            && accepts_html(accept)
    }

    /// True when `rejection` should be answered with the HTML [`FORBIDDEN_PAGE`] (status 403):
    /// it is forbidden (a signed-in user without the role or permission) and the request
    /// accepts `text/html`. API clients keep the JSON 403.
    pub fn forbidden_page<'a>(
        &self,
        rejection: &Rejection,
        accept: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        rejection.kind() == RejectionKind::Forbidden && accepts_html(accept)
    }

    /// True when `rejection` should be answered with the HTML [`too_many_requests_page`]
    /// (status 429, `Retry-After`): a client over a limit (made-up tokens) whose request
    /// accepts `text/html`. API clients keep the JSON 429.
    pub fn too_many_page<'a>(
        &self,
        rejection: &Rejection,
        accept: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        rejection.status() == http::StatusCode::TOO_MANY_REQUESTS && accepts_html(accept)
    }

    /// The redirect target for a request whose original path and query is `path_and_query`:
    /// `login_path?next=<safe_next(path_and_query)>` (or `&next=` when the login path already
    /// has a query).
    pub fn location(&self, path_and_query: &str) -> String {
        with_next(&self.login_path, path_and_query)
    }

    /// The redirect target for `rejection`: the [re-authentication
    /// path](Self::reauth_path) for [`RejectionKind::ReauthRequired`] when there is one,
    /// otherwise [`location`](Self::location).
    pub fn location_for(&self, rejection: &Rejection, path_and_query: &str) -> String {
        match (&self.reauth_path, rejection.kind()) {
            (Some(reauth), RejectionKind::ReauthRequired) => with_next(reauth, path_and_query),
            _ => self.location(path_and_query),
        }
    }
}

impl From<&str> for LoginRedirect {
    /// [`LoginRedirect::new`] (which panics on a path that is not same-site).
    fn from(login_path: &str) -> Self {
        Self::new(login_path)
    }
}

impl From<String> for LoginRedirect {
    /// [`LoginRedirect::new`] (which panics on a path that is not same-site).
    fn from(login_path: String) -> Self {
        Self::new(login_path)
    }
}

/// `path?next=<safe_next(path_and_query)>` (or `&next=` when `path` has a query already).
fn with_next(path: &str, path_and_query: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}next={}", safe_next(path_and_query))
}

/// The page of the preset's HTML 403 (`Content-Type: text/html; charset=utf-8`): a browser
/// that is signed in but lacks the role or permission of the page.
pub const FORBIDDEN_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>\
<p>You are signed in, but your account may not open this page.</p>\
<p><a href=\"/\">Home</a></p></body></html>\n";

/// The page of the preset's HTML 429 (`Content-Type: text/html; charset=utf-8`): when to try
/// again, in the whole seconds of `Retry-After`.
pub fn too_many_requests_page(retry_after: Option<std::time::Duration>) -> String {
    let when = retry_after.map_or_else(
        || "in a moment".to_owned(),
        |d| format!("in {} s", d.as_secs() + u64::from(d.subsec_nanos() > 0)),
    );
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1>\
<p>Too many failed attempts from your network. Try again {when}.</p>\
<p><a href=\"/\">Home</a></p></body></html>\n"
    )
}

/// True for `/x…`: a path on this site (not `//host`, not `/\host`, which browsers read as a
/// network path), without control characters.
pub fn is_local_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !path.chars().any(char::is_control)
}

/// True when one of the `Accept` header values lists `text/html` (or XHTML): a browser
/// navigating to a page. Pass the values that are valid text (a value that is not is ignored).
pub fn accepts_html<'a>(accept: impl IntoIterator<Item = &'a str>) -> bool {
    accept.into_iter().any(|v| {
        v.split(',').any(|item| {
            let media = item.split(';').next().unwrap_or("").trim();
            media.eq_ignore_ascii_case("text/html")
                || media.eq_ignore_ascii_case("application/xhtml+xml")
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
pub fn safe_next(path_and_query: &str) -> String {
    let rest = path_and_query.trim_start_matches(['/', '\\']);
    let local = format!("/{rest}");
    utf8_percent_encode(&local, NEXT).to_string()
}

/// The `next` value for a request URI (absolute or origin form): [`safe_next`] of its path and
/// query, `/` when it has none.
pub fn next_of(uri: &http::Uri) -> String {
    safe_next(uri.path_and_query().map_or("/", |pq| pq.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::ACCEPT;
    use http::request::Parts;

    // Moved from the axum and actix adapters (`rejection.rs`), assertions verbatim.

    fn parts(uri: &str, accept: Option<&str>) -> Parts {
        let mut builder = http::Request::builder().uri(uri);
        if let Some(accept) = accept {
            builder = builder.header(ACCEPT, accept);
        }
        builder.body(()).unwrap().into_parts().0
    }

    fn headers_accept_html(headers: &http::HeaderMap) -> bool {
        accepts_html(
            headers
                .get_all(ACCEPT)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        )
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
        let _ = LoginRedirect::new("https://evil.example/login");
    }

    /// From the axum adapter (which read the URI of the request parts).
    #[test]
    fn next_keeps_path_and_query_encoded_and_local() {
        let next_of = |parts: &Parts| next_of(&parts.uri);
        assert_eq!(
            next_of(&parts("/a/b?x=1&y=%2F", None)),
            "/a/b%3Fx%3D1%26y%3D%252F"
        );
        assert_eq!(next_of(&parts("//evil.example/x", None)), "/evil.example/x");
        assert_eq!(next_of(&parts("http://host/p?q", None)), "/p%3Fq");
        assert_eq!(next_of(&parts("/%5C%5Cevil", None)), "/%255C%255Cevil");
    }

    /// From the actix adapter (which passed the path and query).
    #[test]
    fn safe_next_keeps_path_and_query_encoded_and_local() {
        assert_eq!(safe_next("/a/b?x=1&y=%2F"), "/a/b%3Fx%3D1%26y%3D%252F");
        assert_eq!(safe_next("//evil.example/x"), "/evil.example/x");
        assert_eq!(safe_next("/%5C%5Cevil"), "/%255C%255Cevil");
        assert_eq!(safe_next("\\\\evil"), "/evil");
    }

    #[test]
    fn accept_parsing() {
        let html = |accept| headers_accept_html(&parts("/", accept).headers);
        assert!(html(Some("text/html,application/xhtml+xml;q=0.9")));
        assert!(html(Some("application/json, TEXT/HTML;q=0.1")));
        assert!(!html(Some("application/json")));
        assert!(!html(None));
    }

    #[test]
    fn location_appends_next_to_the_login_path() {
        assert_eq!(
            LoginRedirect::new("/login").location("/a?b=c"),
            "/login?next=/a%3Fb%3Dc"
        );
        assert_eq!(
            LoginRedirect::new("/login?lang=en").location("//evil.example"),
            "/login?lang=en&next=/evil.example"
        );
    }

    #[test]
    fn only_unauthenticated_html_requests_are_redirected() {
        let preset = LoginRedirect::new("/login");
        assert!(preset.applies(&Rejection::missing_token(), ["text/html"]));
        assert!(!preset.applies(&Rejection::missing_token(), ["application/json"]));
        assert!(!preset.applies(&Rejection::forbidden(), ["text/html"]));
    }

    #[test]
    fn only_forbidden_html_requests_get_the_page() {
        let preset = LoginRedirect::new("/login");
        assert!(preset.forbidden_page(&Rejection::forbidden(), ["text/html"]));
        assert!(!preset.forbidden_page(&Rejection::forbidden(), ["application/json"]));
        assert!(!preset.forbidden_page(&Rejection::missing_token(), ["text/html"]));
        assert!(FORBIDDEN_PAGE.contains("403 Forbidden"));
        let page = too_many_requests_page(Some(std::time::Duration::from_millis(1500)));
        assert!(
            page.contains("429 Too Many Requests") && page.contains("in 2 s"),
            "{page}"
        );
    }
}
