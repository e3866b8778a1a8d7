//! The workspace's end-to-end tests, in one test binary: the client against the emulator over
//! loopback HTTP, one module per area, and the official Python and Node.js SDKs driven against
//! it. Run one area with a name filter, e.g. `cargo test -p loginradius-e2e --test e2e mfa`.
//!
//! The helpers are `loginradius_test_support::e2e`. Every test starts its own emulator on an
//! ephemeral port, so the tests share no state and run in parallel in this one process.

mod account;
mod account_extra;
mod consent;
mod coverage;
mod custom_objects;
mod login;
mod mfa;
mod mfa_otp;
mod node_sdk;
mod one_touch;
mod passwordless;
mod passwordless_otp;
mod passwords;
mod phone;
mod pin;
mod python_sdk;
mod reauth;
mod registration;
mod roles;
mod security_questions;
mod signing;
mod social;
mod tokens;
mod webhooks;
