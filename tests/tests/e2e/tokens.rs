//! Access tokens: validate, info, invalidate (logout), refresh with the single-use refresh token,
//! sliding expiry, and the error paths: unknown token 905, expired token 906, refresh token
//! refused 1217.

use std::time::Duration;

use loginradius_test_support::e2e::*;

const EMAIL: &str = "jane@example.com";

fn config() -> EmulatorConfig {
    EmulatorConfig::default().with_user(user(EMAIL))
}

#[tokio::test]
async fn validate_answers_the_token_and_its_expiry() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let validated = client
        .auth()
        .validate_token(token_of(&signed_in))
        .await
        .expect("valid");
    assert_eq!(validated.access_token, signed_in.access_token);
    assert_eq!(validated.expires_in, signed_in.expires_in);
    assert_eq!(validated.refresh_token, signed_in.refresh_token);
}

#[tokio::test]
async fn token_info_describes_an_active_token() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let info = client
        .auth()
        .token_info(token_of(&signed_in))
        .await
        .expect("info");
    assert_eq!(info.access_token, signed_in.access_token);
    assert_eq!(info.provider.as_deref(), Some("Email"));
}

#[tokio::test]
async fn an_unknown_token_is_refused_with_905() {
    let (_emulator, client) = emulator(config()).await;
    let e = expect_code(
        client
            .auth()
            .validate_token("d3b07384-d9a0-4c9b-8f1e-000000000000")
            .await,
        905,
    );
    assert!(e.is_invalid_token());
    expect_code(
        client
            .auth()
            .profile("d3b07384-d9a0-4c9b-8f1e-000000000000")
            .await,
        905,
    );
    expect_code(
        client
            .auth()
            .token_info("d3b07384-d9a0-4c9b-8f1e-000000000000")
            .await,
        905,
    );
}

#[tokio::test]
async fn invalidate_logs_the_token_out_and_leaves_other_sessions_alone() {
    let (_emulator, client) = emulator(config()).await;
    let first = login(&client, EMAIL).await;
    let second = login(&client, EMAIL).await;
    let done = client
        .auth()
        .invalidate_token(token_of(&first))
        .await
        .expect("invalidate");
    assert!(done.is_posted);
    expect_code(client.auth().validate_token(token_of(&first)).await, 905);
    expect_code(client.auth().profile(token_of(&first)).await, 905);
    client
        .auth()
        .validate_token(token_of(&second))
        .await
        .expect("the other session is still valid");
}

#[tokio::test]
async fn expired_token_is_refused_with_906() {
    let (emulator, client) = emulator(config().with_token_ttl(Duration::from_secs(60))).await;
    let signed_in = login(&client, EMAIL).await;
    let expires = signed_in.expires_in.expect("expires_in");
    let ttl = expires - time::OffsetDateTime::now_utc();
    assert!(
        ttl <= time::Duration::seconds(61) && ttl > time::Duration::seconds(30),
        "ttl {ttl}"
    );
    client
        .auth()
        .profile(token_of(&signed_in))
        .await
        .expect("valid before expiry");

    emulator.advance_clock(Duration::from_secs(61));
    let e = expect_code(
        client.auth().validate_token(token_of(&signed_in)).await,
        906,
    );
    assert!(e.is_expired_token());
    expect_code(client.auth().profile(token_of(&signed_in)).await, 906);
    expect_code(client.auth().token_info(token_of(&signed_in)).await, 906);

    // The refresh token outlives the access token.
    let refresh = signed_in.refresh_token.clone().expect("refresh token");
    let renewed = client
        .account()
        .refresh_access_token(refresh)
        .await
        .expect("refresh");
    client
        .auth()
        .profile(renewed.access_token)
        .await
        .expect("the new token works");
}

