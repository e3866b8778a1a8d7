//! In-memory state: users, tokens, one-time links, MFA challenges, roles and custom objects.
//! One mutex guards the store; it is only ever held inside synchronous code (never across an
//! `await`).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use loginradius::wire::sott::SottKey;
use rand::Rng;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::outbox::Outbox;
use crate::passwords;
use crate::stats::Stats;

/// Lifetime of email verification, password reset and delete-account links (72 h, as documented).
pub(crate) const LINK_TTL: time::Duration = time::Duration::hours(72);
/// Lifetime of passwordless login links.
pub(crate) const PASSWORDLESS_TTL: time::Duration = time::Duration::minutes(15);
/// Lifetime of a `SecondFactorAuthenticationToken`.
pub(crate) const MFA_CHALLENGE_TTL: time::Duration = time::Duration::minutes(10);
/// Lifetime of a refresh token (60 days, LoginRadius's default).
pub(crate) const REFRESH_TTL: time::Duration = time::Duration::days(60);

/// Everything the server shares between requests.
pub(crate) struct AppState {
    pub(crate) config: EmulatorConfig,
    pub(crate) sott_key: SottKey,
    store: Mutex<Store>,
    pub(crate) outbox: Outbox,
    pub(crate) faults: Faults,
    pub(crate) stats: Stats,
    clock_offset_ms: AtomicI64,
    base_url: OnceLock<String>,
    /// Bounds how many requests run their (blocking, CPU-bound) handlers at once, so a burst of
    /// sign-ins queues instead of starting a thread and a password hash per request.
    pub(crate) handler_slots: tokio::sync::Semaphore,
}

/// How many handlers may run at once: twice the cores the process may use (at least two).
fn handler_slot_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

impl AppState {
    pub(crate) fn new(config: EmulatorConfig) -> Self {
        let sott_key = SottKey::derive(&config.api_secret);
        let state = Self {
            sott_key,
            store: Mutex::new(Store::default()),
            outbox: Outbox::default(),
            faults: Faults::default(),
            stats: Stats::default(),
            clock_offset_ms: AtomicI64::new(0),
            base_url: OnceLock::new(),
            handler_slots: tokio::sync::Semaphore::new(handler_slot_count()),
            config,
        };
        state.seed();
        state
    }

    fn seed(&self) {
        let now = self.now();
        let mut store = self.store();
        for role in &self.config.roles {
            store.roles.insert(
                role.name.clone(),
                role.permissions.iter().map(|p| (p.clone(), true)).collect(),
            );
        }
        for seed in &self.config.users {
            let mut user = User::new(seed.uid.clone(), now);
            user.emails.push(EmailEntry::primary(&seed.email));
            user.email_verified = seed.email_verified;
            user.username = seed.username.clone();
            user.password_hash = Some(passwords::hash(&seed.password));
            if let Some(first) = &seed.first_name {
                user.fields
                    .insert("FirstName".into(), Value::String(first.clone()));
            }
            if let Some(last) = &seed.last_name {
                user.fields
                    .insert("LastName".into(), Value::String(last.clone()));
            }
            for role in &seed.roles {
                let name = match store.role_name(role) {
                    Some(name) => name,
                    None => {
                        store.roles.insert(role.clone(), BTreeMap::new());
                        role.clone()
                    }
                };
                if !user.roles.contains(&name) {
                    user.roles.push(name);
                }
            }
            store.users.insert(user.uid.clone(), user);
        }
    }

    /// Locks the store. A poisoned lock is recovered: every mutation leaves the maps usable.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The emulator's clock: the system clock plus any offset set by `advance_clock`.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let offset = self.clock_offset_ms.load(Ordering::Relaxed);
        OffsetDateTime::now_utc() + time::Duration::milliseconds(offset)
    }

    /// Moves the emulator's clock forward.
    pub(crate) fn advance_clock(&self, by: std::time::Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 2);
        self.clock_offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Records the address the server is bound to.
    pub(crate) fn set_base_url(&self, url: String) {
        let _ = self.base_url.set(url);
    }

    /// `http://127.0.0.1:port`, the address the server is bound to.
    /// The origin of the links the emulator emails: the configured public URL, else the bound
    /// address.
    pub(crate) fn public_url(&self) -> String {
        self.config
            .public_url
            .clone()
            .unwrap_or_else(|| self.base_url())
    }

    pub(crate) fn base_url(&self) -> String {
        self.base_url
            .get()
            .cloned()
            .unwrap_or_else(|| "http://127.0.0.1".to_owned())
    }

    /// The access-token lifetime.
    pub(crate) fn token_ttl(&self) -> time::Duration {
        time::Duration::try_from(self.config.token_ttl).unwrap_or(time::Duration::minutes(15))
    }
}

