//! Step-up: the fresh proof the sensitive helpers require of the session (proven within
//! [`FlowConfig::reauth_within`](super::FlowConfig::reauth_within), with the second factor
//! for a user who has one), and `POST /reauth`, which proves the session again through
//! LoginRadius's re-authentication API and records it in the session registry (every replica
//! reads it there).

use std::net::IpAddr;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::input::{FlowResult, invalid, non_empty, totp_code};
use super::second_factor::{SecondFactor, one_time_code};
use super::{FlowResponse, Flows, SessionChange, error_response};
use crate::Secret;
use crate::auth::AuthenticatedUser;
use crate::fleet::{FleetEvent, ProofMethod, SessionRecord};
use crate::web::limits::Action;
use crate::web::session::Session;

/// How recently a session must have been proven for the sensitive helpers, by default.
pub const DEFAULT_REAUTH_WITHIN: Duration = Duration::from_secs(5 * 60);

/// `POST /reauth`: `{"password"}`, or `{"code", "method"}` (a code of a second factor; the
/// default method is the authenticator app).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReauthInput {
    /// The account password (for a user without a second factor).
    #[serde(default)]
    pub password: Option<Secret>,
    /// A code of the second factor `method`.
    #[serde(default)]
    pub code: Option<Secret>,
    /// Which second factor `code` is of.
    #[serde(default)]
    pub method: SecondFactor,
}

/// `POST /reauth/send`: `{"method"}`, `sms` or `email`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReauthSendInput {
    /// The method whose code to send.
    pub method: SecondFactor,
}

/// 403 `reauth_required`, naming the second factors that can prove the session (none: the
/// password).
fn reauth_required(methods: &[SecondFactor]) -> FlowResponse {
    let mut r = FlowResponse::error(
        StatusCode::FORBIDDEN,
        "reauth_required",
        "confirm it is you (POST /reauth), then try again",
    );
    r.body["methods"] = json!(methods);
    r
}

fn session_ended() -> FlowResponse {
    FlowResponse::error(
        StatusCode::UNAUTHORIZED,
        "session_ended",
        "the session has ended, sign in again",
    )
    .with_session(SessionChange::End)
}

impl Flows {
    fn reauth_within(&self) -> Duration {
        self.config.reauth_within.unwrap_or(DEFAULT_REAUTH_WITHIN)
    }

    /// The registry entry of the request's cookie session, read from the shared state itself
    /// (not a replica's cached answer), so a re-authentication on any replica counts. A
    /// request without a cookie session (a Bearer token) has no proof: 403
    /// `reauth_required`.
    async fn proven_session(&self, headers: &HeaderMap) -> FlowResult<SessionRecord> {
        let Some(Session::SignedIn { id, uid, .. }) = self.session.read(headers) else {
            return Err(reauth_required(&[]));
        };
        self.authenticator
            .shared_state()
            .session(&id)
            .await
            .map_err(super::sessions::unavailable)?
            .filter(|r| r.uid == uid)
            .ok_or_else(session_ended)
    }

    /// Refuses (403 `reauth_required`, with the methods that can prove it) unless the
    /// request's session of `user` was proven within
    /// [`FlowConfig::reauth_within`](super::FlowConfig::reauth_within) and, when the user has
    /// a second factor set up, with it. When LoginRadius cannot say which second factors the
    /// user has, its error (fail closed). Every sensitive helper calls this before it changes
    /// anything.
    pub(super) async fn require_fresh_proof(
        &self,
        headers: &HeaderMap,
        user: &AuthenticatedUser,
    ) -> FlowResult<()> {
        let record = self.proven_session(headers).await?;
        let age = self.authenticator.now() - record.proven_at;
        let fresh = age.whole_milliseconds() <= self.reauth_within().as_millis() as i128;
        if fresh && record.proof.has_second_factor() {
            return Ok(());
        }
        let methods = self
            .second_factors_set_up(user.token.as_secret().clone())
            .await
            .map_err(|e| error_response(&e))?;
        if fresh && methods.is_empty() {
            return Ok(());
        }
        tracing::info!(target: "loginradius::web", proof = ?record.proof, fresh, "fresh proof required");
        Err(reauth_required(&methods))
    }

