//! CSRF protection, two layers deep:
//! - [`origin_layer`]: tower-http's `CsrfLayer` (Go 1.25 `CrossOriginProtection`): a
//!   state-changing request whose `Sec-Fetch-Site` or `Origin` says "another site" is 403.
//! - [`protect`]: every form carries `csrf_token`, an HMAC-SHA256 (under a per-process key) of
//!   the random value of the `demo_csrf` cookie (`HttpOnly; SameSite=Strict`). A POST without
//!   the cookie or with a wrong token is 403, whatever its headers say (old browsers and
//!   non-browser clients send neither `Sec-Fetch-Site` nor `Origin`).
//!
//! [`protect`] also sets the security headers of every response (CSP without inline scripts,
//! `frame-ancestors 'none'`, `Referrer-Policy: no-referrer`, `nosniff`, `no-store`).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use hmac::{Hmac, Mac};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use sha2::Sha256;
use tower_http::csrf::{CsrfLayer, ProtectionError};

use crate::AppState;

/// The CSRF cookie.
pub(crate) const COOKIE_NAME: &str = "demo_csrf";
/// The form field.
pub(crate) const FIELD: &str = "csrf_token";
/// Largest form body accepted.
const MAX_FORM: usize = 64 * 1024;

/// The per-process secrets: the CSRF HMAC key and the key of the encrypted helper cookies
/// (flash messages, pending MFA setup data).
pub(crate) struct Keys {
    csrf: [u8; 32],
    pub(crate) cookies: cookie::Key,
}

impl Keys {
    pub(crate) fn generate() -> Self {
        Self {
            csrf: rand::random(),
            cookies: cookie::Key::generate(),
        }
    }

    fn mac(&self, value: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.csrf).expect("any key length");
        mac.update(b"demo-csrf:");
        mac.update(value.as_bytes());
        mac
    }

    /// The form token for the cookie value.
    pub(crate) fn token(&self, cookie_value: &str) -> String {
        hex::encode(self.mac(cookie_value).finalize().into_bytes())
    }

    /// Constant-time check of a submitted token.
    pub(crate) fn verify(&self, cookie_value: &str, submitted: &str) -> bool {
        let Ok(bytes) = hex::decode(submitted) else {
            return false;
        };
        self.mac(cookie_value).verify_slice(&bytes).is_ok()
    }
}

/// The request's form token, for the templates.
#[derive(Clone, Debug)]
pub(crate) struct CsrfToken(pub(crate) String);

/// The value of cookie `name` in the request, if it has one (core's cookie reader: several
/// different values are none).
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    loginradius::auth::cookie_value(headers, name)
        .ok()
        .flatten()
        .filter(|v| !v.is_empty())
}

fn valid_cookie_value(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The middleware: checks the token of every non-safe request, hands the form token to the
/// handlers, sets the CSRF cookie when missing and the security headers of every response.
pub(crate) async fn protect(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let existing = cookie_value(&parts.headers, COOKIE_NAME).filter(|v| valid_cookie_value(v));
    let fresh = existing.is_none();
    let value = existing.unwrap_or_else(|| hex::encode(rand::random::<[u8; 32]>()));
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = if safe {
        body
    } else {
        let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
            return refused(
                &state,
                StatusCode::PAYLOAD_TOO_LARGE,
                "The form is too large.",
            );
        };
        let submitted = url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if fresh || !state.keys.verify(&value, &submitted) {
            return refused(
                &state,
                StatusCode::FORBIDDEN,
                "The form could not be accepted: its security token is missing or wrong. Go back, reload the page and try again.",
            );
        }
        Body::from(bytes)
    };
    parts.extensions.insert(CsrfToken(state.keys.token(&value)));
    let secure = state.flows.session().security().is_secure(&parts.headers);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if fresh {
        let cookie = Cookie::build((COOKIE_NAME, value))
            .http_only(true)
            .same_site(SameSite::Strict)
            .path("/")
            .secure(secure)
            .build();
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    security_headers(response.headers_mut());
    response
}

/// The headers every response carries.
pub(crate) fn security_headers(headers: &mut HeaderMap) {
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

fn refused(state: &AppState, status: StatusCode, message: &str) -> Response {
    let mut response = state.templates.error_page(status, message);
    security_headers(response.headers_mut());
    response
}

/// tower-http's cross-origin protection, answering 403 with a short HTML page.
pub(crate) fn origin_layer() -> CsrfLayer<impl Fn(ProtectionError) -> Response + Clone> {
    CsrfLayer::new().with_rejection_response(|_: ProtectionError| {
        let mut response = (
            StatusCode::FORBIDDEN,
            "<!doctype html><title>Forbidden</title><h1>Forbidden</h1><p>Cross-site form posts are refused.</p>",
        )
            .into_response();
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        security_headers(response.headers_mut());
        response
    })
}
