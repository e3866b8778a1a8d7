//! `client.configuration()`: the app configuration lives on the config host (and follows a
//! configured config URL), server info on the API host.

use crate::support::{API_KEY, builder, public_builder};
use loginradius::transport::RecordingTransport;
use serde_json::json;

#[tokio::test]
async fn app_configuration_goes_to_the_config_host() {
    let transport = RecordingTransport::new();
    transport.reply_json(200, json!({"TwoFactorAuthentication": {"IsEnabled": true, "IsRequired": true}, "AppName": "demo"}));
    let config = public_builder(&transport)
        .build()
        .unwrap()
        .configuration()
        .get()
        .await
        .unwrap();
    let mfa = config.two_factor_authentication.clone().unwrap();
    assert!(mfa.is_enabled && mfa.is_required);
    assert_eq!(config.get("AppName"), Some(&json!("demo")));
    let r = transport.last().unwrap();
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(
        r.url,
        format!("https://config.lrcontent.com/ciam/appinfo?apiKey={API_KEY}")
    );
    assert!(r.header("x-loginradius-apisecret").is_none());
}

#[tokio::test]
async fn app_configuration_follows_a_custom_config_url_but_not_the_base_url() {
    let transport = RecordingTransport::new();
    let client = public_builder(&transport)
        .base_url("http://127.0.0.1:9000")
        .config_url("http://127.0.0.1:9001")
        .build()
        .unwrap();
    let _ = client.configuration().get().await;
    assert_eq!(
        transport.last().unwrap().url,
        format!("http://127.0.0.1:9001/ciam/appinfo?apiKey={API_KEY}")
    );
    let _ = client
        .configuration()
        .server_info()
        .time_difference(15)
        .await;
    assert_eq!(
        transport.last().unwrap().url,
        format!("http://127.0.0.1:9000/identity/v2/serverinfo?apiKey={API_KEY}&timeDifference=15")
    );
}

#[tokio::test]
async fn server_info_gives_a_window_for_a_local_sott() {
    let transport = RecordingTransport::new();
    transport.reply_json(200, json!({
        "ServerLocation": "US", "ServerName": "lr-1", "CurrentTime": "2017-11-06 06:15:53",
        "Sott": {"StartTime": "2017-11-06 06:10:53", "EndTime": "2017-11-06 06:20:53", "TimeDifference": "5 Minutes"}
    }));
    let client = builder(&transport).build().unwrap();
    let info = client.configuration().server_info().await.unwrap();
    let r = transport.last().unwrap();
    assert_eq!(
        r.url,
        format!("https://api.loginradius.com/identity/v2/serverinfo?apiKey={API_KEY}")
    );
    assert!(
        r.header("x-loginradius-apisecret").is_none(),
        "server info needs only the key"
    );
    assert_eq!(info.server_name.as_deref(), Some("lr-1"));
    assert!(info.current_time_utc().is_some());
    let window = info.sott.unwrap();
    let sott = client
        .local_sott_between(&window.start_time, &window.end_time)
        .unwrap();
    assert!(sott.expose().contains('*'));
}
