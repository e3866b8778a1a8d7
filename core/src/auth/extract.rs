//! Where a request carries its access token: the `Authorization: Bearer` header, a named
//! session cookie, or anything an adapter plugs in. Configurable per authenticator.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use cookie::Cookie;
use http::header::{AUTHORIZATION, COOKIE};
use http::{HeaderMap, HeaderName, HeaderValue};

use super::AccessToken;
use super::token::MAX_TOKEN_LEN;
use crate::fleet::SessionClaim;

/// What a token source found in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted {
    /// The source holds nothing (a request without credentials, or with another scheme).
    Missing,
    /// A token, syntactically acceptable.
    Found(AccessToken),
    /// A token read from a registered session (the route helpers' session cookie): the
    /// [`Authenticator`](super::Authenticator) also checks that the session is live in the
    /// shared registry (not ended, within its timeouts, not before its user's "not before").
    FromSession {
        /// The session's access token, syntactically acceptable.
        token: AccessToken,
        /// The session it belongs to.
        session: SessionClaim,
    },
    /// The source holds something that cannot be a token (bad syntax, too long, ambiguous
    /// duplicates): refused as an invalid token, never looked up.
    Malformed,
}

/// A custom token source: reads the headers and says what it found.
pub type CustomSource = Arc<dyn Fn(&HeaderMap) -> Extracted + Send + Sync>;

/// Request headers as the token sources read them: an `http` 1 [`HeaderMap`], or an adapter's
/// own header type, read in place (the actix adapter's headers are of another `http` major
/// version: the bearer and cookie sources read them without a copy).
///
/// ```
/// use std::borrow::Cow;
/// use http::{HeaderMap, HeaderName, HeaderValue};
/// use loginradius::auth::{Extracted, RequestHeaders, TokenExtractor};
///
/// /// Headers as name/value pairs.
/// struct Pairs(Vec<(&'static str, &'static str)>);
///
/// impl RequestHeaders for Pairs {
///     fn values_of<'a>(&'a self, name: &'a HeaderName) -> impl Iterator<Item = &'a [u8]> + 'a {
///         self.0.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_str())).map(|(_, v)| v.as_bytes())
///     }
///     fn to_map(&self) -> Cow<'_, HeaderMap> {
///         let mut map = HeaderMap::new();
///         for (name, value) in &self.0 {
///             map.append(*name, value.parse().unwrap());
///         }
///         Cow::Owned(map)
///     }
/// }
///
/// let headers = Pairs(vec![("Authorization", "Bearer abc-123")]);
/// match TokenExtractor::bearer().extract_from(&headers) {
///     Extracted::Found(token) => assert_eq!(token.expose(), "abc-123"),
///     other => panic!("{other:?}"),
/// }
/// ```
pub trait RequestHeaders {
    /// Each value of the header `name` (a standard header: `authorization`, `cookie`), in
    /// order.
    fn values_of<'a>(&'a self, name: &'a HeaderName) -> impl Iterator<Item = &'a [u8]> + 'a;

    /// The headers as an `http` 1 map, for the custom sources (which may read any header).
    fn to_map(&self) -> Cow<'_, HeaderMap>;
}

impl RequestHeaders for HeaderMap {
    fn values_of<'a>(&'a self, name: &'a HeaderName) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.get_all(name).into_iter().map(HeaderValue::as_bytes)
    }

    fn to_map(&self) -> Cow<'_, HeaderMap> {
        Cow::Borrowed(self)
    }
}

/// One place a token can come from.
#[derive(Clone)]
#[non_exhaustive]
pub enum TokenSource {
    /// `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive).
    BearerHeader,
    /// The value of the named cookie.
    Cookie(String),
    /// A function of the headers (for example an adapter decrypting its own session cookie).
    Custom(CustomSource),
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BearerHeader => f.write_str("BearerHeader"),
            Self::Cookie(name) => f.debug_tuple("Cookie").field(name).finish(),
            Self::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

impl TokenSource {
    /// A source from a function of the headers.
    pub fn custom(f: impl Fn(&HeaderMap) -> Extracted + Send + Sync + 'static) -> Self {
        Self::Custom(Arc::new(f))
    }

    /// Whether this source may read the header `name` (lowercase, as `http` spells it): the
    /// bearer source reads `authorization`, a cookie source `cookie`, a custom source any.
    pub fn reads_header(&self, name: &str) -> bool {
        match self {
            Self::BearerHeader => name == AUTHORIZATION.as_str(),
            Self::Cookie(_) => name == COOKIE.as_str(),
            Self::Custom(_) => true,
        }
    }

