//! Security questions: answers set with a profile update (`SecurityQuestionAnswer`) or as a
//! second factor, the questions a user answered (by email, username, phone or token), reset
//! password by answers, and security questions as a second factor (set up, log in, reset).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::auth::check_new_password;
use super::mfa::{challenge_uid, require_mfa_site};
use super::{deleted, login_envelope, posted, user_mut, user_ref};
use crate::errors::ApiError;
use crate::extras::SECURITY_QUESTIONS;
use crate::passwords;
use crate::request::{Ctx, bool_ci, get_ci, str_ci};
use crate::state::Store;

super::routes! {
    GET "/identity/v2/auth/securityquestion/email", Key, questions_by_email;
    GET "/identity/v2/auth/securityquestion/username", Key, questions_by_username;
    GET "/identity/v2/auth/securityquestion/phone", Key, questions_by_phone;
    GET "/identity/v2/auth/securityquestion/accesstoken", Bearer, questions_by_token;
    PUT "/identity/v2/auth/password/securityanswer", Key, reset_password;
    PUT "/identity/v2/auth/account/2fa/securityquestionanswer", Bearer, enable_factor;
    DELETE "/identity/v2/auth/account/2fa/authenticator/securityquestionanswer", Bearer, reset_by_token;
    DELETE "/identity/v2/manage/account/2fa/authenticator/securityquestionanswer", Manage, reset_by_uid;
    PUT "/identity/v2/auth/login/2fa/securityquestionanswer", Key, set_at_login;
    POST "/identity/v2/auth/login/2fa/verification/securityquestionanswer", Key, verify_at_login;
}

/// The question text of `id`, if the site offers it.
fn question(id: &str) -> Option<&'static str> {
    SECURITY_QUESTIONS
        .iter()
        .find(|(q, _)| q.eq_ignore_ascii_case(id.trim()))
        .map(|(_, text)| *text)
}

/// Reads answers given either as `{"<id>": "<answer>"}` or as
/// `[{"QuestionId", "Answer"}]`. 1091 on a question the site does not offer, 1134 on an empty
/// set or a blank answer.
fn parse_answers(value: &Value) -> Result<BTreeMap<String, String>, ApiError> {
    let pairs: Vec<(String, Option<String>)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                let obj = item.as_object().cloned().unwrap_or_default();
                (
                    str_ci(&obj, "QuestionId").unwrap_or_default(),
                    str_ci(&obj, "Answer"),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    if pairs.is_empty() {
        return Err(ApiError::validation(
            "securityquestionanswer",
            "At least one security answer is required.",
        ));
    }
    let mut out = BTreeMap::new();
    for (id, answer) in pairs {
        let known = SECURITY_QUESTIONS
            .iter()
            .find(|(q, _)| q.eq_ignore_ascii_case(id.trim()))
            .map(|(q, _)| (*q).to_owned())
            .ok_or_else(|| ApiError::new(codes::SECURITY_QUESTION_INVALID))?;
        let answer = answer
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                ApiError::validation("securityquestionanswer", "An answer must not be blank.")
            })?;
        out.insert(known, answer);
    }
    Ok(out)
}

/// A profile update's `SecurityQuestionAnswer` (by token or by uid) replaces the answers.
pub(crate) fn apply_profile_answers(
    store: &mut Store,
    uid: &str,
    body: &Map<String, Value>,
) -> Result<(), ApiError> {
    if let Some(value) = get_ci(body, "SecurityQuestionAnswer").filter(|v| !v.is_null()) {
        let answers = parse_answers(value)?;
        user_ref(store, uid)?;
        store
            .extras
            .security
            .entry(uid.to_owned())
            .or_default()
            .answers = answers;
    }
    Ok(())
}

/// `[{"QuestionId", "Question"}]` of the questions `uid` answered; 1092 when none.
fn answered(store: &Store, uid: &str) -> Result<Value, ApiError> {
    let list: Vec<Value> = store
        .extras
        .security
        .get(uid)
        .map(|s| {
            s.answers
                .keys()
                .filter_map(|id| question(id).map(|q| json!({ "QuestionId": id, "Question": q })))
                .collect()
        })
        .unwrap_or_default();
    if list.is_empty() {
        return Err(ApiError::new(codes::SECURITY_ANSWERS_NOT_SAVED));
    }
    Ok(Value::Array(list))
}

fn questions_by_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let email = ctx.required_query("email", codes::VALID_EMAIL_REQUIRED)?;
    let store = ctx.state.store();
    let uid = store
        .uid_by_email(&email)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    answered(&store, &uid)
}

fn questions_by_username(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let name = ctx.required_query("username", codes::USERNAME_REQUIRED)?;
    let store = ctx.state.store();
    let uid = store
        .uid_by_username(&name)
        .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?;
    answered(&store, &uid)
}

fn questions_by_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let phone = ctx.required_query("phone", codes::PHONE_REQUIRED)?;
    let store = ctx.state.store();
    let uid = store
        .uid_by_phone(&phone)
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    answered(&store, &uid)
}

fn questions_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    answered(&ctx.state.store(), &uid)
}