#[tokio::test]
async fn expired_token_with_the_default_ttl_after_fifteen_minutes() {
    let (emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    emulator.advance_clock(Duration::from_secs(14 * 60));
    client
        .auth()
        .validate_token(token_of(&signed_in))
        .await
        .expect("still valid after 14 minutes");
    emulator.advance_clock(Duration::from_secs(61));
    expect_code(
        client.auth().validate_token(token_of(&signed_in)).await,
        906,
    );
}

#[tokio::test]
async fn refresh_issues_new_tokens_and_the_refresh_token_is_single_use() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let refresh = signed_in.refresh_token.clone().expect("refresh token");

    let renewed = client
        .account()
        .refresh_access_token(refresh.clone())
        .await
        .expect("refresh");
    assert_ne!(renewed.access_token, signed_in.access_token);
    let next_refresh = renewed.refresh_token.clone().expect("a new refresh token");
    assert_ne!(next_refresh, refresh);
    let me = client
        .auth()
        .profile(renewed.access_token.clone())
        .await
        .expect("the new token works");
    assert_eq!(me.uid, uid_of(&signed_in));

    expect_code(client.account().refresh_access_token(refresh).await, 1217);
    client
        .account()
        .refresh_access_token(next_refresh)
        .await
        .expect("the new refresh token works");
    expect_code(
        client
            .account()
            .refresh_access_token("not-a-refresh-token")
            .await,
        1217,
    );
}

#[tokio::test]
async fn invalidate_with_prevent_refresh_also_kills_the_refresh_token() {
    let (_emulator, client) = emulator(config()).await;
    let kept = login(&client, EMAIL).await;
    client
        .auth()
        .invalidate_token(token_of(&kept))
        .await
        .expect("invalidate");
    client
        .account()
        .refresh_access_token(kept.refresh_token.clone().expect("refresh"))
        .await
        .expect("a plain logout keeps the refresh token usable");

    let killed = login(&client, EMAIL).await;
    client
        .auth()
        .invalidate_token(token_of(&killed))
        .prevent_refresh(true)
        .await
        .expect("invalidate");
    expect_code(
        client
            .account()
            .refresh_access_token(killed.refresh_token.clone().expect("refresh"))
            .await,
        1217,
    );
}

#[tokio::test]
async fn revoked_refresh_token_is_refused_with_1217() {
    let (_emulator, client) = emulator(config()).await;
    let signed_in = login(&client, EMAIL).await;
    let refresh = signed_in.refresh_token.clone().expect("refresh");
    let revoked = client
        .account()
        .revoke_refresh_token(refresh.clone())
        .await
        .expect("revoke");
    assert!(revoked.is_deleted);
    expect_code(client.account().refresh_access_token(refresh).await, 1217);
}

#[tokio::test]
async fn sliding_token_pushes_the_expiry_back() {
    let (emulator, client) = emulator(config().with_token_ttl(Duration::from_secs(60))).await;
    let signed_in = login(&client, EMAIL).await;
    emulator.advance_clock(Duration::from_secs(40));
    let extended = client
        .sliding_token()
        .extend(token_of(&signed_in))
        .await
        .expect("extend");
    assert!(
        extended.expires_in > signed_in.expires_in,
        "the expiry moved later"
    );
    emulator.advance_clock(Duration::from_secs(40));
    client
        .auth()
        .validate_token(token_of(&signed_in))
        .await
        .expect("valid 80 s after login");
}

#[tokio::test]
async fn server_made_token_for_a_uid_acts_as_that_user() {
    let (_emulator, client) = emulator(config()).await;
    let uid = uid_by_email(&client, EMAIL).await;
    let tokens = client
        .account()
        .access_token(&uid)
        .await
        .expect("impersonation token");
    let me = client
        .auth()
        .profile(tokens.access_token)
        .await
        .expect("the token works");
    assert_eq!(me.uid, uid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refresh_token_raced_by_concurrent_refreshes_is_used_once() {
    let (_emulator, client) = emulator(config()).await;
    let refresh = login(&client, EMAIL).await.refresh_token.expect("refresh");
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let (client, refresh) = (client.clone(), refresh.clone());
            tokio::spawn(async move { client.account().refresh_access_token(refresh).await })
        })
        .collect();
    let mut renewed = 0;
    for attempt in attempts {
        match attempt.await.expect("the task finishes") {
            Ok(_) => renewed += 1,
            Err(e) => assert_eq!(e.code(), Some(1217), "{e}"),
        }
    }
    assert_eq!(renewed, 1);
}
