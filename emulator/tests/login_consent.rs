//! Consent as a login step (`EmulatorConfig::with_login_consent`) over real HTTP: a password
//! sign-in of a user who has not accepted the `Login` consent form answers 1226 with a
//! consent token; the token, submitted with the choices, records them and signs in once.

mod common;

use std::time::Duration;

use common::{Answer, Harness, PASSWORD, with_user};
use loginradius_emulator::{EmulatorConfig, MfaMode};
use reqwest::Method;
use serde_json::{Value, json};

const EMAIL: &str = "cara@example.com";

async fn harness() -> Harness {
    Harness::start(with_user(
        EmulatorConfig::default().with_login_consent(),
        EMAIL,
    ))
    .await
}

/// The consent token of a sign-in that asks for consent (1226, 403).
#[track_caller]
fn consent_token(answer: &Answer) -> String {
    answer.error(1226, 403);
    assert!(answer.body.get("access_token").is_none(), "{}", answer.text);
    answer.body["ConsentToken"]
        .as_str()
        .filter(|t| !t.is_empty())
        .expect("a ConsentToken beside the error")
        .to_owned()
}

fn form(events: &[&str]) -> Value {
    json!({
        "Data": [
            { "ConsentOptionId": "email_consent", "IsAccepted": true },
            { "ConsentOptionId": "marketing_consent", "IsAccepted": false },
        ],
        "Events": events.iter().map(|e| json!({ "Event": e, "IsCustom": false })).collect::<Vec<_>>(),
    })
}

async fn submit(h: &Harness, token: &str, body: &Value) -> Answer {
    h.json(
        Method::POST,
        &format!("/identity/v2/auth/consent?consentToken={token}"),
        body,
    )
    .await
}

#[tokio::test]
async fn a_sign_in_waits_for_consent_then_the_token_signs_in_once_and_the_choices_are_kept() {
    let h = harness().await;
    let token = consent_token(&h.login(EMAIL, PASSWORD).await);
    // Wrong credentials are still wrong: no consent token for them.
    h.login(EMAIL, "wrong-password-1").await.error(966, 401);

    let login = submit(&h, &token, &form(&["Login"])).await.ok();
    let access = login["access_token"].as_str().expect("access_token");
    assert!(login["refresh_token"].is_string() && login["expires_in"].is_string());
    let consents = &login["Profile"]["ConsentProfile"];
    assert_eq!(
        consents["AcceptedConsentVersions"],
        json!([{ "Event": "Login", "Version": 1, "IsCustom": false }])
    );
    let given: Vec<(String, bool)> = consents["Consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["ConsentOptionId"].as_str().unwrap().to_owned(),
                c["IsAccepted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        given,
        [
            ("email_consent".to_owned(), true),
            ("marketing_consent".to_owned(), false)
        ]
    );
    // The session works, the choices are logged, and the Login form now counts as accepted.
    let logs = h
        .bearer(Method::GET, "/identity/v2/auth/consent/logs", access, None)
        .await
        .ok();
    assert_eq!(logs["ConsentLogs"].as_array().map(Vec::len), Some(1));
    let valid = h
        .bearer(
            Method::GET,
            "/identity/v2/auth/consent/verify?event=Login&isCustom=false",
            access,
            None,
        )
        .await
        .ok();
    assert_eq!(valid["IsValid"], true);

    // Single use.
    submit(&h, &token, &form(&["Login"])).await.error(1229, 403);
    // The next sign-in asks no more.
    let again = h.login(EMAIL, PASSWORD).await.ok();
    assert!(again["access_token"].is_string());
}

#[tokio::test]
async fn wrong_expired_and_incomplete_consent_submissions_sign_no_one_in() {
    let h = harness().await;
    submit(&h, "not-a-token", &form(&["Login"]))
        .await
        .error(1229, 403);
    h.json(Method::POST, "/identity/v2/auth/consent", &form(&["Login"]))
        .await
        .error(1229, 403);

    let token = consent_token(&h.login(EMAIL, PASSWORD).await);
    // A form without the Login event, or with an unknown option, is refused and keeps the token.
    submit(&h, &token, &form(&["Register"]))
        .await
        .error(1225, 403);
    let unknown = json!({
        "Data": [{ "ConsentOptionId": "no_such_option", "IsAccepted": true }],
        "Events": [{ "Event": "Login", "IsCustom": false }],
    });
    submit(&h, &token, &unknown).await.error(1225, 403);
    assert!(submit(&h, &token, &form(&["Login"])).await.ok()["access_token"].is_string());

    // An expired token is refused with 1230, then it is gone.
    let token = {
        // The form was accepted above: a new user is asked again.
        let h2 = harness().await;
        let token = consent_token(&h2.login(EMAIL, PASSWORD).await);
        h2.emulator.advance_clock(Duration::from_secs(11 * 60));
        submit(&h2, &token, &form(&["Login"]))
            .await
            .error(1230, 403);
        submit(&h2, &token, &form(&["Login"]))
            .await
            .error(1229, 403);
        token
    };
    // A token belongs to the emulator that issued it.
    submit(&h, &token, &form(&["Login"])).await.error(1229, 403);
}

#[tokio::test]
async fn username_and_phone_sign_ins_ask_for_consent_too() {
    let h = Harness::start(
        EmulatorConfig::default().with_login_consent().with_user(
            loginradius_emulator::SeedUser::new(EMAIL, PASSWORD)
                .username("cara")
                .phone("+15550100042"),
        ),
    )
    .await;
    for body in [
        json!({ "username": "cara", "password": PASSWORD }),
        json!({ "phone": "+15550100042", "password": PASSWORD }),
    ] {
        let answer = h.json(Method::POST, "/identity/v2/auth/login", &body).await;
        consent_token(&answer);
    }
}

#[tokio::test]
async fn consent_is_no_login_step_by_default_and_mfa_comes_first() {
    let h = Harness::start(with_user(EmulatorConfig::default(), EMAIL)).await;
    assert!(h.login(EMAIL, PASSWORD).await.ok()["access_token"].is_string());

    let h = Harness::start(with_user(
        EmulatorConfig::default()
            .with_login_consent()
            .with_mfa(MfaMode::Required),
        EMAIL,
    ))
    .await;
    h.login(EMAIL, PASSWORD).await.error(1176, 403);
}
