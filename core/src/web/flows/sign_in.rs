//! Signing in and out: the password login (with its MFA fallback), the MFA code step, and
//! logout.

use crate::fleet::ProofMethod;
use http::{HeaderMap, StatusCode};
use serde_json::json;

use super::input::{FlowResult, LoginInput, MfaCodeInput, non_empty, valid_email};
use super::mfa::add_setup_data;
use super::second_factor::methods_set_up;
use super::{FlowResponse, Flows, SessionChange, error_response, expiry};
use crate::auth::AccessToken;
use crate::models::MfaLoginOutcome;
use crate::web::limits::challenge_key;
use crate::web::session::Session;

/// How long a challenge's wrong codes are remembered when its session says no expiry.
const DEFAULT_CHALLENGE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// What is left of a pending MFA login (at least its wrong codes must outlive it).
fn challenge_lifetime(session: &Session) -> std::time::Duration {
    match session {
        Session::PendingMfa { expires_at, .. } => {
            std::time::Duration::try_from(*expires_at - time::OffsetDateTime::now_utc())
                .unwrap_or(DEFAULT_CHALLENGE_LIFETIME)
                .min(DEFAULT_CHALLENGE_LIFETIME.saturating_mul(4))
        }
        _ => DEFAULT_CHALLENGE_LIFETIME,
    }
}

impl Flows {
    /// `POST /login` `{"email", "password"}`: signs in. When MFA applies (LoginRadius answers
    /// [`MFA_ENABLED`](crate::codes::MFA_ENABLED) to the plain login), runs the MFA login: the MFA
    /// token goes into the session cookie (with the address signed in with, where emailed
    /// codes go) and the body is `{"mfa_required": true, "methods": [..]}`, the second factors
    /// the user has set up ([`SecondFactor`](super::SecondFactor): `authenticator`, `sms`,
    /// `email`); when none is, plus `otpauth_uri`, `qr_code` (a local SVG data URI) and
    /// `manual_entry_code` to set up the authenticator app. When LoginRadius holds the sign-in
    /// for the user's consent (error 1226), the consent token goes into the session cookie and
    /// the body is `{"consent_required": true, "event", "options": [..]}`, the options of
    /// [`FlowConfig::consent_form`](super::FlowConfig::consent_form); the consent step is
    /// [`login_consent`](Self::login_consent).
    ///
    /// `headers` are the request's. When the login replaces a signed-in session with another
    /// token, that session is ended: its token is evicted from the cache and invalidated at
    /// LoginRadius, since the browser is about to lose its cookie. A failure to invalidate it
    /// is logged and the new session stands. A session too large for a browser cookie (a token
    /// of several kilobytes) is refused with 500 `session_too_large`, its token logged out.
    pub async fn login(&self, headers: &HeaderMap, input: LoginInput) -> FlowResponse {
        let response = self.try_login(input).await.unwrap_or_else(|e| e);
        self.settle_session(headers, response, ProofMethod::Password)
            .await
    }

    async fn try_login(&self, input: LoginInput) -> FlowResult<FlowResponse> {
        valid_email(&input.email)?;
        non_empty("password", &input.password)?;
        let password = input.password;
        let deadline = self.sign_in_deadline();
        match self
            .client()
            .auth()
            .login_by_email(&input.email, password.clone())
            .deadline(deadline)
            .send()
            .await
        {
            Ok(login) => self.start(&login),
            Err(e) if e.is_consent_required() => self.consent_required(&e),
            Err(e) if e.is_mfa_required() => {
                let outcome = match self
                    .client()
                    .mfa()
                    .login_by_email(&input.email, password)
                    .deadline(deadline)
                    .send()
                    .await
                {
                    Ok(outcome) => outcome,
                    Err(e) if e.is_consent_required() => return self.consent_required(&e),
                    Err(e) => return Err(error_response(&e)),
                };
                match outcome {
                    MfaLoginOutcome::Complete(login) => self.start(&login),
                    MfaLoginOutcome::Challenge(challenge) => {
                        let session = Session::PendingMfa {
                            mfa_token: AccessToken::from(challenge.token.clone()),
                            expires_at: expiry(challenge.expires_at),
                            email: Some(input.email.clone()),
                            step_up: false,
                        };
                        let methods = methods_set_up(&challenge.settings);
                        let mut body = json!({ "mfa_required": true, "methods": methods });
                        if methods.is_empty() && challenge.settings.needs_authenticator_setup() {
                            add_setup_data(&mut body, &challenge.settings);
                        }
                        Ok(FlowResponse::ok(body).with_session(SessionChange::PendingMfa(session)))
                    }
                }
            }
            Err(e) => Err(error_response(&e)),
        }
    }

