//! Sessions in the shared registry: saved at sign-in, checked when the flows read the session
//! (idle and absolute timeouts, ended elsewhere, "not before" of the user), removed at
//! sign-out, listed for their user.

use std::time::Duration;

use http::{HeaderMap, HeaderValue, StatusCode, header::USER_AGENT};
use serde_json::json;
use time::OffsetDateTime;

use super::input::FlowResult;
use super::{FlowResponse, Flows, SessionChange};
use crate::auth::{Authenticator, Decision, SessionRefused};
use crate::fleet::{
    FleetEvent, ProofMethod, SessionClaim, SessionId, SessionRecord, SharedStateError,
};
use crate::web::session::{Session, SessionCookie};

/// The longest user-agent summary kept.
const MAX_AGENT_LEN: usize = 48;

impl Flows {
    /// Saves the registry entry of the new signed-in session `session`, proven by `proof` at
    /// `proven_at`.
    pub(super) async fn register_session(
        &self,
        headers: &HeaderMap,
        session: &Session,
        proof: ProofMethod,
        proven_at: OffsetDateTime,
    ) -> Result<(), SharedStateError> {
        let (Some(id), Session::SignedIn { uid, .. }) = (session.id(), session) else {
            return Ok(());
        };
        let now = self.authenticator.now();
        let record = SessionRecord {
            id: id.clone(),
            uid: uid.clone(),
            created_at: now,
            last_seen: now,
            user_agent: user_agent_summary(headers.get(USER_AGENT)),
            proof,
            proven_at,
            sealed_token: session
                .access_token()
                .map(|token| self.session.seal_registry_token(id, token)),
        };
        self.authenticator
            .shared_state()
            .save_session(&record, self.authenticator.session_timeouts().absolute)
            .await
    }

    /// Saves a changed registry entry `record`, only while it exists (a session ended
    /// meanwhile stays ended), for what is left of its absolute timeout: whether it was kept.
    pub(super) async fn resave_session(
        &self,
        record: &SessionRecord,
    ) -> Result<bool, SharedStateError> {
        let ttl = self
            .authenticator
            .session_timeouts()
            .remaining(record, self.authenticator.now());
        self.authenticator
            .shared_state()
            .touch_session(record, ttl)
            .await
    }

    /// The registry entry of the request's signed-in session, checked: 401 (and the cookie
    /// ended) when there is no session, or it was ended, or it passed a timeout, or its user's
    /// sessions were ended after it started; 503 when the registry cannot answer. Refreshes
    /// `last_seen` at most once a minute.
    pub(super) async fn current_session(&self, headers: &HeaderMap) -> FlowResult<SessionRecord> {
        let ended = || {
            FlowResponse::error(
                StatusCode::UNAUTHORIZED,
                "session_ended",
                "the session has ended, sign in again",
            )
            .with_session(SessionChange::End)
        };
        let Some(Session::SignedIn { id, uid, .. }) = self.session.read(headers) else {
            return Err(ended());
        };
        match self
            .authenticator
            .check_session(&SessionClaim { id, uid })
            .await
        {
            Ok(record) => Ok(record),
            Err(SessionRefused::Ended) => Err(ended()),
            Err(SessionRefused::Unavailable(e)) => Err(unavailable(e)),
        }
    }

    /// Ends the request's session in the registry (sign-out): removes it and tells every
    /// replica ([`FleetEvent::SessionEnded`]).
    pub(super) async fn end_current_session(
        &self,
        headers: &HeaderMap,
    ) -> Result<(), SharedStateError> {
        let Some(Session::SignedIn { id, uid, .. }) = self.session.read(headers) else {
            return Ok(());
        };
        self.remove_and_announce(&id, &uid).await
    }

    async fn remove_and_announce(&self, id: &SessionId, uid: &str) -> Result<(), SharedStateError> {
        remove_and_announce(&self.authenticator, id, uid)
            .await
            .map(|_| ())
    }

    /// `GET /sessions`: the live sessions of the signed-in user, oldest first, as
    /// `{"sessions": [{"id", "created_at", "last_seen", "user_agent", "current"}]}` (Unix
    /// seconds; no token). 401 without a live session, 503 when the registry cannot answer.
    pub async fn sessions(&self, headers: &HeaderMap) -> FlowResponse {
        match self.try_sessions(headers).await {
            Ok(r) | Err(r) => r,
        }
    }