    /// `POST /reauth` `{"password"}` or `{"code", "method"}`: proves the signed-in session
    /// again through LoginRadius's re-authentication API and records it (the session's
    /// `proven_at`, and its proof) in the registry: `{"reauthenticated": true}`. A user with a
    /// second factor set up must give a code of it (a password alone is 403
    /// `reauth_required`, naming the methods). A wrong password or code is 401; 401 without a
    /// live session; 503 when the registry cannot answer. Limited like a sign-in
    /// ([`Action::Reauth`], per client and per user; `peer` is the connection's address).
    pub async fn reauth(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        input: ReauthInput,
    ) -> FlowResponse {
        let client = self.authenticator.client_addr(peer, headers);
        let account = match self.session.read(headers) {
            Some(Session::SignedIn { uid, .. }) => Some(format!("uid:{uid}")),
            _ => None,
        };
        let limiter = self.limiter();
        if let Err(refused) = limiter
            .admit(Action::Reauth, &client, account.as_deref())
            .await
        {
            tracing::info!(%client, "re-authentication refused by a limit");
            return refused;
        }
        let response = self.try_reauth(headers, input).await.unwrap_or_else(|e| e);
        if let (true, Some(account)) = (response.status == StatusCode::OK, &account) {
            limiter.signed_in(Action::Reauth, account).await;
        }
        response
    }

    async fn try_reauth(
        &self,
        headers: &HeaderMap,
        input: ReauthInput,
    ) -> FlowResult<FlowResponse> {
        let user = self.current_user(headers).await?;
        let record = self.proven_session(headers).await?;
        let proof = match (&input.password, &input.code) {
            (Some(password), None) => {
                non_empty("password", password)?;
                ProofMethod::Password
            }
            (None, Some(code)) => {
                match input.method {
                    SecondFactor::Authenticator => totp_code(code)?,
                    SecondFactor::Sms | SecondFactor::Email => one_time_code(code)?,
                };
                ProofMethod::SecondFactor
            }
            _ => {
                return Err(invalid(
                    "give either `password` or `code` (with its `method`)",
                ));
            }
        };
        let token = user.token.as_secret().clone();
        let methods = self
            .second_factors_set_up(token.clone())
            .await
            .map_err(|e| error_response(&e))?;
        match (&input.password, &input.code) {
            (Some(password), _) => {
                if !methods.is_empty() {
                    return Err(reauth_required(&methods));
                }
                self.client()
                    .reauth()
                    .verify_password(token, password.clone())
                    .deadline(self.sign_in_deadline())
                    .send()
                    .await
                    .map_err(|e| error_response(&e))?;
            }
            (_, Some(code)) => {
                if !methods.contains(&input.method) {
                    return Err(invalid("that second factor is not set up on this account"));
                }
                let code = code.expose().trim();
                let email = user.profile.primary_email().unwrap_or_default();
                self.reauth_with_code(token, input.method, code, email)
                    .await
                    .map_err(|e| error_response(&e))?;
            }
            (None, None) => unreachable_input()?,
        }
        self.record_proof(record, proof).await?;
        tracing::info!(target: "loginradius::web", proof = ?proof, "session re-authenticated");
        Ok(FlowResponse::ok(json!({ "reauthenticated": true })))
    }

    /// Saves `record` proven by `proof` now (only while it exists: a session ended meanwhile
    /// stays ended, 401).
    async fn record_proof(&self, mut record: SessionRecord, proof: ProofMethod) -> FlowResult<()> {
        record.proof = proof;
        record.proven_at = self.authenticator.now();
        let kept = self
            .resave_session(&record)
            .await
            .map_err(super::sessions::unavailable)?;
        if !kept {
            return Err(session_ended());
        }
        // Every replica forgets how it last saw the session proven, so that the step-up
        // requirements of the guards see this proof at once.
        self.authenticator
            .publish(&FleetEvent::SessionProven {
                session: record.id,
                uid: record.uid,
            })
            .await
            .map_err(super::sessions::unavailable)?;
        Ok(())
    }

    /// `POST /reauth/send` `{"method"}`: sends the re-authentication code of `method` (`sms`
    /// to the MFA phone, `email` to the user's primary address) for the signed-in session:
    /// `{"sent": true}`. 401 without a live session.
    pub async fn reauth_send(&self, headers: &HeaderMap, input: ReauthSendInput) -> FlowResponse {
        async {
            let user = self.current_user(headers).await?;
            self.send_reauth_code(
                user.token.as_secret().clone(),
                input.method,
                user.profile.primary_email(),
            )
            .await?;
            Ok(FlowResponse::ok(json!({ "sent": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }
}

/// The input was checked to hold a password or a code above.
fn unreachable_input() -> FlowResult<()> {
    Err(invalid(
        "give either `password` or `code` (with its `method`)",
    ))
}
