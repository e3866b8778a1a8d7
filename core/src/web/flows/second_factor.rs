//! One-time codes as second factor, next to the authenticator app: the methods a pending MFA
//! login may use, sending the code of a chosen method, and checking a code of that method.
//!
//! The pending login lives in the session cookie ([`Session::PendingMfa`]): the MFA token and
//! the address emailed codes go to (the one the user signed in with). The browser only names
//! the method; it never chooses where a code is sent.

use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::input::{FlowResult, MfaCodeInput, invalid, totp_code};
use super::{FlowResponse, Flows, SessionChange, error_response, expiry};
use crate::auth::AccessToken;
use crate::models::{LoginResponse, MfaSettings};
use crate::web::session::Session;
use crate::{Error, Secret, codes};

/// How long a one-factor sign-in waits for its second factor (as long as LoginRadius's MFA
/// token lives).
const STEP_UP_TTL: Duration = Duration::minutes(10);

/// A second factor of an MFA login, named in JSON as `authenticator`, `sms` or `email`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecondFactor {
    /// A 6-digit code of the authenticator app (TOTP).
    #[default]
    Authenticator,
    /// A one-time code texted to the user's MFA phone number (the one set up, never one the
    /// browser names at sign-in).
    Sms,
    /// A one-time code emailed to the address the user signed in with.
    Email,
}

/// `POST /login/mfa/send`: `{"method"}`, `sms` or `email`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SendCodeInput {
    /// The method whose code to send.
    pub method: SecondFactor,
}

/// The second factors set up in `settings`, in the order authenticator, SMS, email.
pub(super) fn methods_set_up(settings: &MfaSettings) -> Vec<SecondFactor> {
    [
        (
            settings.is_authenticator_verified || settings.is_google_authenticator_verified,
            SecondFactor::Authenticator,
        ),
        (settings.is_otp_authenticator_verified, SecondFactor::Sms),
        (
            settings.is_email_otp_authenticator_verified,
            SecondFactor::Email,
        ),
    ]
    .into_iter()
    .filter_map(|(on, method)| on.then_some(method))
    .collect()
}

/// A one-time code sent by SMS or email: 4 to 10 digits, surrounding white space ignored;
/// else 400 `invalid_input`.
pub(super) fn one_time_code(code: &Secret) -> FlowResult<&str> {
    let code = code.expose().trim();
    if (4..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(invalid(
            "`code` must be the digits of the code you received",
        ))
    }
}

/// The answer to a LoginRadius error of the MFA step: an unknown or expired MFA token (or,
/// for a step-up, access token) also ends the pending login (a new sign-in is needed); any
/// other error keeps it.
pub(super) fn mfa_step_error(error: &Error) -> FlowResponse {
    let ended = matches!(
        error.code(),
        Some(codes::MFA_TOKEN_INVALID | codes::MFA_TOKEN_EXPIRED)
    ) || error.is_invalid_token()
        || error.is_expired_token();
    let response = error_response(error);
    if ended {
        response.with_session(SessionChange::End)
    } else {
        response
    }
}

/// What the pending MFA login of the session cookie holds: its MFA token (or, for a step-up,
/// access token) and the address of emailed codes.
pub(super) struct PendingMfa {
    pub(super) mfa_token: AccessToken,
    pub(super) email: Option<String>,
    pub(super) step_up: bool,
}

impl Flows {
    /// The pending MFA login of the request's session cookie; else 401 `mfa_expired`.
    pub(super) fn pending_mfa(&self, headers: &HeaderMap) -> FlowResult<PendingMfa> {
        match self.session.read(headers) {
            Some(Session::PendingMfa {
                mfa_token,
                email,
                step_up,
                ..
            }) => Ok(PendingMfa {
                mfa_token,
                email,
                step_up,
            }),
            _ => Err(FlowResponse::error(
                StatusCode::UNAUTHORIZED,
                "mfa_expired",
                "no MFA login in progress, sign in again",
            )),
        }
    }

