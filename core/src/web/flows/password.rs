//! Passwords: forgot (email a reset link), reset (with the link's token), change (signed in),
//! set (signed in, only for an account without one).

use http::{HeaderMap, StatusCode};
use serde_json::json;

use super::input::{
    ChangePasswordInput, EmailInput, ResetPasswordInput, SetPasswordInput, non_empty, valid_email,
};
use super::{FlowResponse, Flows, error_response, sent_unless_revealing};

impl Flows {
    /// `POST /forgot-password` `{"email"}`: emails a reset link. Same answer for unknown
    /// addresses. Needs [`FlowConfig::reset_password_url`](super::FlowConfig::reset_password_url)
    /// (else 500 `misconfigured`).
    pub async fn forgot_password(&self, input: EmailInput) -> FlowResponse {
        if let Err(e) = valid_email(&input.email) {
            return e;
        }
        let Some(url) = self.config.reset_password_url.as_deref() else {
            tracing::error!("forgot password needs FlowConfig::reset_password_url");
            return FlowResponse::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "misconfigured",
                "password reset is not configured",
            );
        };
        let sent = self
            .client()
            .auth()
            .forgot_password(&input.email, url)
            .send()
            .await;
        sent_unless_revealing(sent)
    }

    /// `POST /reset-password` `{"token", "password"}`: sets a new password with the token of
    /// the reset link.
    pub async fn reset_password(&self, input: ResetPasswordInput) -> FlowResponse {
        async {
            non_empty("token", &input.token)?;
            non_empty("password", &input.password)?;
            self.client()
                .auth()
                .reset_password(input.token, input.password)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "password_reset": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /change-password` `{"old_password", "new_password"}` for the signed-in user.
    pub async fn change_password(
        &self,
        headers: &HeaderMap,
        input: ChangePasswordInput,
    ) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            non_empty("old_password", &input.old_password)?;
            non_empty("new_password", &input.new_password)?;
            self.client()
                .auth()
                .change_password(
                    user.token.as_secret().clone(),
                    input.old_password,
                    input.new_password,
                )
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "password_changed": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }
}

impl Flows {
    /// `POST /set-password` `{"password"}`: gives the signed-in user a password, only when the
    /// account has none (an account from a social or email-link sign-in). An account with a
    /// password is refused with 409 `password_exists` and nothing changes: its password
    /// changes only through [`change_password`](Self::change_password), with the current one.
    pub async fn set_password(&self, headers: &HeaderMap, input: SetPasswordInput) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            non_empty("password", &input.password)?;
            let account = self.client().account();
            let stored = account
                .password_hash(user.uid.as_str())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            if stored.exists() {
                return Err(FlowResponse::error(
                    StatusCode::CONFLICT,
                    "password_exists",
                    "this account already has a password: change it with the current one",
                ));
            }
            account
                .set_password(user.uid.as_str(), input.password)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "password_set": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }
}

#[cfg(test)]
mod tests {
    use http::StatusCode;

    use super::super::test_support::*;
    use crate::web::{EmailInput, FlowConfig};

    #[tokio::test]
    async fn forgot_password_without_a_reset_page_is_a_server_misconfiguration() {
        let (flows, t) = flows();
        let flows = flows.config(FlowConfig::default());
        let r = flows
            .forgot_password(EmailInput {
                email: "x@example.com".into(),
            })
            .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(t.is_empty());
    }
}