/// Checks `given` against the saved answers of `uid`: every saved question must be answered,
/// and correctly. 1092 when none are saved, 1094 otherwise.
pub(crate) fn check_answers(
    store: &Store,
    uid: &str,
    given: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let saved = store
        .extras
        .security
        .get(uid)
        .map(|s| s.answers.clone())
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ApiError::new(codes::SECURITY_ANSWERS_NOT_SAVED))?;
    let all_right = saved.iter().all(|(id, answer)| {
        given
            .get(id)
            .is_some_and(|g| g.trim().eq_ignore_ascii_case(answer.trim()))
    });
    if !all_right {
        return Err(ApiError::new(codes::SECURITY_ANSWER_INCORRECT));
    }
    Ok(())
}

/// The answers of a body (`securityanswer` or `securityquestionanswer`).
pub(crate) fn answers_in(body: &Map<String, Value>) -> Result<BTreeMap<String, String>, ApiError> {
    let value = get_ci(body, "securityanswer")
        .or_else(|| get_ci(body, "securityquestionanswer"))
        .ok_or_else(|| {
            ApiError::validation("securityanswer", "The securityanswer field is required.")
        })?;
    parse_answers(value)
}

/// `PUT /auth/password/securityanswer` with `email`, `username` or `phone`, `password` and
/// `securityanswer`.
fn reset_password(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let given = answers_in(&body)?;
    let password = check_new_password("password", str_ci(&body, "password").as_deref())?;
    let hash = passwords::hash(&password);
    let mut store = ctx.state.store();
    let uid = if let Some(email) = str_ci(&body, "email") {
        store
            .uid_by_email(&email)
            .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?
    } else if let Some(name) = str_ci(&body, "username") {
        store
            .uid_by_username(&name)
            .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?
    } else if let Some(phone) = str_ci(&body, "phone") {
        store
            .uid_by_phone(&phone)
            .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?
    } else {
        return Err(ApiError::new(codes::EMAIL_OR_USERNAME_REQUIRED));
    };
    check_answers(&store, &uid, &given)?;
    let user = user_mut(&mut store, &uid)?;
    user.password_hash = Some(hash);
    user.last_password_change = Some(ctx.now);
    user.modified = ctx.now;
    ctx.hook("ResetPassword", &uid);
    Ok(posted())
}

/// Whether security answers are a second factor of `uid`.
pub(crate) fn factor_enabled(store: &Store, uid: &str) -> bool {
    store
        .extras
        .security
        .get(uid)
        .is_some_and(|s| s.mfa_enabled)
}

/// The security-question part of the 2FA settings.
pub(crate) fn settings(store: &Store, uid: &str, out: &mut Map<String, Value>) {
    out.insert(
        "IsSecurityQuestionAuthenticatorVerified".into(),
        json!(factor_enabled(store, uid)),
    );
    let questions = answered(store, uid)
        .ok()
        .filter(|_| factor_enabled(store, uid));
    out.insert("SecurityQuestions".into(), questions.unwrap_or(Value::Null));
}

/// Saves answers as the second factor of `uid`: with answers already saved, only when
/// `replace` (1258 otherwise, as the factor is on).
fn save_factor(
    store: &mut Store,
    uid: &str,
    answers: BTreeMap<String, String>,
    replace: bool,
) -> Result<(), ApiError> {
    user_ref(store, uid)?;
    let entry = store.extras.security.entry(uid.to_owned()).or_default();
    if entry.mfa_enabled && !replace {
        return Err(ApiError::new(codes::MFA_METHOD_ALREADY_ENABLED));
    }
    entry.answers = answers;
    entry.mfa_enabled = true;
    Ok(())
}

fn enable_factor(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let answers = answers_in(&body)?;
    let replace = bool_ci(&body, "ReplaceSecurityQuestionAnswer").unwrap_or(false);
    save_factor(&mut ctx.state.store(), &uid, answers, replace)?;
    Ok(posted())
}

/// Factor off: 1257 when it is not on.
fn reset(ctx: &Ctx, uid: &str) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let mut store = ctx.state.store();
    user_ref(&store, uid)?;
    match store.extras.security.get_mut(uid) {
        Some(s) if s.mfa_enabled => {
            s.mfa_enabled = false;
            Ok(deleted())
        }
        _ => Err(ApiError::new(codes::SECURITY_QUESTION_MFA_NOT_ENABLED)),
    }
}

fn reset_by_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    reset(ctx, &uid)
}

fn reset_by_uid(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.required_query("uid", codes::UID_INVALID)?;
    reset(ctx, &uid)
}

/// During a login challenge, saves the answers as the second factor and signs in (a user with
/// no factor yet sets one up this way).
fn set_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let answers = answers_in(&ctx.body()?)?;
    let mut store = ctx.state.store();
    let (token, uid) = challenge_uid(ctx, &mut store)?;
    save_factor(&mut store, &uid, answers, false)?;
    store.challenges.remove(&token);
    login_envelope(ctx, &mut store, &uid)
}

/// Finishes a login challenge with the answers: 1257 when the factor is not on, 1094 wrong.
fn verify_at_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    require_mfa_site(ctx)?;
    let given = answers_in(&ctx.body()?)?;
    let mut store = ctx.state.store();
    let (token, uid) = challenge_uid(ctx, &mut store)?;
    if !factor_enabled(&store, &uid) {
        return Err(ApiError::new(codes::SECURITY_QUESTION_MFA_NOT_ENABLED));
    }
    check_answers(&store, &uid, &given)?;
    store.challenges.remove(&token);
    login_envelope(ctx, &mut store, &uid)
}
