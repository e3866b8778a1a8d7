//! Passwordless login by email link: send the link, sign in with its token.

use http::HeaderMap;

use super::input::{EmailInput, LinkTokenInput, non_empty, valid_email};
use super::{FlowResponse, Flows, error_response, sent_unless_revealing};

impl Flows {
    /// `POST /passwordless/send` `{"email"}`: emails a one-click login link. Same answer for
    /// unknown addresses.
    pub async fn passwordless_send(&self, input: EmailInput) -> FlowResponse {
        if let Err(e) = valid_email(&input.email) {
            return e;
        }
        let mut request = self
            .client()
            .passwordless()
            .send_link_by_email(&input.email);
        if let Some(url) = &self.config.passwordless_url {
            request = request.verification_url(url);
        }
        sent_unless_revealing(request.send().await)
    }

    /// `POST /passwordless/verify` `{"token"}`: signs in with the token of the login link
    /// (ending a session it replaces, as [`login`](Self::login) does; `headers` are the
    /// request's).
    ///
    /// An email link proves one factor (the mailbox). For an account with a second factor
    /// set up, the answer is the MFA answer of [`login`](Self::login) and the second step is
    /// the same ([`login_mfa`](Self::login_mfa)): no session exists until the second factor is
    /// given, as for [`phone_login`](Self::phone_login).
    pub async fn passwordless_verify(
        &self,
        headers: &HeaderMap,
        input: LinkTokenInput,
    ) -> FlowResponse {
        let response = async {
            non_empty("token", &input.token)?;
            let login = self
                .client()
                .passwordless()
                .verify_link(input.token)
                .deadline(self.sign_in_deadline())
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            self.start_one_factor(&login).await
        }
        .await
        .unwrap_or_else(|e| e);
        self.settle_session(headers, response, crate::fleet::ProofMethod::EmailLink)
            .await
    }
}