    /// `POST /login/mfa` `{"code", "method"?}`: the second MFA step, with the MFA token from
    /// the session cookie: a code of the authenticator app (the default), or with `"method":
    /// "sms"` or `"email"` a one-time code sent by [`login_mfa_send`](Self::login_mfa_send). A
    /// wrong code keeps the pending login, until the last allowed one
    /// ([`LimitConfig::max_wrong_codes`](crate::web::limits::LimitConfig::max_wrong_codes),
    /// default 5) ends it with 401 `too_many_codes`; an expired one ends it.
    pub async fn login_mfa(&self, headers: &HeaderMap, input: MfaCodeInput) -> FlowResponse {
        let response = self
            .try_login_mfa(headers, input)
            .await
            .unwrap_or_else(|e| e);
        self.settle_session(headers, response, ProofMethod::SecondFactor)
            .await
    }

    async fn try_login_mfa(
        &self,
        headers: &HeaderMap,
        input: MfaCodeInput,
    ) -> FlowResult<FlowResponse> {
        let pending = self.pending_mfa(headers)?;
        // A challenge that took its wrong codes is over, here and on every replica.
        let challenge = challenge_key(&pending.mfa_token);
        let limiter = self.limiter();
        limiter.challenge_open(&challenge).await?;
        match self.verify_second_factor(&pending, &input).await {
            Ok(login) => self.start(&login),
            Err(wrong)
                if wrong.status == StatusCode::UNAUTHORIZED
                    && wrong.body["error"] == "invalid_code" =>
            {
                let lifetime = self
                    .session
                    .read(headers)
                    .as_ref()
                    .map_or(DEFAULT_CHALLENGE_LIFETIME, challenge_lifetime);
                Err(limiter.wrong_code(&challenge, lifetime, wrong).await)
            }
            Err(refused) => Err(refused),
        }
    }

    /// `POST /logout`: invalidates the token at LoginRadius, evicts it from the
    /// authenticator's cache at once, and ends the session. The session ends even when
    /// LoginRadius cannot be reached (then the answer is 503: the token may still be valid
    /// upstream until it expires).
    pub async fn logout(&self, headers: &HeaderMap) -> FlowResponse {
        // The registry entry first: the session ends on every replica even if the token
        // cannot be invalidated now.
        if let Err(error) = self.end_current_session(headers).await {
            tracing::warn!(target: "loginradius::web", "session registry: {error}");
            let mut refused = FlowResponse::error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the session store cannot answer",
            );
            refused.retry_after = Some(std::time::Duration::from_secs(5));
            return refused.with_session(SessionChange::End);
        }
        let token = match self.session.access_token(headers) {
            Some(t) => Some(t),
            None => self.authenticator.extract(headers).ok().flatten(),
        };
        let Some(token) = token else {
            return FlowResponse::ok(json!({ "signed_out": true }))
                .with_session(SessionChange::End);
        };
        match self.authenticator.logout(&token).await {
            Ok(()) => {}
            Err(e) if e.is_invalid_token() || e.is_expired_token() => {}
            Err(e) => return error_response(&e).with_session(SessionChange::End),
        }
        FlowResponse::ok(json!({ "signed_out": true })).with_session(SessionChange::End)
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use serde_json::json;

    use super::super::test_support::*;
    use crate::web::{Session, SessionChange};

