//! ConsentManagementApi.

use loginradius::models::{ConsentChoice, ConsentEvent, ConsentSubmission, ConsentUpdate};

use super::{Case, TOKEN, UID};
use crate::case;

fn form() -> ConsentSubmission {
    ConsentSubmission::new(
        [ConsentChoice::accept("marketing")],
        [ConsentEvent::new("Register")],
    )
}

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "ConsentManagementApi",
            "get_consent_logs_by_uid",
            "client.consent().logs_of_user(uid)",
            |c| c.consent().logs_of_user(UID)
        ),
        case!(
            "ConsentManagementApi",
            "submit_consent_by_consent_token",
            "client.consent().submit_with_consent_token(consent_token, &ConsentSubmission::new(choices, events))",
            |c| c
                .consent()
                .submit_with_consent_token("consent-token-1", &form())
        ),
        case!(
            "ConsentManagementApi",
            "get_consent_logs",
            "client.consent().logs(access_token)",
            |c| c.consent().logs(TOKEN)
        ),
        case!(
            "ConsentManagementApi",
            "submit_consent_by_access_token",
            "client.consent().submit(access_token, &ConsentSubmission::new(choices, events))",
            |c| c.consent().submit(TOKEN, &form())
        ),
        case!(
            "ConsentManagementApi",
            "verify_consent_by_access_token",
            "client.consent().verify(access_token, event, is_custom)",
            |c| c.consent().verify(TOKEN, "Register", false)
        ),
        case!(
            "ConsentManagementApi",
            "update_consent_profile_by_access_token",
            "client.consent().update(access_token, &ConsentUpdate::new(choices))",
            |c| c.consent().update(
                TOKEN,
                &ConsentUpdate::new([ConsentChoice::decline("marketing")])
            )
        ),
    ]
}
