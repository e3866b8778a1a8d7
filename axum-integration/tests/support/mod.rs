//! A scripted LoginRadius for the in-process adapter tests (`loginradius_test_support::upstream`,
//! shared with the actix adapter's tests: answers by path, counts requests, can answer slowly);
//! and helpers to build an app and send requests with `oneshot`.

#![allow(dead_code)]

pub use loginradius_test_support::upstream::*;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use http::Request;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A GET of `uri` with `token` as a Bearer token (when given).
pub fn req(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(uri);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    builder.body(Body::empty()).unwrap()
}

pub async fn send(app: &Router, request: Request<Body>) -> Response {
    app.clone().oneshot(request).await.unwrap()
}

pub async fn body_json(response: Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)))
}

pub async fn body_text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

pub fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}