    async fn try_sessions(&self, headers: &HeaderMap) -> FlowResult<FlowResponse> {
        let current = self.current_session(headers).await?;
        let mut all = self
            .authenticator
            .shared_state()
            .sessions_of(&current.uid)
            .await
            .map_err(unavailable)?;
        SessionRecord::sort_oldest_first(&mut all);
        let not_before = self
            .authenticator
            .shared_state()
            .not_before(&current.uid)
            .await
            .map_err(unavailable)?;
        let now = self.authenticator.now();
        let timeouts = self.authenticator.session_timeouts();
        let sessions: Vec<_> = all
            .iter()
            .filter(|r| r.id == current.id || timeouts.is_live(r, not_before, now))
            .map(|r| {
                json!({
                    "id": r.id.as_str(),
                    "created_at": r.created_at.unix_timestamp(),
                    "last_seen": r.last_seen.unix_timestamp(),
                    "user_agent": r.user_agent,
                    "current": r.id == current.id,
                })
            })
            .collect();
        Ok(FlowResponse::ok(json!({ "sessions": sessions })))
    }
}

impl Flows {
    /// `DELETE /sessions/{id}`: ends one session of the signed-in user (the current one
    /// included: its cookie is then ended and its token logged out), on every replica.
    /// `{"ended": true}`; 404 `not_found` for an id that is not one of the user's live
    /// sessions (another user's is never touched nor revealed); 401 without a live session.
    pub async fn end_session(&self, headers: &HeaderMap, id: &str) -> FlowResponse {
        match self.try_end_session(headers, id).await {
            Ok(r) | Err(r) => r,
        }
    }

    async fn try_end_session(&self, headers: &HeaderMap, id: &str) -> FlowResult<FlowResponse> {
        let current = self.current_session(headers).await?;
        let not_found =
            || FlowResponse::error(StatusCode::NOT_FOUND, "not_found", "no such session");
        let id = SessionId::from_string(id).ok_or_else(not_found)?;
        let fleet = self.authenticator.shared_state();
        let target = fleet.session(&id).await.map_err(unavailable)?;
        let Some(target) = target.filter(|t| t.uid == current.uid) else {
            return Err(not_found());
        };
        let ended = FlowResponse::ok(json!({ "ended": true }));
        if id != current.id {
            end_session(&self.authenticator, &self.session, &target)
                .await
                .map_err(unavailable)?;
            return Ok(ended);
        }
        self.remove_and_announce(&id, &current.uid)
            .await
            .map_err(unavailable)?;
        if let Some(token) = self.session.access_token(headers) {
            // `logout` evicts first and logs an upstream failure itself.
            let _ = self.authenticator.logout(&token).await;
        }
        Ok(ended.with_session(SessionChange::End))
    }

    /// `POST /sessions/end-others`: ends every session of the signed-in user but the current
    /// one, on every replica. `{"ended": n}`; 401 without a live session; 503 when the
    /// registry cannot answer.
    pub async fn end_other_sessions(&self, headers: &HeaderMap) -> FlowResponse {
        match self.try_end_other_sessions(headers).await {
            Ok(r) | Err(r) => r,
        }
    }

    async fn try_end_other_sessions(&self, headers: &HeaderMap) -> FlowResult<FlowResponse> {
        let user = self.current_user(headers).await?;
        self.require_fresh_proof(headers, &user).await?;
        let current = self.current_session(headers).await?;
        let ended = end_sessions_of(
            &self.authenticator,
            &self.session,
            &current.uid,
            Some(&current.id),
            None,
        )
        .await
        .map_err(unavailable)?;
        Ok(FlowResponse::ok(json!({ "ended": ended })))
    }
}

impl Flows {
    /// After a second factor was turned on (`on`, with a code of it: a fresh second-factor
    /// proof) or off (proving nothing: the session keeps its proof): ends the user's other
    /// sessions on every replica, re-issues this one, and answers `{key: on}`.
    pub(super) async fn second_factor_changed(
        &self,
        headers: &HeaderMap,
        uid: &str,
        key: &str,
        on: bool,
    ) -> FlowResult<FlowResponse> {
        let reproof = if on {
            Reproof::Now(ProofMethod::SecondFactor)
        } else {
            Reproof::Kept
        };
        let session = self
            .end_sessions_but_this_one(headers, uid, reproof)
            .await?;
        Ok(FlowResponse::ok(json!({ key: on })).with_session(session))
    }
}

/// How the session re-issued after a change of credentials is proven.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reproof {
    /// Proven now, by this method (the change itself was a proof: a code of the new second
    /// factor, the current password).
    Now(ProofMethod),
    /// As the session was: its method and time carry over (a second factor turned off proves
    /// nothing new, and must not make the session look freshly proven).
    Kept,
}

