//! Decode failures described by the JSON path and the expected type, never by a value taken from
//! the body: serde quotes offending values in its messages, so only their safe parts are kept.

use serde::de;
use serde_json::Value;

/// Starts an error message that [`describe`] already made safe; the path inside the nested value
/// follows, then this mark again, then the description.
const NESTED: char = '\u{1}';

/// Decodes a value already read from the body with `decode` (a derived model's own
/// deserializer), reporting a failure as the path inside `value` and what was expected there.
pub(crate) fn nested<T, E: de::Error>(
    value: Value,
    decode: impl FnOnce(
        serde_path_to_error::Deserializer<'_, '_, Value>,
    ) -> Result<T, serde_json::Error>,
) -> Result<T, E> {
    nested_at("", value, decode)
}

/// Decodes `value`, found under the key `key` of the body, as `T`, reporting a failure's path
/// from that key.
pub(crate) fn nested_field<T: de::DeserializeOwned, E: de::Error>(
    key: &str,
    value: Value,
) -> Result<T, E> {
    nested_at(key, value, |d| T::deserialize(d))
}

/// [`nested`], with `prefix` in front of the reported path.
fn nested_at<T, E: de::Error>(
    prefix: &str,
    value: Value,
    decode: impl FnOnce(
        serde_path_to_error::Deserializer<'_, '_, Value>,
    ) -> Result<T, serde_json::Error>,
) -> Result<T, E> {
    let mut track = serde_path_to_error::Track::new();
    match decode(serde_path_to_error::Deserializer::new(value, &mut track)) {
        Ok(t) => Ok(t),
        Err(e) => {
            let (path, reason) = describe(&track.path().to_string(), &e);
            Err(shape_error(&join_path(prefix, &path), &reason))
        }
    }
}

/// `outer.inner`, `outer[0]`, or whichever part is not empty.
fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        ("", inner) => inner.to_owned(),
        (outer, "") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    }
}

/// A decode failure at `path` (inside the value being decoded) described by `reason`, which
/// must come from the model, never from the body: it is reported as it is.
pub(crate) fn shape_error<E: de::Error>(path: &str, reason: &str) -> E {
    E::custom(format!("{NESTED}{path}{NESTED}{reason}"))
}

/// A decode failure as (JSON path, what was expected): `path` is where serde stopped (`.` for the
/// root), joined with the path inside a nested decode. The description keeps only the expected
/// type, the kind of value found, or the name of a missing field.
pub(crate) fn describe(path: &str, error: &serde_json::Error) -> (String, String) {
    let outer = if path == "." { "" } else { path };
    if matches!(
        error.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    ) {
        return (
            String::new(),
            format!(
                "the body is not JSON (line {}, column {})",
                error.line(),
                error.column()
            ),
        );
    }
    let message = error.to_string();
    if let Some(rest) = message.strip_prefix(NESTED)
        && let Some((inner, reason)) = rest.split_once(NESTED)
    {
        return (join_path(outer, inner), reason.to_owned());
    }
    (outer.to_owned(), safe_reason(&message))
}

/// The safe part of a serde message: `missing field `X``, `expected T, found K`, or a generic
/// sentence. Serde quotes offending values (`invalid type: string "…"`); those never pass.
fn safe_reason(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(end) = rest.find('`')
    {
        return format!("missing field `{}`", &rest[..end]);
    }
    if let Some(at) = message.rfind(", expected ") {
        let expected = message[at + ", expected ".len()..].trim_end();
        let expected = strip_position(expected);
        if let Some(found) = message.strip_prefix("invalid type: ") {
            let kind = found
                .split(['`', '"', ','])
                .next()
                .unwrap_or_default()
                .trim();
            return format!("expected {expected}, found {kind}");
        }
        return format!("expected {expected}");
    }
    "the value does not fit the model".to_owned()
}

/// Drops serde_json's ` at line L column C` suffix.
fn strip_position(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(at) if text[at..].contains(" column ") => &text[..at],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reasons_never_quote_values() {
        let e = serde_json::from_value::<u32>(json!("a-secret-value")).unwrap_err();
        let (path, reason) = describe(".", &e);
        assert_eq!(path, "");
        assert_eq!(reason, "expected u32, found string");
        assert_eq!(
            safe_reason("unknown variant `sec, expected ret`, expected one of `a`"),
            "expected one of `a`"
        );
        assert_eq!(
            safe_reason("something `secret` happened"),
            "the value does not fit the model"
        );
    }
}
