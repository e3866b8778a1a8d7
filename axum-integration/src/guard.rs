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
use loginradius::auth::{PendingLookup, Rejection, Require};
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
    type Future = RequireFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        if request.method() != Method::OPTIONS {
            // The warm path: decided from the caches, no future of ours, the inner service
            // (polled ready) called at once.
            match refusal_cached(request.headers(), request.extensions(), &self.require) {
                Cached::Allowed => {}
                Cached::Refused(rejection, layer_handler) => {
                    return RequireFuture::ready(self.render(request, rejection, layer_handler));
                }
                Cached::Pending(pending) => return self.call_pending(request, pending),
            }
        }
        RequireFuture::inner(self.inner.call(request))
    }
}

impl<S> RequireService<S>
where
    S: Service<Request<Body>, Error = Infallible> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
{
    /// The refusal of `request`, rendered with this guard's handler, else the layer's. Only a
    /// refusal splits the request: its handler renders from the parts.
    fn render(
        &self,
        request: Request<Body>,
        rejection: Rejection,
        layer_handler: Option<RejectionHandler>,
    ) -> Response {
        render(request, rejection, self.on_rejection.clone(), layer_handler)
    }

    /// The cold path: the user's lookup or role data need an upstream (or shared-state) call.
    fn call_pending(
        &mut self,
        request: Request<Body>,
        pending: Option<PendingLookup>,
    ) -> RequireFuture<S::Future> {
        // The inner service that was polled ready is the one to call; keep a fresh clone here.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let require = self.require.clone();
        let own_handler = self.on_rejection.clone();
        RequireFuture::boxed(Box::pin(async move {
            match refusal(request.headers(), request.extensions(), &require, pending).await {
                None => Ok(inner.call(request).await?.into_response()),
                Some((rejection, layer_handler)) => {
                    Ok(render(request, rejection, own_handler, layer_handler))
                }
            }
        }))
    }
}

/// `rejection` rendered for `request` with the guard's own handler, else the layer's.
fn render(
    request: Request<Body>,
    rejection: Rejection,
    own_handler: Option<RejectionHandler>,
    layer_handler: Option<RejectionHandler>,
) -> Response {
    let (parts, _body) = request.into_parts();
    let handler = own_handler.or(layer_handler);
    AuthRejection::new(rejection, handler.as_ref(), &parts).into_response()
}

pin_project_lite::pin_project! {
    /// The future of [`RequireService`]: on the warm path the inner service's own future (or
    /// the refusal, ready), otherwise the boxed lookup then the inner service.
    pub struct RequireFuture<F> {
        #[pin]
        state: FutureState<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = FutureStateProj]
    enum FutureState<F> {
        Inner { #[pin] future: F },
        Ready { response: Option<Response> },
        Boxed { future: Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>> },
    }
}

impl<F> RequireFuture<F> {
    fn inner(future: F) -> Self {
        Self {
            state: FutureState::Inner { future },
        }
    }

    fn ready(response: Response) -> Self {
        Self {
            state: FutureState::Ready {
                response: Some(response),
            },
        }
    }

    fn boxed(future: Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>) -> Self {
        Self {
            state: FutureState::Boxed { future },
        }
    }
}

impl<F, R> Future for RequireFuture<F>
where
    F: Future<Output = Result<R, Infallible>>,
    R: IntoResponse,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            FutureStateProj::Inner { future } => future
                .poll(cx)
                .map(|result| result.map(IntoResponse::into_response)),
            FutureStateProj::Ready { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => panic!("RequireFuture polled after completion"),
            },
            FutureStateProj::Boxed { future } => future.as_mut().poll(cx),
        }
    }
}

impl<F> std::fmt::Debug for RequireFuture<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequireFuture").finish_non_exhaustive()
    }
}

/// What the caches alone say of a guarded request.
enum Cached {
    /// Let it through.
    Allowed,
    /// Refused, with the layer's handler to render it (none when the layer is missing).
    Refused(Rejection, Option<RejectionHandler>),
    /// Needs an upstream or shared-state call: the user's lookup (when it is not known yet)
    /// or the user's role data.
    Pending(Option<PendingLookup>),
}

/// [`refusal`], when this replica's caches decide it at once.
fn refusal_cached(headers: &HeaderMap, extensions: &Extensions, require: &Require) -> Cached {
    let context = match context_in(extensions) {
        Ok(context) => context,
        Err(rejection) => return Cached::Refused(rejection, None),
    };
    let outcome = match context.decide_cached(headers, require) {
        Ok((Ok(_), Some(verdict))) => verdict,
        Ok((Ok(_), None)) => return Cached::Pending(None),
        Ok((Err(rejection), _)) => Err(rejection.clone()),
        Err(pending) => return Cached::Pending(Some(pending)),
    };
    match outcome {
        Ok(()) => Cached::Allowed,
        Err(rejection) => Cached::Refused(rejection, Some(context.rejection_handler().clone())),
    }
}

/// Authenticates the request (finishing `pending`, the lookup the caches could not decide, if
/// any) and decides `require`: `None` to let it through, otherwise the refusal and the layer's
/// handler to render it with (none when the layer is missing). (Headers and extensions rather
/// than the request: the body is not `Sync`.)
async fn refusal(
    headers: &HeaderMap,
    extensions: &Extensions,
    require: &Require,
    pending: Option<PendingLookup>,
) -> Option<(Rejection, Option<RejectionHandler>)> {
    let context = match context_in(extensions) {
        Ok(context) => context,
        Err(rejection) => return Some((rejection, None)),
    };
    let resolved = match pending {
        Some(pending) => context.resolve_pending(pending, headers).await,
        None => context.resolve(headers).await,
    };
    let outcome = match resolved {
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
