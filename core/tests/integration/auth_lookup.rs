//! Token → user lookups: caching, TTL bounds, coalescing, failures, logout.

use std::time::Duration;

use crate::auth_support::*;
use loginradius::auth::{Authenticator, RejectionKind};
use loginradius::transport::RecordingTransport;
use loginradius::{LoginRadius, RetryPolicy};
use serde_json::json;
use time::OffsetDateTime;

#[tokio::test]
async fn a_cache_hit_makes_no_request() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream).build().unwrap();

    let user = auth.authenticate(&token("tok-1")).await.unwrap();
    assert_eq!(user.uid, "u-1");
    assert_eq!(user.token.expose(), "tok-1");
    assert_eq!(
        user.custom_field::<String>("plan").unwrap().as_deref(),
        Some("pro")
    );
    assert!(user.expires_at.is_some());
    assert_eq!((upstream.count(VALIDATE), upstream.count(PROFILE)), (1, 1));

    for _ in 0..10 {
        let again = auth.authenticate(&token("tok-1")).await.unwrap();
        assert_eq!(again.uid, "u-1");
    }
    assert_eq!(upstream.total(), 2, "{:?}", upstream.calls());
}

#[tokio::test]
async fn works_with_the_recording_transport_and_sends_the_token_as_bearer() {
    let transport = RecordingTransport::new();
    transport.reply_json(200, validated(in_an_hour()));
    transport.reply_json(200, json!({"Uid": "u-9"}));
    let client = LoginRadius::builder()
        .api_key("k")
        .api_secret("s")
        .retry(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let auth = Authenticator::builder(client).build().unwrap();
    assert_eq!(
        auth.authenticate(&token("abc.def")).await.unwrap().uid,
        "u-9"
    );
    assert_eq!(
        auth.authenticate(&token("abc.def")).await.unwrap().uid,
        "u-9"
    );
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path(), VALIDATE);
    assert_eq!(requests[1].path(), PROFILE);
    for r in &requests {
        assert_eq!(r.header("authorization"), Some("Bearer abc.def"));
    }
}

#[tokio::test]
async fn an_entry_does_not_outlive_the_token() {
    let upstream = Upstream::new();
    // The token has 700 ms left; the configured maximum is 5 minutes.
    upstream.user_until(
        "u-1",
        OffsetDateTime::now_utc() + time::Duration::milliseconds(700),
    );
    let auth = builder(&upstream).build().unwrap();
    auth.authenticate(&token("short")).await.unwrap();
    auth.authenticate(&token("short")).await.unwrap();
    assert_eq!(upstream.count(PROFILE), 1);

    tokio::time::sleep(Duration::from_millis(900)).await;
    upstream.always(VALIDATE, lr_error(403, 906, "Access token has expired"));
    let rejection = auth.authenticate(&token("short")).await.unwrap_err();
    assert_eq!(rejection.kind(), RejectionKind::ExpiredToken);
    assert_eq!(
        upstream.count(VALIDATE),
        2,
        "the expired entry was not served from the cache"
    );
}

#[tokio::test]
async fn an_entry_does_not_outlive_the_configured_maximum() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream)
        .max_token_ttl(Duration::from_millis(300))
        .build()
        .unwrap();
    auth.authenticate(&token("t")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    auth.authenticate(&token("t")).await.unwrap();
    assert_eq!(upstream.count(PROFILE), 2);
}

#[tokio::test]
async fn reads_never_extend_an_entry() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream)
        .max_token_ttl(Duration::from_millis(500))
        .build()
        .unwrap();
    auth.authenticate(&token("t")).await.unwrap();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        auth.authenticate(&token("t")).await.unwrap();
    }
    // 600 ms after the first lookup, read every 150 ms: it still expired at 500 ms.
    assert_eq!(upstream.count(PROFILE), 2);
}

#[tokio::test]
async fn a_token_already_expired_is_rejected_and_not_cached() {
    let upstream = Upstream::new();
    upstream.user_until(
        "u-1",
        OffsetDateTime::now_utc() - time::Duration::seconds(5),
    );
    let auth = builder(&upstream).build().unwrap();
    for _ in 0..2 {
        let r = auth.authenticate(&token("old")).await.unwrap_err();
        assert_eq!(r.kind(), RejectionKind::ExpiredToken);
    }
    // Not cached as a user; remembered as refused, so the second answer cost nothing.
    assert_eq!(upstream.count(PROFILE), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_simultaneous_misses_make_one_upstream_lookup() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.set_delay(Duration::from_millis(200));
    let auth = builder(&upstream).build().unwrap();

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(1000));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let auth = auth.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                auth.authenticate(&token("cold-token")).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().uid, "u-1");
    }
    assert_eq!(upstream.count(VALIDATE), 1);
    assert_eq!(upstream.count(PROFILE), 1);
}

#[tokio::test]
async fn failures_are_never_cached() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.once(PROFILE, Reply::Raw(500, vec![], "oops"));
    let auth = builder(&upstream).build().unwrap();

    let r = auth.authenticate(&token("t")).await.unwrap_err();
    assert_eq!(r.kind(), RejectionKind::Unavailable);
    // The next call goes upstream again and succeeds.
    assert_eq!(auth.authenticate(&token("t")).await.unwrap().uid, "u-1");
    assert_eq!(upstream.count(PROFILE), 2);
}

