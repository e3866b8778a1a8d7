//! In-memory state: users, tokens, one-time links, MFA challenges, roles and custom objects.
//! One mutex guards the store; it is only ever held inside synchronous code (never across an
//! `await`).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use loginradius::wire::sott::SottKey;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::ids::Ids;
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
    /// Webhook deliveries: the queue and the records.
    pub(crate) deliveries: crate::deliveries::Deliveries,
    pub(crate) faults: Faults,
    pub(crate) stats: Stats,
    clock_offset_ms: AtomicI64,
    /// Deterministic mode: the instant the clock stands at (plus the offset) instead of the
    /// system time.
    epoch: Option<OffsetDateTime>,
    /// The store as it was after start (seeds, imports), restored by [`AppState::reset`].
    initial: Store,
    base_url: OnceLock<String>,
    /// Bounds how many requests run their (blocking, CPU-bound) handlers at once, so a burst of
    /// sign-ins queues instead of starting a thread and a password hash per request.
    pub(crate) handler_slots: tokio::sync::Semaphore,
}

/// How many handlers may run at once: twice the cores the process may use (at least two).
fn handler_slot_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

/// Where the clock stands at start in deterministic mode: 2030-01-01T00:00:00Z.
pub(crate) const DETERMINISTIC_EPOCH: OffsetDateTime = time::macros::datetime!(2030-01-01 0:00 UTC);

impl AppState {
    /// Seeds the configured roles and users, then lets `load` add more (imported state, a seed
    /// file); what results is the state [`AppState::reset`] returns to.
    pub(crate) fn new<E>(
        config: EmulatorConfig,
        load: impl FnOnce(&mut Store, OffsetDateTime) -> Result<(), E>,
    ) -> Result<Self, E> {
        let sott_key = SottKey::derive(&config.api_secret);
        let ids = if config.deterministic {
            Ids::deterministic()
        } else {
            Ids::default()
        };
        let mut state = Self {
            sott_key,
            store: Mutex::new(Store {
                ids,
                ..Store::default()
            }),
            outbox: Outbox::default(),
            deliveries: crate::deliveries::Deliveries::default(),
            faults: Faults::default(),
            stats: Stats::default(),
            clock_offset_ms: AtomicI64::new(0),
            epoch: config.deterministic.then_some(DETERMINISTIC_EPOCH),
            initial: Store::default(),
            base_url: OnceLock::new(),
            handler_slots: tokio::sync::Semaphore::new(handler_slot_count()),
            config,
        };
        state.seed();
        let now = state.now();
        load(&mut state.store(), now)?;
        let initial = state.store().clone();
        state.initial = initial;
        Ok(state)
    }

