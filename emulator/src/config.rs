//! Emulator settings: credentials, site behaviour (email verification, MFA), token lifetime,
//! request signing, and the users and roles to create at start.

use crate::lockout::Lockout;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::redact::HIDDEN;

/// The API key used when none is configured. Clearly fake; never a real credential.
pub const DEFAULT_API_KEY: &str = "00000000-demo-key-0000-000000000000";
/// The API secret used when none is configured. Clearly fake; never a real credential.
pub const DEFAULT_API_SECRET: &str = "00000000-demo-secret-0000-000000000000";
/// The access-token lifetime used when none is configured (LoginRadius's default, 15 minutes).
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(900);

/// How the site treats email verification at registration and login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EmailVerification {
    /// A verification email is sent at registration; login answers 970 until the address is
    /// verified; registration answers `{"IsPosted": true}` without tokens.
    #[default]
    Required,
    /// A verification email is sent, but login works before verification; registration answers
    /// with tokens (`Data`).
    Optional,
    /// No verification email; login works at once; registration answers with tokens.
    Disabled,
}

/// How the site treats multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MfaMode {
    /// No MFA: the `/auth/login/2fa` family answers 1097.
    Disabled,
    /// Users may enable an authenticator; those who did must log in through `/auth/login/2fa`
    /// (plain login answers 1176 for them).
    #[default]
    Optional,
    /// Every user must pass a second factor: plain login answers 1176 for everyone, and the
    /// first 2FA login returns the QR code to set the authenticator up.
    Required,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),* $(,)? }) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(match self { $(Self::$variant => $text),* })
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $(if s.eq_ignore_ascii_case($text) { return Ok(Self::$variant); })*
                Err(format!("unknown value {s:?}; expected one of: {}", [$($text),*].join(", ")))
            }
        }
    };
}
text_enum!(EmailVerification { Required => "required", Optional => "optional", Disabled => "disabled" });
text_enum!(MfaMode { Disabled => "disabled", Optional => "optional", Required => "required" });

/// A user created when the emulator starts.
/// `Debug` shows the password as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct SeedUser {
    /// Primary email address.
    pub email: String,
    /// Password (hashed with argon2 at start; never kept in clear by the server).
    pub password: String,
    /// User name, for login by username.
    pub username: Option<String>,
    /// `FirstName`.
    pub first_name: Option<String>,
    /// `LastName`.
    pub last_name: Option<String>,
    /// Roles assigned at start; unknown roles are created without permissions.
    pub roles: Vec<String>,
    /// Whether the email address is verified (default true).
    pub email_verified: bool,
    /// A fixed uid (default: a random 32-hex uid).
    pub uid: Option<String>,
    /// Role contexts assigned at start (see [`SeedUser::role_context`]).
    pub role_contexts: Vec<SeedRoleContext>,
    /// A verified phone number (`PhoneId`), for sign-in by SMS code (see [`SeedUser::phone`]).
    pub phone: Option<String>,
}

/// A role context of a seeded user: roles (and extra permissions) that hold only in one
/// context, such as a tenant or a project, until an optional expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRoleContext {
    /// The context's name.
    pub context: String,
    /// The roles the user has in it; unknown roles are created without permissions.
    pub roles: Vec<String>,
    /// Permissions granted in the context besides those of its roles.
    pub additional_permissions: Vec<String>,
    /// When the context ends (none: it does not).
    pub expiration: Option<time::OffsetDateTime>,
}

impl SeedRoleContext {
    /// The context `context` with `roles`, no extra permission and no expiry.
    pub fn new(
        context: impl Into<String>,
        roles: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            context: context.into(),
            roles: roles.into_iter().map(Into::into).collect(),
            additional_permissions: Vec::new(),
            expiration: None,
        }
    }

    /// Adds permissions granted in the context besides those of its roles.
    pub fn additional_permissions(
        mut self,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.additional_permissions = permissions.into_iter().map(Into::into).collect();
        self
    }

    /// Ends the context at `at`.
    pub fn expires_at(mut self, at: time::OffsetDateTime) -> Self {
        self.expiration = Some(at);
        self
    }
}

impl fmt::Debug for SeedUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeedUser")
            .field("email", &self.email)
            .field("password", &HIDDEN)
            .field("username", &self.username)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("roles", &self.roles)
            .field("email_verified", &self.email_verified)
            .field("uid", &self.uid)
            .field("role_contexts", &self.role_contexts)
            .field("phone", &self.phone)
            .finish()
    }
}

