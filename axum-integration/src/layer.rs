//! [`LoginRadiusLayer`]: puts a lazy per-request [`AuthContext`] in the request extensions.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use http::{HeaderMap, Request};
use loginradius::auth::{
    AuthenticatedUser, Authenticator, Budget, CachedDecision, CachedLookup, PendingLookup,
    Rejection, Require,
};
use loginradius::web::Flows;
use loginradius::web::redirect::LoginRedirect;
use tower::{Layer, Service};

use crate::rejection::RejectionHandler;

/// A [`tower::Layer`] that makes LoginRadius authentication available to everything below it:
/// the [`AuthenticatedUser`](crate::AuthenticatedUser) and `Option<AuthenticatedUser>`
/// extractors, [`Guarded`](crate::Guarded) and [`RequireAuth`](crate::RequireAuth).
///
/// The layer itself does no work beyond storing an [`AuthContext`] in the request extensions
/// (one allocation per request): the token is looked up only when a handler or guard asks, at
/// most once per request (the result is kept for the rest of the request). A route that never
/// asks makes no upstream call. It never refuses a request by itself.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use axum::{Router, body::Body, routing::get};
/// use http::{Request, StatusCode};
/// use loginradius::LoginRadius;
/// use loginradius::auth::{Authenticator, Require};
/// use loginradius::transport::RecordingTransport;
/// use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer, RequireAuth};
/// use tower::ServiceExt;
///
/// async fn me(user: AuthenticatedUser) -> String {
///     format!("hello {}", user.uid)
/// }
///
/// let client = LoginRadius::builder()
///     .api_key("key")
///     .api_secret("secret")
///     .transport(RecordingTransport::new())
///     .build()?;
/// let authenticator = Authenticator::builder(client).build()?;
///
/// let app = Router::new()
///     .route("/admin", get(|| async { "admin area" }))
///     .route_layer(RequireAuth::new(Require::role("admin")))
///     .route("/me", get(me))
///     .route("/", get(|| async { "public" }))
///     .layer(LoginRadiusLayer::new(authenticator));
///
/// // No token: the public page answers, the others ask for one.
/// let response = app.clone().oneshot(Request::get("/").body(Body::empty())?).await?;
/// assert_eq!(response.status(), StatusCode::OK);
/// let response = app.clone().oneshot(Request::get("/me").body(Body::empty())?).await?;
/// assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
/// let response = app.oneshot(Request::get("/admin").body(Body::empty())?).await?;
/// assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct LoginRadiusLayer {
    config: Arc<Config>,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) authenticator: Authenticator,
    pub(crate) on_rejection: RejectionHandler,
}

impl LoginRadiusLayer {
    /// A layer on `authenticator`, with the default JSON rejections.
    pub fn new(authenticator: Authenticator) -> Self {
        Self {
            config: Arc::new(Config {
                authenticator,
                on_rejection: RejectionHandler::default(),
            }),
        }
    }

    /// A layer on the authenticator of the route helpers' `flows`
    /// ([`Flows::from_client`](loginradius::web::Flows::from_client)): the guards and
    /// extractors below it accept the session cookie the helpers start, and `Bearer` tokens.
    pub fn from_flows(flows: &Flows) -> Self {
        Self::new(flows.authenticator().clone())
    }

    /// The preset for web pages ([`RejectionHandler::redirect_html_to`]): browsers that are
    /// not signed in are redirected to `login_path?next=…`; everything else keeps the JSON
    /// answers. The same name as the actix adapter's `LoginRadiusConfig::redirect_html_to`.
    ///
    /// # Panics
    /// When `login_path` is not a same-site path such as `/login` (a programming error,
    /// caught at startup).
    pub fn redirect_html_to(self, login_path: impl Into<LoginRedirect>) -> Self {
        self.on_rejection(RejectionHandler::redirect_html_to(login_path))
    }

