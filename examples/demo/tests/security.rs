//! Security behaviour of the demo over plain HTTP (no browser needed): CSRF refusals, the uid
//! always taken from the session, and no token or password in any URL the site hands out.

mod support;

use loginradius::LoginRadius;
use loginradius_emulator::{SeedUser, message_kind};
use support::{Browser, PASSWORD, start_demo, unique_email};

fn client_of(running: &demo::Running) -> LoginRadius {
    let emulator = running.emulator.as_ref().unwrap();
    LoginRadius::builder()
        .api_key(emulator.api_key())
        .api_secret(emulator.api_secret())
        .base_url(emulator.base_url())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_form_posts_without_the_csrf_token_are_refused() {
    let running = start_demo(vec![]).await;
    let mut b = Browser::new(&running.url);
    let login = [("email", "admin@example.com"), ("password", "password123")];

    // No CSRF cookie and no token at all (a forged form from another site, an old browser).
    let page = b.post_raw("/login", &login, &[]).await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("security token"), "{}", page.body);

    // The CSRF cookie is there (the victim visited the site) but the form has no token.
    b.get("/login").await;
    let page = b.post_raw("/login", &login, &[]).await;
    assert_eq!(page.status, 403);

    // A wrong token.
    let page = b
        .post_raw(
            "/login",
            &[
                ("email", "admin@example.com"),
                ("password", "password123"),
                ("csrf_token", "00"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, 403);

    // A real token, but the browser says the post comes from another site: tower-http's
    // cross-origin protection refuses it.
    let token = support::csrf_of(&b.get("/login").await.body);
    let forged = [
        ("email", "admin@example.com"),
        ("password", "password123"),
        ("csrf_token", token.as_str()),
    ];
    let page = b
        .post_raw(
            "/login",
            &forged,
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(page.status, 403);

    // Nothing above signed anyone in; the same form from the site itself does.
    assert_eq!(b.get("/profile").await.status, 303);
    b.login("admin@example.com", "password123").await;
    assert_eq!(b.get("/profile").await.status, 200);

    // Signed in, a cross-site logout or account update without the token is refused too.
    for path in ["/logout", "/profile/update", "/admin/roles/create"] {
        let page = b
            .post_raw(path, &[("first_name", "Mallory"), ("name", "evil")], &[])
            .await;
        assert_eq!(page.status, 403, "{path}");
    }
    assert_eq!(b.get("/profile").await.status, 200, "still signed in");
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_uid_in_a_form_changes_nothing() {
    let running = start_demo(vec![
        SeedUser::new("alice@example.com", PASSWORD)
            .uid("uid-alice")
            .name("Alice", "A"),
        SeedUser::new("bob@example.com", PASSWORD)
            .uid("uid-bob")
            .name("Bob", "B"),
    ])
    .await;
    let client = client_of(&running);
    let bob_record = client
        .custom_objects()
        .create_for_user("uid-bob", "notes", &serde_json::json!({"title": "bob's"}))
        .send()
        .await
        .unwrap();

    let mut b = Browser::new(&running.url);
    b.login("alice@example.com", PASSWORD).await;
    let bob = [
        ("uid", "uid-bob"),
        ("Uid", "uid-bob"),
        ("user_id", "uid-bob"),
    ];
    let with_bob = |fields: &[(&'static str, &'static str)]| {
        let mut v = fields.to_vec();
        v.extend_from_slice(&bob);
        v
    };

    let page = b
        .post(
            "/profile/update",
            &with_bob(&[
                ("first_name", "Mallory"),
                ("last_name", "M"),
                ("about", "x"),
            ]),
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/profile"));
    let page = b
        .post(
            "/profile/set-password",
            &with_bob(&[("password", "Pwned-by-alice-1")]),
        )
        .await;
    assert_eq!(page.status, 303);
    let page = b
        .post(
            "/profile/custom-objects/create",
            &with_bob(&[("object", "notes"), ("data", "{\"title\": \"alice's\"}")]),
        )
        .await;
    assert_eq!(page.status, 303);
    let record_id = bob_record.id.clone();
    let mut delete = with_bob(&[("object", "notes")]);
    delete.push(("record_id", Box::leak(record_id.into_boxed_str())));
    b.post("/profile/custom-objects/delete", &delete).await;
    b.post("/profile/mfa/reset", &bob).await;
    // A normal user cannot reach the role endpoints, whatever the form says.
    let page = b
        .post(
            "/admin/roles/assign",
            &with_bob(&[("email", "alice@example.com"), ("role", "admin")]),
        )
        .await;
    assert_eq!(page.status, 403);

    // Bob is untouched: name, password, his record; Alice got the changes.
    let bob_now = client.account().get("uid-bob").send().await.unwrap();
    assert_eq!(bob_now.first_name.as_deref(), Some("Bob"));
    let alice_now = client.account().get("uid-alice").send().await.unwrap();
    assert_eq!(alice_now.first_name.as_deref(), Some("Mallory"));
    client
        .auth()
        .login_by_email("bob@example.com", PASSWORD)
        .send()
        .await
        .expect("bob's password is unchanged");
    // Alice has a password: set password is refused (change it with the current one).
    client
        .auth()
        .login_by_email("alice@example.com", PASSWORD)
        .send()
        .await
        .expect("alice's password is unchanged");
    assert!(
        client
            .auth()
            .login_by_email("alice@example.com", "Pwned-by-alice-1")
            .send()
            .await
            .is_err()
    );
    let bobs = client
        .custom_objects()
        .list_for_user("uid-bob", "notes")
        .send()
        .await
        .unwrap();
    assert_eq!(
        bobs.records.len(),
        1,
        "bob's record survived and nothing was added"
    );
    assert_eq!(bobs.records[0].custom_object["title"], "bob's");
    let alices = client
        .custom_objects()
        .list_for_user("uid-alice", "notes")
        .send()
        .await
        .unwrap();
    assert_eq!(alices.records.len(), 1);
    let roles = client.roles().of_user("uid-alice").send().await.unwrap();
    assert!(!roles.roles.iter().any(|r| r == "admin"));
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_url_the_site_hands_out_carries_a_token_or_a_password() {
    let running = start_demo(vec![]).await;
    let emulator = running.emulator.as_ref().unwrap();
    let email = unique_email("links");
    let new_password = "Another-Secret-9";
    let mut b = Browser::new(&running.url);
    let mut secrets = vec![PASSWORD.to_owned(), new_password.to_owned()];

    // Register, then verify with the emailed link's token (posted, as the page does).
    let page = b
        .post(
            "/register",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
                ("first_name", "Link"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/login"), "{}", page.body);
    let message = emulator.last_message_to(&email).unwrap();
    assert_eq!(message.kind, message_kind::EMAIL_VERIFICATION);
    let link = message.link.unwrap();
    let token = message.token.unwrap();
    // The token rides in the fragment, which browsers never send to the server.
    assert!(
        link.starts_with(&format!("{}/verify-email#", running.url)),
        "{link}"
    );
    secrets.push(token.clone());
    b.get("/verify-email").await;
    let page = b.post("/verify-email", &[("token", &token)]).await;
    assert_eq!(page.location.as_deref(), Some("/login"));

    // Log in and browse the signed-in pages.
    b.login(&email, PASSWORD).await;
    for path in ["/", "/profile", "/profile/mfa", "/profile/custom-objects"] {
        assert_eq!(b.get(path).await.status, 200, "{path}");
    }
    b.post(
        "/profile/change-password",
        &[("old_password", PASSWORD), ("new_password", new_password)],
    )
    .await;
    b.post("/logout", &[]).await;

    // Forgot and reset password.
    let page = b.post("/forgot-password", &[("email", &email)]).await;
    assert_eq!(page.status, 303);
    let message = emulator.last_message_to(&email).unwrap();
    assert_eq!(message.kind, message_kind::RESET_PASSWORD);
    assert!(message.link.unwrap().contains("/reset-password#"));
    let reset = message.token.unwrap();
    secrets.push(reset.clone());
    b.get("/reset-password").await;
    let page = b
        .post(
            "/reset-password",
            &[("token", &reset), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/login"));

    // Passwordless login.
    b.post("/passwordless", &[("email", &email)]).await;
    let message = emulator.last_message_to(&email).unwrap();
    assert_eq!(message.kind, message_kind::PASSWORDLESS_LOGIN);
    assert!(message.link.unwrap().contains("/passwordless/verify#"));
    let sign_in = message.token.unwrap();
    secrets.push(sign_in.clone());
    b.get("/passwordless/verify").await;
    let page = b.post("/passwordless/verify", &[("token", &sign_in)]).await;
    assert_eq!(page.location.as_deref(), Some("/profile"));
    assert_eq!(b.get("/profile").await.status, 200);

    // A signed-out visit to a page remembers where to go back, and nothing else.
    b.post("/logout", &[]).await;
    let page = b.get("/profile/custom-objects?object=notes").await;
    assert_eq!(page.status, 303);

    assert!(b.seen_urls.len() > 50, "{}", b.seen_urls.len());
    for url in &b.seen_urls {
        let lower = url.to_ascii_lowercase();
        for secret in &secrets {
            assert!(!url.contains(secret.as_str()), "{url} carries a secret");
        }
        for word in ["token", "password="] {
            assert!(!lower.contains(word), "{url} mentions {word}");
        }
    }
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_a_password_gets_a_429_page_that_says_when_to_try_again() {
    let email = unique_email("guessed");
    let running = start_demo(vec![SeedUser::new(&email, PASSWORD)]).await;
    let mut b = Browser::new(&running.url);
    // The first wrong passwords go back to the login form with a message.
    for _ in 0..5 {
        let page = b
            .post(
                "/login",
                &[("email", &email), ("password", "not-the-password-1")],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
    }
    // Then the site slows the guessing down: a 429 page with Retry-After, even for the right
    // password, and no session.
    for password in ["not-the-password-1", PASSWORD] {
        let response = b
            .http
            .post(format!("{}/login", running.url))
            .header("accept", "text/html")
            .header("origin", &running.url)
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("email", email.as_str()),
                ("password", password),
                ("csrf_token", &support::csrf_of(&b.get("/login").await.body)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
        let retry: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        let body = response.text().await.unwrap();
        assert!(body.contains("Too many attempts"), "{body}");
        assert!(body.contains(&format!("try again in {retry} s")), "{body}");
    }
    let profile = b.get("/profile").await;
    assert_eq!(profile.status, 303, "still signed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_password_is_refused_for_an_account_that_has_one() {
    let email = unique_email("haspw");
    let running = start_demo(vec![SeedUser::new(&email, PASSWORD)]).await;
    let mut b = Browser::new(&running.url);
    b.login(&email, PASSWORD).await;
    let page = b
        .post(
            "/profile/set-password",
            &[("password", "Another-password-9")],
        )
        .await;
    assert_eq!(page.status, 303);
    let profile = b.get("/profile").await;
    assert!(
        profile.body.contains("already has a password"),
        "{}",
        profile.body
    );
    let mut other = Browser::new(&running.url);
    other.login(&email, PASSWORD).await;
}
