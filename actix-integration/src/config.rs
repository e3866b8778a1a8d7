//! [`LoginRadiusConfig`]: the app data the extractors and guards read.

use actix_web::{HttpRequest, HttpResponse, web};
use loginradius::auth::{Authenticator, Rejection};
use loginradius::web::Flows;
use loginradius::web::redirect::LoginRedirect;

use crate::rejection::{AuthRejection, RejectionHandler};

/// The app data of this crate: the [`Authenticator`] and how rejections are rendered, in the
/// style of actix's `JsonConfig`.
///
/// Register it with `App::app_data` (or on a `scope`/resource, for a different renderer
/// there). The authenticator may also come from `web::Data<Authenticator>`; a config without
/// one ([`LoginRadiusConfig::default`]) then only sets the renderer. Inside the route helpers
/// of [`routes::configure`](crate::routes::configure), the flows' authenticator is used. When neither is found, the
/// extractors and guards answer 500 `{"error": "misconfigured"}` with a message saying what to
/// add.
///
/// ```
/// use actix_web::{App, HttpResponse, web};
/// use loginradius_actix::LoginRadiusConfig;
/// # fn app(authenticator: loginradius::auth::Authenticator) {
/// // Browsers go to the login page; API clients get the JSON 401.
/// let app = App::new()
///     .app_data(LoginRadiusConfig::new(authenticator.clone()).redirect_html_to("/login"));
///
/// // Or any rendering of core's `Rejection`:
/// let app = App::new()
///     .app_data(web::Data::new(authenticator))
///     .app_data(LoginRadiusConfig::default().error_handler(|rejection, _req| {
///         HttpResponse::build(rejection.status().as_u16().try_into().unwrap())
///             .body(rejection.message().to_owned())
///     }));
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct LoginRadiusConfig {
    authenticator: Option<Authenticator>,
    handler: RejectionHandler,
}

impl LoginRadiusConfig {
    /// A config with `authenticator` and the default JSON rejections.
    pub fn new(authenticator: Authenticator) -> Self {
        Self {
            authenticator: Some(authenticator),
            handler: RejectionHandler::default(),
        }
    }

    /// A config with the authenticator of the route helpers' `flows`
    /// ([`Flows::from_client`]): the extractors and guards accept the session cookie the
    /// helpers start, and `Bearer` tokens. The same name as the axum adapter's
    /// `LoginRadiusLayer::from_flows`.
    pub fn from_flows(flows: &Flows) -> Self {
        Self::new(flows.authenticator().clone())
    }

    /// Replaces how rejections are rendered: a [`RejectionHandler`] (such as
    /// [`RejectionHandler::redirect_html_to`]) or a function of core's [`Rejection`] and the
    /// request. The same name as the axum adapter's `LoginRadiusLayer::on_rejection`.
    pub fn on_rejection(mut self, handler: impl Into<RejectionHandler>) -> Self {
        self.handler = handler.into();
        self
    }

    /// Replaces how rejections (401, 403, 503, 500) are rendered, for every extractor and
    /// guard that sees this config: a function of core's [`Rejection`] and the request.
    pub fn error_handler<F>(mut self, f: F) -> Self
    where
        F: Fn(Rejection, &HttpRequest) -> HttpResponse + Send + Sync + 'static,
    {
        self.handler = RejectionHandler::new(f);
        self
    }

    /// Sets a prepared [`RejectionHandler`].
    pub fn with_handler(mut self, handler: RejectionHandler) -> Self {
        self.handler = handler;
        self
    }

    /// The preset for web pages ([`RejectionHandler::redirect_html_to`]): unauthenticated requests
    /// that accept HTML are redirected to `login_path?next=…` (a same-site relative path);
    /// everything else gets the JSON rejection.
    ///
    /// # Panics
    /// When `login_path` is not a same-site path such as `/login`.
    pub fn redirect_html_to(self, login_path: impl Into<LoginRedirect>) -> Self {
        self.with_handler(RejectionHandler::redirect_html_to(login_path))
    }

