//! SocialApi.

use super::{Case, TOKEN, UID};
use crate::case;

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "SocialApi",
            "exchange_access_token",
            "client.social().exchange_token(request_token)",
            |c| c.social().exchange_token("request-token-1")
        ),
        case!(
            "SocialApi",
            "refresh_access_token",
            "client.social().refresh(access_token)",
            |c| c.social().refresh(TOKEN).expires_in_minutes(60).web(true)
        ),
        case!(
            "SocialApi",
            "validate_access_token",
            "client.social().validate(access_token)",
            |c| c.social().validate(TOKEN)
        ),
        case!(
            "SocialApi",
            "in_validate_access_token",
            "client.social().invalidate(access_token)",
            |c| c.social().invalidate(TOKEN)
        ),
        case!(
            "SocialApi",
            "get_active_session",
            "client.social().active_sessions(access_token)",
            |c| c.social().active_sessions(TOKEN)
        ),
        case!(
            "SocialApi",
            "get_active_session_by_account_id",
            "client.social().active_sessions_of_user(uid)",
            |c| c.social().active_sessions_of_user(UID)
        ),
        case!(
            "SocialApi",
            "get_active_session_by_profile_id",
            "client.social().active_sessions_of_profile(profile_id)",
            |c| c.social().active_sessions_of_profile("10203040506070809")
        ),
    ]
}