    /// `POST /login/mfa/send` `{"method"}`: sends the one-time code of `method` for the
    /// pending MFA login of the session cookie: `sms` texts it to the user's MFA phone number,
    /// `email` emails it to the address the user signed in with. Answers `{"sent": true}`.
    /// The authenticator app makes its own codes (400); no pending login is 401; an expired
    /// one ends the session.
    pub async fn login_mfa_send(&self, headers: &HeaderMap, input: SendCodeInput) -> FlowResponse {
        async {
            let pending = self.pending_mfa(headers)?;
            let token = pending.mfa_token.as_secret().clone();
            let deadline = self.sign_in_deadline();
            let sent = match input.method {
                SecondFactor::Authenticator => {
                    return Err(invalid(
                        "the authenticator app makes its own codes: `method` must be `sms` or `email`",
                    ));
                }
                // A step-up's start texts the code when SMS codes are on.
                SecondFactor::Sms if pending.step_up => self
                    .client()
                    .reauth()
                    .start(token)
                    .deadline(deadline)
                    .send()
                    .await
                    .map(drop),
                SecondFactor::Sms => self
                    .client()
                    .mfa()
                    .resend_sms_otp(token)
                    .deadline(deadline)
                    .send()
                    .await
                    .map(drop),
                SecondFactor::Email => {
                    let email = pending.email.as_deref().ok_or_else(no_address)?;
                    if pending.step_up {
                        self.client()
                            .reauth()
                            .send_email_otp(token, email)
                            .deadline(deadline)
                            .send()
                            .await
                            .map(drop)
                    } else {
                        self.client()
                            .mfa()
                            .send_email_otp(token, email)
                            .deadline(deadline)
                            .send()
                            .await
                            .map(drop)
                    }
                }
            };
            sent.map_err(|e| mfa_step_error(&e))?;
            Ok(FlowResponse::ok(json!({ "sent": true })))
        }
        .await
        .unwrap_or_else(|e| e)
    }

    /// Checks the code of `input` (of `input.method`) for `pending` at LoginRadius and
    /// answers the login it completes. Bad input is 400 before any request; LoginRadius's
    /// refusals are [`mfa_step_error`]s.
    pub(super) async fn verify_second_factor(
        &self,
        pending: &PendingMfa,
        input: &MfaCodeInput,
    ) -> FlowResult<LoginResponse> {
        let code = match input.method {
            SecondFactor::Authenticator => totp_code(&input.code)?,
            SecondFactor::Sms | SecondFactor::Email => one_time_code(&input.code)?,
        };
        let email = match input.method {
            SecondFactor::Email => pending.email.as_deref().ok_or_else(no_address)?,
            _ => "",
        };
        if pending.step_up {
            return self
                .verify_step_up(pending, input.method, code, email)
                .await;
        }
        let token = pending.mfa_token.as_secret().clone();
        let deadline = self.sign_in_deadline();
        let mfa = self.client().mfa();
        match input.method {
            SecondFactor::Authenticator => {
                mfa.verify_authenticator_code(token, code)
                    .deadline(deadline)
                    .send()
                    .await
            }
            SecondFactor::Sms => {
                mfa.verify_sms_otp(token, code)
                    .deadline(deadline)
                    .send()
                    .await
            }
            SecondFactor::Email => {
                mfa.verify_email_otp(token, email, code)
                    .deadline(deadline)
                    .send()
                    .await
            }
        }
        .map_err(|e| mfa_step_error(&e))
    }

    /// The second factor of a step-up (a one-factor sign-in of an account with a second
    /// factor): LoginRadius re-authenticates the held access token with the code, and the
    /// token then starts the session.
    async fn verify_step_up(
        &self,
        pending: &PendingMfa,
        method: SecondFactor,
        code: &str,
        email: &str,
    ) -> FlowResult<LoginResponse> {
        self.reauth_with_code(pending.mfa_token.as_secret().clone(), method, code, email)
            .await
            .map_err(|e| mfa_step_error(&e))?;
        let user = self
            .authenticator
            .authenticate(&pending.mfa_token)
            .await
            .map_err(|r| {
                let response = FlowResponse::from_rejection(&r);
                if response.status == StatusCode::UNAUTHORIZED {
                    response.with_session(SessionChange::End)
                } else {
                    response
                }
            })?;
        Ok(LoginResponse {
            profile: Some((*user.profile).clone()),
            access_token: user.token.as_secret().clone(),
            refresh_token: None,
            expires_in: user.expires_at,
            extra: Default::default(),
        })
    }
}

impl Flows {
    /// Starts the session of a one-factor sign-in (a texted code, an email link): for an
    /// account with no second factor, the session at once ([`start`](Self::start)); for one
    /// with a second factor set up, the MFA answer `{"mfa_required": true, "methods": [..]}`
    /// with the sign-in's access token held in the pending step-up state of the cookie, no
    /// session for the guards, until LoginRadius re-authenticates it with a code of the second
    /// factor ([`login_mfa`](Self::login_mfa)). When whether the account has one cannot be
    /// told, the sign-in fails closed (its token logged out).
    pub(super) async fn start_one_factor(&self, login: &LoginResponse) -> FlowResult<FlowResponse> {
        let methods = self.second_factors_of(login).await?;
        if methods.is_empty() {
            return self.start(login);
        }
        let session = Session::PendingMfa {
            mfa_token: AccessToken::from(login.access_token.clone()),
            expires_at: expiry(login.expires_in).min(OffsetDateTime::now_utc() + STEP_UP_TTL),
            email: login
                .profile
                .as_ref()
                .and_then(|p| p.primary_email())
                .map(str::to_owned),
            step_up: true,
        };
        let body = json!({ "mfa_required": true, "methods": methods });
        Ok(FlowResponse::ok(body).with_session(SessionChange::PendingMfa(session)))
    }

