//! The [`AuthenticatedUser`] and [`MaybeUser`] extractors, and the per-request lookup they
//! share with the guards.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use loginradius::auth::{self, Rejection, Require};
use std::cell::OnceCell;

use crate::config;
use crate::headers;
use crate::rejection::AuthRejection;

/// The future of this crate's extractors.
type Extraction<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

/// The user of a request as the caches decided it, and their verdict on a requirement (`None`:
/// role data must be read).
type Resolved<'a> = (
    &'a Result<auth::AuthenticatedUser, Rejection>,
    Option<Result<(), Rejection>>,
);

/// The user lookup of one request, kept in its extensions so that every extractor and guard of
/// the request shares it, with the request's one upstream budget: the lookup and every
/// authorization of the request wait for LoginRadius at most the authenticator's upstream
/// deadline in total. (Two extractors of one request finishing a lookup at once share the
/// authenticator's one upstream lookup; the first result is kept.)
#[derive(Clone, Default)]
struct Lookup(Rc<LookupState>);

#[derive(Default)]
struct LookupState {
    user: OnceCell<Result<auth::AuthenticatedUser, Rejection>>,
    budget: OnceCell<auth::Budget>,
}

impl Lookup {
    /// The lookup of `req`, from its extensions (stored there on the first call of the request).
    fn of(req: &HttpRequest) -> Self {
        let mut extensions = req.extensions_mut();
        match extensions.get::<Lookup>() {
            Some(lookup) => lookup.clone(),
            None => {
                let lookup = Lookup::default();
                extensions.insert(lookup.clone());
                lookup
            }
        }
    }

    /// The request's upstream budget (made on the first call of the request).
    fn budget(&self, authenticator: &auth::Authenticator) -> &auth::Budget {
        self.0.budget.get_or_init(|| authenticator.budget())
    }

    /// The user of `req` with the authenticator `authenticator`, by reference: looked up on the
    /// first call of the request, remembered for the rest of it.
    async fn user(
        &self,
        req: &HttpRequest,
        authenticator: &auth::Authenticator,
    ) -> &Result<auth::AuthenticatedUser, Rejection> {
        match self.cached(req, authenticator) {
            Ok(user) => user,
            Err(pending) => self.finish(pending, req, authenticator).await,
        }
    }

    /// The user when it is known already, or the authenticator's caches decide it at once
    /// (remembered then); otherwise the lookup for [`finish`](Self::finish).
    fn cached(
        &self,
        req: &HttpRequest,
        authenticator: &auth::Authenticator,
    ) -> Result<&Result<auth::AuthenticatedUser, Rejection>, auth::PendingLookup> {
        if let Some(user) = self.0.user.get() {
            return Ok(user);
        }
        match authenticator.authenticate_cached(&headers::TokenHeaders(req.headers())) {
            auth::CachedLookup::Decided(result) => Ok(self.0.user.get_or_init(|| result)),
            auth::CachedLookup::Pending(pending) => Err(pending),
        }
    }

