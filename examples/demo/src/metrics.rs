//! `GET /metrics`: the library's metrics (see `loginradius::metrics`) in the Prometheus text
//! format, through `metrics-exporter-prometheus`, to loopback peers only.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// The path of the metrics.
pub const METRICS_PATH: &str = "/metrics";

/// How often histograms are compacted.
const UPKEEP: Duration = Duration::from_secs(5);

/// The process's Prometheus recorder, installed on first use (`None` when another recorder was
/// installed first).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new().install_recorder().ok()?;
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let upkeep = handle.clone();
                runtime.spawn(async move {
                    loop {
                        tokio::time::sleep(UPKEEP).await;
                        upkeep.run_upkeep();
                    }
                });
            }
            Some(handle)
        })
        .as_ref()
}

/// Installs the recorder and answers the route serving it.
pub(crate) fn routes() -> Router {
    handle();
    Router::new().route(METRICS_PATH, get(metrics))
}

/// Whether `peer` may read the metrics: only a loopback address (no peer known: refused).
pub fn local_peer(peer: Option<SocketAddr>) -> bool {
    peer.is_some_and(|p| p.ip().to_canonical().is_loopback())
}

async fn metrics(request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !local_peer(peer) {
        return (
            StatusCode::FORBIDDEN,
            "metrics are served to this machine only\n",
        )
            .into_response();
    }
    match handle() {
        Some(handle) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "another metrics recorder is installed\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_read_the_metrics() {
        for ok in ["127.0.0.1:1", "[::1]:1", "[::ffff:127.0.0.1]:1"] {
            assert!(local_peer(Some(ok.parse().unwrap())), "{ok}");
        }
        for refused in ["10.0.0.1:1", "192.168.1.2:80", "[2001:db8::1]:1"] {
            assert!(!local_peer(Some(refused.parse().unwrap())), "{refused}");
        }
        assert!(!local_peer(None));
    }
}
