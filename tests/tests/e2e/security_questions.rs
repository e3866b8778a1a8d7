//! Security questions against the emulator: answers saved with a profile update, the answered
//! questions by email, username, phone and token, password reset by answers, and security
//! questions as a second factor (set up, log in, reset).

use loginradius::codes;
use loginradius::models::{ProfileUpdate, SecurityAnswer};
use loginradius_test_support::e2e::*;
use serde_json::json;

const EMAIL: &str = "jane@example.com";
const PET: &str = "db7b5a8d5f6a4c0f9e1d2c3b4a596871";
const CITY: &str = "5c2e9d7f1a3b4c6d8e0f1a2b3c4d5e6f";

#[tokio::test]
async fn answers_saved_by_profile_update_reset_the_password() {
    let (_emulator, client) =
        emulator(EmulatorConfig::default().with_user(user(EMAIL).username("jane"))).await;
    let signed_in = login(&client, EMAIL).await;
    let token = token_of(&signed_in);
    let auth = client.auth();
    expect_code(
        auth.security_questions_by_email(EMAIL).await,
        codes::SECURITY_ANSWERS_NOT_SAVED,
    );
    expect_code(
        auth.update_profile(
            token.as_str(),
            &ProfileUpdate::new().field("SecurityQuestionAnswer", json!({ "nope": "x" })),
        )
        .await,
        codes::SECURITY_QUESTION_INVALID,
    );
    let updated = auth
        .update_profile(
            token.as_str(),
            &ProfileUpdate::new().field(
                "SecurityQuestionAnswer",
                json!({ PET: "Rex", CITY: "Lyon" }),
            ),
        )
        .await
        .expect("save answers");
    let shown = serde_json::to_string(&updated).expect("json");
    assert!(!shown.contains("Rex"), "answers are never echoed: {shown}");

    let questions = auth
        .security_questions_by_email(EMAIL)
        .await
        .expect("by email");
    let mut ids: Vec<&str> = questions.iter().map(|q| q.question_id.as_str()).collect();
    ids.sort();
    let mut expected = vec![PET, CITY];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(questions.iter().all(|q| !q.question.is_empty()));
    assert_eq!(
        auth.security_questions_by_username("jane")
            .await
            .expect("by username")
            .len(),
        2
    );
    assert_eq!(
        auth.security_questions(token.as_str())
            .await
            .expect("by token")
            .len(),
        2
    );
    expect_code(
        auth.security_questions_by_phone("+15550000000").await,
        codes::PHONE_NOT_REGISTERED,
    );

    // Wrong or partial answers do not reset; right ones (any case) do.
    expect_code(
        auth.reset_password_by_email_answer(
            EMAIL,
            [(PET, "Rex"), (CITY, "Paris")],
            "new-password-2",
        )
        .await,
        codes::SECURITY_ANSWER_INCORRECT,
    );
    expect_code(
        auth.reset_password_by_email_answer(EMAIL, [(PET, "Rex")], "new-password-2")
            .await,
        codes::SECURITY_ANSWER_INCORRECT,
    );
    auth.reset_password_by_username_answer(
        "jane",
        [(PET, "rex"), (CITY, " LYON ")],
        "new-password-2",
    )
    .await
    .expect("reset by answers");
    expect_code(
        auth.login_by_email(EMAIL, PASSWORD).await,
        codes::INVALID_LOGIN,
    );
    auth.login_by_email(EMAIL, "new-password-2")
        .await
        .expect("the new password");
}

#[tokio::test]
async fn security_questions_as_a_second_factor() {
    let (_emulator, client) = emulator(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Optional)
            .with_user(user(EMAIL)),
    )
    .await;
    let token = token_of(&login(&client, EMAIL).await);
    let mfa = client.mfa();
    expect_code(
        mfa.reset_security_questions(token.as_str()).await,
        codes::SECURITY_QUESTION_MFA_NOT_ENABLED,
    );
    mfa.enable_security_questions(
        token.as_str(),
        [
            SecurityAnswer::new(PET, "Rex"),
            SecurityAnswer::new(CITY, "Lyon"),
        ],
        false,
    )
    .await
    .expect("enable");
    expect_code(
        mfa.enable_security_questions(token.as_str(), [SecurityAnswer::new(PET, "Max")], false)
            .await,
        codes::MFA_METHOD_ALREADY_ENABLED,
    );
    let settings = mfa.settings(token.as_str()).await.expect("settings");
    assert!(settings.is_security_question_authenticator_verified);
    assert_eq!(settings.security_questions.len(), 2);

    let challenge = mfa
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
        .into_challenge()
        .expect("a challenge");
    assert!(
        challenge
            .settings
            .is_security_question_authenticator_verified
    );
    expect_code(
        mfa.verify_security_answers(
            challenge.token.clone(),
            [
                SecurityAnswer::new(PET, "Rex"),
                SecurityAnswer::new(CITY, "Oslo"),
            ],
        )
        .await,
        codes::SECURITY_ANSWER_INCORRECT,
    );
    let signed_in = mfa
        .verify_security_answers(
            challenge.token,
            [
                SecurityAnswer::new(PET, "Rex"),
                SecurityAnswer::new(CITY, "Lyon"),
            ],
        )
        .await
        .expect("verify");
    let uid = uid_of(&signed_in);
    assert!(
        mfa.reset_security_questions_for_user(&uid)
            .await
            .expect("reset by uid")
            .is_deleted
    );
    assert!(
        mfa.login_by_email(EMAIL, PASSWORD)
            .await
            .expect("login")
            .into_challenge()
            .is_none()
    );
}

#[tokio::test]
async fn answers_set_during_a_required_login() {
    let (_emulator, client) = emulator(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Required)
            .with_user(user(EMAIL)),
    )
    .await;
    let mfa = client.mfa();
    let challenge = mfa
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
        .into_challenge()
        .expect("a challenge");
    expect_code(
        mfa.verify_security_answers(challenge.token.clone(), [SecurityAnswer::new(PET, "Rex")])
            .await,
        codes::SECURITY_QUESTION_MFA_NOT_ENABLED,
    );
    mfa.set_security_answers(challenge.token, [SecurityAnswer::new(PET, "Rex")])
        .await
        .expect("set at login");
    let next = mfa
        .login_by_email(EMAIL, PASSWORD)
        .await
        .expect("2FA login")
        .into_challenge()
        .expect("a challenge");
    mfa.verify_security_answers(next.token, [SecurityAnswer::new(PET, "REX")])
        .await
        .expect("answer");
}
