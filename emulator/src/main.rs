//! `loginradius-emulator`: runs the emulator until Ctrl-C.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use loginradius_emulator::{
    DEFAULT_API_KEY, DEFAULT_API_SECRET, EmailVerification, Emulator, EmulatorConfig, MfaMode,
};

/// A local LoginRadius-compatible server for development and tests. NOT FOR PRODUCTION.
#[derive(Debug, Parser)]
#[command(name = "loginradius-emulator", version, about)]
struct Args {
    /// Address to listen on.
    #[arg(
        long,
        env = "LOGINRADIUS_EMULATOR_BIND",
        default_value = "127.0.0.1:8787"
    )]
    bind: SocketAddr,
    /// API key to accept.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_API_KEY", default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// API secret to accept.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_API_SECRET", default_value = DEFAULT_API_SECRET, hide_default_value = true)]
    api_secret: String,
    /// Email verification: required, optional or disabled.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_EMAIL_VERIFICATION", value_enum, default_value_t = EmailVerification::Required)]
    email_verification: EmailVerification,
    /// Multi-factor authentication: disabled, optional or required.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_MFA", value_enum, default_value_t = MfaMode::Optional)]
    mfa: MfaMode,
    /// Access-token lifetime in seconds.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_TOKEN_TTL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    token_ttl: u64,
    /// Refuse /identity/v2/manage calls that are not request-signed.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_REQUIRE_SIGNING")]
    require_signing: bool,
    /// Seed the demo data: roles admin and editor, user admin@example.com / password123 (admin).
    #[arg(long, env = "LOGINRADIUS_EMULATOR_DEMO_DATA")]
    demo_data: bool,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let default_secret = args.api_secret == DEFAULT_API_SECRET;
    let mut config = EmulatorConfig::default()
        .with_bind(args.bind)
        .with_credentials(args.api_key, args.api_secret)
        .with_email_verification(args.email_verification)
        .with_mfa(args.mfa)
        .with_token_ttl(Duration::from_secs(args.token_ttl))
        .with_required_signing(args.require_signing);
    if args.demo_data {
        config = config.with_demo_admin();
    }
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("loginradius-emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let c = emulator.config();
    println!(
        "WARNING: the LoginRadius emulator is NOT FOR PRODUCTION (in-memory state, demo credentials)."
    );
    println!("LoginRadius emulator listening on {}", emulator.base_url());
    println!("  API key:            {}", emulator.api_key());
    if default_secret {
        println!(
            "  API secret:         {} (default demo secret)",
            emulator.api_secret()
        );
    } else {
        println!("  API secret:         (as configured)");
    }
    println!("  email verification: {}", c.email_verification);
    println!("  MFA:                {}", c.mfa);
    println!("  token TTL:          {} s", c.token_ttl.as_secs());
    println!(
        "  request signing:    {}",
        if c.require_signing {
            "required on /manage"
        } else {
            "optional"
        }
    );
    println!("  outbox:             {}/emulator", emulator.base_url());
    if args.demo_data {
        println!("  demo user:          admin@example.com / password123 (role admin)");
    }
    let _ = tokio::signal::ctrl_c().await;
    println!("shutting down");
    emulator.shutdown().await;
    std::process::ExitCode::SUCCESS
}
