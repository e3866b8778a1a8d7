//! [`RequireAuth`]: a guard middleware for a `scope` or a resource, from a [`Require`] value.

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::Error;
use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use loginradius::auth::{PendingLookup, Require};

use crate::extract::{Admission, admit, admit_cached};
use loginradius::auth::Policy;

/// A guard middleware: lets a request through only when its user meets a [`Require`]ment,
/// otherwise answers with the app's renderer (401, 403, 503 with `Retry-After`, or 500 without
/// an authenticator in the app data).
///
/// Wrap a `scope` or a resource with it (`.wrap(RequireAuth::new(…))`). It is not an actix
/// routing guard: those make a refused request fall through to 404, this answers 401/403.
/// Stack several to require all of them, or combine values with [`Require::and`] /
/// [`Require::or`]. `OPTIONS` requests (CORS preflights, which carry no credentials) always pass
/// through untouched. The user lookup is shared with the extractors of the same request.
///
/// On a scope, paths that match none of its routes are guarded too (401/403 before the 404),
/// so anonymous users cannot probe which routes exist.
///
/// ```
/// use actix_web::{App, web};
/// use loginradius_actix::{LoginRadiusConfig, Require, RequireAuth};
/// # fn app(authenticator: loginradius::auth::Authenticator) {
/// App::new()
///     .app_data(LoginRadiusConfig::new(authenticator))
///     .service(
///         web::scope("/reports")
///             .wrap(RequireAuth::new(Require::role("admin").or(Require::permission("reports:read"))))
///             .route("", web::get().to(|| async { "reports" })),
///     )
///     .service(
///         web::resource("/publish")
///             .wrap(RequireAuth::new(Require::permission("publish")))
///             .route(web::post().to(|| async { "published" })),
///     );
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct RequireAuth {
    require: Arc<Require>,
}

impl RequireAuth {
    /// A guard for `require`.
    pub fn new(require: Require) -> Self {
        Self {
            require: Arc::new(require),
        }
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

impl<S, B> Transform<S, ServiceRequest> for RequireAuth
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = RequireAuthMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequireAuthMiddleware {
            service: Rc::new(service),
            require: self.require.clone(),
        }))
    }
}

/// The service of [`RequireAuth`].
#[derive(Debug)]
pub struct RequireAuthMiddleware<S> {
    service: Rc<S>,
    require: Arc<Require>,
}

impl<S, B> Service<ServiceRequest> for RequireAuthMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = RequireFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if req.method() != Method::OPTIONS {
            // The warm path: decided from the caches, no future of ours, the inner service
            // called at once.
            match admit_cached(req.request(), &self.require) {
                Admission::Allowed => {}
                Admission::Refused(error) => {
                    return RequireFuture::ready(
                        req.into_response(error.into_response())
                            .map_into_right_body(),
                    );
                }
                Admission::Pending(pending) => return self.call_pending(req, pending),
            }
        }
        RequireFuture::inner(self.service.call(req))
    }
}

impl<S, B> RequireAuthMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    /// The cold path: the user's lookup or role data need an upstream (or shared-state) call.
    fn call_pending(
        &self,
        req: ServiceRequest,
        pending: Option<PendingLookup>,
    ) -> RequireFuture<S::Future, B> {
        let service = self.service.clone();
        let require = self.require.clone();
        RequireFuture::boxed(Box::pin(async move {
            if let Err(error) = admit(req.request(), &require, pending).await {
                return Ok(req
                    .into_response(error.into_response())
                    .map_into_right_body());
            }
            service
                .call(req)
                .await
                .map(ServiceResponse::map_into_left_body)
        }))
    }
}

/// The boxed cold path of [`RequireAuthMiddleware`].
type Pending<B> = Pin<Box<dyn Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>>>>;

pin_project_lite::pin_project! {
    /// The future of [`RequireAuthMiddleware`]: on the warm path the inner service's own future
    /// (or the refusal, ready), otherwise the boxed lookup then the inner service.
    pub struct RequireFuture<F, B> {
        #[pin]
        state: FutureState<F, B>,
    }
}

pin_project_lite::pin_project! {
    #[project = FutureStateProj]
    enum FutureState<F, B> {
        Inner { #[pin] future: F },
        Ready { response: Option<ServiceResponse<EitherBody<B>>> },
        Boxed { future: Pending<B> },
    }
}

impl<F, B> RequireFuture<F, B> {
    fn inner(future: F) -> Self {
        Self {
            state: FutureState::Inner { future },
        }
    }

    fn ready(response: ServiceResponse<EitherBody<B>>) -> Self {
        Self {
            state: FutureState::Ready {
                response: Some(response),
            },
        }
    }

    fn boxed(future: Pending<B>) -> Self {
        Self {
            state: FutureState::Boxed { future },
        }
    }
}

impl<F, B> Future for RequireFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            FutureStateProj::Inner { future } => future
                .poll(cx)
                .map(|result| result.map(ServiceResponse::map_into_left_body)),
            FutureStateProj::Ready { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => panic!("RequireFuture polled after completion"),
            },
            FutureStateProj::Boxed { future } => future.as_mut().poll(cx),
        }
    }
}

impl<F, B> std::fmt::Debug for RequireFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequireFuture").finish_non_exhaustive()
    }
}
