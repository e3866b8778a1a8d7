//! API groups: one module per group of the LoginRadius API, each a handle borrowed from the
//! client (`client.roles()`), whose methods take the required arguments and return a request
//! builder with setters for the optional ones.

use crate::LoginRadius;

macro_rules! groups {
    ($( $(#[$doc:meta])* $module:ident :: $ty:ident => $accessor:ident; )*) => {
        $(
            pub mod $module;
            pub use $module::$ty;
        )*

        impl LoginRadius {
            $(
                $(#[$doc])*
                pub fn $accessor(&self) -> $ty<'_> {
                    $ty { client: self }
                }
            )*
        }
    };
}

/// Declares a group handle type.
macro_rules! group_handle {
    ($(#[$doc:meta])* $ty:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $ty<'a> {
            pub(crate) client: &'a $crate::LoginRadius,
        }
    };
}

groups! {
    /// Authentication: login, registration, profile by token, passwords, email verification.
    auth::Auth => auth;
    /// Account management by uid, email or phone (needs the API secret).
    account::Account => account;
    /// Roles, permissions and role contexts (needs the API secret).
    roles::Roles => roles;
    /// Multi-factor authentication.
    mfa::Mfa => mfa;
    /// Passwordless login by email link or phone OTP.
    passwordless::Passwordless => passwordless;
    /// Server-side SOTT generation.
    sott::Sott => sott;
    /// Custom objects attached to users.
    custom_objects::CustomObjects => custom_objects;
    /// Phone authentication.
    phone::Phone => phone;
    /// Site configuration and server information.
    configuration::Configuration => configuration;
    /// Legacy social token and session APIs.
    social::Social => social;
    /// Native social: exchange a provider token for a LoginRadius token.
    native_social::NativeSocial => native_social;
    /// Webhook subscriptions.
    webhooks::Webhooks => webhooks;
    /// Consent management.
    consent::Consent => consent;
    /// Re-authentication.
    reauth::ReAuth => reauth;
    /// PIN authentication.
    pin::Pin => pin;
    /// One-touch login.
    one_touch::OneTouch => one_touch;
    /// Smart login.
    smart_login::SmartLogin => smart_login;
    /// Risk-based authentication.
    risk_based::RiskBased => risk_based;
    /// Sliding token.
    sliding_token::SlidingToken => sliding_token;
}
