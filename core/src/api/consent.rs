//! Consent management (`ConsentManagementApi`): submitting, changing, checking and reading
//! the consents a user gave.
//!
//! The service's answers to these calls (consent profile, consent logs, verification) are not
//! documented in `wire.md`, so they are returned as JSON (`serde_json::Value`). Request bodies
//! can be built with [`ConsentSubmission`](crate::models::ConsentSubmission) and
//! [`ConsentUpdate`](crate::models::ConsentUpdate), or given as any serializable value.

use serde::Serialize;

use crate::Secret;
use crate::models::{ConsentLogs, ConsentProfile, LoginResponse, Profile, Validation};
use crate::request::{Call, Endpoint, endpoint, request_builder};

endpoint!(
    LOGS_OF_USER,
    "consent.logs_of_user",
    GET,
    "/identity/v2/manage/account/{uid}/consent/logs",
    Manage
);
endpoint!(
    SUBMIT_WITH_CONSENT_TOKEN,
    "consent.submit_with_consent_token",
    POST,
    "/identity/v2/auth/consent",
    ApiKey
);
endpoint!(
    LOGS,
    "consent.logs",
    GET,
    "/identity/v2/auth/consent/logs",
    Bearer
);
endpoint!(
    SUBMIT,
    "consent.submit",
    POST,
    "/identity/v2/auth/consent/profile",
    Bearer
);
endpoint!(
    VERIFY,
    "consent.verify",
    GET,
    "/identity/v2/auth/consent/verify",
    Bearer
);
endpoint!(
    UPDATE,
    "consent.update",
    PUT,
    "/identity/v2/auth/consent",
    Bearer
);

group_handle! {
    /// Consent management, from [`LoginRadius::consent`](crate::LoginRadius::consent).
    ///
    /// ```no_run
    /// # async fn run(client: loginradius::LoginRadius, access_token: &str) -> Result<(), loginradius::Error> {
    /// use loginradius::models::{ConsentChoice, ConsentEvent, ConsentSubmission};
    /// let form = ConsentSubmission::new([ConsentChoice::accept("marketing")], [ConsentEvent::new("Register")]);
    /// client.consent().submit(access_token, &form).await?;
    /// let given = client.consent().verify(access_token, "Register", false).await?;
    /// let logs = client.consent().logs(access_token).await?;
    /// # Ok(()) }
    /// ```
    Consent
}

request_builder! {
    /// A user's consent history. From [`Consent::logs`] and [`Consent::logs_of_user`].
    pub struct ConsentLogsRequest -> ConsentLogs;
}

request_builder! {
    /// A consent form submitted by the signed-in user; answers with the profile. From
    /// [`Consent::submit`].
    pub struct SubmitConsent -> Profile;
}

request_builder! {
    /// A consent form submitted with a consent token; answers as a login does (profile and
    /// tokens). From [`Consent::submit_with_consent_token`].
    pub struct SubmitConsentWithToken -> LoginResponse;
}

request_builder! {
    /// Whether the user has given a consent (`{"isValid": …}`). From [`Consent::verify`].
    pub struct VerifyConsent -> Validation;
}

request_builder! {
    /// Changed consents; answers with the consent profile. From [`Consent::update`].
    pub struct UpdateConsent -> ConsentProfile;
}

impl Consent<'_> {
    fn call(&self, endpoint: &'static Endpoint) -> Call {
        Call::new(self.client, endpoint)
    }

    /// Admin: the consent history of `uid`
    /// (`GET /identity/v2/manage/account/{uid}/consent/logs`). Needs the API secret.
    pub fn logs_of_user(&self, uid: &str) -> ConsentLogsRequest {
        ConsentLogsRequest::from_call(self.call(&LOGS_OF_USER).segment("uid", uid))
    }

    /// Submits a consent form with a consent token instead of a session
    /// (`POST /identity/v2/auth/consent?consentToken=`). The consent token comes from a login
    /// that answered with a consent requirement; the service takes it in the query.
    pub fn submit_with_consent_token(
        &self,
        consent_token: impl Into<Secret>,
        form: &impl Serialize,
    ) -> SubmitConsentWithToken {
        let consent_token = consent_token.into();
        let call = self
            .call(&SUBMIT_WITH_CONSENT_TOKEN)
            .query("consentToken", "consent_token", consent_token.expose())
            .json(form);
        SubmitConsentWithToken::from_call(call)
    }

    /// The signed-in user's consent history (`GET /identity/v2/auth/consent/logs`).
    pub fn logs(&self, access_token: impl Into<Secret>) -> ConsentLogsRequest {
        ConsentLogsRequest::from_call(self.call(&LOGS).token(access_token))
    }

    /// The signed-in user submits a consent form (`POST /identity/v2/auth/consent/profile`).
    pub fn submit(&self, access_token: impl Into<Secret>, form: &impl Serialize) -> SubmitConsent {
        SubmitConsent::from_call(self.call(&SUBMIT).token(access_token).json(form))
    }

    /// Whether the signed-in user has given the consent `event` asks for
    /// (`GET /identity/v2/auth/consent/verify?event=&isCustom=`). `is_custom` is true for a
    /// custom event; it is always sent (the reference SDK could send the text `None`).
    pub fn verify(
        &self,
        access_token: impl Into<Secret>,
        event: &str,
        is_custom: bool,
    ) -> VerifyConsent {
        let call = self
            .call(&VERIFY)
            .token(access_token)
            .query("event", "event", event)
            .param("isCustom", is_custom);
        VerifyConsent::from_call(call)
    }

    /// The signed-in user changes consents given before (`PUT /identity/v2/auth/consent`).
    pub fn update(
        &self,
        access_token: impl Into<Secret>,
        consents: &impl Serialize,
    ) -> UpdateConsent {
        UpdateConsent::from_call(self.call(&UPDATE).token(access_token).json(consents))
    }
}
