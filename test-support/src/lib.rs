//! Test helpers shared by the workspace's tests and benches, as one unpublished crate that the
//! others take as a dev-dependency (instead of `#[path]` includes across crate folders).
//!
//! - [`upstream`]: a scripted LoginRadius behind a transport (answers by path, counts requests,
//!   can answer slowly), for in-process tests of the auth engine and of both adapters.
//! - `e2e` (feature `emulator`): start an emulator, point a client at it, sign users in, read
//!   the outbox, compute authenticator codes, assert LoginRadius error codes, run a process.
//! - `route_flows` (feature `emulator`): the route helpers' end-to-end scenarios, one table for
//!   both adapters, generated as tests by `route_flow_scenarios!`.
//! - [`csrf_cases`]: the same-origin conformance table that core's `web::csrf::check` and
//!   tower-http's CSRF layer must both follow.
//! - [`fleet`]: the conformance suite every `loginradius::fleet::SharedState` backend passes,
//!   generated as tests by `fleet_conformance!`.
//! - [`redis_server`]: a real `redis-server` on an ephemeral loopback port, which a test can
//!   kill and start again.
//! - `guard_bench` and `paired` (feature `bench`): the guard benchmarks' setup and their paired
//!   throughput report.
//!
//! Everything here is framework-agnostic: it depends on `loginradius` (and the emulator), never on
//! an adapter, so an adapter's tests use it without compiling the adapter twice. The helpers are
//! test code: on a failed expectation they panic with a message saying what was expected.

#![warn(missing_docs)]

pub mod csrf_cases;
#[cfg(feature = "emulator")]
pub mod e2e;
pub mod fleet;
#[cfg(feature = "emulator")]
pub mod fleet_sessions;
#[cfg(feature = "bench")]
pub mod guard_bench;
#[cfg(feature = "bench")]
pub mod paired;
pub mod redis_server;
#[cfg(feature = "emulator")]
pub mod route_flows;
pub mod upstream;