    /// The preset for a site of HTML pages ([`RejectionHandler::html_pages`]): the login
    /// redirect for browsers that are not signed in, and an HTML 403 page for signed-in
    /// browsers without the role or permission; API clients keep the JSON answers. The same
    /// name as the actix adapter's `LoginRadiusConfig::html_pages`.
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
        self.on_rejection(RejectionHandler::html_pages(login_path))
    }

    /// Replaces how rejections are rendered, for every extractor and guard below the layer:
    /// a function of the core [`Rejection`] and the request parts, or a preset such as
    /// [`RejectionHandler::redirect_html_to`].
    ///
    /// ```
    /// use axum::response::IntoResponse;
    /// use loginradius_axum::{LoginRadiusLayer, RejectionHandler};
    /// # fn layer(authenticator: loginradius::auth::Authenticator) {
    /// // Browsers go to the login page; API clients get the JSON 401.
    /// let layer = LoginRadiusLayer::new(authenticator.clone())
    ///     .on_rejection(RejectionHandler::redirect_html_to("/login"));
    /// // Or anything else:
    /// let layer = LoginRadiusLayer::new(authenticator)
    ///     .on_rejection(|rejection: loginradius::auth::Rejection, _: &http::request::Parts| {
    ///         (rejection.status(), rejection.message().to_owned()).into_response()
    ///     });
    /// # }
    /// ```
    pub fn on_rejection(mut self, handler: impl Into<RejectionHandler>) -> Self {
        let config = Arc::make_mut(&mut self.config);
        config.on_rejection = handler.into();
        self
    }

    /// The authenticator.
    pub fn authenticator(&self) -> &Authenticator {
        &self.config.authenticator
    }
}

impl<F> From<F> for RejectionHandler
where
    F: Fn(Rejection, &http::request::Parts) -> axum::response::Response + Send + Sync + 'static,
{
    fn from(f: F) -> Self {
        RejectionHandler::new(f)
    }
}

impl<S> Layer<S> for LoginRadiusLayer {
    type Service = LoginRadiusService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        LoginRadiusService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service of [`LoginRadiusLayer`]: adds an [`AuthContext`] to each request and calls the
/// inner service.
#[derive(Clone, Debug)]
pub struct LoginRadiusService<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S, B> Service<Request<B>> for LoginRadiusService<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let peer = peer_ip(request.extensions());
        request.extensions_mut().insert(AuthContext {
            budget: self.config.authenticator.budget(),
            config: self.config.clone(),
            peer,
            user: OnceLock::new(),
        });
        self.inner.call(request)
    }
}

/// The user of a request as the caches decided it, and their verdict on a requirement (`None`:
/// role data must be read).
pub(crate) type Resolved<'a> = (
    &'a Result<AuthenticatedUser, Rejection>,
    Option<Result<(), Rejection>>,
);

/// The per-request authentication state the layer stores in the request extensions: the
/// authenticator, the rejection handler, and the user of the request once someone asked.
///
/// Handlers rarely need it directly (use the extractors); it is public for custom extractors
/// and middleware. A clone carries the lookup made so far (and the request's budget).
#[derive(Clone)]
pub struct AuthContext {
    config: Arc<Config>,
    /// The connection's remote address, when the app is served with
    /// `into_make_service_with_connect_info::<SocketAddr>()`.
    peer: Option<IpAddr>,
    user: OnceLock<Result<AuthenticatedUser, Rejection>>,
    /// The request's one upstream budget, shared by the lookup of the user and every later
    /// authorization (guards, extractors) of the request.
    budget: Budget,
}

impl fmt::Debug for AuthContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthContext")
            .field("looked_up", &self.is_resolved())
            .finish_non_exhaustive()
    }
}

impl AuthContext {
    /// The user of the request whose headers are `headers`: looked up on the first call (token
    /// from the authenticator's sources, then the cache or one upstream lookup), remembered for
    /// the rest of the request.
    pub async fn user(&self, headers: &HeaderMap) -> Result<AuthenticatedUser, Rejection> {
        self.resolve(headers).await.clone()
    }

    /// Like [`user`](Self::user), by reference (no clone of the user).
    pub(crate) async fn resolve(
        &self,
        headers: &HeaderMap,
    ) -> &Result<AuthenticatedUser, Rejection> {
        match self.resolve_cached(headers) {
            Ok(resolved) => resolved,
            Err(pending) => self.resolve_pending(pending, headers).await,
        }
    }

    /// The user when it is known already, or this replica's caches decide it at once
    /// (remembered then); otherwise the lookup for
    /// [`resolve_pending`](Self::resolve_pending) to finish.
    pub(crate) fn resolve_cached(
        &self,
        headers: &HeaderMap,
    ) -> Result<&Result<AuthenticatedUser, Rejection>, PendingLookup> {
        if let Some(resolved) = self.user.get() {
            return Ok(resolved);
        }
        match self.config.authenticator.authenticate_cached(headers) {
            CachedLookup::Decided(result) => Ok(self.user.get_or_init(|| result)),
            CachedLookup::Pending(pending) => Err(pending),
        }
    }

