//! The counting: per key, a block memo, an attempt count in a fixed window, and a strike count
//! that makes each block longer than the last. Everything in the shared state.

use std::time::Duration;

use http::StatusCode;
use sha2::{Digest, Sha256};

use super::{Action, Limit, LimitConfig};
use crate::auth::flood::{remaining, until};
use crate::auth::{AccessToken, ClientAddr};
use crate::fleet::{SharedState, SharedStateError};
use crate::web::email::account_key;
use crate::web::{FlowResponse, SessionChange};

/// The account a flow's input is about, for the per-account limits.
pub trait AccountKey {
    /// The account (a normalised email), if the input names one.
    fn account(&self) -> Option<String>;
}

/// Whose attempts a key counts.
#[derive(Debug, Clone, Copy)]
enum Who {
    Account,
    Client,
}

/// The limits of one flow for one request, over the shared state.
pub(crate) struct Limiter<'a> {
    pub(crate) fleet: &'a dyn SharedState,
    pub(crate) config: &'a LimitConfig,
}

/// A key's counter names.
struct Keys {
    block: String,
    count: String,
    strikes: String,
}

fn keys(action: Action, who: Who, id: &str) -> Keys {
    let who = match who {
        Who::Account => "account",
        Who::Client => "client",
    };
    let base = format!("limit:{}:{who}:{id}", action.name());
    Keys {
        block: format!("{base}:blocked"),
        count: format!("{base}:count"),
        strikes: format!("{base}:strikes"),
    }
}

/// An account as a key: the SHA-256 of its normalised form (no address in the shared store).
fn hashed(account: &str) -> String {
    hex::encode(Sha256::digest(account_key(account).as_bytes()))
}

/// The key of a second-factor challenge: the digest of its MFA token.
pub(crate) fn challenge_key(token: &AccessToken) -> String {
    hex::encode(Sha256::digest(token.expose().as_bytes()))
}

impl Limiter<'_> {
    /// Counts an attempt of `action` by `client` on `account`: `Ok` to go on, else the 429 (or
    /// the 503 when the shared state cannot be reached).
    pub(crate) async fn admit(
        &self,
        action: Action,
        client: &ClientAddr,
        account: Option<&str>,
    ) -> Result<(), FlowResponse> {
        let rule = self.config.rule(action);
        let mut checks: Vec<(Keys, Limit)> = Vec::with_capacity(2);
        if let (Some(limit), Some(account)) = (rule.per_account, account) {
            checks.push((keys(action, Who::Account, &hashed(account)), limit));
        }
        if let Some(limit) = rule.per_client {
            checks.push((keys(action, Who::Client, &client.to_string()), limit));
        }
        self.admit_keys(action, &checks).await.map_err(|e| match e {
            Refusal::Wait(left) => too_many(left),
            Refusal::Store(e) => store_down(&e),
        })
    }

    async fn admit_keys(&self, action: Action, checks: &[(Keys, Limit)]) -> Result<(), Refusal> {
        // Blocked anywhere: refused without counting (the block does not grow while waited).
        for (keys, _) in checks {
            if let Some(memo) = self.fleet.memo(&keys.block).await?
                && let Some(left) = remaining(&memo)
            {
                return Err(Refusal::Wait(left));
            }
        }
        for (keys, limit) in checks {
            let hits = self.fleet.hit(&keys.count, limit.window).await?;
            if hits.count > limit.attempts {
                let strikes = self
                    .fleet
                    .hit(&keys.strikes, self.config.strike_memory)
                    .await?;
                let delay = self.config.delay_after(strikes.count);
                tracing::warn!(
                    action = action.name(),
                    strike = strikes.count,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "limit passed: attempts refused for a while"
                );
                self.fleet
                    .set_memo(&keys.block, &until(delay), delay)
                    .await?;
                // The window starts again after the delay.
                self.fleet.clear_hits(&keys.count).await?;
                return Err(Refusal::Wait(delay));
            }
        }
        Ok(())
    }

    /// After a full sign-in: the account's count and strikes start again.
    pub(crate) async fn signed_in(&self, action: Action, account: &str) {
        let keys = keys(action, Who::Account, &hashed(account));
        for key in [&keys.count, &keys.strikes] {
            if let Err(e) = self.fleet.clear_hits(key).await {
                tracing::warn!(error = %e, "could not clear a sign-in count");
            }
        }
    }

    /// Whether the challenge `challenge` already took its wrong codes: then the 401 that ends
    /// it (503 when the shared state cannot say).
    pub(crate) async fn challenge_open(&self, challenge: &str) -> Result<(), FlowResponse> {
        match self.fleet.memo(&dead_key(challenge)).await {
            Ok(None) => Ok(()),
            Ok(Some(_)) => Err(challenge_over()),
            Err(e) => Err(store_down(&e)),
        }
    }

    /// Counts a wrong code on `challenge` (alive for `lifetime`): the last allowed one ends
    /// the challenge (401 `too_many_codes`, session ended); before that, `wrong` as it is.
    pub(crate) async fn wrong_code(
        &self,
        challenge: &str,
        lifetime: Duration,
        wrong: FlowResponse,
    ) -> FlowResponse {
        let lifetime = lifetime.max(Duration::from_secs(1));
        let hits = match self
            .fleet
            .hit(&format!("mfa:wrong:{challenge}"), lifetime)
            .await
        {
            Ok(hits) => hits,
            Err(e) => return store_down(&e),
        };
        if hits.count < self.config.wrong_codes() {
            return wrong;
        }
        tracing::warn!(wrong_codes = hits.count, "second-factor challenge ended");
        if let Err(e) = self
            .fleet
            .set_memo(&dead_key(challenge), b"1", lifetime)
            .await
        {
            tracing::warn!(error = %e, "could not record an ended challenge");
        }
        challenge_over()
    }
}

