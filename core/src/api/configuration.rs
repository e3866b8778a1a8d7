//! The `Configuration` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Configuration` API group, from [`LoginRadius::configuration`](crate::LoginRadius::configuration).
    Configuration
}
