//! Translation between actix-web's HTTP types (from the `http` 0.2 line) and the `http` 1 types
//! of core.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use std::borrow::Cow;

use actix_web::http::header::{self, HeaderMap as ActixHeaderMap, HeaderName, HeaderValue};
use loginradius::auth::RequestHeaders;

/// The request headers as an `http` 1 map, for core (token sources, session cookie, `Host`).
pub(crate) fn request_headers(req: &HttpRequest) -> http::HeaderMap {
    to_core_headers(req.headers())
}

/// An actix request's headers, read in place by core's token sources (the bearer and cookie
/// sources copy nothing; a custom source gets an `http` 1 copy).
pub(crate) struct TokenHeaders<'a>(pub(crate) &'a ActixHeaderMap);

impl RequestHeaders for TokenHeaders<'_> {
    fn values_of<'a>(&'a self, name: &'a http::HeaderName) -> impl Iterator<Item = &'a [u8]> + 'a {
        // The sources read standard headers: their actix names are constants.
        let name = if *name == http::header::AUTHORIZATION {
            Some(header::AUTHORIZATION)
        } else if *name == http::header::COOKIE {
            Some(header::COOKIE)
        } else {
            HeaderName::from_bytes(name.as_str().as_bytes()).ok()
        };
        name.into_iter()
            .flat_map(|name| self.0.get_all(name))
            .map(HeaderValue::as_bytes)
    }

    fn to_map(&self) -> Cow<'_, http::HeaderMap> {
        Cow::Owned(to_core_headers(self.0))
    }
}

/// The client of `req` for the limits: its peer address, or with trusted proxies the
/// address they forwarded (see [`ClientAddr::resolve`](loginradius::auth::ClientAddr::resolve)).
pub(crate) fn client_addr(
    req: &HttpRequest,
    authenticator: &loginradius::auth::Authenticator,
) -> loginradius::auth::ClientAddr {
    let peer = req.peer_addr().map(|a| a.ip());
    if authenticator.trusted_proxies().is_empty() {
        // Nothing forwarded is believed: no copy of the headers on the warm path.
        return authenticator.client_addr(peer, &http::HeaderMap::new());
    }
    let forwarding = copy_headers(req.headers(), 0, |name| {
        name == "forwarded" || name == "x-forwarded-for"
    });
    authenticator.client_addr(peer, &forwarding)
}

/// An actix header map as an `http` 1 map. Names and values are copied byte for byte; nothing
/// that actix accepted can be refused here.
pub(crate) fn to_core_headers(headers: &ActixHeaderMap) -> http::HeaderMap {
    copy_headers(headers, headers.len(), |_| true)
}

/// The headers whose (lowercase) name `keep` accepts, as an `http` 1 map (room for
/// `capacity`), byte for byte.
fn copy_headers(
    headers: &ActixHeaderMap,
    capacity: usize,
    keep: impl Fn(&str) -> bool,
) -> http::HeaderMap {
    let mut out = http::HeaderMap::with_capacity(capacity);
    for (name, value) in headers {
        if !keep(name.as_str()) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_str().as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            out.append(name, value);
        }
    }
    out
}

/// Appends the `http` 1 headers of core to an actix header map.
pub(crate) fn append_core_headers(target: &mut ActixHeaderMap, headers: &http::HeaderMap) {
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            target.append(name, value);
        }
    }
}

/// An `http` 1 status as an actix status.
pub(crate) fn status(status: http::StatusCode) -> StatusCode {
    StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
