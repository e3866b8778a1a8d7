//! The [`AuthenticatedUser`] extractor and its optional form.

use std::ops::{Deref, DerefMut};

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use http::request::Parts;
use loginradius::auth;

use crate::layer::{AuthContext, context_in};
use crate::rejection::AuthRejection;

/// The signed-in user of a request, as an axum extractor: core's
/// [`loginradius::auth::AuthenticatedUser`], which it derefs to (`user.uid`, `user.profile`,
/// `user.email()`…).
///
/// (A newtype because Rust's orphan rule forbids implementing axum's traits for core's type in
/// this crate; [`into_inner`](Self::into_inner) or `.0` gives the core value.)
///
/// - `AuthenticatedUser`: refuses the request with the layer's rejection (by default JSON):
///   401 without a token (`WWW-Authenticate: Bearer realm="…"`), 401 `error="invalid_token"`
///   for an invalid or expired one, 503 with `Retry-After` when LoginRadius cannot answer, 500
///   when [`LoginRadiusLayer`](crate::LoginRadiusLayer) is missing.
/// - `Option<AuthenticatedUser>`: `None` for a missing, invalid or expired token (an anonymous
///   visitor), but still 503 on an outage and 500 without the layer: an outage never silently
///   turns a signed-in user into an anonymous one.
///
/// The user is looked up once per request however many extractors and guards ask.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use axum::{Router, body::Body, routing::get};
/// use http::{Request, StatusCode};
/// use loginradius::LoginRadius;
/// use loginradius::auth::Authenticator;
/// use loginradius::transport::RecordingTransport;
/// use loginradius_axum::{AuthenticatedUser, LoginRadiusLayer};
/// use tower::ServiceExt;
///
/// async fn me(user: AuthenticatedUser) -> String {
///     format!("you are {}", user.uid)
/// }
/// async fn home(user: Option<AuthenticatedUser>) -> String {
///     match user {
///         Some(user) => format!("welcome back {}", user.uid),
///         None => "welcome, stranger".to_owned(),
///     }
/// }
///
/// let transport = RecordingTransport::new();
/// // The lookup of the token: validation, then the profile.
/// transport.reply_json(200, serde_json::json!({"access_token": "t0k3n", "expires_in": "2999-01-01T00:00:00Z"}));
/// transport.reply_json(200, serde_json::json!({"Uid": "u-1"}));
/// let client = LoginRadius::builder()
///     .api_key("key")
///     .api_secret("secret")
///     .transport(transport.clone())
///     .build()?;
/// let app = Router::new()
///     .route("/me", get(me))
///     .route("/", get(home))
///     .layer(LoginRadiusLayer::new(Authenticator::builder(client).build()?));
///
/// let request = Request::get("/me").header("authorization", "Bearer t0k3n").body(Body::empty())?;
/// let response = app.clone().oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::OK);
///
/// let response = app.oneshot(Request::get("/").body(Body::empty())?).await?;
/// let body = axum::body::to_bytes(response.into_body(), 1024).await?;
/// assert_eq!(&body[..], b"welcome, stranger");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AuthenticatedUser(pub auth::AuthenticatedUser);

impl AuthenticatedUser {
    /// The core user.
    pub fn into_inner(self) -> auth::AuthenticatedUser {
        self.0
    }
}

impl Deref for AuthenticatedUser {
    type Target = auth::AuthenticatedUser;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for AuthenticatedUser {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<AuthenticatedUser> for auth::AuthenticatedUser {
    fn from(user: AuthenticatedUser) -> Self {
        user.0
    }
}

/// The request's [`AuthContext`] (the one every extractor and guard of the request shares), or
/// the 500 that says the layer is missing.
pub(crate) fn context(parts: &Parts) -> Result<&AuthContext, AuthRejection> {
    context_in(&parts.extensions).map_err(|rejection| AuthRejection::new(rejection, None, parts))
}

/// The user of the request, or the rendered rejection.
pub(crate) async fn user_of(
    parts: &Parts,
) -> Result<(&AuthContext, auth::AuthenticatedUser), AuthRejection> {
    let context = context(parts)?;
    match context.user(&parts.headers).await {
        Ok(user) => Ok((context, user)),
        Err(rejection) => Err(AuthRejection::new(
            rejection,
            Some(context.rejection_handler()),
            parts,
        )),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthenticatedUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        user_of(parts).await.map(|(_, user)| Self(user))
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for AuthenticatedUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let context = context(parts)?;
        match context.user(&parts.headers).await {
            Ok(user) => Ok(Some(Self(user))),
            Err(rejection) if rejection.is_unauthenticated() => Ok(None),
            Err(rejection) => Err(AuthRejection::new(
                rejection,
                Some(context.rejection_handler()),
                parts,
            )),
        }
    }
}

/// The optional user with the same name and shape as the actix adapter's `MaybeUser`: core's
/// user, or `None` for a visitor without a valid token. Same answers as
/// `Option<AuthenticatedUser>` (503 on an outage, 500 without the layer: never an anonymous
/// visitor on doubt).
///
/// ```
/// use loginradius_axum::MaybeUser;
///
/// async fn home(user: MaybeUser) -> String {
///     let user = user.into_inner();
///     user.map_or("hello, visitor".into(), |user| format!("hello {}", user.uid))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<auth::AuthenticatedUser>);

impl MaybeUser {
    /// The core user, if any.
    pub fn into_inner(self) -> Option<auth::AuthenticatedUser> {
        self.0
    }
}

impl Deref for MaybeUser {
    type Target = Option<auth::AuthenticatedUser>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user =
            <AuthenticatedUser as OptionalFromRequestParts<S>>::from_request_parts(parts, state)
                .await?;
        Ok(Self(user.map(AuthenticatedUser::into_inner)))
    }
}
