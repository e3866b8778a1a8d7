//! Guessing slowed down: the route helpers' limits per account and per client.
//!
//! Each limited flow ([`Action`]) has a [`Rule`]: at most so many attempts per account (the
//! normalised email) and per client ([`ClientAddr`](crate::auth::ClientAddr): the peer, or what
//! trusted proxies forwarded) in a window. An attempt past a limit is refused with
//! `429 too_many_attempts` and `Retry-After`, without calling LoginRadius, and blocks that
//! account or client for a delay that doubles with each time the limit is passed again
//! ([`LimitConfig::delays`]: by default 1 minute, then 2, 4, … up to 15 minutes). Never for
//! good: an attacker can keep an account waiting, never lock its owner out, and the owner gets
//! in once the delay is over. A full sign-in clears the account's count.
//!
//! The counts live in the authenticator's [shared state](crate::fleet::SharedState), so the
//! limits hold across every replica of a fleet with the Redis backend. When the shared state
//! cannot be reached the flow is refused with 503: a limit is never skipped on doubt.
//!
//! A second-factor challenge also ends after [`LimitConfig::max_wrong_codes`] wrong codes
//! (default 5): the pending MFA login is dropped and the user signs in again.

mod limiter;

use std::time::Duration;

pub use limiter::AccountKey;
pub(crate) use limiter::{Limiter, challenge_key};

/// A limited flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// `POST /login`.
    SignIn,
    /// `POST /login/mfa`.
    MfaStep,
    /// `POST /passwordless/send`.
    PasswordlessSend,
    /// `POST /passwordless/verify`.
    PasswordlessVerify,
    /// `POST /forgot-password`.
    ForgotPassword,
    /// `POST /register`.
    Register,
    /// `POST /resend-verification`.
    ResendVerification,
    /// `POST /phone/send`: a sign-in code texted to a phone.
    PhoneSend,
    /// `POST /phone/login`: sign-in with a texted code.
    PhoneLogin,
    /// `POST /login/mfa/send`: a second-factor code texted or emailed for a pending sign-in.
    MfaCodeSend,
    /// `POST /reauth` (re-authentication of a signed-in session; its account is the
    /// session's user).
    Reauth,
    /// `POST /login/consent`: the consent step of a sign-in.
    ConsentStep,
}

impl Action {
    /// Every limited flow.
    pub const ALL: [Action; 12] = [
        Action::SignIn,
        Action::MfaStep,
        Action::PasswordlessSend,
        Action::PasswordlessVerify,
        Action::ForgotPassword,
        Action::Register,
        Action::ResendVerification,
        Action::PhoneSend,
        Action::PhoneLogin,
        Action::MfaCodeSend,
        Action::Reauth,
        Action::ConsentStep,
    ];

    /// The flow's name in shared-state keys and logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::MfaStep => "mfa_step",
            Self::PasswordlessSend => "passwordless_send",
            Self::PasswordlessVerify => "passwordless_verify",
            Self::ForgotPassword => "forgot_password",
            Self::Register => "register",
            Self::ResendVerification => "resend_verification",
            Self::PhoneSend => "phone_send",
            Self::PhoneLogin => "phone_login",
            Self::MfaCodeSend => "mfa_code_send",
            Self::Reauth => "reauth",
            Self::ConsentStep => "consent_step",
        }
    }
}

/// At most `attempts` in each `window` (a fixed window that starts with its first attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts allowed in one window.
    pub attempts: u64,
    /// The window.
    pub window: Duration,
}

impl Limit {
    /// `attempts` per `window`.
    pub const fn new(attempts: u64, window: Duration) -> Self {
        Self { attempts, window }
    }
}

