//! [`Secret`]: a string that is never printed.

use std::fmt;

/// A string that must never appear in logs, `Debug` or `Display` output: the API secret, access
/// and refresh tokens, passwords, SOTTs, verification tokens.
///
/// Read the value with [`Secret::expose`] at the single place that needs it (building a header or
/// a body). Comparisons are constant-time for equal lengths.
///
/// A `Secret` deserializes from a string but does not implement `Serialize`: writing one out is
/// an explicit act, `expose()` at the call site, or, for a model field that travels on the wire,
/// `#[serde(serialize_with = "crate::secret::exposed")]` next to the field.
///
/// ```
/// use loginradius::Secret;
/// let secret = Secret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "Secret(\"***\")");
/// assert_eq!(secret.expose(), "s3cr3t");
/// ```
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the value is empty or only white space.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&"***").finish()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Self(value.clone())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// Serializes the value of a secret field in clear, for
/// `#[serde(serialize_with = "crate::secret::exposed")]` on a model field that must travel on
/// the wire (a password in a request body, a token in a response model). Works for `Secret`,
/// `Option<Secret>` and `Vec<Secret>`.
pub(crate) fn exposed<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Exposable + ?Sized,
    S: serde::Serializer,
{
    value.serialize_exposed(serializer)
}

/// A field type holding secrets that [`exposed`] can write out.
pub(crate) trait Exposable {
    /// Serializes the secret values in clear.
    fn serialize_exposed<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Exposable for Secret {
    fn serialize_exposed<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl Exposable for Option<Secret> {
    fn serialize_exposed<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(secret) => serializer.serialize_some(secret.expose()),
            None => serializer.serialize_none(),
        }
    }
}

impl Exposable for Vec<Secret> {
    fn serialize_exposed<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Secret::expose))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("token-123");
        assert!(!format!("{s:?}").contains("token-123"));
        assert!(!format!("{s:#?}").contains("token-123"));
    }

    #[test]
    fn serializing_is_explicit() {
        #[derive(serde::Serialize)]
        struct Body {
            #[serde(serialize_with = "exposed")]
            one: Secret,
            #[serde(serialize_with = "exposed")]
            maybe: Option<Secret>,
            #[serde(serialize_with = "exposed")]
            none: Option<Secret>,
            #[serde(serialize_with = "exposed")]
            many: Vec<Secret>,
        }
        let body = Body {
            one: Secret::new("a"),
            maybe: Some(Secret::new("b")),
            none: None,
            many: vec![Secret::new("c"), Secret::new("d")],
        };
        assert_eq!(
            serde_json::to_string(&body).expect("serializable"),
            r#"{"one":"a","maybe":"b","none":null,"many":["c","d"]}"#
        );
    }

    #[test]
    fn equality_compares_values() {
        assert_eq!(Secret::new("a"), Secret::new("a"));
        assert_ne!(Secret::new("a"), Secret::new("b"));
        assert_ne!(Secret::new("a"), Secret::new("ab"));
    }
}
