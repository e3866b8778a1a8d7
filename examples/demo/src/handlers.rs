//! The pages. Every POST answers with a `303` redirect (POST-redirect-GET) and a flash message;
//! the flows themselves (login, MFA, registration, links, password changes, MFA setup) are
//! `loginradius::web::Flows`, called with the form fields as their typed inputs.

use axum::extract::{Extension, Form, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, http::HeaderMap};
use http::StatusCode;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use loginradius::models::Role;
use loginradius::web::limits::Action;
use loginradius::web::{
    ChangePasswordInput, ConsentInput, EmailInput, FlowResponse, LinkTokenInput, LoginInput,
    MfaCodeInput, PhoneInput, PhoneLoginInput, ReauthInput, RegisterInput, ResetPasswordInput,
    SendCodeInput, Session, SessionChange, SetPasswordInput, normalize_email, qr_svg_data_uri,
};
use loginradius_axum::{AuthenticatedUser, Guarded, Peer};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::csrf::CsrfToken;
use crate::render::{
    Flash, MfaSetup, Reply, error_message, message_of, mfa_setup, page, safe_next,
};
use crate::{AdminOnly, AppState};

type Csrf = Extension<CsrfToken>;
type St = State<AppState>;

/// The demo's routes (state still to be given).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/static/style.css", get(stylesheet))
        .route("/static/link.js", get(link_script))
        .route("/login", get(login_page).post(login))
        .route("/login/mfa", get(mfa_page).post(mfa_login))
        .route("/login/consent", get(consent_page).post(consent_submit))
        .route("/register", get(register_page).post(register))
        .route("/verify-email", get(verify_page).post(verify_email))
        .route("/resend-verification", post(resend_verification))
        .route("/forgot-password", get(forgot_page).post(forgot_password))
        .route("/reset-password", get(reset_page).post(reset_password))
        .route(
            "/passwordless",
            get(passwordless_page).post(passwordless_send),
        )
        .route(
            "/passwordless/verify",
            get(passwordless_verify_page).post(passwordless_verify),
        )
        .route("/phone", get(phone_page))
        .route("/phone/send", post(phone_send))
        .route("/phone/login", post(phone_login))
        .route("/login/mfa/send", post(mfa_send_code))
        .route("/logout", post(logout))
        .route("/profile", get(profile))
        .route("/profile/update", post(update_account))
        .route("/profile/change-password", post(change_password))
        .route("/profile/set-password", post(set_password))
        .route("/profile/custom-objects", get(custom_objects))
        .route("/profile/custom-objects/create", post(custom_object_create))
        .route("/profile/custom-objects/update", post(custom_object_update))
        .route("/profile/custom-objects/delete", post(custom_object_delete))
        .route("/profile/sessions", get(sessions_page))
        .route("/profile/sessions/end", post(session_end))
        .route("/profile/sessions/end-others", post(sessions_end_others))
        .route("/profile/mfa", get(mfa_settings))
        .route("/profile/mfa/enable", post(mfa_enable))
        .route("/profile/mfa/reset", post(mfa_reset))
        .route("/profile/mfa/sms/phone", post(sms_phone))
        .route("/profile/mfa/sms/enable", post(sms_enable))
        .route("/profile/mfa/sms/disable", post(sms_disable))
        .route("/profile/mfa/email/send", post(email_send))
        .route("/profile/mfa/email/enable", post(email_enable))
        .route("/profile/mfa/email/disable", post(email_disable))
        .route("/reauth", get(reauth_page).post(reauth))
        .route("/admin/roles", get(roles_page))
        .route("/admin/roles/create", post(role_create))
        .route("/admin/roles/delete", post(role_delete))
        .route("/admin/roles/assign", post(role_assign))
}

