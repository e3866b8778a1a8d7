//! SOTT (secured one-time token), the header that registration requires.
//!
//! `plaintext = start + "#" + api_key + "#" + end`, PKCS#7-padded, AES-256-CBC with the protocol's
//! fixed IV and a PBKDF2-HMAC-SHA1 key (the API secret, 8 zero bytes of salt, 10,000 rounds),
//! base64, then `"*" + md5hex(base64)`. The fixed IV, zero salt and MD5 are part of the protocol:
//! a SOTT is an integrity-checked time window, not a secret to rely on; still, never log one.

use aes::Aes256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use md5::{Digest, Md5};
use time::OffsetDateTime;

use super::timefmt;
use crate::Secret;

const IV: &[u8; 16] = b"tu89geji340t89u2";
const ROUNDS: u32 = 10_000;

/// The AES key derived from an API secret. Deriving it costs 10,000 PBKDF2 rounds, so derive it
/// once and keep it (the client does this once, on first use).
#[derive(Clone)]
pub struct SottKey([u8; 32]);

impl std::fmt::Debug for SottKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SottKey(***)")
    }
}

/// Why a SOTT was refused by [`SottKey::open`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SottError {
    /// Not `base64*md5hex`.
    #[error("malformed SOTT")]
    Malformed,
    /// The MD5 part does not match.
    #[error("SOTT checksum mismatch")]
    Checksum,
    /// The ciphertext does not decrypt with this secret.
    #[error("SOTT does not decrypt with this secret")]
    Decrypt,
    /// The plaintext is not `start#key#end`.
    #[error("SOTT plaintext is not start#key#end")]
    Plaintext,
}

/// The decrypted content of a SOTT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SottContent {
    /// The window start as written in the token.
    pub start: String,
    /// The API key the token was made for.
    pub api_key: String,
    /// The window end as written in the token.
    pub end: String,
}

impl SottKey {
    /// Derives the key from an API secret.
    pub fn derive(api_secret: &str) -> Self {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(api_secret.as_bytes(), &[0u8; 8], ROUNDS, &mut key);
        Self(key)
    }

    /// The raw key bytes (for comparing with test vectors).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Makes a SOTT for `api_key` with the window bounds written exactly as given.
    pub fn seal(&self, api_key: &str, start: &str, end: &str) -> Secret {
        let plaintext = format!("{start}#{api_key}#{end}");
        let cipher = cbc::Encryptor::<Aes256>::new(&self.0.into(), IV.into());
        let ciphertext = cipher.encrypt_padded_vec_mut::<Pkcs7>(plaintext.as_bytes());
        let token = STANDARD.encode(ciphertext);
        let checksum = hex::encode(Md5::digest(token.as_bytes()));
        Secret::new(format!("{token}*{checksum}"))
    }

    /// Makes a SOTT valid from `now` for `validity`, with 24-hour UTC times.
    pub fn seal_window(
        &self,
        api_key: &str,
        now: OffsetDateTime,
        validity: time::Duration,
    ) -> Secret {
        let start = timefmt::format_utc(now, timefmt::SOTT);
        let end = timefmt::format_utc(now + validity, timefmt::SOTT);
        self.seal(api_key, &start, &end)
    }

    /// Checks and decrypts a SOTT (what the service does on registration).
    pub fn open(&self, sott: &str) -> Result<SottContent, SottError> {
        let (token, checksum) = sott.trim().rsplit_once('*').ok_or(SottError::Malformed)?;
        if !hex::encode(Md5::digest(token.as_bytes())).eq_ignore_ascii_case(checksum) {
            return Err(SottError::Checksum);
        }
        let ciphertext = STANDARD.decode(token).map_err(|_| SottError::Malformed)?;
        let cipher = cbc::Decryptor::<Aes256>::new(&self.0.into(), IV.into());
        let plaintext = cipher
            .decrypt_padded_vec_mut::<Pkcs7>(&ciphertext)
            .map_err(|_| SottError::Decrypt)?;
        let plaintext = String::from_utf8(plaintext).map_err(|_| SottError::Plaintext)?;
        let mut parts = plaintext.splitn(3, '#');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(start), Some(api_key), Some(end)) => Ok(SottContent {
                start: start.to_owned(),
                api_key: api_key.to_owned(),
                end: end.to_owned(),
            }),
            _ => Err(SottError::Plaintext),
        }
    }
}

/// Parses a SOTT window bound leniently, as the service must: `2025/06/01 09:15:00`,
/// `2024/1/2 3:04:05`, `2017-05-15 07:10:42`, and `12/31/2025 11:59:59 PM`. Times are UTC.
pub fn parse_window_time(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    let (rest, meridiem) = match value.rsplit_once(' ') {
        Some((rest, m)) if m.eq_ignore_ascii_case("AM") || m.eq_ignore_ascii_case("PM") => {
            (rest, Some(m.eq_ignore_ascii_case("PM")))
        }
        _ => (value, None),
    };
    let (date, clock) = rest.split_once(' ')?;
    let parts: Vec<i32> = date
        .split(['/', '-'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c] = parts[..] else { return None };
    // Year first (2025/06/01) or US order (12/31/2025).
    let (year, month, day) = if a > 31 { (a, b, c) } else { (c, a, b) };
    let hms: Vec<u8> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [mut hour, minute, second] = hms[..] else {
        return None;
    };
    match meridiem {
        Some(pm) if (1..=12).contains(&hour) => hour = hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => {}
    }
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, time::Time::from_hms(hour, minute, second).ok()?)
            .assume_utc(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn round_trip_and_tamper_detection() {
        let key = SottKey::derive("secret");
        let sott = key.seal("key", "2025/01/01 00:00:00", "2025/01/01 00:10:00");
        let opened = key.open(sott.expose()).unwrap();
        assert_eq!(opened.api_key, "key");
        assert_eq!(opened.end, "2025/01/01 00:10:00");
        assert_eq!(
            SottKey::derive("other").open(sott.expose()),
            Err(SottError::Decrypt)
        );
        let mut tampered = sott.expose().to_owned();
        tampered.replace_range(0..1, if tampered.starts_with('A') { "B" } else { "A" });
        assert_eq!(key.open(&tampered), Err(SottError::Checksum));
        assert_eq!(key.open("no-star"), Err(SottError::Malformed));
    }

    #[test]
    fn window_uses_24_hour_utc() {
        let key = SottKey::derive("secret");
        let sott = key.seal_window(
            "k",
            datetime!(2025-03-05 13:30:00 UTC),
            time::Duration::minutes(10),
        );
        let opened = key.open(sott.expose()).unwrap();
        assert_eq!(opened.start, "2025/03/05 13:30:00");
        assert_eq!(opened.end, "2025/03/05 13:40:00");
    }

    #[test]
    fn lenient_window_parsing() {
        assert_eq!(
            parse_window_time("2025/06/01 09:15:00"),
            Some(datetime!(2025-06-01 09:15:00 UTC))
        );
        assert_eq!(
            parse_window_time("2024/1/2 3:04:05"),
            Some(datetime!(2024-01-02 03:04:05 UTC))
        );
        assert_eq!(
            parse_window_time("2017-05-15 07:10:42"),
            Some(datetime!(2017-05-15 07:10:42 UTC))
        );
        assert_eq!(
            parse_window_time("12/31/2025 11:59:59 PM"),
            Some(datetime!(2025-12-31 23:59:59 UTC))
        );
        assert_eq!(
            parse_window_time("1/1/2026 12:09:59 AM"),
            Some(datetime!(2026-01-01 00:09:59 UTC))
        );
        assert_eq!(parse_window_time("garbage"), None);
    }
}
