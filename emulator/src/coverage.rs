//! Which catalog endpoints the emulator implements.

use serde::Serialize;

use crate::catalog::CATALOG;
use crate::router;

/// One `(method, path template)` pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointRef {
    /// HTTP method.
    pub method: String,
    /// Path template as in the catalog.
    pub path: String,
}

/// The coverage report served at `GET /emulator/coverage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// How many distinct `(method, path)` pairs the catalog has.
    pub catalog_endpoints: usize,
    /// How many of them the emulator implements.
    pub implemented_count: usize,
    /// How many it answers with "not supported" (501, code 909).
    pub not_implemented_count: usize,
    /// The implemented catalog endpoints.
    pub implemented: Vec<EndpointRef>,
    /// The catalog endpoints answered with "not supported".
    pub not_implemented: Vec<EndpointRef>,
}

impl Coverage {
    /// Whether `method path` (a catalog template, any case) is implemented.
    pub fn is_implemented(&self, method: &str, path: &str) -> bool {
        self.implemented
            .iter()
            .any(|e| e.method.eq_ignore_ascii_case(method) && e.path.eq_ignore_ascii_case(path))
    }
}

/// Computes the report from the route table.
pub(crate) fn report() -> Coverage {
    let table = router::table();
    let (mut implemented, mut not_implemented) = (Vec::new(), Vec::new());
    for (method, path) in CATALOG {
        let entry = EndpointRef {
            method: (*method).to_owned(),
            path: (*path).to_owned(),
        };
        let done = table.iter().any(|r| {
            r.handler.is_some()
                && r.method.as_str() == *method
                && r.template.eq_ignore_ascii_case(path)
        });
        if done {
            implemented.push(entry)
        } else {
            not_implemented.push(entry)
        }
    }
    Coverage {
        catalog_endpoints: CATALOG.len(),
        implemented_count: implemented.len(),
        not_implemented_count: not_implemented.len(),
        implemented,
        not_implemented,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implemented_route_is_a_catalog_endpoint() {
        for route in router::table().iter().filter(|r| r.handler.is_some()) {
            assert!(
                CATALOG
                    .iter()
                    .any(|(m, p)| *m == route.method.as_str() && *p == route.template),
                "{} {} is not in the catalog (or not spelled as there)",
                route.method,
                route.template
            );
        }
    }

    #[test]
    fn counts_add_up() {
        let c = report();
        assert_eq!(
            c.implemented_count + c.not_implemented_count,
            c.catalog_endpoints
        );
        assert!(c.is_implemented("get", "/IDENTITY/v2/auth/account"));
    }
}
