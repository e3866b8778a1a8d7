//! NativeSocialApi.

use super::Case;
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "NativeSocialApi",
            "get_access_token_by_facebook_access_token",
            "client.native_social().exchange_facebook_token(fb_access_token)",
            |c| c
                .native_social()
                .exchange_facebook_token("fb-token")
                .social_app_name("main-app")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_twitter_access_token",
            "client.native_social().exchange_twitter_token(access_token, token_secret)",
            |c| c
                .native_social()
                .exchange_twitter_token("tw-token", "tw-secret")
                .social_app_name("main-app")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_google_access_token",
            "client.native_social().exchange_google_token(google_access_token)",
            |c| c
                .native_social()
                .exchange_google_token("google-token")
                .client_id("client-1.apps.googleusercontent.com")
                .refresh_token("google-refresh")
                .social_app_name("main-app")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_google_j_w_t_access_token",
            "client.native_social().exchange_google_id_token(id_token)",
            |c| c
                .native_social()
                .exchange_google_id_token("eyJhbGciOi.e30.sig")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_linkedin_access_token",
            "client.native_social().exchange_linkedin_token(ln_access_token)",
            |c| c
                .native_social()
                .exchange_linkedin_token("ln-token")
                .social_app_name("main-app")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_foursquare_access_token",
            "client.native_social().exchange_foursquare_token(fs_access_token)",
            |c| c.native_social().exchange_foursquare_token("fs-token")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_apple_id_code",
            "client.native_social().exchange_apple_code(code)",
            |c| c
                .native_social()
                .exchange_apple_code("apple-code")
                .social_app_name("main-app")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_we_chat_code",
            "client.native_social().exchange_wechat_code(code)",
            |c| c.native_social().exchange_wechat_code("wechat-code")
        ),
        case!(
            "NativeSocialApi",
            "get_access_token_by_google_auth_code",
            "client.native_social().exchange_google_auth_code(auth_code)",
            |c| c
                .native_social()
                .exchange_google_auth_code("google-auth-code")
                .social_app_name("main-app")
        ),
        case!(
            "NativeSocialApi",
            "access_token_via_custom_j_w_t_token",
            "client.native_social().exchange_custom_jwt(provider, id_token)",
            |c| c
                .native_social()
                .exchange_custom_jwt("my-idp", "eyJhbGciOi.e30.sig")
        ),
    ]
}
