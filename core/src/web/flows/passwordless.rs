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
            self.start(&login)
        }
        .await
        .unwrap_or_else(|e| e);
        self.settle_session(headers, response, crate::fleet::ProofMethod::EmailLink)
            .await
    }
}
