//! The TOTP authenticator: RFC 6238, HMAC-SHA1, 6 digits, 30-second steps, one step of skew
//! either way. Secrets are 32 random ASCII hex bytes (as in LoginRadius's sample), shown as
//! unpadded Base32 (`ManualEntryCode`) and in an `otpauth://totp/` URI.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use time::OffsetDateTime;

use crate::ids::Ids;

/// Everything but RFC 3986 unreserved characters is escaped.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Labels also keep `@` (the label is the bare email address).
const LABEL: &AsciiSet = &UNRESERVED.remove(b'@');

/// A new 32-byte secret.
pub(crate) fn new_secret(ids: &mut Ids) -> Vec<u8> {
    hex::encode(ids.bytes::<16>()).into_bytes()
}

fn totp(secret: &[u8]) -> Option<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .build()
        .ok()
}

/// The unpadded Base32 form of a secret.
pub(crate) fn manual_entry_code(secret: &[u8]) -> String {
    totp_rs::Secret::from(secret.to_vec()).to_base32()
}

/// The secret whose unpadded Base32 form is `code` (the inverse of [`manual_entry_code`]).
pub(crate) fn secret_from_manual_entry_code(code: &str) -> Option<Vec<u8>> {
    totp_rs::Secret::try_from_base32(code)
        .ok()
        .map(|s| s.as_bytes().to_vec())
}

/// `otpauth://totp/<label>?secret=<BASE32>&issuer=<issuer>`.
pub(crate) fn otpauth_uri(secret: &[u8], label: &str, issuer: &str) -> String {
    format!(
        "otpauth://totp/{}?secret={}&issuer={}",
        utf8_percent_encode(label, LABEL),
        manual_entry_code(secret),
        utf8_percent_encode(issuer, UNRESERVED),
    )
}

/// Whether `code` is valid for `secret` at `now` (±1 step).
pub(crate) fn check(secret: &[u8], code: &str, now: OffsetDateTime) -> bool {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(seconds) = u64::try_from(now.unix_timestamp()) else {
        return false;
    };
    totp(secret).is_some_and(|t| t.check(code, seconds).is_some())
}

/// Ten single-use backup codes, `xxxxx-xxxxx` lowercase hex.
pub(crate) fn backup_codes(ids: &mut Ids) -> Vec<String> {
    (0..10)
        .map(|_| {
            let h = hex::encode(ids.bytes::<5>());
            format!("{}-{}", &h[..5], &h[5..])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sanity_vector_from_wire_md() {
        // The sample secret of the LoginRadius docs: Base32 of an ASCII GUID without dashes.
        let secret = b"8cb5c92d089f452eb04a99d53f31c21b";
        assert_eq!(
            manual_entry_code(secret),
            "HBRWENLDHEZGIMBYHFTDINJSMVRDANDBHE4WINJTMYZTCYZSGFRA"
        );
        let at = OffsetDateTime::from_unix_timestamp(59).unwrap();
        assert!(check(secret, "940482", at));
        assert!(!check(secret, "940483", at));
        assert!(!check(secret, "94048", at));
    }

    #[test]
    fn skew_is_one_step() {
        let secret = new_secret(&mut Ids::default());
        let t = totp(&secret).unwrap();
        let code = t.generate(1_000_000_020).to_string();
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).unwrap();
        assert!(check(&secret, &code, at(1_000_000_020)));
        assert!(check(&secret, &code, at(1_000_000_020 + 30)));
        assert!(!check(&secret, &code, at(1_000_000_020 + 90)));
    }

    #[test]
    fn uri_and_backup_codes() {
        let uri = otpauth_uri(
            b"8cb5c92d089f452eb04a99d53f31c21b",
            "jane@example.com",
            "My Site",
        );
        assert_eq!(
            uri,
            "otpauth://totp/jane@example.com?secret=HBRWENLDHEZGIMBYHFTDINJSMVRDANDBHE4WINJTMYZTCYZSGFRA&issuer=My%20Site"
        );
        let secret = new_secret(&mut Ids::default());
        assert_eq!(
            secret_from_manual_entry_code(&manual_entry_code(&secret)),
            Some(secret)
        );
        assert_eq!(secret_from_manual_entry_code("not base32!"), None);
        let codes = backup_codes(&mut Ids::default());
        assert_eq!(codes.len(), 10);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-')
        );
    }
}