/// A flow's outcome as a redirect: `ok_to` with `ok_text` on success, `error_to` with the
/// flow's message otherwise; the session cookie change applied either way.
fn flow_reply(
    state: &AppState,
    headers: &HeaderMap,
    out: &FlowResponse,
    ok_to: &str,
    ok_text: &str,
    error_to: &str,
) -> Response {
    if out.status == StatusCode::TOO_MANY_REQUESTS {
        return too_many_attempts(state, out);
    }
    if out.status == StatusCode::FORBIDDEN && out.body["error"] == "reauth_required" {
        // A sensitive change needs a fresh proof: confirm on the re-authentication page,
        // then come back to the form.
        return Reply::redirect(&reauth_location(error_to))
            .cookie(out.set_cookie(state.flows.session(), headers))
            .flash(
                state,
                headers,
                Flash::error("Confirm it is you to continue."),
            )
            .into_response();
    }
    let (to, flash) = if out.status.is_success() {
        (ok_to, Flash::ok(ok_text))
    } else {
        (error_to, Flash::error(message_of(&out.body)))
    };
    Reply::redirect(to)
        .cookie(out.set_cookie(state.flows.session(), headers))
        .flash(state, headers, flash)
        .into_response()
}

/// A limit's 429 as a page: what happened and when to try again, with `Retry-After`.
fn too_many_attempts(state: &AppState, out: &FlowResponse) -> Response {
    let message = format!(
        "Too many attempts. To protect this account, try again in {} s.",
        out.headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("a few")
    );
    let mut response = state
        .templates
        .error_page(StatusCode::TOO_MANY_REQUESTS, &message);
    if let Some(retry) = out.headers().get(RETRY_AFTER) {
        response.headers_mut().insert(RETRY_AFTER, retry.clone());
    }
    response
}

fn done(
    state: &AppState,
    headers: &HeaderMap,
    to: &str,
    result: Result<String, String>,
) -> Response {
    let flash = match result {
        Ok(text) => Flash::ok(text),
        Err(text) => Flash::error(text),
    };
    Reply::redirect(to)
        .flash(state, headers, flash)
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Static assets

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

async fn link_script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/link.js"),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Public pages

async fn index(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    user: Option<AuthenticatedUser>,
) -> Response {
    page(
        &s,
        &headers,
        &csrf,
        user.as_deref(),
        "index.html",
        json!({}),
    )
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = q.next.as_deref().map(|n| safe_next(Some(n)));
    page(
        &s,
        &headers,
        &csrf,
        None,
        "login.html",
        json!({ "next": next }),
    )
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(flatten)]
    input: LoginInput,
    #[serde(default)]
    next: Option<String>,
}

async fn login(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let out = s
        .flows
        .limited(Action::SignIn, peer, &headers, f.input, |i| {
            s.flows.login(&headers, i)
        })
        .await;
    let next = safe_next(f.next.as_deref().filter(|n| !n.is_empty()));
    if !out.status.is_success() {
        let back = if next == "/profile" {
            "/login".to_owned()
        } else {
            format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            )
        };
        return flow_reply(&s, &headers, &out, "", "", &back);
    }
    match &out.session {
        SessionChange::PendingMfa(_) => to_mfa_step(&s, &headers, &out, next),
        SessionChange::PendingConsent(_) => to_consent_step(&s, &headers, &out, &next),
        _ => flow_reply(&s, &headers, &out, &next, "You are signed in.", "/login"),
    }
}

/// A sign-in that waits for the user's consent: to the consent page (the consent token is in
/// the session cookie; `next` is a checked same-site path).
fn to_consent_step(s: &AppState, headers: &HeaderMap, out: &FlowResponse, next: &str) -> Response {
    let to = format!(
        "/login/consent?next={}",
        url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    );
    Reply::redirect(&to)
        .cookie(out.set_cookie(s.flows.session(), headers))
        .into_response()
}

/// The consent page: the site's consent form, one checkbox per option.
async fn consent_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    if !matches!(
        s.flows.session().read(&headers),
        Some(Session::PendingConsent { .. })
    ) {
        return done(
            &s,
            &headers,
            "/login",
            Err("No sign-in is waiting for your consent: sign in with your password first.".into()),
        );
    }
    let options: Vec<Value> = s
        .consent_form
        .options
        .iter()
        .map(|o| json!({ "id": o.id, "title": o.title, "description": o.description }))
        .collect();
    page(
        &s,
        &headers,
        &csrf,
        None,
        "consent.html",
        json!({ "options": options, "next": safe_next(q.next.as_deref()) }),
    )
}

