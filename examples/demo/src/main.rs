//! `cargo run -p demo`: the demo site on http://127.0.0.1:5000.
//!
//! Without configuration it starts the LoginRadius emulator in-process (an `admin@example.com`
//! / `password123` admin seeded; email verification and MFA optional) and prints its outbox
//! page. With `LOGINRADIUS_API_KEY` and `LOGINRADIUS_API_SECRET` set it talks to LoginRadius
//! (`LoginRadius::from_env`). `DEMO_BIND` changes the address (default `127.0.0.1:5000`);
//! `DEMO_PUBLIC_URL` is the site's public origin with the real service (where email links lead);
//! `DEMO_EMAIL_VERIFICATION` and `DEMO_MFA` (`required`, `optional`, `disabled`) change the
//! emulator's site settings; `DEMO_LOGIN_CONSENT=1` makes the emulator ask for consent at
//! sign-in (the consent page) until a user accepts its `Login` form.
//!
//! Several replicas (see `demo::fleet`): `DEMO_SESSION_KEY` (128 hex digits) is the cookie key
//! they share, `DEMO_REDIS_URL` their shared state, and with a LoginRadius configured,
//! `DEMO_PUBLIC_URL` is where the demo subscribes its webhook receiver at start.

use std::net::SocketAddr;

use loginradius::LoginRadius;
use loginradius_emulator::{EmailVerification, EmulatorConfig, MfaMode, SeedUser};

/// The seeded user with a phone number, for "Sign in with your phone".
const DEMO_PHONE_USER: &str = "phone@example.com";
/// That user's phone number.
const DEMO_PHONE: &str = "+15550100001";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,demo=info".into()),
        )
        .init();
    let bind: SocketAddr = std::env::var("DEMO_BIND")
        .unwrap_or_else(|_| "127.0.0.1:5000".to_owned())
        .parse()?;
    let fleet = match demo::FleetOptions::from_env().await {
        Ok(fleet) => fleet,
        Err(e) => {
            eprintln!("demo: {e}");
            std::process::exit(2);
        }
    };
    let configured = std::env::var_os("LOGINRADIUS_API_KEY").is_some()
        && std::env::var_os("LOGINRADIUS_API_SECRET").is_some();
    let running = if configured {
        let client = LoginRadius::from_env()?;
        let public_url = std::env::var("DEMO_PUBLIC_URL").ok();
        let running =
            demo::start_replica(client.clone(), bind, public_url.clone(), None, fleet).await?;
        if let Some(public_url) = &public_url {
            let made = demo::fleet::subscribe_webhooks(&client, public_url).await?;
            println!(
                "  webhooks:     {public_url}{} ({made} new subscriptions)",
                demo::fleet::WEBHOOK_PATH
            );
        }
        println!(
            "loginradius-rs demo on {} (LoginRadius site {})",
            running.url,
            std::env::var("LOGINRADIUS_API_KEY").unwrap_or_default()
        );
        running
    } else {
        let verification: EmailVerification =
            env_or("DEMO_EMAIL_VERIFICATION", EmailVerification::Optional)?;
        let mfa: MfaMode = env_or("DEMO_MFA", MfaMode::Optional)?;
        let config = EmulatorConfig::default()
            .with_demo_admin()
            .with_user(
                SeedUser::new(DEMO_PHONE_USER, "password123")
                    .name("Phil", "Phone")
                    .phone(DEMO_PHONE),
            )
            .with_email_verification(verification)
            .with_mfa(mfa);
        let login_consent = matches!(
            std::env::var("DEMO_LOGIN_CONSENT").as_deref(),
            Ok("1" | "true" | "yes")
        );
        let config = if login_consent {
            config.with_login_consent()
        } else {
            config
        };
        let running = demo::start_replica_with_emulator(config, bind, fleet).await?;
        let emulator = running
            .emulator
            .as_ref()
            .map(|e| e.base_url().to_owned())
            .unwrap_or_default();
        println!("loginradius-rs demo on {}", running.url);
        println!("  admin login:  admin@example.com / password123 (role admin)");
        println!(
            "  phone login:  {DEMO_PHONE} at /phone ({DEMO_PHONE_USER} / password123; the texted code is in the outbox)"
        );
        println!("  outbox:       {emulator}/emulator  (verification, reset and sign-in links)");
        println!(
            "  emulator:     {emulator} (email verification {verification}, MFA {mfa}; not for production)"
        );
        if login_consent {
            println!("  consent:      asked at sign-in until the Login form is accepted");
        }
        running
    };
    tokio::select! {
        () = running_wait(running) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

async fn running_wait(running: demo::Running) {
    running.wait().await;
}

fn env_or<T: std::str::FromStr<Err = String>>(
    name: &str,
    default: T,
) -> Result<T, Box<dyn std::error::Error + Send + Sync>> {
    match std::env::var(name) {
        Ok(v) => Ok(v.parse().map_err(|e: String| format!("{name}: {e}"))?),
        Err(_) => Ok(default),
    }
}
