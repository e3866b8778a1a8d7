//! The integration tests of `loginradius`, in one test binary: each former test file is a module
//! here, so the dependencies are linked once. Run one group with a name filter, e.g.
//! `cargo test -p loginradius --test integration api_auth`.
//!
//! The shared pieces are modules too: [`support`] (sample credentials, recording clients, the
//! spec readers, log capture, the bad-input checks), [`auth_support`] (the scripted LoginRadius of
//! the auth engine tests, from `loginradius-test-support`) and [`catalog`] (each catalog entry
//! mapped to our call, for [`catalog_conformance`]).
//!
//! Every test runs in this one process, so none may change process-wide state: logs are captured
//! per thread ([`support::LogBuffer::capture`] sets a scoped subscriber, never the global one),
//! and environment variables are only read.

mod auth_support;
mod catalog;
mod support;

// The client, one API group per module, through a recording transport.
mod api_account;
mod api_auth;
mod api_configuration;
mod api_consent;
mod api_custom_objects;
mod api_mfa;
mod api_native_social;
mod api_one_touch;
mod api_passwordless;
mod api_phone;
mod api_pin;
mod api_reauth;
mod api_risk_based;
mod api_sliding_token;
mod api_smart_login;
mod api_social;
mod api_sott;
mod api_webhooks;

// The client as a whole: input checks, errors and retries, tracing, the spec's vectors and the
// reference SDK's catalog.
mod bad_input;
mod catalog_against_emulator;
mod catalog_conformance;
mod csrf_conformance;
mod deadline;
mod errors;
mod flows_deadline;
mod retry_budget;
mod samples;
mod tracing_spans;
mod vectors;

// The auth engine: lookups, roles, decisions, tracing.
mod auth_breaker;
mod auth_decision;
mod auth_lookup;
mod auth_roles;
mod auth_tracing;
mod auth_warm_path;

// The shared state's in-process backend, through the conformance suite every backend passes;
// three authenticators on one in-process state.
mod fleet_auth;
mod fleet_in_process;