    #[tokio::test]
    async fn login_starts_a_session_and_never_echoes_secrets() {
        let (flows, t) = flows();
        t.reply_json(200, login_reply());
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw-123456"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.body,
            json!({"signed_in": true, "uid": "u-1", "email": "a@example.com"})
        );
        let text = r.body.to_string();
        assert!(!text.contains("acc-tok-1") && !text.contains("pw-123456"));
        let SessionChange::Start(Session::SignedIn {
            access_token, uid, ..
        }) = &r.session
        else {
            panic!("{:?}", r.session)
        };
        assert_eq!((access_token.expose(), uid.as_str()), ("acc-tok-1", "u-1"));
        let sent = t.last().unwrap();
        assert_eq!(sent.path(), "/identity/v2/auth/login");
        assert_eq!(sent.json().unwrap()["password"], "pw-123456");
        // The cookie reads back.
        let h = cookie_headers(&flows, &r);
        assert_eq!(
            flows.session().access_token(&h).unwrap().expose(),
            "acc-tok-1"
        );
    }

    #[tokio::test]
    async fn a_session_too_large_for_a_cookie_is_refused_and_its_token_logged_out() {
        let (flows, t) = flows();
        let mut reply = login_reply();
        reply["access_token"] = json!("a".repeat(crate::auth::MAX_TOKEN_LEN));
        t.reply_json(200, reply);
        t.reply_json(200, json!({"IsPosted": true}));
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw-123456"))
            .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(r.body["error"], "session_too_large");
        assert_eq!(r.session, SessionChange::Keep);
        assert!(r.set_cookie(flows.session(), &HeaderMap::new()).is_none());
        let sent = t.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].path(), "/identity/v2/auth/access_token/invalidate");
        // A JWE of a few hundred bytes is fine.
        let mut reply = login_reply();
        reply["access_token"] = json!("b".repeat(600));
        t.reply_json(200, reply);
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw-123456"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let set = r.set_cookie(flows.session(), &HeaderMap::new()).unwrap();
        assert!(
            set.len() < crate::web::MAX_COOKIE_BYTES + 200,
            "{}",
            set.len()
        );
    }

    #[tokio::test]
    async fn login_falls_back_to_the_mfa_login_and_keeps_the_mfa_token_in_the_cookie() {
        let (flows, t) = flows();
        t.reply_json(403, lr_error(1176));
        t.reply_json(
            200,
            json!({
                "SecondFactorAuthentication": {
                    "SecondFactorAuthenticationToken": "mfa-tok-1",
                    "ExpireIn": FAR,
                    "QRCode": "otpauth://totp/a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=x",
                    "ManualEntryCode": "JBSWY3DPEHPK3PXP",
                    "IsAuthenticatorVerified": false
                },
                "access_token": "",
                "Profile": null
            }),
        );
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["mfa_required"], true);
        assert_eq!(r.body["manual_entry_code"], "JBSWY3DPEHPK3PXP");
        assert!(
            r.body["otpauth_uri"]
                .as_str()
                .unwrap()
                .starts_with("otpauth://")
        );
        assert!(
            r.body["qr_code"]
                .as_str()
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
        assert!(!r.body.to_string().contains("mfa-tok-1"));
        assert!(matches!(r.session, SessionChange::PendingMfa(_)));
        assert_eq!(t.last().unwrap().path(), "/identity/v2/auth/login/2fa");

        // Second step: the MFA token comes from the cookie, never from the body.
        let h = cookie_headers(&flows, &r);
        t.reply_json(200, login_reply());
        let done = flows.login_mfa(&h, code("123456")).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(matches!(done.session, SessionChange::Start(_)));
        let sent = t.last().unwrap();
        assert!(
            sent.path()
                .ends_with("/login/2fa/verification/authenticatorcode")
        );
        assert_eq!(
            sent.query_value("secondfactorauthenticationtoken")
                .as_deref(),
            Some("mfa-tok-1")
        );

        // A wrong code keeps the pending login; an expired MFA token ends it.
        t.reply_json(400, lr_error(1102));
        let wrong = flows.login_mfa(&h, code("000000")).await;
        assert_eq!(
            (wrong.status, wrong.session.clone()),
            (StatusCode::UNAUTHORIZED, SessionChange::Keep)
        );
        assert_eq!(wrong.body["error"], "invalid_code");
        t.reply_json(400, lr_error(1104));
        let expired = flows.login_mfa(&h, code("000000")).await;
        assert_eq!(
            (expired.status, expired.session),
            (StatusCode::UNAUTHORIZED, SessionChange::End)
        );
    }

    #[tokio::test]
    async fn the_mfa_step_needs_a_pending_login_and_a_six_digit_code() {
        let (flows, t) = flows();
        let r = flows.login_mfa(&HeaderMap::new(), code("123456")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        t.reply_json(200, login_reply());
        let signed_in = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        // A signed-in session is no pending MFA login.
        let h = cookie_headers(&flows, &signed_in);
        let r = flows.login_mfa(&h, code("123456")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(t.len(), 1);
    }

    #[tokio::test]
    async fn logout_without_a_session_ends_it_without_a_call() {
        let (flows, t) = flows();
        let r = flows.logout(&HeaderMap::new()).await;
        assert_eq!((r.status, r.session), (StatusCode::OK, SessionChange::End));
        assert!(t.is_empty());
        let r = flows.mfa_setup(&HeaderMap::new()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(t.is_empty());
    }
}
