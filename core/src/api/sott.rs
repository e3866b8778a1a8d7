//! Server-side SOTT generation (`SottApi`). Needs the API secret.
//!
//! A SOTT can also be made locally, without a request, with
//! [`LoginRadius::local_sott`](crate::LoginRadius::local_sott).

use http::Method;

use crate::models::GeneratedSott;
use crate::request::{Call, Credentials, Endpoint, request_builder};

/// The reference SDK signs this GET without the `:{}` suffix every other signed GET carries.
pub(crate) static GENERATE: Endpoint = Endpoint::new(
    "sott.generate",
    Method::GET,
    "/identity/v2/manage/account/sott",
    Credentials::Manage,
)
.signs_nothing_without_body();

group_handle! {
    /// Server-issued SOTTs, from [`LoginRadius::sott`](crate::LoginRadius::sott).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// use loginradius::models::Registration;
    ///
    /// let issued = client.sott().generate().time_difference(20).await?;
    /// println!("valid until {:?}", issued.expiry_time);
    /// let user = Registration::new("jane@example.com", "correct horse");
    /// client.auth().register(&user, issued.sott).await?;
    /// # Ok(()) }
    /// ```
    Sott
}

request_builder! {
    /// Asks the service for a SOTT. From [`Sott::generate`].
    pub struct GenerateSott -> GeneratedSott;
    /// How many minutes the SOTT stays valid (the service's default is 10).
    fn time_difference("timeDifference": u32);
}

impl Sott<'_> {
    /// Has the service issue a SOTT (`GET /identity/v2/manage/account/sott`), for
    /// [`Auth::register`](crate::api::Auth::register).
    pub fn generate(&self) -> GenerateSott {
        GenerateSott::from_call(Call::new(self.client, &GENERATE))
    }
}
