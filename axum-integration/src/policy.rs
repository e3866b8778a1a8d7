//! Reusable guard types: the [`Policy`] trait, the [`policy!`](crate::policy!) macro and the
//! [`Guarded`] extractor.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::FromRequestParts;
use http::request::Parts;
use loginradius::auth::{self, Require};

use crate::guard::check;
use crate::rejection::AuthRejection;

/// A named requirement, as a type: the parameter of [`Guarded`] and of
/// [`RequireLayer::policy`](crate::RequireLayer::policy). Declare one with
/// [`policy!`](crate::policy!).
pub trait Policy: Send + Sync + 'static {
    /// The requirement (built once, then shared).
    fn require() -> &'static Require;
}

/// Declares policy types: unit structs implementing [`Policy`], whose requirement is built
/// once on first use.
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
#[macro_export]
macro_rules! policy {
    ($( $(#[$meta:meta])* $vis:vis $name:ident = $require:expr );+ $(;)?) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, Default)]
            $vis struct $name;

            impl $crate::Policy for $name {
                fn require() -> &'static $crate::Require {
                    static REQUIRE: ::std::sync::OnceLock<$crate::Require> =
                        ::std::sync::OnceLock::new();
                    REQUIRE.get_or_init(|| $require)
                }
            }
        )+
    };
}

/// An extractor for the signed-in user who meets the policy `P`; derefs to core's
/// [`AuthenticatedUser`](loginradius::auth::AuthenticatedUser).
///
/// Refuses like [`RequireLayer`](crate::RequireLayer) would (401, 403, 503, 500), with the
/// layer's rejection handler. The guard is in the handler's signature, so it cannot be
/// forgotten when the route moves.
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
