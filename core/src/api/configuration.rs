//! Site configuration and server information (`ConfigurationApi`). These calls need only the
//! API key. The app configuration is served from the configuration host
//! (`https://config.lrcontent.com`, or the configured config URL).

use http::Method;

use crate::models::{AppConfiguration, ServerInfo};
use crate::request::{Call, Credentials, Endpoint, Host, endpoint, request_builder};

pub(crate) static APP_CONFIGURATION: Endpoint = Endpoint::new(
    "configuration.get",
    Method::GET,
    "/ciam/appinfo",
    Credentials::ApiKey("apiKey"),
)
.on(Host::Config);
endpoint!(
    SERVER_INFO,
    "configuration.server_info",
    GET,
    "/identity/v2/serverinfo",
    ApiKey
);

group_handle! {
    /// Site configuration and server information, from
    /// [`LoginRadius::configuration`](crate::LoginRadius::configuration).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius) -> Result<(), loginradius::Error> {
    /// let config = client.configuration().get().await?;
    /// let mfa_on = config.two_factor_authentication.is_some_and(|m| m.is_enabled);
    ///
    /// // A SOTT valid on the server's clock, made locally from the server's window.
    /// let info = client.configuration().server_info().time_difference(10).await?;
    /// if let Some(window) = info.sott {
    ///     let _sott = client.local_sott_between(&window.start_time, &window.end_time)?;
    /// }
    /// # Ok(()) }
    /// ```
    Configuration
}

request_builder! {
    /// Reads the site's dashboard configuration. From [`Configuration::get`].
    pub struct GetAppConfiguration -> AppConfiguration;
}

request_builder! {
    /// Reads the server's location and time. From [`Configuration::server_info`].
    pub struct GetServerInfo -> ServerInfo;
    /// Width in minutes of the SOTT window returned in `Sott`.
    fn time_difference("timeDifference": u32);
}

impl Configuration<'_> {
    /// The site's dashboard configuration (`GET /ciam/appinfo` on the configuration host).
    pub fn get(&self) -> GetAppConfiguration {
        GetAppConfiguration::from_call(Call::new(self.client, &APP_CONFIGURATION))
    }

    /// The server's location and current time, with a SOTT window valid on its clock
    /// (`GET /identity/v2/serverinfo`).
    pub fn server_info(&self) -> GetServerInfo {
        GetServerInfo::from_call(Call::new(self.client, &SERVER_INFO))
    }
}
