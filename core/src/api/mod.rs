//! API groups: one module per group of the LoginRadius API, each a handle borrowed from the
//! client (`client.roles()`), whose methods take the required arguments and return a request
//! builder with setters for the optional ones.

use crate::LoginRadius;

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

pub mod account;
pub mod auth;
pub mod configuration;
pub mod consent;
pub mod custom_objects;
pub mod mfa;
pub mod native_social;
pub mod one_touch;
pub mod passwordless;
pub mod phone;
pub mod pin;
pub mod reauth;
pub mod risk_based;
pub mod roles;
pub mod sliding_token;
pub mod smart_login;
pub mod social;
pub mod sott;
pub mod webhooks;

pub use account::Account;
pub use auth::Auth;
pub use configuration::Configuration;
pub use consent::Consent;
pub use custom_objects::CustomObjects;
pub use mfa::Mfa;
pub use native_social::NativeSocial;
pub use one_touch::OneTouch;
pub use passwordless::Passwordless;
pub use phone::Phone;
pub use pin::Pin;
pub use reauth::ReAuth;
pub use risk_based::RiskBased;
pub use roles::Roles;
pub use sliding_token::SlidingToken;
pub use smart_login::SmartLogin;
pub use social::Social;
pub use sott::Sott;
pub use webhooks::Webhooks;

impl LoginRadius {
    /// Authentication: login, registration, profile by token, passwords, email verification.
    pub fn auth(&self) -> Auth<'_> {
        Auth { client: self }
    }

    /// Account management by uid, email or phone (needs the API secret).
    pub fn account(&self) -> Account<'_> {
        Account { client: self }
    }

    /// Roles, permissions and role contexts (needs the API secret).
    pub fn roles(&self) -> Roles<'_> {
        Roles { client: self }
    }

    /// Multi-factor authentication.
    pub fn mfa(&self) -> Mfa<'_> {
        Mfa { client: self }
    }

    /// Passwordless login by email link or phone OTP.
    pub fn passwordless(&self) -> Passwordless<'_> {
        Passwordless { client: self }
    }

    /// Server-side SOTT generation.
    pub fn sott(&self) -> Sott<'_> {
        Sott { client: self }
    }

    /// Custom objects attached to users.
    pub fn custom_objects(&self) -> CustomObjects<'_> {
        CustomObjects { client: self }
    }

    /// Phone authentication.
    pub fn phone(&self) -> Phone<'_> {
        Phone { client: self }
    }

    /// Site configuration and server information.
    pub fn configuration(&self) -> Configuration<'_> {
        Configuration { client: self }
    }

    /// Legacy social token and session APIs.
    pub fn social(&self) -> Social<'_> {
        Social { client: self }
    }

    /// Native social: exchange a provider token for a LoginRadius token.
    pub fn native_social(&self) -> NativeSocial<'_> {
        NativeSocial { client: self }
    }

    /// Webhook subscriptions.
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }

    /// Consent management.
    pub fn consent(&self) -> Consent<'_> {
        Consent { client: self }
    }

    /// Re-authentication.
    pub fn reauth(&self) -> ReAuth<'_> {
        ReAuth { client: self }
    }

    /// PIN authentication.
    pub fn pin(&self) -> Pin<'_> {
        Pin { client: self }
    }

    /// One-touch login.
    pub fn one_touch(&self) -> OneTouch<'_> {
        OneTouch { client: self }
    }

    /// Smart login.
    pub fn smart_login(&self) -> SmartLogin<'_> {
        SmartLogin { client: self }
    }

    /// Risk-based authentication.
    pub fn risk_based(&self) -> RiskBased<'_> {
        RiskBased { client: self }
    }

    /// Sliding token.
    pub fn sliding_token(&self) -> SlidingToken<'_> {
        SlidingToken { client: self }
    }
}
