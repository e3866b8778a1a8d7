//! State files: the store written as JSON files in a directory (`--export-on-exit`,
//! [`crate::Emulator::export`]) and read back at start (`--import`).
//!
//! Three files, each `{"version": 1, …}`, with sorted keys so that two exports diff well:
//! - `users.json`: every account with its ids, emails, phone, username, password hash (the
//!   argon2 PHC string; never a password), profile fields, roles, role contexts, MFA state
//!   (the authenticator secret in Base32, unused backup codes) and timestamps;
//! - `roles.json`: role name → permission → granted;
//! - `custom_objects.json`: object name → records, in creation order;
//! - `webhooks.json`: the webhook subscriptions, oldest first (their headers and authentication
//!   included: they may hold the target's credentials). Optional on import (older exports
//!   have none).
//!
//! Sessions, refresh tokens, one-time links, MFA challenges and webhook deliveries are not
//! written: after an import, people sign in again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::passwords;
use crate::state::{CustomRecord, EmailEntry, MfaState, RoleContextRec, Store, User};

/// The format version the emulator writes and reads.
pub const FORMAT_VERSION: u32 = 1;

const USERS: &str = "users.json";
const ROLES: &str = "roles.json";
const CUSTOM_OBJECTS: &str = "custom_objects.json";
const WEBHOOKS: &str = "webhooks.json";

/// Why state files could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateFileError {
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file or directory could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not JSON of the expected shape.
    #[error("{} is not a valid state file: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        source: serde_json::Error,
    },
    /// A file is well-formed but its content cannot be loaded.
    #[error("{}: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    version: u32,
    users: Vec<UserRecord>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    version: u32,
    roles: BTreeMap<String, BTreeMap<String, bool>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomObjectsFile {
    version: u32,
    objects: BTreeMap<String, Vec<RecordRecord>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhooksFile {
    version: u32,
    webhooks: Vec<WebhookRecord>,
}

/// A webhook subscription.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookRecord {
    id: String,
    event: String,
    target_url: String,
    #[serde(default)]
    name: String,
    created: String,
    modified: String,
    #[serde(default)]
    headers: BTreeMap<String, Value>,
    #[serde(default)]
    query_params: BTreeMap<String, Value>,
    #[serde(default)]
    authentication: Option<Value>,
}

/// An email address of a user.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailRecord {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

/// A role context, as in state files and seed files.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleContextRecord {
    context: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    additional_permissions: Vec<String>,
    /// RFC 3339 (or the lenient forms the API accepts); absent: no expiry.
    #[serde(default)]
    expiration: Option<String>,
}

impl RoleContextRecord {
    /// The stored form; an unreadable expiration is an error.
    pub(crate) fn into_rec(self) -> Result<RoleContextRec, String> {
        let expiration = match &self.expiration {
            Some(text) => Some(crate::times::parse_lenient(text).ok_or_else(|| {
                format!("role context {}: bad expiration {text:?}", self.context)
            })?),
            None => None,
        };
        Ok(RoleContextRec {
            context: self.context,
            roles: self.roles,
            additional_permissions: self.additional_permissions,
            expiration,
        })
    }

    fn from_rec(rec: &RoleContextRec) -> Self {
        Self {
            context: rec.context.clone(),
            roles: rec.roles.clone(),
            additional_permissions: rec.additional_permissions.clone(),
            expiration: rec.expiration.map(rfc3339),
        }
    }
}

/// A user's authenticator state.
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MfaRecord {
    /// The enabled authenticator's secret, Base32 as authenticator apps show it.
    secret: Option<String>,
    /// A secret shown in a QR code but not confirmed yet, Base32.
    pending_secret: Option<String>,
    backup_codes: Vec<String>,
}

/// One account.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRecord {
    uid: String,
    id: String,
    emails: Vec<EmailRecord>,
    email_verified: bool,
    username: Option<String>,
    phone_id: Option<String>,
    /// The argon2 PHC string.
    password_hash: Option<String>,
    profile: Value,
    roles: Vec<String>,
    role_contexts: Vec<RoleContextRecord>,
    is_active: bool,
    created: String,
    modified: String,
    last_login: Option<String>,
    last_password_change: Option<String>,
    logins: u64,
    registration_source: String,
    mfa: MfaRecord,
}

/// One custom-object record.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordRecord {
    id: String,
    uid: String,
    created: String,
    modified: String,
    data: Value,
}

/// RFC 3339, UTC.
fn rfc3339(t: OffsetDateTime) -> String {
    crate::times::rfc3339(t)
}

fn parse_time(what: &str, text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("{what}: {text:?} is not RFC 3339: {e}"))
}

