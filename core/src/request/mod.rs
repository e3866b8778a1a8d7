//! How one API call becomes an HTTP request: the endpoint definition ([`Endpoint`]), the call
//! under construction (`Call`), sending it with retries, and response decoding.
//!
//! A call reads the client's settings (`Config`) and the [`RetryPolicy`]; it never reaches back
//! into the client.

pub(crate) mod builder;
mod call;
mod endpoint;
mod response;

pub use crate::retry::{RetryBudget, RetryPolicy};
pub use builder::BoxFuture;
pub(crate) use builder::request_builder;
pub(crate) use call::{Call, check_id};
pub(crate) use endpoint::endpoint;
pub use endpoint::{Credentials, Endpoint, Host};
