//! Native social login (`NativeSocialApi`): trade a token or code a mobile or native app got
//! from a social provider (Facebook, Google, Apple, …) for a LoginRadius access token.
//!
//! These legacy `/api/v2/access_token/<provider>` endpoints take the API key as the query
//! parameter `key` (`apiKey` for the Google auth-code exchange) and the provider's token or code
//! in the query, as the service requires. No API secret is sent. The provider tokens are
//! passed as [`Secret`]s and never appear in `Debug` output or logs.

use crate::Secret;
use crate::models::TokenResponse;
use crate::request::{Call, Credentials, Endpoint, endpoint, request_builder};

endpoint!(
    FACEBOOK,
    "native_social.exchange_facebook_token",
    GET,
    "/api/v2/access_token/facebook",
    self::KEY
);
endpoint!(
    TWITTER,
    "native_social.exchange_twitter_token",
    GET,
    "/api/v2/access_token/twitter",
    self::KEY
);
endpoint!(
    GOOGLE,
    "native_social.exchange_google_token",
    GET,
    "/api/v2/access_token/google",
    self::KEY
);
endpoint!(
    GOOGLE_ID_TOKEN,
    "native_social.exchange_google_id_token",
    GET,
    "/api/v2/access_token/googlejwt",
    self::KEY
);
endpoint!(
    LINKEDIN,
    "native_social.exchange_linkedin_token",
    GET,
    "/api/v2/access_token/linkedin",
    self::KEY
);
endpoint!(
    FOURSQUARE,
    "native_social.exchange_foursquare_token",
    GET,
    "/api/v2/access_token/foursquare",
    self::KEY
);
endpoint!(
    APPLE,
    "native_social.exchange_apple_code",
    GET,
    "/api/v2/access_token/apple",
    self::KEY
);
endpoint!(
    WECHAT,
    "native_social.exchange_wechat_code",
    GET,
    "/api/v2/access_token/wechat",
    self::KEY
);
endpoint!(
    GOOGLE_AUTH_CODE,
    "native_social.exchange_google_auth_code",
    GET,
    "/api/v2/access_token/google",
    ApiKey
);
endpoint!(
    CUSTOM_JWT,
    "native_social.exchange_custom_jwt",
    GET,
    "/api/v2/access_token/jwt",
    self::KEY
);

/// The API key as `key`, the spelling of the legacy social endpoints.
const KEY: Credentials = Credentials::ApiKey("key");

group_handle! {
    /// Native social login, from
    /// [`LoginRadius::native_social`](crate::LoginRadius::native_social).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, fb_token: &str, id_token: &str) -> Result<(), loginradius::Error> {
    /// let login = client.native_social().exchange_facebook_token(fb_token).social_app_name("main-app").await?;
    /// let login = client.native_social().exchange_custom_jwt("my-idp", id_token).await?;
    /// println!("expires at {:?}", login.expires_in);
    /// # Ok(()) }
    /// ```
    NativeSocial
}

request_builder! {
    /// A provider token exchange answered with a LoginRadius token
    /// (`{"access_token", "expires_in", …}`). From the `exchange_*` methods of
    /// [`NativeSocial`] that take no options.
    pub struct NativeSocialLogin -> TokenResponse;
}

request_builder! {
    /// A provider token exchange for sites with several apps of one provider. From
    /// [`NativeSocial::exchange_facebook_token`], [`NativeSocial::exchange_twitter_token`],
    /// [`NativeSocial::exchange_linkedin_token`], [`NativeSocial::exchange_apple_code`] and
    /// [`NativeSocial::exchange_google_auth_code`].
    pub struct NativeSocialAppLogin -> TokenResponse;
    /// The provider app configured in LoginRadius, when the site has several.
    fn social_app_name("socialAppName": String);
}

request_builder! {
    /// A Google access token exchange. From [`NativeSocial::exchange_google_token`].
    pub struct NativeGoogleLogin -> TokenResponse;
    /// The Google OAuth client id the token was issued to.
    fn client_id("client_id": String);
    /// The Google refresh token, to let LoginRadius refresh the provider token. It travels in
    /// the query, as the service requires.
    fn refresh_token("refresh_token": String);
    /// The provider app configured in LoginRadius, when the site has several.
    fn social_app_name("socialAppName": String);
}