/// One email address of a user.
#[derive(Debug, Clone)]
pub(crate) struct EmailEntry {
    pub(crate) kind: String,
    pub(crate) value: String,
}

impl EmailEntry {
    pub(crate) fn primary(value: &str) -> Self {
        Self {
            kind: "Primary".into(),
            value: value.trim().to_owned(),
        }
    }
}

/// A role context of a user.
#[derive(Debug, Clone)]
pub(crate) struct RoleContextRec {
    pub(crate) context: String,
    pub(crate) roles: Vec<String>,
    pub(crate) additional_permissions: Vec<String>,
    pub(crate) expiration: Option<OffsetDateTime>,
}

/// A user's authenticator (TOTP) state.
/// Not `Debug`: it holds TOTP secrets and backup codes.
#[derive(Clone, Default)]
pub(crate) struct MfaState {
    /// The secret shown in the QR code, waiting for a first valid code.
    pub(crate) pending_secret: Option<Vec<u8>>,
    /// The verified secret: the authenticator is enabled.
    pub(crate) secret: Option<Vec<u8>>,
    /// Unused backup codes.
    pub(crate) backup_codes: Vec<String>,
}

/// One user account.
/// Not `Debug`: it holds the password hash and the authenticator secret.
#[derive(Clone)]
pub(crate) struct User {
    pub(crate) uid: String,
    pub(crate) id: String,
    pub(crate) emails: Vec<EmailEntry>,
    pub(crate) email_verified: bool,
    pub(crate) username: Option<String>,
    pub(crate) phone_id: Option<String>,
    pub(crate) password_hash: Option<String>,
    /// Other profile fields, keyed in LoginRadius casing.
    pub(crate) fields: Map<String, Value>,
    pub(crate) roles: Vec<String>,
    pub(crate) role_contexts: Vec<RoleContextRec>,
    pub(crate) is_active: bool,
    pub(crate) created: OffsetDateTime,
    pub(crate) modified: OffsetDateTime,
    pub(crate) last_login: Option<OffsetDateTime>,
    pub(crate) last_password_change: Option<OffsetDateTime>,
    pub(crate) no_of_logins: u64,
    pub(crate) registration_source: String,
    pub(crate) mfa: MfaState,
}

impl User {
    pub(crate) fn new(uid: Option<String>, now: OffsetDateTime) -> Self {
        Self {
            uid: uid.unwrap_or_else(new_uid),
            id: new_uid(),
            emails: Vec::new(),
            email_verified: false,
            username: None,
            phone_id: None,
            password_hash: None,
            fields: Map::new(),
            roles: Vec::new(),
            role_contexts: Vec::new(),
            is_active: true,
            created: now,
            modified: now,
            last_login: None,
            last_password_change: None,
            no_of_logins: 0,
            registration_source: "API".into(),
            mfa: MfaState::default(),
        }
    }

    pub(crate) fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.kind.eq_ignore_ascii_case("primary"))
            .or_else(|| self.emails.first())
            .map(|e| e.value.as_str())
    }

    pub(crate) fn has_email(&self, email: &str) -> bool {
        let email = email.trim();
        self.emails
            .iter()
            .any(|e| e.value.eq_ignore_ascii_case(email))
    }

    pub(crate) fn authenticator_enabled(&self) -> bool {
        self.mfa.secret.is_some()
    }
}

/// An access token's session.
/// Not `Debug`: it holds the refresh token.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) uid: String,
    pub(crate) expires: OffsetDateTime,
    pub(crate) refresh_token: Option<String>,
}

/// A refresh token.
#[derive(Debug, Clone)]
pub(crate) struct RefreshRec {
    pub(crate) uid: String,
    pub(crate) expires: OffsetDateTime,
}

/// What a one-time link token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    EmailVerification,
    ResetPassword,
    Passwordless,
    DeleteAccount,
}