/// The limits of one flow: per account and per client; `None` is no limit of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Per account (the normalised email, or the phone number's digits).
    pub per_account: Option<Limit>,
    /// Per client address.
    pub per_client: Option<Limit>,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Rule {
    /// The default rule of `action` (see the README's table "What the route helpers defend
    /// against").
    pub const fn default_for(action: Action) -> Rule {
        let (account, client) = match action {
            Action::SignIn | Action::PhoneLogin | Action::Reauth => {
                (Some(Limit::new(5, Duration::from_secs(5 * 60))), 50)
            }
            Action::MfaStep | Action::MfaCodeSend | Action::ConsentStep => (None, 30),
            Action::PasswordlessVerify => (None, 30),
            Action::PasswordlessSend
            | Action::ForgotPassword
            | Action::ResendVerification
            | Action::PhoneSend => (Some(Limit::new(3, Duration::from_secs(15 * 60))), 30),
            Action::Register => (Some(Limit::new(3, Duration::from_secs(60 * 60))), 20),
        };
        Rule {
            per_account: account,
            per_client: Some(Limit::new(client, Duration::from_secs(5 * 60))),
        }
    }
}

/// Default delay after a limit is first passed.
pub const DEFAULT_FIRST_DELAY: Duration = MINUTE;
/// Default longest delay.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Default time a passed limit is remembered (the delay grows while it is).
pub const DEFAULT_STRIKE_MEMORY: Duration = Duration::from_secs(24 * 60 * 60);
/// Default wrong codes that end a second-factor challenge.
pub const DEFAULT_MAX_WRONG_CODES: u64 = 5;

/// The limits of the route helpers ([`FlowConfig::limits`](crate::web::FlowConfig::limits)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitConfig {
    rules: [Rule; Action::ALL.len()],
    first_delay: Duration,
    max_delay: Duration,
    strike_memory: Duration,
    max_wrong_codes: u64,
}

impl Default for LimitConfig {
    fn default() -> Self {
        Self {
            rules: Action::ALL.map(Rule::default_for),
            first_delay: DEFAULT_FIRST_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            strike_memory: DEFAULT_STRIKE_MEMORY,
            max_wrong_codes: DEFAULT_MAX_WRONG_CODES,
        }
    }
}

impl LimitConfig {
    /// The rule of `action`.
    pub fn rule(&self, action: Action) -> Rule {
        self.rules[index(action)]
    }

    /// Replaces the rule of `action`.
    pub fn with_rule(mut self, action: Action, rule: Rule) -> Self {
        self.rules[index(action)] = rule;
        self
    }

    /// The delay after a limit is first passed (`first`), doubling each time it is passed again
    /// while remembered, up to `max`. Both at least a millisecond.
    pub fn delays(mut self, first: Duration, max: Duration) -> Self {
        let floor = Duration::from_millis(1);
        self.first_delay = first.max(floor);
        self.max_delay = max.max(self.first_delay);
        self
    }

    /// How long a passed limit is remembered for the growing delay (default 24 hours).
    pub fn strike_memory(mut self, memory: Duration) -> Self {
        self.strike_memory = memory.max(Duration::from_millis(1));
        self
    }

    /// How many wrong codes end a second-factor challenge (default 5, at least 1).
    pub fn max_wrong_codes(mut self, codes: u64) -> Self {
        self.max_wrong_codes = codes.max(1);
        self
    }

    /// The delay after the `strike`-th time a limit is passed (1-based).
    pub fn delay_after(&self, strike: u64) -> Duration {
        let doublings = u32::try_from(strike.saturating_sub(1)).unwrap_or(u32::MAX);
        let factor = 2u32.checked_pow(doublings.min(31)).unwrap_or(u32::MAX);
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wrong codes that end a second-factor challenge.
    pub fn wrong_codes(&self) -> u64 {
        self.max_wrong_codes
    }
}

fn index(action: Action) -> usize {
    Action::ALL.iter().position(|a| *a == action).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let c = LimitConfig::default();
        assert_eq!(c.delay_after(1), MINUTE);
        assert_eq!(c.delay_after(2), 2 * MINUTE);
        assert_eq!(c.delay_after(4), 8 * MINUTE);
        assert_eq!(c.delay_after(5), 15 * MINUTE);
        assert_eq!(c.delay_after(u64::MAX), 15 * MINUTE);
        let rule = Rule::default_for(Action::SignIn);
        assert_eq!(c.rule(Action::SignIn), rule);
        let none = Rule {
            per_account: None,
            per_client: None,
        };
        assert_eq!(
            c.with_rule(Action::Register, none).rule(Action::Register),
            none
        );
    }
}
