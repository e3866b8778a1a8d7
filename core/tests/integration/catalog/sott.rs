//! SottApi.

use super::Case;
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![case!(
        "SottApi",
        "generate_sott",
        "client.sott().generate()",
        |c| c.sott().generate().time_difference(20)
    )]
}