    /// The second factors set up on the account of the user of `token` (none on a site
    /// without MFA); LoginRadius's error when it cannot tell.
    pub(super) async fn second_factors_set_up(
        &self,
        token: Secret,
    ) -> Result<Vec<SecondFactor>, Error> {
        let settings = self
            .client()
            .mfa()
            .settings(token)
            .deadline(self.sign_in_deadline())
            .send()
            .await;
        match settings {
            Ok(settings) => Ok(methods_set_up(&settings)),
            Err(e) if e.code() == Some(codes::MFA_NOT_ENABLED) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The second factors set up on the account of a one-factor sign-in (none on a site
    /// without MFA). When LoginRadius cannot tell, its error, and the sign-in's token is
    /// logged out (fail closed).
    async fn second_factors_of(&self, login: &LoginResponse) -> FlowResult<Vec<SecondFactor>> {
        match self.second_factors_set_up(login.access_token.clone()).await {
            Ok(methods) => Ok(methods),
            Err(e) => {
                let token = AccessToken::from(login.access_token.clone());
                // `logout` evicts first and logs an upstream failure itself.
                let _ = self.authenticator.logout(&token).await;
                Err(error_response(&e))
            }
        }
    }
}

impl Flows {
    /// Re-authenticates `token` at LoginRadius with `code` of `method` (`email`: the address
    /// an emailed code went to): the step of a one-factor sign-in and of `POST /reauth`.
    pub(super) async fn reauth_with_code(
        &self,
        token: Secret,
        method: SecondFactor,
        code: &str,
        email: &str,
    ) -> Result<(), Error> {
        let deadline = self.sign_in_deadline();
        let reauth = self.client().reauth();
        match method {
            SecondFactor::Authenticator => {
                reauth
                    .verify_authenticator_code(token, code)
                    .deadline(deadline)
                    .send()
                    .await
            }
            SecondFactor::Sms => {
                reauth
                    .verify_otp(token, code)
                    .deadline(deadline)
                    .send()
                    .await
            }
            SecondFactor::Email => {
                reauth
                    .verify_email_otp(token, email, code)
                    .deadline(deadline)
                    .send()
                    .await
            }
        }
        .map(drop)
    }

    /// Sends the re-authentication code of `method` for `token`: `sms` texts it to the MFA
    /// phone (LoginRadius's step-up start), `email` emails it to `email`. The authenticator
    /// app makes its own codes (400).
    pub(super) async fn send_reauth_code(
        &self,
        token: Secret,
        method: SecondFactor,
        email: Option<&str>,
    ) -> FlowResult<()> {
        let deadline = self.sign_in_deadline();
        let sent = match method {
            SecondFactor::Authenticator => {
                return Err(invalid(
                    "the authenticator app makes its own codes: `method` must be `sms` or `email`",
                ));
            }
            SecondFactor::Sms => self
                .client()
                .reauth()
                .start(token)
                .deadline(deadline)
                .send()
                .await
                .map(drop),
            SecondFactor::Email => {
                let email = email.ok_or_else(no_address)?;
                self.client()
                    .reauth()
                    .send_email_otp(token, email)
                    .deadline(deadline)
                    .send()
                    .await
                    .map(drop)
            }
        };
        sent.map_err(|e| mfa_step_error(&e))
    }
}

fn no_address() -> FlowResponse {
    invalid("this sign-in has no address for emailed codes: choose another method")
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use serde_json::json;

    use super::super::test_support::*;
    use super::*;
    use crate::web::MfaCodeInput;

    fn challenge(sms: bool, email: bool) -> serde_json::Value {
        json!({
            "SecondFactorAuthentication": {
                "SecondFactorAuthenticationToken": "mfa-tok-1",
                "ExpireIn": FAR,
                "IsAuthenticatorVerified": true,
                "IsOTPAuthenticatorVerified": sms,
                "IsEmailOtpAuthenticatorVerified": email,
            },
            "access_token": "",
            "Profile": null
        })
    }

    async fn pending(
        sms: bool,
        email: bool,
    ) -> (Flows, crate::transport::RecordingTransport, HeaderMap) {
        let (flows, t) = flows();
        t.reply_json(403, lr_error(1176));
        t.reply_json(200, challenge(sms, email));
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let h = cookie_headers(&flows, &r);
        (flows, t, h)
    }

    #[tokio::test]
    async fn the_challenge_lists_the_methods_and_codes_go_to_the_signed_in_address() {
        let (flows, t) = flows();
        t.reply_json(403, lr_error(1176));
        t.reply_json(200, challenge(true, true));
        let r = flows
            .login(&HeaderMap::new(), login("a@example.com", "pw"))
            .await;
        assert_eq!(
            r.body,
            json!({"mfa_required": true, "methods": ["authenticator", "sms", "email"]})
        );
        let h = cookie_headers(&flows, &r);
        assert_eq!(
            flows.session().read(&h).unwrap().mfa_email(),
            Some("a@example.com")
        );

        t.reply_json(200, json!({"IsPosted": true}));
        let sent = flows
            .login_mfa_send(
                &h,
                SendCodeInput {
                    method: SecondFactor::Email,
                },
            )
            .await;
        assert_eq!(
            (sent.status, sent.body),
            (StatusCode::OK, json!({"sent": true}))
        );
        let request = t.last().unwrap();
        assert_eq!(request.path(), "/identity/v2/auth/login/2fa/otp/email");
        assert_eq!(request.json().unwrap()["emailid"], "a@example.com");
        assert_eq!(
            request
                .query_value("secondFactorAuthenticationToken")
                .as_deref(),
            Some("mfa-tok-1")
        );

        t.reply_json(200, login_reply());
        let done = flows
            .login_mfa(
                &h,
                MfaCodeInput {
                    code: " 123456 ".into(),
                    method: SecondFactor::Email,
                },
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let request = t.last().unwrap();
        assert_eq!(
            request.path(),
            "/identity/v2/auth/login/2fa/verification/otp/email"
        );
        assert_eq!(
            request.json().unwrap(),
            json!({"emailid": "a@example.com", "otp": "123456"})
        );
    }

    #[tokio::test]
    async fn sms_codes_are_resent_and_checked_and_wrong_ones_keep_the_pending_login() {
        let (flows, t, h) = pending(true, false).await;
        t.reply_json(200, json!({"AccountSid": null, "Sid": "s"}));
        let sent = flows
            .login_mfa_send(
                &h,
                SendCodeInput {
                    method: SecondFactor::Sms,
                },
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert_eq!(
            t.last().unwrap().path(),
            "/identity/v2/auth/login/2fa/resend"
        );
        t.reply_json(400, lr_error(1067));
        let wrong = flows
            .login_mfa(
                &h,
                MfaCodeInput {
                    code: "000000".into(),
                    method: SecondFactor::Sms,
                },
            )
            .await;
        assert_eq!(
            (wrong.status, wrong.session, wrong.body["error"].clone()),
            (
                StatusCode::UNAUTHORIZED,
                SessionChange::Keep,
                json!("invalid_code")
            )
        );
        assert_eq!(
            t.last().unwrap().path(),
            "/identity/v2/auth/login/2fa/verification/otp"
        );
        t.reply_json(400, lr_error(1104));
        let expired = flows
            .login_mfa_send(
                &h,
                SendCodeInput {
                    method: SecondFactor::Sms,
                },
            )
            .await;
        assert_eq!(
            (expired.status, expired.session),
            (StatusCode::UNAUTHORIZED, SessionChange::End)
        );
    }

    #[tokio::test]
    async fn bad_codes_and_methods_are_400_before_any_request() {
        let (flows, t, h) = pending(true, true).await;
        let before = t.len();
        for (code, method) in [
            ("12a456", SecondFactor::Sms),
            ("", SecondFactor::Email),
            ("12", SecondFactor::Sms),
            ("12345678901", SecondFactor::Email),
            ("1234567", SecondFactor::Authenticator),
        ] {
            let r = flows
                .login_mfa(
                    &h,
                    MfaCodeInput {
                        code: code.into(),
                        method,
                    },
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{code:?} {method:?}");
            assert_eq!(r.session, SessionChange::Keep);
        }
        let r = flows
            .login_mfa_send(
                &h,
                SendCodeInput {
                    method: SecondFactor::Authenticator,
                },
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        // No pending login: 401, nothing sent.
        let r = flows
            .login_mfa_send(
                &HeaderMap::new(),
                SendCodeInput {
                    method: SecondFactor::Sms,
                },
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(t.len(), before);
        assert!(serde_json::from_str::<SendCodeInput>(r#"{"method": "carrier-pigeon"}"#).is_err());
    }
}
