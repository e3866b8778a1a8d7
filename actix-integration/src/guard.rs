//! [`RequireAuth`]: a guard middleware for a `scope` or a resource, from a [`Require`] value.

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use actix_web::Error;
use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use loginradius::auth::Require;

use crate::extract::admit;
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
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        let require = self.require.clone();
        Box::pin(async move {
            if req.method() != Method::OPTIONS
                && let Err(error) = admit(req.request(), &require).await
            {
                return Ok(req
                    .into_response(error.into_response())
                    .map_into_right_body());
            }
            service
                .call(req)
                .await
                .map(ServiceResponse::map_into_left_body)
        })
    }
}
