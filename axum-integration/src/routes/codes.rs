//! The handlers of sign-in by a texted code and of one-time codes as second factor (SMS and
//! email), next to the authenticator app: translation only, the flows are core's.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::HeaderMap;
use loginradius::web::limits::Action;
use loginradius::web::{ConsentInput, PhoneLoginInput};

use super::{Flow, Peer, flow_response, limited_input, limited_sign_in, with_input};

/// `POST /phone/send` (limited per number and per client).
pub(super) async fn phone_send(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_input(&f, Action::PhoneSend, peer, &headers, &body, |i| {
        f.phone_send(i)
    })
    .await
}

/// `POST /phone/login` (limited per number and per client): like `POST /login`, a form
/// submission that signs in answers `303 See Other` to its `next` (a same-site path, else `/`).
pub(super) async fn phone_login(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_sign_in(
        &f,
        Action::PhoneLogin,
        peer,
        &headers,
        &body,
        |i: PhoneLoginInput| f.phone_login(&headers, i),
    )
    .await
}

/// `POST /login/consent` (limited per client, like the MFA step): like `POST /login`, a form
/// submission that signs in answers `303 See Other` to its `next`.
pub(super) async fn login_consent(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_sign_in(
        &f,
        Action::ConsentStep,
        peer,
        &headers,
        &body,
        |i: ConsentInput| f.login_consent(&headers, i),
    )
    .await
}

/// `POST /login/mfa/send` (limited per client).
pub(super) async fn login_mfa_send(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    limited_input(&f, Action::MfaCodeSend, peer, &headers, &body, |i| {
        f.login_mfa_send(&headers, i)
    })
    .await
}

/// `GET /mfa/factors`.
pub(super) async fn mfa_factors(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_factors(&headers).await;
    flow_response(&f, &headers, out)
}

/// `POST /mfa/sms/phone`.
pub(super) async fn mfa_sms_phone(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.mfa_sms_phone(&headers, i)).await
}

/// `POST /mfa/sms/enable`.
pub(super) async fn mfa_sms_enable(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.mfa_sms_enable(&headers, i)).await
}

/// `POST /mfa/sms/disable`.
pub(super) async fn mfa_sms_disable(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_sms_disable(&headers).await;
    flow_response(&f, &headers, out)
}

/// `POST /mfa/email/send`.
pub(super) async fn mfa_email_send(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_email_send(&headers).await;
    flow_response(&f, &headers, out)
}

/// `POST /mfa/email/enable`.
pub(super) async fn mfa_email_enable(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.mfa_email_enable(&headers, i)).await
}

/// `POST /mfa/email/disable`.
pub(super) async fn mfa_email_disable(State(f): Flow, headers: HeaderMap) -> Response {
    let out = f.mfa_email_disable(&headers).await;
    flow_response(&f, &headers, out)
}

/// `POST /reauth`: proves the session again (core's [`Flows::reauth`](loginradius::web::Flows::reauth),
/// limited per client and per user).
pub(super) async fn reauth(
    State(f): Flow,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    with_input(&f, &headers, &body, |i| f.reauth(peer, &headers, i)).await
}

/// `POST /reauth/send`.
pub(super) async fn reauth_send(State(f): Flow, headers: HeaderMap, body: Bytes) -> Response {
    with_input(&f, &headers, &body, |i| f.reauth_send(&headers, i)).await
}