/// A one-time token sent in an email link.
#[derive(Debug, Clone)]
pub(crate) struct LinkToken {
    pub(crate) kind: LinkKind,
    pub(crate) uid: String,
    pub(crate) expires: OffsetDateTime,
    pub(crate) used: bool,
}

/// A pending second-factor login.
#[derive(Debug, Clone)]
pub(crate) struct Challenge {
    pub(crate) uid: String,
    pub(crate) expires: OffsetDateTime,
}

/// A custom object record.
#[derive(Debug, Clone)]
pub(crate) struct CustomRecord {
    pub(crate) id: String,
    pub(crate) uid: String,
    pub(crate) created: OffsetDateTime,
    pub(crate) modified: OffsetDateTime,
    pub(crate) data: Value,
}

/// The guarded maps.
#[derive(Default)]
pub(crate) struct Store {
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) refresh_tokens: HashMap<String, RefreshRec>,
    pub(crate) links: HashMap<String, LinkToken>,
    pub(crate) challenges: HashMap<String, Challenge>,
    /// Role name → permission → granted.
    pub(crate) roles: BTreeMap<String, BTreeMap<String, bool>>,
    /// Object name (lowercase) → records.
    pub(crate) custom_objects: HashMap<String, Vec<CustomRecord>>,
    /// State of the catalog endpoints beyond the core flows (webhooks, one-time codes, …).
    pub(crate) extras: crate::extras::Extras,
}

impl Store {
    pub(crate) fn uid_by_email(&self, email: &str) -> Option<String> {
        self.users
            .values()
            .find(|u| u.has_email(email))
            .map(|u| u.uid.clone())
    }

    pub(crate) fn uid_by_username(&self, username: &str) -> Option<String> {
        let username = username.trim();
        self.users
            .values()
            .find(|u| {
                u.username
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(username))
            })
            .map(|u| u.uid.clone())
    }

    pub(crate) fn uid_by_phone(&self, phone: &str) -> Option<String> {
        let phone = phone.trim();
        self.users
            .values()
            .find(|u| u.phone_id.as_deref() == Some(phone))
            .map(|u| u.uid.clone())
    }

    /// The stored spelling of a role, matched case-insensitively.
    pub(crate) fn role_name(&self, name: &str) -> Option<String> {
        self.roles
            .keys()
            .find(|r| r.eq_ignore_ascii_case(name.trim()))
            .cloned()
    }

    /// Creates an access token (and a refresh token) for `uid`.
    pub(crate) fn issue_session(
        &mut self,
        uid: &str,
        now: OffsetDateTime,
        ttl: time::Duration,
    ) -> (String, String, OffsetDateTime) {
        let access = uuid::Uuid::new_v4().to_string();
        let refresh = uuid::Uuid::new_v4().to_string();
        let expires = now + ttl;
        self.sessions.insert(
            access.clone(),
            Session {
                uid: uid.to_owned(),
                expires,
                refresh_token: Some(refresh.clone()),
            },
        );
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshRec {
                uid: uid.to_owned(),
                expires: now + REFRESH_TTL.max(ttl),
            },
        );
        (access, refresh, expires)
    }

    /// Creates a one-time link token.
    pub(crate) fn issue_link(
        &mut self,
        kind: LinkKind,
        uid: &str,
        expires: OffsetDateTime,
    ) -> String {
        let token = uuid::Uuid::new_v4().simple().to_string();
        self.links.insert(
            token.clone(),
            LinkToken {
                kind,
                uid: uid.to_owned(),
                expires,
                used: false,
            },
        );
        token
    }

    /// Removes a user and everything attached to it.
    pub(crate) fn remove_user(&mut self, uid: &str) -> bool {
        let existed = self.users.remove(uid).is_some();
        self.sessions.retain(|_, s| s.uid != uid);
        self.refresh_tokens.retain(|_, r| r.uid != uid);
        self.links.retain(|_, l| l.uid != uid);
        self.challenges.retain(|_, c| c.uid != uid);
        for records in self.custom_objects.values_mut() {
            records.retain(|r| r.uid != uid);
        }
        self.extras.remove_user(uid);
        existed
    }
}

/// A new LoginRadius-style uid: 32 lowercase hex characters.
pub(crate) fn new_uid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A new 24-hex record id (Mongo ObjectId style).
pub(crate) fn new_record_id() -> String {
    let bytes: [u8; 12] = rand::rng().random();
    hex::encode(bytes)
}
