//! The JSON body format: what Python's `json.dumps` writes, byte for byte.
//!
//! The reference SDK signs the exact body string it sends, and that string is Python's
//! `json.dumps` output: `", "` and `": "` separators, keys in insertion order, every non-ASCII
//! character (and DEL) escaped as a lowercase `\uXXXX`, astral characters as surrogate pairs,
//! `/` not escaped. Writing the same bytes means a signed request is identical to the reference
//! SDK's, so the service verifies it exactly as it verifies theirs.

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, Serializer};

/// A [`serde_json`] formatter that writes Python `json.dumps` style.
#[derive(Debug, Clone, Copy, Default)]
pub struct PythonStyle;

impl Formatter for PythonStyle {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if (c as u32) < 0x7f {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let s: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => return write!(w, "\\u{byte:04x}"),
        };
        w.write_all(s)
    }
}

/// Serializes `value` in Python `json.dumps` style.
///
/// ```
/// let body = loginradius::wire::json::to_vec(&serde_json::json!({"roles": ["Editor", "Zoë"]})).unwrap();
/// assert_eq!(body, br#"{"roles": ["Editor", "Zo\u00eb"]}"#);
/// ```
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    let mut serializer = Serializer::with_formatter(&mut out, PythonStyle);
    value.serialize(&mut serializer)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_for_escapes_and_astral_characters() {
        let v = json!({"a": "\u{1F600}", "b": "x\u{7f}\u{1f}\n\"\\/", "c": [1, 2.5, true, null], "d": {}});
        let s = String::from_utf8(to_vec(&v).unwrap()).unwrap();
        assert_eq!(
            s,
            r#"{"a": "\ud83d\ude00", "b": "x\u007f\u001f\n\"\\/", "c": [1, 2.5, true, null], "d": {}}"#
        );
    }
}
