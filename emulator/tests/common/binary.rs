//! Drives the `loginradius-emulator` binary: start it, read its banner, stop it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The running binary; killed when dropped.
pub struct Child(pub std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and reads what it prints until the `listening on` line.
pub fn start(args: &[&str], env: &[(&str, &str)]) -> (Child, String, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loginradius-emulator"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = Child(cmd.spawn().expect("binary starts"));
    let stdout = child.0.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let mut base = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut reader = BufReader::new(stdout);
    while Instant::now() < deadline {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(url) = line
            .trim()
            .strip_prefix("LoginRadius emulator listening on ")
        {
            base = Some(url.to_owned());
        }
        lines.push(line.trim_end().to_owned());
        if lines.iter().any(|l| l.trim_start().starts_with("outbox:")) {
            break;
        }
    }
    // Keep reading what the binary prints after its banner: a closed pipe would make its next
    // `println!` fail and end the process under the test.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    (child, base.expect("base URL printed"), lines)
}
