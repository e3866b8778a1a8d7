//! Legacy social token and session APIs (`SocialApi`, `/api/v2/access_token…`).
//!
//! **Secrets travel in the query string.** These legacy endpoints only accept the API secret as
//! the query parameter `secret` (and the user's token as `access_token` or `token`), so this
//! client sends them there, as the service requires. They are never signed, even with request
//! signing on. The URLs of these requests therefore contain the secret and a token: keep them
//! out of proxies and logs you do not control. This client never logs URLs. For a signed-in
//! user's token, prefer the `/identity/v2/auth` token calls of
//! [`Auth`](crate::api::Auth), which send it in a header.

use crate::Secret;
use crate::models::{ActiveSessions, Posted, TokenResponse};
use crate::request::{Call, Credentials, Endpoint, endpoint, request_builder};

/// `secret` in the query, no API key: the request-token exchange.
const SECRET_ONLY: Credentials = Credentials::SecretInQuery {
    key: None,
    secret: "secret",
    token: false,
};
/// `access_token` and `secret` in the query, no API key: the provider-token refresh.
const TOKEN_AND_SECRET: Credentials = Credentials::SecretInQuery {
    key: None,
    secret: "secret",
    token: true,
};
/// `access_token`, `key` and `secret` in the query: validate and invalidate.
const TOKEN_KEY_AND_SECRET: Credentials = Credentials::SecretInQuery {
    key: Some("key"),
    secret: "secret",
    token: true,
};
/// `key` and `secret` in the query: the active-session lookups.
const KEY_AND_SECRET: Credentials = Credentials::SecretInQuery {
    key: Some("key"),
    secret: "secret",
    token: false,
};

endpoint!(
    EXCHANGE,
    "social.exchange_token",
    GET,
    "/api/v2/access_token",
    self::SECRET_ONLY
);
endpoint!(
    REFRESH,
    "social.refresh",
    GET,
    "/api/v2/access_token/refresh",
    self::TOKEN_AND_SECRET
);
endpoint!(
    VALIDATE,
    "social.validate",
    GET,
    "/api/v2/access_token/validate",
    self::TOKEN_KEY_AND_SECRET
);
endpoint!(
    INVALIDATE,
    "social.invalidate",
    GET,
    "/api/v2/access_token/invalidate",
    self::TOKEN_KEY_AND_SECRET
);
endpoint!(
    ACTIVE_SESSIONS,
    "social.active_sessions",
    GET,
    "/api/v2/access_token/activesession",
    self::KEY_AND_SECRET
);
endpoint!(
    ACTIVE_SESSIONS_OF_USER,
    "social.active_sessions_of_user",
    GET,
    "/api/v2/access_token/activesession",
    self::KEY_AND_SECRET
);
endpoint!(
    ACTIVE_SESSIONS_OF_PROFILE,
    "social.active_sessions_of_profile",
    GET,
    "/api/v2/access_token/activesession",
    self::KEY_AND_SECRET
);

group_handle! {
    /// Legacy social token and session APIs, from
    /// [`LoginRadius::social`](crate::LoginRadius::social). Every call sends the API secret in
    /// the query string (see the [module](self) docs).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, request_token: &str) -> Result<(), loginradius::Error> {
    /// let token = client.social().exchange_token(request_token).await?;
    /// let checked = client.social().validate(token.access_token.expose()).await?;
    /// let sessions = client.social().active_sessions(token.access_token.expose()).await?;
    /// client.social().invalidate(token.access_token.expose()).await?;
    /// # Ok(()) }
    /// ```
    Social
}

request_builder! {
    /// Tokens from a legacy token call (`{"access_token", "expires_in"}`, plus
    /// `refresh_token` on a refresh). From [`Social::exchange_token`] and
    /// [`Social::validate`].
    pub struct SocialToken -> TokenResponse;
}