/// The consent form posted: the checked options (`accepted`, one field per checkbox) are
/// accepted, the others declined; signed in on success.
async fn consent_submit(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values = |name: &'static str| {
        fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let input = ConsentInput {
        accepted: values("accepted").collect(),
        next: None,
    };
    let next = safe_next(values("next").next().as_deref());
    let out = s
        .flows
        .limited(Action::ConsentStep, peer, &headers, input, |i| {
            s.flows.login_consent(&headers, i)
        })
        .await;
    let back = if out.session == SessionChange::End || out.body["error"] == "consent_expired" {
        "/login".to_owned()
    } else {
        format!(
            "/login/consent?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        )
    };
    flow_reply(&s, &headers, &out, &next, "You are signed in.", &back)
}

/// A sign-in that needs its second factor: to the MFA page, with the methods (and the
/// authenticator setup data, if any) in the encrypted MFA setup cookie.
fn to_mfa_step(s: &AppState, headers: &HeaderMap, out: &FlowResponse, next: String) -> Response {
    let text = |key: &str| out.body.get(key).and_then(Value::as_str).map(str::to_owned);
    let methods = out.body["methods"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let setup = MfaSetup {
        otpauth_uri: text("otpauth_uri"),
        manual_entry_code: text("manual_entry_code"),
        next: Some(next),
        methods,
    };
    Reply::redirect("/login/mfa")
        .cookie(out.set_cookie(s.flows.session(), headers))
        .mfa_setup(s, headers, Some(&setup))
        .into_response()
}

async fn mfa_page(State(s): St, Extension(csrf): Csrf, headers: HeaderMap) -> Response {
    let pending = matches!(
        s.flows.session().read(&headers),
        Some(Session::PendingMfa { .. })
    );
    if !pending {
        return done(
            &s,
            &headers,
            "/login",
            Err("No MFA login in progress: sign in with your password first.".into()),
        );
    }
    let setup = mfa_setup(&s, &headers);
    let qr = setup
        .as_ref()
        .and_then(|m| m.otpauth_uri.as_deref())
        .and_then(qr_svg_data_uri);
    let methods = setup
        .as_ref()
        .map(|m| m.methods.clone())
        .unwrap_or_default();
    let manual = setup.and_then(|m| m.manual_entry_code);
    page(
        &s,
        &headers,
        &csrf,
        None,
        "mfa.html",
        json!({ "qr_code": qr, "manual_entry_code": manual, "methods": methods }),
    )
}

async fn mfa_login(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<MfaCodeInput>,
) -> Response {
    let out = s
        .flows
        .limited(Action::MfaStep, peer, &headers, f, |i| {
            s.flows.login_mfa(&headers, i)
        })
        .await;
    if out.status.is_success() {
        let next = safe_next(mfa_setup(&s, &headers).and_then(|m| m.next).as_deref());
        return Reply::redirect(&next)
            .cookie(out.set_cookie(s.flows.session(), &headers))
            .mfa_setup(&s, &headers, None)
            .flash(
                &s,
                &headers,
                Flash::ok("You are signed in with two factors."),
            )
            .into_response();
    }
    let back = if out.session == SessionChange::End {
        "/login"
    } else {
        "/login/mfa"
    };
    flow_reply(&s, &headers, &out, "", "", back)
}

/// "Send me a code" on the MFA page: the code of the chosen method, for the pending sign-in.
async fn mfa_send_code(State(s): St, headers: HeaderMap, Form(f): Form<SendCodeInput>) -> Response {
    let out = s.flows.login_mfa_send(&headers, f).await;
    let back = if out.session == SessionChange::End {
        "/login"
    } else {
        "/login/mfa"
    };
    flow_reply(
        &s,
        &headers,
        &out,
        "/login/mfa",
        "A code is on its way.",
        back,
    )
}

async fn phone_page(State(s): St, Extension(csrf): Csrf, headers: HeaderMap) -> Response {
    page(&s, &headers, &csrf, None, "phone.html", json!({}))
}

async fn phone_send(State(s): St, headers: HeaderMap, Form(f): Form<PhoneInput>) -> Response {
    let out = s.flows.phone_send(f).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/phone",
        "If this number is registered, a code is on its way.",
        "/phone",
    )
}

async fn phone_login(State(s): St, headers: HeaderMap, Form(f): Form<PhoneLoginInput>) -> Response {
    let out = s.flows.phone_login(&headers, f).await;
    if matches!(out.session, SessionChange::PendingMfa(_)) {
        return to_mfa_step(&s, &headers, &out, "/profile".to_owned());
    }
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile",
        "You are signed in with your phone.",
        "/phone",
    )
}

