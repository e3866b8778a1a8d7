//! The axum adapter keeps tower-http's `CsrfLayer` for its route helpers, the actix adapter uses
//! core's `loginradius::web::csrf::check`: the shared conformance table
//! (`loginradius_test_support::csrf_cases`), run through both here, keeps them answering alike.

use loginradius_test_support::csrf_cases;

use std::convert::Infallible;

use axum::body::Body;
use csrf_cases::{CASES, CASES_TRUSTED_ORIGIN};
use http::{Request, Response, StatusCode};
use loginradius::web::csrf::{self, TrustedOrigins};
use tower::{Layer, ServiceExt, service_fn};
use tower_http::csrf::CsrfLayer;

#[tokio::test]
async fn tower_http_csrf_layer_and_core_check_agree_on_every_case() {
    let layer = CsrfLayer::new()
        .add_trusted_origin(CASES_TRUSTED_ORIGIN)
        .unwrap();
    let trusted = TrustedOrigins::new().with(CASES_TRUSTED_ORIGIN);
    for case in CASES {
        let service = layer.layer(service_fn(|_: Request<Body>| async {
            Ok::<_, Infallible>(Response::new(Body::empty()))
        }));
        let (parts, ()) = case.request().into_parts();
        let core = csrf::check(&parts.method, &parts.uri, &parts.headers, &trusted);
        let response = service
            .oneshot(Request::from_parts(parts, Body::empty()))
            .await
            .unwrap();
        let tower_allowed = match response.status() {
            StatusCode::OK => true,
            StatusCode::FORBIDDEN => false,
            other => panic!("{case:?}: unexpected status {other}"),
        };
        assert_eq!(tower_allowed, case.allowed, "tower-http: {case:?}");
        assert_eq!(core.is_ok(), case.allowed, "core: {case:?}: {core:?}");
        assert_eq!(core.is_ok(), tower_allowed, "drift: {case:?}");
    }
}