request_builder! {
    /// Refreshes the social provider token behind an access token. From [`Social::refresh`].
    pub struct RefreshSocialToken -> TokenResponse;
    /// The lifetime wanted for the new token, in minutes.
    fn expires_in_minutes("expiresIn": u32);
    /// `true` for a web (rather than mobile) session.
    fn web("isWeb": bool);
}

request_builder! {
    /// Revokes an access token (`{"isPosted": true}`). From [`Social::invalidate`].
    pub struct InvalidateSocialToken -> Posted;
}

request_builder! {
    /// The active sessions of a user (`{"data": […], "nextcursor": …}`). From
    /// [`Social::active_sessions`], [`Social::active_sessions_of_user`] and
    /// [`Social::active_sessions_of_profile`].
    pub struct ListActiveSessions -> ActiveSessions;
}

impl Social<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Turns the request token of a social login redirect into an access token
    /// (`GET /api/v2/access_token?secret=&token=`). The service requires the API secret and
    /// the request token in the query; no API key is sent. Never signed.
    pub fn exchange_token(&self, request_token: impl Into<Secret>) -> SocialToken {
        let request_token = request_token.into();
        SocialToken::from_call(self.call(&EXCHANGE).query(
            "token",
            "request_token",
            request_token.expose(),
        ))
    }

    /// Refreshes the social provider token behind `access_token` (selected providers, enabled
    /// by LoginRadius support) (`GET /api/v2/access_token/refresh?access_token=&secret=`). The
    /// service requires the token and the API secret in the query; no API key is sent. Never
    /// signed.
    pub fn refresh(&self, access_token: impl Into<Secret>) -> RefreshSocialToken {
        RefreshSocialToken::from_call(self.call(&REFRESH).token(access_token))
    }

    /// Checks a social-login access token and reports its expiry
    /// (`GET /api/v2/access_token/validate?access_token=&key=&secret=`). The service requires
    /// the token and the API secret in the query. Never signed.
    pub fn validate(&self, access_token: impl Into<Secret>) -> SocialToken {
        SocialToken::from_call(self.call(&VALIDATE).token(access_token))
    }

    /// Revokes a social-login access token
    /// (`GET /api/v2/access_token/invalidate?access_token=&key=&secret=`). The service requires
    /// the token and the API secret in the query. Never signed.
    pub fn invalidate(&self, access_token: impl Into<Secret>) -> InvalidateSocialToken {
        InvalidateSocialToken::from_call(self.call(&INVALIDATE).token(access_token))
    }

    /// The active sessions of the user who owns `access_token`
    /// (`GET /api/v2/access_token/activesession?key=&secret=&token=`). The service requires the
    /// API secret and the token (as `token`) in the query. Never signed.
    pub fn active_sessions(&self, access_token: impl Into<Secret>) -> ListActiveSessions {
        let access_token = access_token.into();
        ListActiveSessions::from_call(self.call(&ACTIVE_SESSIONS).query(
            "token",
            "access_token",
            access_token.expose(),
        ))
    }

    /// The active sessions of the user `uid`
    /// (`GET /api/v2/access_token/activesession?key=&secret=&accountId=`). The service requires
    /// the API secret in the query. Never signed.
    pub fn active_sessions_of_user(&self, uid: &str) -> ListActiveSessions {
        ListActiveSessions::from_call(self.call(&ACTIVE_SESSIONS_OF_USER).query(
            "accountId",
            "uid",
            uid,
        ))
    }

    /// The active sessions of the user with the social provider id `profile_id`
    /// (`GET /api/v2/access_token/activesession?key=&secret=&profileId=`). The service requires
    /// the API secret in the query. Never signed.
    pub fn active_sessions_of_profile(&self, profile_id: &str) -> ListActiveSessions {
        ListActiveSessions::from_call(self.call(&ACTIVE_SESSIONS_OF_PROFILE).query(
            "profileId",
            "profile_id",
            profile_id,
        ))
    }
}
