//! The route helpers' session: one private (encrypted and authenticated) cookie made with the
//! [`cookie`] crate, the same crate `axum-extra` and `actix-web` use.
//!
//! The cookie holds either the signed-in session `{access token, uid, expiry}` or, between the
//! two steps of an MFA login, the pending MFA token and its expiry. Its value is sealed with
//! AES-256-GCM under the configured 64-byte [`Key`] (the cookie name is authenticated too), so
//! the browser can neither read nor change it; anything that does not decrypt is no session.
//!
//! Attributes: `HttpOnly`, `SameSite=Lax`, `Path=/`, `Max-Age` from the token expiry, and
//! `Secure` as the configured [`CookieSecurity`] says (always, by default). Every login seals a
//! fresh value (a new random nonce): the session is renewed.

use std::fmt;
use std::sync::Arc;

use cookie::{Cookie, CookieJar, SameSite};
use http::{HeaderMap, HeaderValue};
use time::{Duration, OffsetDateTime};

pub use cookie::Key;

mod state;

pub use state::Session;

use super::CookieSecurity;
use crate::auth::{AccessToken, Extracted, TokenExtractor, TokenSource, cookie_value};
use crate::fleet::{SessionClaim, SessionId};

/// The default cookie name.
pub const DEFAULT_COOKIE_NAME: &str = "lr_session";

/// The most bytes of a cookie's name and value that browsers keep (RFC 6265 §6.1's minimum,
/// which is also what the major browsers keep): a longer cookie is dropped without a word.
pub const MAX_COOKIE_BYTES: usize = 4096;

/// How long a session whose token expiry is unknown lasts, and how long a pending MFA login
/// lasts when LoginRadius gives no expiry.
pub const DEFAULT_SESSION_TTL: Duration = Duration::minutes(15);

/// The session cookie codec: name and key. Cheap to clone.
#[derive(Clone)]
pub struct SessionCookie {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    key: Key,
    /// Seals the access tokens kept in the session registry (derived from `key`).
    registry_key: Key,
    security: CookieSecurity,
}

/// The label of the registry key's derivation.
const REGISTRY_KEY_LABEL: &[u8] = b"loginradius-rs session registry tokens v1";

/// The key that seals tokens in the registry: 64 bytes of HMAC-SHA256 under the cookie key's
/// master, with two labels. Knowing it gives nothing about the cookie key.
fn registry_key(key: &Key) -> Key {
    use hmac::{Hmac, Mac};
    let mut bytes = Vec::with_capacity(64);
    for part in [b"1", b"2"] {
        // HMAC accepts keys of any length: this cannot fail.
        if let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(key.master()) {
            mac.update(REGISTRY_KEY_LABEL);
            mac.update(part);
            bytes.extend_from_slice(&mac.finalize().into_bytes());
        }
    }
    Key::try_from(bytes.as_slice()).unwrap_or_else(|_| Key::generate())
}

impl fmt::Debug for SessionCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionCookie")
            .field("name", &self.inner.name)
            .field("security", &self.inner.security)
            .finish_non_exhaustive()
    }
}

impl Default for SessionCookie {
    fn default() -> Self {
        Self::generate()
    }
}

impl SessionCookie {
    /// A codec with a freshly generated random key: sessions do not survive a restart and are
    /// not shared between processes. Use [`with_key`](Self::with_key) for either.
    pub fn generate() -> Self {
        Self::with_key(Key::generate())
    }

    /// A codec with `key` (for example `Key::from(&bytes)` with 64 bytes from configuration).
    pub fn with_key(key: Key) -> Self {
        Self {
            inner: Arc::new(Inner {
                name: DEFAULT_COOKIE_NAME.to_owned(),
                registry_key: registry_key(&key),
                key,
                security: CookieSecurity::default(),
            }),
        }
    }

    /// A codec with a key made of `master` (at least 64 bytes of secret random data).
    pub fn from_master_key(master: &[u8]) -> Result<Self, crate::Error> {
        let key = Key::try_from(master).map_err(|_| {
            crate::Error::Config("the session key must be at least 64 bytes".into())
        })?;
        Ok(Self::with_key(key))
    }

