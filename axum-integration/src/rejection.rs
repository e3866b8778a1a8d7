//! Turning core's [`Rejection`] into axum responses, and the hook that lets an application
//! replace them ([`RejectionHandler`]).

use std::fmt;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::OriginalUri;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use loginradius::auth::Rejection;
use loginradius::web::redirect::{FORBIDDEN_PAGE, LoginRedirect, too_many_requests_page};

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
    /// the default JSON response. [`html_pages`](Self::html_pages) also answers forbidden
    /// browsers with an HTML page.
    ///
    /// `next` is always a same-site relative path (it starts with one `/`, never `//` or `/\`),
    /// so a login page that redirects to it cannot be turned into an open redirect. The rules
    /// are core's [`LoginRedirect`], shared with the actix adapter.
    ///
    /// # Panics
    /// When `login_path` is not a same-site absolute path (`/login`, not `https://…` or
    /// `//host/…`): that is a programming error, caught at startup.
    pub fn redirect_html_to(login_path: impl Into<LoginRedirect>) -> Self {
        Self::login_preset(login_path.into(), false)
    }

    /// The preset for a site of HTML pages: [`redirect_html_to`](Self::redirect_html_to)'s
    /// redirect of unauthenticated browsers (401) to `login_path?next=…`, and for a browser
    /// that is signed in but lacks the role or permission (403), core's HTML
    /// [`FORBIDDEN_PAGE`] with status 403 instead of JSON, and for a browser over a limit
    /// (429) core's [`too_many_requests_page`] with `Retry-After`. API clients (no `text/html` in
    /// `Accept`) and 503s keep the JSON answers. Same behaviour as the actix adapter's preset.
    ///
    /// A signed-in browser whose session proof falls short of a step-up requirement
    /// ([`Require::second_factor`](loginradius::auth::Require::second_factor),
    /// [`Require::proven_within`](loginradius::auth::Require::proven_within); 403
    /// `reauth_required`) is redirected to the preset's
    /// [re-authentication path](LoginRedirect::reauth_path), or to the login path without one.
    ///
    /// # Panics
    /// When `login_path` is not a same-site absolute path (`/login`, not `https://…` or
    /// `//host/…`): that is a programming error, caught at startup.
    pub fn html_pages(login_path: impl Into<LoginRedirect>) -> Self {
        Self::login_preset(login_path.into(), true)
    }

    /// The login presets: the redirect, and the HTML 403 when `forbidden_page`.
    fn login_preset(preset: LoginRedirect, forbidden_page: bool) -> Self {
        Self::new(move |rejection, parts| {
            if preset.applies(&rejection, accept_values(parts)) {
                let location = preset.location_for(&rejection, &original_path_and_query(parts));
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
            if forbidden_page && preset.forbidden_page(&rejection, accept_values(parts)) {
                let mut response = Response::new(Body::from(FORBIDDEN_PAGE));
                *response.status_mut() = StatusCode::FORBIDDEN;
                response.headers_mut().insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                response
                    .headers_mut()
                    .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
                return response;
            }
            if forbidden_page && preset.too_many_page(&rejection, accept_values(parts)) {
                let page = too_many_requests_page(rejection.retry_after());
                let mut response = Response::new(Body::from(page));
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                *response.headers_mut() = rejection.headers();
                response.headers_mut().insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                return response;
            }
            rejection_response(&rejection)
        })
    }

    /// Renders `rejection` for the request `parts`.
    pub fn respond(&self, rejection: Rejection, parts: &Parts) -> Response {
        (self.0)(rejection, parts)
    }
}

/// The request's `Accept` values that are valid text.
fn accept_values(parts: &Parts) -> impl Iterator<Item = &str> {
    parts
        .headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
}

/// The path and query of the original request (before any `nest`), `/` when it has none.
fn original_path_and_query(parts: &Parts) -> String {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    uri.path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned()
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

    // The rules' own tests (local paths, `next`, `Accept`) live with them in core
    // (`loginradius::web::redirect`); this one checks the axum-specific part.

    fn html_parts(uri: &str, accept: &str) -> Parts {
        http::Request::builder()
            .uri(uri)
            .header(ACCEPT, accept)
            .body(())
            .unwrap()
            .into_parts()
            .0
    }

    #[test]
    #[should_panic(expected = "same-site path")]
    fn absolute_login_url_is_refused() {
        let _ = RejectionHandler::redirect_html_to("https://evil.example/login");
    }

    #[test]
    fn json_requests_and_refusals_other_than_401_are_not_redirected() {
        let handler = RejectionHandler::redirect_html_to("/login?lang=en");
        let api = html_parts("/a", "application/json");
        let response = handler.respond(Rejection::missing_token(), &api);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let page = html_parts("/a", "text/html");
        let response = handler.respond(Rejection::forbidden(), &page);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = handler.respond(Rejection::expired_token(), &page);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/login?lang=en&next=/a");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    }

    #[test]
    fn next_is_taken_from_the_original_uri() {
        let mut parts = http::Request::builder()
            .uri("/inner?x=1")
            .header(ACCEPT, "text/html")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        parts
            .extensions
            .insert(OriginalUri("/outer/inner?x=1".parse().unwrap()));
        let response = RejectionHandler::redirect_html_to("/login")
            .respond(Rejection::missing_token(), &parts);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            format!(
                "/login?next={}",
                loginradius::web::redirect::safe_next("/outer/inner?x=1")
            )
        );
    }

    #[test]
    fn the_html_pages_preset_answers_forbidden_browsers_with_an_html_403() {
        let handler = RejectionHandler::html_pages("/login");
        let page = html_parts("/admin", "text/html");
        let flood = Rejection::new(loginradius::auth::RejectionKind::TooManyRequests)
            .with_retry_after(std::time::Duration::from_secs(3));
        let response = handler.respond(flood.clone(), &page);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "3");
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        let response = handler.respond(flood, &html_parts("/admin", "application/json"));
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let response = handler.respond(Rejection::forbidden(), &page);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
        let response = handler.respond(Rejection::missing_token(), &page);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/login?next=/admin");
        let api = html_parts("/admin", "application/json");
        let response = handler.respond(Rejection::forbidden(), &api);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        // `redirect_html_to` keeps the JSON 403.
        let response =
            RejectionHandler::redirect_html_to("/login").respond(Rejection::forbidden(), &page);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    }

    #[test]
    fn browsers_without_a_fresh_proof_are_sent_to_re_authenticate_and_apis_get_json() {
        use loginradius::auth::RejectionKind;
        use loginradius::web::redirect::LoginRedirect;
        let stale = Rejection::new(RejectionKind::ReauthRequired);
        let page = html_parts("/payouts?x=1", "text/html");
        let handler =
            RejectionHandler::html_pages(LoginRedirect::new("/login").reauth_path("/reauth"));
        let response = handler.respond(stale.clone(), &page);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            "/reauth?next=/payouts%3Fx%3D1"
        );
        // Without a re-authentication page: a new sign-in proves the session too.
        let response = RejectionHandler::html_pages("/login").respond(stale.clone(), &page);
        assert_eq!(response.headers()[LOCATION], "/login?next=/payouts%3Fx%3D1");
        // API clients keep the JSON 403 and its challenge.
        let api = html_parts("/payouts", "application/json");
        let response = handler.respond(stale, &api);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .contains(r#"error="insufficient_user_authentication""#)
        );
        // A missing role is no reason to re-authenticate: the HTML 403 page.
        let response = handler.respond(Rejection::forbidden(), &page);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    }
}
