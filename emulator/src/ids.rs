//! Where every identifier, token and one-time code the emulator hands out comes from: uids,
//! access and refresh tokens, link tokens, MFA challenge tokens, custom-object ids, TOTP
//! secrets, backup codes and OTPs.
//!
//! Normally from the operating system's random source; in deterministic mode from a generator
//! with a fixed seed, so that two runs of the same calls hand out the same values (password
//! salts stay random: they never appear in an answer).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The seed of the deterministic generator.
const DETERMINISTIC_SEED: u64 = 0x4c52_454d_554c_4154;

/// The one-time code every OTP is in deterministic mode.
pub(crate) const FIXED_OTP: &str = "123456";

/// The source of ids, tokens and codes. `Clone` copies the generator's position, so a saved copy
/// replays the same sequence (what `reset` relies on).
#[derive(Clone, Default)]
pub(crate) struct Ids {
    /// `None`: the thread's OS-seeded generator.
    seeded: Option<StdRng>,
}

impl std::fmt::Debug for Ids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ids")
            .field("deterministic", &self.is_deterministic())
            .finish()
    }
}

impl Ids {
    /// Values from the fixed-seed generator.
    pub(crate) fn deterministic() -> Self {
        Self {
            seeded: Some(StdRng::seed_from_u64(DETERMINISTIC_SEED)),
        }
    }

    /// Whether values come from the fixed-seed generator.
    pub(crate) fn is_deterministic(&self) -> bool {
        self.seeded.is_some()
    }

    /// `N` bytes.
    pub(crate) fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        match &mut self.seeded {
            Some(rng) => rng.fill(&mut out[..]),
            None => rand::rng().fill(&mut out[..]),
        }
        out
    }

    /// A LoginRadius-style uid (also link tokens): 32 lowercase hex characters.
    pub(crate) fn uid(&mut self) -> String {
        self.uuid_v4().simple().to_string()
    }

    /// A hyphenated UUID (access, refresh and challenge tokens).
    pub(crate) fn token(&mut self) -> String {
        self.uuid_v4().hyphenated().to_string()
    }

    /// A 24-hex record id (Mongo ObjectId style).
    pub(crate) fn record_id(&mut self) -> String {
        hex::encode(self.bytes::<12>())
    }

    /// A six-digit one-time code ([`FIXED_OTP`] in deterministic mode), for the messages that
    /// carry one in the outbox's `otp` field.
    pub(crate) fn one_time_code(&mut self) -> String {
        if self.is_deterministic() {
            return FIXED_OTP.to_owned();
        }
        let n = u32::from_be_bytes(self.bytes::<4>()) % 1_000_000;
        format!("{n:06}")
    }

    fn uuid_v4(&mut self) -> uuid::Uuid {
        uuid::Builder::from_random_bytes(self.bytes::<16>()).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_sources_repeat_and_random_ones_do_not() {
        let (mut a, mut b) = (Ids::deterministic(), Ids::deterministic());
        let draw = |ids: &mut Ids| [ids.uid(), ids.token(), ids.record_id(), ids.one_time_code()];
        let first = draw(&mut a);
        assert_eq!(first, draw(&mut b));
        assert_ne!(first, draw(&mut a), "the sequence moves on");
        assert_eq!(first[3], FIXED_OTP);
        let mut saved = a.clone();
        assert_eq!(draw(&mut saved), draw(&mut a), "a copy replays");
        let mut random = Ids::default();
        assert_ne!(random.uid(), Ids::default().uid());
        let code = random.one_time_code();
        assert!(
            code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit()),
            "{code}"
        );
    }

    #[test]
    fn formats() {
        let mut ids = Ids::default();
        let uid = ids.uid();
        assert!(uid.len() == 32 && uid.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(ids.token().len(), 36);
        assert_eq!(ids.record_id().len(), 24);
        assert_eq!(
            uuid::Uuid::parse_str(&ids.token()).map(|u| u.get_version_num()),
            Ok(4)
        );
    }
}
