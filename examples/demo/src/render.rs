//! Templates (minijinja, from `templates/`, HTML auto-escaped), flash messages, the pending MFA
//! setup data, redirects, and the HTML rejection pages.

use std::sync::Arc;

use axum::response::{Html, IntoResponse, Response};
use cookie::{Cookie, CookieJar, SameSite};
use http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use loginradius::auth::{AuthenticatedUser, RejectionKind};
use loginradius::web::redirect::{self, LoginRedirect};
use loginradius_axum::RejectionHandler;
use minijinja::Environment;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::AppState;
use crate::csrf::{CsrfToken, cookie_value};

/// The flash cookie: one message shown by the next page.
const FLASH: &str = "demo_flash";
/// The pending MFA setup data (otpauth URI and manual entry code), between the login and
/// the code page.
const MFA_SETUP: &str = "demo_mfa_setup";

/// The compiled templates. Cheap to clone.
#[derive(Clone)]
pub struct Templates(Arc<Environment<'static>>);

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! templates {
    ($env:ident, $($name:literal),+ $(,)?) => {
        $(
            $env.add_template($name, include_str!(concat!("../templates/", $name)))
                .expect(concat!("template ", $name));
        )+
    };
}

impl Templates {
    /// Loads the templates compiled into the binary.
    pub fn new() -> Self {
        let mut env = Environment::new();
        templates!(
            env,
            "base.html",
            "index.html",
            "login.html",
            "mfa.html",
            "consent.html",
            "register.html",
            "forgot.html",
            "reset.html",
            "verify.html",
            "reauth.html",
            "passwordless.html",
            "passwordless_verify.html",
            "phone.html",
            "profile.html",
            "custom_objects.html",
            "mfa_settings.html",
            "sessions.html",
            "roles.html",
            "role_confirm.html",
            "error.html",
        );
        Self(Arc::new(env))
    }

    /// Renders `name` with `context`.
    pub fn render(&self, name: &str, context: &Value) -> Result<String, minijinja::Error> {
        self.0.get_template(name)?.render(context)
    }

    /// A full error page with `status`.
    pub fn error_page(&self, status: StatusCode, message: &str) -> Response {
        let body = self
            .render(
                "error.html",
                &json!({ "status": status.as_u16(), "reason": status.canonical_reason(), "message": message }),
            )
            .unwrap_or_else(|_| message.to_owned());
        let mut response = (status, Html(body)).into_response();
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// A one-time message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Flash {
    /// `ok` or `error`.
    pub(crate) kind: String,
    pub(crate) text: String,
}

impl Flash {
    pub(crate) fn ok(text: impl Into<String>) -> Self {
        Self {
            kind: "ok".into(),
            text: text.into(),
        }
    }

    pub(crate) fn error(text: impl Into<String>) -> Self {
        Self {
            kind: "error".into(),
            text: text.into(),
        }
    }
}

/// What the code page needs between the two MFA steps: the setup data (when the authenticator
/// app is not set up yet) and where to go afterwards. Its `Debug` hides the setup data: the
/// otpauth URI and the manual entry code are the authenticator's shared secret.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct MfaSetup {
    pub(crate) otpauth_uri: Option<String>,
    pub(crate) manual_entry_code: Option<String>,
    /// Where to go after the code (a same-site path).
    #[serde(default)]
    pub(crate) next: Option<String>,
    /// The second factors the user has set up (`authenticator`, `sms`, `email`), from the
    /// MFA answer of the sign-in.
    #[serde(default)]
    pub(crate) methods: Vec<String>,
}

impl std::fmt::Debug for MfaSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaSetup")
            .field("otpauth_uri", &self.otpauth_uri.as_ref().map(|_| "***"))
            .field(
                "manual_entry_code",
                &self.manual_entry_code.as_ref().map(|_| "***"),
            )
            .field("next", &self.next)
            .field("methods", &self.methods)
            .finish()
    }
}