    /// The preset for a site of HTML pages ([`RejectionHandler::html_pages`]): the login
    /// redirect for browsers that are not signed in, and an HTML 403 page for signed-in
    /// browsers without the role or permission; API clients keep the JSON answers. The same
    /// name as the axum adapter's `LoginRadiusLayer::html_pages`.
    ///
    /// A session whose proof falls short of a step-up requirement
    /// ([`Require::second_factor`](loginradius::auth::Require::second_factor),
    /// [`Require::proven_within`](loginradius::auth::Require::proven_within)) is redirected to
    /// the preset's [re-authentication page](LoginRedirect::reauth_path) (for example
    /// `LoginRedirect::new("/login").reauth_path("/reauth")`), or to the login path.
    ///
    /// # Panics
    /// When `login_path` is not a same-site path such as `/login`.
    pub fn html_pages(self, login_path: impl Into<LoginRedirect>) -> Self {
        self.with_handler(RejectionHandler::html_pages(login_path))
    }

    /// The authenticator, when this config carries one.
    pub fn authenticator(&self) -> Option<&Authenticator> {
        self.authenticator.as_ref()
    }

    /// The rejection renderer.
    pub fn handler(&self) -> &RejectionHandler {
        &self.handler
    }
}

/// What an extractor or guard needs from the app data, borrowed from the request (nothing is
/// cloned on the warm path).
pub(crate) struct Resolved<'a> {
    pub(crate) authenticator: &'a Authenticator,
    handler: Option<&'a RejectionHandler>,
}

impl Resolved<'_> {
    /// The rejection renderer: the config's, or the default JSON one.
    pub(crate) fn handler(&self) -> RejectionHandler {
        self.handler.cloned().unwrap_or_default()
    }

    /// `rejection`, rendered for `req`.
    pub(crate) fn reject(&self, rejection: Rejection, req: &HttpRequest) -> AuthRejection {
        AuthRejection::new(rejection, &self.handler(), req)
    }
}

/// The config of the request, from `LoginRadiusConfig` or `web::Data<LoginRadiusConfig>`.
fn config_of(req: &HttpRequest) -> Option<&LoginRadiusConfig> {
    req.app_data::<LoginRadiusConfig>().or_else(|| {
        req.app_data::<web::Data<LoginRadiusConfig>>()
            .map(|d| d.get_ref())
    })
}

/// The authenticator and renderer of the request, or the rendered 500 when no authenticator is
/// registered.
pub(crate) fn resolve(req: &HttpRequest) -> Result<Resolved<'_>, AuthRejection> {
    let config = config_of(req);
    let handler = config.map(|c| &c.handler);
    let authenticator = config
        .and_then(|c| c.authenticator.as_ref())
        .or_else(|| {
            req.app_data::<web::Data<Authenticator>>()
                .map(|d| d.get_ref())
        })
        .or_else(|| req.app_data::<Authenticator>())
        .or_else(|| {
            req.app_data::<web::Data<Flows>>()
                .map(|f| f.authenticator())
        });
    match authenticator {
        Some(authenticator) => Ok(Resolved {
            authenticator,
            handler,
        }),
        None => Err(AuthRejection::new(
            missing_authenticator(),
            &handler.cloned().unwrap_or_default(),
            req,
        )),
    }
}

/// The rejection when no authenticator is registered.
fn missing_authenticator() -> Rejection {
    tracing::error!(
        "a LoginRadius extractor or guard ran without an authenticator: add \
         `.app_data(LoginRadiusConfig::new(authenticator))` to the App"
    );
    Rejection::misconfigured(
        "no LoginRadius authenticator in the app data: add \
         `.app_data(LoginRadiusConfig::new(authenticator))` (or `web::Data<Authenticator>`) to \
         the App",
    )
}
