//! The signed-in user's authenticator app: setup data, enable with a code, disable; and the
//! setup data a pending MFA login shows.

use http::HeaderMap;
use serde_json::{Value, json};

use super::input::{MfaCodeInput, totp_code};
use super::{FlowResponse, Flows, error_response};
use crate::models::MfaSettings;
use crate::web::qr::qr_svg_data_uri;

impl Flows {
    /// `GET /mfa/setup` for the signed-in user: `{"enabled": bool}`, plus `otpauth_uri`,
    /// `qr_code` and `manual_entry_code` while the authenticator app is not set up.
    pub async fn mfa_setup(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let settings = self
                .client()
                .mfa()
                .settings(user.token.as_secret().clone())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            let enabled =
                settings.is_authenticator_verified || settings.is_google_authenticator_verified;
            let mut body = json!({ "enabled": enabled });
            if !enabled {
                add_setup_data(&mut body, &settings);
            }
            Ok(FlowResponse::ok(body))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/enable` `{"code"}`: enables the authenticator app for the signed-in user
    /// with a code from it. Ends the user's other sessions on every replica and re-issues
    /// this one.
    pub async fn mfa_enable(&self, headers: &HeaderMap, input: MfaCodeInput) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let code = totp_code(&input.code)?;
            self.require_fresh_proof(headers, &user).await?;
            self.client()
                .mfa()
                .enable_authenticator(user.token.as_secret().clone(), code)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            self.second_factor_changed(headers, &user.uid, "enabled", true)
                .await
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/disable`: removes the signed-in user's authenticator app. Ends the user's
    /// other sessions on every replica and re-issues this one, still proven as it was.
    pub async fn mfa_disable(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            self.require_fresh_proof(headers, &user).await?;
            self.client()
                .mfa()
                .reset_authenticator(user.token.as_secret().clone())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            self.second_factor_changed(headers, &user.uid, "enabled", false)
                .await
        }
        .await
        .unwrap_or_else(|e| e)
    }
}

/// Adds `otpauth_uri`, `qr_code` (an SVG data URI rendered here, so the TOTP seed is never
/// sent to a third-party QR service) and `manual_entry_code`.
pub(super) fn add_setup_data(body: &mut Value, settings: &MfaSettings) {
    let uri = settings.otpauth_uri();
    let qr = uri.as_deref().and_then(qr_svg_data_uri);
    let manual = settings
        .manual_entry_code
        .as_ref()
        .map(|s| s.expose().to_owned())
        .or_else(|| {
            uri.as_deref().and_then(|u| {
                let (_, query) = u.split_once('?')?;
                url::form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == "secret")
                    .map(|(_, v)| v.into_owned())
            })
        });
    if let Some(object) = body.as_object_mut() {
        object.insert("otpauth_uri".into(), json!(uri));
        object.insert("qr_code".into(), json!(qr));
        object.insert("manual_entry_code".into(), json!(manual));
    }
}