fn seal(state: &AppState, name: &str, plain: String) -> String {
    let mut jar = CookieJar::new();
    jar.private_mut(&state.keys.cookies)
        .add(Cookie::new(name.to_owned(), plain));
    jar.get(name)
        .map(|c| c.value().to_owned())
        .unwrap_or_default()
}

fn open(state: &AppState, headers: &HeaderMap, name: &str) -> Option<String> {
    let raw = cookie_value(headers, name)?;
    let mut jar = CookieJar::new();
    jar.add_original(Cookie::new(name.to_owned(), raw));
    jar.private(&state.keys.cookies)
        .get(name)
        .map(|c| c.value().to_owned())
}

/// A cookie of the demo's own (flash message, MFA setup data), `Secure` as the session
/// cookie is.
fn helper_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: String,
    max_age: i64,
) -> HeaderValue {
    let cookie = Cookie::build((name.to_owned(), value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.flows.session().security().is_secure(headers))
        .max_age(time::Duration::seconds(max_age))
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A response under construction: a redirect or a page, plus cookies.
pub(crate) struct Reply {
    response: Response,
}

impl Reply {
    /// `303 See Other` to a same-site path. Never carries a token: callers pass fixed paths or
    /// `next` values checked by [`safe_next`].
    pub(crate) fn redirect(to: &str) -> Self {
        let mut response = StatusCode::SEE_OTHER.into_response();
        let location = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/"));
        response.headers_mut().insert(LOCATION, location);
        Self { response }
    }

    /// Adds a flash message for the next page.
    pub(crate) fn flash(mut self, state: &AppState, headers: &HeaderMap, flash: Flash) -> Self {
        let sealed = seal(
            state,
            FLASH,
            serde_json::to_string(&flash).unwrap_or_default(),
        );
        self.response.headers_mut().append(
            SET_COOKIE,
            helper_cookie(state, headers, FLASH, sealed, 300),
        );
        self
    }

    /// Adds a `Set-Cookie` header.
    pub(crate) fn cookie(mut self, value: Option<HeaderValue>) -> Self {
        if let Some(value) = value {
            self.response.headers_mut().append(SET_COOKIE, value);
        }
        self
    }

    /// Keeps the MFA setup data for the code page (`None` clears it).
    pub(crate) fn mfa_setup(
        self,
        state: &AppState,
        headers: &HeaderMap,
        setup: Option<&MfaSetup>,
    ) -> Self {
        let value = match setup {
            Some(setup) => helper_cookie(
                state,
                headers,
                MFA_SETUP,
                seal(
                    state,
                    MFA_SETUP,
                    serde_json::to_string(setup).unwrap_or_default(),
                ),
                900,
            ),
            None => helper_cookie(state, headers, MFA_SETUP, String::new(), 0),
        };
        self.cookie(Some(value))
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        self.response
    }
}

/// The MFA setup data of the request.
pub(crate) fn mfa_setup(state: &AppState, headers: &HeaderMap) -> Option<MfaSetup> {
    serde_json::from_str(&open(state, headers, MFA_SETUP)?).ok()
}

/// What the templates know about the signed-in user.
pub(crate) fn user_view(user: &AuthenticatedUser) -> Value {
    json!({
        "uid": user.uid.as_str(),
        "email": user.email(),
        "first_name": user.profile.first_name,
    })
}

/// Renders a page: `context` plus `user`, `csrf_token`, `flash` and `outbox_url`; clears the
/// flash cookie once shown.
pub(crate) fn page(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &CsrfToken,
    user: Option<&AuthenticatedUser>,
    template: &str,
    mut context: Value,
) -> Response {
    let flash: Option<Flash> =
        open(state, headers, FLASH).and_then(|f| serde_json::from_str(&f).ok());
    if let Some(object) = context.as_object_mut() {
        object.insert("user".into(), user.map(user_view).unwrap_or(Value::Null));
        object.insert("csrf_token".into(), json!(csrf.0));
        object.insert("flash".into(), json!(flash));
        object.insert("outbox_url".into(), json!(state.outbox_url.as_deref()));
    }
    let mut response = match state.templates.render(template, &context) {
        Ok(body) => Html(body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, template, "template error");
            return state.templates.error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be rendered.",
            );
        }
    };
    if flash.is_some() {
        response.headers_mut().append(
            SET_COOKIE,
            helper_cookie(state, headers, FLASH, String::new(), 0),
        );
    }
    response
}