    /// Sets the cookie name (default [`DEFAULT_COOKIE_NAME`]).
    pub fn name(self, name: impl Into<String>) -> Self {
        Self {
            inner: Arc::new(Inner {
                name: name.into(),
                key: self.inner.key.clone(),
                registry_key: self.inner.registry_key.clone(),
                security: self.inner.security,
            }),
        }
    }

    /// Sets when the cookie is `Secure` (default [`CookieSecurity::Always`]; choose
    /// [`CookieSecurity::AllowLocalHttp`] for development over `http://localhost`).
    pub fn with_security(self, security: CookieSecurity) -> Self {
        Self {
            inner: Arc::new(Inner {
                name: self.inner.name.clone(),
                key: self.inner.key.clone(),
                registry_key: self.inner.registry_key.clone(),
                security,
            }),
        }
    }

    /// When the cookie is `Secure`. Cookies of your own that must follow the same rule can
    /// ask it: `session.security().is_secure(&request_headers)`.
    pub fn security(&self) -> CookieSecurity {
        self.inner.security
    }

    /// The cookie name.
    pub fn cookie_name(&self) -> &str {
        &self.inner.name
    }

    /// Whether `session`, sealed, fits in the [`MAX_COOKIE_BYTES`] browsers keep. A token
    /// near [`MAX_TOKEN_LEN`](crate::auth::MAX_TOKEN_LEN) (a large JWE) does not.
    pub fn fits(&self, session: &Session) -> bool {
        self.inner.name.len() + 1 + self.seal(session).len() <= MAX_COOKIE_BYTES
    }

    /// The session of the request, if its cookie decrypts and has not expired.
    pub fn read(&self, headers: &HeaderMap) -> Option<Session> {
        self.read_at(headers, OffsetDateTime::now_utc())
    }

    /// [`read`](Self::read) at a given time.
    pub fn read_at(&self, headers: &HeaderMap, now: OffsetDateTime) -> Option<Session> {
        let raw = self.raw_value(headers)?;
        let session = self.open(&raw)?;
        (session.expires_at() > now).then_some(session)
    }

    /// The access token of the request's signed-in session.
    pub fn access_token(&self, headers: &HeaderMap) -> Option<AccessToken> {
        self.read(headers)?.access_token().cloned()
    }

    /// A [`TokenSource`] reading the access token from the session cookie, so an
    /// [`Authenticator`](crate::auth::Authenticator) accepts session-cookie authentication:
    /// `TokenExtractor::bearer().with(session.token_source())`. A missing, undecryptable,
    /// expired or pending-MFA cookie is no token ([`Extracted::Missing`]). A signed-in session
    /// is [`Extracted::FromSession`]: the authenticator accepts it only while the session is
    /// live in the shared registry (see [Sessions](crate::auth::Authenticator#sessions)).
    pub fn token_source(&self) -> TokenSource {
        let codec = self.clone();
        TokenSource::custom(move |headers| match codec.read(headers) {
            Some(Session::SignedIn {
                access_token,
                uid,
                id,
                ..
            }) => Extracted::FromSession {
                token: access_token,
                session: SessionClaim { id, uid },
            },
            _ => Extracted::Missing,
        })
    }

    /// The token sources of an authenticator that accepts both API clients and this session:
    /// `Authorization: Bearer` first, then the session cookie
    /// (`TokenExtractor::bearer().with(self.token_source())`).
    pub fn token_sources(&self) -> TokenExtractor {
        TokenExtractor::bearer().with(self.token_source())
    }

    /// The one cookie value under our name; several different values are no session.
    fn raw_value(&self, headers: &HeaderMap) -> Option<String> {
        cookie_value(headers, &self.inner.name)
            .ok()
            .flatten()
            .filter(|v| !v.is_empty())
    }

    /// The session sealed in `raw`, if it decrypts under our key and name.
    fn open(&self, raw: &str) -> Option<Session> {
        let mut jar = CookieJar::new();
        jar.add_original(Cookie::new(self.inner.name.clone(), raw.to_owned()));
        let plain = jar.private(&self.inner.key).get(&self.inner.name)?;
        Session::from_plain(plain.value())
    }

