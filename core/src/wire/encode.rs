//! Percent-encoding of path segments and query values.
//!
//! Every value that comes from a caller is encoded, so a uid such as `x/../../auth/account?y=`
//! stays one path segment and an email with `+`, `&` or `#` arrives as typed (the reference SDK
//! pastes values in raw).

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters encoded in a path segment: everything but RFC 3986 unreserved characters and a few
/// harmless sub-delimiters.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'\\')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'+')
    .add(b';')
    .add(b'=');

/// Characters encoded in a query name or value: the path set plus nothing left that a server could
/// read as a separator. `,` `:` `@` `/` `(` `)` `*` stay readable (they mean nothing special
/// inside a query value), which keeps `fields=Email,Uid` as LoginRadius documents it.
const QUERY_VALUE: &AsciiSet = &PATH_SEGMENT.remove(b'/');

/// Percent-encodes one path segment.
///
/// ```
/// assert_eq!(loginradius::wire::encode::path_segment("x/../../auth/account?y="), "x%2F..%2F..%2Fauth%2Faccount%3Fy%3D");
/// ```
pub fn path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Percent-encodes one query name or value.
///
/// ```
/// assert_eq!(loginradius::wire::encode::query_value("a+b&c#d@e.com"), "a%2Bb%26c%23d@e.com");
/// assert_eq!(loginradius::wire::encode::query_value("Email,Uid"), "Email,Uid");
/// ```
pub fn query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_non_ascii_are_encoded() {
        assert_eq!(query_value("a b"), "a%20b");
        assert_eq!(query_value("50%"), "50%25");
        assert_eq!(query_value("é"), "%C3%A9");
        assert_eq!(query_value("a=b;c"), "a%3Db%3Bc");
        assert_eq!(path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(path_segment("plain-Id_1.2~"), "plain-Id_1.2~");
    }
}
