//! When the cookies of the route helpers get the `Secure` attribute: configuration
//! ([`CookieSecurity`]), never a guess from the request alone.

use http::HeaderMap;
use http::header::HOST;

/// When a cookie the library writes (the session cookie, and any cookie of your own that
/// follows [`SessionCookie::security`](super::SessionCookie::security)) is marked `Secure`, so
/// that browsers send it over HTTPS only.
///
/// The default is [`Always`](Self::Always). [`AllowLocalHttp`](Self::AllowLocalHttp) is for
/// development over plain HTTP on your own machine, chosen explicitly:
///
/// ```
/// use loginradius::web::{CookieSecurity, SessionCookie};
///
/// let production = SessionCookie::generate();
/// assert_eq!(production.security(), CookieSecurity::Always);
/// let development = SessionCookie::generate().with_security(CookieSecurity::AllowLocalHttp);
/// assert_eq!(development.security(), CookieSecurity::AllowLocalHttp);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CookieSecurity {
    /// Always `Secure` (the default), whatever the request says: the right choice for anything
    /// reachable by others, including behind a TLS-terminating proxy (which may forward
    /// `Host: 127.0.0.1` to the application).
    #[default]
    Always,
    /// `Secure` unless the request's `Host` is a loopback name (`localhost`, `127.0.0.1`,
    /// `[::1]`, see [`is_local_request`]): for development over `http://localhost` only. Never
    /// in production: a proxy that forwards a loopback `Host` would drop `Secure`.
    AllowLocalHttp,
    /// Never `Secure`: for tests over plain HTTP on a host name that is not loopback. Never in
    /// production.
    Never,
}

impl CookieSecurity {
    /// Whether a cookie set in answer to a request with `request` headers is `Secure`.
    pub fn is_secure(self, request: &HeaderMap) -> bool {
        match self {
            Self::Always => true,
            Self::AllowLocalHttp => !is_local_request(request),
            Self::Never => false,
        }
    }
}

/// True when the request's `Host` is a loopback name (`localhost`, `127.0.0.1`, `[::1]`, with
/// or without a port). A missing or unreadable `Host` counts as remote. Only
/// [`CookieSecurity::AllowLocalHttp`] reads it: the `Host` header is the client's (or a
/// proxy's) word, not a fact about the connection.
pub fn is_local_request(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host.as_str(), |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host.as_str()
            }
        })
    };
    matches!(name, "localhost" | "127.0.0.1" | "::1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn request(host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    #[test]
    fn loopback_hosts_are_local() {
        for local in [
            "localhost",
            "localhost:8080",
            "127.0.0.1",
            "127.0.0.1:3000",
            "[::1]:3000",
            "LOCALHOST",
        ] {
            assert!(is_local_request(&request(local)), "{local}");
        }
        for remote in [
            "example.com",
            "localhost.evil.com",
            "127.0.0.1.nip.io",
            "10.0.0.1:80",
        ] {
            assert!(!is_local_request(&request(remote)), "{remote}");
        }
        assert!(!is_local_request(&HeaderMap::new()));
    }

    #[test]
    fn only_the_development_setting_reads_the_host() {
        let local = request("127.0.0.1:3000");
        let remote = request("app.example.com");
        assert!(CookieSecurity::default().is_secure(&local));
        assert!(CookieSecurity::Always.is_secure(&remote));
        assert!(!CookieSecurity::AllowLocalHttp.is_secure(&local));
        assert!(CookieSecurity::AllowLocalHttp.is_secure(&remote));
        assert!(CookieSecurity::AllowLocalHttp.is_secure(&HeaderMap::new()));
        assert!(!CookieSecurity::Never.is_secure(&remote));
    }
}
