//! Registration by email with a SOTT (made locally and by the server) in each email-verification
//! mode, email verification through the outbox, resending the verification email, and the
//! registration error paths (bad SOTT 1049, taken email 936).

use std::time::Duration;

use loginradius::Secret;
use loginradius::models::Registration;
use loginradius_test_support::e2e::*;

fn config(mode: EmailVerification) -> EmulatorConfig {
    EmulatorConfig::default().with_email_verification(mode)
}

fn local_sott(client: &LoginRadius) -> Secret {
    client
        .local_sott(Duration::from_secs(600))
        .expect("a local SOTT")
}

async fn server_sott(client: &LoginRadius) -> Secret {
    let issued = client
        .sott()
        .generate()
        .time_difference(15u32)
        .await
        .expect("the server issues a SOTT");
    assert!(issued.sott.expose().contains('*'), "a SOTT is `cipher*md5`");
    assert!(
        issued.expiry_time.is_some(),
        "the server says when the SOTT expires"
    );
    issued.sott
}

/// One registration with each kind of SOTT: `(email, sott)`.
async fn both_sotts(client: &LoginRadius, tag: &str) -> [(String, Secret); 2] {
    [
        (format!("{tag}-local@example.com"), local_sott(client)),
        (
            format!("{tag}-server@example.com"),
            server_sott(client).await,
        ),
    ]
}

#[tokio::test]
async fn required_verification_registers_without_tokens_and_login_waits_for_the_emailed_token() {
    let (emulator, client) = emulator(config(EmailVerification::Required)).await;
    for (email, sott) in both_sotts(&client, "required").await {
        let user = Registration::new(&email, PASSWORD)
            .first_name("Jane")
            .last_name("Doe");
        let registered = client
            .auth()
            .register(&user, sott)
            .await
            .expect("registration succeeds");
        assert!(registered.is_posted);
        assert!(
            registered.data.is_none(),
            "no tokens before the email is verified"
        );

        let refused = expect_code(client.auth().login_by_email(&email, PASSWORD).await, 970);
        assert!(refused.is_email_not_verified());

        let token = outbox_token(&emulator, &email, message_kind::EMAIL_VERIFICATION);
        let verified = client
            .auth()
            .verify_email(token.as_str())
            .await
            .expect("the emailed token verifies");
        assert!(verified.is_posted);
        let profile = verified
            .data
            .and_then(|d| d.profile)
            .expect("the verification answers the profile");
        assert!(profile.email_verified);
        assert_eq!(profile.primary_email(), Some(email.as_str()));

        let signed_in = login(&client, &email).await;
        let profile = signed_in.profile.expect("profile");
        assert_eq!(profile.first_name.as_deref(), Some("Jane"));
        assert_eq!(profile.last_name.as_deref(), Some("Doe"));
        assert!(profile.email_verified);

        // The verification token is single-use.
        expect_code(client.auth().verify_email(token).await, 974);
    }
}

#[tokio::test]
async fn optional_verification_registers_with_tokens_and_still_sends_the_verification_email() {
    let (emulator, client) = emulator(config(EmailVerification::Optional)).await;
    for (email, sott) in both_sotts(&client, "optional").await {
        let registered = client
            .auth()
            .register(&Registration::new(&email, PASSWORD), sott)
            .await
            .expect("registration succeeds");
        let data = registered
            .data
            .expect("optional verification answers with tokens");
        let profile = data.profile.as_ref().expect("and the profile");
        assert!(!profile.email_verified);
        // The registration token works at once.
        let me = client
            .auth()
            .profile(data.access_token.clone())
            .await
            .expect("the token works");
        assert_eq!(me.uid, profile.uid);

        // Login works before verification.
        login(&client, &email).await;

        let token = outbox_token(&emulator, &email, message_kind::EMAIL_VERIFICATION);
        client
            .auth()
            .verify_email(token)
            .await
            .expect("the emailed token verifies");
        assert!(
            client
                .auth()
                .profile(data.access_token)
                .await
                .expect("profile")
                .email_verified
        );
    }
}

