//! The demo in headless Chromium (Debian `chromium` and `chromium-driver`), driven with
//! fantoccini: register, follow the verification link from the emulator's outbox, log in,
//! enable MFA and log in again with a TOTP code, change the password, create and read a
//! custom object, sign in by email link, sign in with a phone and a texted code, turn SMS and
//! email codes on and sign in with each as second factor (codes read from the outbox), be
//! refused the roles page as a normal user and allowed as the admin, log out; then, on a site
//! that asks for consent at sign-in, tick the consent page's boxes once and sign in without it
//! the next time. Screenshots of the main pages go to `target/screenshots/`.

mod support;

use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use loginradius_emulator::message_kind;
use loginradius_emulator::{EmulatorConfig, SeedUser};
use support::{PASSWORD, start_demo, start_demo_with, totp, unique_email};

/// The seeded user who signs in with a phone and turns SMS and email codes on and off.
const PHONE_USER: &str = "phil@example.com";
/// Phil's phone number (sign-in by texted code).
const PHONE: &str = "+15550100042";
/// The number Phil's SMS second-factor codes go to.
const MFA_PHONE: &str = "+15550100043";

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port, killed (by its own pid) when dropped.
struct Driver {
    child: Child,
    url: String,
    profile: PathBuf,
}

impl Driver {
    fn start() -> Self {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "{CHROMEDRIVER} is missing: install Chromium and its driver with \
             `apt-get install -y chromium chromium-driver` (.ci/run does it)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile =
            std::env::temp_dir().join(format!("demo-chromium-{}-{port}", std::process::id()));
        Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile,
        }
    }

    async fn browser(&self) -> Client {
        let _ = std::fs::remove_dir_all(&self.profile);
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--window-size=1280,1000".to_owned(),
            format!("--user-data-dir={}", self.profile.display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "args": args, "binary": "/usr/bin/chromium" }),
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match ClientBuilder::rustls()
                .expect("rustls")
                .capabilities(caps.clone())
                .connect(&self.url)
                .await
            {
                Ok(client) => return client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no browser session from chromedriver: {e}"),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page in the browser, with the site's base URL.
struct Site {
    c: Client,
    base: String,
}

impl Site {
    async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.c.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks `css`, which leaves the page (every click of the journey submits a form or follows
    /// a link), and waits until the browser shows a new document. Without the wait, a form
    /// posting back to its own path (`/profile` to `/profile`) could let the next step read the
    /// old page. The old document is marked before the click; a new one has no mark.
    async fn click(&self, css: &str) {
        const MARKED: &str = "return window.__clicked_here === true";
        self.c
            .execute("window.__clicked_here = true", vec![])
            .await
            .unwrap();
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            // While the browser navigates, a script may fail; that is "not yet".
            let marked = self.c.execute(MARKED, vec![]).await;
            if matches!(marked, Ok(serde_json::Value::Bool(false))) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "clicking {css} did not leave the page: {marked:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn path(&self) -> String {
        self.c.current_url().await.unwrap().path().to_owned()
    }

    /// Waits until the browser is on `path`, and returns the full URL.
    async fn wait_path(&self, path: &str) -> url::Url {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let url = self.c.current_url().await.unwrap();
            if url.path() == path
                && self
                    .c
                    .execute("return document.readyState", vec![])
                    .await
                    .unwrap()
                    == "complete"
            {
                return url;
            }
            assert!(
                Instant::now() < deadline,
                "still on {url} instead of {path}: {}",
                self.c.source().await.unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// How many elements match `css` on the page.
    async fn rows(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    async fn flash(&self) -> String {
        self.text("#flash").await
    }

    async fn login(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("#login").await;
    }

    async fn logout(&self) {
        self.click("#logout").await;
        self.wait_path("/").await;
        assert!(self.flash().await.contains("signed out"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_in_a_real_browser() {
    let running = start_demo(vec![SeedUser::new(PHONE_USER, PASSWORD).phone(PHONE)]).await;
    let emulator = running.emulator.as_ref().unwrap();
    let driver = Driver::start();
    let site = Site {
        c: driver.browser().await,
        base: running.url.clone(),
    };
    // Whatever happens, close the browser session (Chromium exits) before reporting.
    let result = AssertUnwindSafe(async {
        journey(&site, emulator, &running.url).await?;
        consent_journey(&site.c).await
    })
    .catch_unwind()
    .await;
    let _ = site.c.clone().close().await;
    drop(driver);
    running.shutdown().await;
    match result {
        Ok(outcome) => outcome.unwrap(),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

async fn journey(
    site: &Site,
    emulator: &loginradius_emulator::Emulator,
    base: &str,
) -> Result<(), String> {
    let email = unique_email("browser");
    let new_password = "Brand-New-Pass-4";

    // Home and registration.
    site.goto("/").await;
    site.shot("01-home").await;
    site.goto("/register").await;
    site.fill("#first_name", "Grace").await;
    site.fill("#last_name", "Hopper").await;
    site.fill("#email", &email).await;
    site.fill("#password", PASSWORD).await;
    site.fill("#confirm_password", PASSWORD).await;
    site.shot("02-register").await;
    site.click("#register").await;
    site.wait_path("/login").await;
    assert!(site.flash().await.contains("verification link"));

    // Not verified yet: login is refused with a clear message.
    site.login(&email, PASSWORD).await;
    site.wait_path("/login").await;
    let flash = site.flash().await;
    assert!(flash.contains("not verified"), "{flash}");

    // The verification link, clicked in the emulator's outbox page.
    let message = emulator
        .last_message_to(&email)
        .expect("a verification email");
    assert_eq!(message.kind, message_kind::EMAIL_VERIFICATION);
    site.c
        .goto(&format!("{}/emulator", emulator.base_url()))
        .await
        .unwrap();
    let link = site
        .c
        .find(Locator::Css(&format!("a[href^=\"{base}/verify-email#\"]")))
        .await
        .expect("the outbox shows the link");
    link.click().await.unwrap();
    let landed = site.wait_path("/login").await;
    assert_eq!(
        landed.fragment(),
        None,
        "the token is gone from the address bar"
    );
    assert_eq!(landed.query(), None);
    let flash = site.flash().await;
    assert!(flash.contains("verified"), "{flash}");

    // Log in.
    site.login(&email, PASSWORD).await;
    site.wait_path("/profile").await;
    assert_eq!(
        site.text("#profile-email").await,
        format!("{email} verified")
    );
    assert!(site.text("#profile-name").await.contains("Grace Hopper"));
    site.shot("03-profile").await;

    // A normal user is refused the roles page.
    site.goto("/admin/roles").await;
    let refusal = site.text("#error-message").await;
    assert!(refusal.contains("admin role"), "{refusal}");
    assert!(site.c.source().await.unwrap().contains("403"));
    site.shot("04-roles-refused").await;

    // Enable MFA with the manual entry code.
    site.goto("/profile/mfa").await;
    site.shot("05-mfa-setup").await;
    let manual = site.text("#manual-code").await;
    site.fill("#code", &totp(&manual)).await;
    site.click("#mfa-enable").await;
    site.wait_path("/profile/mfa").await;
    let flash = site.flash().await;
    assert!(flash.contains("is on"), "{flash}");
    assert!(site.text("#mfa-status").await.contains("set up"));
    site.logout().await;

    // Log in again: password, then a TOTP code.
    site.login(&email, PASSWORD).await;
    site.wait_path("/login/mfa").await;
    site.shot("06-mfa-login").await;
    site.fill("#code", &totp(&manual)).await;
    site.click("#verify").await;
    site.wait_path("/profile").await;
    assert!(site.flash().await.contains("two factors"));

    // Change the password.
    site.fill("#old_password", PASSWORD).await;
    site.fill("#new_password", new_password).await;
    site.click("#change-password").await;
    site.wait_path("/profile").await;
    let flash = site.flash().await;
    assert!(flash.contains("password is changed"), "{flash}");

    // Update the account.
    site.fill("#about", "Wrote the first compiler.").await;
    site.click("#update").await;
    site.wait_path("/profile").await;
    assert!(site.flash().await.contains("updated"));
    assert!(
        site.c
            .source()
            .await
            .unwrap()
            .contains("Wrote the first compiler.")
    );

    // The re-authentication page (where sensitive forms send a stale session): with MFA on,
    // the password alone is not enough; a code from the app confirms and returns to `next`.
    site.goto("/reauth?next=/profile/mfa").await;
    site.shot("07b-reauth").await;
    site.fill("#reauth-password", new_password).await;
    site.click("#reauth-submit").await;
    site.wait_path("/reauth").await;
    let flash = site.flash().await;
    assert!(flash.contains("authenticator app"), "{flash}");
    site.fill("#reauth-code", &totp(&manual)).await;
    site.click("#reauth-submit").await;
    site.wait_path("/profile/mfa").await;
    let flash = site.flash().await;
    assert!(flash.contains("Confirmed"), "{flash}");

    // Create and read a custom object.
    site.goto("/profile/custom-objects").await;
    site.fill("#new-data", r#"{"title": "browser note", "stars": 5}"#)
        .await;
    site.click("#create").await;
    site.wait_path("/profile/custom-objects").await;
    let flash = site.flash().await;
    assert!(flash.contains("created"), "{flash}");
    let data = site.text(".record-data").await;
    let stored: serde_json::Value =
        serde_json::from_str(&data).map_err(|e| format!("{e}: {data}"))?;
    assert_eq!(stored["title"], "browser note");
    assert_eq!(stored["stars"], 5);
    site.shot("07-custom-objects").await;

    // The new password works (and MFA still applies).
    site.logout().await;
    site.login(&email, PASSWORD).await;
    site.wait_path("/login").await;
    assert!(site.flash().await.contains("wrong"));
    site.login(&email, new_password).await;
    site.wait_path("/login/mfa").await;
    site.fill("#code", &totp(&manual)).await;
    site.click("#verify").await;
    site.wait_path("/profile").await;
    site.logout().await;

    // Passwordless login: the emailed link (token in the fragment) is the first factor; the
    // address bar keeps no token.
    site.goto("/passwordless").await;
    site.fill("#email", &email).await;
    site.click("#send").await;
    site.wait_path("/passwordless").await;
    assert!(site.flash().await.contains("on its way"));
    let message = emulator.last_message_to(&email).expect("a sign-in email");
    assert_eq!(message.kind, message_kind::PASSWORDLESS_LOGIN);
    let link = message.link.expect("a link");
    assert!(
        link.starts_with(&format!("{base}/passwordless/verify#")),
        "{link}"
    );
    site.c.goto(&link).await.unwrap();
    // The account has the authenticator app: the link alone is no session (the attack of
    // issue 19); the second step follows.
    let step = site.wait_path("/login/mfa").await;
    assert_eq!(step.fragment(), None);
    site.goto("/profile/mfa").await;
    site.wait_path("/login").await;
    site.goto("/login/mfa").await;
    site.wait_path("/login/mfa").await;
    site.fill("#code", &totp(&manual)).await;
    site.click("#verify").await;
    site.wait_path("/profile").await;
    site.logout().await;

    phone_and_code_factors(site, emulator).await;

    // The admin may manage roles: create one, give it to the new user, look it up.
    site.login("admin@example.com", "password123").await;
    site.wait_path("/profile").await;
    site.goto("/admin/roles").await;
    let roles = site.text("#roles").await;
    assert!(
        roles.contains("admin") && roles.contains("editor"),
        "{roles}"
    );
    site.fill("#role-name", "tester").await;
    site.fill("#role-permissions", "run_tests, read_reports")
        .await;
    site.click("#role-create").await;
    site.wait_path("/admin/roles").await;
    assert!(site.flash().await.contains("Role tester created"));
    site.fill("#assign-email", &email).await;
    site.c
        .find(Locator::Css(
            "#assign-role option[value='tester'], #assign-role",
        ))
        .await
        .unwrap();
    site.c
        .execute(
            "document.getElementById('assign-role').value = 'tester'; return true;",
            vec![],
        )
        .await
        .unwrap();
    site.click("#role-assign").await;
    // The confirmation shows the uid and the stored email it will change before it does.
    let confirm = site.text("#assign-confirm").await;
    assert!(
        confirm.contains(&email) && confirm.contains("tester"),
        "{confirm}"
    );
    assert!(!site.text("#assign-uid").await.trim().is_empty());
    site.shot("08-roles-confirm").await;
    site.click("#role-assign-confirm").await;
    site.wait_path("/admin/roles").await;
    let flash = site.flash().await;
    assert!(
        flash.contains("assigned") && flash.contains("uid"),
        "{flash}"
    );
    site.fill("#lookup-email", &email).await;
    site.click("#role-lookup").await;
    let lookup = site.text("#lookup-roles").await;
    assert!(lookup.contains("tester"), "{lookup}");
    site.shot("08-roles-admin").await;

    // Sessions: two more sign-ins of the admin, as from other browsers (cookies dropped). The
    // sessions page, linked from the profile, lists the three and marks this one; one other is
    // ended, then all others.
    for _ in 0..2 {
        site.c.delete_all_cookies().await.unwrap();
        site.login("admin@example.com", "password123").await;
        site.wait_path("/profile").await;
    }
    site.click("#sessions-link").await;
    site.wait_path("/profile/sessions").await;
    assert_eq!(site.rows("#sessions tr.session").await, 3);
    assert_eq!(site.rows("#sessions tr.session.current").await, 1);
    let current = site.text("#sessions tr.session.current").await;
    assert!(
        current.contains("this one") && current.contains("UTC"),
        "{current}"
    );
    site.shot("10-sessions").await;
    site.click("#sessions tr.session:not(.current) button.end-session")
        .await;
    site.wait_path("/profile/sessions").await;
    let flash = site.flash().await;
    assert!(flash.contains("session is ended"), "{flash}");
    assert_eq!(site.rows("#sessions tr.session").await, 2);
    site.click("#end-others").await;
    site.wait_path("/profile/sessions").await;
    let flash = site.flash().await;
    assert!(flash.contains("1 other session ended"), "{flash}");
    assert_eq!(site.rows("#sessions tr.session").await, 1);
    assert_eq!(site.rows("#sessions tr.session.current").await, 1);

    // Log out: the profile now sends to the login page, with a local `next`.
    site.logout().await;
    site.goto("/profile").await;
    let url = site.wait_path("/login").await;
    assert_eq!(url.query(), Some("next=/profile"));
    site.shot("09-login").await;
    assert_eq!(site.path().await, "/login");
    Ok(())
}

/// A demo whose site asks for consent at sign-in: the consent page after the password, a box
/// ticked, signed in; the next sign-in goes straight to the profile.
async fn consent_journey(c: &Client) -> Result<(), String> {
    const CORA: &str = "cora@example.com";
    let running = start_demo_with(
        EmulatorConfig::default()
            .with_login_consent()
            .with_user(SeedUser::new(CORA, PASSWORD)),
    )
    .await;
    let site = Site {
        c: c.clone(),
        base: running.url.clone(),
    };
    site.login(CORA, PASSWORD).await;
    site.wait_path("/login/consent").await;
    site.shot("10-consent").await;
    site.c
        .find(Locator::Css("#consent-email_consent"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    site.click("#consent-continue").await;
    site.wait_path("/profile").await;
    let flash = site.flash().await;
    assert!(flash.contains("signed in"), "{flash}");
    site.logout().await;
    site.login(CORA, PASSWORD).await;
    site.wait_path("/profile").await;
    site.logout().await;
    running.shutdown().await;
    Ok(())
}

/// The newest one-time code of `kind` sent to `to`, from the emulator's outbox.
fn outbox_code(emulator: &loginradius_emulator::Emulator, to: &str, kind: &str) -> String {
    emulator
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m.to.eq_ignore_ascii_case(to) && m.kind == kind)
        .and_then(|m| m.otp)
        .unwrap_or_else(|| panic!("no {kind} code to {to} in the outbox"))
}

/// "Sign in with your phone" with a texted code; SMS and email codes turned on from the MFA
/// page, each then used as second factor after a password sign-in ("send me a code"); both
/// turned off again.
async fn phone_and_code_factors(site: &Site, emulator: &loginradius_emulator::Emulator) {
    // Sign in with the phone: text a code, type it.
    site.goto("/login").await;
    site.click("#phone-link").await;
    site.wait_path("/phone").await;
    site.fill("#phone", PHONE).await;
    site.click("#send-code").await;
    site.wait_path("/phone").await;
    assert!(site.flash().await.contains("on its way"));
    let code = outbox_code(emulator, PHONE, message_kind::SMS_PASSWORDLESS_LOGIN);
    site.fill("#login-phone", PHONE).await;
    site.fill("#phone-code", &code).await;
    site.shot("10-phone-login").await;
    site.click("#phone-login").await;
    site.wait_path("/profile").await;
    assert!(site.flash().await.contains("signed in with your phone"));

    // Turn on email codes, then SMS codes, from the MFA page.
    site.goto("/profile/mfa").await;
    assert!(site.text("#sms-status").await.contains("off"));
    assert!(site.text("#email-status").await.contains("off"));
    site.click("#email-send").await;
    site.wait_path("/profile/mfa").await;
    let flash = site.flash().await;
    assert!(flash.contains("on its way"), "{flash}");
    let code = outbox_code(emulator, PHONE_USER, message_kind::EMAIL_SECOND_FACTOR);
    site.fill("#email-code", &code).await;
    site.click("#email-enable").await;
    site.wait_path("/profile/mfa").await;
    let flash = site.flash().await;
    assert!(flash.contains("Email codes are on"), "{flash}");
    site.fill("#sms-phone", MFA_PHONE).await;
    site.click("#sms-send").await;
    site.wait_path("/profile/mfa").await;
    let code = outbox_code(emulator, MFA_PHONE, message_kind::SMS_SECOND_FACTOR);
    site.fill("#sms-code", &code).await;
    site.click("#sms-enable").await;
    site.wait_path("/profile/mfa").await;
    let flash = site.flash().await;
    assert!(flash.contains("SMS codes are on"), "{flash}");
    assert!(site.text("#sms-status").await.contains("on"));
    assert!(site.text("#email-status").await.contains("on"));
    site.shot("11-code-factors").await;
    site.logout().await;

    // Password sign-in: the MFA page offers both; an emailed code signs in.
    site.login(PHONE_USER, PASSWORD).await;
    site.wait_path("/login/mfa").await;
    site.text("#send-sms").await;
    site.click("#send-email").await;
    site.wait_path("/login/mfa").await;
    assert!(site.flash().await.contains("on its way"));
    let code = outbox_code(emulator, PHONE_USER, message_kind::EMAIL_SECOND_FACTOR);
    site.c
        .execute(
            "document.getElementById('method').value = 'email'; return true;",
            vec![],
        )
        .await
        .unwrap();
    site.fill("#code", &code).await;
    site.shot("12-mfa-methods").await;
    site.click("#verify").await;
    site.wait_path("/profile").await;
    assert!(site.flash().await.contains("two factors"));
    site.logout().await;

    // And a texted code, after signing in with the phone: the second factor still applies.
    site.goto("/phone").await;
    site.fill("#phone", PHONE).await;
    site.click("#send-code").await;
    site.wait_path("/phone").await;
    let code = outbox_code(emulator, PHONE, message_kind::SMS_PASSWORDLESS_LOGIN);
    site.fill("#login-phone", PHONE).await;
    site.fill("#phone-code", &code).await;
    site.click("#phone-login").await;
    site.wait_path("/login/mfa").await;
    site.click("#send-sms").await;
    site.wait_path("/login/mfa").await;
    let code = outbox_code(emulator, MFA_PHONE, message_kind::SMS_SECOND_FACTOR);
    site.c
        .execute(
            "document.getElementById('method').value = 'sms'; return true;",
            vec![],
        )
        .await
        .unwrap();
    site.fill("#code", &code).await;
    site.click("#verify").await;
    site.wait_path("/profile").await;
    assert!(site.flash().await.contains("two factors"));

    // Both off: the next password sign-in is one step.
    site.goto("/profile/mfa").await;
    site.click("#sms-disable").await;
    site.wait_path("/profile/mfa").await;
    assert!(site.flash().await.contains("SMS codes are off"));
    site.click("#email-disable").await;
    site.wait_path("/profile/mfa").await;
    assert!(site.flash().await.contains("Email codes are off"));
    site.logout().await;
    site.login(PHONE_USER, PASSWORD).await;
    site.wait_path("/profile").await;
    site.logout().await;
}
