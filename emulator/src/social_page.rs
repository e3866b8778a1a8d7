//! The emulated social providers: `GET /emulator/social/{provider}` is a page that plays the
//! provider's sign-in (a person types the identity), and `POST /emulator/social/{provider}`
//! (JSON `{"id", "email", "name", "clientguid"}`) issues what the provider and LoginRadius
//! would: a provider access token (also good as an authorization code or ID token) for the
//! native exchanges, a LoginRadius request token for `GET /api/v2/access_token`, and, with a
//! `clientguid`, a sign-in waiting for `GET /identity/v2/auth/account/ping`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use loginradius::codes;

use crate::admin::escape;
use crate::errors::{ApiError, json_response};
use crate::extras::{Fresh, ProviderGrant, fresh};
use crate::request::str_ci;
use crate::state::AppState;

/// Lifetime of what the emulated providers issue.
const GRANT_TTL: time::Duration = time::Duration::minutes(15);

/// A provider name: 1 to 32 lowercase letters, digits or `_`.
pub(crate) fn valid_provider(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(crate) async fn page(Path(provider): Path<String>) -> Response {
    let provider = provider.to_ascii_lowercase();
    if !valid_provider(&provider) {
        return ApiError::new(codes::PROVIDER_INVALID).into_response();
    }
    let p = escape(&provider);
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in with {p} (emulated)</title></head>\
<body><h1>Sign in with {p}</h1><p>This page plays the provider: the identity you type is what it vouches for.</p>\
<form id=\"f\"><label>Id <input name=\"id\"></label><br><label>Email <input name=\"email\" type=\"email\"></label><br>\
<label>Name <input name=\"name\"></label><br><button>Sign in</button></form><pre id=\"out\"></pre>\
<script>\nconst q=new URLSearchParams(location.search);\ndocument.getElementById('f').onsubmit=async e=>{{e.preventDefault();\
const d=Object.fromEntries(new FormData(e.target));if(q.get('clientguid'))d.clientguid=q.get('clientguid');\
const r=await fetch(location.pathname,{{method:'POST',headers:{{'Content-Type':'application/json'}},body:JSON.stringify(d)}});\
const j=await r.json();const back=q.get('redirect_uri');\
if(r.ok&&back){{const u=new URL(back);u.searchParams.set('token',j.request_token);location.href=u;}}\
else document.getElementById('out').textContent=JSON.stringify(j,null,2);}};\n</script></body></html>\n"
    ))
    .into_response()
}

pub(crate) async fn grant(
    State(state): State<Arc<AppState>>,
    Path(provider): Path<String>,
    body: Bytes,
) -> Response {
    match issue(&state, &provider, &body) {
        Ok(v) => json_response(axum::http::StatusCode::OK, &v),
        Err(e) => e.into_response(),
    }
}

fn issue(state: &AppState, provider: &str, body: &[u8]) -> Result<Value, ApiError> {
    let provider = provider.to_ascii_lowercase();
    if !valid_provider(&provider) {
        return Err(ApiError::new(codes::PROVIDER_INVALID));
    }
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Map::new()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            _ => return Err(ApiError::new(codes::INVALID_POST_BODY)),
        }
    };
    let email = str_ci(&body, "email");
    let mut store = state.store();
    let provider_id = str_ci(&body, "id")
        .or_else(|| email.clone())
        .unwrap_or_else(|| fresh(&mut store.ids, Fresh::RecordId));
    let now = state.now();
    let grant = ProviderGrant {
        provider: provider.clone(),
        provider_id: provider_id.clone(),
        email,
        name: str_ci(&body, "name"),
        request_token: false,
        expires: now + GRANT_TTL,
    };
    let access = fresh(&mut store.ids, Fresh::Token);
    let request = fresh(&mut store.ids, Fresh::Token);
    let grants = &mut store.extras.provider_grants;
    grants.insert(access.clone(), grant.clone());
    grants.insert(
        request.clone(),
        ProviderGrant {
            request_token: true,
            ..grant.clone()
        },
    );
    if let Some(guid) = str_ci(&body, "clientguid") {
        store.extras.ping_grants.insert(guid, grant);
    }
    Ok(json!({
        "provider": provider,
        "id": provider_id,
        "access_token": access,
        "request_token": request,
    }))
}
