//! Serde helpers for LoginRadius timestamps: ISO 8601 with 0 to 7 fraction digits, with or without
//! a `Z`, read as UTC; `null` and `""` read as absent.

use serde::{Deserialize, Deserializer, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses a LoginRadius timestamp (`2017-08-17T10:52:36.1644137Z`, `0001-01-01T00:00:00`).
///
/// ```
/// use loginradius::models::timestamp::parse;
/// assert!(parse("2017-08-17T10:52:36.1644137Z").is_some());
/// assert!(parse("2019-06-12T15:53:48.546Z").is_some());
/// assert!(parse("0001-01-01T00:00:00").is_some());
/// assert!(parse("yesterday").is_none());
/// ```
pub fn parse(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
        return Some(t);
    }
    // No offset: LoginRadius means UTC.
    OffsetDateTime::parse(&format!("{value}Z"), &Rfc3339).ok()
}

/// Formats a timestamp the way LoginRadius does (RFC 3339, UTC).
pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// `#[serde(with = "timestamp::option")]` for `Option<OffsetDateTime>` fields.
pub mod option {
    use super::*;

    /// Reads an optional timestamp; `null`, `""` and unparsable text read as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.as_deref().and_then(parse))
    }

    /// Writes an optional timestamp as RFC 3339 or `null`.
    pub fn serialize<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format(*t)),
            None => s.serialize_none(),
        }
    }
}
