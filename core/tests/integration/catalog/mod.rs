//! The mapping from each catalog entry (group + Python method) to our call, with sample
//! arguments. One file per API group; each exports `cases()`.

use std::future::Future;
use std::pin::Pin;

use loginradius::LoginRadius;

mod account;
mod auth;
mod configuration;
mod consent;
mod custom_objects;
mod mfa;
mod native_social;
mod one_touch;
mod passwordless;
mod phone;
mod pin;
mod reauth;
mod risk_based;
mod roles;
mod sliding_token;
mod smart_login;
mod social;
mod sott;
mod webhooks;

/// The sample access token, SOTT and uid of the cases.
pub use crate::support::{SOTT, TOKEN, UID};

/// One catalog entry mapped to our client.
pub struct Case {
    /// Catalog `group` (Python class).
    pub group: &'static str,
    /// Catalog `python_method`.
    pub python: &'static str,
    /// Our call, as shown in the migration table.
    pub rust: &'static str,
    /// Makes the call (every optional setter set), ignoring the result.
    pub run: fn(LoginRadius) -> Pin<Box<dyn Future<Output = ()> + Send>>,
}

/// `case!("RoleApi", "get_roles_by_uid", "client.roles().of_user(uid)", |c| c.roles().of_user(UID))`
#[macro_export]
macro_rules! case {
    ($group:literal, $python:literal, $rust:literal, |$c:ident| $call:expr) => {
        $crate::catalog::Case {
            group: $group,
            python: $python,
            rust: $rust,
            run: |$c: loginradius::LoginRadius| {
                Box::pin(async move {
                    let _ = $call.await;
                })
            },
        }
    };
}

/// Every mapped case.
pub fn all() -> Vec<Case> {
    [
        roles::cases(),
        account::cases(),
        mfa::cases(),
        custom_objects::cases(),
        auth::cases(),
        configuration::cases(),
        one_touch::cases(),
        passwordless::cases(),
        sliding_token::cases(),
        smart_login::cases(),
        sott::cases(),
        phone::cases(),
        pin::cases(),
        reauth::cases(),
        risk_based::cases(),
        consent::cases(),
        webhooks::cases(),
        social::cases(),
        native_social::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
