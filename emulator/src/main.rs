//! `loginradius-emulator`: runs the emulator until Ctrl-C or SIGTERM (then writes its state
//! when `--export-on-exit` is given).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
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
    /// The origin written into emailed links (default: the address it listens on).
    #[arg(long, env = "LOGINRADIUS_EMULATOR_PUBLIC_URL")]
    public_url: Option<String>,
    /// An origin (https://app.example.com) callers' verification, reset and delete links may
    /// point to, besides loopback; repeat for several.
    #[arg(
        long = "allow-link-origin",
        env = "LOGINRADIUS_EMULATOR_ALLOW_LINK_ORIGINS",
        value_delimiter = ','
    )]
    allow_link_origins: Vec<String>,
    /// Load users, roles, role contexts and custom objects from the state files in DIR (as
    /// written by --export-on-exit) at start.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_IMPORT", value_name = "DIR")]
    import: Option<PathBuf>,
    /// Write the state files into DIR (created if missing) on Ctrl-C or SIGTERM.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_EXPORT_ON_EXIT", value_name = "DIR")]
    export_on_exit: Option<PathBuf>,
    /// Load users (with passwords), roles and role contexts from a seed file at start.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_SEED", value_name = "FILE")]
    seed: Option<PathBuf>,
    /// Deterministic mode: ids, tokens and codes from a fixed-seed generator, OTP 123456, and a
    /// clock standing at 2030-01-01T00:00:00Z until moved.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_DETERMINISTIC")]
    deterministic: bool,
    /// Consent as a login step: a password sign-in of a user who has not accepted the current
    /// Login consent form answers error 1226 with a ConsentToken, to submit with
    /// POST /identity/v2/auth/consent?consentToken=.
    #[arg(long, env = "LOGINRADIUS_EMULATOR_LOGIN_CONSENT")]
    login_consent: bool,
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
    if let Some(url) = args.public_url {
        config = config.with_public_url(url);
    }
    for origin in args.allow_link_origins {
        config = config.with_allowed_link_origin(origin);
    }
    if let Some(dir) = args.import {
        config = config.with_import(dir);
    }
    if let Some(path) = args.seed {
        config = config.with_seed_file(path);
    }
    if args.deterministic {
        config = config.deterministic();
    }
    if args.login_consent {
        config = config.with_login_consent();
    }
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("loginradius-emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Listen before the banner: whoever reads it may signal at once.
    let stop = stop_signal();
    // A closed stdout (`| head`, a test that stopped reading) must not end the server.
    say(&banner(&emulator, default_secret, args.demo_data));
    stop.await;
    say("shutting down\n");
    let mut code = std::process::ExitCode::SUCCESS;
    if let Some(dir) = &args.export_on_exit {
        match emulator.export(dir) {
            Ok(()) => say(&format!("state written to {}\n", dir.display())),
            Err(e) => {
                eprintln!("loginradius-emulator: {e}");
                code = std::process::ExitCode::FAILURE;
            }
        }
    }
    emulator.shutdown().await;
    code
}

/// Listens for Ctrl-C (SIGINT) or, on Unix, SIGTERM from now on (a signal that arrives before
/// the returned future is awaited is not lost), and resolves when one arrives.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            if let (Ok(mut interrupt), Ok(mut terminate)) = (interrupt, terminate) {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            } else {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Writes `text` to stdout, ignoring a closed or failing stdout.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// The startup banner: the warning, the base URL, the credentials and the settings.
fn banner(emulator: &Emulator, default_secret: bool, demo_data: bool) -> String {
    let c = emulator.config();
    let mut text = String::from(
        "WARNING: the LoginRadius emulator is NOT FOR PRODUCTION (in-memory state, demo credentials).\n",
    );
    let mut line = |l: String| {
        text.push_str(&l);
        text.push('\n');
    };
    line(format!(
        "LoginRadius emulator listening on {}",
        emulator.base_url()
    ));
    line(format!("  API key:            {}", emulator.api_key()));
    line(if default_secret {
        format!(
            "  API secret:         {} (default demo secret)",
            emulator.api_secret()
        )
    } else {
        "  API secret:         (as configured)".to_owned()
    });
    if default_secret {
        line(
            "WARNING: the default API secret is public: anyone who reaches this port can call the \
             /manage API. Set --api-secret when it is not only you on this machine."
                .to_owned(),
        );
    }
    if !c.bind.ip().is_loopback() {
        line(format!(
            "WARNING: listening on {}, not loopback: other machines can reach the emulator.",
            c.bind
        ));
    }
    line(format!("  email verification: {}", c.email_verification));
    line(format!("  MFA:                {}", c.mfa));
    line(format!("  token TTL:          {} s", c.token_ttl.as_secs()));
    line(format!(
        "  request signing:    {}",
        if c.require_signing {
            "required on /manage"
        } else {
            "optional"
        }
    ));
    line(format!(
        "  outbox:             {}/emulator",
        emulator.base_url()
    ));
    if c.login_consent {
        line("  login consent:      asked at sign-in until the Login form is accepted".to_owned());
    }
    if c.deterministic {
        line("  deterministic:      fixed ids and codes; clock at 2030-01-01T00:00:00Z".to_owned());
    }
    if demo_data {
        line("  demo user:          admin@example.com / password123 (role admin)".to_owned());
    }
    text
}
