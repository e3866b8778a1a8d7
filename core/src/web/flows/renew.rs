//! A session outlives one access token: while it is live, its LoginRadius token is renewed
//! through the sliding-token API before it expires, and the cookie re-issued (same session id),
//! unseen by the user. The adapters call [`Flows::renew_session`] from a middleware.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use time::OffsetDateTime;

use super::{Flows, expiry};
use crate::auth::AccessToken;
use crate::fleet::{SessionClaim, SessionId};
use crate::web::session::Session;

/// How long before its token expires a session is renewed, by default (5 minutes).
pub const DEFAULT_RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// How long a renewal is kept for the other requests that carry the same old cookie (they get
/// the same renewed cookie, without another call). Keyed by the session and its old expiry,
/// so the renewed cookie is renewed again in its turn.
pub(super) const RENEWAL_KEPT: Duration = Duration::from_secs(30);

/// Why a session was not renewed (logged; the request goes on with its current token).
#[derive(Debug, thiserror::Error)]
enum NotRenewed {
    #[error("the session is not live")]
    NotLive,
    #[error("LoginRadius refused or could not renew the token: {0}")]
    Upstream(String),
    #[error("the session registry cannot answer")]
    Registry,
}

impl Flows {
    fn renew_before(&self) -> Duration {
        self.config.renew_before.unwrap_or(DEFAULT_RENEW_BEFORE)
    }

    /// The `Set-Cookie` that renews the request's session, when its token expires within
    /// [`FlowConfig::renew_before`](super::FlowConfig::renew_before) (default 5 minutes) and
    /// the session is live in the registry: the token is slid forward at LoginRadius
    /// (`GET /identity/v2/auth/access_token/sliding_token`), the cookie re-issued with the same
    /// session id and the new expiry, and the registry's sealed token follows. Concurrent
    /// requests of one session make one renewal between them. `None` when no renewal is due
    /// or it failed (logged): the request goes on, and the guard judges its current token.
    pub async fn renew_session(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        let Some(Session::SignedIn {
            access_token,
            uid,
            expires_at,
            id,
        }) = self.session.read(headers)
        else {
            return None;
        };
        let left = expires_at - OffsetDateTime::now_utc();
        if left > self.renew_before() {
            return None;
        }
        let renewed = self
            .renewals
            .try_get_with(
                (id.clone(), expires_at.unix_timestamp()),
                self.renew(access_token, uid, id),
            )
            .await;
        match renewed {
            Ok(session) => Some(self.session.start(headers, &session)),
            Err(error) => {
                tracing::debug!(target: "loginradius::web", "session not renewed: {error}");
                None
            }
        }
    }

    async fn renew(
        &self,
        token: AccessToken,
        uid: String,
        id: SessionId,
    ) -> Result<Session, NotRenewed> {
        let claim = SessionClaim {
            id: id.clone(),
            uid: uid.clone(),
        };
        let mut record = self
            .authenticator
            .check_session(&claim)
            .await
            .map_err(|_| NotRenewed::NotLive)?;
        let answer = self
            .client()
            .sliding_token()
            .extend(token.as_secret().clone())
            .send()
            .await
            .map_err(|e| NotRenewed::Upstream(e.to_string()))?;
        if answer.access_token.is_blank() {
            return Err(NotRenewed::Upstream("no token in the answer".into()));
        }
        let renewed_token = AccessToken::from(answer.access_token);
        if renewed_token != token {
            record.sealed_token = Some(self.session.seal_registry_token(&id, &renewed_token));
            let kept = self
                .resave_session(&record)
                .await
                .map_err(|_| NotRenewed::Registry)?;
            if !kept {
                return Err(NotRenewed::NotLive);
            }
        }
        // The cached lookup holds the old expiry: validated again with the new one.
        self.authenticator.forget(&token).await;
        tracing::debug!(target: "loginradius::web", session = ?id, "session renewed");
        Ok(Session::SignedIn {
            access_token: renewed_token,
            uid,
            expires_at: expiry(answer.expires_in),
            id,
        })
    }
}