    /// The user and the verdict on `require` when the authenticator's caches decide them (the
    /// guards' warm path: the clock is read once for both); otherwise the lookup for
    /// [`finish`](Self::finish). The verdict is `None` when role data must be read.
    fn decide_cached(
        &self,
        req: &HttpRequest,
        authenticator: &auth::Authenticator,
        require: &Require,
    ) -> Result<Resolved<'_>, auth::PendingLookup> {
        let with_verdict = |resolved: &Result<auth::AuthenticatedUser, Rejection>| match resolved {
            Ok(user) => authenticator.authorize_cached(user, require),
            Err(_) => None,
        };
        if let Some(resolved) = self.0.user.get() {
            return Ok((resolved, with_verdict(resolved)));
        }
        let auth::CachedDecision {
            lookup, verdict, ..
        } = authenticator.decide_cached(&headers::TokenHeaders(req.headers()), require);
        match lookup {
            auth::CachedLookup::Decided(result) => {
                let mut ours = false;
                let resolved = self.0.user.get_or_init(|| {
                    ours = true;
                    result
                });
                // When another lookup of this request finished first, decide on its user.
                let verdict = if ours {
                    verdict
                } else {
                    with_verdict(resolved)
                };
                Ok((resolved, verdict))
            }
            auth::CachedLookup::Pending(pending) => Err(pending),
        }
    }

    /// Finishes a lookup the caches could not decide, within the request's budget, and
    /// remembers it.
    async fn finish(
        &self,
        pending: auth::PendingLookup,
        req: &HttpRequest,
        authenticator: &auth::Authenticator,
    ) -> &Result<auth::AuthenticatedUser, Rejection> {
        let client = headers::client_addr(req, authenticator);
        let result = authenticator
            .authenticate_pending(pending, Some(&client), self.budget(authenticator))
            .await;
        self.0.user.get_or_init(|| result)
    }
}

/// The signed-in user of `req` (cached for the request), or the rejection rendered with the
/// app's renderer: the primitive under the extractors, for custom extractors and middleware.
///
/// Fails with 401 (no, invalid or expired token), 503 (LoginRadius cannot answer) or 500 (no
/// authenticator in the app data).
pub async fn authenticate(req: &HttpRequest) -> Result<auth::AuthenticatedUser, AuthRejection> {
    let resolved = config::resolve(req)?;
    let lookup = Lookup::of(req);
    lookup
        .user(req, resolved.authenticator)
        .await
        .clone()
        .map_err(|rejection| resolved.reject(rejection, req))
}

/// Decides `require` for the user of `req`, on the request's shared lookup (finishing
/// `pending`, the lookup the caches could not decide, if any). When the user meets it, `keep`
/// takes what the caller needs of the user (decided by reference, so a guard copies nothing);
/// otherwise the rendered rejection.
async fn decide<T>(
    req: &HttpRequest,
    require: &Require,
    pending: Option<auth::PendingLookup>,
    keep: impl FnOnce(&auth::AuthenticatedUser) -> T,
) -> Result<T, AuthRejection> {
    let resolved = config::resolve(req)?;
    let authenticator = resolved.authenticator;
    let lookup = Lookup::of(req);
    let user = match pending {
        Some(pending) => lookup.finish(pending, req, authenticator).await,
        None => lookup.user(req, authenticator).await,
    };
    let outcome = match user {
        Ok(user) => authenticator
            .authorize_within(user, require, lookup.budget(authenticator))
            .await
            .map(|()| keep(user)),
        Err(rejection) => Err(rejection.clone()),
    };
    outcome.map_err(|rejection| resolved.reject(rejection, req))
}

/// The user of `req` when they meet `require`; otherwise the rendered rejection.
pub(crate) async fn check(
    req: &HttpRequest,
    require: &Require,
) -> Result<auth::AuthenticatedUser, AuthRejection> {
    decide(req, require, None, auth::AuthenticatedUser::clone).await
}

/// Whether the user of `req` meets `require` (finishing `pending`, the lookup the caches could
/// not decide, if any): `Ok(())`, or the rendered rejection. For guards, which let the request
/// through without keeping the user.
pub(crate) async fn admit(
    req: &HttpRequest,
    require: &Require,
    pending: Option<auth::PendingLookup>,
) -> Result<(), AuthRejection> {
    decide(req, require, pending, |_| ()).await
}

/// What the caches alone say of a guarded request.
pub(crate) enum Admission {
    /// Let it through.
    Allowed,
    /// Refused, rendered.
    Refused(AuthRejection),
    /// Needs an upstream or shared-state call: [`admit`] decides, finishing the user's lookup
    /// when it is not known yet.
    Pending(Option<auth::PendingLookup>),
}

