//! A scripted LoginRadius for the in-process adapter tests (`loginradius_test_support::upstream`,
//! shared with the axum adapter's tests: answers by path, counts requests, can answer slowly);
//! and helpers to send requests to an `actix_web::test` service.

#![allow(dead_code)]

pub use loginradius_test_support::upstream::*;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use bytes::Bytes;
use serde_json::{Value, json};

/// A GET of `uri` with `token` as a Bearer token (when given).
pub fn req(uri: &str, token: Option<&str>) -> test::TestRequest {
    let mut request = test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    request
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| json!(String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` to `app` and reads the whole response.
pub async fn send<S, B>(app: &S, request: test::TestRequest) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = test::call_service(app, request.to_request()).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = test::read_body(response).await;
    Answer {
        status,
        headers,
        body,
    }
}