impl SeedUser {
    /// A verified user with this email and password.
    pub fn new(email: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            password: password.into(),
            username: None,
            first_name: None,
            last_name: None,
            roles: Vec::new(),
            email_verified: true,
            uid: None,
            role_contexts: Vec::new(),
            phone: None,
        }
    }

    /// Gives the user a verified phone number (`PhoneId`, such as `+15550100001`): sign-in by
    /// SMS code and password reset by SMS then reach this user.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// Adds a role context, such as
    /// `SeedRoleContext::new("tenant-1", ["editor"])`.
    pub fn role_context(mut self, context: SeedRoleContext) -> Self {
        self.role_contexts.push(context);
        self
    }

    /// Sets the user name.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sets first and last name.
    pub fn name(mut self, first: impl Into<String>, last: impl Into<String>) -> Self {
        self.first_name = Some(first.into());
        self.last_name = Some(last.into());
        self
    }

    /// Assigns roles.
    pub fn roles(mut self, roles: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }

    /// Sets whether the email address is verified.
    pub fn email_verified(mut self, verified: bool) -> Self {
        self.email_verified = verified;
        self
    }

    /// Uses a fixed uid.
    pub fn uid(mut self, uid: impl Into<String>) -> Self {
        self.uid = Some(uid.into());
        self
    }
}

/// A role created when the emulator starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRole {
    /// The role's name.
    pub name: String,
    /// Its permissions (all granted).
    pub permissions: Vec<String>,
}

/// Everything the emulator needs to start. `EmulatorConfig::default()` works as is: fake demo
/// credentials, required email verification, optional MFA, 15-minute tokens, no signing
/// requirement, bound on `127.0.0.1` with an ephemeral port. `Debug` shows the API secret and
/// the seed users' passwords as `***`.
#[derive(Clone)]
pub struct EmulatorConfig {
    /// Address to bind (default `127.0.0.1:0`, an ephemeral port).
    pub bind: SocketAddr,
    /// The site's API key.
    pub api_key: String,
    /// The site's API secret.
    pub api_secret: String,
    /// Email verification mode.
    pub email_verification: EmailVerification,
    /// MFA mode.
    pub mfa: MfaMode,
    /// Access-token lifetime.
    pub token_ttl: Duration,
    /// Refuse `/identity/v2/manage` calls that are not request-signed (the secret header alone
    /// is then answered 1207).
    pub require_signing: bool,
    /// The `issuer` written in authenticator (otpauth) URIs.
    pub totp_issuer: String,
    /// Users created at start.
    pub users: Vec<SeedUser>,
    /// Roles created at start.
    pub roles: Vec<SeedRole>,
    /// The origin written into the links the emulator emails (`http://host:port`); by default
    /// the address it is bound to. Never taken from a request's `Host` header.
    pub public_url: Option<String>,
    /// Origins (`https://app.example.com`) a caller's link base (`verificationurl`,
    /// `resetpasswordurl`, `deleteurl`) may point to, besides loopback; any other is refused
    /// with 1249, as LoginRadius refuses domains a site does not allow.
    pub allowed_link_origins: Vec<String>,
    /// A directory of state files written by [`crate::Emulator::export`] (`--export-on-exit`)
    /// to load at start, after the seed users and roles.
    pub import_dir: Option<PathBuf>,
    /// A seed file (users with passwords, roles, role contexts; see the README) to load at
    /// start, after the import.
    pub seed_file: Option<PathBuf>,
    /// Deterministic mode: ids, tokens and codes from a fixed-seed generator, a fixed OTP, and
    /// a clock that stands at 2030-01-01T00:00:00Z until moved.
    pub deterministic: bool,
    /// PIN authentication: a password login answers with a `session_token` (PIN set) or a
    /// `pinAuthToken` (PIN to set) instead of tokens, finished with the PIN calls.
    pub pin_login: bool,
    /// Consent as a login step: a password sign-in (email, username or phone) of a user who
    /// has not accepted the current version of the site's `Login` consent form answers error
    /// 1226 with a `ConsentToken` instead of a session; `POST /identity/v2/auth/consent?consentToken=`
    /// with the user's choices records them and answers the login. Off by default.
    pub login_consent: bool,
    /// Brute-force lockout after wrong passwords (off by default; see [`Lockout`]).
    pub lockout: Option<Lockout>,
    /// Wrong authenticator codes after which a second-factor login token dies (1103 after
    /// that); default [`DEFAULT_MFA_WRONG_CODES`].
    pub mfa_wrong_codes: u32,
}

