//! Consent management and the privacy policy. The emulated site has one consent form per event
//! (`Login`, `Register`, version 1) with the options `email_consent`, `sms_consent` and
//! `marketing_consent`, and one privacy policy (`version1`). Submitting or updating consents
//! records them in the profile's `ConsentProfile` and appends a consent log.
//!
//! With [`EmulatorConfig::login_consent`](crate::EmulatorConfig::login_consent) consent is a
//! login step, as on a LoginRadius site whose `Login` form has a version the user has not
//! accepted: the password sign-in answers error 1226 ("Consent form not submitted") carrying a
//! `ConsentToken` instead of a session ([`login_step`]), and `POST /auth/consent?consentToken=`
//! with the choices records them and answers the login envelope ([`submit_with_token`]).

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::{login_envelope, profile_of, user_mut, user_ref};
use crate::errors::ApiError;
use crate::extras::{ConsentToken, Fresh, fresh};
use crate::request::{Ctx, bool_ci, get_ci, str_ci};
use crate::state::Store;
use crate::times::iso;

super::routes! {
    POST "/identity/v2/auth/consent/profile", Bearer, submit;
    POST "/identity/v2/auth/consent", Key, submit_with_token;
    PUT "/identity/v2/auth/consent", Bearer, update;
    GET "/identity/v2/auth/consent/verify", Bearer, verify;
    GET "/identity/v2/auth/consent/logs", Bearer, logs_by_token;
    GET "/identity/v2/manage/account/{uid}/consent/logs", Manage, logs_by_uid;
    GET "/identity/v2/auth/privacypolicy/accept", Bearer, accept_policy;
    GET "/identity/v2/auth/privacypolicy/history", Bearer, policy_history_by_token;
    GET "/identity/v2/manage/account/{uid}/privacypolicy/history", Manage, policy_history_by_uid;
}

/// The consent options of the site's forms.
pub(crate) const CONSENT_OPTIONS: &[&str] = &["email_consent", "sms_consent", "marketing_consent"];
/// The events with a consent form.
pub(crate) const CONSENT_EVENTS: &[&str] = &["Login", "Register"];
/// The version of every consent form.
const FORM_VERSION: u64 = 1;
/// How long a consent token of a sign-in lives. LoginRadius does not publish it; ten minutes,
/// like the emulator's one-time codes.
const CONSENT_TOKEN_TTL: time::Duration = time::Duration::minutes(10);
/// The event whose form a sign-in asks for.
const LOGIN_EVENT: &str = "Login";
/// The current privacy-policy version.
pub(crate) const POLICY_VERSION: &str = "version1";

/// `[{"consentOptionId", "isAccepted"}]` of a body key: 1225 on an unknown option or a missing
/// choice.
fn choices(body: &Map<String, Value>, key: &str) -> Result<Vec<(String, bool)>, ApiError> {
    let items = match get_ci(body, key) {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => return Err(ApiError::new(codes::CONSENT_FORM_VALIDATION_FAILED)),
    };
    items
        .iter()
        .map(|item| {
            let obj = item.as_object().cloned().unwrap_or_default();
            let id = str_ci(&obj, "consentOptionId")
                .and_then(|id| CONSENT_OPTIONS.iter().find(|o| o.eq_ignore_ascii_case(&id)))
                .ok_or_else(|| ApiError::new(codes::CONSENT_FORM_VALIDATION_FAILED))?;
            let accepted = bool_ci(&obj, "isAccepted")
                .ok_or_else(|| ApiError::new(codes::CONSENT_FORM_VALIDATION_FAILED))?;
            Ok(((*id).to_owned(), accepted))
        })
        .collect()
}

/// `[{"event", "isCustom"}]` of a submission: 1224 on an event without a form.
fn events(body: &Map<String, Value>) -> Result<Vec<String>, ApiError> {
    let items = match get_ci(body, "events") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => return Err(ApiError::new(codes::CONSENT_FORM_VALIDATION_FAILED)),
    };
    items
        .iter()
        .map(|item| {
            let obj = item.as_object().cloned().unwrap_or_default();
            str_ci(&obj, "event")
                .and_then(|e| CONSENT_EVENTS.iter().find(|k| k.eq_ignore_ascii_case(&e)))
                .map(|e| (*e).to_owned())
                .ok_or_else(|| ApiError::new(codes::CONSENT_FORM_NOT_AVAILABLE))
        })
        .collect()
}

