//! The route table: every implemented endpoint ([`routes`](crate::routes)), plus every other
//! catalog endpoint answered as "not supported". Paths are matched case-insensitively segment
//! by segment; path parameters keep their case and are percent-decoded. A literal segment beats
//! a parameter (`/manage/account/sott` before `/manage/account/{uid}`).

use std::sync::OnceLock;

use axum::http::Method;
use percent_encoding::percent_decode_str;

use crate::catalog::CATALOG;
use crate::endpoint::{Cred, Route};

/// What a request path resolves to.
pub(crate) enum Lookup {
    /// An endpoint, with its path parameters.
    Found(&'static Route, Params),
    /// The path exists, not with this method.
    MethodNotAllowed(&'static str),
    /// No such path.
    NotFound,
}

/// The route table (implemented routes first, then the rest of the catalog).
pub(crate) fn table() -> &'static [Route] {
    static TABLE: OnceLock<Vec<Route>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut routes = crate::routes::all();
        for (method, path) in CATALOG {
            let Ok(method) = Method::from_bytes(method.as_bytes()) else {
                continue;
            };
            let known = routes
                .iter()
                .any(|r| r.method == method && r.template.eq_ignore_ascii_case(path));
            if !known {
                routes.push(Route {
                    method,
                    template: path,
                    cred: Cred::Key,
                    handler: None,
                });
            }
        }
        routes
    })
}

/// Path parameters, `(name, value)`.
pub(crate) type Params = Vec<(String, String)>;
/// Which segments of a matched template are parameters (`true`), to prefer literal matches.
type Shape = Vec<bool>;

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// Matches `path` against `template`: `Some((params, shape))` where `shape` marks parameter
/// positions (for choosing the most literal match).
fn matches(template: &str, path: &str) -> Option<(Params, Shape)> {
    let mut params = Vec::new();
    let mut shape = Vec::new();
    let mut t = segments(template);
    let mut p = segments(path);
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some((params, shape)),
            (Some(ts), Some(ps)) => {
                if let Some(name) = ts.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
                    let value = percent_decode_str(ps).decode_utf8_lossy().into_owned();
                    params.push((name.to_owned(), value));
                    shape.push(true);
                } else if ts.eq_ignore_ascii_case(ps) {
                    shape.push(false);
                } else {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// Resolves a request.
pub(crate) fn lookup(method: &Method, path: &str) -> Lookup {
    let mut best: Option<(&'static Route, Params, Shape)> = None;
    let mut other_method: Option<(&'static str, Shape)> = None;
    for route in table() {
        let Some((params, shape)) = matches(route.template, path) else {
            continue;
        };
        if route.method == *method {
            if best.as_ref().is_none_or(|(_, _, s)| shape < *s) {
                best = Some((route, params, shape));
            }
        } else if other_method.as_ref().is_none_or(|(_, s)| shape < *s) {
            other_method = Some((route.template, shape));
        }
    }
    match (best, other_method) {
        (Some((route, params, shape)), other) => {
            // A more literal path under another method means this method is not allowed there.
            match other {
                Some((template, s)) if s < shape => Lookup::MethodNotAllowed(template),
                _ => Lookup::Found(route, params),
            }
        }
        (None, Some((template, _))) => Lookup::MethodNotAllowed(template),
        (None, None) => Lookup::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(method: Method, path: &str) -> Option<(&'static str, Vec<(String, String)>)> {
        match lookup(&method, path) {
            Lookup::Found(r, p) => Some((r.template, p)),
            _ => None,
        }
    }

    #[test]
    fn literal_segments_beat_parameters() {
        assert_eq!(
            found(Method::GET, "/identity/v2/manage/account/sott")
                .unwrap()
                .0,
            "/identity/v2/manage/account/sott"
        );
        let (t, p) = found(Method::GET, "/identity/v2/manage/account/ABC%20d").unwrap();
        assert_eq!(t, "/identity/v2/manage/account/{uid}");
        assert_eq!(p, vec![("uid".to_owned(), "ABC d".to_owned())]);
    }

    #[test]
    fn matching_is_case_insensitive_and_tolerates_slashes() {
        assert_eq!(
            found(Method::GET, "/Identity/V2/Auth/Access_Token/InValidate/")
                .unwrap()
                .0,
            "/identity/v2/auth/access_token/invalidate"
        );
        assert_eq!(
            found(
                Method::PUT,
                "/identity/v2/auth/login/2FA/Verification/AuthenticatorCode"
            )
            .unwrap()
            .0,
            "/identity/v2/auth/login/2fa/verification/authenticatorcode"
        );
    }

    #[test]
    fn unknown_and_wrong_method() {
        assert!(matches!(lookup(&Method::GET, "/nope"), Lookup::NotFound));
        assert!(matches!(
            lookup(&Method::PATCH, "/identity/v2/auth/account"),
            Lookup::MethodNotAllowed(_)
        ));
    }

    #[test]
    fn every_catalog_pair_resolves_to_itself() {
        for (method, path) in CATALOG {
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            match lookup(&m, path) {
                Lookup::Found(r, _) => assert!(
                    r.template.eq_ignore_ascii_case(path),
                    "{method} {path} -> {}",
                    r.template
                ),
                _ => panic!("{method} {path} not found"),
            }
        }
    }
}