impl NativeSocial<'_> {
    fn exchange(
        &self,
        endpoint: &'static Endpoint,
        name: &'static str,
        field: &'static str,
        value: Secret,
    ) -> Call {
        Call::new(self.client, endpoint).query(name, field, value.expose())
    }

    /// Trades a Facebook access token (`GET /api/v2/access_token/facebook?fb_Access_Token=`).
    pub fn exchange_facebook_token(
        &self,
        fb_access_token: impl Into<Secret>,
    ) -> NativeSocialAppLogin {
        NativeSocialAppLogin::from_call(self.exchange(
            &FACEBOOK,
            "fb_Access_Token",
            "fb_access_token",
            fb_access_token.into(),
        ))
    }

    /// Trades a Twitter token and token secret
    /// (`GET /api/v2/access_token/twitter?tw_Access_Token=&tw_Token_Secret=`).
    pub fn exchange_twitter_token(
        &self,
        access_token: impl Into<Secret>,
        token_secret: impl Into<Secret>,
    ) -> NativeSocialAppLogin {
        let token_secret = token_secret.into();
        let call = self
            .exchange(
                &TWITTER,
                "tw_Access_Token",
                "tw_access_token",
                access_token.into(),
            )
            .query("tw_Token_Secret", "tw_token_secret", token_secret.expose());
        NativeSocialAppLogin::from_call(call)
    }

    /// Trades a Google access token (`GET /api/v2/access_token/google?google_Access_Token=`).
    pub fn exchange_google_token(
        &self,
        google_access_token: impl Into<Secret>,
    ) -> NativeGoogleLogin {
        NativeGoogleLogin::from_call(self.exchange(
            &GOOGLE,
            "google_Access_Token",
            "google_access_token",
            google_access_token.into(),
        ))
    }

    /// Trades a Google ID token (a JWT, from native mobile sign-in)
    /// (`GET /api/v2/access_token/googlejwt?id_Token=`).
    pub fn exchange_google_id_token(&self, id_token: impl Into<Secret>) -> NativeSocialLogin {
        NativeSocialLogin::from_call(self.exchange(
            &GOOGLE_ID_TOKEN,
            "id_Token",
            "id_token",
            id_token.into(),
        ))
    }

    /// Trades a LinkedIn access token (`GET /api/v2/access_token/linkedin?ln_Access_Token=`).
    pub fn exchange_linkedin_token(
        &self,
        ln_access_token: impl Into<Secret>,
    ) -> NativeSocialAppLogin {
        NativeSocialAppLogin::from_call(self.exchange(
            &LINKEDIN,
            "ln_Access_Token",
            "ln_access_token",
            ln_access_token.into(),
        ))
    }

    /// Trades a Foursquare access token (`GET /api/v2/access_token/foursquare?fs_Access_Token=`).
    pub fn exchange_foursquare_token(
        &self,
        fs_access_token: impl Into<Secret>,
    ) -> NativeSocialLogin {
        NativeSocialLogin::from_call(self.exchange(
            &FOURSQUARE,
            "fs_Access_Token",
            "fs_access_token",
            fs_access_token.into(),
        ))
    }

    /// Trades an Apple ID authorization code (`GET /api/v2/access_token/apple?code=`).
    pub fn exchange_apple_code(&self, code: impl Into<Secret>) -> NativeSocialAppLogin {
        NativeSocialAppLogin::from_call(self.exchange(&APPLE, "code", "code", code.into()))
    }

    /// Trades a WeChat OAuth code (`GET /api/v2/access_token/wechat?code=`).
    pub fn exchange_wechat_code(&self, code: impl Into<Secret>) -> NativeSocialLogin {
        NativeSocialLogin::from_call(self.exchange(&WECHAT, "code", "code", code.into()))
    }

    /// Trades a Google authorization code (`GET /api/v2/access_token/google?google_authcode=`).
    /// Unlike the other exchanges, this endpoint takes the API key as `apiKey`.
    pub fn exchange_google_auth_code(&self, auth_code: impl Into<Secret>) -> NativeSocialAppLogin {
        NativeSocialAppLogin::from_call(self.exchange(
            &GOOGLE_AUTH_CODE,
            "google_authcode",
            "google_authcode",
            auth_code.into(),
        ))
    }

    /// Trades a JWT from the custom identity provider `provider`, as named in the LoginRadius
    /// dashboard (`GET /api/v2/access_token/jwt?id_Token=&providername=`).
    pub fn exchange_custom_jwt(
        &self,
        provider: &str,
        id_token: impl Into<Secret>,
    ) -> NativeSocialLogin {
        let call = self
            .exchange(&CUSTOM_JWT, "id_Token", "id_token", id_token.into())
            .query("providername", "provider", provider);
        NativeSocialLogin::from_call(call)
    }
}
