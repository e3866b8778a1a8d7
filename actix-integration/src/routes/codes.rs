//! The handlers of sign-in by a texted code and of one-time codes as second factor (SMS and
//! email), next to the authenticator app: translation only, the flows are core's.

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use loginradius::web::limits::Action;
use loginradius::web::{ConsentInput, PhoneLoginInput};

use super::{FlowsData, flow_response, limited_input, limited_sign_in, with_input};
use crate::headers;

/// `POST /phone/send` (limited per number and per client).
pub(super) async fn phone_send(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    limited_input(&flows, Action::PhoneSend, &req, &body, |i| {
        flows.phone_send(i)
    })
    .await
}

/// `POST /phone/login` (limited per number and per client): like `POST /login`, a form
/// submission that signs in answers `303 See Other` to its `next` (a same-site path, else `/`).
pub(super) async fn phone_login(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    limited_sign_in(
        &flows,
        Action::PhoneLogin,
        &req,
        &headers,
        &body,
        |i: PhoneLoginInput| flows.phone_login(&headers, i),
    )
    .await
}

/// `POST /login/consent` (limited per client, like the MFA step): like `POST /login`, a form
/// submission that signs in answers `303 See Other` to its `next`.
pub(super) async fn login_consent(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    limited_sign_in(
        &flows,
        Action::ConsentStep,
        &req,
        &headers,
        &body,
        |i: ConsentInput| flows.login_consent(&headers, i),
    )
    .await
}

/// `POST /login/mfa/send` (limited per client).
pub(super) async fn login_mfa_send(
    flows: FlowsData,
    req: HttpRequest,
    body: Bytes,
) -> HttpResponse {
    let headers = headers::request_headers(&req);
    limited_input(&flows, Action::MfaCodeSend, &req, &body, |i| {
        flows.login_mfa_send(&headers, i)
    })
    .await
}

/// `GET /mfa/factors`.
pub(super) async fn mfa_factors(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.mfa_factors(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

/// `POST /mfa/sms/phone`.
pub(super) async fn mfa_sms_phone(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.mfa_sms_phone(&headers, i)).await
}

/// `POST /mfa/sms/enable`.
pub(super) async fn mfa_sms_enable(
    flows: FlowsData,
    req: HttpRequest,
    body: Bytes,
) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.mfa_sms_enable(&headers, i)).await
}

/// `POST /mfa/sms/disable`.
pub(super) async fn mfa_sms_disable(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.mfa_sms_disable(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

/// `POST /mfa/email/send`.
pub(super) async fn mfa_email_send(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows.mfa_email_send(&headers::request_headers(&req)).await;
    flow_response(&flows, &req, flow)
}

/// `POST /mfa/email/enable`.
pub(super) async fn mfa_email_enable(
    flows: FlowsData,
    req: HttpRequest,
    body: Bytes,
) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.mfa_email_enable(&headers, i)).await
}

/// `POST /mfa/email/disable`.
pub(super) async fn mfa_email_disable(flows: FlowsData, req: HttpRequest) -> HttpResponse {
    let flow = flows
        .mfa_email_disable(&headers::request_headers(&req))
        .await;
    flow_response(&flows, &req, flow)
}

/// `POST /reauth`: proves the session again (core's [`Flows::reauth`](loginradius::web::Flows::reauth),
/// limited per client and per user).
pub(super) async fn reauth(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    let peer = req.peer_addr().map(|a| a.ip());
    with_input(&flows, &req, &body, |i| flows.reauth(peer, &headers, i)).await
}

/// `POST /reauth/send`.
pub(super) async fn reauth_send(flows: FlowsData, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = headers::request_headers(&req);
    with_input(&flows, &req, &body, |i| flows.reauth_send(&headers, i)).await
}
