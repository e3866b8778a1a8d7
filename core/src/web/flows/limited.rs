//! The limits around the flows (see [`crate::web::limits`]): what the adapters call with the
//! request's peer address, and the account each input names.

use std::future::Future;
use std::net::IpAddr;

use http::HeaderMap;

use super::consent::ConsentInput;
use super::input::{EmailInput, LinkTokenInput, LoginInput, MfaCodeInput, RegisterInput};
use super::phone::{PhoneInput, PhoneLoginInput};
use super::second_factor::SendCodeInput;
use super::{FlowResponse, Flows, SessionChange};
use crate::web::limits::{AccountKey, Action, Limiter};

impl AccountKey for LoginInput {
    fn account(&self) -> Option<String> {
        Some(self.email.clone())
    }
}

impl AccountKey for EmailInput {
    fn account(&self) -> Option<String> {
        Some(self.email.clone())
    }
}

impl AccountKey for RegisterInput {
    fn account(&self) -> Option<String> {
        Some(self.email.clone())
    }
}

impl AccountKey for ConsentInput {
    fn account(&self) -> Option<String> {
        None
    }
}

impl AccountKey for MfaCodeInput {
    fn account(&self) -> Option<String> {
        None
    }
}

/// A phone number's account key: its digits (so `+1 555-0100` and `+15550100` count as one),
/// apart from email keys.
fn phone_account(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| format!("phone:{digits}"))
}

impl AccountKey for PhoneInput {
    fn account(&self) -> Option<String> {
        phone_account(&self.phone)
    }
}

impl AccountKey for PhoneLoginInput {
    fn account(&self) -> Option<String> {
        phone_account(&self.phone)
    }
}

impl AccountKey for SendCodeInput {
    fn account(&self) -> Option<String> {
        None
    }
}

impl AccountKey for LinkTokenInput {
    fn account(&self) -> Option<String> {
        None
    }
}

impl Flows {
    /// Runs `flow` on `input` within the limits of `action`
    /// ([`FlowConfig::limits`](super::FlowConfig::limits)): the attempt is counted for the
    /// input's account and for the client (`peer`, the connection's remote address, or what a
    /// [trusted proxy](crate::auth::AuthenticatorBuilder::trusted_proxies) forwarded in
    /// `headers`). Past a limit the answer is 429 `too_many_attempts` with `Retry-After` and
    /// `flow` does not run; 503 when the shared state cannot be reached. A flow that signs in
    /// clears its account's count. The adapters' route helpers call every limited flow
    /// through this.
    pub async fn limited<T, F>(
        &self,
        action: Action,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        input: T,
        flow: impl FnOnce(T) -> F,
    ) -> FlowResponse
    where
        T: AccountKey,
        F: Future<Output = FlowResponse>,
    {
        let client = self.authenticator.client_addr(peer, headers);
        let account = input.account();
        let limiter = self.limiter();
        if let Err(refused) = limiter.admit(action, &client, account.as_deref()).await {
            tracing::info!(action = action.name(), %client, "attempt refused by a limit");
            return refused;
        }
        let response = flow(input).await;
        if let (SessionChange::Start(_), Some(account)) = (&response.session, &account) {
            limiter.signed_in(action, account).await;
        }
        response
    }

    /// The limits over the authenticator's shared state.
    pub(crate) fn limiter(&self) -> Limiter<'_> {
        Limiter {
            fleet: &**self.authenticator.shared_state(),
            config: &self.config.limits,
        }
    }
}
