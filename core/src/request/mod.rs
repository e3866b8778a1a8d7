//! How one API call becomes an HTTP request: the endpoint definition ([`Endpoint`]), the call
//! under construction (`Call`), retries and response decoding.

pub(crate) mod builder;
mod call;
mod endpoint;
mod response;
mod retry;

pub use builder::BoxFuture;
pub(crate) use builder::request_builder;
pub(crate) use call::Call;
pub(crate) use endpoint::endpoint;
pub use endpoint::{Credentials, Endpoint, Host};
pub use retry::RetryPolicy;

/// Rejects empty values and control characters (shared by the client's local checks).
pub(crate) fn check_id_pub(field: &'static str, value: &str) -> Result<(), crate::Error> {
    call::check_id(field, value)
}
