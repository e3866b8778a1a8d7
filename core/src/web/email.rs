//! Email addresses as one account: normalised, and look-alikes refused at registration.
//!
//! [`normalize_email`] applies Unicode NFKC (a full-width `ａdmin@…` becomes `admin@…`),
//! trims, and lower-cases the domain. Its local part must then be written in one script
//! (`аdmin` with a Cyrillic `а` among Latin letters is refused) and must not be a non-ASCII
//! spelling that looks like an ASCII one (`аdmіn` all in Cyrillic, whose confusable skeleton is
//! `admin`). The Unicode rules are those of UTS #39, from the `unicode-security` crate.
//!
//! [`account_key`] is the form the limits count by: NFKC, trimmed, lower case.

use unicode_normalization::UnicodeNormalization;
use unicode_security::{MixedScript, skeleton};

/// Why an email address cannot name a new account. The messages say what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmailError {
    /// Not an address (`local@domain`, no white space or control characters, at most 254
    /// bytes).
    #[error("the email address is not valid")]
    Invalid,
    /// The part before `@` mixes scripts (e.g. a Cyrillic letter among Latin ones).
    #[error(
        "the email address mixes alphabets before the @ (for example a Cyrillic letter among \
         Latin ones); type it in one alphabet"
    )]
    MixedScript,
    /// The part before `@` imitates an ASCII spelling with other characters.
    #[error(
        "the email address uses letters that imitate other letters before the @; type it with \
         the letters it looks like"
    )]
    Confusable,
}

/// The address in its one form for a new account, or why it is refused: Unicode NFKC,
/// trimmed, the domain in lower case; a part before `@` that mixes scripts, or that imitates
/// an ASCII spelling with other letters (its UTS #39 confusable skeleton is ASCII), is refused.
///
/// ```
/// use loginradius::web::{EmailError, normalize_email};
///
/// assert_eq!(normalize_email(" Jane@Example.COM ").unwrap(), "Jane@example.com");
/// assert_eq!(normalize_email("ａdmin@example.com").unwrap(), "admin@example.com");
/// assert_eq!(normalize_email("\u{430}dmin@example.com"), Err(EmailError::MixedScript));
/// ```
pub fn normalize_email(raw: &str) -> Result<String, EmailError> {
    let text: String = raw.trim().nfkc().collect();
    if text.len() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailError::Invalid);
    }
    let (local, domain) = text.rsplit_once('@').ok_or(EmailError::Invalid)?;
    if local.is_empty() || domain.is_empty() || local.contains('@') {
        return Err(EmailError::Invalid);
    }
    if !local.is_ascii() {
        // Punctuation is common to every script: only letters and digits decide.
        let letters: String = local.chars().filter(|c| c.is_alphanumeric()).collect();
        if !letters.is_single_script() {
            return Err(EmailError::MixedScript);
        }
        let shape: String = skeleton(&letters).collect();
        if shape.is_ascii() {
            return Err(EmailError::Confusable);
        }
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// The form of an address the per-account limits count by: NFKC, trimmed, lower case (so
/// `Jane@Example.com` and `jane@example.com` share one count).
pub fn account_key(raw: &str) -> String {
    raw.trim().nfkc().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_are_refused_and_honest_addresses_kept() {
        for (raw, expected) in [
            ("jane@example.com", Ok("jane@example.com".to_owned())),
            (
                "ｊａｎｅ@ＥＸＡＭＰＬＥ.com",
                Ok("jane@example.com".to_owned()),
            ),
            (
                "Jane.Doe+x@Example.com",
                Ok("Jane.Doe+x@example.com".to_owned()),
            ),
            // Honest non-Latin addresses.
            ("иван@example.com", Ok("иван@example.com".to_owned())),
            ("josé@example.com", Ok("josé@example.com".to_owned())),
            ("\u{430}dmin@example.com", Err(EmailError::MixedScript)),
            (
                "\u{430}\u{501}m\u{456}n@example.com",
                Err(EmailError::MixedScript),
            ),
            (
                "\u{430}\u{440}\u{440}@example.com",
                Err(EmailError::Confusable),
            ),
            ("no-at.example.com", Err(EmailError::Invalid)),
            ("a b@example.com", Err(EmailError::Invalid)),
            ("@example.com", Err(EmailError::Invalid)),
        ] {
            assert_eq!(normalize_email(raw), expected, "{raw}");
        }
        assert_eq!(account_key(" Ｊane@Example.com"), "jane@example.com");
    }
}
