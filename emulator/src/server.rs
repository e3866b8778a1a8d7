//! The axum application: the `/emulator` admin routes, and a fallback that dispatches every
//! other request through the LoginRadius route table (stats, faults, credentials, handler).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use loginradius::codes;

use crate::admin;
use crate::credentials;
use crate::deliveries;
use crate::endpoint::Route;
use crate::errors::{ApiError, json_response};
use crate::faults::Fault;
use crate::links;
use crate::local_only;
use crate::request::{Ctx, Query};
use crate::router::{self, Lookup};
use crate::routes::not_supported;
use crate::state::AppState;
use crate::stats;

/// Largest request body accepted.
const MAX_BODY: usize = 1024 * 1024;

/// Builds the application.
pub(crate) fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/emulator", get(admin::page))
        .route("/emulator/", get(admin::page))
        .route(
            "/emulator/outbox",
            get(admin::outbox).delete(admin::clear_outbox),
        )
        .route(
            "/emulator/faults",
            get(admin::list_faults)
                .post(admin::add_fault)
                .delete(admin::clear_faults),
        )
        .route(
            "/emulator/stats",
            get(admin::stats).delete(admin::reset_stats),
        )
        .route("/emulator/coverage", get(admin::coverage))
        .route("/emulator/clock", post(admin::advance_clock))
        .route("/emulator/reset", post(admin::reset))
        .route("/emulator/qr", get(admin::qr))
        .route(
            "/emulator/social/{provider}",
            get(crate::social_page::page).post(crate::social_page::grant),
        )
        .route_layer(axum::middleware::from_fn(local_only::refuse_cross_site))
        .method_not_allowed_fallback(admin::method_not_allowed)
        .fallback(dispatch)
        .with_state(state)
}

async fn dispatch(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let method = parts.method.clone();
    let path = parts.uri.path().to_owned();
    let lookup = router::lookup(&method, &path);
    let template = match &lookup {
        Lookup::Found(route, _) => Some(route.template),
        Lookup::MethodNotAllowed(t) => Some(*t),
        Lookup::NotFound => None,
    };
    state
        .stats
        .count(stats::key(method.as_str(), template.unwrap_or("(unknown)")));
    let _in_flight = state.stats.enter();

    if let Some(fault) = state.faults.pick(&path, template)
        && let Some(response) = apply_fault(&fault).await
    {
        return response;
    }

    let (route, params): (&'static Route, _) = match lookup {
        Lookup::Found(route, params) => (route, params),
        Lookup::MethodNotAllowed(template) => {
            return ApiError::new(codes::INVALID_REQUEST)
                .with_status(StatusCode::METHOD_NOT_ALLOWED)
                .with_description(format!("{method} is not allowed on {template}."))
                .into_response();
        }
        Lookup::NotFound => {
            return ApiError::new(codes::INVALID_REQUEST)
                .with_status(StatusCode::NOT_FOUND)
                .with_description("No LoginRadius endpoint has this path.")
                .into_response();
        }
    };
    if route.handler.is_none() {
        return not_supported(method.as_str(), route.template).into_response();
    }

    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return ApiError::new(codes::INVALID_PAYLOAD)
                .with_status(StatusCode::PAYLOAD_TOO_LARGE)
                .with_description(format!(
                    "The request body must be at most {MAX_BODY} bytes."
                ))
                .into_response();
        }
    };
    let query = Query::parse(parts.uri.query());
    if let Err(e) = links::check(&query, &state.config) {
        return e.into_response();
    }
    let origin = state.public_url();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or(path.as_str(), |p| p.as_str());
    let url = format!("{origin}{path_and_query}");
    let ctx = Ctx::new(
        state.clone(),
        method,
        params,
        query,
        parts.headers,
        bytes,
        origin,
        url,
    );
    // Handlers are synchronous (argon2 hashing is CPU work): run them off the async threads,
    // a bounded number at a time.
    let Ok(_slot) = state.handler_slots.acquire().await else {
        return ApiError::new(codes::UNKNOWN_ERROR).into_response();
    };
    match tokio::task::spawn_blocking(move || run(route, ctx)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(codes::UNKNOWN_ERROR).into_response(),
    }
}

fn run(route: &'static Route, mut ctx: Ctx) -> Response {
    let Some(handler) = route.handler else {
        return not_supported(ctx.method.as_str(), route.template).into_response();
    };
    if let Err(e) = credentials::check(&mut ctx, route.cred) {
        return e.into_response();
    }
    match handler(&mut ctx) {
        Ok(body) => {
            send_webhooks(&ctx);
            json_response(StatusCode::OK, &body)
        }
        Err(e) => e.into_response(),
    }
}

/// Queues the deliveries of the webhooks the call raised, unless the caller suppressed them.
fn send_webhooks(ctx: &Ctx) {
    let raised = ctx.take_hooks();
    if raised.is_empty()
        || deliveries::suppressed(
            ctx.header("x-preventwebhook"),
            ctx.query.get("prevent_webhook"),
        )
    {
        return;
    }
    let state = &ctx.state;
    let mut store = state.store();
    if store.extras.webhooks.is_empty() {
        return;
    }
    let raised = raised
        .into_iter()
        .map(|(event, uid)| {
            let data = store.users.get(&uid).map_or_else(
                || serde_json::json!({ "Uid": uid }),
                crate::profile::profile_json,
            );
            deliveries::Raised { event, uid, data }
        })
        .collect();
    let subscriptions = store.extras.webhooks.clone();
    let mut next_id = || store.ids.token();
    deliveries::enqueue(
        &state.deliveries,
        &state.config.api_secret,
        &subscriptions,
        raised,
        ctx.now,
        &mut next_id,
        &|url| links::allowed(url, &state.config),
    );
}

/// Applies a fault: waits, then answers an error or a malformed body (`None`: carry on).
async fn apply_fault(fault: &Fault) -> Option<Response> {
    if let Some(ms) = fault.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms.min(60_000))).await;
    }
    if let Some(status) = fault.status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let error = if status == StatusCode::TOO_MANY_REQUESTS {
            let retry_after = fault.retry_after.unwrap_or(1);
            ApiError::new(fault.error_code.unwrap_or(429))
                .with_message("Too many requests")
                .with_description(format!(
                    "Too many requests in a particular time frame, please retry after {retry_after} seconds."
                ))
                .with_retry_after(retry_after)
        } else {
            let default = if status.is_server_error() {
                codes::UNKNOWN_ERROR
            } else {
                codes::INVALID_REQUEST
            };
            ApiError::new(fault.error_code.unwrap_or(default))
        };
        return Some(error.with_status(status).into_response());
    }
    if fault.malformed {
        let mut response = (
            StatusCode::OK,
            "<html><body>upstream hiccup: this is not JSON",
        )
            .into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return Some(response);
    }
    None
}
