//! The [`Guarded`] extractor: a reusable guard type in handler signatures. Its parameter is
//! core's [`Policy`] trait (a type naming a [`Require`](loginradius::auth::Require)ment),
//! declared with core's [`policy!`](crate::policy!) macro (both re-exported by this crate, as
//! by the axum adapter).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use loginradius::auth::{self, Policy};

use crate::extract::check;

/// An extractor for the signed-in user who meets the policy `P`; derefs to core's
/// [`AuthenticatedUser`](loginradius::auth::AuthenticatedUser).
///
/// Refuses like [`RequireAuth`](crate::RequireAuth) would (401, 403, 503 with `Retry-After`,
/// 500 without an authenticator), with the app's renderer. The guard is in the handler's
/// signature, so it cannot be forgotten when the route moves.
///
/// ```
/// use loginradius_actix::{Guarded, Policy, Require, policy};
///
/// policy! {
///     /// Administrators only.
///     pub AdminOnly = Require::role("admin");
///     /// Editors who may publish.
///     pub Publisher = Require::role("editor").and(Require::permission("publish"));
/// }
///
/// async fn dashboard(admin: Guarded<AdminOnly>) -> String {
///     format!("hello admin {}", admin.uid)
/// }
/// assert_eq!(AdminOnly::require().to_string(), r#"role "admin""#);
/// ```
pub struct Guarded<P: Policy> {
    user: auth::AuthenticatedUser,
    policy: PhantomData<fn() -> P>,
}

impl<P: Policy> Guarded<P> {
    /// The core user.
    pub fn into_inner(self) -> auth::AuthenticatedUser {
        self.user
    }
}

impl<P: Policy> Clone for Guarded<P> {
    fn clone(&self) -> Self {
        Self {
            user: self.user.clone(),
            policy: PhantomData,
        }
    }
}

impl<P: Policy> fmt::Debug for Guarded<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guarded")
            .field("policy", &std::any::type_name::<P>())
            .field("user", &self.user)
            .finish()
    }
}

impl<P: Policy> Deref for Guarded<P> {
    type Target = auth::AuthenticatedUser;

    fn deref(&self) -> &Self::Target {
        &self.user
    }
}

impl<P: Policy> FromRequest for Guarded<P> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = check(&req, P::require()).await?;
            Ok(Self {
                user,
                policy: PhantomData,
            })
        })
    }
}