impl Flows {
    /// After a change of credentials (password changed, second factor enabled or disabled):
    /// ends every session and cached token of `uid` on every replica (a "not before" of now in
    /// the shared state and [`FleetEvent::UserSessionsEnded`]), and re-issues the request's
    /// session under a new id, created now and proven as `reproof` says, so it stays signed
    /// in. 401 (and the cookie ended) when the request's session is no longer in the registry;
    /// 503 when the registry cannot answer.
    pub(super) async fn end_sessions_but_this_one(
        &self,
        headers: &HeaderMap,
        uid: &str,
        reproof: Reproof,
    ) -> FlowResult<SessionChange> {
        let fleet = self.authenticator.shared_state();
        let now = self.authenticator.now();
        fleet
            .set_not_before(uid, now, self.authenticator.session_timeouts().absolute)
            .await
            .map_err(unavailable)?;
        self.authenticator
            .publish(&FleetEvent::UserSessionsEnded {
                uid: uid.to_owned(),
                not_before: now,
            })
            .await
            .map_err(unavailable)?;
        let Some(Session::SignedIn {
            access_token,
            uid: session_uid,
            expires_at,
            id,
        }) = self
            .session
            .read(headers)
            .filter(|s| matches!(s, Session::SignedIn { uid: u, .. } if u == uid))
        else {
            // Signed in by `Authorization: Bearer`: no session to keep.
            return Ok(SessionChange::Keep);
        };
        let (proof, proven_at) = match reproof {
            Reproof::Now(method) => (method, now),
            Reproof::Kept => match fleet.session(&id).await.map_err(unavailable)? {
                Some(record) if record.uid == uid => (record.proof, record.proven_at),
                _ => {
                    return Err(FlowResponse::error(
                        StatusCode::UNAUTHORIZED,
                        "session_ended",
                        "the session has ended, sign in again",
                    )
                    .with_session(SessionChange::End));
                }
            },
        };
        // The other sessions' tokens are invalidated; this one's lives on in the renewed
        // session. Best effort: the "not before" already refuses the old entries.
        if let Err(error) =
            end_sessions_of(&self.authenticator, &self.session, uid, Some(&id), None).await
        {
            tracing::warn!(target: "loginradius::web", "ending the other sessions: {error}");
        }
        let _ = fleet.remove_session(&id).await;
        let renewed = Session::SignedIn {
            access_token,
            uid: session_uid,
            expires_at,
            id: SessionId::generate(),
        };
        self.register_session(headers, &renewed, proof, proven_at)
            .await
            .map_err(unavailable)?;
        Ok(SessionChange::Start(renewed))
    }
}

impl Flows {
    /// `POST /admin/users/{uid}/sessions/end`: an administrator (meeting
    /// [`FlowConfig::admin`](super::FlowConfig::admin); 403 for everyone when it is not set)
    /// ends every session and cached token of `uid` on every replica. `{"ended": n}` (the
    /// registry entries removed); 401/403/503 as the requirement decides.
    pub async fn end_user_sessions(&self, headers: &HeaderMap, uid: &str) -> FlowResponse {
        let Some(require) = &self.config.admin else {
            return FlowResponse::error(
                StatusCode::FORBIDDEN,
                "forbidden",
                "no administrator requirement is configured",
            );
        };
        if let Decision::Reject(rejection) = self.authenticator.decide(headers, require).await {
            return FlowResponse::from_rejection(&rejection);
        }
        let fresh = async {
            let admin = self.current_user(headers).await?;
            self.require_fresh_proof(headers, &admin).await
        };
        if let Err(refused) = fresh.await {
            return refused;
        }
        match self.end_all_sessions_of(uid).await {
            Ok(ended) => FlowResponse::ok(json!({ "ended": ended })),
            Err(error) => unavailable(error),
        }
    }

    /// Ends every session of `uid` on every replica (a "not before" of now, and each entry
    /// ended with its LoginRadius token); how many there were.
    pub(super) async fn end_all_sessions_of(&self, uid: &str) -> Result<usize, SharedStateError> {
        let fleet = self.authenticator.shared_state();
        let now = self.authenticator.now();
        fleet
            .set_not_before(uid, now, self.authenticator.session_timeouts().absolute)
            .await?;
        self.authenticator
            .publish(&FleetEvent::UserSessionsEnded {
                uid: uid.to_owned(),
                not_before: now,
            })
            .await?;
        end_sessions_of(&self.authenticator, &self.session, uid, None, None).await
    }
}