fn parse_opt_time(what: &str, text: Option<&str>) -> Result<Option<OffsetDateTime>, String> {
    text.map(|t| parse_time(what, t)).transpose()
}

/// `value` with every object's keys sorted, at any depth.
pub(crate) fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let entries: BTreeMap<String, Value> =
                map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn secret_out(secret: Option<&Vec<u8>>) -> Option<String> {
    secret.map(|s| crate::authenticator::manual_entry_code(s))
}

fn secret_in(uid: &str, secret: Option<String>) -> Result<Option<Vec<u8>>, String> {
    secret
        .map(|s| {
            crate::authenticator::secret_from_manual_entry_code(&s)
                .ok_or_else(|| format!("user {uid}: an MFA secret is not Base32"))
        })
        .transpose()
}

impl UserRecord {
    fn from_user(user: &User) -> Self {
        Self {
            uid: user.uid.clone(),
            id: user.id.clone(),
            emails: user
                .emails
                .iter()
                .map(|e| EmailRecord {
                    kind: e.kind.clone(),
                    value: e.value.clone(),
                })
                .collect(),
            email_verified: user.email_verified,
            username: user.username.clone(),
            phone_id: user.phone_id.clone(),
            password_hash: user.password_hash.clone(),
            profile: sorted(Value::Object(user.fields.clone())),
            roles: user.roles.clone(),
            role_contexts: user
                .role_contexts
                .iter()
                .map(RoleContextRecord::from_rec)
                .collect(),
            is_active: user.is_active,
            created: rfc3339(user.created),
            modified: rfc3339(user.modified),
            last_login: user.last_login.map(rfc3339),
            last_password_change: user.last_password_change.map(rfc3339),
            logins: user.no_of_logins,
            registration_source: user.registration_source.clone(),
            mfa: MfaRecord {
                secret: secret_out(user.mfa.secret.as_ref()),
                pending_secret: secret_out(user.mfa.pending_secret.as_ref()),
                backup_codes: user.mfa.backup_codes.clone(),
            },
        }
    }

    fn into_user(self) -> Result<User, String> {
        let uid = self.uid;
        if let Some(hash) = &self.password_hash
            && !passwords::is_phc(hash)
        {
            return Err(format!(
                "user {uid}: password_hash is not an argon2 PHC string"
            ));
        }
        let Value::Object(fields) = self.profile else {
            return Err(format!("user {uid}: profile must be an object"));
        };
        let role_contexts = self
            .role_contexts
            .into_iter()
            .map(RoleContextRecord::into_rec)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("user {uid}: {e}"))?;
        let mut user = User::new(uid.clone(), self.id, parse_time("created", &self.created)?);
        user.emails = self
            .emails
            .into_iter()
            .map(|e| EmailEntry {
                kind: e.kind,
                value: e.value,
            })
            .collect();
        user.email_verified = self.email_verified;
        user.username = self.username;
        user.phone_id = self.phone_id;
        user.password_hash = self.password_hash;
        user.fields = fields;
        user.roles = self.roles;
        user.role_contexts = role_contexts;
        user.is_active = self.is_active;
        user.modified = parse_time("modified", &self.modified)?;
        user.last_login = parse_opt_time("last_login", self.last_login.as_deref())?;
        user.last_password_change =
            parse_opt_time("last_password_change", self.last_password_change.as_deref())?;
        user.no_of_logins = self.logins;
        user.registration_source = self.registration_source;
        user.mfa = MfaState {
            secret: secret_in(&uid, self.mfa.secret)?,
            pending_secret: secret_in(&uid, self.mfa.pending_secret)?,
            backup_codes: self.mfa.backup_codes,
        };
        Ok(user)
    }
}

/// Writes the store's users, roles and custom objects into `dir` (created if missing). Each
/// file is written next to its place (readable by its owner only, on Unix) and renamed into it,
/// so a reader never sees half a file.
pub(crate) fn export(store: &Store, dir: &Path) -> Result<(), StateFileError> {
    let users = UsersFile {
        version: FORMAT_VERSION,
        users: store.users.values().map(UserRecord::from_user).collect(),
    };
    let roles = RolesFile {
        version: FORMAT_VERSION,
        roles: store.roles.clone(),
    };
    let objects = CustomObjectsFile {
        version: FORMAT_VERSION,
        objects: store
            .custom_objects
            .iter()
            .map(|(name, records)| {
                let records = records
                    .iter()
                    .map(|r| RecordRecord {
                        id: r.id.clone(),
                        uid: r.uid.clone(),
                        created: rfc3339(r.created),
                        modified: rfc3339(r.modified),
                        data: sorted(r.data.clone()),
                    })
                    .collect();
                (name.clone(), records)
            })
            .collect(),
    };
    let webhooks = WebhooksFile {
        version: FORMAT_VERSION,
        webhooks: store
            .extras
            .webhooks
            .iter()
            .map(|h| WebhookRecord {
                id: h.id.clone(),
                event: h.event.clone(),
                target_url: h.target_url.clone(),
                name: h.name.clone(),
                created: rfc3339(h.created),
                modified: rfc3339(h.modified),
                headers: h.headers.clone(),
                query_params: h.query_params.clone(),
                authentication: h.authentication.clone(),
            })
            .collect(),
    };
    std::fs::create_dir_all(dir).map_err(|source| StateFileError::Write {
        path: dir.to_owned(),
        source,
    })?;
    write(&dir.join(USERS), users)?;
    write(&dir.join(ROLES), roles)?;
    write(&dir.join(CUSTOM_OBJECTS), objects)?;
    write(&dir.join(WEBHOOKS), webhooks)
}

