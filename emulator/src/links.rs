//! Where the links the emulator emails point to.
//!
//! LoginRadius builds verification, reset and sign-in links from the site's configuration, and
//! only sends a caller-supplied link base (`verificationurl`, `resetpasswordurl`, `deleteurl`, `resetpinurl`, `redirecturl`,
//! `loginurl`) to a domain
//! the site allows. The emulator does the same: its own links start at the configured public URL
//! (never at the request's `Host` header, which any caller can set), and a caller's link base
//! must be an `http(s)` URL on loopback or on an origin the configuration allows.

use std::net::IpAddr;

use loginradius::codes;
use url::{Host, Url};

use crate::config::EmulatorConfig;
use crate::errors::ApiError;
use crate::request::Query;

/// The query parameters that carry a caller's link base.
const LINK_PARAMETERS: &[&str] = &[
    "verificationurl",
    "resetpasswordurl",
    "deleteurl",
    "resetpinurl",
    "redirecturl",
    "loginurl",
];

/// Refuses a request whose link base points anywhere but loopback or an allowed origin.
pub(crate) fn check(query: &Query, config: &EmulatorConfig) -> Result<(), ApiError> {
    for name in LINK_PARAMETERS {
        if let Some(value) = query.get(name)
            && !allowed(value, config)
        {
            return Err(ApiError::new(codes::VERIFICATION_URL_INVALID).with_description(format!(
                "The {name} must be an http(s) URL on this machine or on an origin the emulator \
                 allows (--allow-link-origin)."
            )));
        }
    }
    Ok(())
}

/// Whether `value` is an `http(s)` URL on loopback or on an allowed origin.
pub(crate) fn allowed(value: &str, config: &EmulatorConfig) -> bool {
    let Ok(url) = Url::parse(value) else {
        return false;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    let origin = url.origin().ascii_serialization();
    loopback
        || config
            .allowed_link_origins
            .iter()
            .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(&origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> EmulatorConfig {
        EmulatorConfig::default().with_allowed_link_origin("https://app.example.com")
    }

    #[test]
    fn loopback_and_allowed_origins_pass_everything_else_is_refused() {
        let c = config();
        for ok in [
            "http://127.0.0.1:5000/reset#",
            "http://localhost/verify",
            "http://[::1]:8080/x",
            "https://app.example.com/reset?x=1",
            "HTTPS://APP.EXAMPLE.COM/reset",
        ] {
            assert!(allowed(ok, &c), "{ok}");
        }
        for refused in [
            "https://evil.example/reset",
            "https://app.example.com.evil.example/reset",
            "http://app.example.com/reset",
            "https://app.example.com:8443/reset",
            "javascript:alert(1)",
            "//127.0.0.1/reset",
            "not a url",
            "ftp://127.0.0.1/x",
        ] {
            assert!(!allowed(refused, &c), "{refused}");
        }
    }

    #[test]
    fn a_refused_link_names_the_parameter_and_is_code_1249() {
        let query = Query::parse(Some("ResetPasswordUrl=https%3A%2F%2Fevil.example%2Fr"));
        let Err(e) = check(&query, &config()) else {
            panic!("refused");
        };
        assert_eq!(e.code, codes::VERIFICATION_URL_INVALID);
        assert!(format!("{e:?}").contains("resetpasswordurl"));
        assert!(check(&Query::parse(Some("email=a@b.c")), &config()).is_ok());
    }
}