/// The user's `ConsentProfile` (`{"AcceptedConsentVersions", "Consents"}`).
fn consent_profile(store: &Store, uid: &str) -> Result<Value, ApiError> {
    Ok(user_ref(store, uid)?
        .fields
        .get("ConsentProfile")
        .cloned()
        .unwrap_or_else(|| json!({ "AcceptedConsentVersions": [], "Consents": [] })))
}

/// Records `choices` (and the forms of `events` as accepted) for `uid`, with a log entry.
fn record(
    ctx: &Ctx,
    store: &mut Store,
    uid: &str,
    choices: &[(String, bool)],
    events: &[String],
    update_type: &str,
) -> Result<Value, ApiError> {
    let mut profile = consent_profile(store, uid)?;
    let mut versions: Vec<Value> = profile["AcceptedConsentVersions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for event in events {
        if !versions.iter().any(|v| v["Event"] == event.as_str()) {
            versions.push(json!({ "Event": event, "Version": FORM_VERSION, "IsCustom": false }));
        }
    }
    let mut consents: Vec<Value> = profile["Consents"].as_array().cloned().unwrap_or_default();
    for (id, accepted) in choices {
        consents.retain(|c| c["ConsentOptionId"] != id.as_str());
        consents.push(json!({
            "ConsentOptionId": id,
            "IsAccepted": accepted,
            "AcceptOnDate": iso(ctx.now),
        }));
    }
    profile = json!({ "AcceptedConsentVersions": versions, "Consents": consents });
    let user = user_mut(store, uid)?;
    user.fields.insert("ConsentProfile".into(), profile.clone());
    user.modified = ctx.now;
    let log = json!({
        "Id": fresh(&mut store.ids, Fresh::RecordId),
        "UpdateType": update_type,
        "CurrentConsentFormsVersions": versions,
        "LoggedOnDate": iso(ctx.now),
        "UserAgent": ctx.header("user-agent"),
        "IP": "127.0.0.1",
        "Host": ctx.header("host"),
        "ConsentLogs": choices
            .iter()
            .map(|(id, accepted)| json!({
                "ConsentId": id,
                "Event": if *accepted { "Subscribe" } else { "Unsubscribe" },
            }))
            .collect::<Vec<_>>(),
    });
    store
        .extras
        .consent_logs
        .entry(uid.to_owned())
        .or_default()
        .push(log);
    Ok(profile)
}

/// `POST /auth/consent/profile` with `{"data", "events"}`: the updated profile.
fn submit(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let choices = choices(&body, "data")?;
    let events = events(&body)?;
    let mut store = ctx.state.store();
    record(ctx, &mut store, &uid, &choices, &events, "Default")?;
    profile_of(ctx, &store, &uid)
}

/// `POST /auth/consent?consentToken=` with `{"data", "events"}`: records the consents of the
/// token's user and signs in (the login envelope). 1229 for an unknown or used token, 1230 for
/// an expired one (then it is gone). A form that fails validation (1225), or that leaves out
/// the `Login` form the token waits for (1225), keeps the token for another try.
fn submit_with_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.required_query("consentToken", codes::CONSENT_TOKEN_INVALID)?;
    let body = ctx.body()?;
    let (choices, events) = (choices(&body, "data")?, events(&body)?);
    let mut store = ctx.state.store();
    let grant = store
        .extras
        .consent_tokens
        .get(&token)
        .cloned()
        .ok_or_else(|| ApiError::new(codes::CONSENT_TOKEN_INVALID))?;
    if grant.expires <= ctx.now {
        store.extras.consent_tokens.remove(&token);
        return Err(ApiError::new(codes::CONSENT_TOKEN_EXPIRED));
    }
    if !events.iter().any(|e| e == LOGIN_EVENT) {
        return Err(ApiError::new(codes::CONSENT_FORM_VALIDATION_FAILED)
            .with_description("The consent form of the Login event is not submitted."));
    }
    store.extras.consent_tokens.remove(&token);
    record(ctx, &mut store, &grant.uid, &choices, &events, "Default")?;
    login_envelope(ctx, &mut store, &grant.uid)
}

/// `PUT /auth/consent` with `{"consents"}`: the consent profile.
fn update(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let choices = choices(&ctx.body()?, "consents")?;
    let mut store = ctx.state.store();
    record(ctx, &mut store, &uid, &choices, &[], "ConsentEditor")
}

