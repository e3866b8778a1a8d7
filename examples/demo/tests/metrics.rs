//! `GET /metrics`: the library's decision counter, in the Prometheus text format, after a
//! guarded request; loopback peers only (a non-loopback peer cannot be made on this machine:
//! `demo::metrics::local_peer` is tested with addresses).

mod support;
use support::{Browser, start_demo};

#[tokio::test]
async fn metrics_show_the_decisions_of_guarded_requests_to_loopback_peers() {
    let running = start_demo(Vec::new()).await;
    let mut browser = Browser::new(&running.url);
    browser.login("admin@example.com", "password123").await;
    assert_eq!(browser.get("/profile").await.status, 200);
    assert_eq!(browser.get("/admin/roles").await.status, 200);

    let page = browser.get(demo::metrics::METRICS_PATH).await;
    assert_eq!(page.status, 200);
    let line = |outcome: &str, stage: &str| {
        page.body.lines().any(|l| {
            l.starts_with("loginradius_decisions_total{")
                && l.contains(&format!("outcome=\"{outcome}\""))
                && l.contains(&format!("stage=\"{stage}\""))
        })
    };
    assert!(line("allow", "authenticate"), "{}", page.body);
    assert!(line("allow", "authorize"), "{}", page.body);
    assert!(
        page.body
            .contains("loginradius_cache_hits_total{cache=\"token\"}"),
        "{}",
        page.body
    );

    assert!(!demo::metrics::local_peer(Some(
        "192.0.2.7:40000".parse().unwrap()
    )));
    assert!(!demo::metrics::local_peer(None));
    running.shutdown().await;
}