    /// Reads this source. What it finds is always an acceptable token (a `b64token` of at most
    /// [`MAX_TOKEN_LEN`] bytes): anything else, a custom source's finds included, is
    /// [`Extracted::Malformed`].
    pub fn extract(&self, headers: &HeaderMap) -> Extracted {
        self.extract_from(headers)
    }

    /// [`extract`](Self::extract) from any [`RequestHeaders`].
    pub fn extract_from(&self, headers: &impl RequestHeaders) -> Extracted {
        match self {
            Self::BearerHeader => bearer(headers.values_of(&AUTHORIZATION)),
            Self::Cookie(name) => cookie(headers.values_of(&COOKIE), name),
            Self::Custom(f) => match f(&headers.to_map()) {
                Extracted::Found(token) | Extracted::FromSession { token, .. }
                    if !is_acceptable(token.expose()) =>
                {
                    Extracted::Malformed
                }
                other => other,
            },
        }
    }
}

/// The ordered list of token sources of an authenticator: the first source that holds
/// something decides (a malformed value there is not skipped in favour of a later source).
///
/// ```
/// use http::{HeaderMap, HeaderName, HeaderValue};
/// use loginradius::auth::{Extracted, TokenExtractor};
///
/// let extractor = TokenExtractor::bearer().with_cookie("lr_session");
/// let mut headers = HeaderMap::new();
/// headers.insert("cookie", HeaderValue::from_static("theme=dark; lr_session=abc-123"));
/// match extractor.extract(&headers) {
///     Extracted::Found(token) => assert_eq!(token.expose(), "abc-123"),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone)]
pub struct TokenExtractor {
    sources: Vec<TokenSource>,
}

impl Default for TokenExtractor {
    /// The `Authorization: Bearer` header only.
    fn default() -> Self {
        Self::bearer()
    }
}

impl TokenExtractor {
    /// The `Authorization: Bearer` header only.
    pub fn bearer() -> Self {
        Self {
            sources: vec![TokenSource::BearerHeader],
        }
    }

    /// No source at all (add some with [`with`](Self::with)).
    pub fn none() -> Self {
        Self {
            sources: Vec::new(),
        }
    }

    /// Adds a source, tried after the existing ones.
    pub fn with(mut self, source: TokenSource) -> Self {
        self.sources.push(source);
        self
    }

    /// Adds the named cookie as a source, tried after the existing ones.
    pub fn with_cookie(self, name: impl Into<String>) -> Self {
        self.with(TokenSource::Cookie(name.into()))
    }

    /// The sources, in order.
    pub fn sources(&self) -> &[TokenSource] {
        &self.sources
    }

    /// Whether one of the sources may read the header `name` (lowercase). An adapter whose
    /// framework has its own header types copies only these headers for
    /// [`extract`](Self::extract).
    ///
    /// ```
    /// use loginradius::auth::{Extracted, TokenExtractor, TokenSource};
    ///
    /// let extractor = TokenExtractor::bearer().with_cookie("lr_session");
    /// assert!(extractor.reads_header("authorization"));
    /// assert!(extractor.reads_header("cookie"));
    /// assert!(!extractor.reads_header("user-agent"));
    /// // A custom source may read anything.
    /// let custom = extractor.with(TokenSource::custom(|_| Extracted::Missing));
    /// assert!(custom.reads_header("user-agent"));
    /// ```
    pub fn reads_header(&self, name: &str) -> bool {
        self.sources.iter().any(|source| source.reads_header(name))
    }

    /// Reads the sources in order; the first that holds something decides.
    pub fn extract(&self, headers: &HeaderMap) -> Extracted {
        self.extract_from(headers)
    }

    /// [`extract`](Self::extract) from any [`RequestHeaders`].
    pub fn extract_from(&self, headers: &impl RequestHeaders) -> Extracted {
        for source in &self.sources {
            match source.extract_from(headers) {
                Extracted::Missing => continue,
                found => return found,
            }
        }
        Extracted::Missing
    }
}

/// The bytes of a `b64token` before its `=` padding, as a lookup table.
const B64TOKEN_BODY: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] =
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/');
        b += 1;
    }
    table
};

/// RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
/// Byte-wise with a table: it runs on every request.
fn is_b64token(bytes: &[u8]) -> bool {
    let body = match bytes.iter().rposition(|&b| b != b'=') {
        Some(last) => &bytes[..=last],
        None => return false,
    };
    body.iter().all(|&b| B64TOKEN_BODY[usize::from(b)])
}

/// True when `value` can be an access token: a `b64token` of at most [`MAX_TOKEN_LEN`] bytes.
pub(crate) fn is_acceptable(value: &str) -> bool {
    is_acceptable_bytes(value.as_bytes())
}

fn is_acceptable_bytes(value: &[u8]) -> bool {
    value.len() <= MAX_TOKEN_LEN && is_b64token(value)
}

