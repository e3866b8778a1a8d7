//! ConfigurationApi.

use super::Case;
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "ConfigurationApi",
            "get_configurations",
            "client.configuration().get()",
            |c| c.configuration().get()
        ),
        case!(
            "ConfigurationApi",
            "get_server_info",
            "client.configuration().server_info()",
            |c| c.configuration().server_info().time_difference(10)
        ),
    ]
}
