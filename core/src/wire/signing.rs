//! Request signing: the `digest` and `X-Request-Expires` headers that replace the API secret
//! header on `/identity/v2/manage` calls when signing is enabled.
//!
//! `digest = "SHA-256=" + base64(HMAC-SHA256(secret, lowercase(expires + ":" + encode(lowercase(url))) [+ ":" + body]))`,
//! where `encode` percent-encodes every byte but `A-Z a-z 0-9 - . _ ~`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::Sha256;
use time::OffsetDateTime;

use super::timefmt;

/// Name of the header carrying the expiry.
pub const EXPIRES_HEADER: &str = "X-Request-Expires";
/// Name of the header carrying the digest.
pub const DIGEST_HEADER: &str = "digest";

const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The string that is signed. `payload` is the exact body text, or `None` to append nothing.
///
/// ```
/// let s = loginradius::wire::signing::signing_string(
///     "2025-06-01 12:34:56", "https://api.loginradius.com/x?apiKey=K", Some("{}"));
/// assert_eq!(s, "2025-06-01 12:34:56:https%3a%2f%2fapi.loginradius.com%2fx%3fapikey%3dk:{}");
/// ```
pub fn signing_string(expires: &str, url: &str, payload: Option<&str>) -> String {
    let encoded = utf8_percent_encode(&url.to_lowercase(), UNRESERVED_KEPT).to_string();
    let mut s = format!("{expires}:{encoded}").to_lowercase();
    if let Some(payload) = payload {
        s.push(':');
        s.push_str(payload);
    }
    s
}

/// The base64 digest of a request (without the `SHA-256=` prefix).
pub fn digest(secret: &str, expires: &str, url: &str, payload: Option<&str>) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(signing_string(expires, url, payload).as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The `digest` header value: `SHA-256=<base64>`.
pub fn digest_header(secret: &str, expires: &str, url: &str, payload: Option<&str>) -> String {
    format!("SHA-256={}", digest(secret, expires, url, payload))
}

/// The `X-Request-Expires` value for a request made at `now`: one hour later, UTC.
pub fn expires_at(now: OffsetDateTime) -> String {
    timefmt::format_utc(now + time::Duration::HOUR, timefmt::EXPIRES)
}

/// Parses an `X-Request-Expires` value (`YYYY-MM-DD HH:MM:SS`, also without zero padding).
pub fn parse_expires(value: &str) -> Option<OffsetDateTime> {
    let (date, clock) = value.trim().split_once(' ')?;
    let mut d = date.split('-').map(|p| p.parse::<i32>().ok());
    let mut c = clock.split(':').map(|p| p.parse::<u8>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (hour, minute, second) = (c.next()??, c.next()??, c.next()??);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_utc())
}

/// Checks a received digest in constant time.
pub fn verify(
    secret: &str,
    expires: &str,
    url: &str,
    payload: Option<&str>,
    received: &str,
) -> bool {
    let expected = digest_header(secret, expires, url, payload);
    let (a, b) = (expected.as_bytes(), received.trim().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_one_hour_later_in_24_hour_utc() {
        let now = time::macros::datetime!(2025-03-05 13:30:00 UTC);
        assert_eq!(expires_at(now), "2025-03-05 14:30:00");
        assert_eq!(
            parse_expires("2025-03-05 14:30:00"),
            Some(now + time::Duration::HOUR)
        );
        assert_eq!(
            parse_expires("2025-3-5 4:3:0"),
            Some(time::macros::datetime!(2025-03-05 04:03:00 UTC))
        );
        assert_eq!(parse_expires("nonsense"), None);
    }

    #[test]
    fn verify_accepts_only_the_right_digest() {
        let h = digest_header("s", "e", "u", Some("{}"));
        assert!(verify("s", "e", "u", Some("{}"), &h));
        assert!(!verify("t", "e", "u", Some("{}"), &h));
        assert!(!verify("s", "e", "u", None, &h));
    }
}
