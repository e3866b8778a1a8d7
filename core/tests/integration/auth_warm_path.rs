//! The warm path without `await` (`authenticate_cached`, `authorize_cached`): what it decides on
//! its own, and that it leaves everything else to the async path, with no upstream call.

use crate::auth_support::*;
use loginradius::auth::{CachedLookup, RejectionKind, Require};

/// What the warm path said, for assertions: the user's uid, the rejection's code, or `pending`.
fn said(lookup: &CachedLookup) -> String {
    match lookup {
        CachedLookup::Decided(Ok(user)) => format!("user {}", user.uid),
        CachedLookup::Decided(Err(rejection)) => rejection.code().to_owned(),
        CachedLookup::Pending(_) => "pending".to_owned(),
    }
}

#[tokio::test]
async fn requests_without_a_usable_token_are_decided_at_once_without_a_call() {
    let upstream = Upstream::new();
    upstream.user(&["admin"]);
    let auth = authenticator(&upstream);
    assert_eq!(
        said(&auth.authenticate_cached(&http::HeaderMap::new())),
        "missing_token"
    );
    assert_eq!(
        said(&auth.authenticate_cached(&bearer("a=b"))),
        "invalid_token"
    );
    let mut basic = http::HeaderMap::new();
    basic.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_static("Basic dXNlcjpwYXNz"),
    );
    assert_eq!(said(&auth.authenticate_cached(&basic)), "missing_token");
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn a_new_token_is_left_to_the_async_path_then_decided_from_the_cache() {
    let upstream = Upstream::new();
    upstream.user(&["admin"]);
    let auth = authenticator(&upstream);
    let headers = bearer("tok-1");

    let CachedLookup::Pending(pending) = auth.authenticate_cached(&headers) else {
        panic!("a new token cannot be decided from the caches");
    };
    assert_eq!(upstream.total(), 0, "the warm path makes no call");
    // Its `Debug` shows no token.
    assert!(!format!("{pending:?}").contains("tok-1"));
    let user = auth
        .authenticate_pending(pending, None, &auth.budget())
        .await
        .unwrap();
    assert_eq!(user.uid, UID);
    assert_eq!((upstream.count(VALIDATE), upstream.count(PROFILE)), (1, 1));

    // Now decided from the cache, with the token the request carried.
    let CachedLookup::Decided(Ok(cached)) = auth.authenticate_cached(&headers) else {
        panic!("a cached token is decided at once");
    };
    assert_eq!(cached.uid, UID);
    assert_eq!(cached.token.expose(), "tok-1");
    // Another token is not.
    assert_eq!(said(&auth.authenticate_cached(&bearer("tok-2"))), "pending");
    assert_eq!(upstream.total(), 2);

    // Forgotten here: left to the async path again.
    auth.forget(&token("tok-1")).await;
    assert_eq!(said(&auth.authenticate_cached(&headers)), "pending");
    assert_eq!(upstream.total(), 2);
}

#[tokio::test]
async fn roles_are_decided_at_once_only_from_the_role_data_the_user_was_decided_against() {
    let upstream = Upstream::new();
    upstream.user(&["editor"]);
    let auth = authenticator(&upstream);
    let user = auth.authenticate(&token("tok-1")).await.unwrap();
    let editor = Require::role("editor");
    let admin = Require::role("admin");

    // No role data read yet: left to the async path.
    assert!(auth.authorize_cached(&user, &editor).is_none());
    // Nothing to read for "any signed-in user": decided at once.
    assert_eq!(
        auth.authorize_cached(&user, &Require::authenticated()),
        Some(Ok(()))
    );
    let calls = upstream.total();
    auth.authorize(&user, &editor).await.unwrap();
    assert_eq!(upstream.count(&roles_path(UID)), 1);

    // Remembered with the user: decided at once, both ways, as the async path decides.
    assert_eq!(auth.authorize_cached(&user, &editor), Some(Ok(())));
    let refused = auth.authorize_cached(&user, &admin).unwrap().unwrap_err();
    assert_eq!(refused.kind(), RejectionKind::Forbidden);
    assert_eq!(
        auth.authorize(&user, &admin).await.unwrap_err().kind(),
        RejectionKind::Forbidden
    );
    // A requirement that needs other role data (permissions) is left to the async path.
    assert!(
        auth.authorize_cached(&user, &Require::permission("publish"))
            .is_none()
    );
    assert_eq!(upstream.total(), calls + 1);

    // The same user from the cache shares the remembered role data.
    let CachedLookup::Decided(Ok(again)) = auth.authenticate_cached(&bearer("tok-1")) else {
        panic!("cached");
    };
    assert_eq!(auth.authorize_cached(&again, &editor), Some(Ok(())));
}

#[tokio::test]
async fn the_guards_one_step_decides_the_user_and_the_requirement_as_the_two_steps_do() {
    let upstream = Upstream::new();
    upstream.user(&["editor"]);
    let auth = authenticator(&upstream);
    let headers = bearer("tok-1");
    let editor = Require::role("editor");

    // A new token: nothing decided, no call.
    let decision = auth.decide_cached(&headers, &editor);
    assert_eq!(said(&decision.lookup), "pending");
    assert_eq!(decision.verdict, None);
    assert_eq!(upstream.total(), 0);

    // Cached user, role data not read yet: the user is decided, the requirement is not.
    let user = auth.authenticate_headers(&headers).await.unwrap();
    let decision = auth.decide_cached(&headers, &editor);
    assert_eq!(said(&decision.lookup), format!("user {UID}"));
    assert_eq!(decision.verdict, None);

    // Role data remembered: both decided, either way.
    auth.authorize(&user, &editor).await.unwrap();
    let calls = upstream.total();
    assert_eq!(auth.decide_cached(&headers, &editor).verdict, Some(Ok(())));
    let refused = auth
        .decide_cached(&headers, &Require::role("admin"))
        .verdict
        .unwrap()
        .unwrap_err();
    assert_eq!(refused.kind(), RejectionKind::Forbidden);
    assert_eq!(upstream.total(), calls);

    // No token: the lookup is the refusal; there is no verdict.
    let decision = auth.decide_cached(&http::HeaderMap::new(), &editor);
    assert_eq!(said(&decision.lookup), "missing_token");
    assert_eq!(decision.verdict, None);
}
