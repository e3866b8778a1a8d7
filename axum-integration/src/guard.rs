//! [`RequireAuth`]: a guard for `route_layer` (or one route's `MethodRouter::route_layer`),
//! built from a [`Require`] value.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{Extensions, HeaderMap, Method, Request};
use loginradius::auth::{Rejection, Require};
use tower::{Layer, Service};

use crate::extract::user_of;
use crate::layer::context_in;
use crate::rejection::{AuthRejection, RejectionHandler};
use loginradius::auth::Policy;

/// A guard: lets a request through only when its user meets a [`Require`]ment, otherwise
/// answers with the layer's rejection (401, 403, 503 with `Retry-After`, or 500 without
/// [`LoginRadiusLayer`](crate::LoginRadiusLayer)).
///
/// Use it below a `LoginRadiusLayer`, with a `route_layer` (so unmatched paths stay 404/405).
///
/// # Scope: which routes a guard covers
///
/// - **Per group**: `Router::route_layer(guard)` guards every route added to that router
///   *before* the call (standard axum: a layer wraps what is above it). Routes added after it
///   are not guarded. Stacking two `route_layer` guards makes the routes above both require
///   both; give a group its own `Router` and `.merge`/`.nest` it to keep guards apart.
/// - **Per route**: `get(handler).route_layer(guard)` guards that one route (all its
///   methods) and nothing else.
/// - **Per route, another renderer**: `.route_layer(guard.on_rejection(…))` renders that
///   guard's refusals with its own [`RejectionHandler`] (for example
///   [`RejectionHandler::redirect_html_to`] on a page while the API keeps JSON).
///
/// Combine requirements with [`Require::and`]/[`Require::or`] rather than stacking.
/// `OPTIONS` requests (CORS preflights, which carry no
/// credentials) always pass through untouched. The user lookup is shared with the extractors of
/// the same request.
///
/// ```
/// use axum::{Router, routing::{get, post}};
/// use loginradius::auth::Require;
/// use loginradius_axum::{LoginRadiusLayer, RejectionHandler, RequireAuth};
/// # fn app(authenticator: loginradius::auth::Authenticator) -> Router {
/// Router::new()
///     // A group: both routes above the `route_layer` need the requirement.
///     .route("/reports", get(|| async { "reports" }))
///     .route("/reports/publish", post(|| async { "published" }))
///     .route_layer(RequireAuth::new(
///         Require::role("admin").or(Require::permission("reports:read")),
///     ))
///     // One route, with its own renderer: browsers go to the login page.
///     .route(
///         "/settings",
///         get(|| async { "settings" }).route_layer(
///             RequireAuth::authenticated()
///                 .on_rejection(RejectionHandler::redirect_html_to("/login")),
///         ),
///     )
///     // Not guarded: added after the group's `route_layer`.
///     .route("/", get(|| async { "home" }))
///     .layer(LoginRadiusLayer::new(authenticator))
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct RequireAuth {
    require: Arc<Require>,
    on_rejection: Option<RejectionHandler>,
}

/// The former name of [`RequireAuth`] (the actix adapter's name for the same guard).
#[deprecated(note = "renamed `RequireAuth`, the name the actix adapter uses too")]
pub type RequireLayer = RequireAuth;

impl RequireAuth {
    /// A guard for `require`.
    pub fn new(require: Require) -> Self {
        Self {
            require: Arc::new(require),
            on_rejection: None,
        }
    }

    /// Renders this guard's refusals with `handler` instead of the layer's
    /// ([`LoginRadiusLayer::on_rejection`](crate::LoginRadiusLayer::on_rejection)): a
    /// per-route renderer, such as [`RejectionHandler::redirect_html_to`] for one page.
    pub fn on_rejection(mut self, handler: impl Into<RejectionHandler>) -> Self {
        self.on_rejection = Some(handler.into());
        self
    }

    /// A guard for the requirement of a [`Policy`] type (see [`policy!`](crate::policy!)).
    pub fn policy<P: Policy>() -> Self {
        Self::new(P::require().clone())
    }

    /// Any signed-in user.
    pub fn authenticated() -> Self {
        Self::new(Require::authenticated())
    }

    /// The requirement.
    pub fn require(&self) -> &Require {
        &self.require
    }
}

impl<S> Layer<S> for RequireAuth {
    type Service = RequireService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireService {
            inner,
            require: self.require.clone(),
            on_rejection: self.on_rejection.clone(),
        }
    }
}

/// The service of [`RequireAuth`].
#[derive(Clone, Debug)]
pub struct RequireService<S> {
    inner: S,
    require: Arc<Require>,
    on_rejection: Option<RejectionHandler>,
}

impl<S> Service<Request<Body>> for RequireService<S>
where
    S: Service<Request<Body>, Error = Infallible> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // The inner service that was polled ready is the one to call; keep a fresh clone here.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let require = self.require.clone();
        let own_handler = self.on_rejection.clone();
        Box::pin(async move {
            if request.method() == Method::OPTIONS {
                return Ok(inner.call(request).await?.into_response());
            }
            match refusal(request.headers(), request.extensions(), &require).await {
                None => Ok(inner.call(request).await?.into_response()),
                // Only a refusal splits the request: its handler renders from the parts.
                Some((rejection, layer_handler)) => {
                    let (parts, _body) = request.into_parts();
                    let handler = own_handler.or(layer_handler);
                    Ok(AuthRejection::new(rejection, handler.as_ref(), &parts).into_response())
                }
            }
        })
    }
}

/// Authenticates the request and decides `require`: `None` to let it through, otherwise the
/// refusal and the layer's handler to render it with (none when the layer is missing).
/// (Headers and extensions rather than the request: the body is not `Sync`.)
async fn refusal(
    headers: &HeaderMap,
    extensions: &Extensions,
    require: &Require,
) -> Option<(Rejection, Option<RejectionHandler>)> {
    let context = match context_in(extensions) {
        Ok(context) => context,
        Err(rejection) => return Some((rejection, None)),
    };
    let outcome = match context.resolve(headers).await {
        Ok(user) => context.authorize(user, require).await,
        Err(rejection) => Err(rejection.clone()),
    };
    outcome
        .err()
        .map(|rejection| (rejection, Some(context.rejection_handler().clone())))
}

/// Authenticates the request and decides `require`, keeping the user (for [`Guarded`]
/// extractors); a refusal is rendered with the layer's handler.
///
/// [`Guarded`]: crate::Guarded
pub(crate) async fn check(
    parts: &http::request::Parts,
    require: &Require,
) -> Result<loginradius::auth::AuthenticatedUser, AuthRejection> {
    let (context, user) = user_of(parts).await?;
    match context.authorize(&user, require).await {
        Ok(()) => Ok(user),
        Err(rejection) => Err(AuthRejection::new(
            rejection,
            Some(context.rejection_handler()),
            parts,
        )),
    }
}
