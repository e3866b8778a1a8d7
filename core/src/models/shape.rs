//! How a response body is matched to a model: keys found whatever their casing, the documented
//! wrappers around an answer unwrapped, and whether the call selected `fields`. Failures are
//! described by [`failure`](super::failure).

use std::cell::Cell;

use serde::Deserialize;
use serde::de;
use serde_json::{Map, Value};

thread_local! {
    static FIELDS_SELECTED: Cell<bool> = const { Cell::new(false) };
}

/// Resets the "fields selected" flag when a decode ends, even by unwinding.
struct Selection(bool);

impl Drop for Selection {
    fn drop(&mut self) {
        FIELDS_SELECTED.with(|f| f.set(self.0));
    }
}

/// Runs `decode` knowing whether the caller restricted the answer with `fields`: a profile then
/// may lack its `Uid` and `ID`. Decoding is synchronous, so the flag never leaks to other calls.
pub(crate) fn with_fields_selected<T>(selected: bool, decode: impl FnOnce() -> T) -> T {
    let _restore = Selection(FIELDS_SELECTED.with(|f| f.replace(selected)));
    decode()
}

/// Whether the decode under way answers a call that selected `fields`.
pub(crate) fn fields_selected() -> bool {
    FIELDS_SELECTED.with(Cell::get)
}

/// Fails unless `map` holds at least one of `names` (in their canonical casing): a body with none
/// of a model's keys is not that model, and must not decode into its empty value.
pub(crate) fn require_one_of<E: de::Error>(
    map: &Map<String, Value>,
    names: &[&str],
) -> Result<(), E> {
    if names.is_empty() || names.iter().any(|name| map.contains_key(*name)) {
        return Ok(());
    }
    Err(super::failure::shape_error(
        "",
        &format!("expected at least one of the keys {}", names.join(", ")),
    ))
}

/// `#[serde(deserialize_with = …)]` for collections: `null` reads as empty.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: Default + de::Deserialize<'de>,
{
    Ok(Option::deserialize(d)?.unwrap_or_default())
}

/// The key of `map` that is `name`: the exact spelling first, else one equal to it ignoring
/// ASCII case.
pub(crate) fn find_key(map: &Map<String, Value>, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_owned());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// Removes `name` from `map` in any casing and returns its key as sent and its value. An exact
/// key holding `null` gives way to another casing that holds a value.
pub(crate) fn take(map: &mut Map<String, Value>, name: &str) -> Option<(String, Value)> {
    let exact = map.remove(name);
    if exact.as_ref().is_some_and(|v| !v.is_null()) {
        return exact.map(|v| (name.to_owned(), v));
    }
    match map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned() {
        Some(key) => map.remove(&key).map(|v| (key, v)),
        None => exact.map(|v| (name.to_owned(), v)),
    }
}

/// Renames the keys of `map` that spell one of `names` in another casing to that spelling, so a
/// derived model finds them. An exact key wins over other casings, which stay as sent.
pub(crate) fn canonical_keys(map: &mut Map<String, Value>, names: &[&str]) {
    for name in names {
        if map.contains_key(*name) {
            continue;
        }
        if let Some((_, value)) = take(map, name) {
            map.insert((*name).to_owned(), value);
        }
    }
}

/// `{"Data": [answer]}`, a documented wrapper of one answer: the answer, else `None`.
pub(crate) fn single_data_item(map: &Map<String, Value>) -> Option<Map<String, Value>> {
    if map.len() != 1 {
        return None;
    }
    match map.iter().next() {
        Some((key, Value::Array(items)))
            if key.eq_ignore_ascii_case("Data") && items.len() == 1 =>
        {
            items[0].as_object().cloned()
        }
        _ => None,
    }
}

/// Implements `Deserialize` for a model whose derives carry `#[serde(remote = "Self")]`: the
/// body's keys that spell one of the listed names in another casing are renamed first; with
/// `at_least_one`, a body holding none of them is refused; then an optional `fixup` runs on the
/// object, then the derived code decodes it. `Serialize` goes through the derived code unchanged.
macro_rules! any_case {
    ($ty:ty, [$($name:literal),* $(,)?], at_least_one) => {
        $crate::models::shape::any_case!($ty, [$($name),*], |_: &mut ::serde_json::Map<String, ::serde_json::Value>| {}, [$($name),*]);
    };
    ($ty:ty, [$($name:literal),* $(,)?], $fixup:expr, [$($required:literal),*]) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut map =
                    <::serde_json::Map<String, ::serde_json::Value> as ::serde::Deserialize>::deserialize(d)?;
                $crate::models::shape::canonical_keys(&mut map, &[$($name),*]);
                $crate::models::shape::require_one_of(&map, &[$($required),*])?;
                let fixup: fn(&mut ::serde_json::Map<String, ::serde_json::Value>) = $fixup;
                fixup(&mut map);
                $crate::models::failure::nested(::serde_json::Value::Object(map), |d| <$ty>::deserialize(d))
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, s)
            }
        }
    };
    ($ty:ty, [$($name:literal),* $(,)?]) => {
        $crate::models::shape::any_case!($ty, [$($name),*], |_: &mut ::serde_json::Map<String, ::serde_json::Value>| {});
    };
    ($ty:ty, [$($name:literal),* $(,)?], $fixup:expr) => {
        $crate::models::shape::any_case!($ty, [$($name),*], $fixup, []);
    };
}
pub(crate) use any_case;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn take_prefers_the_exact_key_unless_it_is_null() {
        let mut m = object(json!({"PhoneId": null, "phoneId": "+1"}));
        assert_eq!(
            take(&mut m, "PhoneId"),
            Some(("phoneId".into(), json!("+1")))
        );
        let mut m = object(json!({"PhoneId": "+2", "phoneId": "+1"}));
        assert_eq!(
            take(&mut m, "PhoneId"),
            Some(("PhoneId".into(), json!("+2")))
        );
        assert_eq!(m.get("phoneId"), Some(&json!("+1")));
    }

    #[test]
    fn canonical_keys_renames_other_casings() {
        let mut m = object(json!({"isdeleted": true, "Other": 1}));
        canonical_keys(&mut m, &["IsDeleted"]);
        assert_eq!(m.get("IsDeleted"), Some(&json!(true)));
        assert!(!m.contains_key("isdeleted"));
    }

    #[test]
    fn selection_is_restored() {
        assert!(!fields_selected());
        with_fields_selected(true, || assert!(fields_selected()));
        assert!(!fields_selected());
    }
}
