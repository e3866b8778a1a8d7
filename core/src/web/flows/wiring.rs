//! The check that the route helpers and the guards agree on the session: the authenticator
//! the guards use must read the session cookie the helpers write. Without it, login answers
//! 200 and every guarded route then answers 401 without a word, so a wrong wiring is an error
//! when the flows are built ([`Flows::new`](super::Flows::new)), not a silent 401 later.

use http::{HeaderMap, HeaderValue, header::COOKIE};
use time::{Duration, OffsetDateTime};

use crate::auth::{AccessToken, Authenticator, TokenSource};
use crate::web::session::{Session, SessionCookie};

/// Why an [`Authenticator`] and a [`SessionCookie`] cannot work together. Its message says
/// what to change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WiringError {
    /// The authenticator has no token source for the session cookie: after a login through the
    /// route helpers, every guarded route would answer 401.
    #[error(
        "the authenticator does not read the session cookie `{cookie}`: every guarded route \
         would answer 401 after a login. Build the flows in one step with \
         `Flows::from_client(client, session)`, or give the authenticator \
         `.token_sources(session.token_sources())`"
    )]
    SessionNotRead {
        /// The session cookie's name.
        cookie: String,
    },
    /// The authenticator reads the session cookie as a plain token (`with_cookie(name)`), but
    /// the session cookie is encrypted: its raw value is no access token.
    #[error(
        "the authenticator reads the cookie `{cookie}` as a plain token, but the session cookie \
         is encrypted: every guarded route would answer 401 after a login. Replace \
         `with_cookie(\"{cookie}\")` with `.with(session.token_source())`, or build the flows in \
         one step with `Flows::from_client(client, session)`"
    )]
    SessionReadRaw {
        /// The session cookie's name.
        cookie: String,
    },
    /// The authenticator could not be built.
    #[error("the authenticator could not be built: {0}")]
    Authenticator(#[source] crate::Error),
}

/// Checks that `authenticator` reads the access token of `session`'s cookie: a request with a
/// sealed probe session must give back the probe token (no request is sent).
pub fn check_session_wiring(
    authenticator: &Authenticator,
    session: &SessionCookie,
) -> Result<(), WiringError> {
    let probe = AccessToken::from("wiring-probe-0123456789".to_owned());
    let signed_in = Session::SignedIn {
        access_token: probe.clone(),
        uid: "wiring-probe".to_owned(),
        expires_at: OffsetDateTime::now_utc() + Duration::hours(1),
        id: crate::fleet::SessionId::generate(),
    };
    let set_cookie = session.start(&HeaderMap::new(), &signed_in);
    // `name=value; attributes…`: the request sends back `name=value`.
    let pair = set_cookie
        .to_str()
        .ok()
        .and_then(|c| c.split(';').next())
        .and_then(|pair| HeaderValue::from_str(pair).ok());
    let cookie = session.cookie_name().to_owned();
    let Some(pair) = pair else {
        return Err(WiringError::SessionNotRead { cookie });
    };
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, pair);
    match authenticator.extract(&headers) {
        Ok(Some(token)) if token == probe => Ok(()),
        _ if reads_raw_cookie(authenticator, &cookie) => {
            Err(WiringError::SessionReadRaw { cookie })
        }
        _ => Err(WiringError::SessionNotRead { cookie }),
    }
}

/// Whether one of `authenticator`'s sources reads the cookie `name` as a plain token.
fn reads_raw_cookie(authenticator: &Authenticator, name: &str) -> bool {
    authenticator
        .token_sources()
        .sources()
        .iter()
        .any(|source| matches!(source, TokenSource::Cookie(n) if n == name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoginRadius;
    use crate::auth::TokenExtractor;
    use crate::transport::RecordingTransport;
    use crate::web::{DEFAULT_COOKIE_NAME, Flows};

    fn client() -> LoginRadius {
        LoginRadius::builder()
            .api_key("key")
            .api_secret("secret")
            .transport(RecordingTransport::new())
            .build()
            .unwrap()
    }

    fn authenticator(sources: Option<TokenExtractor>) -> Authenticator {
        let builder = Authenticator::builder(client());
        match sources {
            Some(sources) => builder.token_sources(sources),
            None => builder,
        }
        .build()
        .unwrap()
    }

    #[test]
    fn an_authenticator_without_the_session_source_is_refused_with_what_to_do() {
        let session = SessionCookie::generate();
        let err = Flows::new(authenticator(None), session).unwrap_err();
        assert!(matches!(&err, WiringError::SessionNotRead { cookie } if cookie == "lr_session"));
        let message = err.to_string();
        assert!(
            message.contains("does not read the session cookie `lr_session`"),
            "{message}"
        );
        assert!(message.contains("Flows::from_client"), "{message}");
        assert!(message.contains("session.token_sources()"), "{message}");
    }

    #[test]
    fn reading_the_encrypted_cookie_as_a_plain_token_is_refused_with_what_to_do() {
        let session = SessionCookie::generate();
        let raw = TokenExtractor::bearer().with_cookie(DEFAULT_COOKIE_NAME);
        let err = Flows::new(authenticator(Some(raw)), session).unwrap_err();
        assert!(matches!(&err, WiringError::SessionReadRaw { cookie } if cookie == "lr_session"));
        let message = err.to_string();
        assert!(message.contains("as a plain token"), "{message}");
        assert!(message.contains("session.token_source()"), "{message}");
    }

    #[test]
    fn another_sessions_source_is_refused_and_the_right_ones_are_accepted() {
        let session = SessionCookie::generate();
        let other = SessionCookie::generate();
        let err = Flows::new(authenticator(Some(other.token_sources())), session.clone());
        assert!(matches!(err, Err(WiringError::SessionNotRead { .. })));
        let renamed = session.clone().name("app_session");
        let err = Flows::new(authenticator(Some(session.token_sources())), renamed).unwrap_err();
        assert!(err.to_string().contains("`app_session`"), "{err}");

        let flows = Flows::new(
            authenticator(Some(session.token_sources())),
            session.clone(),
        );
        assert!(flows.is_ok());
        let one_step = Flows::from_client(client(), session).unwrap();
        assert!(check_session_wiring(one_step.authenticator(), one_step.session()).is_ok());
    }
}