fn dead_key(challenge: &str) -> String {
    format!("mfa:ended:{challenge}")
}

enum Refusal {
    Wait(Duration),
    Store(SharedStateError),
}

impl From<SharedStateError> for Refusal {
    fn from(e: SharedStateError) -> Self {
        Self::Store(e)
    }
}

/// 429 `too_many_attempts` with `Retry-After`.
fn too_many(left: Duration) -> FlowResponse {
    let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    let mut r = FlowResponse::error(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        &format!("too many attempts: try again in {seconds} s"),
    );
    r.retry_after = Some(left);
    r
}

/// 503 when the counts cannot be read: fail closed.
fn store_down(e: &SharedStateError) -> FlowResponse {
    tracing::warn!(error = %e, "limits: shared state unavailable, refusing");
    let mut r = FlowResponse::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "the service is unavailable, try again later",
    );
    r.retry_after = Some(crate::auth::DEFAULT_RETRY_AFTER);
    r
}

/// 401 `too_many_codes`, the pending MFA login ended.
fn challenge_over() -> FlowResponse {
    FlowResponse::error(
        StatusCode::UNAUTHORIZED,
        "too_many_codes",
        "too many wrong codes: sign in again",
    )
    .with_session(SessionChange::End)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::InProcess;
    use crate::web::limits::Rule;

    #[tokio::test]
    async fn past_a_limit_attempts_wait_for_a_growing_delay_then_go_through() {
        let fleet = InProcess::new();
        let limit = Limit::new(2, Duration::from_secs(60));
        let config = LimitConfig::default()
            .with_rule(
                Action::SignIn,
                Rule {
                    per_account: Some(limit),
                    per_client: None,
                },
            )
            .delays(Duration::from_millis(40), Duration::from_millis(500));
        let limiter = Limiter {
            fleet: &fleet,
            config: &config,
        };
        let client = ClientAddr::Unknown;
        let admit = || limiter.admit(Action::SignIn, &client, Some("Jane@Example.com"));
        assert!(admit().await.is_ok());
        assert!(admit().await.is_ok());
        let refused = admit().await.unwrap_err();
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.retry_after, Some(Duration::from_millis(40)));
        // The same account by another spelling is the same count.
        let other = limiter
            .admit(Action::SignIn, &client, Some("jane@EXAMPLE.com"))
            .await;
        assert_eq!(other.unwrap_err().status, StatusCode::TOO_MANY_REQUESTS);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(admit().await.is_ok());
        assert!(admit().await.is_ok());
        let second = admit().await.unwrap_err();
        assert_eq!(second.retry_after, Some(Duration::from_millis(80)));
        // A full sign-in starts the count again.
        tokio::time::sleep(Duration::from_millis(90)).await;
        limiter.signed_in(Action::SignIn, "jane@example.com").await;
        for _ in 0..2 {
            assert!(admit().await.is_ok());
        }
        assert_eq!(
            admit().await.unwrap_err().retry_after,
            Some(Duration::from_millis(40))
        );
    }

    #[tokio::test]
    async fn a_challenge_ends_on_its_last_allowed_wrong_code() {
        let fleet = InProcess::new();
        let config = LimitConfig::default().max_wrong_codes(3);
        let limiter = Limiter {
            fleet: &fleet,
            config: &config,
        };
        let wrong = FlowResponse::error(StatusCode::UNAUTHORIZED, "invalid_code", "x");
        let life = Duration::from_secs(60);
        for _ in 0..2 {
            assert!(limiter.challenge_open("c").await.is_ok());
            assert_eq!(limiter.wrong_code("c", life, wrong.clone()).await, wrong);
        }
        let ended = limiter.wrong_code("c", life, wrong.clone()).await;
        assert_eq!(ended.body["error"], "too_many_codes");
        assert_eq!(ended.session, SessionChange::End);
        assert_eq!(
            limiter.challenge_open("c").await.unwrap_err().body["error"],
            "too_many_codes"
        );
        assert!(limiter.challenge_open("other").await.is_ok());
    }
}
