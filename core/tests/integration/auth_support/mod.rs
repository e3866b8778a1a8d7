//! The scripted LoginRadius of the auth engine tests, `loginradius_test_support::upstream` (shared
//! with the adapters' tests: answers by path, counts every request, can answer slowly so that
//! concurrent requests overlap), plus the token helpers these tests use.

#![allow(dead_code)]

pub use loginradius_test_support::upstream::*;

use loginradius::auth::AccessToken;

pub fn token(value: &str) -> AccessToken {
    AccessToken::new(value)
}

pub fn bearer(token: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    headers
}
