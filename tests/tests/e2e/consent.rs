//! Consent management and the privacy policy against the emulator: submit and update consents
//! (the profile and the logs show them), verify a form, accept the policy and read its history.

use loginradius::codes;
use loginradius::models::{ConsentChoice, ConsentEvent, ConsentSubmission, ConsentUpdate};
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";

#[tokio::test]
async fn consents_are_submitted_updated_verified_and_logged() {
    let (_emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let signed_in = login(&client, EMAIL).await;
    let (uid, token) = (uid_of(&signed_in), token_of(&signed_in));
    let consent = client.consent();
    assert!(
        !consent
            .verify(token.as_str(), "Login", false)
            .await
            .expect("verify")
            .is_valid
    );
    assert!(
        consent
            .logs(token.as_str())
            .await
            .expect("logs")
            .logs
            .is_empty()
    );
    expect_code(
        consent
            .submit(
                token.as_str(),
                &ConsentSubmission::new(
                    [ConsentChoice::accept("no_such_option")],
                    [ConsentEvent::new("Login")],
                ),
            )
            .await,
        codes::CONSENT_FORM_VALIDATION_FAILED,
    );
    expect_code(
        consent
            .submit(
                token.as_str(),
                &ConsentSubmission::new(
                    [ConsentChoice::accept("email_consent")],
                    [ConsentEvent::new("Checkout")],
                ),
            )
            .await,
        codes::CONSENT_FORM_NOT_AVAILABLE,
    );
    let profile = consent
        .submit(
            token.as_str(),
            &ConsentSubmission::new(
                [
                    ConsentChoice::accept("email_consent"),
                    ConsentChoice::decline("sms_consent"),
                ],
                [ConsentEvent::new("Login")],
            ),
        )
        .await
        .expect("submit");
    let shown = profile.extra["ConsentProfile"].clone();
    assert_eq!(shown["AcceptedConsentVersions"][0]["Event"], "Login");
    assert!(
        consent
            .verify(token.as_str(), "Login", false)
            .await
            .expect("verify")
            .is_valid
    );
    assert!(
        !consent
            .verify(token.as_str(), "Register", false)
            .await
            .expect("verify")
            .is_valid
    );

    let updated = consent
        .update(
            token.as_str(),
            &ConsentUpdate::new([ConsentChoice::accept("sms_consent")]),
        )
        .await
        .expect("update");
    assert_eq!(updated.consents.len(), 2);
    assert!(updated.consents.iter().all(|c| c.accept_on_date.is_some()));
    assert_eq!(updated.accepted_versions.len(), 1);

    let logs = consent.logs_of_user(&uid).await.expect("logs by uid");
    assert_eq!(logs.uid.as_deref(), Some(uid.as_str()));
    assert_eq!(logs.logs.len(), 2);
    assert_eq!(logs.logs[1].update_type.as_deref(), Some("ConsentEditor"));
    assert_eq!(
        consent.logs(token.as_str()).await.expect("logs").logs.len(),
        2
    );
    expect_code(
        consent.logs_of_user("no-such-user").await,
        codes::USER_NOT_FOUND,
    );

    // A consent token the emulator never issued is refused.
    expect_code(
        consent
            .submit_with_consent_token(
                "not-a-token",
                &ConsentSubmission::new(
                    [ConsentChoice::accept("email_consent")],
                    [ConsentEvent::new("Login")],
                ),
            )
            .await,
        codes::CONSENT_TOKEN_INVALID,
    );
    // Consents cannot be written through a profile update.
    client
        .auth()
        .update_profile(
            token.as_str(),
            &loginradius::models::ProfileUpdate::new()
                .field("ConsentProfile", json!({ "Consents": [] })),
        )
        .await
        .expect("update");
    assert_eq!(
        consent.logs(token.as_str()).await.expect("logs").logs.len(),
        2
    );
    assert!(
        consent
            .verify(token.as_str(), "Login", false)
            .await
            .expect("verify")
            .is_valid
    );
}

#[tokio::test]
async fn the_privacy_policy_is_accepted_once_and_its_history_kept() {
    let (_emulator, client) = emulator(EmulatorConfig::default().with_user(user(EMAIL))).await;
    let signed_in = login(&client, EMAIL).await;
    let (uid, token) = (uid_of(&signed_in), token_of(&signed_in));
    let history = client
        .auth()
        .privacy_policy_history(token.as_str())
        .await
        .expect("history");
    assert!(history.current.is_none() && history.history.is_empty());
    let profile = client
        .auth()
        .accept_privacy_policy(token.as_str())
        .await
        .expect("accept");
    assert_eq!(profile.extra["PrivacyPolicy"]["Version"], "version1");
    expect_code(
        client.auth().accept_privacy_policy(token.as_str()).await,
        codes::PRIVACY_POLICY_ALREADY_ACCEPTED,
    );
    let history = client
        .account()
        .privacy_policy_history(&uid)
        .await
        .expect("by uid");
    assert_eq!(history.uid.as_deref(), Some(uid.as_str()));
    let current = history.current.expect("current");
    assert_eq!(current.version, "version1");
    assert!(history.history.is_empty());
}

#[tokio::test]
async fn a_sign_in_waiting_for_consent_is_a_typed_error_whose_token_finishes_it_once() {
    let (emulator, client) = emulator(
        EmulatorConfig::default()
            .with_login_consent()
            .with_user(user(EMAIL)),
    )
    .await;
    let waiting = expect_code(
        client.auth().login_by_email(EMAIL, PASSWORD).await,
        codes::CONSENT_FORM_NOT_SUBMITTED,
    );
    assert!(waiting.is_consent_required());
    let token = waiting.consent_token().expect("a consent token").clone();
    assert!(!format!("{waiting:?} {waiting}").contains(token.expose()));

    let form = ConsentSubmission::new(
        [
            ConsentChoice::accept("email_consent"),
            ConsentChoice::decline("sms_consent"),
        ],
        [ConsentEvent::new("Login")],
    );
    let signed_in = client
        .consent()
        .submit_with_consent_token(token.clone(), &form)
        .await
        .expect("the consent token finishes the sign-in");
    let access = token_of(&signed_in);
    assert_eq!(uid_of(&signed_in).len(), 32);
    assert!(
        client
            .consent()
            .verify(access.as_str(), "Login", false)
            .await
            .expect("verify")
            .is_valid
    );
    // Used once; the next sign-in asks no more.
    expect_code(
        client
            .consent()
            .submit_with_consent_token(token, &form)
            .await,
        codes::CONSENT_TOKEN_INVALID,
    );
    login(&client, EMAIL).await;

    // An expired token is its own code.
    let (emulator2, client2) = self::emulator(
        EmulatorConfig::default()
            .with_login_consent()
            .with_user(user(EMAIL)),
    )
    .await;
    let waiting = client2
        .auth()
        .login_by_email(EMAIL, PASSWORD)
        .await
        .unwrap_err();
    emulator2.advance_clock(std::time::Duration::from_secs(11 * 60));
    expect_code(
        client2
            .consent()
            .submit_with_consent_token(waiting.consent_token().unwrap().clone(), &form)
            .await,
        codes::CONSENT_TOKEN_EXPIRED,
    );
    drop(emulator);
}
