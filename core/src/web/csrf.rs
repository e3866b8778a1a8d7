//! Cross-origin request protection for state-changing requests: the rules of Go 1.25's
//! `CrossOriginProtection` (the same as tower-http's `CsrfLayer`, used by the axum adapter),
//! written once for adapters that cannot use a tower layer (actix).
//!
//! A request is let through when:
//!
//! 1. its method is `GET`, `HEAD` or `OPTIONS`;
//! 2. its `Origin` is one of the [trusted origins](TrustedOrigins), byte for byte;
//! 3. `Sec-Fetch-Site` is `same-origin` or `none`;
//! 4. neither `Sec-Fetch-Site` nor `Origin` is present (not a browser, or a same-origin request
//!    from an old one);
//! 5. without `Sec-Fetch-Site`, the `Origin`'s authority (`http` or `https` only) equals the
//!    request's authority (the request target's, else the `Host` header).
//!
//! Anything else is a [`CsrfRejection`]. A conformance table of requests
//! (`test-support/src/csrf_cases.rs` in the repository, run by core's integration tests) keeps this function and tower-http's layer
//! in agreement: core's tests run it through [`check`], the axum adapter's through both.
//!
//! ```
//! use http::{HeaderMap, Method, Uri};
//! use loginradius::web::csrf::{self, CsrfRejection, TrustedOrigins};
//!
//! let trusted = TrustedOrigins::new().with("https://admin.example.com");
//! let mut headers = HeaderMap::new();
//! headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
//! let uri = Uri::from_static("/settings");
//! assert_eq!(
//!     csrf::check(&Method::POST, &uri, &headers, &trusted),
//!     Err(CsrfRejection::CrossOriginRequest)
//! );
//! headers.insert("origin", "https://admin.example.com".parse().unwrap());
//! assert_eq!(csrf::check(&Method::POST, &uri, &headers, &trusted), Ok(()));
//! ```

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, Method, Uri};

/// Origins (`scheme://host[:port]`) whose requests are let through, compared byte for byte
/// with the `Origin` header. Cheap to clone.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TrustedOrigins(Arc<HashSet<Vec<u8>>>);

impl TrustedOrigins {
    /// No trusted origin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also trusts `origin` (exactly as browsers send it: `https://admin.example.com`).
    pub fn with(mut self, origin: impl Into<String>) -> Self {
        self.insert(origin);
        self
    }

    /// Also trusts `origin`.
    pub fn insert(&mut self, origin: impl Into<String>) {
        Arc::make_mut(&mut self.0).insert(origin.into().into_bytes());
    }

    /// True when `origin` (the raw `Origin` header value) is trusted.
    pub fn contains(&self, origin: &[u8]) -> bool {
        self.0.contains(origin)
    }
}

impl fmt::Debug for TrustedOrigins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.0.iter().map(|o| String::from_utf8_lossy(o)))
            .finish()
    }
}

/// Why [`check`] refused a request (the categories of tower-http's `ProtectionErrorKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsrfRejection {
    /// `Sec-Fetch-Site` says the request comes from another site, and its origin is not
    /// trusted.
    CrossOriginRequest,
    /// Without `Sec-Fetch-Site`, the `Origin` does not match the request's host and is not
    /// trusted.
    CrossOriginRequestFromOldBrowser,
}

impl fmt::Display for CsrfRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CrossOriginRequest => "cross-origin request refused",
            Self::CrossOriginRequestFromOldBrowser => {
                "cross-origin request from an old browser refused"
            }
        })
    }
}

impl std::error::Error for CsrfRejection {}

/// Decides whether a request may go through (see the [module rules](self)): `method`, the
/// request target `uri` (its authority, when in absolute form, wins over `Host`), the request
/// `headers` and the `trusted` origins.
pub fn check(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    trusted: &TrustedOrigins,
) -> Result<(), CsrfRejection> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let origin = headers.get("origin").map(|v| v.as_bytes());
    let is_trusted = || origin.is_some_and(|o| trusted.contains(o));
    match headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
        Some(b"same-origin" | b"none") => return Ok(()),
        None | Some(b"") => {}
        Some(_) if is_trusted() => return Ok(()),
        Some(_) => return Err(CsrfRejection::CrossOriginRequest),
    }
    let Some(origin) = origin.filter(|o| !o.is_empty()) else {
        return Ok(());
    };
    let origin_uri = Uri::try_from(origin)
        .ok()
        .filter(|u| matches!(u.scheme_str(), Some("http" | "https")));
    let host = uri
        .authority()
        .map(|a| a.as_str().as_bytes())
        .or_else(|| headers.get("host").map(|h| h.as_bytes()));
    if let (Some(origin_uri), Some(host)) = (&origin_uri, host)
        && origin_uri.authority().map(|a| a.as_str().as_bytes()) == Some(host)
    {
        return Ok(());
    }
    if is_trusted() {
        return Ok(());
    }
    Err(CsrfRejection::CrossOriginRequestFromOldBrowser)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_which_rule_refused() {
        let trusted = TrustedOrigins::new();
        let mut headers = HeaderMap::new();
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        let uri = Uri::from_static("/x");
        assert_eq!(
            check(&Method::POST, &uri, &headers, &trusted),
            Err(CsrfRejection::CrossOriginRequest)
        );
        let mut headers = HeaderMap::new();
        headers.insert("origin", "http://evil.example".parse().unwrap());
        headers.insert("host", "app.example".parse().unwrap());
        assert_eq!(
            check(&Method::POST, &uri, &headers, &trusted),
            Err(CsrfRejection::CrossOriginRequestFromOldBrowser)
        );
    }
}