fn write<T: Serialize>(path: &Path, content: T) -> Result<(), StateFileError> {
    let failed = |source| StateFileError::Write {
        path: path.to_owned(),
        source,
    };
    let mut text =
        serde_json::to_string_pretty(&content).map_err(|e| failed(std::io::Error::other(e)))?;
    text.push('\n');
    let partial = path.with_extension("json.partial");
    write_private(&partial, text.as_bytes()).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)
}

/// Writes a new file only its owner can read (on Unix): it holds password hashes and
/// authenticator secrets.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// Reads a JSON file of `T` (which has the `version` field), checking the version first, so
/// that a file of another version says so rather than failing on a field it does not know.
pub(crate) fn read<T: DeserializeOwned>(path: &Path) -> Result<T, StateFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| StateFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    let parse = |source| StateFileError::Parse {
        path: path.to_owned(),
        source,
    };
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    let Version { version } = serde_json::from_str(&text).map_err(parse)?;
    if version != FORMAT_VERSION {
        return Err(StateFileError::Invalid {
            path: path.to_owned(),
            reason: format!(
                "version {version} is not supported (this emulator reads version {FORMAT_VERSION})"
            ),
        });
    }
    serde_json::from_str(&text).map_err(parse)
}

/// Loads the state files of `dir` into `store`: roles first, then users (whose roles must be
/// defined), then custom objects (whose users must exist).
pub(crate) fn import(store: &mut Store, dir: &Path) -> Result<(), StateFileError> {
    if !dir.is_dir() {
        return Err(StateFileError::Read {
            path: dir.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        });
    }
    let invalid = |path: &Path| {
        let path = path.to_owned();
        move |reason| StateFileError::Invalid { path, reason }
    };
    let path = dir.join(ROLES);
    let roles: RolesFile = read(&path)?;
    store.roles.extend(roles.roles);

    let path = dir.join(USERS);
    let users: UsersFile = read(&path)?;
    for record in users.users {
        let user = record.into_user().map_err(invalid(&path))?;
        store.add_user(user).map_err(invalid(&path))?;
    }

    let path = dir.join(CUSTOM_OBJECTS);
    let objects: CustomObjectsFile = read(&path)?;
    for (name, records) in objects.objects {
        let mut loaded = Vec::with_capacity(records.len());
        for r in records {
            if !store.users.contains_key(&r.uid) {
                return Err(invalid(&path)(format!(
                    "object {name}, record {}: no user has the uid {}",
                    r.id, r.uid
                )));
            }
            loaded.push(CustomRecord {
                created: parse_time("created", &r.created).map_err(invalid(&path))?,
                modified: parse_time("modified", &r.modified).map_err(invalid(&path))?,
                id: r.id,
                uid: r.uid,
                data: r.data,
            });
        }
        store
            .custom_objects
            .entry(name.to_lowercase())
            .or_default()
            .extend(loaded);
    }

    let path = dir.join(WEBHOOKS);
    if path.exists() {
        let hooks: WebhooksFile = read(&path)?;
        for h in hooks.webhooks {
            let event = crate::routes::webhooks::EVENTS
                .iter()
                .find(|e| e.eq_ignore_ascii_case(&h.event))
                .ok_or_else(|| {
                    invalid(&path)(format!("webhook {}: unknown event {}", h.id, h.event))
                })?;
            store.extras.webhooks.push(crate::extras::Webhook {
                created: parse_time("created", &h.created).map_err(invalid(&path))?,
                modified: parse_time("modified", &h.modified).map_err(invalid(&path))?,
                id: h.id,
                event: (*event).to_owned(),
                target_url: h.target_url,
                name: h.name,
                headers: h.headers,
                query_params: h.query_params,
                authentication: h.authentication,
            });
        }
    }
    Ok(())
}
