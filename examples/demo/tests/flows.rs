//! Flows over plain HTTP against the emulator: the first MFA login of a site that requires MFA
//! (QR code and manual code, then the 6-digit code), the consent page of a site that asks for
//! consent at sign-in, and the pages' error messages.

mod support;

use loginradius_emulator::{EmailVerification, EmulatorConfig, MfaMode, SeedUser};
use support::{Browser, PASSWORD, start_demo_with, text_of_id, totp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_login_on_a_site_that_requires_mfa_sets_up_the_authenticator() {
    let running = start_demo_with(
        EmulatorConfig::default()
            .with_mfa(MfaMode::Required)
            .with_email_verification(EmailVerification::Disabled)
            .with_user(SeedUser::new("mfa@example.com", PASSWORD)),
    )
    .await;
    let mut b = Browser::new(&running.url);

    // The MFA page without a pending login sends back to the password step.
    let page = b.get("/login/mfa").await;
    assert_eq!(page.location.as_deref(), Some("/login"));

    let page = b
        .post(
            "/login",
            &[
                ("email", "mfa@example.com"),
                ("password", PASSWORD),
                ("next", "/profile/mfa"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/login/mfa"));
    assert_eq!(b.get("/profile").await.status, 303, "not signed in yet");
    let page = b.get("/login/mfa").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("class=\"qr\" src=\"data:image"),
        "QR code shown"
    );
    let manual = text_of_id(&page.body, "manual-code").expect("manual entry code");

    // A wrong code keeps the pending login and says why.
    let page = b.post("/login/mfa", &[("code", "000000")]).await;
    assert_eq!(page.location.as_deref(), Some("/login/mfa"));
    let page = b.get("/login/mfa").await;
    assert!(page.body.contains("the code is wrong"), "{}", page.body);

    let page = b.post("/login/mfa", &[("code", &totp(&manual))]).await;
    assert_eq!(
        page.location.as_deref(),
        Some("/profile/mfa"),
        "back where the login started"
    );
    let page = b.get("/profile").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("mfa@example.com"));
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_asks_for_consent_shows_its_options_once_then_signs_in() {
    let running = start_demo_with(
        EmulatorConfig::default()
            .with_login_consent()
            .with_email_verification(EmailVerification::Disabled)
            .with_user(SeedUser::new("cora@example.com", PASSWORD)),
    )
    .await;
    let emulator = running.emulator.as_ref().unwrap();
    let mut b = Browser::new(&running.url);

    // The consent page without a waiting sign-in sends back to the password step.
    let page = b.get("/login/consent").await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    let page = b
        .post("/login/consent", &[("accepted", "email_consent")])
        .await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(b.get("/profile").await.status, 303);

    let page = b
        .post(
            "/login",
            &[
                ("email", "cora@example.com"),
                ("password", PASSWORD),
                ("next", "/profile/sessions"),
            ],
        )
        .await;
    assert_eq!(
        page.location.as_deref(),
        Some("/login/consent?next=%2Fprofile%2Fsessions")
    );
    assert_eq!(b.get("/profile").await.status, 303, "not signed in yet");
    let page = b.get("/login/consent?next=%2Fprofile%2Fsessions").await;
    assert_eq!(page.status, 200);
    for id in ["email_consent", "sms_consent", "marketing_consent"] {
        assert!(
            page.body
                .contains(&format!("value=\"{id}\" id=\"consent-{id}\"")),
            "a checkbox for {id}: {}",
            page.body
        );
    }
    assert!(page.body.contains("Offers and news"));

    // Two boxes ticked: signed in, back where the sign-in started, the choices recorded.
    let page = b
        .post(
            "/login/consent",
            &[
                ("accepted", "email_consent"),
                ("accepted", "marketing_consent"),
                ("next", "/profile/sessions"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/profile/sessions"));
    assert_eq!(b.get("/profile").await.status, 200);
    let client = loginradius::LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let uid = client
        .account()
        .by_email("cora@example.com")
        .await
        .expect("the account")
        .uid;
    let logs = client
        .consent()
        .logs_of_user(&uid)
        .await
        .expect("consent logs");
    assert_eq!(logs.logs.len(), 1);

    // The next sign-in asks no more.
    let mut again = Browser::new(&running.url);
    again.login("cora@example.com", PASSWORD).await;
    running.shutdown().await;
}

/// A form post: path, fields, where it leads back, the expected message.
type Case = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static str,
    &'static str,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_explain_loginradius_errors() {
    let running = start_demo_with(
        EmulatorConfig::default()
            .with_demo_admin()
            .with_user(SeedUser::new("taken@example.com", PASSWORD)),
    )
    .await;
    let mut b = Browser::new(&running.url);
    let cases: [Case; 4] = [
        (
            "/login",
            vec![("email", "admin@example.com"), ("password", "nope")],
            "/login",
            "the email or password is wrong",
        ),
        (
            "/register",
            vec![
                ("email", "taken@example.com"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
            "/register",
            "already exists",
        ),
        (
            "/verify-email",
            vec![("token", "not-a-real-token")],
            "/verify-email",
            "the link is invalid, used or expired",
        ),
        (
            "/reset-password",
            vec![("token", "not-a-real-token"), ("password", PASSWORD)],
            "/reset-password",
            "the link is invalid, used or expired",
        ),
    ];
    for (path, fields, back, message) in cases {
        let page = b.post(path, &fields).await;
        assert_eq!(page.location.as_deref(), Some(back), "{path}");
        let page = b.get(back).await;
        let flash = text_of_id(&page.body, "flash").unwrap_or_default();
        assert!(flash.contains(message), "{path}: {flash}");
        // Shown once.
        assert!(text_of_id(&b.get(back).await.body, "flash").is_none());
    }
    running.shutdown().await;
}
