//! The emulator's vendored copies of the shared spec stay in sync with `spec/` (the repository's copy).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn spec(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(name)
}

#[test]
fn vendored_error_codes_are_byte_identical_to_the_shared_spec() {
    let shared = std::fs::read(spec("error-codes.json")).expect("spec/error-codes.json");
    let vendored =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/error-codes.json"))
            .expect("emulator/data/error-codes.json");
    assert!(
        shared == vendored,
        "emulator/data/error-codes.json differs from spec/error-codes.json: copy it again"
    );
}

#[test]
fn embedded_catalog_matches_the_shared_api_catalog() {
    let text =
        std::fs::read_to_string(spec("loginradius-api.json")).expect("spec/loginradius-api.json");
    let catalog: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let from_spec: BTreeSet<(String, String)> = catalog["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .map(|e| {
            (
                e["http_method"].as_str().expect("http_method").to_owned(),
                e["path"].as_str().expect("path").to_owned(),
            )
        })
        .collect();
    let embedded: BTreeSet<(String, String)> = loginradius_emulator::catalog::CATALOG
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(
        embedded.len(),
        loginradius_emulator::catalog::CATALOG.len(),
        "no duplicates"
    );
    let missing: Vec<_> = from_spec.difference(&embedded).collect();
    let extra: Vec<_> = embedded.difference(&from_spec).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "regenerate src/catalog.rs: missing {missing:?}, extra {extra:?}"
    );
}
