//! Registration with a server-side SOTT, and email verification (verify, resend).

use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde_json::json;

use super::input::{EmailInput, FlowResult, LinkTokenInput, RegisterInput, non_empty, valid_email};
use super::{FlowResponse, Flows, error_response, sent_unless_revealing};
use crate::models::Registration;
use crate::web::normalize_email;

/// How long the SOTT made for a registration is valid.
const SOTT_VALIDITY: Duration = Duration::from_secs(600);

impl Flows {
    /// `POST /register` `{"email", "password", "first_name"?, "last_name"?, "user_name"?,
    /// "profile"?: {LoginRadius profile fields}}`: registers with a SOTT made server-side.
    /// Answers 201 `{"registered": true, "email_verification_required": bool}`, and signs the
    /// user in when the site does not require verification first (ending a session it
    /// replaces, as [`login`](Self::login) does; `headers` are the request's).
    pub async fn register(&self, headers: &HeaderMap, input: RegisterInput) -> FlowResponse {
        let response = self.try_register(input).await.unwrap_or_else(|e| e);
        self.settle_session(headers, response, crate::fleet::ProofMethod::Password)
            .await
    }

    async fn try_register(&self, input: RegisterInput) -> FlowResult<FlowResponse> {
        input.check()?;
        // One form per address; look-alikes of another address are refused.
        let email = normalize_email(&input.email).map_err(|e| {
            FlowResponse::error(StatusCode::BAD_REQUEST, "invalid_email", &e.to_string())
        })?;
        let mut user = Registration::new(email, input.password);
        user.first_name = input.first_name;
        user.last_name = input.last_name;
        user.user_name = input.user_name;
        user.extra = input.profile;
        let sott = self
            .client()
            .local_sott(SOTT_VALIDITY)
            .map_err(|e| error_response(&e))?;
        let mut request = self.client().auth().register(&user, sott);
        if let Some(url) = &self.config.verification_url {
            request = request.verification_url(url);
        }
        let registered = request.send().await.map_err(|e| error_response(&e))?;
        let login = registered.data.filter(|l| !l.access_token.is_blank());
        let mut response = match login {
            Some(login) => {
                let mut r = self.start(&login)?;
                r.body = json!({ "registered": true, "email_verification_required": false, "signed_in": true });
                r
            }
            None => {
                FlowResponse::ok(json!({ "registered": true, "email_verification_required": true }))
            }
        };
        response.status = StatusCode::CREATED;
        Ok(response)
    }

    /// `POST /verify-email` `{"token"}`: verifies an email address with the token of the
    /// verification link (read by your page from the link and posted, never logged in a URL).
    pub async fn verify_email(&self, input: LinkTokenInput) -> FlowResponse {
        async {
            non_empty("token", &input.token)?;
            self.client()
                .auth()
                .verify_email(input.token)
                .send()
                .await
                .map_err(|e| error_response(&e))?;
            Ok(FlowResponse::ok(json!({ "verified": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// `POST /resend-verification` `{"email"}`: sends the verification email again. Same
    /// answer for unknown (and already verified) addresses.
    pub async fn resend_verification(&self, input: EmailInput) -> FlowResponse {
        if let Err(e) = valid_email(&input.email) {
            return e;
        }
        let mut request = self.client().auth().resend_verification_email(&input.email);
        if let Some(url) = &self.config.verification_url {
            request = request.verification_url(url);
        }
        sent_unless_revealing(request.send().await)
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use serde_json::json;

    use super::super::test_support::*;
    use crate::web::{EmailInput, RegisterInput, SessionChange};

    #[tokio::test]
    async fn registration_sends_a_server_side_sott() {
        let (flows, t) = flows();
        t.reply_json(200, json!({"IsPosted": true}));
        let r = flows
            .register(
                &HeaderMap::new(),
                RegisterInput {
                    email: "a@example.com".into(),
                    password: "pw-1".into(),
                    first_name: Some("Ann".into()),
                    ..RegisterInput::default()
                },
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["email_verification_required"], true);
        assert_eq!(r.session, SessionChange::Keep);
        let sent = t.last().unwrap();
        assert!(
            sent.header("x-loginradius-sott")
                .is_some_and(|s| !s.is_empty())
        );
        assert_eq!(sent.json().unwrap()["FirstName"], "Ann");
        t.reply_json(400, lr_error(936));
        let r = flows
            .register(
                &HeaderMap::new(),
                RegisterInput {
                    email: "a@example.com".into(),
                    password: "pw-1".into(),
                    ..RegisterInput::default()
                },
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }

    #[tokio::test]
    async fn resend_verification_hides_unknown_and_verified_addresses_only() {
        let (flows, t) = flows();
        let input = || EmailInput {
            email: "x@example.com".into(),
        };
        for hidden in [938, 1023, 1025] {
            t.reply_json(400, lr_error(hidden));
            let r = flows.resend_verification(input()).await;
            assert_eq!(
                (r.status, r.body.clone()),
                (StatusCode::OK, json!({"sent": true})),
                "{hidden}"
            );
        }
        t.reply_json(400, lr_error(1134));
        let r = flows.resend_verification(input()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.body["error"], "rejected");
        assert_eq!(t.len(), 4);
    }
}
