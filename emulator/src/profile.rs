//! The profile ("Identity") as LoginRadius writes it, and how profile updates are applied:
//! incoming keys are matched case-insensitively and stored in LoginRadius casing.

use serde_json::{Map, Value, json};

use loginradius::codes;

use crate::errors::ApiError;
use crate::request::{bool_ci, get_ci, str_ci};
use crate::state::{EmailEntry, User};
use crate::times::iso;

/// Profile fields stored as given (in this casing) by registration and updates.
const FREE_FIELDS: &[&str] = &[
    "Prefix",
    "FirstName",
    "MiddleName",
    "LastName",
    "Suffix",
    "FullName",
    "NickName",
    "ProfileName",
    "BirthDate",
    "Gender",
    "Website",
    "Country",
    "ThumbnailImageUrl",
    "ImageUrl",
    "Favicon",
    "ProfileUrl",
    "HomeTown",
    "State",
    "City",
    "Industry",
    "About",
    "TimeZone",
    "LocalLanguage",
    "CoverPhoto",
    "TagLine",
    "Language",
    "PhoneNumbers",
    "Addresses",
    "MainAddress",
    "LocalCity",
    "ProfileCity",
    "LocalCountry",
    "ProfileCountry",
    "Company",
    "CustomFields",
    "IsEmailSubscribed",
    "PrivacyPolicy",
    "ExternalIds",
    "ExternalUserLoginId",
    "Interests",
    "Languages",
    "Positions",
    "Educations",
    "Skills",
    "Certifications",
];

/// Keys the emulator manages itself; ignored in user-supplied updates.
const MANAGED: &[&str] = &[
    "Uid",
    "ID",
    "Provider",
    "Email",
    "EmailVerified",
    "UserName",
    "Password",
    "PhoneId",
    "PhoneIdVerified",
    "Roles",
    "IsActive",
    "IsDeleted",
    "IsLoginLocked",
    "LoginLockedType",
    "NoOfLogins",
    "LastLoginDate",
    "SignupDate",
    "CreatedDate",
    "ModifiedDate",
    "LastPasswordChangeDate",
    "RegistrationProvider",
    "RegistrationSource",
    "Identities",
    "UnverifiedEmail",
    "FirstLogin",
    "access_token",
    "apikey",
    "g-recaptcha-response",
    "qq_captcha_ticket",
    "qq_captcha_randstr",
    "securityanswer",
    "SecurityQuestionAnswer",
    "ConsentProfile",
    "PrivacyPolicy",
    "Options",
];

/// The canonical casing of a free profile field, or the key as given for unknown fields.
fn canonical(key: &str) -> String {
    FREE_FIELDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_owned(), |k| (*k).to_owned())
}

fn is_managed(key: &str) -> bool {
    MANAGED.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Applies free profile fields from `body` to `user`. `null` clears a field only with
/// `null_support` (the `nullsupport=true` query).
pub(crate) fn apply_fields(user: &mut User, body: &Map<String, Value>, null_support: bool) {
    for (key, value) in body {
        if is_managed(key) {
            continue;
        }
        let key = canonical(key);
        if value.is_null() {
            if null_support {
                user.fields.remove(&key);
            }
        } else {
            user.fields.insert(key, value.clone());
        }
    }
}

/// Reads the `Email` array of a body (`[{"Type","Value"}]`, keys in any case); a plain string
/// is accepted as the primary address.
pub(crate) fn emails_from(body: &Map<String, Value>) -> Result<Option<Vec<EmailEntry>>, ApiError> {
    let Some(value) = get_ci(body, "Email") else {
        return Ok(None);
    };
    let entries = match value {
        Value::String(s) => vec![EmailEntry::primary(s)],
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                let Some(obj) = item.as_object() else {
                    return Err(ApiError::validation(
                        "Email",
                        "Each Email entry must be an object with Type and Value.",
                    ));
                };
                let value = str_ci(obj, "Value").unwrap_or_default();
                let kind = str_ci(obj, "Type").unwrap_or_else(|| "Primary".into());
                out.push(EmailEntry { kind, value });
            }
            out
        }
        Value::Null => return Ok(None),
        _ => {
            return Err(ApiError::validation(
                "Email",
                "The Email field must be an array.",
            ));
        }
    };
    for e in &entries {
        if !valid_email(&e.value) {
            return Err(ApiError::new(codes::VALID_EMAIL_REQUIRED));
        }
    }
    Ok(Some(entries))
}

/// A plausible email address: one `@`, text on both sides, a dot in the domain, no spaces.
pub(crate) fn valid_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
        && email.len() <= 254
}

/// Whether the request asked to keep `EmailVerified` as sent (admin create/update).
pub(crate) fn email_verified_from(body: &Map<String, Value>) -> Option<bool> {
    bool_ci(body, "EmailVerified")
}

