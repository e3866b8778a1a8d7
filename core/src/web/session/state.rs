//! What the session cookie holds ([`Session`]), and its plain (not yet sealed) form: short
//! keys, a kind tag and a Unix expiry, in JSON.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::AccessToken;
use crate::fleet::SessionId;

/// What the session cookie holds.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Session {
    /// A signed-in user.
    SignedIn {
        /// The LoginRadius access token.
        access_token: AccessToken,
        /// The user's uid.
        uid: String,
        /// When the token (and so the session) expires.
        expires_at: OffsetDateTime,
        /// The session's id: its entry in the shared session registry.
        id: SessionId,
    },
    /// The first MFA step passed; the second (a code of the authenticator app, or a one-time
    /// code by SMS or email) is awaited.
    PendingMfa {
        /// The LoginRadius MFA token (`SecondFactorAuthenticationToken`).
        mfa_token: AccessToken,
        /// When it expires.
        expires_at: OffsetDateTime,
        /// The address emailed one-time codes go to: the one the user signed in with, kept
        /// here so that the browser never chooses it. `None` when the sign-in gave none.
        email: Option<String>,
        /// `true` after a one-factor sign-in (a code texted to the phone) of an account with a
        /// second factor: `mfa_token` is then that sign-in's access token, which becomes the
        /// session's once the second factor is proven (LoginRadius re-authentication). It is
        /// no access token for the guards until then.
        step_up: bool,
    },
    /// The password was right; the sign-in waits for the user's consent (LoginRadius answered
    /// error 1226 with a consent token). The consent step
    /// ([`Flows::login_consent`](crate::web::Flows::login_consent)) submits the choices with
    /// the token, which finishes the sign-in.
    PendingConsent {
        /// The LoginRadius consent token.
        consent_token: AccessToken,
        /// When the consent step expires.
        expires_at: OffsetDateTime,
    },
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignedIn {
                uid, expires_at, ..
            } => f
                .debug_struct("SignedIn")
                .field("uid", uid)
                .field("expires_at", expires_at)
                .finish_non_exhaustive(),
            Self::PendingMfa { expires_at, .. } => f
                .debug_struct("PendingMfa")
                .field("expires_at", expires_at)
                .finish_non_exhaustive(),
            Self::PendingConsent { expires_at, .. } => f
                .debug_struct("PendingConsent")
                .field("expires_at", expires_at)
                .finish_non_exhaustive(),
        }
    }
}

impl Session {
    /// When the session ends.
    pub fn expires_at(&self) -> OffsetDateTime {
        match self {
            Self::SignedIn { expires_at, .. }
            | Self::PendingMfa { expires_at, .. }
            | Self::PendingConsent { expires_at, .. } => *expires_at,
        }
    }

    /// The access token of a signed-in session.
    pub fn access_token(&self) -> Option<&AccessToken> {
        match self {
            Self::SignedIn { access_token, .. } => Some(access_token),
            Self::PendingMfa { .. } | Self::PendingConsent { .. } => None,
        }
    }

    /// The registry id of a signed-in session.
    pub fn id(&self) -> Option<&SessionId> {
        match self {
            Self::SignedIn { id, .. } => Some(id),
            Self::PendingMfa { .. } | Self::PendingConsent { .. } => None,
        }
    }

    /// The address emailed one-time codes go to, for a pending MFA login.
    pub fn mfa_email(&self) -> Option<&str> {
        match self {
            Self::PendingMfa { email, .. } => email.as_deref(),
            Self::SignedIn { .. } | Self::PendingConsent { .. } => None,
        }
    }

    /// The MFA token of a pending MFA login.
    pub fn mfa_token(&self) -> Option<&AccessToken> {
        match self {
            Self::PendingMfa { mfa_token, .. } => Some(mfa_token),
            Self::SignedIn { .. } | Self::PendingConsent { .. } => None,
        }
    }

    /// The consent token of a sign-in waiting for the user's consent.
    pub fn consent_token(&self) -> Option<&AccessToken> {
        match self {
            Self::PendingConsent { consent_token, .. } => Some(consent_token),
            Self::SignedIn { .. } | Self::PendingMfa { .. } => None,
        }
    }
}

/// The sealed payload: short keys, a kind tag, a Unix expiry.
#[derive(Serialize, Deserialize)]
struct Payload {
    /// `s` signed in, `m` pending MFA, `c` pending consent.
    k: char,
    t: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    u: Option<String>,
    /// The session id (signed in only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    i: Option<SessionId>,
    e: i64,
    /// The address of emailed codes (pending MFA only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<String>,
    /// A step-up of a one-factor sign-in (pending MFA only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    r: bool,
}

