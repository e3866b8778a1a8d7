//! The warm-cache path of the auth engine: token extraction and cached lookup
//! (`authenticate_headers`), the decision against cached role data (`authorize` for a role and
//! for a permission), and both together (`decide`). Every upstream answer is scripted once and
//! consumed while warming; the measured loops never leave the process.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue};
use loginradius::auth::{Authenticator, Require};
use loginradius::transport::RecordingTransport;
use loginradius::{LoginRadius, RetryPolicy};
use tokio::runtime::Runtime;

const TOKEN: &str = "bench-token-0123456789abcdef";

fn headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_static("Bearer bench-token-0123456789abcdef"),
    );
    headers
}

/// An authenticator whose caches hold the token's user, the user's roles and the role
/// definitions.
fn warm(rt: &Runtime) -> Authenticator {
    let transport = RecordingTransport::new();
    transport.reply_json(
        200,
        serde_json::json!({"access_token": TOKEN, "expires_in": "2999-01-01T00:00:00Z"}),
    );
    transport.reply_json(200, serde_json::json!({"Uid": "u-1"}));
    transport.reply_json(200, serde_json::json!({"Roles": ["viewer", "admin"]}));
    transport.reply_json(
        200,
        serde_json::json!({"data": [
            {"Name": "viewer", "Permissions": {"read": true}},
            {"Name": "admin", "Permissions": {"read": true, "write": true}}
        ], "Count": 2}),
    );
    let client = LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let auth = Authenticator::builder(client)
        .max_token_ttl(Duration::from_secs(3600))
        .roles_ttl(Duration::from_secs(3600))
        .build()
        .unwrap();
    rt.block_on(async {
        let user = auth.authenticate_headers(&headers()).await.unwrap();
        auth.authorize(&user, &Require::role("admin"))
            .await
            .unwrap();
        auth.authorize(&user, &Require::permission("write"))
            .await
            .unwrap();
    });
    assert_eq!(transport.len(), 4, "warming made every upstream call");
    auth
}

fn authenticator(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let auth = warm(&rt);
    let headers = headers();
    let user = rt.block_on(auth.authenticate_headers(&headers)).unwrap();
    let role = Require::role("admin");
    let permission = Require::permission("write");

    let mut group = c.benchmark_group("authenticator_warm");
    group.bench_function("authenticate_headers", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(auth.authenticate_headers(&headers).await.unwrap()) })
    });
    group.bench_function("authorize_role", |b| {
        b.to_async(&rt)
            .iter(|| async { auth.authorize(&user, &role).await.unwrap() })
    });
    group.bench_function("authorize_permission", |b| {
        b.to_async(&rt)
            .iter(|| async { auth.authorize(&user, &permission).await.unwrap() })
    });
    group.bench_function("authenticate_then_authorize_role", |b| {
        b.to_async(&rt).iter(|| async {
            let user = auth.authenticate_headers(&headers).await.unwrap();
            auth.authorize(&user, &role).await.unwrap();
            black_box(user)
        })
    });
    group.bench_function("decide_role", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(auth.decide(&headers, &role).await.is_allowed()) })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = authenticator
}
criterion_main!(benches);