fn checked(value: &str) -> Extracted {
    if is_acceptable(value) {
        Extracted::Found(AccessToken::new(value))
    } else {
        Extracted::Malformed
    }
}

/// The token `value`, when it can be one (then it is ASCII).
fn checked_bytes(value: &[u8]) -> Extracted {
    match std::str::from_utf8(value) {
        Ok(token) if is_acceptable_bytes(value) => Extracted::Found(AccessToken::new(token)),
        _ => Extracted::Malformed,
    }
}

/// `Authorization: Bearer <token>`. Byte-wise, in one pass over the value (it runs on every
/// request): the token's own check admits visible ASCII only, so a value that is not text is
/// malformed whatever its scheme.
fn bearer<'a>(values: impl Iterator<Item = &'a [u8]>) -> Extracted {
    let mut found = Extracted::Missing;
    for value in values {
        let trimmed = value.trim_ascii();
        let (scheme, rest) = match trimmed.iter().position(|&b| b == b' ') {
            Some(space) => (&trimmed[..space], &trimmed[space + 1..]),
            None => (trimmed, &[][..]),
        };
        if !scheme.eq_ignore_ascii_case(b"bearer") {
            if !is_header_text(value) {
                return Extracted::Malformed;
            }
            // Another scheme (Basic…) carries no bearer token.
            continue;
        }
        if !matches!(found, Extracted::Missing) {
            // Two bearer credentials: ambiguous.
            return Extracted::Malformed;
        }
        let start = rest.iter().position(|&b| b != b' ').unwrap_or(rest.len());
        found = checked_bytes(&rest[start..]);
    }
    found
}

/// Whether a header value is text: visible ASCII and tabs (what `HeaderValue::to_str` accepts).
fn is_header_text(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
}

fn cookie<'a>(values: impl Iterator<Item = &'a [u8]>, name: &str) -> Extracted {
    match cookie_value_in(values, name) {
        Err(AmbiguousCookie) => Extracted::Malformed,
        Ok(None) => Extracted::Missing,
        Ok(Some(value)) if value.is_empty() => Extracted::Missing,
        Ok(Some(value)) => checked(&value),
    }
}

/// A request holds several different values of one cookie: which one is meant is unknown, so
/// none is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request holds several different values of the cookie")]
pub struct AmbiguousCookie;

/// The value of the cookie `name` in the request's `Cookie` headers, parsed with the `cookie`
/// crate (surrounding double quotes removed): `Ok(None)` when it is absent, an error when it is
/// there with several different values. Headers that are not text are skipped. The cookie token
/// source and [`SessionCookie`](crate::web::SessionCookie) read their cookies with it; an
/// application can read its own cookies the same way.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use loginradius::auth::cookie_value;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("cookie", HeaderValue::from_static("theme=dark; sid=\"abc\""));
/// assert_eq!(cookie_value(&headers, "sid"), Ok(Some("abc".to_owned())));
/// assert_eq!(cookie_value(&headers, "lang"), Ok(None));
/// headers.append("cookie", HeaderValue::from_static("sid=other"));
/// assert!(cookie_value(&headers, "sid").is_err());
/// ```
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Result<Option<String>, AmbiguousCookie> {
    cookie_value_in(headers.values_of(&COOKIE), name)
}