async fn register_page(State(s): St, Extension(csrf): Csrf, headers: HeaderMap) -> Response {
    page(&s, &headers, &csrf, None, "register.html", json!({}))
}

#[derive(Deserialize)]
struct RegisterForm {
    email: String,
    password: String,
    #[serde(default)]
    confirm_password: Option<String>,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
}

fn non_blank(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

async fn register(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<RegisterForm>,
) -> Response {
    if f.confirm_password
        .as_deref()
        .is_some_and(|c| c != f.password)
    {
        return done(
            &s,
            &headers,
            "/register",
            Err("The two passwords differ.".into()),
        );
    }
    let input = RegisterInput {
        first_name: non_blank(&f.first_name).map(str::to_owned),
        last_name: non_blank(&f.last_name).map(str::to_owned),
        email: f.email,
        password: f.password.into(),
        ..RegisterInput::default()
    };
    let out = s
        .flows
        .limited(Action::Register, peer, &headers, input, |i| {
            s.flows.register(&headers, i)
        })
        .await;
    if out.status.is_success() && out.body["email_verification_required"] == json!(true) {
        return flow_reply(
            &s,
            &headers,
            &out,
            "/login",
            "Registered. Open the verification link sent to your email address, then sign in.",
            "/register",
        );
    }
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile",
        "Registered and signed in.",
        "/register",
    )
}

#[derive(Deserialize)]
struct LinkQuery {
    /// Only when a link put its token in the query string instead of the fragment: the token
    /// goes into the form, never into a redirect.
    vtoken: Option<String>,
}

async fn verify_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> Response {
    page(
        &s,
        &headers,
        &csrf,
        None,
        "verify.html",
        json!({ "token": q.vtoken }),
    )
}

/// The token of a link, as the form posts it (surrounding white space removed).
fn link_token(token: &str) -> LinkTokenInput {
    LinkTokenInput {
        token: token.trim().into(),
    }
}

/// An email address, as the form posts it (surrounding white space removed).
fn email(address: &str) -> EmailInput {
    EmailInput {
        email: address.trim().to_owned(),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

async fn verify_email(State(s): St, headers: HeaderMap, Form(f): Form<TokenForm>) -> Response {
    let out = s.flows.verify_email(link_token(&f.token)).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/login",
        "Your email address is verified. You can sign in.",
        "/verify-email",
    )
}

#[derive(Deserialize)]
struct EmailForm {
    email: String,
}

async fn resend_verification(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<EmailForm>,
) -> Response {
    let out = s
        .flows
        .limited(
            Action::ResendVerification,
            peer,
            &headers,
            email(&f.email),
            |i| s.flows.resend_verification(i),
        )
        .await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/verify-email",
        "If this address is registered and unverified, a new verification link is on its way.",
        "/verify-email",
    )
}

async fn forgot_page(State(s): St, Extension(csrf): Csrf, headers: HeaderMap) -> Response {
    page(&s, &headers, &csrf, None, "forgot.html", json!({}))
}

async fn forgot_password(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<EmailForm>,
) -> Response {
    let out = s
        .flows
        .limited(
            Action::ForgotPassword,
            peer,
            &headers,
            email(&f.email),
            |i| s.flows.forgot_password(i),
        )
        .await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/forgot-password",
        "If this address is registered, a reset link is on its way.",
        "/forgot-password",
    )
}

async fn reset_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> Response {
    page(
        &s,
        &headers,
        &csrf,
        None,
        "reset.html",
        json!({ "token": q.vtoken }),
    )
}

#[derive(Deserialize)]
struct ResetForm {
    token: String,
    password: String,
    /// Optional: naming the account signs out its other devices once the reset is done.
    #[serde(default)]
    email: String,
}

async fn reset_password(State(s): St, headers: HeaderMap, Form(f): Form<ResetForm>) -> Response {
    let email = f.email.trim();
    let input = ResetPasswordInput {
        token: f.token.trim().into(),
        password: f.password.into(),
        email: (!email.is_empty()).then(|| email.to_owned()),
    };
    let out = s.flows.reset_password(input).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/login",
        "Your password is reset. Sign in with the new one.",
        "/reset-password",
    )
}

async fn passwordless_page(State(s): St, Extension(csrf): Csrf, headers: HeaderMap) -> Response {
    page(&s, &headers, &csrf, None, "passwordless.html", json!({}))
}

