//! Turning core's [`Rejection`] into actix responses, and the hook that lets an application
//! replace them ([`RejectionHandler`]).

use std::fmt;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use actix_web::{HttpRequest, HttpResponse};
use loginradius::auth::Rejection;
use loginradius::web::redirect::{FORBIDDEN_PAGE, LoginRedirect, too_many_requests_page};

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
/// ([`RejectionHandler::redirect_html_to`]).
///
/// Set it on [`LoginRadiusConfig`](crate::LoginRadiusConfig) with
/// [`error_handler`](crate::LoginRadiusConfig::error_handler); every extractor and guard of
/// the app uses it. Cheap to clone.
#[derive(Clone)]
pub struct RejectionHandler(Arc<HandlerFn>);

/// The former name of [`RejectionHandler`] (the axum adapter's name for the same thing).
#[deprecated(note = "renamed `RejectionHandler`, the name the axum adapter uses too")]
pub type ErrorHandler = RejectionHandler;

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
    /// [`html_pages`](Self::html_pages) also answers forbidden browsers with an HTML page.
    ///
    /// `next` is always a same-site relative path (it starts with one `/`, never `//` or `/\`),
    /// so a login page that redirects to it cannot be turned into an open redirect. The rules
    /// are core's [`LoginRedirect`], shared with the axum adapter.
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
    /// `Accept`) and 503s keep the JSON answers. Same behaviour as the axum adapter's preset.
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
        Self::new(move |rejection, req| {
            let accept = || {
                req.headers()
                    .get_all(ACCEPT)
                    .filter_map(|v| v.to_str().ok())
            };
            if forbidden_page && preset.forbidden_page(&rejection, accept()) {
                return HttpResponse::build(StatusCode::FORBIDDEN)
                    .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
                    .insert_header((CACHE_CONTROL, "no-store"))
                    .body(FORBIDDEN_PAGE);
            }
            if preset.applies(&rejection, accept()) {
                let path_and_query = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
                return HttpResponse::build(StatusCode::SEE_OTHER)
                    .insert_header((LOCATION, preset.location_for(&rejection, path_and_query)))
                    .insert_header((CACHE_CONTROL, "no-store"))
                    .finish();
            }
            if forbidden_page && preset.too_many_page(&rejection, accept()) {
                let mut response = HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
                    .body(too_many_requests_page(rejection.retry_after()));
                headers::append_core_headers(response.headers_mut(), &rejection.headers());
                response.headers_mut().insert(
                    CONTENT_TYPE,
                    actix_web::http::header::HeaderValue::from_static("text/html; charset=utf-8"),
                );
                return response;
            }
            rejection_response(&rejection)
        })
    }

    /// Renders `rejection` for the request `req`.
    pub fn respond(&self, rejection: Rejection, req: &HttpRequest) -> HttpResponse {
        (self.0)(rejection, req)
    }
}

impl<F> From<F> for RejectionHandler
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
pub struct AuthRejection(Box<Rendered>);

/// The former name of [`AuthRejection`] (the axum adapter's name for the same thing).
#[deprecated(note = "renamed `AuthRejection`, the name the axum adapter uses too")]
pub type AuthError = AuthRejection;

struct Rendered {
    rejection: Rejection,
    response: HttpResponse,
}

