//! The `Webhooks` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Webhooks` API group, from [`LoginRadius::webhooks`](crate::LoginRadius::webhooks).
    Webhooks
}