/// Default wrong codes a second-factor login token survives.
pub const DEFAULT_MFA_WRONG_CODES: u32 = 5;

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("bind", &self.bind)
            .field("api_key", &self.api_key)
            .field("api_secret", &HIDDEN)
            .field("email_verification", &self.email_verification)
            .field("mfa", &self.mfa)
            .field("token_ttl", &self.token_ttl)
            .field("require_signing", &self.require_signing)
            .field("totp_issuer", &self.totp_issuer)
            .field("users", &self.users)
            .field("roles", &self.roles)
            .field("pin_login", &self.pin_login)
            .field("login_consent", &self.login_consent)
            .field("lockout", &self.lockout)
            .field("mfa_wrong_codes", &self.mfa_wrong_codes)
            .field("import_dir", &self.import_dir)
            .field("seed_file", &self.seed_file)
            .field("deterministic", &self.deterministic)
            .finish_non_exhaustive()
    }
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: DEFAULT_API_KEY.to_owned(),
            api_secret: DEFAULT_API_SECRET.to_owned(),
            email_verification: EmailVerification::default(),
            mfa: MfaMode::default(),
            token_ttl: DEFAULT_TOKEN_TTL,
            require_signing: false,
            totp_issuer: "LoginRadiusEmulator".to_owned(),
            users: Vec::new(),
            roles: Vec::new(),
            public_url: None,
            allowed_link_origins: Vec::new(),
            import_dir: None,
            seed_file: None,
            deterministic: false,
            pin_login: false,
            login_consent: false,
            lockout: None,
            mfa_wrong_codes: DEFAULT_MFA_WRONG_CODES,
        }
    }
}

impl EmulatorConfig {
    /// Sets the API key and secret.
    pub fn with_credentials(
        mut self,
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
    ) -> Self {
        self.api_key = api_key.into();
        self.api_secret = api_secret.into();
        self
    }

    /// Sets the email verification mode.
    pub fn with_email_verification(mut self, mode: EmailVerification) -> Self {
        self.email_verification = mode;
        self
    }

    /// Turns on the brute-force lockout (see [`Lockout`]).
    pub fn with_lockout(mut self, lockout: Lockout) -> Self {
        self.lockout = Some(lockout);
        self
    }

    /// Sets how many wrong authenticator codes a second-factor login token survives (at
    /// least 1).
    pub fn with_mfa_wrong_codes(mut self, codes: u32) -> Self {
        self.mfa_wrong_codes = codes.max(1);
        self
    }

    /// Sets the MFA mode.
    pub fn with_mfa(mut self, mode: MfaMode) -> Self {
        self.mfa = mode;
        self
    }

    /// Sets the access-token lifetime.
    pub fn with_token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Requires request signing on `/manage` calls.
    pub fn with_required_signing(mut self, on: bool) -> Self {
        self.require_signing = on;
        self
    }

    /// Sets the bind address.
    pub fn with_bind(mut self, bind: SocketAddr) -> Self {
        self.bind = bind;
        self
    }