impl Session {
    /// The plain payload of the session, to be sealed.
    pub(super) fn to_plain(&self) -> String {
        let payload = match self {
            Session::SignedIn {
                access_token,
                uid,
                expires_at,
                id,
            } => Payload {
                k: 's',
                t: access_token.expose().to_owned(),
                u: Some(uid.clone()),
                i: Some(id.clone()),
                e: expires_at.unix_timestamp(),
                a: None,
                r: false,
            },
            Session::PendingMfa {
                mfa_token,
                expires_at,
                email,
                step_up,
            } => Payload {
                k: 'm',
                t: mfa_token.expose().to_owned(),
                u: None,
                i: None,
                e: expires_at.unix_timestamp(),
                a: email.clone(),
                r: *step_up,
            },
            Session::PendingConsent {
                consent_token,
                expires_at,
            } => Payload {
                k: 'c',
                t: consent_token.expose().to_owned(),
                u: None,
                i: None,
                e: expires_at.unix_timestamp(),
                a: None,
                r: false,
            },
        };
        serde_json::to_string(&payload).unwrap_or_default()
    }

    /// The session of an opened payload; `None` for anything malformed.
    pub(super) fn from_plain(plain: &str) -> Option<Self> {
        let payload: Payload = serde_json::from_str(plain).ok()?;
        let expires_at = OffsetDateTime::from_unix_timestamp(payload.e).ok()?;
        if payload.t.is_empty() {
            return None;
        }
        match (payload.k, payload.u, payload.i) {
            ('s', Some(uid), Some(id)) if payload.a.is_none() && !payload.r => {
                Some(Session::SignedIn {
                    access_token: AccessToken::new(payload.t),
                    uid,
                    expires_at,
                    id,
                })
            }
            ('m', None, None) => Some(Session::PendingMfa {
                mfa_token: AccessToken::new(payload.t),
                expires_at,
                email: payload.a,
                step_up: payload.r,
            }),
            ('c', None, None) if payload.a.is_none() && !payload.r => {
                Some(Session::PendingConsent {
                    consent_token: AccessToken::new(payload.t),
                    expires_at,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn signed_in(token: &str) -> Session {
        Session::SignedIn {
            access_token: AccessToken::new(token),
            uid: "u-1".into(),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(10),
            id: SessionId::generate(),
        }
    }

    #[test]
    fn a_pending_mfa_login_keeps_the_address_of_emailed_codes() {
        let pending = Session::PendingMfa {
            mfa_token: AccessToken::new("mfa-1"),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(5),
            email: Some("a@example.com".into()),
            step_up: true,
        };
        let back = Session::from_plain(&pending.to_plain()).unwrap();
        assert_eq!(back.mfa_token(), pending.mfa_token());
        assert_eq!(back.mfa_email(), Some("a@example.com"));
        assert!(matches!(back, Session::PendingMfa { step_up: true, .. }));
        assert!(back.access_token().is_none());
    }

    #[test]
    fn debug_never_shows_tokens() {
        let text = format!("{:?}", signed_in("super-secret"));
        assert!(!text.contains("super-secret"));
        let pending = Session::PendingConsent {
            consent_token: AccessToken::new("consent-secret"),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(5),
        };
        assert!(!format!("{pending:?}").contains("consent-secret"));
    }

    #[test]
    fn a_pending_consent_step_reads_back_and_is_no_signed_in_session() {
        let pending = Session::PendingConsent {
            consent_token: AccessToken::new("ct-1"),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(5),
        };
        let back = Session::from_plain(&pending.to_plain()).unwrap();
        assert_eq!(back.consent_token().map(AccessToken::expose), Some("ct-1"));
        assert!(back.access_token().is_none() && back.id().is_none() && back.mfa_token().is_none());
        for bad in [
            r#"{"k":"c","t":"ct","u":"u-1","e":1}"#,
            r#"{"k":"c","t":"ct","i":"abc","e":1}"#,
            r#"{"k":"c","t":"ct","e":1,"a":"a@example.com"}"#,
            r#"{"k":"c","t":"ct","e":1,"r":true}"#,
            r#"{"k":"c","t":"","e":1}"#,
        ] {
            assert!(Session::from_plain(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_plain_form_reads_back_and_refuses_anything_else() {
        let session = signed_in("tok-1");
        let back = Session::from_plain(&session.to_plain()).unwrap();
        assert_eq!(back.access_token(), session.access_token());
        for bad in [
            "",
            "{}",
            r#"{"k":"s","t":"tok","e":1}"#,
            r#"{"k":"s","t":"tok","u":"u-1","e":1}"#,
            r#"{"k":"m","t":"tok","i":"abc","e":1}"#,
            r#"{"k":"m","t":"tok","u":"u-1","e":1}"#,
            r#"{"k":"s","t":"","u":"u-1","e":1}"#,
            r#"{"k":"x","t":"tok","e":1}"#,
            r#"{"k":"s","t":"tok","u":"u-1","e":1,"a":"a@example.com"}"#,
            r#"{"k":"s","t":"tok","u":"u-1","e":1,"r":true}"#,
        ] {
            assert!(Session::from_plain(bad).is_none(), "{bad}");
        }
    }
}
