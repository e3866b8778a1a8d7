//! Timestamp formats the emulator writes.

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

const ISO7: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:7]Z");
const SERVER: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const SOTT: &[FormatItem<'static>] =
    format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");

fn utc(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC)
}

/// `2017-08-17T10:52:36.1644137Z`, as the service writes `expires_in` and dates.
pub(crate) fn iso(t: OffsetDateTime) -> String {
    utc(t)
        .format(ISO7)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// RFC 3339 in UTC (`2017-08-17T10:52:36.164413Z`), as state files write times.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    utc(t)
        .format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// `2017-11-06 06:15:53` (server info `CurrentTime`).
pub(crate) fn server(t: OffsetDateTime) -> String {
    utc(t)
        .format(SERVER)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// `2017/11/06 06:15:53` (SOTT window bounds).
pub(crate) fn sott(t: OffsetDateTime) -> String {
    utc(t)
        .format(SOTT)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Parses a date the way clients send them: RFC 3339 (with or without `Z`), or the lenient
/// forms of SOTT bounds and role-context expiry (`07/15/2018 8:30:08 AM`, `2018-07-15 08:30:08`).
pub(crate) fn parse_lenient(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    OffsetDateTime::parse(value, &Rfc3339)
        .ok()
        .or_else(|| OffsetDateTime::parse(&format!("{value}Z"), &Rfc3339).ok())
        .or_else(|| loginradius::wire::sott::parse_window_time(value))
        .or_else(|| {
            value.split_once('T').and_then(|(d, t)| {
                loginradius::wire::sott::parse_window_time(&format!(
                    "{d} {}",
                    t.trim_end_matches('Z')
                ))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats() {
        let t = datetime!(2024-01-02 03:04:05.5 UTC);
        assert_eq!(iso(t), "2024-01-02T03:04:05.5000000Z");
        assert_eq!(server(t), "2024-01-02 03:04:05");
        assert_eq!(sott(t), "2024/01/02 03:04:05");
    }

    #[test]
    fn lenient_parsing() {
        let want = Some(datetime!(2018-07-15 08:30:08 UTC));
        assert_eq!(parse_lenient("2018-07-15T08:30:08Z"), want);
        assert_eq!(parse_lenient("2018-07-15T08:30:08"), want);
        assert_eq!(parse_lenient("07/15/2018 8:30:08 AM"), want);
        assert_eq!(parse_lenient("2018-07-15 08:30:08"), want);
        assert_eq!(parse_lenient("soon"), None);
    }
}