/// `GET /auth/consent/verify?event=&isCustom=`: `{"IsValid"}`, whether the user accepted the
/// current form of the event. 1224 on an event without a form.
fn verify(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let event = ctx.required_query("event", codes::CONSENT_FORM_NOT_AVAILABLE)?;
    let event = CONSENT_EVENTS
        .iter()
        .find(|e| e.eq_ignore_ascii_case(&event))
        .ok_or_else(|| ApiError::new(codes::CONSENT_FORM_NOT_AVAILABLE))?;
    let store = ctx.state.store();
    let valid = accepted_current_form(&store, &uid, event)?;
    Ok(json!({ "IsValid": valid }))
}

/// Whether `uid` accepted the current version of the form of `event`.
fn accepted_current_form(store: &Store, uid: &str, event: &str) -> Result<bool, ApiError> {
    let profile = consent_profile(store, uid)?;
    Ok(profile["AcceptedConsentVersions"]
        .as_array()
        .is_some_and(|v| {
            v.iter()
                .any(|f| f["Event"] == event && f["Version"] == FORM_VERSION)
        }))
}

/// The consent step of a password sign-in of `uid`: nothing when the site does not make consent
/// a login step or the user accepted the current `Login` form; otherwise a fresh consent token
/// (single use, [`CONSENT_TOKEN_TTL`], bound to `uid`) in error 1226.
///
/// LoginRadius documents that the sign-in answers "the ErrorCode 1226 along with the
/// ConsentToken" but publishes no sample of that answer; the token is put beside the envelope's
/// fields as `ConsentToken`, the name its documentation uses.
pub(crate) fn login_step(ctx: &Ctx, store: &mut Store, uid: &str) -> Result<(), ApiError> {
    if !ctx.state.config.login_consent || accepted_current_form(store, uid, LOGIN_EVENT)? {
        return Ok(());
    }
    let token = fresh(&mut store.ids, Fresh::Token);
    store.extras.consent_tokens.insert(
        token.clone(),
        ConsentToken {
            uid: uid.to_owned(),
            expires: ctx.now + CONSENT_TOKEN_TTL,
        },
    );
    Err(ApiError::new(codes::CONSENT_FORM_NOT_SUBMITTED).with_field("ConsentToken", json!(token)))
}

fn logs(store: &Store, uid: &str) -> Result<Value, ApiError> {
    user_ref(store, uid)?;
    let logs = store
        .extras
        .consent_logs
        .get(uid)
        .cloned()
        .unwrap_or_default();
    Ok(json!({ "Uid": uid, "ConsentLogs": logs }))
}

fn logs_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    logs(&ctx.state.store(), &uid)
}

fn logs_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    logs(&ctx.state.store(), &uid)
}

/// `GET /auth/privacypolicy/accept`: accepts the current policy (1222 when already accepted)
/// and answers the profile, whose `PrivacyPolicy` shows it.
fn accept_policy(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    if user
        .fields
        .get("PrivacyPolicy")
        .is_some_and(|p| p["Version"] == POLICY_VERSION)
    {
        return Err(ApiError::new(codes::PRIVACY_POLICY_ALREADY_ACCEPTED));
    }
    let acceptance = json!({
        "Version": POLICY_VERSION,
        "AcceptSource": ctx.header("referer").unwrap_or(&ctx.origin),
        "AcceptDateTime": iso(ctx.now),
    });
    user.fields
        .insert("PrivacyPolicy".into(), acceptance.clone());
    user.modified = ctx.now;
    store
        .extras
        .policy_acceptances
        .entry(uid.clone())
        .or_default()
        .push(acceptance);
    profile_of(ctx, &store, &uid)
}

/// `{"Uid", "Current", "History"}`: the newest acceptance and the earlier ones.
fn policy_history(store: &Store, uid: &str) -> Result<Value, ApiError> {
    user_ref(store, uid)?;
    let mut all = store
        .extras
        .policy_acceptances
        .get(uid)
        .cloned()
        .unwrap_or_default();
    let current = all.pop();
    Ok(json!({ "Uid": uid, "Current": current, "History": all }))
}

fn policy_history_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    policy_history(&ctx.state.store(), &uid)
}

fn policy_history_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.param("uid").to_owned();
    policy_history(&ctx.state.store(), &uid)
}
