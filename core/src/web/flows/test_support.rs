//! What the flows' unit tests share: flows over a [`RecordingTransport`], LoginRadius replies,
//! inputs, and a request carrying a flow's session cookie.

use http::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use super::{FlowConfig, FlowResponse, Flows, LoginInput, MfaCodeInput};
use crate::LoginRadius;
use crate::auth::Authenticator;
use crate::transport::RecordingTransport;
use crate::web::SessionCookie;

/// An expiry far in the future.
pub(super) const FAR: &str = "2999-01-01T00:00:00Z";

/// Flows (with a reset-password page) over a scripted LoginRadius, without retries.
pub(super) fn flows() -> (Flows, RecordingTransport) {
    let transport = RecordingTransport::new();
    let client = LoginRadius::builder()
        .api_key("key")
        .api_secret("secret")
        .retry(crate::RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();
    let session = SessionCookie::generate();
    let authenticator = Authenticator::builder(client)
        .token_sources(session.token_sources())
        .build()
        .unwrap();
    (
        Flows::new(authenticator, session)
            .unwrap()
            .config(FlowConfig::default().reset_password_url("https://app.example.com/reset")),
        transport,
    )
}

/// A successful LoginRadius login of `u-1` with the token `acc-tok-1`.
pub(super) fn login_reply() -> Value {
    json!({
        "access_token": "acc-tok-1",
        "expires_in": FAR,
        "Profile": {"Uid": "u-1", "Email": [{"Type": "Primary", "Value": "a@example.com"}]}
    })
}

/// A LoginRadius error body with `code`.
pub(super) fn lr_error(code: i64) -> Value {
    json!({"ErrorCode": code, "Message": "upstream says no", "Description": "d"})
}

/// The login input of `email` and `password`.
pub(super) fn login(email: &str, password: &str) -> LoginInput {
    LoginInput {
        email: email.into(),
        password: password.into(),
        next: None,
    }
}

/// The MFA code input of `code`.
pub(super) fn code(code: &str) -> MfaCodeInput {
    MfaCodeInput {
        code: code.into(),
        ..MfaCodeInput::default()
    }
}

/// A request carrying the session cookie that `r` sets.
pub(super) fn cookie_headers(flows: &Flows, r: &FlowResponse) -> HeaderMap {
    let set = r.set_cookie(flows.session(), &HeaderMap::new()).unwrap();
    let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut h = HeaderMap::new();
    h.insert(http::header::COOKIE, HeaderValue::from_str(&pair).unwrap());
    h
}
