//! SlidingTokenApi.

use super::{Case, TOKEN};
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![case!(
        "SlidingTokenApi",
        "sliding_access_token",
        "client.sliding_token().extend(access_token)",
        |c| c.sliding_token().extend(TOKEN)
    )]
}
