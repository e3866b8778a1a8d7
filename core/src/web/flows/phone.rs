//! Sign-in with a phone number and a code texted to it: send the code, sign in with number and
//! code.

use http::HeaderMap;
use serde::Deserialize;
use serde_json::json;

use super::input::{FlowResult, invalid};
use super::second_factor::one_time_code;
use super::{FlowResponse, Flows, error_response};
use crate::{Secret, codes};

/// `POST /phone/send`: `{"phone"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PhoneInput {
    /// The phone number, in international form (`+15550100001`).
    pub phone: String,
}

/// `POST /phone/login`: `{"phone", "code", "next"?}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PhoneLoginInput {
    /// The phone number the code was texted to.
    pub phone: String,
    /// The texted code.
    pub code: Secret,
    /// Where a browser goes after signing in with a form (see
    /// [`LoginInput::next`](super::LoginInput::next)).
    #[serde(default)]
    pub next: Option<String>,
}

impl super::SignInForm for PhoneLoginInput {
    fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

/// LoginRadius errors of the send that tell whether a number is registered: answered like a
/// success.
const REVEALING_PHONE_CODES: &[i64] = &[
    codes::PHONE_NOT_REGISTERED,
    codes::USER_NOT_FOUND,
    codes::PHONE_NOT_VERIFIED,
];

/// A phone number as LoginRadius takes it, trimmed: an optional `+` and 4 to 20 digits; else
/// 400 `invalid_input`.
pub(super) fn valid_phone(value: &str) -> FlowResult<&str> {
    let phone = value.trim();
    let digits = phone.strip_prefix('+').unwrap_or(phone);
    if (4..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(phone)
    } else {
        Err(invalid(
            "`phone` must be a phone number such as +15550100001",
        ))
    }
}

impl Flows {
    /// `POST /phone/send` `{"phone"}`: texts a sign-in code to the number. The same
    /// `{"sent": true}` for numbers with no account, so the answer never tells which numbers
    /// are registered.
    pub async fn phone_send(&self, input: PhoneInput) -> FlowResponse {
        let phone = match valid_phone(&input.phone) {
            Ok(phone) => phone,
            Err(e) => return e,
        };
        match self
            .client()
            .passwordless()
            .send_phone_otp(phone)
            .send()
            .await
        {
            Err(e) if !e.code().is_some_and(|c| REVEALING_PHONE_CODES.contains(&c)) => {
                error_response(&e)
            }
            _ => FlowResponse::ok(json!({ "sent": true })),
        }
    }

    /// `POST /phone/login` `{"phone", "code"}`: signs in with the number and the code texted
    /// by [`phone_send`](Self::phone_send), like [`login`](Self::login) (the session it
    /// replaces ended; `headers` are the request's). A wrong or expired code is 401
    /// `invalid_code`, with no session.
    ///
    /// A code texted to a phone proves one factor. For an account with a second factor set up
    /// (authenticator, SMS or email codes), the answer is the MFA answer of
    /// [`login`](Self::login), `{"mfa_required": true, "methods": [..]}`, and the second step is
    /// the same ([`login_mfa_send`](Self::login_mfa_send), [`login_mfa`](Self::login_mfa)):
    /// the sign-in's access token waits in the pending-MFA cookie, no session for the guards,
    /// until LoginRadius re-authenticates it with a code of the second factor. When whether the
    /// account has one cannot be told, the sign-in fails closed (its token logged out).
    pub async fn phone_login(&self, headers: &HeaderMap, input: PhoneLoginInput) -> FlowResponse {
        let response = self.try_phone_login(input).await.unwrap_or_else(|e| e);
        self.settle_session(headers, response, crate::fleet::ProofMethod::PhoneCode)
            .await
    }