async fn passwordless_send(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<EmailForm>,
) -> Response {
    let out = s
        .flows
        .limited(
            Action::PasswordlessSend,
            peer,
            &headers,
            email(&f.email),
            |i| s.flows.passwordless_send(i),
        )
        .await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/passwordless",
        "If this address is registered, a sign-in link is on its way.",
        "/passwordless",
    )
}

async fn passwordless_verify_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> Response {
    page(
        &s,
        &headers,
        &csrf,
        None,
        "passwordless_verify.html",
        json!({ "token": q.vtoken }),
    )
}

async fn passwordless_verify(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> Response {
    let out = s
        .flows
        .limited(
            Action::PasswordlessVerify,
            peer,
            &headers,
            link_token(&f.token),
            |i| s.flows.passwordless_verify(&headers, i),
        )
        .await;
    // An email link is one factor: an account with MFA goes on to the second step.
    if matches!(out.session, SessionChange::PendingMfa(_)) {
        return to_mfa_step(&s, &headers, &out, "/profile".to_owned());
    }
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile",
        "You are signed in.",
        "/passwordless",
    )
}

async fn logout(State(s): St, headers: HeaderMap) -> Response {
    let out = s.flows.logout(&headers).await;
    let reply = Reply::redirect("/")
        .cookie(out.set_cookie(s.flows.session(), &headers))
        .mfa_setup(&s, &headers, None);
    let flash = if out.status.is_success() {
        Flash::ok("You are signed out.")
    } else {
        Flash::error(format!("Signed out here; {}", message_of(&out.body)))
    };
    reply.flash(&s, &headers, flash).into_response()
}

// ---------------------------------------------------------------------------------------------
// Profile area: the uid is always the session's.

async fn profile(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    user: AuthenticatedUser,
) -> Response {
    let client = s.client();
    // Fresh from LoginRadius (the authenticator's cached profile may predate an update).
    let (account, error) = match client.account().get(&user.uid).send().await {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(error_message(&e))),
    };
    let roles = client
        .roles()
        .of_user(&user.uid)
        .send()
        .await
        .map(|r| r.roles)
        .unwrap_or_default();
    let account = account.map(|p| {
        json!({
            "uid": p.uid,
            "email": p.primary_email(),
            "email_verified": p.email_verified,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "about": p.about,
        })
    });
    page(
        &s,
        &headers,
        &csrf,
        Some(&*user),
        "profile.html",
        json!({ "account": account, "roles": roles, "load_error": error }),
    )
}

#[derive(Deserialize)]
struct AccountForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    about: String,
}

async fn update_account(
    State(s): St,
    headers: HeaderMap,
    user: AuthenticatedUser,
    Form(f): Form<AccountForm>,
) -> Response {
    let fields = json!({
        "FirstName": f.first_name.trim(),
        "LastName": f.last_name.trim(),
        "About": f.about.trim(),
    });
    let result = s
        .client()
        .account()
        .update(&user.uid, &fields)
        .send()
        .await
        .map(|_| "Your account is updated.".to_owned())
        .map_err(|e| error_message(&e));
    done(&s, &headers, "/profile", result)
}

async fn change_password(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<ChangePasswordInput>,
) -> Response {
    let out = s.flows.change_password(&headers, f).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile",
        "Your password is changed.",
        "/profile",
    )
}

#[derive(Deserialize)]
struct SetPasswordForm {
    password: String,
}

async fn set_password(
    State(s): St,
    headers: HeaderMap,
    _signed_in: AuthenticatedUser,
    Form(f): Form<SetPasswordForm>,
) -> Response {
    if f.password.trim().is_empty() {
        return done(&s, &headers, "/profile", Err("Enter a password.".into()));
    }
    // Only for an account without a password; otherwise change it with the current one.
    let out = s
        .flows
        .set_password(
            &headers,
            SetPasswordInput {
                password: f.password.into(),
            },
        )
        .await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile",
        "Your password is set.",
        "/profile",
    )
}

const DEFAULT_OBJECT: &str = "notes";

#[derive(Deserialize)]
struct ObjectQuery {
    object: Option<String>,
}

fn object_name(name: Option<&str>) -> String {
    name.map(str::trim)
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 64
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .unwrap_or(DEFAULT_OBJECT)
        .to_owned()
}

