//! NativeSocialApi through a recording transport: the API key as `key` (or `apiKey` for the
//! Google auth code), provider tokens in the query, no secret, no signature.

use crate::support::{
    API_KEY, API_SECRET, assert_refused_before_sending, client, client_with_signing, public_client,
};
use loginradius::transport::RecordingTransport;
use serde_json::json;

const BASE: &str = "https://api.loginradius.com/api/v2/access_token";

#[tokio::test]
async fn every_exchange_sends_its_exact_url() {
    for signing in [false, true] {
        let transport = RecordingTransport::new();
        let c = client_with_signing(&transport, signing);
        let n = c.native_social();
        let _ = n
            .exchange_facebook_token("fb+token")
            .social_app_name("main")
            .await;
        let _ = n.exchange_twitter_token("tw-token", "tw-secret").await;
        let _ = n
            .exchange_google_token("g-token")
            .client_id("cid")
            .refresh_token("g-refresh")
            .social_app_name("main")
            .await;
        let _ = n.exchange_google_id_token("a.b.c").await;
        let _ = n.exchange_linkedin_token("ln-token").await;
        let _ = n.exchange_foursquare_token("fs-token").await;
        let _ = n
            .exchange_apple_code("apple-code")
            .social_app_name("ios")
            .await;
        let _ = n.exchange_wechat_code("wx-code").await;
        let _ = n.exchange_google_auth_code("g-code").await;
        let _ = n.exchange_custom_jwt("my idp", "x.y.z").await;
        let expected = [
            format!("{BASE}/facebook?key={API_KEY}&fb_Access_Token=fb%2Btoken&socialAppName=main"),
            format!(
                "{BASE}/twitter?key={API_KEY}&tw_Access_Token=tw-token&tw_Token_Secret=tw-secret"
            ),
            format!(
                "{BASE}/google?key={API_KEY}&google_Access_Token=g-token&client_id=cid&refresh_token=g-refresh&socialAppName=main"
            ),
            format!("{BASE}/googlejwt?key={API_KEY}&id_Token=a.b.c"),
            format!("{BASE}/linkedin?key={API_KEY}&ln_Access_Token=ln-token"),
            format!("{BASE}/foursquare?key={API_KEY}&fs_Access_Token=fs-token"),
            format!("{BASE}/apple?key={API_KEY}&code=apple-code&socialAppName=ios"),
            format!("{BASE}/wechat?key={API_KEY}&code=wx-code"),
            format!("{BASE}/google?apiKey={API_KEY}&google_authcode=g-code"),
            format!("{BASE}/jwt?key={API_KEY}&id_Token=x.y.z&providername=my%20idp"),
        ];
        let sent = transport.requests();
        assert_eq!(sent.len(), expected.len());
        for (r, url) in sent.iter().zip(expected) {
            assert_eq!(r.method, http::Method::GET);
            assert_eq!(r.url, url, "signing={signing}");
            assert!(r.body.is_empty());
            for header in [
                "authorization",
                "digest",
                "x-request-expires",
                "x-loginradius-apisecret",
            ] {
                assert!(r.header(header).is_none(), "{header} on {url}");
            }
            assert!(!r.url.contains(API_SECRET));
        }
    }
}

#[tokio::test]
async fn blank_tokens_never_reach_the_transport() {
    let transport = RecordingTransport::new();
    let c = client(&transport);
    let n = c.native_social();
    assert_refused_before_sending(
        [
            n.exchange_facebook_token("").await,
            n.exchange_twitter_token("t", "").await,
            n.exchange_google_token(" ").await,
            n.exchange_google_id_token("").await,
            n.exchange_linkedin_token("").await,
            n.exchange_foursquare_token("").await,
            n.exchange_apple_code("").await,
            n.exchange_wechat_code("").await,
            n.exchange_google_auth_code("").await,
            n.exchange_custom_jwt("", "x.y.z").await,
            n.exchange_custom_jwt("idp", "").await,
        ],
        &transport,
    );
}

#[tokio::test]
async fn works_without_an_api_secret_and_decodes_the_token() {
    let transport = RecordingTransport::new();
    let c = public_client(&transport);
    transport.reply_json(200, json!({"access_token": "lr-token", "expires_in": "2030-01-01T00:00:00Z", "refresh_token": "lr-refresh"}));
    let token = c
        .native_social()
        .exchange_facebook_token("fb")
        .await
        .unwrap();
    assert_eq!(token.access_token.expose(), "lr-token");
    assert_eq!(
        token.refresh_token.as_ref().map(|t| t.expose()),
        Some("lr-refresh")
    );
    assert!(!format!("{token:?}").contains("lr-token"));
    transport.reply_json(400, json!({"ErrorCode": 1001, "Message": "provider error", "Description": "x", "IsProviderError": true}));
    assert_eq!(
        c.native_social()
            .exchange_wechat_code("c")
            .await
            .unwrap_err()
            .code(),
        Some(1001)
    );
}
