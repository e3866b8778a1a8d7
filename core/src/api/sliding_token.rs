//! Sliding tokens (`SlidingTokenApi`): extend an access token's lifetime. The feature is
//! enabled per site by LoginRadius support.

use crate::Secret;
use crate::models::TokenResponse;
use crate::request::{Call, endpoint, request_builder};

endpoint!(
    EXTEND,
    "sliding_token.extend",
    GET,
    "/identity/v2/auth/access_token/sliding_token",
    Bearer
);

group_handle! {
    /// Sliding access tokens, from
    /// [`LoginRadius::sliding_token`](crate::LoginRadius::sliding_token).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, token: String) -> Result<(), loginradius::Error> {
    /// let renewed = client.sliding_token().extend(token).await?;
    /// println!("now expires at {:?}", renewed.expires_in);
    /// # Ok(()) }
    /// ```
    SlidingToken
}

request_builder! {
    /// Extends an access token's lifetime. From [`SlidingToken::extend`].
    pub struct ExtendToken -> TokenResponse;
}

impl SlidingToken<'_> {
    /// Slides the access token's expiry forward and answers with the renewed token data
    /// (`GET /identity/v2/auth/access_token/sliding_token`).
    pub fn extend(&self, access_token: impl Into<Secret>) -> ExtendToken {
        ExtendToken::from_call(Call::new(self.client, &EXTEND).token(access_token))
    }
}