/// Removes the session `id` of `uid` from the registry and tells every replica
/// ([`FleetEvent::SessionEnded`]); the removed entry, if it was there.
async fn remove_and_announce(
    authenticator: &Authenticator,
    id: &SessionId,
    uid: &str,
) -> Result<Option<SessionRecord>, SharedStateError> {
    let removed = authenticator.shared_state().remove_session(id).await?;
    authenticator
        .publish(&FleetEvent::SessionEnded {
            session: id.clone(),
            uid: uid.to_owned(),
        })
        .await?;
    Ok(removed)
}

/// Ends `record`'s session on every replica and invalidates its LoginRadius token (opened from
/// the entry with `cookie`'s key; a failure upstream is logged: the session is ended anyway).
async fn end_session(
    authenticator: &Authenticator,
    cookie: &SessionCookie,
    record: &SessionRecord,
) -> Result<(), SharedStateError> {
    remove_and_announce(authenticator, &record.id, &record.uid).await?;
    invalidate_token(authenticator, cookie, record).await;
    Ok(())
}

/// Invalidates the LoginRadius token of `record` (opened with `cookie`'s key) at LoginRadius
/// and on every replica; a failure upstream is logged.
async fn invalidate_token(
    authenticator: &Authenticator,
    cookie: &SessionCookie,
    record: &SessionRecord,
) {
    let token = record
        .sealed_token
        .as_deref()
        .and_then(|sealed| cookie.open_registry_token(&record.id, sealed));
    if let Some(token) = token {
        // `logout` evicts first, logs an upstream failure itself and publishes TokenRevoked.
        let _ = authenticator.logout(&token).await;
    }
}

/// Ends every session of `uid` but `keep` (if any) on every replica, invalidating their
/// LoginRadius tokens; how many were ended. The one path of a password change, a change of
/// second factor, an administrator's end, "end all others" and the account webhooks.
///
/// With `before` (a webhook telling of a change at that instant) only the sessions created
/// before it end, and their tokens are evicted on every replica (the bus's
/// `UserSessionsEnded`) but not invalidated at LoginRadius: when the change was made through
/// the route helpers, the webhook can arrive while the helper re-issues its own session with
/// the same token, which must live on. A session's token is only ever in its encrypted cookie
/// and sealed in its entry, so an ended session's token is of no use to its cookie's holder.
pub(crate) async fn end_sessions_of(
    authenticator: &Authenticator,
    cookie: &SessionCookie,
    uid: &str,
    keep: Option<&SessionId>,
    before: Option<OffsetDateTime>,
) -> Result<usize, SharedStateError> {
    let all = authenticator.shared_state().sessions_of(uid).await?;
    let mut ended = 0;
    let ends = |r: &&SessionRecord| {
        Some(&r.id) != keep && before.is_none_or(|before| r.created_at < before)
    };
    for record in all.iter().filter(ends) {
        if before.is_some() {
            remove_and_announce(authenticator, &record.id, &record.uid).await?;
        } else {
            end_session(authenticator, cookie, record).await?;
        }
        ended += 1;
    }
    Ok(ended)
}

/// The 503 of a registry that cannot answer (fail closed).
pub(super) fn unavailable(error: SharedStateError) -> FlowResponse {
    tracing::warn!(target: "loginradius::web", "session registry: {error}");
    let mut r = FlowResponse::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "the session store cannot answer",
    );
    r.retry_after = Some(Duration::from_secs(5));
    r
}

/// A short summary of a `User-Agent` ("Firefox on Linux"), for the sessions page: the browser
/// and the system by well-known markers, else the start of the header; at most
/// [`MAX_AGENT_LEN`] characters.
fn user_agent_summary(header: Option<&HeaderValue>) -> String {
    let Some(ua) = header
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.is_empty())
    else {
        return "unknown".to_owned();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        _ => ua
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_AGENT_LEN)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_summarised_short() {
        let ua = |s: &str| user_agent_summary(Some(&HeaderValue::from_str(s).unwrap()));
        assert_eq!(
            ua("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            "Firefox on Linux"
        );
        assert_eq!(
            ua("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120 Safari/537.36 Edg/120"),
            "Edge on Windows"
        );
        assert_eq!(user_agent_summary(None), "unknown");
        assert_eq!(ua(&"x".repeat(300)).len(), MAX_AGENT_LEN);
    }
}
