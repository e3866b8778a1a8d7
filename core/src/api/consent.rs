//! The `Consent` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Consent` API group, from [`LoginRadius::consent`](crate::LoginRadius::consent).
    Consent
}