#[tokio::test]
async fn disabled_verification_registers_with_tokens_and_sends_no_email() {
    let (emulator, client) = emulator(config(EmailVerification::Disabled)).await;
    for (email, sott) in both_sotts(&client, "disabled").await {
        let registered = client
            .auth()
            .register(
                &Registration::new(&email, PASSWORD).user_name(email.replace(['@', '.'], "_")),
                sott,
            )
            .await
            .expect("registration succeeds");
        let data = registered.data.expect("tokens at once");
        assert!(!data.access_token.is_blank());
        assert_eq!(
            messages_to(&emulator, &email, message_kind::EMAIL_VERIFICATION),
            0
        );
        login(&client, &email).await;
    }
    assert!(
        emulator.outbox().is_empty(),
        "nothing is emailed: {:#?}",
        emulator.outbox()
    );
}

#[tokio::test]
async fn following_the_outbox_link_verifies_the_email() {
    let (emulator, client) = emulator(config(EmailVerification::Required)).await;
    let email = "link@example.com";
    client
        .auth()
        .register(&Registration::new(email, PASSWORD), local_sott(&client))
        .await
        .expect("registration succeeds");
    let message = last_message(&emulator, email, message_kind::EMAIL_VERIFICATION);
    let link = message.link.expect("a link");
    assert!(
        link.starts_with(emulator.base_url()),
        "the default link points at the emulator: {link}"
    );

    let answer = reqwest::get(&link).await.expect("the link answers");
    assert!(
        answer.status().is_success(),
        "following {link}: {}",
        answer.status()
    );
    let body: serde_json::Value =
        serde_json::from_str(&answer.text().await.unwrap()).expect("JSON");
    assert_eq!(body["IsPosted"], true);

    login(&client, email).await;
}

#[tokio::test]
async fn verification_url_is_the_base_of_the_emailed_link() {
    let (emulator, client) = emulator(config(EmailVerification::Required)).await;
    let email = "custom-link@example.com";
    client
        .auth()
        .register(&Registration::new(email, PASSWORD), local_sott(&client))
        .verification_url("https://app.example.com/verify")
        .await
        .expect("registration succeeds");
    let message = last_message(&emulator, email, message_kind::EMAIL_VERIFICATION);
    let token = message.token.expect("a token");
    let link = message.link.expect("a link");
    assert!(
        link.starts_with("https://app.example.com/verify?"),
        "{link}"
    );
    assert!(link.contains(&format!("vtoken={token}")), "{link}");
    assert!(link.contains("vtype=emailverification"), "{link}");
}

#[tokio::test]
async fn resend_verification_email_sends_a_new_token_that_verifies() {
    let (emulator, client) = emulator(config(EmailVerification::Required)).await;
    let email = "resend@example.com";
    client
        .auth()
        .register(&Registration::new(email, PASSWORD), local_sott(&client))
        .await
        .expect("registration succeeds");
    let first = outbox_token(&emulator, email, message_kind::EMAIL_VERIFICATION);

    let resent = client
        .auth()
        .resend_verification_email(email)
        .await
        .expect("resend succeeds");
    assert!(resent.is_posted);
    assert_eq!(
        messages_to(&emulator, email, message_kind::EMAIL_VERIFICATION),
        2
    );
    let second = outbox_token(&emulator, email, message_kind::EMAIL_VERIFICATION);
    assert_ne!(first, second, "a new token each time");

    client
        .auth()
        .verify_email(second)
        .await
        .expect("the new token verifies");
    login(&client, email).await;

    // Once verified, there is nothing to resend.
    expect_code(client.auth().resend_verification_email(email).await, 1025);
    // An unknown address.
    expect_code(
        client
            .auth()
            .resend_verification_email("nobody@example.com")
            .await,
        1023,
    );
}

#[tokio::test]
async fn registration_with_a_bad_sott_is_refused_with_1049() {
    let (emulator, client) = emulator(config(EmailVerification::Disabled)).await;
    let user = Registration::new("sott@example.com", PASSWORD);

    // Not a SOTT at all.
    expect_code(client.auth().register(&user, "not-a-sott*0123").await, 1049);
    // Sealed with another secret.
    let other_secret = client_builder(&emulator)
        .api_secret("another-secret-0000")
        .build()
        .unwrap();
    expect_code(
        client
            .auth()
            .register(&user, local_sott(&other_secret))
            .await,
        1049,
    );
    // Made for another API key.
    let other_key = client_builder(&emulator)
        .api_key("another-api-key")
        .build()
        .unwrap();
    expect_code(
        client.auth().register(&user, local_sott(&other_key)).await,
        1049,
    );
    // A window long past.
    let expired = client
        .local_sott_between("2020/01/01 10:00:00", "2020/01/01 10:10:00")
        .unwrap();
    expect_code(client.auth().register(&user, expired).await, 1049);
    // A window that has not started.
    let future = client
        .local_sott_between("2099/01/01 10:00:00", "2099/01/01 10:10:00")
        .unwrap();
    expect_code(client.auth().register(&user, future).await, 1049);

    // None of them created the user; a good SOTT does.
    expect_code(client.account().by_email("sott@example.com").await, 938);
    client
        .auth()
        .register(&user, local_sott(&client))
        .await
        .expect("a good SOTT registers");
}