fn objects_path(object: &str) -> String {
    format!("/profile/custom-objects?object={object}")
}

async fn custom_objects(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    user: AuthenticatedUser,
    Query(q): Query<ObjectQuery>,
) -> Response {
    let object = object_name(q.object.as_deref());
    let (records, error) = match s
        .client()
        .custom_objects()
        .list_for_user(&user.uid, &object)
        .send()
        .await
    {
        Ok(list) => (
            list.records
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "data": serde_json::to_string_pretty(&r.custom_object).unwrap_or_default(),
                    })
                })
                .collect::<Vec<_>>(),
            None,
        ),
        Err(e) => (Vec::new(), Some(error_message(&e))),
    };
    page(
        &s,
        &headers,
        &csrf,
        Some(&*user),
        "custom_objects.html",
        json!({ "object": object, "records": records, "load_error": error }),
    )
}

#[derive(Deserialize)]
struct ObjectForm {
    object: Option<String>,
    #[serde(default)]
    record_id: String,
    #[serde(default)]
    data: String,
}

fn parse_data(data: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(data) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err("The data must be a JSON object, such as {\"title\": \"hello\"}.".into()),
    }
}

async fn custom_object_create(
    State(s): St,
    headers: HeaderMap,
    user: AuthenticatedUser,
    Form(f): Form<ObjectForm>,
) -> Response {
    let object = object_name(f.object.as_deref());
    let result = match parse_data(&f.data) {
        Ok(data) => s
            .client()
            .custom_objects()
            .create_for_user(&user.uid, &object, &data)
            .send()
            .await
            .map(|r| format!("Record {} created.", r.id))
            .map_err(|e| error_message(&e)),
        Err(e) => Err(e),
    };
    done(&s, &headers, &objects_path(&object), result)
}

async fn custom_object_update(
    State(s): St,
    headers: HeaderMap,
    user: AuthenticatedUser,
    Form(f): Form<ObjectForm>,
) -> Response {
    let object = object_name(f.object.as_deref());
    let result = match parse_data(&f.data) {
        Ok(data) => s
            .client()
            .custom_objects()
            .update_for_user(&user.uid, &object, f.record_id.trim(), &data)
            .send()
            .await
            .map(|_| "Record updated.".to_owned())
            .map_err(|e| error_message(&e)),
        Err(e) => Err(e),
    };
    done(&s, &headers, &objects_path(&object), result)
}

async fn custom_object_delete(
    State(s): St,
    headers: HeaderMap,
    user: AuthenticatedUser,
    Form(f): Form<ObjectForm>,
) -> Response {
    let object = object_name(f.object.as_deref());
    let result = s
        .client()
        .custom_objects()
        .delete_for_user(&user.uid, &object, f.record_id.trim())
        .send()
        .await
        .map(|_| "Record deleted.".to_owned())
        .map_err(|e| error_message(&e));
    done(&s, &headers, &objects_path(&object), result)
}

async fn mfa_settings(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    user: AuthenticatedUser,
) -> Response {
    let out = s.flows.mfa_setup(&headers).await;
    let factors = s.flows.mfa_factors(&headers).await;
    let context = match (out.status.is_success(), factors.status.is_success()) {
        (true, true) => {
            let mut context = out.body.clone();
            context["codes"] = factors.body.clone();
            context
        }
        (false, _) => json!({ "load_error": message_of(&out.body) }),
        (_, false) => json!({ "load_error": message_of(&factors.body) }),
    };
    page(
        &s,
        &headers,
        &csrf,
        Some(&*user),
        "mfa_settings.html",
        context,
    )
}

async fn mfa_enable(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<MfaCodeInput>,
) -> Response {
    let out = s.flows.mfa_enable(&headers, f).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "Two-factor authentication is on: the next sign-in asks for a code.",
        "/profile/mfa",
    )
}

async fn mfa_reset(State(s): St, headers: HeaderMap, _user: AuthenticatedUser) -> Response {
    let out = s.flows.mfa_disable(&headers).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "The authenticator app is removed.",
        "/profile/mfa",
    )
}

async fn sms_phone(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<PhoneInput>,
) -> Response {
    let out = s.flows.mfa_sms_phone(&headers, f).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "A code is on its way to this number: type it below.",
        "/profile/mfa",
    )
}