/// [`admit`], when the authenticator's caches decide it at once (the guards' warm path: no
/// future, no clone of the authenticator).
pub(crate) fn admit_cached(req: &HttpRequest, require: &Require) -> Admission {
    let resolved = match config::resolve(req) {
        Ok(resolved) => resolved,
        Err(rejection) => return Admission::Refused(rejection),
    };
    let authenticator = resolved.authenticator;
    let lookup = Lookup::of(req);
    let outcome = match lookup.decide_cached(req, authenticator, require) {
        Ok((Ok(_), Some(verdict))) => verdict,
        Ok((Ok(_), None)) => return Admission::Pending(None),
        Ok((Err(rejection), _)) => Err(rejection.clone()),
        Err(pending) => return Admission::Pending(Some(pending)),
    };
    match outcome {
        Ok(()) => Admission::Allowed,
        Err(rejection) => Admission::Refused(resolved.reject(rejection, req)),
    }
}

/// The signed-in user of a request, as an actix extractor: core's
/// [`loginradius::auth::AuthenticatedUser`], which it derefs to (`user.uid`, `user.profile`,
/// `user.email()`…).
///
/// (A newtype because Rust's orphan rule forbids implementing actix's `FromRequest` for core's
/// type in this crate; [`into_inner`](Self::into_inner) or `.0` gives the core value.)
///
/// Refuses the request with the app's renderer (by default core's JSON rejection): 401 without
/// a token (`WWW-Authenticate: Bearer realm="…"`), 401 `error="invalid_token"` for an invalid
/// or expired one, 503 with `Retry-After` when LoginRadius cannot answer, 500 when no
/// authenticator is in the app data. For optional sign-in use [`MaybeUser`], not
/// `Option<AuthenticatedUser>` (actix's `Option` would turn an outage into `None`).
///
/// ```
/// # #[actix_web::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use actix_web::{App, test, web};
/// use loginradius::LoginRadius;
/// use loginradius::auth::Authenticator;
/// use loginradius::transport::RecordingTransport;
/// use loginradius_actix::{AuthenticatedUser, LoginRadiusConfig};
///
/// async fn me(user: AuthenticatedUser) -> String {
///     format!("you are {}", user.uid)
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
/// let app = test::init_service(
///     App::new()
///         .app_data(LoginRadiusConfig::new(Authenticator::builder(client).build()?))
///         .route("/me", web::get().to(me)),
/// )
/// .await;
///
/// let request = test::TestRequest::get()
///     .uri("/me")
///     .insert_header(("authorization", "Bearer t0k3n"))
///     .to_request();
/// let body = test::call_and_read_body(&app, request).await;
/// assert_eq!(&body[..], b"you are u-1");
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

impl FromRequest for AuthenticatedUser {
    type Error = actix_web::Error;
    type Future = Extraction<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(&req)
                .await
                .map(AuthenticatedUser)
                .map_err(Into::into)
        })
    }
}

/// The signed-in user if there is one, strictly: `MaybeUser(None)` for a missing, invalid or
/// expired token (an anonymous visitor), but 503 (with `Retry-After`) when LoginRadius cannot
/// answer and 500 when no authenticator is in the app data: an outage never silently turns a
/// signed-in user into an anonymous one.
///
/// (actix's own `Option<AuthenticatedUser>` turns every error into `None`, hence this type.)
///
/// ```
/// use loginradius_actix::MaybeUser;
///
/// async fn home(MaybeUser(user): MaybeUser) -> String {
///     match user {
///         Some(user) => format!("welcome back {}", user.uid),
///         None => "welcome, stranger".to_owned(),
///     }
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

impl FromRequest for MaybeUser {
    type Error = actix_web::Error;
    type Future = Extraction<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match authenticate(&req).await {
                Ok(user) => Ok(MaybeUser(Some(user))),
                Err(error) if error.rejection().is_unauthenticated() => Ok(MaybeUser(None)),
                Err(error) => Err(error.into()),
            }
        })
    }
}
