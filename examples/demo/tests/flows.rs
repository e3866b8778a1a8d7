//! Flows over plain HTTP against the emulator: the first MFA login of a site that requires MFA
//! (QR code and manual code, then the 6-digit code), and the pages' error messages.

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
