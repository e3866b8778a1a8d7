//! Password hashing with argon2id. Passwords are never stored or returned in clear.
//!
//! **Cheap on purpose: this is not a production password store.** The emulator hashes on every
//! registration and sign-in of every test, so it uses argon2id with 64 KiB, 1 pass, 1 lane
//! (tens of microseconds a hash) where a real service would spend tens of megabytes and
//! milliseconds. A sign-in for a login that does not exist verifies against a dummy hash, so the
//! time of an answer does not tell which logins are registered.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

/// Memory cost in KiB: argon2's smallest sensible setting, see the module docs.
const MEMORY_KIB: u32 = 64;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$...`) for `password`.
pub(crate) fn hash(password: &str) -> String {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let Ok(salt) = SaltString::encode_b64(&salt_bytes) else {
        return String::new();
    };
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Whether `password` matches the PHC string `hash`.
pub(crate) fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Whether `hash` is an argon2 PHC string this module can verify against.
pub(crate) fn is_phc(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| parsed.algorithm.as_str().starts_with("argon2"))
}

/// A hash no password is known to match, verified against when a login names no account.
static DUMMY: LazyLock<String> = LazyLock::new(|| hash("no account has this password"));

/// Whether `password` matches `hash`; with no hash (no such account, or no password set) it
/// verifies against a dummy hash first, so that both cases cost the same time, and answers no.
pub(crate) fn verify_or_dummy(password: &str, hash: Option<&str>) -> bool {
    match hash {
        Some(hash) => verify(password, hash),
        None => {
            let _ = verify(password, &DUMMY);
            false
        }
    }
}

/// The minimum password length the emulated site accepts.
pub(crate) const MIN_LENGTH: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_never_contain_the_password() {
        let h = hash("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("correct horse"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("x", "not a hash"));
        assert_ne!(h, hash("correct horse"), "salted");
        assert!(is_phc(&h));
        assert!(!is_phc("correct horse") && !is_phc("$pbkdf2-sha256$i=1$c2FsdA$aGFzaA"));
    }

    #[test]
    fn no_hash_never_verifies_even_with_the_dummy_password() {
        assert!(!verify_or_dummy("no account has this password", None));
        assert!(!verify_or_dummy("anything", None));
        let h = hash("correct horse");
        assert!(verify_or_dummy("correct horse", Some(&h)));
        assert!(!verify_or_dummy("wrong horse", Some(&h)));
    }
}