    /// Back to the state after start: users, roles, tokens and custom objects as seeded and
    /// imported (and the id generator where it stood), an empty outbox, no faults, zeroed
    /// counters, the clock not moved.
    pub(crate) fn reset(&self) {
        *self.store() = self.initial.clone();
        self.outbox.clear();
        self.deliveries.log.clear();
        self.faults.clear();
        self.stats.reset();
        self.clock_offset_ms.store(0, Ordering::Relaxed);
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
            let mut user = store.new_user(seed.uid.clone(), now);
            user.emails.push(EmailEntry::primary(&seed.email));
            user.email_verified = seed.email_verified;
            user.username = seed.username.clone();
            if let Some(phone) = &seed.phone {
                user.phone_id = Some(phone.clone());
                crate::extras::set_phone_verified(&mut user, true);
            }
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
            for seed_context in &seed.role_contexts {
                for role in &seed_context.roles {
                    if store.role_name(role).is_none() {
                        store.roles.insert(role.clone(), BTreeMap::new());
                    }
                }
                user.role_contexts.push(RoleContextRec {
                    context: seed_context.context.clone(),
                    roles: seed_context.roles.clone(),
                    additional_permissions: seed_context.additional_permissions.clone(),
                    expiration: seed_context.expiration,
                });
            }
            store.users.insert(user.uid.clone(), user);
        }
    }

    /// Locks the store. A poisoned lock is recovered: every mutation leaves the maps usable.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The emulator's clock: the system clock (in deterministic mode, the fixed
    /// [`DETERMINISTIC_EPOCH`]) plus any offset set by `advance_clock`.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let offset = self.clock_offset_ms.load(Ordering::Relaxed);
        self.epoch.unwrap_or_else(OffsetDateTime::now_utc) + time::Duration::milliseconds(offset)
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
    /// A new account with these ids, created `now`.
    pub(crate) fn new(uid: String, id: String, now: OffsetDateTime) -> Self {
        Self {
            uid,
            id,
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
    /// Wrong codes given so far.
    pub(crate) wrong_codes: u32,
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

/// The guarded maps, and the source of the ids they hold.
#[derive(Default, Clone)]
pub(crate) struct Store {
    pub(crate) ids: Ids,
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) refresh_tokens: HashMap<String, RefreshRec>,
    pub(crate) links: HashMap<String, LinkToken>,
    pub(crate) challenges: HashMap<String, Challenge>,
    /// Brute-force lockout state by uid.
    pub(crate) login_locks: crate::lockout::Locks,
    /// Role name → permission → granted.
    pub(crate) roles: BTreeMap<String, BTreeMap<String, bool>>,
    /// Object name (lowercase) → records.
    pub(crate) custom_objects: HashMap<String, Vec<CustomRecord>>,
    /// State of the catalog endpoints beyond the core flows (webhooks, one-time codes, …).
    pub(crate) extras: crate::extras::Extras,
}

impl Store {
    /// A one-time code of `purpose` for `uid`, sent to `to`: made by the one id source and kept
    /// in place of the previous code of that purpose for that user.
    pub(crate) fn issue_otp(
        &mut self,
        purpose: crate::extras::OtpPurpose,
        uid: &str,
        to: &str,
        now: OffsetDateTime,
    ) -> String {
        let code = self.ids.one_time_code();
        self.extras.keep_otp(purpose, uid, to, now, code)
    }
}

impl Store {
    /// A new account (with a fresh uid unless `uid` is given), not yet stored.
    pub(crate) fn new_user(&mut self, uid: Option<String>, now: OffsetDateTime) -> User {
        let uid = uid.unwrap_or_else(|| self.ids.uid());
        User::new(uid, self.ids.uid(), now)
    }

    /// Stores a user loaded from a file, refusing what the API would refuse: an empty or taken
    /// uid, an email, username or phone another account has, a role or context role that is not
    /// defined. Role names take their stored spelling.
    pub(crate) fn add_user(&mut self, mut user: User) -> Result<(), String> {
        let who = user.primary_email().unwrap_or(&user.uid).to_owned();
        if user.uid.trim().is_empty() || self.users.contains_key(&user.uid) {
            return Err(format!(
                "user {who}: the uid {:?} is empty or taken",
                user.uid
            ));
        }
        if let Some(taken) = user
            .emails
            .iter()
            .find(|e| self.uid_by_email(&e.value).is_some())
        {
            return Err(format!("user {who}: the email {} is taken", taken.value));
        }
        if let Some(name) = user
            .username
            .as_deref()
            .filter(|n| self.uid_by_username(n).is_some())
        {
            return Err(format!("user {who}: the username {name} is taken"));
        }
        if let Some(phone) = user
            .phone_id
            .as_deref()
            .filter(|p| self.uid_by_phone(p).is_some())
        {
            return Err(format!("user {who}: the phone {phone} is taken"));
        }
        let resolve = |roles: &mut Vec<String>| -> Result<(), String> {
            for role in roles.iter_mut() {
                *role = self
                    .role_name(role)
                    .ok_or_else(|| format!("user {who}: the role {role:?} is not defined"))?;
            }
            Ok(())
        };
        resolve(&mut user.roles)?;
        for context in &mut user.role_contexts {
            resolve(&mut context.roles)?;
        }
        self.users.insert(user.uid.clone(), user);
        Ok(())
    }

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
        let access = self.ids.token();
        let refresh = self.ids.token();
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
        let token = self.ids.uid();
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
