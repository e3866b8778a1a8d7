//! OpenAPI documents with [utoipa] (feature `utoipa`): the two ways a request authenticates,
//! as security schemes ([`SecuritySchemes`]: `bearer`, the `Authorization: Bearer` header, and
//! `session`, the route helpers' session cookie), and the requirement of a guarded route on its
//! operation ([`require_on`]), so a generated document shows which routes need what.
//!
//! ```
//! use loginradius::auth::Require;
//! use loginradius::web::SessionCookie;
//! use loginradius::web::openapi::{SecuritySchemes, require_on};
//! use utoipa::Modify;
//! use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
//! use utoipa::openapi::{OpenApiBuilder, PathsBuilder};
//!
//! let mut doc = OpenApiBuilder::new()
//!     .paths(PathsBuilder::new().path(
//!         "/admin",
//!         PathItem::new(HttpMethod::Get, OperationBuilder::new().build()),
//!     ))
//!     .build();
//! SecuritySchemes::new(&SessionCookie::generate()).modify(&mut doc);
//! assert!(require_on(&mut doc, "/admin", HttpMethod::Get, &Require::role("admin")));
//! let json = doc.to_json()?;
//! assert!(json.contains(r#""bearer":{"type":"http","scheme":"bearer""#));
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! With `#[derive(OpenApi)]`, add `modifiers(&…)` with a [`SecuritySchemes`] value (or call
//! [`Modify::modify`] on the built document) and mark guarded operations with
//! `security(("bearer" = []), ("session" = []))` or [`require_on`].
//!
//! [utoipa]: https://docs.rs/utoipa/5

use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::{HttpMethod, Operation, PathItem};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};

use crate::auth::Require;
use crate::web::SessionCookie;

/// The name of the `Authorization: Bearer` security scheme.
pub const BEARER_SCHEME: &str = "bearer";

/// The name of the session-cookie security scheme.
pub const SESSION_SCHEME: &str = "session";

/// A [`Modify`] that declares the [`BEARER_SCHEME`] (HTTP bearer) and [`SESSION_SCHEME`] (an
/// API key in the session cookie, under the cookie's name) security schemes.
#[derive(Debug, Clone)]
pub struct SecuritySchemes {
    cookie_name: String,
}

impl SecuritySchemes {
    /// The schemes of an app whose sessions are `session`'s cookie.
    pub fn new(session: &SessionCookie) -> Self {
        Self {
            cookie_name: session.cookie_name().to_owned(),
        }
    }
}

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A LoginRadius access token"))
            .build();
        components.add_security_scheme(BEARER_SCHEME, SecurityScheme::Http(bearer));
        let session = ApiKeyValue::with_description(
            self.cookie_name.as_str(),
            "The session cookie set by the route helpers' login",
        );
        components.add_security_scheme(
            SESSION_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(session)),
        );
    }
}

/// The security requirements of a route guarded by `require`: either scheme. Beyond being
/// signed in, the requirement's description (`role "admin"`) is listed as the scheme's role
/// (OpenAPI 3.1 allows role names for non-OAuth schemes).
pub fn security_requirements(require: &Require) -> Vec<SecurityRequirement> {
    let roles: Vec<String> = if *require == Require::authenticated() {
        Vec::new()
    } else {
        vec![require.to_string()]
    };
    [BEARER_SCHEME, SESSION_SCHEME]
        .into_iter()
        .map(|scheme| SecurityRequirement::new(scheme, roles.clone()))
        .collect()
}

/// Sets the [`security_requirements`] of `require` on the operation `method path` of
/// `openapi`; false when the document has no such operation.
pub fn require_on(
    openapi: &mut OpenApi,
    path: &str,
    method: HttpMethod,
    require: &Require,
) -> bool {
    let Some(item) = openapi.paths.paths.get_mut(path) else {
        return false;
    };
    match operation(item, method) {
        Some(operation) => {
            operation.security = Some(security_requirements(require));
            true
        }
        None => false,
    }
}

fn operation(item: &mut PathItem, method: HttpMethod) -> Option<&mut Operation> {
    match method {
        HttpMethod::Get => item.get.as_mut(),
        HttpMethod::Post => item.post.as_mut(),
        HttpMethod::Put => item.put.as_mut(),
        HttpMethod::Delete => item.delete.as_mut(),
        HttpMethod::Options => item.options.as_mut(),
        HttpMethod::Head => item.head.as_mut(),
        HttpMethod::Patch => item.patch.as_mut(),
        HttpMethod::Trace => item.trace.as_mut(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use utoipa::openapi::path::OperationBuilder;
    use utoipa::openapi::{OpenApiBuilder, PathsBuilder};

    use super::*;

    #[test]
    fn the_document_declares_both_schemes_and_the_guarded_operations() {
        let mut doc = OpenApiBuilder::new()
            .paths(
                PathsBuilder::new()
                    .path(
                        "/admin",
                        PathItem::new(HttpMethod::Get, OperationBuilder::new().build()),
                    )
                    .path(
                        "/me",
                        PathItem::new(HttpMethod::Get, OperationBuilder::new().build()),
                    )
                    .path(
                        "/",
                        PathItem::new(HttpMethod::Get, OperationBuilder::new().build()),
                    ),
            )
            .build();
        SecuritySchemes::new(&SessionCookie::generate().name("app_session")).modify(&mut doc);
        assert!(require_on(
            &mut doc,
            "/admin",
            HttpMethod::Get,
            &Require::role("admin")
        ));
        assert!(require_on(
            &mut doc,
            "/me",
            HttpMethod::Get,
            &Require::authenticated()
        ));
        assert!(!require_on(
            &mut doc,
            "/me",
            HttpMethod::Post,
            &Require::authenticated()
        ));
        assert!(!require_on(
            &mut doc,
            "/nowhere",
            HttpMethod::Get,
            &Require::authenticated()
        ));
        let doc: Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearer"]["type"], "http");
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        assert_eq!(schemes["session"]["type"], "apiKey");
        assert_eq!(schemes["session"]["in"], "cookie");
        assert_eq!(schemes["session"]["name"], "app_session");
        assert_eq!(
            doc["paths"]["/admin"]["get"]["security"],
            json!([{"bearer": ["role \"admin\""]}, {"session": ["role \"admin\""]}])
        );
        assert_eq!(
            doc["paths"]["/me"]["get"]["security"],
            json!([{"bearer": []}, {"session": []}])
        );
        assert!(doc["paths"]["/"]["get"].get("security").is_none());
    }
}
