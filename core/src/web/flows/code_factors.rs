//! The signed-in user's one-time-code factors, next to the authenticator app of [`mfa`]
//! (super::mfa): which factors are on; SMS codes (set the number, which texts a code; enable
//! with it; turn off); email codes (email a code to the account's address; enable with it;
//! turn off).

use http::HeaderMap;
use serde_json::json;

use super::input::{FlowResult, MfaCodeInput, invalid};
use super::phone::{PhoneInput, valid_phone};
use super::second_factor::{SecondFactor, methods_set_up, one_time_code};
use super::{FlowResponse, Flows, error_response};
use crate::auth::AuthenticatedUser;
use crate::codes;

impl Flows {
    /// `GET /mfa/factors` for the signed-in user: `{"authenticator", "sms", "email"}` (which
    /// factors are on) and `sms_phone`, the masked MFA phone number LoginRadius shows.
    pub async fn mfa_factors(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let settings = self
                .client()
                .mfa()
                .settings(user.token.as_secret().clone())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            let on = methods_set_up(&settings);
            Ok(FlowResponse::ok(json!({
                "authenticator": on.contains(&SecondFactor::Authenticator),
                "sms": on.contains(&SecondFactor::Sms),
                "sms_phone": settings.otp_phone_no,
                "email": on.contains(&SecondFactor::Email),
            })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/sms/phone` `{"phone"}`: sets the signed-in user's MFA phone number and texts
    /// a code to it; [`mfa_sms_enable`](Self::mfa_sms_enable) turns SMS codes on with it.
    pub async fn mfa_sms_phone(&self, headers: &HeaderMap, input: PhoneInput) -> FlowResponse {
        async {
            let phone = valid_phone(&input.phone)?;
            let user = self.current_user(headers).await?;
            self.client()
                .mfa()
                .set_sms_phone(user.token.as_secret().clone(), phone)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "sent": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/sms/enable` `{"code"}`: turns SMS codes on with the code texted by
    /// [`mfa_sms_phone`](Self::mfa_sms_phone). Ends the user's other sessions on every replica
    /// and re-issues this one, as enabling the authenticator app does.
    pub async fn mfa_sms_enable(&self, headers: &HeaderMap, input: MfaCodeInput) -> FlowResponse {
        async {
            let code = one_time_code(&input.code)?;
            let user = self.current_user(headers).await?;
            self.require_fresh_proof(headers, &user).await?;
            self.client()
                .mfa()
                .enable_sms_otp(user.token.as_secret().clone(), code)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            self.second_factor_changed(headers, &user.uid, "sms", true)
                .await
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/sms/disable`: turns the signed-in user's SMS codes off (and forgets the
    /// number). Ends the user's other sessions on every replica and re-issues this one, still
    /// proven as it was. Already off is no error and ends nothing.
    pub async fn mfa_sms_disable(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            self.require_fresh_proof(headers, &user).await?;
            match self
                .client()
                .mfa()
                .reset_sms_otp(user.token.as_secret().clone())
                .send()
                .await
            {
                Err(e) if e.code() == Some(codes::SMS_OTP_MFA_NOT_ENABLED) => {
                    Ok(FlowResponse::ok(json!({ "sms": false })))
                }
                Err(e) => Err(error_response(&e)),
                Ok(_) => {
                    self.second_factor_changed(headers, &user.uid, "sms", false)
                        .await
                }
            }
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/email/send`: emails a code to the signed-in user's primary address (the
    /// account's, never one named by the browser); [`mfa_email_enable`](Self::mfa_email_enable)
    /// turns email codes on with it.
    pub async fn mfa_email_send(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            let email = account_email(&user)?;
            self.client()
                .mfa()
                .send_setup_email_otp(user.token.as_secret().clone(), email)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "sent": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/email/enable` `{"code"}`: turns email codes on with the code emailed by
    /// [`mfa_email_send`](Self::mfa_email_send). Ends the user's other sessions on every
    /// replica and re-issues this one.
    pub async fn mfa_email_enable(&self, headers: &HeaderMap, input: MfaCodeInput) -> FlowResponse {
        async {
            let code = one_time_code(&input.code)?;
            let user = self.current_user(headers).await?;
            let email = account_email(&user)?;
            self.require_fresh_proof(headers, &user).await?;
            self.client()
                .mfa()
                .enable_email_otp(user.token.as_secret().clone(), email, code)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            self.second_factor_changed(headers, &user.uid, "email", true)
                .await
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /mfa/email/disable`: turns the signed-in user's email codes off. Ends the user's
    /// other sessions on every replica and re-issues this one, still proven as it was. Already
    /// off is no error and ends nothing.
    pub async fn mfa_email_disable(&self, headers: &HeaderMap) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            self.require_fresh_proof(headers, &user).await?;
            match self
                .client()
                .mfa()
                .reset_email_otp(user.token.as_secret().clone())
                .send()
                .await
            {
                Err(e) if e.code() == Some(codes::EMAIL_OTP_MFA_NOT_ENABLED) => {
                    Ok(FlowResponse::ok(json!({ "email": false })))
                }
                Err(e) => Err(error_response(&e)),
                Ok(_) => {
                    self.second_factor_changed(headers, &user.uid, "email", false)
                        .await
                }
            }
        }
        .await
        .unwrap_or_else(|e| e)
    }
}

/// The primary address of the signed-in user's profile; 400 when the account has none.
fn account_email(user: &AuthenticatedUser) -> FlowResult<&str> {
    user.profile
        .primary_email()
        .ok_or_else(|| invalid("this account has no email address for codes"))
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};

    use super::super::test_support::*;
    use crate::web::{MfaCodeInput, PhoneInput};

    #[tokio::test]
    async fn setup_needs_a_session_and_good_input_before_any_request() {
        let (flows, t) = flows();
        let none = HeaderMap::new();
        for r in [
            flows.mfa_factors(&none).await,
            flows
                .mfa_sms_phone(
                    &none,
                    PhoneInput {
                        phone: "+15550100001".into(),
                    },
                )
                .await,
            flows.mfa_sms_enable(&none, code("123456")).await,
            flows.mfa_sms_disable(&none).await,
            flows.mfa_email_send(&none).await,
            flows.mfa_email_enable(&none, code("123456")).await,
            flows.mfa_email_disable(&none).await,
        ] {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        }
        assert!(t.is_empty());

        // Bad input is refused before any request, the session's lookup included.
        t.reply_json(200, login_reply());
        let signed_in = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        let h = cookie_headers(&flows, &signed_in);
        let before = t.len();
        let r = flows
            .mfa_sms_phone(
                &h,
                PhoneInput {
                    phone: "not-a-number".into(),
                },
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        for c in ["12x456", ""] {
            let input = MfaCodeInput {
                code: c.into(),
                ..MfaCodeInput::default()
            };
            assert_eq!(
                flows.mfa_sms_enable(&h, input.clone()).await.status,
                StatusCode::BAD_REQUEST
            );
            assert_eq!(
                flows.mfa_email_enable(&h, input).await.status,
                StatusCode::BAD_REQUEST
            );
        }
        assert_eq!(t.len(), before, "no request for bad input");
    }
}
