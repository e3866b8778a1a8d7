//! The [`Guarded`] extractor: a reusable guard type in handler signatures. Its parameter is
//! core's [`Policy`] trait, declared with core's [`policy!`](crate::policy!) macro (both
//! re-exported by this crate).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::FromRequestParts;
use http::request::Parts;
use loginradius::auth::{self, Policy};

use crate::guard::check;
use crate::rejection::AuthRejection;

/// An extractor for the signed-in user who meets the policy `P`; derefs to core's
/// [`AuthenticatedUser`](loginradius::auth::AuthenticatedUser).
///
/// Refuses like [`RequireAuth`](crate::RequireAuth) would (401, 403, 503, 500), with the
/// layer's rejection handler. The guard is in the handler's signature, so it cannot be
/// forgotten when the route moves.
///
/// ```
/// use loginradius::auth::Require;
/// use loginradius_axum::{Guarded, Policy, policy};
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

impl<P: Policy, S: Send + Sync> FromRequestParts<S> for Guarded<P> {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = check(parts, P::require()).await?;
        Ok(Self {
            user,
            policy: PhantomData,
        })
    }
}