    async fn try_phone_login(&self, input: PhoneLoginInput) -> FlowResult<FlowResponse> {
        let phone = valid_phone(&input.phone)?;
        let code = one_time_code(&input.code)?;
        let deadline = self.sign_in_deadline();
        let login = self
            .client()
            .passwordless()
            .verify_phone_otp(phone, code)
            .deadline(deadline)
            .send()
            .await
            .map_err(|e| error_response(&e))?;
        self.start_one_factor(&login).await
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use serde_json::json;

    use super::super::test_support::*;
    use super::*;
    use crate::web::SessionChange;

    fn phone_login(phone: &str, code: &str) -> PhoneLoginInput {
        PhoneLoginInput {
            phone: phone.into(),
            code: code.into(),
            next: None,
        }
    }

    #[tokio::test]
    async fn bad_numbers_and_codes_are_400_before_any_request() {
        let (flows, t) = flows();
        for phone in [
            "",
            "  ",
            "+1",
            "+1555abc0001",
            "+1 555 0100",
            "++15550100001",
        ] {
            let r = flows
                .phone_send(PhoneInput {
                    phone: phone.into(),
                })
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{phone:?}");
            assert_eq!(r.body["error"], "invalid_input");
            let r = flows
                .phone_login(&HeaderMap::new(), phone_login(phone, "123456"))
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{phone:?}");
        }
        for code in ["", "12a456", "12"] {
            let r = flows
                .phone_login(&HeaderMap::new(), phone_login("+15550100001", code))
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{code:?}");
        }
        assert!(t.is_empty());
        let debug = format!("{:?}", phone_login("+15550100001", "918273"));
        assert!(!debug.contains("918273"), "{debug}");
    }

    #[tokio::test]
    async fn unknown_numbers_get_the_same_answer_and_outages_fail_closed() {
        let (flows, t) = flows();
        t.reply_json(400, lr_error(codes::PHONE_NOT_REGISTERED));
        let r = flows
            .phone_send(PhoneInput {
                phone: " +15550100009 ".into(),
            })
            .await;
        assert_eq!((r.status, r.body), (StatusCode::OK, json!({"sent": true})));
        assert_eq!(
            t.last().unwrap().query_value("phone").as_deref(),
            Some("+15550100009")
        );
        t.reply_json(500, lr_error(950));
        let r = flows
            .phone_send(PhoneInput {
                phone: "+15550100009".into(),
            })
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    }

    #[tokio::test]
    async fn a_code_signs_in_or_asks_for_the_second_factor_the_account_has() {
        let (flows, t) = flows();
        t.reply_json(200, login_reply());
        t.reply_json(200, json!({"IsAuthenticatorVerified": false}));
        let r = flows
            .phone_login(&HeaderMap::new(), phone_login("+15550100001", "123456"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["signed_in"], true);
        assert!(matches!(r.session, SessionChange::Start(_)));
        let sent = t.requests();
        assert_eq!(
            sent[0].path(),
            "/identity/v2/auth/login/passwordlesslogin/otp/verify"
        );
        assert_eq!(
            sent[0].json().unwrap(),
            json!({"phone": "+15550100001", "otp": "123456"})
        );

        // A second factor: the MFA answer; the token waits in the cookie, no session yet.
        t.reply_json(200, login_reply());
        t.reply_json(
            200,
            json!({"IsOTPAuthenticatorVerified": true, "IsEmailOtpAuthenticatorVerified": true}),
        );
        let r = flows
            .phone_login(&HeaderMap::new(), phone_login("+15550100001", "123456"))
            .await;
        assert_eq!(
            (r.status, r.body.clone()),
            (
                StatusCode::OK,
                json!({"mfa_required": true, "methods": ["sms", "email"]})
            )
        );
        let h = cookie_headers(&flows, &r);
        let pending = flows.session().read(&h).unwrap();
        assert!(pending.access_token().is_none());
        assert_eq!(pending.mfa_email(), Some("a@example.com"));
        assert!(!r.body.to_string().contains("acc-tok-1"));
        // The emailed code re-authenticates the held token, which then starts the session.
        t.reply_json(200, json!({"IsPosted": true}));
        let sent = flows
            .login_mfa_send(
                &h,
                crate::web::SendCodeInput {
                    method: crate::web::SecondFactor::Email,
                },
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let request = t.last().unwrap();
        assert_eq!(
            request.path(),
            "/identity/v2/auth/account/reauth/2fa/otp/email"
        );
        assert_eq!(
            request.query_value("emailId").as_deref(),
            Some("a@example.com")
        );
        // A wrong code: re-authentication refused, the pending sign-in kept, no session.
        t.reply_json(400, lr_error(codes::EMAIL_OTP_INVALID));
        let wrong = flows
            .login_mfa(
                &h,
                crate::web::MfaCodeInput {
                    code: "654321".into(),
                    method: crate::web::SecondFactor::Email,
                },
            )
            .await;
        assert_eq!(
            (wrong.status, wrong.session),
            (StatusCode::UNAUTHORIZED, SessionChange::Keep)
        );
        let request = t.last().unwrap();
        assert_eq!(
            request.path(),
            "/identity/v2/auth/account/reauth/2fa/otp/email/verify"
        );
        assert_eq!(
            request.json().unwrap(),
            json!({"EmailId": "a@example.com", "Otp": "654321"})
        );

        // Cannot tell: fail closed.
        t.reply_json(200, login_reply());
        t.reply_json(500, lr_error(950));
        t.reply_json(200, json!({"IsPosted": true}));
        let r = flows
            .phone_login(&HeaderMap::new(), phone_login("+15550100001", "123456"))
            .await;
        assert_eq!(
            (r.status, r.session),
            (StatusCode::SERVICE_UNAVAILABLE, SessionChange::Keep)
        );

        // A wrong code: 401, no session.
        t.reply_json(400, lr_error(codes::OTP_INVALID));
        let r = flows
            .phone_login(&HeaderMap::new(), phone_login("+15550100001", "000000"))
            .await;
        assert_eq!(
            (r.status, r.body["error"].clone(), r.session),
            (
                StatusCode::UNAUTHORIZED,
                json!("invalid_code"),
                SessionChange::Keep
            )
        );
    }
}
