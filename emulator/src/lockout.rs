//! LoginRadius's brute-force lockout, emulated: after [`Lockout::attempts`] wrong passwords for
//! one account within [`Lockout::window`], the account is locked the way the site is set up
//! ([`LockoutAction`]):
//!
//! - **suspend**: every sign-in answers 1198 ("Your account has been locked") with
//!   `Data.LoginLockedTimeout` until the suspension ends, the right password included;
//! - **CAPTCHA**: 1132 until a sign-in carries a `g-recaptcha-response` (the emulator accepts
//!   any non-blank answer) or the signed-in user passes `PUT /auth/account/unlock`;
//! - **security question**: 1148 until the account is unlocked by `PUT /auth/account/unlock`
//!   with the security answers.
//!
//! A successful sign-in clears the count. Off unless configured
//! ([`EmulatorConfig::with_lockout`](crate::EmulatorConfig::with_lockout)), as on a LoginRadius
//! site where brute-force lockout is not enabled.

use std::collections::HashMap;
use std::time::Duration;

use loginradius::codes;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::errors::ApiError;
use crate::request::str_ci;
use crate::times::iso;

/// What a lockout does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockoutAction {
    /// Refuses sign-ins for this long (1198 with `LoginLockedTimeout`).
    Suspend(Duration),
    /// Requires a CAPTCHA answer (1132).
    Captcha,
    /// Requires the security answers (1148).
    SecurityQuestion,
}

/// The brute-force lockout of the emulated site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    /// Wrong passwords that lock the account.
    pub attempts: u32,
    /// The window they are counted in (from the first one).
    pub window: Duration,
    /// What the lock does.
    pub action: LockoutAction,
}

impl Lockout {
    /// A suspension of `suspend` after `attempts` wrong passwords within `window`.
    pub fn suspend(attempts: u32, window: Duration, suspend: Duration) -> Self {
        Self {
            attempts,
            window,
            action: LockoutAction::Suspend(suspend),
        }
    }
}

/// One account's failures and lock.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoginLock {
    failures: u32,
    since: Option<OffsetDateTime>,
    locked: Option<Locked>,
}

#[derive(Debug, Clone, Copy)]
enum Locked {
    Until(OffsetDateTime),
    Captcha,
    SecurityQuestion,
}

/// The locks by uid.
pub(crate) type Locks = HashMap<String, LoginLock>;

/// Refuses a sign-in of `uid` while it is locked (before the password is checked).
pub(crate) fn check(
    locks: &mut Locks,
    uid: &str,
    body: &Map<String, Value>,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let Some(lock) = locks.get_mut(uid) else {
        return Ok(());
    };
    match lock.locked {
        None => Ok(()),
        Some(Locked::Until(until)) if until > now => {
            Err(ApiError::new(codes::ACCOUNT_LOCKED_SUSPENDED)
                .with_field("Data", json!({ "LoginLockedTimeout": iso(until) })))
        }
        Some(Locked::Until(_)) => {
            *lock = LoginLock::default();
            Ok(())
        }
        Some(Locked::Captcha) => {
            if str_ci(body, "g-recaptcha-response").is_some_and(|a| !a.trim().is_empty()) {
                Ok(())
            } else {
                Err(ApiError::new(codes::ACCOUNT_LOCKED))
            }
        }
        Some(Locked::SecurityQuestion) => {
            Err(ApiError::new(codes::ACCOUNT_LOCKED_SECURITY_QUESTION))
        }
    }
}

/// Counts a wrong password for `uid`; the one that reaches the limit locks the account.
pub(crate) fn failed(locks: &mut Locks, config: &Lockout, uid: &str, now: OffsetDateTime) {
    let lock = locks.entry(uid.to_owned()).or_default();
    if lock.since.is_none_or(|since| now - since >= config.window) {
        lock.failures = 0;
        lock.since = Some(now);
    }
    lock.failures += 1;
    if lock.failures >= config.attempts.max(1) {
        lock.locked = Some(match config.action {
            LockoutAction::Suspend(d) => Locked::Until(now + d),
            LockoutAction::Captcha => Locked::Captcha,
            LockoutAction::SecurityQuestion => Locked::SecurityQuestion,
        });
    }
}

/// A successful sign-in, or a passed unlock challenge: the count and the lock are gone.
pub(crate) fn clear(locks: &mut Locks, uid: &str) {
    locks.remove(uid);
}