/// The longest `next` kept (it travels in a cookie between the two MFA steps).
const MAX_NEXT: usize = 512;

/// A same-site path to go to after login (core's [`redirect::is_local_path`]), or `/profile`.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| redirect::is_local_path(n) && n.len() < MAX_NEXT)
        .unwrap_or("/profile")
        .to_owned()
}

/// The message of a flow or client error body.
pub(crate) fn message_of(body: &Value) -> String {
    body.get("message")
        .and_then(Value::as_str)
        .unwrap_or("Something went wrong.")
        .to_owned()
}

/// The message for a client error, from its LoginRadius error code.
pub(crate) fn error_message(error: &loginradius::Error) -> String {
    message_of(&loginradius::web::error_response(error).body)
}

/// Rejections as pages: unauthenticated browsers go to `/login?next=…`, sessions whose proof
/// is too old to `/reauth?next=…` (the preset from `loginradius-axum`); a missing role is a 403
/// page, an outage a 503 page with `Retry-After` that says when to try again.
pub(crate) fn rejection_handler(templates: Templates) -> RejectionHandler {
    let login =
        RejectionHandler::redirect_html_to(LoginRedirect::new("/login").reauth_path("/reauth"));
    RejectionHandler::new(move |rejection, parts| {
        let accept = parts.headers.get_all(ACCEPT);
        if rejection.is_unauthenticated()
            || rejection.kind() == RejectionKind::ReauthRequired
            || !redirect::accepts_html(accept.iter().filter_map(|v| v.to_str().ok()))
        {
            return login.respond(rejection, parts);
        }
        let status = rejection.status();
        let message = match status {
            StatusCode::FORBIDDEN => {
                "You are signed in, but this page needs the admin role.".to_owned()
            }
            StatusCode::SERVICE_UNAVAILABLE => unavailable_message(rejection.retry_after()),
            _ => rejection.message().to_owned(),
        };
        let mut response = templates.error_page(status, &message);
        for (name, value) in rejection.headers() {
            if let Some(name) = name
                && name != CONTENT_TYPE
            {
                response.headers_mut().insert(name, value);
            }
        }
        response
    })
}

/// The text of the 503 page: when to try again, in the `Retry-After` header's whole seconds.
fn unavailable_message(retry_after: Option<std::time::Duration>) -> String {
    match retry_after {
        Some(delay) => format!(
            "The identity service is unavailable, try again in {} s.",
            loginradius::auth::retry_after_value(delay)
                .to_str()
                .unwrap_or("a few")
        ),
        None => "The identity service is unavailable, try again in a moment.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{MfaSetup, unavailable_message};

    #[test]
    fn the_unavailable_page_says_when_to_try_again_as_retry_after_does() {
        assert_eq!(
            unavailable_message(Some(Duration::from_millis(6500))),
            "The identity service is unavailable, try again in 7 s."
        );
        assert_eq!(
            unavailable_message(None),
            "The identity service is unavailable, try again in a moment."
        );
    }

    #[test]
    fn debug_of_the_mfa_setup_hides_the_authenticator_secret() {
        let setup = MfaSetup {
            otpauth_uri: Some("otpauth://totp/Demo:jane?secret=JBSWY3DPEHPK3PXP".to_owned()),
            manual_entry_code: Some("JBSWY3DPEHPK3PXP".to_owned()),
            next: Some("/profile".to_owned()),
            methods: vec!["authenticator".to_owned()],
        };
        let shown = format!("{setup:?}");
        assert!(!shown.contains("JBSWY3DPEHPK3PXP"), "{shown}");
        assert!(shown.contains("/profile"), "{shown}");
    }
}