/// The profile JSON of `user`, in LoginRadius casing.
pub(crate) fn profile_json(user: &User) -> Value {
    let emails: Vec<Value> = user
        .emails
        .iter()
        .map(|e| json!({ "Type": e.kind, "Value": e.value }))
        .collect();
    let first = user
        .fields
        .get("FirstName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let last = user
        .fields
        .get("LastName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let full = user.fields.get("FullName").cloned().unwrap_or_else(|| {
        let full = format!("{first} {last}").trim().to_owned();
        if full.is_empty() {
            Value::Null
        } else {
            Value::String(full)
        }
    });
    let mut p = Map::new();
    p.insert("Uid".into(), json!(user.uid));
    p.insert("ID".into(), json!(user.id));
    p.insert("Provider".into(), json!("Email"));
    p.insert("RegistrationProvider".into(), json!("Email"));
    p.insert("RegistrationSource".into(), json!(user.registration_source));
    p.insert(
        "Email".into(),
        if emails.is_empty() {
            Value::Null
        } else {
            Value::Array(emails)
        },
    );
    p.insert("UnverifiedEmail".into(), Value::Null);
    p.insert("EmailVerified".into(), json!(user.email_verified));
    p.insert("UserName".into(), json!(user.username));
    p.insert(
        "FirstName".into(),
        user.fields.get("FirstName").cloned().unwrap_or(Value::Null),
    );
    p.insert(
        "LastName".into(),
        user.fields.get("LastName").cloned().unwrap_or(Value::Null),
    );
    p.insert("FullName".into(), full);
    for (k, v) in &user.fields {
        if !p.contains_key(k) {
            p.insert(k.clone(), v.clone());
        }
    }
    p.insert("PhoneId".into(), json!(user.phone_id));
    p.insert(
        "PhoneIdVerified".into(),
        json!(crate::extras::phone_verified(user)),
    );
    p.insert(
        "Roles".into(),
        if user.roles.is_empty() {
            Value::Null
        } else {
            json!(user.roles)
        },
    );
    p.insert("IsActive".into(), json!(user.is_active));
    p.insert("IsDeleted".into(), json!(false));
    p.insert("IsLoginLocked".into(), json!(false));
    p.insert("LoginLockedType".into(), json!("None"));
    p.insert("NoOfLogins".into(), json!(user.no_of_logins));
    p.insert("LastLoginDate".into(), json!(user.last_login.map(iso)));
    p.insert("SignupDate".into(), json!(iso(user.created)));
    p.insert("CreatedDate".into(), json!(iso(user.created)));
    p.insert("ModifiedDate".into(), json!(iso(user.modified)));
    p.insert(
        "LastPasswordChangeDate".into(),
        json!(user.last_password_change.map(iso)),
    );
    p.insert("FirstLogin".into(), json!(user.no_of_logins <= 1));
    p.insert(
        "IsSecurePassword".into(),
        json!(user.password_hash.is_some()),
    );
    p.insert(
        "Identities".into(),
        user.fields
            .get("Identities")
            .cloned()
            .unwrap_or(Value::Null),
    );
    Value::Object(p)
}

/// Applies the `fields` query (a comma list of top-level profile keys, `*` for all) to a profile.
/// Nested selections (`Email/Value`, `Addresses(City)`) select their top-level key whole.
pub(crate) fn project(profile: Value, fields: Option<&str>) -> Value {
    let Some(fields) = fields.map(str::trim).filter(|f| !f.is_empty() && *f != "*") else {
        return profile;
    };
    let Value::Object(map) = profile else {
        return profile;
    };
    let wanted: Vec<String> = top_level_names(fields);
    Value::Object(
        map.into_iter()
            .filter(|(k, _)| wanted.iter().any(|w| w.eq_ignore_ascii_case(k)))
            .collect(),
    )
}

fn top_level_names(fields: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for ch in fields.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                names.push(std::mem::take(&mut current));
                continue;
            }
            _ if depth == 0 => current.push(ch),
            _ => {}
        }
    }
    names.push(current);
    names
        .into_iter()
        .map(|n| n.split('/').next().unwrap_or_default().trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_projection_keeps_top_level_keys() {
        let p = json!({"Uid":"u","Email":[{"Type":"Primary","Value":"a@b.c"}],"FirstName":"A","Addresses":[]});
        let out = project(p.clone(), Some("uid,Email/Value,Addresses(City,State)"));
        assert_eq!(
            out,
            json!({"Uid":"u","Email":[{"Type":"Primary","Value":"a@b.c"}],"Addresses":[]})
        );
        assert_eq!(project(p.clone(), Some("*")), p);
        assert_eq!(project(p.clone(), None), p);
    }

    #[test]
    fn email_validation() {
        assert!(valid_email("jane+tag@example.com"));
        assert!(!valid_email("jane@localhost"));
        assert!(!valid_email("no-at.example.com"));
        assert!(!valid_email("a b@example.com"));
        assert!(!valid_email("<b>x</b>@example.com"));
    }

    #[test]
    fn updates_use_loginradius_casing_and_skip_managed_keys() {
        let mut user = User::new("u".into(), "i".into(), time::OffsetDateTime::UNIX_EPOCH);
        let body = json!({"firstname":"Jane","uid":"evil","Password":"x","customfields":{"a":"b"},"Shoe":42});
        apply_fields(&mut user, body.as_object().unwrap(), false);
        assert_eq!(user.fields.get("FirstName"), Some(&json!("Jane")));
        assert_eq!(user.fields.get("CustomFields"), Some(&json!({"a":"b"})));
        assert_eq!(user.fields.get("Shoe"), Some(&json!(42)));
        assert!(!user.fields.contains_key("uid") && !user.fields.contains_key("Password"));
        let clear = json!({"FirstName": null});
        apply_fields(&mut user, clear.as_object().unwrap(), false);
        assert!(user.fields.contains_key("FirstName"));
        apply_fields(&mut user, clear.as_object().unwrap(), true);
        assert!(!user.fields.contains_key("FirstName"));
    }
}