    /// Sets the origin written into emailed links (see [`EmulatorConfig::public_url`]).
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Allows callers' link bases on `origin` (see [`EmulatorConfig::allowed_link_origins`]).
    pub fn with_allowed_link_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_link_origins.push(origin.into());
        self
    }

    /// Turns PIN authentication on (see [`EmulatorConfig::pin_login`]).
    pub fn with_pin_login(mut self) -> Self {
        self.pin_login = true;
        self
    }

    /// Makes consent a login step (see [`EmulatorConfig::login_consent`]).
    pub fn with_login_consent(mut self) -> Self {
        self.login_consent = true;
        self
    }

    /// Adds a user created at start.
    pub fn with_user(mut self, user: SeedUser) -> Self {
        self.users.push(user);
        self
    }

    /// Adds a role created at start with the listed permissions:
    /// `with_role("editor", ["publish", "edit"])`, or `with_role("viewer", [])` for a role
    /// without any. For a list built at run time, see
    /// [`with_role_permissions`](Self::with_role_permissions).
    pub fn with_role<const N: usize>(
        self,
        name: impl Into<String>,
        permissions: [&str; N],
    ) -> Self {
        self.with_role_permissions(name, permissions)
    }

    /// Adds a role created at start with the permissions of any list of strings.
    pub fn with_role_permissions(
        mut self,
        name: impl Into<String>,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.roles.push(SeedRole {
            name: name.into(),
            permissions: permissions.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// The demo setup, also used by the demo app and the examples:
    ///
    /// | role | permissions |
    /// |---|---|
    /// | `admin` | `manage_roles`, `manage_users` |
    /// | `editor` | `publish`, `edit` |
    ///
    /// and a verified user `admin@example.com` / `password123` (user name `admin`, Ada Admin)
    /// with the `admin` role.
    pub fn with_demo_admin(self) -> Self {
        self.with_role("admin", ["manage_roles", "manage_users"])
            .with_role("editor", ["publish", "edit"])
            .with_user(
                SeedUser::new("admin@example.com", "password123")
                    .username("admin")
                    .name("Ada", "Admin")
                    .roles(["admin"]),
            )
    }
}

/// Development controls: state import, seed files, deterministic mode.
impl EmulatorConfig {
    /// Loads the state files in `dir` at start (see [`EmulatorConfig::import_dir`]).
    pub fn with_import(mut self, dir: impl Into<PathBuf>) -> Self {
        self.import_dir = Some(dir.into());
        self
    }

    /// Loads the seed file at `path` at start (see [`EmulatorConfig::seed_file`]).
    pub fn with_seed_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.seed_file = Some(path.into());
        self
    }

    /// Turns deterministic mode on (see [`EmulatorConfig::deterministic`]).
    pub fn deterministic(mut self) -> Self {
        self.deterministic = true;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_case_insensitively_and_print_lowercase() {
        assert_eq!(
            "Required".parse::<EmailVerification>(),
            Ok(EmailVerification::Required)
        );
        assert_eq!("DISABLED".parse::<MfaMode>(), Ok(MfaMode::Disabled));
        assert!("sometimes".parse::<MfaMode>().is_err());
        assert_eq!(MfaMode::Optional.to_string(), "optional");
    }

    #[test]
    fn debug_hides_the_api_secret_and_passwords() {
        let user = SeedUser::new("jane@example.com", "pw-never-shown").username("jane");
        let config = EmulatorConfig::default()
            .with_credentials("key-shown", "secret-never-shown")
            .with_user(user.clone());
        for text in [
            format!("{user:?}"),
            format!("{user:#?}"),
            format!("{config:?}"),
            format!("{config:#?}"),
        ] {
            assert!(!text.contains("pw-never-shown"), "{text}");
            assert!(!text.contains("secret-never-shown"), "{text}");
            assert!(text.contains("***"), "{text}");
        }
        assert!(format!("{config:?}").contains("key-shown"));
        assert!(format!("{user:?}").contains("jane@example.com"));
    }

    #[test]
    fn default_credentials_are_header_safe() {
        for v in [DEFAULT_API_KEY, DEFAULT_API_SECRET] {
            assert!(http::HeaderValue::from_str(v).is_ok());
            assert!(v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        }
    }

    #[test]
    fn a_role_without_permissions_and_role_contexts_are_seeds() {
        let expiry = time::macros::datetime!(2999-01-01 0:00 UTC);
        let config = EmulatorConfig::default()
            .with_role("viewer", [])
            .with_role_permissions("writer", vec![String::from("write")])
            .with_user(
                SeedUser::new("a@example.com", "pw").role_context(
                    SeedRoleContext::new("tenant-1", ["editor"])
                        .additional_permissions(["export"])
                        .expires_at(expiry),
                ),
            );
        assert_eq!(config.roles[0].permissions, Vec::<String>::new());
        assert_eq!(config.roles[1].permissions, ["write"]);
        let context = &config.users[0].role_contexts[0];
        assert_eq!(
            (context.context.as_str(), context.roles.as_slice()),
            ("tenant-1", &["editor".to_owned()][..])
        );
        assert_eq!(context.additional_permissions, ["export"]);
        assert_eq!(context.expiration, Some(expiry));
    }
}