    /// The user and the verdict on `require` when this replica's caches decide them (the
    /// guards' warm path: the clock is read once for both); otherwise the lookup for
    /// [`resolve_pending`](Self::resolve_pending) to finish. The verdict is `None` when role
    /// data must be read.
    pub(crate) fn decide_cached(
        &self,
        headers: &HeaderMap,
        require: &Require,
    ) -> Result<Resolved<'_>, PendingLookup> {
        if let Some(resolved) = self.user.get() {
            return Ok(self.with_verdict(resolved, require));
        }
        let CachedDecision {
            lookup, verdict, ..
        } = self.config.authenticator.decide_cached(headers, require);
        match lookup {
            CachedLookup::Decided(result) => {
                let mut ours = false;
                let resolved = self.user.get_or_init(|| {
                    ours = true;
                    result
                });
                // When another lookup of this context finished first, decide on its user.
                Ok(if ours {
                    (resolved, verdict)
                } else {
                    self.with_verdict(resolved, require)
                })
            }
            CachedLookup::Pending(pending) => Err(pending),
        }
    }

    /// `resolved` with the caches' verdict on `require`, if they decide it.
    fn with_verdict<'a>(
        &self,
        resolved: &'a Result<AuthenticatedUser, Rejection>,
        require: &Require,
    ) -> Resolved<'a> {
        let verdict = match resolved {
            Ok(user) => self.authorize_cached(user, require),
            Err(_) => None,
        };
        (resolved, verdict)
    }

    /// Finishes a lookup the caches could not decide, within the request's budget, and
    /// remembers it. (Two simultaneous lookups of one context share the authenticator's one
    /// upstream lookup; the first result is kept.)
    pub(crate) async fn resolve_pending(
        &self,
        pending: PendingLookup,
        headers: &HeaderMap,
    ) -> &Result<AuthenticatedUser, Rejection> {
        let authenticator = &self.config.authenticator;
        let client = authenticator.client_addr(self.peer, headers);
        let result = authenticator
            .authenticate_pending(pending, Some(&client), &self.budget)
            .await;
        self.user.get_or_init(|| result)
    }

    /// Decides `require` for `user` within the request's upstream budget: the user's lookup
    /// and every authorization of one request wait for LoginRadius at most the
    /// authenticator's [`upstream_deadline`](loginradius::auth::AuthenticatorBuilder::upstream_deadline)
    /// in total.
    pub async fn authorize(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
    ) -> Result<(), Rejection> {
        self.config
            .authenticator
            .authorize_within(user, require, &self.budget)
            .await
    }

    /// [`authorize`](Self::authorize) when this replica's caches decide it at once; `None`
    /// when role data must be read.
    pub(crate) fn authorize_cached(
        &self,
        user: &AuthenticatedUser,
        require: &Require,
    ) -> Option<Result<(), Rejection>> {
        self.config.authenticator.authorize_cached(user, require)
    }

    /// True once the user has been looked up for this request.
    pub fn is_resolved(&self) -> bool {
        self.user.get().is_some()
    }

    /// The authenticator.
    pub fn authenticator(&self) -> &Authenticator {
        &self.config.authenticator
    }

    /// The rejection handler configured on the layer.
    pub fn rejection_handler(&self) -> &RejectionHandler {
        &self.config.on_rejection
    }
}

/// The peer address axum's `ConnectInfo` put in the extensions (served with
/// `into_make_service_with_connect_info::<SocketAddr>()`); `None` otherwise, and then every
/// such request counts as one client for the limits (see [`ClientAddr`]).
///
/// [`ClientAddr`]: loginradius::auth::ClientAddr
pub fn peer_ip(extensions: &http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// The request's [`AuthContext`], from its extensions; the 500 rejection when no
/// [`LoginRadiusLayer`] is above the extractor or guard asking.
pub(crate) fn context_in(extensions: &http::Extensions) -> Result<&AuthContext, Rejection> {
    extensions.get::<AuthContext>().ok_or_else(missing_layer)
}

/// The rejection when no [`LoginRadiusLayer`] is above an extractor or guard.
fn missing_layer() -> Rejection {
    tracing::error!(
        "a LoginRadius extractor or guard ran without LoginRadiusLayer: add \
         `.layer(LoginRadiusLayer::new(authenticator))` to the router"
    );
    Rejection::misconfigured(
        "LoginRadiusLayer is missing: add `.layer(LoginRadiusLayer::new(authenticator))` to the \
         router, outside every route that authenticates",
    )
}