async fn sms_enable(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<MfaCodeInput>,
) -> Response {
    let out = s.flows.mfa_sms_enable(&headers, f).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "SMS codes are on: a sign-in may ask for a texted code.",
        "/profile/mfa",
    )
}

async fn sms_disable(State(s): St, headers: HeaderMap, _user: AuthenticatedUser) -> Response {
    let out = s.flows.mfa_sms_disable(&headers).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "SMS codes are off.",
        "/profile/mfa",
    )
}

async fn email_send(State(s): St, headers: HeaderMap, _user: AuthenticatedUser) -> Response {
    let out = s.flows.mfa_email_send(&headers).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "A code is on its way to your email address: type it below.",
        "/profile/mfa",
    )
}

async fn email_enable(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<MfaCodeInput>,
) -> Response {
    let out = s.flows.mfa_email_enable(&headers, f).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "Email codes are on: a sign-in may ask for an emailed code.",
        "/profile/mfa",
    )
}

async fn email_disable(State(s): St, headers: HeaderMap, _user: AuthenticatedUser) -> Response {
    let out = s.flows.mfa_email_disable(&headers).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/mfa",
        "Email codes are off.",
        "/profile/mfa",
    )
}

// ---------------------------------------------------------------------------------------------
// Sessions: list, end one, end all others.

/// A Unix time as `YYYY-MM-DD HH:MM UTC`.
fn utc(seconds: &Value) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    seconds
        .as_i64()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

async fn sessions_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    user: AuthenticatedUser,
) -> Response {
    let out = s.flows.sessions(&headers).await;
    let context = if out.status.is_success() {
        let sessions: Vec<Value> = out.body["sessions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                json!({
                    "id": r["id"],
                    "created": utc(&r["created_at"]),
                    "last_seen": utc(&r["last_seen"]),
                    "user_agent": r["user_agent"],
                    "current": r["current"],
                })
            })
            .collect();
        json!({ "sessions": sessions })
    } else {
        json!({ "load_error": message_of(&out.body) })
    };
    page(&s, &headers, &csrf, Some(&*user), "sessions.html", context)
}

#[derive(Deserialize)]
struct SessionForm {
    id: String,
}

async fn session_end(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<SessionForm>,
) -> Response {
    let out = s.flows.end_session(&headers, &f.id).await;
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/sessions",
        "The session is ended.",
        "/profile/sessions",
    )
}

async fn sessions_end_others(
    State(s): St,
    headers: HeaderMap,
    _user: AuthenticatedUser,
) -> Response {
    let out = s.flows.end_other_sessions(&headers).await;
    let ended = out.body["ended"].as_u64().unwrap_or(0);
    let text = match ended {
        1 => "1 other session ended.".to_owned(),
        n => format!("{n} other sessions ended."),
    };
    flow_reply(
        &s,
        &headers,
        &out,
        "/profile/sessions",
        &text,
        "/profile/sessions",
    )
}

// ---------------------------------------------------------------------------------------------
// Role management: admins only.

#[derive(Deserialize)]
struct RolesQuery {
    email: Option<String>,
}

async fn roles_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    admin: Guarded<AdminOnly>,
    Query(q): Query<RolesQuery>,
) -> Response {
    let client = s.client();
    let (roles, error) = match client.roles().list().send().await {
        Ok(list) => (
            list.roles
                .iter()
                .map(|r| json!({ "name": r.name, "permissions": r.granted().collect::<Vec<_>>() }))
                .collect::<Vec<_>>(),
            None,
        ),
        Err(e) => (Vec::new(), Some(error_message(&e))),
    };
    let lookup = match q.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => Value::Null,
        Some(email) => match client.account().by_email(email).send().await {
            Ok(account) => match client.roles().of_user(&account.uid).send().await {
                Ok(r) => json!({ "email": email, "roles": r.roles }),
                Err(e) => json!({ "email": email, "error": error_message(&e) }),
            },
            Err(e) => json!({ "email": email, "error": error_message(&e) }),
        },
    };
    page(
        &s,
        &headers,
        &csrf,
        Some(&*admin),
        "roles.html",
        json!({ "roles": roles, "lookup": lookup, "load_error": error }),
    )
}

#[derive(Deserialize)]
struct RoleForm {
    name: String,
    #[serde(default)]
    permissions: String,
}

