//! The Redis backend against a real `redis-server` on loopback: the conformance suite every
//! backend passes, and what replicas see while Redis is killed and started again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use loginradius::fleet::{BusReceiver, BusSignal, FleetEvent, SharedState, SharedStateError};
use loginradius_redis::RedisState;
use loginradius_test_support::fleet::Replicas;
use loginradius_test_support::fleet_conformance;
use loginradius_test_support::redis_server::RedisServer;

async fn replicas() -> (Replicas, RedisServer) {
    let server = RedisServer::start();
    let a = RedisState::connect(server.url()).await.expect("replica a");
    let b = RedisState::connect(server.url()).await.expect("replica b");
    ((Arc::new(a), Arc::new(b)), server)
}

fleet_conformance!(replicas);

/// The next signal within `within`, or `None`.
async fn signal(bus: &mut BusReceiver, within: Duration) -> Option<BusSignal> {
    tokio::time::timeout(within, bus.recv())
        .await
        .ok()
        .flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_redis_is_down_every_call_fails_fast_and_the_bus_recovers_after() {
    let mut server = RedisServer::start();
    let state = RedisState::builder(server.url())
        .command_timeout(Duration::from_millis(300))
        .connect()
        .await
        .expect("connect");
    let mut bus = state.subscribe();
    assert!(state.health().is_up());

    server.kill();
    assert_eq!(
        signal(&mut bus, Duration::from_secs(5)).await,
        Some(BusSignal::Lost),
        "receivers are told the bus is lost"
    );
    // Every call is doubt, answered within about the command timeout; nothing panics.
    for _ in 0..3 {
        let started = Instant::now();
        let error = state
            .hit("signin:account:jane", Duration::from_secs(60))
            .await
            .expect_err("Redis is down");
        assert!(
            matches!(error, SharedStateError::Unavailable { .. }),
            "{error}"
        );
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "failed in {:?}",
            started.elapsed()
        );
    }
    assert!(
        state
            .session(&loginradius::fleet::SessionId::generate())
            .await
            .is_err()
    );
    assert!(
        state
            .publish(&FleetEvent::RoleDefinitionsChanged)
            .await
            .is_err()
    );
    assert!(!state.health().is_up(), "{:?}", state.health());
    let shown = format!("{:?} {}", state.health(), error_text(&state).await);
    assert!(
        !shown.contains("redis://"),
        "no URL in errors or health: {shown}"
    );

    server.restart();
    // The listener resubscribes and says events may have been missed.
    let mut restored = false;
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        match signal(&mut bus, Duration::from_millis(500)).await {
            Some(BusSignal::Missed) => {
                restored = true;
                break;
            }
            Some(BusSignal::Lost) | None => {}
            Some(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        restored,
        "receivers are told to drop their caches once the bus is back"
    );

    // Commands reconnect on their own, and events flow again.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if state
            .publish(&FleetEvent::RoleDefinitionsChanged)
            .await
            .is_ok()
        {
            break;
        }
        assert!(Instant::now() < deadline, "commands did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        signal(&mut bus, Duration::from_secs(5)).await,
        Some(BusSignal::Event(FleetEvent::RoleDefinitionsChanged))
    );
    assert!(state.health().is_up(), "{:?}", state.health());
}

async fn error_text(state: &RedisState) -> String {
    state
        .memo("k")
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_last_clone_stops_the_listener() {
    let server = RedisServer::start();
    let state = RedisState::connect(server.url()).await.expect("connect");
    let clone = state.clone();
    let mut bus = state.subscribe();
    drop(state);
    clone
        .publish(&FleetEvent::RoleDefinitionsChanged)
        .await
        .expect("the clone still works");
    assert!(matches!(
        signal(&mut bus, Duration::from_secs(5)).await,
        Some(BusSignal::Event(_))
    ));
    drop(clone);
    assert_eq!(
        signal(&mut bus, Duration::from_secs(5)).await,
        None,
        "the bus closes: the listener task ended with the last clone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_url_fails_at_connect_without_showing_it() {
    let error = RedisState::builder("redis://:hunter2@127.0.0.1:1/")
        .command_timeout(Duration::from_millis(200))
        .connect()
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(error, SharedStateError::Unavailable { .. }));
    assert!(!error.to_string().contains("hunter2"), "{error}");
}