/// [`cookie_value`] in the `Cookie` header values `values`.
fn cookie_value_in<'a>(
    values: impl Iterator<Item = &'a [u8]>,
    name: &str,
) -> Result<Option<String>, AmbiguousCookie> {
    let mut found: Option<String> = None;
    for header in values {
        let Some(header) = std::str::from_utf8(header)
            .ok()
            .filter(|_| is_header_text(header))
        else {
            continue;
        };
        for cookie in Cookie::split_parse(header).flatten() {
            if cookie.name() != name {
                continue;
            }
            let value = cookie.value_trimmed();
            match &found {
                Some(previous) if previous != value => return Err(AmbiguousCookie),
                Some(_) => {}
                None => found = Some(value.to_owned()),
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn found(e: Extracted) -> String {
        match e {
            Extracted::Found(t) => t.expose().to_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn bearer_header_variants() {
        let b = TokenExtractor::bearer();
        assert_eq!(
            found(b.extract(&headers(&[("authorization", "Bearer abc")]))),
            "abc"
        );
        assert_eq!(
            found(b.extract(&headers(&[("authorization", "bearer  a.b-c_d~e+f/g==")]))),
            "a.b-c_d~e+f/g=="
        );
        assert_eq!(
            found(b.extract(&headers(&[("authorization", " Bearer   abc \t")]))),
            "abc"
        );
        assert_eq!(
            b.extract(&headers(&[("authorization", "Bearer\tabc")])),
            Extracted::Missing,
            "the scheme ends at a space"
        );
        assert_eq!(
            b.extract(&headers(&[("authorization", "Bearer a\tb")])),
            Extracted::Malformed
        );
        let mut non_ascii = HeaderMap::new();
        non_ascii.insert(
            AUTHORIZATION,
            HeaderValue::from_bytes(b"Basic \xc3\xa9").unwrap(),
        );
        assert_eq!(b.extract(&non_ascii), Extracted::Malformed);
        assert_eq!(b.extract(&headers(&[])), Extracted::Missing);
        assert_eq!(
            b.extract(&headers(&[("authorization", "Basic dXNlcjpwYXNz")])),
            Extracted::Missing
        );
        assert_eq!(
            b.extract(&headers(&[("authorization", "Bearer")])),
            Extracted::Malformed
        );
        assert_eq!(
            b.extract(&headers(&[("authorization", "Bearer a b")])),
            Extracted::Malformed
        );
        assert_eq!(
            b.extract(&headers(&[("authorization", "Bearer a\"b")])),
            Extracted::Malformed
        );
        assert_eq!(
            b.extract(&headers(&[
                ("authorization", "Bearer a"),
                ("authorization", "Bearer b")
            ])),
            Extracted::Malformed
        );
    }

    #[test]
    fn b64token_table_matches_the_grammar() {
        for b in 0..=255u8 {
            let expected =
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/');
            assert_eq!(B64TOKEN_BODY[usize::from(b)], expected, "byte {b}");
        }
        assert!(is_b64token(b"a"));
        assert!(is_b64token(b"a=="));
        assert!(is_b64token(b"a.b-c_d~e+f/g=="));
        assert!(!is_b64token(b""));
        assert!(!is_b64token(b"=="));
        assert!(!is_b64token(b"a=b"));
        assert!(!is_b64token(b"a b"));
        assert!(!is_b64token("é".as_bytes()));
    }

    #[test]
    fn long_tokens_are_malformed() {
        let long = format!("Bearer {}", "a".repeat(MAX_TOKEN_LEN + 1));
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(&long).unwrap());
        assert_eq!(TokenExtractor::bearer().extract(&h), Extracted::Malformed);
    }

    #[test]
    fn cookie_source() {
        let c = TokenExtractor::none().with_cookie("sid");
        assert_eq!(
            found(c.extract(&headers(&[("cookie", "a=1; sid=tok; b=2")]))),
            "tok"
        );
        assert_eq!(
            found(c.extract(&headers(&[("cookie", "sid=\"tok\"")]))),
            "tok"
        );
        assert_eq!(
            c.extract(&headers(&[("cookie", "xsid=tok")])),
            Extracted::Missing
        );
        assert_eq!(
            c.extract(&headers(&[("cookie", "sid=")])),
            Extracted::Missing
        );
        assert_eq!(
            c.extract(&headers(&[("cookie", "sid=a"), ("cookie", "sid=b")])),
            Extracted::Malformed
        );
        assert_eq!(
            c.extract(&headers(&[("cookie", "sid=a; sid=a")])),
            Extracted::Found(AccessToken::new("a"))
        );
    }

    #[test]
    fn first_source_with_something_decides() {
        let e = TokenExtractor::bearer().with_cookie("sid");
        assert_eq!(found(e.extract(&headers(&[("cookie", "sid=c")]))), "c");
        assert_eq!(
            found(e.extract(&headers(&[
                ("authorization", "Bearer h"),
                ("cookie", "sid=c")
            ]))),
            "h"
        );
        assert_eq!(
            e.extract(&headers(&[
                ("authorization", "Bearer !"),
                ("cookie", "sid=c")
            ])),
            Extracted::Malformed
        );
        let custom = TokenExtractor::none().with(TokenSource::custom(|_| {
            Extracted::Found(AccessToken::new("x"))
        }));
        assert_eq!(found(custom.extract(&HeaderMap::new())), "x");
    }

    #[test]
    fn a_custom_source_cannot_hand_over_an_unacceptable_token() {
        for bad in [
            String::new(),
            "a b".into(),
            "tok\n".into(),
            "x".repeat(MAX_TOKEN_LEN + 1),
        ] {
            let custom = TokenExtractor::none().with(TokenSource::custom(move |_| {
                Extracted::Found(AccessToken::new(bad.clone()))
            }));
            assert_eq!(custom.extract(&HeaderMap::new()), Extracted::Malformed);
        }
        let longest = "x".repeat(MAX_TOKEN_LEN);
        let custom = TokenExtractor::none().with(TokenSource::custom(move |_| {
            Extracted::Found(AccessToken::new(longest.clone()))
        }));
        assert_eq!(
            found(custom.extract(&HeaderMap::new())).len(),
            MAX_TOKEN_LEN
        );
    }
}
