//! Timestamp formats used on the wire.

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// `X-Request-Expires`: `YYYY-MM-DD HH:MM:SS`, UTC, 24-hour.
pub(crate) const EXPIRES: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour repr:24]:[minute]:[second]");

/// SOTT window bounds: `YYYY/MM/DD HH:MM:SS`, UTC, 24-hour.
pub(crate) const SOTT: &[FormatItem<'static>] =
    format_description!("[year]/[month]/[day] [hour repr:24]:[minute]:[second]");

pub(crate) fn format_utc(t: OffsetDateTime, format: &[FormatItem<'static>]) -> String {
    // Formatting a valid UTC date with numeric components cannot fail; fall back to RFC 3339
    // rather than panic if a future `time` release ever disagrees.
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
