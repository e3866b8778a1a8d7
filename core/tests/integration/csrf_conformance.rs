//! `web::csrf::check` follows the same-origin conformance table that tower-http's CSRF layer
//! (behind the axum adapter) is held to as well.

use loginradius::web::csrf::{TrustedOrigins, check};
use loginradius_test_support::csrf_cases::{CASES, CASES_TRUSTED_ORIGIN};

#[test]
fn check_follows_the_conformance_table() {
    let trusted = TrustedOrigins::new().with(CASES_TRUSTED_ORIGIN);
    for case in CASES {
        let request = case.request();
        let outcome = check(request.method(), request.uri(), request.headers(), &trusted);
        assert_eq!(outcome.is_ok(), case.allowed, "{case:?}: {outcome:?}");
    }
}