    /// `session` sealed (encrypted and authenticated, with a fresh nonce) under our key and
    /// name.
    fn seal(&self, session: &Session) -> String {
        let mut jar = CookieJar::new();
        jar.private_mut(&self.inner.key)
            .add(Cookie::new(self.inner.name.clone(), session.to_plain()));
        jar.get(&self.inner.name)
            .map(|c| c.value().to_owned())
            .unwrap_or_default()
    }

    /// `token` sealed for the registry entry of session `id` (AES-256-GCM under a key derived
    /// from the cookie key, bound to `id`): the registry never holds a token in clear, and
    /// only the replicas holding the cookie key can open it, to invalidate the token when the
    /// session is ended from elsewhere.
    pub fn seal_registry_token(&self, id: &SessionId, token: &AccessToken) -> String {
        let name = registry_token_name(id);
        let mut jar = CookieJar::new();
        jar.private_mut(&self.inner.registry_key)
            .add(Cookie::new(name.clone(), token.expose().to_owned()));
        jar.get(&name)
            .map(|c| c.value().to_owned())
            .unwrap_or_default()
    }

    /// The token [`seal_registry_token`](Self::seal_registry_token) sealed for session `id`;
    /// `None` when it does not open (another key, another session, tampered).
    pub fn open_registry_token(&self, id: &SessionId, sealed: &str) -> Option<AccessToken> {
        let name = registry_token_name(id);
        let mut jar = CookieJar::new();
        jar.add_original(Cookie::new(name.clone(), sealed.to_owned()));
        let plain = jar.private(&self.inner.registry_key).get(&name)?;
        Some(AccessToken::new(plain.value().to_owned())).filter(|t| !t.expose().is_empty())
    }

    /// The `Set-Cookie` value that starts `session` (a fresh sealed value every time).
    /// `request` is the request's headers, for the `Secure` rule.
    pub fn start(&self, request: &HeaderMap, session: &Session) -> HeaderValue {
        self.start_at(request, session, OffsetDateTime::now_utc())
    }

    /// [`start`](Self::start) at a given time (for `Max-Age`).
    pub fn start_at(
        &self,
        request: &HeaderMap,
        session: &Session,
        now: OffsetDateTime,
    ) -> HeaderValue {
        let max_age = (session.expires_at() - now).max(Duration::ZERO);
        let cookie = self
            .base(request, self.seal(session))
            .max_age(max_age)
            .build();
        header_value(&cookie)
    }

    /// The `Set-Cookie` value that ends the session (empty value, `Max-Age=0`).
    pub fn end(&self, request: &HeaderMap) -> HeaderValue {
        let cookie = self
            .base(request, String::new())
            .max_age(Duration::ZERO)
            .expires(OffsetDateTime::UNIX_EPOCH)
            .build();
        header_value(&cookie)
    }

    fn base(&self, request: &HeaderMap, value: String) -> cookie::CookieBuilder<'static> {
        Cookie::build((self.inner.name.clone(), value))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(self.inner.security.is_secure(request))
    }
}

/// The authenticated name a registry token is sealed under: it binds the seal to its session.
fn registry_token_name(id: &SessionId) -> String {
    format!("lr-registry-token.{}", id.as_str())
}

