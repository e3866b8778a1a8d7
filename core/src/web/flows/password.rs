//! Passwords: forgot (email a reset link), reset (with the link's token), change (signed in),
//! set (signed in, only for an account without one).

use http::{HeaderMap, StatusCode};
use serde_json::json;

use super::input::{
    ChangePasswordInput, EmailInput, ResetPasswordInput, SetPasswordInput, non_empty, valid_email,
};
use super::{FlowResponse, Flows, Reproof, error_response, sent_unless_revealing};
use crate::fleet::ProofMethod;

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

    /// `POST /reset-password` `{"token", "password", "email"?}`: sets a new password with the
    /// token of the reset link.
    ///
    /// LoginRadius's answer names no account. With `email`, the account's sessions end on every
    /// replica (their tokens invalidated) once the new password is shown to sign that email
    /// in: a sign-in with it is made and logged out at once (for an account with a second
    /// factor, LoginRadius's "second factor required" answer is the proof, and the uid comes
    /// from the Account API). An email the new password does not sign in ends nothing. Without
    /// `email`, only the `ResetPassword` webhook ends them (see
    /// [`webhook`](crate::web::webhook)).
    pub async fn reset_password(&self, input: ResetPasswordInput) -> FlowResponse {
        async {
            non_empty("token", &input.token)?;
            non_empty("password", &input.password)?;
            if let Some(email) = &input.email {
                valid_email(email)?;
            }
            let password = input.password;
            self.client()
                .auth()
                .reset_password(input.token, password.clone())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            if let Some(email) = input.email
                && let Some(uid) = self.uid_signed_in_by(&email, password).await
                && let Err(error) = self.end_all_sessions_of(&uid).await
            {
                tracing::warn!(target: "loginradius::web", "ending the sessions after a reset: {error}");
            }
            Ok(FlowResponse::ok(json!({ "password_reset": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// The uid of the account `password` signs `email` in to, if it does: a sign-in made and
    /// logged out at once, or, for an account with a second factor, LoginRadius's "second factor
    /// required" answer and the Account API.
    async fn uid_signed_in_by(&self, email: &str, password: crate::Secret) -> Option<String> {
        match self
            .client()
            .auth()
            .login_by_email(email, password)
            .deadline(self.sign_in_deadline())
            .send()
            .await
        {
            Ok(login) => {
                let token = crate::auth::AccessToken::from(login.access_token.clone());
                let _ = self.authenticator.logout(&token).await;
                login.profile.map(|p| p.uid).filter(|uid| !uid.is_empty())
            }
            Err(e) if e.is_mfa_required() => self
                .client()
                .account()
                .by_email(email)
                .send()
                .await
                .ok()
                .map(|p| p.uid)
                .filter(|uid| !uid.is_empty()),
            Err(_) => None,
        }
    }

    /// `POST /change-password` `{"old_password", "new_password"}` for the signed-in user. Ends
    /// the user's other sessions on every replica and re-issues this one.
    pub async fn change_password(
        &self,
        headers: &HeaderMap,
        input: ChangePasswordInput,
    ) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            non_empty("old_password", &input.old_password)?;
            non_empty("new_password", &input.new_password)?;
            self.require_fresh_proof(headers, &user).await?;
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
            let session = self
                .end_sessions_but_this_one(headers, &user.uid, Reproof::Now(ProofMethod::Password))
                .await?;
            Ok(FlowResponse::ok(json!({ "password_changed": true })).with_session(session))
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
    /// Once set, the user's other sessions end on every replica and this one is re-issued, as
    /// after a password change.
    pub async fn set_password(&self, headers: &HeaderMap, input: SetPasswordInput) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            non_empty("password", &input.password)?;
            self.require_fresh_proof(headers, &user).await?;
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
            // A new credential: the user's other sessions end, on every replica.
            let session = self
                .end_sessions_but_this_one(headers, &user.uid, Reproof::Now(ProofMethod::Password))
                .await?;
            Ok(FlowResponse::ok(json!({ "password_set": true })).with_session(session))
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
    async fn set_password_only_for_an_account_without_one() {
        use http::HeaderMap;
        use serde_json::json;

        use crate::web::SetPasswordInput;

        let (flows, t) = flows();
        t.reply_json(200, login_reply());
        let signed_in = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        let h = cookie_headers(&flows, &signed_in);
        let input = || SetPasswordInput {
            password: "new-password-7".into(),
        };
        // The session's user (validate, profile), its second factors (none: the fresh
        // password sign-in is proof enough), then the stored hash: one exists.
        t.reply_json(200, json!({"access_token": "acc-tok-1", "expires_in": FAR}));
        t.reply_json(200, login_reply()["Profile"].clone());
        t.reply_json(403, lr_error(crate::codes::MFA_NOT_ENABLED));
        t.reply_json(200, json!({"PasswordHash": "Rfc2898DeriveBytes$x"}));
        let r = flows.set_password(&h, input()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.body["error"], "password_exists");
        assert_eq!(t.len(), 5, "nothing set");
        // No password (a social or email-link account): set.
        t.reply_json(403, lr_error(crate::codes::MFA_NOT_ENABLED));
        t.reply_json(200, json!({"PasswordHash": null}));
        t.reply_json(200, json!({"PasswordHash": "Rfc2898DeriveBytes$y"}));
        let r = flows.set_password(&h, input()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body, json!({"password_set": true}));
        let sent = t.last().unwrap();
        assert_eq!(sent.method, http::Method::PUT);
        assert!(sent.path().ends_with("/manage/account/u-1/password"));
        assert!(!r.body.to_string().contains("new-password-7"));
    }

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