impl AuthRejection {
    pub(crate) fn new(rejection: Rejection, handler: &RejectionHandler, req: &HttpRequest) -> Self {
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

impl From<AuthRejection> for actix_web::Error {
    fn from(error: AuthRejection) -> Self {
        let Rendered {
            rejection,
            response,
        } = *error.0;
        actix_web::error::InternalError::from_response(rejection, response).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    // The rules' own tests (local paths, `next`, `Accept`) live with them in core
    // (`loginradius::web::redirect`); this one checks the actix-specific part.

    #[test]
    #[should_panic(expected = "same-site path")]
    fn absolute_login_url_is_refused() {
        let _ = RejectionHandler::redirect_html_to("https://evil.example/login");
    }

    #[test]
    fn refusals_other_than_401_are_not_redirected() {
        let handler = RejectionHandler::redirect_html_to("/login?lang=en");
        let page = TestRequest::get()
            .uri("/a")
            .insert_header((ACCEPT, "text/html"))
            .to_http_request();
        let response = handler.respond(Rejection::forbidden(), &page);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = handler.respond(Rejection::expired_token(), &page);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "/login?lang=en&next=/a"
        );
        assert_eq!(response.headers().get(CACHE_CONTROL).unwrap(), "no-store");
    }

    #[test]
    fn html_requests_are_redirected_with_their_path_and_query() {
        let req = TestRequest::get()
            .uri("/a/b?x=1")
            .insert_header((ACCEPT, "text/html"))
            .to_http_request();
        let response =
            RejectionHandler::redirect_html_to("/login").respond(Rejection::missing_token(), &req);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "/login?next=/a/b%3Fx%3D1"
        );
        let api = TestRequest::get().uri("/a").to_http_request();
        let response =
            RejectionHandler::redirect_html_to("/login").respond(Rejection::missing_token(), &api);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn the_html_pages_preset_answers_forbidden_browsers_with_an_html_403() {
        let handler = RejectionHandler::html_pages("/login");
        let page = TestRequest::get()
            .uri("/admin")
            .insert_header((ACCEPT, "text/html"))
            .to_http_request();
        let flood = Rejection::new(loginradius::auth::RejectionKind::TooManyRequests)
            .with_retry_after(std::time::Duration::from_secs(3));
        let response = handler.respond(flood.clone(), &page);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers().get("retry-after").unwrap(), "3");
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "text/html; charset=utf-8"
        );
        let json = TestRequest::get().uri("/admin").to_http_request();
        let response = handler.respond(flood, &json);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let response = handler.respond(Rejection::forbidden(), &page);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "text/html; charset=utf-8"
        );
        assert_eq!(response.headers().get(CACHE_CONTROL).unwrap(), "no-store");
        let response = handler.respond(Rejection::missing_token(), &page);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "/login?next=/admin"
        );
        let api = TestRequest::get()
            .uri("/admin")
            .insert_header((ACCEPT, "application/json"))
            .to_http_request();
        let response = handler.respond(Rejection::forbidden(), &api);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "application/json"
        );
        // `redirect_html_to` keeps the JSON 403.
        let response =
            RejectionHandler::redirect_html_to("/login").respond(Rejection::forbidden(), &page);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "application/json"
        );
    }

    #[test]
    fn browsers_without_a_fresh_proof_are_sent_to_re_authenticate_and_apis_get_json() {
        use loginradius::auth::RejectionKind;
        use loginradius::web::redirect::LoginRedirect;
        let stale = Rejection::new(RejectionKind::ReauthRequired);
        let page = TestRequest::get()
            .uri("/payouts?x=1")
            .insert_header((ACCEPT, "text/html"))
            .to_http_request();
        let handler =
            RejectionHandler::html_pages(LoginRedirect::new("/login").reauth_path("/reauth"));
        let response = handler.respond(stale.clone(), &page);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "/reauth?next=/payouts%3Fx%3D1"
        );
        // Without a re-authentication page: a new sign-in proves the session too.
        let response = RejectionHandler::html_pages("/login").respond(stale.clone(), &page);
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "/login?next=/payouts%3Fx%3D1"
        );
        // API clients keep the JSON 403 and its challenge.
        let api = TestRequest::get().uri("/payouts").to_http_request();
        let response = handler.respond(stale, &api);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "application/json"
        );
        assert!(
            response
                .headers()
                .get("www-authenticate")
                .unwrap()
                .to_str()
                .unwrap()
                .contains(r#"error="insufficient_user_authentication""#)
        );
        // A missing role is no reason to re-authenticate: the HTML 403 page.
        let response = handler.respond(Rejection::forbidden(), &page);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).unwrap(),
            "text/html; charset=utf-8"
        );
    }
}