async fn role_create(
    State(s): St,
    headers: HeaderMap,
    _admin: Guarded<AdminOnly>,
    Form(f): Form<RoleForm>,
) -> Response {
    let name = f.name.trim();
    if name.is_empty() {
        return done(
            &s,
            &headers,
            "/admin/roles",
            Err("Enter a role name.".into()),
        );
    }
    let permissions: Vec<&str> = f
        .permissions
        .split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let result = s
        .client()
        .roles()
        .create([Role::new(name, permissions)])
        .send()
        .await
        .map(|_| format!("Role {name} created."))
        .map_err(|e| error_message(&e));
    done(&s, &headers, "/admin/roles", result)
}

async fn role_delete(
    State(s): St,
    headers: HeaderMap,
    _admin: Guarded<AdminOnly>,
    Form(f): Form<RoleForm>,
) -> Response {
    let name = f.name.trim();
    let result = s
        .client()
        .roles()
        .delete(name)
        .send()
        .await
        .map(|_| format!("Role {name} deleted."))
        .map_err(|e| error_message(&e));
    done(&s, &headers, "/admin/roles", result)
}

#[derive(Deserialize)]
struct AssignForm {
    email: String,
    role: String,
    /// Set by the confirmation page: the account the admin saw and confirmed.
    #[serde(default)]
    uid: Option<String>,
}

/// Assigns a role in two steps: the typed email (normalised; a look-alike is refused) is looked
/// up and the confirmation page shows the uid and the stored email it will change; only the
/// confirmed uid gets the role.
async fn role_assign(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    admin: Guarded<AdminOnly>,
    Form(f): Form<AssignForm>,
) -> Response {
    let role = f.role.trim();
    let client = s.client();
    if let Some(uid) = f.uid.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let result = client
            .roles()
            .assign(uid, [role])
            .send()
            .await
            .map(|_| format!("Role {role} assigned to {} (uid {uid}).", f.email.trim()))
            .map_err(|e| error_message(&e));
        return done(&s, &headers, "/admin/roles", result);
    }
    let email = match normalize_email(&f.email) {
        Ok(email) => email,
        Err(e) => return done(&s, &headers, "/admin/roles", Err(e.to_string())),
    };
    match client.account().by_email(&email).send().await {
        Ok(account) => {
            let stored = account.primary_email().unwrap_or(&email).to_owned();
            page(
                &s,
                &headers,
                &csrf,
                Some(&*admin),
                "role_confirm.html",
                json!({ "uid": account.uid, "email": stored, "role": role }),
            )
        }
        Err(e) => done(&s, &headers, "/admin/roles", Err(error_message(&e))),
    }
}

/// The re-authentication page, returning to `next` (a same-site path) once confirmed.
fn reauth_location(next: &str) -> String {
    let next: String =
        url::form_urlencoded::byte_serialize(safe_next(Some(next)).as_bytes()).collect();
    format!("/reauth?next={next}")
}

/// `GET /reauth?next=…`: confirm it is you (the password, or a code of the authenticator app
/// for a user with MFA) before a sensitive change.
async fn reauth_page(
    State(s): St,
    Extension(csrf): Csrf,
    headers: HeaderMap,
    user: AuthenticatedUser,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    page(
        &s,
        &headers,
        &csrf,
        Some(&user),
        "reauth.html",
        json!({ "next": next }),
    )
}

#[derive(Deserialize)]
struct ReauthForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /reauth`: core's re-authentication (limited like sign-in); back to `next` when
/// confirmed, else to the page with the reason.
async fn reauth(
    State(s): St,
    Peer(peer): Peer,
    headers: HeaderMap,
    _user: AuthenticatedUser,
    Form(f): Form<ReauthForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let mut input = ReauthInput::default();
    if f.code.trim().is_empty() {
        input.password = Some(f.password.into());
    } else {
        input.code = Some(f.code.into());
    }
    let out = s.flows.reauth(peer, &headers, input).await;
    let again = reauth_location(&next);
    let out = if out.body["error"] == "reauth_required" {
        // A password for an account with MFA: ask for the code instead.
        FlowResponse::error(
            StatusCode::UNAUTHORIZED,
            "second_factor_required",
            "This account has two-step verification: enter a code from your authenticator app.",
        )
    } else {
        out
    };
    flow_reply(&s, &headers, &out, &next, "Confirmed.", &again)
}
