//! `loginradius::fleet::InProcess` through the conformance suite every shared-state backend
//! passes (the Redis backend runs the same in `loginradius-redis`).

use std::sync::Arc;

use loginradius::fleet::InProcess;
use loginradius_test_support::fleet::Replicas;
use loginradius_test_support::fleet_conformance;

/// Two "replicas" of one process share one in-process state (its clones).
async fn replicas() -> (Replicas, ()) {
    let state = InProcess::new();
    ((Arc::new(state.clone()), Arc::new(state)), ())
}

fleet_conformance!(replicas);