#[tokio::test]
async fn an_invalid_token_costs_one_call_and_is_remembered_briefly_by_digest() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, lr_error(403, 905, "Access token is invalid"));
    upstream.always(PROFILE, lr_error(403, 905, "Access token is invalid"));
    let auth = builder(&upstream)
        .invalid_token_memory(Duration::from_millis(200))
        .build()
        .unwrap();
    for _ in 0..3 {
        let r = auth.authenticate(&token("bad")).await.unwrap_err();
        assert_eq!(r.kind(), RejectionKind::InvalidToken);
    }
    // One call: the validation; the profile is not asked for a token LoginRadius refused.
    assert_eq!((upstream.count(VALIDATE), upstream.count(PROFILE)), (1, 0));
    // Another made-up token is one more call; after the memory, the first is asked again.
    auth.authenticate(&token("bad-2")).await.unwrap_err();
    assert_eq!(upstream.count(VALIDATE), 2);
    tokio::time::sleep(Duration::from_millis(250)).await;
    auth.authenticate(&token("bad")).await.unwrap_err();
    assert_eq!(upstream.count(VALIDATE), 3);
}

#[tokio::test]
async fn a_certain_401_wins_over_an_outage_of_the_other_call() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, lr_error(403, 906, "Access token has expired"));
    upstream.always(PROFILE, Reply::Raw(503, vec![], ""));
    let auth = builder(&upstream).build().unwrap();
    let r = auth.authenticate(&token("t")).await.unwrap_err();
    assert_eq!(r.kind(), RejectionKind::ExpiredToken);
}

#[tokio::test]
async fn malformed_tokens_are_refused_without_a_request() {
    let upstream = Upstream::new();
    let auth = builder(&upstream).build().unwrap();
    for bad in ["", "two words", "quote\"d", &"a".repeat(5000)] {
        let r = auth.authenticate(&token(bad)).await.unwrap_err();
        assert_eq!(r.kind(), RejectionKind::InvalidToken);
    }
    assert_eq!(upstream.total(), 0);
}

#[tokio::test]
async fn logout_evicts_at_once_and_invalidates_upstream() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.always(INVALIDATE, Reply::Json(200, json!({"IsPosted": true})));
    let auth = builder(&upstream).build().unwrap();
    auth.authenticate(&token("t")).await.unwrap();
    auth.authenticate(&token("other")).await.unwrap();

    auth.logout(&token("t")).await.unwrap();
    assert_eq!(upstream.count(INVALIDATE), 1);

    upstream.always(VALIDATE, lr_error(403, 905, "Access token is invalid"));
    let r = auth.authenticate(&token("t")).await.unwrap_err();
    assert_eq!(r.kind(), RejectionKind::InvalidToken);
    // Other tokens stay cached.
    let before = upstream.total();
    auth.authenticate(&token("other")).await.unwrap();
    assert_eq!(upstream.total(), before);
}

#[tokio::test]
async fn logout_evicts_even_when_the_upstream_invalidation_fails() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    upstream.always(INVALIDATE, Reply::Raw(502, vec![], "bad gateway"));
    let auth = builder(&upstream).build().unwrap();
    auth.authenticate(&token("t")).await.unwrap();
    assert!(auth.logout(&token("t")).await.is_err());
    auth.authenticate(&token("t")).await.unwrap();
    assert_eq!(upstream.count(PROFILE), 2);
}

#[tokio::test]
async fn forget_evicts_without_an_upstream_call() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream).build().unwrap();
    auth.authenticate(&token("t")).await.unwrap();
    auth.forget(&token("t")).await;
    auth.authenticate(&token("t")).await.unwrap();
    assert_eq!(upstream.count(PROFILE), 2);
    assert_eq!(upstream.count(INVALIDATE), 0);
}

#[tokio::test]
async fn without_validation_only_the_profile_is_read() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream).validate_tokens(false).build().unwrap();
    let user = auth.authenticate(&token("t")).await.unwrap();
    assert_eq!(user.expires_at, None);
    assert_eq!((upstream.count(VALIDATE), upstream.count(PROFILE)), (0, 1));
}

#[tokio::test]
async fn a_profile_without_uid_is_never_a_user() {
    let upstream = Upstream::new();
    upstream.always(VALIDATE, Reply::Json(200, validated(in_an_hour())));
    upstream.always(PROFILE, Reply::Json(200, json!({})));
    let auth = builder(&upstream).build().unwrap();
    let r = auth.authenticate(&token("t")).await.unwrap_err();
    assert_eq!(r.kind(), RejectionKind::Unavailable);
}

#[tokio::test]
async fn the_token_never_appears_in_debug_output() {
    let upstream = Upstream::new();
    upstream.user_until("u-1", in_an_hour());
    let auth = builder(&upstream).build().unwrap();
    let user = auth
        .authenticate(&token("very-secret-token"))
        .await
        .unwrap();
    assert!(!format!("{user:?}").contains("very-secret-token"));
    assert!(!format!("{auth:?}").contains("very-secret-token"));
}
