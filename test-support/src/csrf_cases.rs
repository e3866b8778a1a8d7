//! The conformance table of `loginradius::web::csrf::check`: every request, run with
//! [`CASES_TRUSTED_ORIGIN`] trusted, must be allowed or refused as `allowed` says, by core's
//! `check` and by tower-http's `CsrfLayer` alike, so the axum adapter (tower-http) and the actix
//! adapter (core's `check`) cannot drift apart.
//!
//! Used by core's integration tests (`csrf_conformance`), the axum adapter's
//! `tests/csrf_conformance.rs` and the actix adapter's `tests/routes.rs`.

/// The trusted origin of every [`CASES`] entry.
pub const CASES_TRUSTED_ORIGIN: &str = "https://trusted.example";

/// One request of the [`CASES`] table and whether it must be let through.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The method.
    pub method: &'static str,
    /// The request target (origin form `/login` or absolute form `http://host/login`).
    pub uri: &'static str,
    /// The request headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// True when the request must go through, with [`CASES_TRUSTED_ORIGIN`] trusted.
    pub allowed: bool,
}

impl Case {
    /// The case as an `http` request (empty body).
    pub fn request(&self) -> http::Request<()> {
        let mut builder = http::Request::builder().method(self.method).uri(self.uri);
        for (name, value) in self.headers {
            builder = builder.header(*name, *value);
        }
        builder
            .body(())
            .expect("the CASES table holds valid requests")
    }
}

const fn case(
    method: &'static str,
    uri: &'static str,
    headers: &'static [(&'static str, &'static str)],
    allowed: bool,
) -> Case {
    Case {
        method,
        uri,
        headers,
        allowed,
    }
}

/// The table (see the module documentation).
pub const CASES: &[Case] = &[
    // Safe methods always go through.
    case("GET", "/login", &[("sec-fetch-site", "cross-site")], true),
    case("HEAD", "/login", &[("sec-fetch-site", "cross-site")], true),
    case(
        "OPTIONS",
        "/login",
        &[("origin", "https://evil.example")],
        true,
    ),
    // TRACE is not exempt (Go's set, not `Method::is_safe`).
    case(
        "TRACE",
        "/login",
        &[("sec-fetch-site", "cross-site")],
        false,
    ),
    // No browser headers: not a browser, or an old same-origin one.
    case("POST", "/login", &[], true),
    case("POST", "/login", &[("sec-fetch-site", "same-origin")], true),
    case("POST", "/login", &[("sec-fetch-site", "none")], true),
    case("POST", "/login", &[("sec-fetch-site", "cross-site")], false),
    case("POST", "/login", &[("sec-fetch-site", "same-site")], false),
    case("PUT", "/login", &[("sec-fetch-site", "cross-site")], false),
    case("PATCH", "/login", &[("sec-fetch-site", "same-site")], false),
    // Sec-Fetch-Site is compared byte for byte (lowercase by the Fetch spec).
    case(
        "POST",
        "/login",
        &[("sec-fetch-site", "Same-Origin")],
        false,
    ),
    // An empty Sec-Fetch-Site counts as absent.
    case(
        "POST",
        "/login",
        &[
            ("sec-fetch-site", ""),
            ("origin", "http://evil.example"),
            ("host", "app.example"),
        ],
        false,
    ),
    case("POST", "/login", &[("sec-fetch-site", "")], true),
    // Trusted origins, byte for byte.
    case(
        "POST",
        "/login",
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://trusted.example"),
        ],
        true,
    ),
    case(
        "POST",
        "/login",
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://trusted.example/"),
        ],
        false,
    ),
    case(
        "POST",
        "/login",
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://TRUSTED.example"),
        ],
        false,
    ),
    case(
        "POST",
        "/login",
        &[("origin", "https://trusted.example")],
        true,
    ),
    case(
        "POST",
        "/login",
        &[
            ("origin", "https://trusted.example"),
            ("host", "app.example"),
        ],
        true,
    ),
    // Without Sec-Fetch-Site: Origin's authority against Host.
    case(
        "POST",
        "/login",
        &[
            ("origin", "http://app.example:8080"),
            ("host", "app.example:8080"),
        ],
        true,
    ),
    case(
        "POST",
        "/login",
        &[("origin", "https://app.example"), ("host", "app.example")],
        true,
    ),
    case(
        "POST",
        "/login",
        &[("origin", "http://evil.example"), ("host", "app.example")],
        false,
    ),
    case(
        "POST",
        "/login",
        &[
            ("origin", "http://app.example:8080"),
            ("host", "app.example"),
        ],
        false,
    ),
    case(
        "DELETE",
        "/login",
        &[("origin", "null"), ("host", "app.example")],
        false,
    ),
    case(
        "POST",
        "/login",
        &[("origin", "file://app.example"), ("host", "app.example")],
        false,
    ),
    case("POST", "/login", &[("origin", "http://app.example")], false),
    case(
        "POST",
        "/login",
        &[("origin", ""), ("host", "app.example")],
        true,
    ),
    // The absolute-form target's authority wins over Host.
    case(
        "POST",
        "http://app.example/login",
        &[("origin", "http://app.example"), ("host", "other.example")],
        true,
    ),
    case(
        "POST",
        "http://other.example/login",
        &[("origin", "http://app.example"), ("host", "app.example")],
        false,
    ),
];
