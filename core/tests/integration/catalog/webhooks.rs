//! WebHookApi.

use loginradius::models::{NewWebhook, WebhookUpdate};

use super::Case;
use crate::case;

const HOOK: &str = "3a0bcd6e-2f1d-4c1b-9a8e-7f6d5c4b3a21";

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "WebHookApi",
            "get_webhook_subscription_detail",
            "client.webhooks().get(hook_id)",
            |c| c.webhooks().get(HOOK)
        ),
        case!(
            "WebHookApi",
            "create_webhook_subscription",
            "client.webhooks().create(&NewWebhook::new(event, target_url))",
            |c| c
                .webhooks()
                .create(&NewWebhook::new("Login", "https://example.com/hooks/login"))
        ),
        case!(
            "WebHookApi",
            "delete_webhook_subscription",
            "client.webhooks().delete(hook_id)",
            |c| c.webhooks().delete(HOOK)
        ),
        case!(
            "WebHookApi",
            "update_webhook_subscription",
            "client.webhooks().update(hook_id, &WebhookUpdate::new().header(name, value))",
            |c| c.webhooks().update(
                HOOK,
                &WebhookUpdate::new().header("X-Source", "loginradius")
            )
        ),
        case!(
            "WebHookApi",
            "list_all_webhooks",
            "client.webhooks().list()",
            |c| c.webhooks().list()
        ),
        case!(
            "WebHookApi",
            "get_webhook_events",
            "client.webhooks().events()",
            |c| c.webhooks().events()
        ),
    ]
}
