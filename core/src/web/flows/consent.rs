//! Consent as a sign-in step. When the site's `Login` consent form has a version the user has
//! not accepted, LoginRadius answers the password sign-in with error 1226 and a consent token
//! instead of a session. The login flow then keeps the token in the session cookie (never in a
//! body) and answers `{"consent_required": true, "event", "options": [..]}` with the options
//! of [`FlowConfig::consent_form`](super::FlowConfig::consent_form); the consent step
//! ([`Flows::login_consent`]) submits the user's choices with the token, and LoginRadius's
//! answer, the login, starts the session.

use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::input::FlowResult;
use super::{FlowResponse, Flows, SessionChange, error_response};
use crate::auth::AccessToken;
use crate::fleet::ProofMethod;
use crate::models::{ConsentChoice, ConsentEvent, ConsentSubmission};
use crate::web::session::Session;
use crate::{Error, codes};

/// How long a sign-in waits for the user's consent in the session cookie. LoginRadius does
/// not publish the lifetime of its consent tokens; past it, or past the token's own expiry,
/// the user signs in again.
pub const CONSENT_STEP_TTL: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// One option of the consent form, as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentOption {
    /// The option's id in the LoginRadius consent form (`email_consent`, …).
    pub id: String,
    /// What the user reads beside the checkbox.
    pub title: String,
    /// A longer explanation, if any.
    pub description: Option<String>,
}

impl ConsentOption {
    /// The option `id`, shown as `title`.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            description: None,
        }
    }

    /// Adds a longer explanation.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// The site's consent form for sign-in, as configured in LoginRadius (the Admin Console's
/// consent form): its event and its options. The route helpers show these options when a
/// sign-in waits for consent; LoginRadius's API does not list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentForm {
    /// The event the form answers (`Login`).
    pub event: String,
    /// The options, in the order shown.
    pub options: Vec<ConsentOption>,
}

impl ConsentForm {
    /// The form of the `Login` event with `options`.
    pub fn login(options: impl IntoIterator<Item = ConsentOption>) -> Self {
        Self {
            event: "Login".to_owned(),
            options: options.into_iter().collect(),
        }
    }

    /// The options as the consent step's answer lists them.
    fn options_json(&self) -> Value {
        self.options
            .iter()
            .map(|o| json!({ "id": o.id, "title": o.title, "description": o.description }))
            .collect()
    }
}

/// `POST /login/consent`: `{"accepted": ["email_consent", …], "next"?}`, the ids of the
/// options the user accepts; every other option of the form is declined. An HTML form sends
/// the ids comma-separated in one `accepted` field (`accepted=email_consent,sms_consent`),
/// or none.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsentInput {
    /// The accepted options' ids.
    #[serde(default, deserialize_with = "one_or_many")]
    pub accepted: Vec<String>,
    /// Where a browser goes after signing in with a form (see
    /// [`FlowResponse::for_form`]).
    #[serde(default)]
    pub next: Option<String>,
}

impl super::SignInForm for ConsentInput {
    fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

/// A list of ids from a JSON array, or from one string of comma-separated ids (an HTML form).
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<String>),
        One(String),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::Many(ids) => ids,
        OneOrMany::One(ids) => ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

fn no_consent_step() -> FlowResponse {
    FlowResponse::error(
        StatusCode::UNAUTHORIZED,
        "consent_expired",
        "no sign-in is waiting for consent, sign in again",
    )
}

fn no_consent_form() -> FlowResponse {
    tracing::error!(
        target: "loginradius::web",
        "LoginRadius asks for the user's consent at sign-in and the route helpers have no \
         consent form to show (set FlowConfig::consent_form)"
    );
    FlowResponse::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "misconfigured",
        "the server's consent form is not configured",
    )
}