fn header_value(cookie: &Cookie<'_>) -> HeaderValue {
    // The sealed value is Base64 and the attributes are ASCII: always a valid header value.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::{COOKIE, HOST};

    fn request(host: &str, cookie: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        if let Some(c) = cookie {
            h.insert(COOKIE, HeaderValue::from_str(c).unwrap());
        }
        h
    }

    fn signed_in(token: &str) -> Session {
        Session::SignedIn {
            access_token: AccessToken::new(token),
            uid: "u-1".into(),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(10),
            id: crate::fleet::SessionId::generate(),
        }
    }

    /// `name=value` from a `Set-Cookie` header.
    fn pair(set_cookie: &HeaderValue) -> String {
        set_cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn round_trip_of_a_signed_in_session() {
        let codec = SessionCookie::generate();
        let session = signed_in("tok-123");
        let set = codec.start(&request("localhost:3000", None), &session);
        let back = codec
            .read(&request("localhost:3000", Some(&pair(&set))))
            .unwrap();
        let Session::SignedIn {
            access_token, uid, ..
        } = &back
        else {
            panic!("{back:?}")
        };
        assert_eq!(access_token.expose(), "tok-123");
        assert_eq!(uid, "u-1");
        assert_eq!(
            back.expires_at().unix_timestamp(),
            session.expires_at().unix_timestamp()
        );
    }

    #[test]
    fn round_trip_of_a_pending_mfa_login() {
        let codec = SessionCookie::generate();
        let session = Session::PendingMfa {
            mfa_token: AccessToken::new("mfa-1"),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(5),
            email: None,
            step_up: false,
        };
        let set = codec.start(&request("localhost", None), &session);
        let back = codec
            .read(&request("localhost", Some(&pair(&set))))
            .unwrap();
        assert_eq!(back.mfa_token().unwrap().expose(), "mfa-1");
        assert!(back.access_token().is_none());
        // A pending MFA login is no access token for the authenticator.
        assert_eq!(
            codec
                .token_source()
                .extract(&request("localhost", Some(&pair(&set)))),
            Extracted::Missing
        );
    }

    #[test]
    fn the_value_is_encrypted_and_renewed_on_every_start() {
        let codec = SessionCookie::generate();
        let session = signed_in("tok-secret-value");
        let a = codec.start(&request("localhost", None), &session);
        let b = codec.start(&request("localhost", None), &session);
        assert_ne!(pair(&a), pair(&b));
        assert!(!a.to_str().unwrap().contains("tok-secret-value"));
        assert!(!a.to_str().unwrap().contains("u-1"));
    }

    #[test]
    fn fits_says_whether_the_cookie_stays_within_what_browsers_keep() {
        let codec = SessionCookie::generate();
        let session = |n: usize| signed_in(&"a".repeat(n));
        // `fits` only turns false as tokens grow: the largest that fits, by bisection.
        let lengths: Vec<usize> = (1..=crate::auth::MAX_TOKEN_LEN).collect();
        let largest = lengths.partition_point(|&n| codec.fits(&session(n)));
        assert!(
            (2000..crate::auth::MAX_TOKEN_LEN).contains(&largest),
            "{largest}"
        );
        // What `fits` says is what the cookie is: name=value within the limit, or not.
        let pair_len =
            |n: usize| pair(&codec.start(&request("localhost", None), &session(n))).len();
        assert!(pair_len(largest) <= MAX_COOKIE_BYTES);
        assert!(pair_len(largest + 3) > MAX_COOKIE_BYTES);
        assert!(!codec.fits(&session(largest + 3)));
    }

    #[test]
    fn tampered_foreign_or_expired_cookies_are_no_session() {
        let codec = SessionCookie::generate();
        let set = codec.start(&request("localhost", None), &signed_in("t"));
        let good = pair(&set);
        // One character changed.
        let mut bytes = good.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert!(codec.read(&request("localhost", Some(&tampered))).is_none());
        // Another key.
        assert!(
            SessionCookie::generate()
                .read(&request("localhost", Some(&good)))
                .is_none()
        );
        // Another cookie name (the name is authenticated).
        let renamed = good.replacen(DEFAULT_COOKIE_NAME, "other", 1);
        assert!(
            codec
                .clone()
                .name("other")
                .read(&request("localhost", Some(&renamed)))
                .is_none()
        );
        // Garbage, empty, and two different values.
        assert!(
            codec
                .read(&request("localhost", Some("lr_session=garbage")))
                .is_none()
        );
        assert!(
            codec
                .read(&request("localhost", Some("lr_session=")))
                .is_none()
        );
        let other = pair(&codec.start(&request("localhost", None), &signed_in("u")));
        assert!(
            codec
                .read(&request("localhost", Some(&format!("{good}; {other}"))))
                .is_none()
        );
        // Expired.
        let later = OffsetDateTime::now_utc() + Duration::hours(1);
        assert!(
            codec
                .read_at(&request("localhost", Some(&good)), later)
                .is_none()
        );
        assert_eq!(
            codec
                .token_source()
                .extract(&request("localhost", Some(&tampered))),
            Extracted::Missing
        );
    }

    #[test]
    fn token_source_reads_the_access_token() {
        let codec = SessionCookie::generate();
        let set = codec.start(&request("localhost", None), &signed_in("tok-9"));
        let headers = request("localhost", Some(&format!("a=1; {}; b=2", pair(&set))));
        let Extracted::FromSession { token, session } = codec.token_source().extract(&headers)
        else {
            panic!("a signed-in cookie is a token from a session");
        };
        assert_eq!(token, AccessToken::new("tok-9"));
        assert_eq!(session.uid, "u-1");
        assert_eq!(codec.access_token(&headers).unwrap().expose(), "tok-9");
    }

    #[test]
    fn attributes() {
        let codec = SessionCookie::generate();
        let now = OffsetDateTime::now_utc();
        let session = Session::SignedIn {
            access_token: AccessToken::new("t"),
            uid: "u".into(),
            expires_at: now + Duration::seconds(600),
            id: crate::fleet::SessionId::generate(),
        };
        let set = codec.start_at(&request("app.example.com", None), &session, now);
        let text = set.to_str().unwrap();
        assert!(text.starts_with("lr_session="), "{text}");
        for attr in [
            "HttpOnly",
            "SameSite=Lax",
            "Path=/",
            "Secure",
            "Max-Age=600",
        ] {
            assert!(text.contains(attr), "{attr} missing in {text}");
        }
        let end = codec.end(&request("app.example.com", None));
        let end = end.to_str().unwrap();
        assert!(end.starts_with("lr_session=;"), "{end}");
        assert!(
            end.contains("Max-Age=0") && end.contains("HttpOnly"),
            "{end}"
        );
    }

    #[test]
    fn secure_by_default_even_for_a_loopback_host() {
        let codec = SessionCookie::generate();
        // A proxy that forwards `Host: 127.0.0.1` does not drop `Secure`.
        for host in [
            "127.0.0.1",
            "127.0.0.1:3000",
            "localhost",
            "app.example.com",
        ] {
            let set = codec.start(&request(host, None), &signed_in("t"));
            assert!(set.to_str().unwrap().contains("Secure"), "{host}");
            assert!(
                codec
                    .end(&request(host, None))
                    .to_str()
                    .unwrap()
                    .contains("Secure")
            );
        }
    }

    #[test]
    fn local_http_only_when_chosen() {
        let codec = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
        let local = codec.start(&request("127.0.0.1:3000", None), &signed_in("t"));
        assert!(!local.to_str().unwrap().contains("Secure"));
        let remote = codec.start(&request("app.example.com", None), &signed_in("t"));
        assert!(remote.to_str().unwrap().contains("Secure"));
        // The name and the setting are kept by each other's setter.
        let renamed = codec.clone().name("other");
        assert_eq!(renamed.security(), CookieSecurity::AllowLocalHttp);
        let never = renamed.with_security(CookieSecurity::Never);
        assert_eq!(never.cookie_name(), "other");
        let set = never.start(&request("app.example.com", None), &signed_in("t"));
        assert!(!set.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn registry_tokens_are_sealed_bound_to_their_session_and_key() {
        let codec = SessionCookie::generate();
        let (id, other) = (SessionId::generate(), SessionId::generate());
        let token = AccessToken::new("tok-registry-secret");
        let sealed = codec.seal_registry_token(&id, &token);
        assert!(!sealed.contains("tok-registry-secret"));
        assert_ne!(sealed, codec.seal_registry_token(&id, &token));
        assert_eq!(codec.open_registry_token(&id, &sealed), Some(token.clone()));
        // Another session, another key, or the cookie key itself: no token.
        assert_eq!(codec.open_registry_token(&other, &sealed), None);
        assert_eq!(
            SessionCookie::generate().open_registry_token(&id, &sealed),
            None
        );
        let as_cookie = codec.seal(&signed_in("tok-registry-secret"));
        assert_eq!(codec.open_registry_token(&id, &as_cookie), None);
        // The renamed or re-secured codec keeps the key.
        let renamed = codec
            .clone()
            .name("other")
            .with_security(CookieSecurity::Never);
        assert_eq!(renamed.open_registry_token(&id, &sealed), Some(token));
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(SessionCookie::from_master_key(&[0u8; 32]).is_err());
        assert!(SessionCookie::from_master_key(&[7u8; 64]).is_ok());
    }
}