#[tokio::test]
async fn a_sott_is_refused_with_1049_once_its_window_has_passed() {
    let (emulator, client) = emulator(config(EmailVerification::Disabled)).await;
    let sott = client.local_sott(Duration::from_secs(600)).unwrap();
    emulator.advance_clock(Duration::from_secs(11 * 60));
    expect_code(
        client
            .auth()
            .register(&Registration::new("late@example.com", PASSWORD), sott)
            .await,
        1049,
    );
}

#[tokio::test]
async fn registering_a_taken_email_is_refused_with_936() {
    let (_emulator, client) =
        emulator(config(EmailVerification::Disabled).with_user(user("taken@example.com"))).await;
    let again = Registration::new("taken@example.com", PASSWORD);
    expect_code(
        client.auth().register(&again, local_sott(&client)).await,
        936,
    );
    // Email addresses match case-insensitively.
    let shouting = Registration::new("TAKEN@Example.com", PASSWORD);
    expect_code(
        client.auth().register(&shouting, local_sott(&client)).await,
        936,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_registrations_of_one_email_create_exactly_one_user() {
    let (_emulator, client) = emulator(config(EmailVerification::Disabled)).await;
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let sott = local_sott(&client);
                client
                    .auth()
                    .register(&Registration::new("race@example.com", PASSWORD), sott)
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for attempt in attempts {
        match attempt.await.expect("the task finishes") {
            Ok(_) => created += 1,
            Err(e) => assert_eq!(e.code(), Some(936), "a losing registration is 936: {e}"),
        }
    }
    assert_eq!(created, 1, "exactly one registration wins");
    // And many different users register side by side.
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let sott = local_sott(&client);
                client
                    .auth()
                    .register(
                        &Registration::new(format!("user{i}@example.com"), PASSWORD),
                        sott,
                    )
                    .await
            })
        })
        .collect();
    for attempt in attempts {
        attempt
            .await
            .expect("the task finishes")
            .expect("each registers");
    }
}

/// A well-formed 24-hour SOTT whose window ended twelve hours ago must be refused like any
/// expired SOTT. The emulator also reads windows whose hours are all 00–12 as twelve hours later
/// (to accept the Python SDK's 12-hour `get_sott`), which makes every morning SOTT valid again
/// in the evening.
#[tokio::test]
async fn a_sott_window_that_ended_twelve_hours_ago_is_refused_with_1049() {
    let (emulator, client) = emulator(config(EmailVerification::Disabled)).await;
    // Move the emulator's clock to 15:00 UTC tomorrow, so the test does not depend on the time
    // of day it runs at.
    let now = time::OffsetDateTime::now_utc();
    let afternoon = (now.date() + time::Duration::days(1))
        .with_hms(15, 0, 0)
        .unwrap()
        .assume_utc();
    emulator.advance_clock((afternoon - now).try_into().unwrap());
    let window = |from: time::OffsetDateTime, minutes: i64| {
        let format =
            time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
        let to = from + time::Duration::minutes(minutes);
        client
            .local_sott_between(&from.format(&format).unwrap(), &to.format(&format).unwrap())
            .unwrap()
    };
    let user = Registration::new("late@example.com", PASSWORD);

    // 02:59–03:09 UTC today, written in 24-hour time: over for twelve hours at 15:00.
    let this_morning = window(
        afternoon - time::Duration::hours(12) - time::Duration::minutes(1),
        10,
    );
    expect_code(client.auth().register(&user, this_morning).await, 1049);
    // 14:59–15:09 UTC works.
    let current = window(afternoon - time::Duration::minutes(1), 10);
    client
        .auth()
        .register(&user, current)
        .await
        .expect("a current SOTT registers");
}