impl Flows {
    /// The answer to a sign-in that LoginRadius holds for the user's consent (`error`, 1226):
    /// its consent token kept in the session cookie, the form's options in the body. Without a
    /// configured form 500 `misconfigured`; without a token (an answer we cannot use) 503.
    pub(super) fn consent_required(&self, error: &Error) -> FlowResult<FlowResponse> {
        let form = self
            .config
            .consent_form
            .as_ref()
            .ok_or_else(no_consent_form)?;
        let Some(token) = error.consent_token() else {
            return Err(FlowResponse::error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the identity service gave an incomplete answer",
            ));
        };
        let session = Session::PendingConsent {
            consent_token: AccessToken::from(token.clone()),
            expires_at: OffsetDateTime::now_utc() + CONSENT_STEP_TTL,
        };
        let body = json!({
            "consent_required": true,
            "event": form.event,
            "options": form.options_json(),
        });
        Ok(FlowResponse::ok(body).with_session(SessionChange::PendingConsent(session)))
    }

    /// `POST /login/consent` `{"accepted": [..]}`: the consent step of a sign-in that waits for
    /// the user's consent (the `consent_required` answer of [`login`](Self::login)), with the
    /// consent token from the session cookie. Submits the form's event with every option,
    /// accepted when listed and declined otherwise, and starts the session LoginRadius answers
    /// with (`{"signed_in", "uid", "email"}`). An id that is not one of the form's options is
    /// 400 before any call; no waiting sign-in, or a consent token LoginRadius refuses as
    /// invalid, used or expired (1229, 1230), is 401 `consent_expired` and ends the step.
    pub async fn login_consent(&self, headers: &HeaderMap, input: ConsentInput) -> FlowResponse {
        let response = self
            .try_login_consent(headers, input)
            .await
            .unwrap_or_else(|e| e);
        self.settle_session(headers, response, ProofMethod::Password)
            .await
    }

    async fn try_login_consent(
        &self,
        headers: &HeaderMap,
        input: ConsentInput,
    ) -> FlowResult<FlowResponse> {
        let Some(Session::PendingConsent { consent_token, .. }) = self.session.read(headers) else {
            return Err(no_consent_step());
        };
        let form = self
            .config
            .consent_form
            .as_ref()
            .ok_or_else(no_consent_form)?;
        if let Some(unknown) = input
            .accepted
            .iter()
            .find(|id| !form.options.iter().any(|o| &o.id == *id))
        {
            tracing::debug!(target: "loginradius::web", option = %unknown, "unknown consent option");
            return Err(FlowResponse::error(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                "`accepted` names an option that is not in the consent form",
            ));
        }
        let choices = form.options.iter().map(|o| {
            if input.accepted.contains(&o.id) {
                ConsentChoice::accept(&o.id)
            } else {
                ConsentChoice::decline(&o.id)
            }
        });
        let submission = ConsentSubmission::new(choices, [ConsentEvent::new(&form.event)]);
        match self
            .client()
            .consent()
            .submit_with_consent_token(consent_token.as_secret().clone(), &submission)
            .deadline(self.sign_in_deadline())
            .send()
            .await
        {
            Ok(login) => self.start(&login),
            Err(e)
                if e.code().is_some_and(|c| {
                    c == codes::CONSENT_TOKEN_INVALID || c == codes::CONSENT_TOKEN_EXPIRED
                }) =>
            {
                Err(error_response(&e).with_session(SessionChange::End))
            }
            Err(e) => Err(error_response(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use serde_json::json;

    use super::super::test_support::*;
    use super::*;
    use crate::web::FlowConfig;

    fn form() -> ConsentForm {
        ConsentForm::login([
            ConsentOption::new("email_consent", "Emails about my account"),
            ConsentOption::new("marketing_consent", "Offers").description("Now and then"),
        ])
    }

    fn consent_error() -> serde_json::Value {
        let mut e = lr_error(1226);
        e["ConsentToken"] = json!("ct-secret-1");
        e
    }

    #[tokio::test]
    async fn a_sign_in_waiting_for_consent_keeps_its_token_in_the_cookie_and_shows_the_options() {
        let (flows, t) = flows();
        let flows = flows.config(FlowConfig::default().consent_form(form()));
        t.reply_json(403, consent_error());
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.body,
            json!({
                "consent_required": true,
                "event": "Login",
                "options": [
                    {"id": "email_consent", "title": "Emails about my account", "description": null},
                    {"id": "marketing_consent", "title": "Offers", "description": "Now and then"},
                ],
            })
        );
        assert!(!r.body.to_string().contains("ct-secret-1"));
        assert!(matches!(r.session, SessionChange::PendingConsent(_)));

        // The step submits every option, accepted or declined, with the token from the cookie.
        let h = cookie_headers(&flows, &r);
        let unknown = flows
            .login_consent(
                &h,
                ConsentInput {
                    accepted: vec!["nope".into()],
                    next: None,
                },
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert_eq!(t.len(), 1);
        t.reply_json(200, login_reply());
        let done = flows
            .login_consent(
                &h,
                ConsentInput {
                    accepted: vec!["email_consent".into()],
                    next: None,
                },
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(matches!(done.session, SessionChange::Start(_)));
        let sent = t.last().unwrap();
        assert_eq!(sent.path(), "/identity/v2/auth/consent");
        assert_eq!(
            sent.query_value("consentToken").as_deref(),
            Some("ct-secret-1")
        );
        assert_eq!(
            sent.json().unwrap(),
            json!({
                "data": [
                    {"consentOptionId": "email_consent", "isAccepted": true},
                    {"consentOptionId": "marketing_consent", "isAccepted": false},
                ],
                "events": [{"event": "Login", "isCustom": false}],
            })
        );

        // A refused token ends the step.
        t.reply_json(403, lr_error(1230));
        let expired = flows.login_consent(&h, ConsentInput::default()).await;
        assert_eq!(
            (expired.status, expired.session),
            (StatusCode::UNAUTHORIZED, SessionChange::End)
        );
        assert_eq!(expired.body["error"], "consent_expired");
    }

    #[tokio::test]
    async fn without_a_form_or_a_token_the_consent_step_fails_closed() {
        let (flows, t) = flows();
        t.reply_json(403, consent_error());
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(r.session, SessionChange::Keep);
        let flows = flows.config(FlowConfig::default().consent_form(form()));
        t.reply_json(403, lr_error(1226));
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(
            (r.status, r.session),
            (StatusCode::SERVICE_UNAVAILABLE, SessionChange::Keep)
        );
        // No waiting sign-in: 401, nothing sent.
        let before = t.len();
        let r = flows
            .login_consent(&HeaderMap::new(), ConsentInput::default())
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(t.len(), before);
    }

    #[test]
    fn accepted_ids_come_as_a_list_or_one_comma_separated_field() {
        let json: ConsentInput =
            serde_json::from_str(r#"{"accepted": ["a", "b"], "next": "/x"}"#).unwrap();
        assert_eq!(json.accepted, ["a", "b"]);
        let form: ConsentInput = serde_urlencoded::from_str("accepted=a%2C+b&next=%2Fx").unwrap();
        assert_eq!(form.accepted, ["a", "b"]);
        let none: ConsentInput = serde_urlencoded::from_str("").unwrap();
        assert!(none.accepted.is_empty());
    }
}
