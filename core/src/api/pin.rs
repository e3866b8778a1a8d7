//! The `Pin` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Pin` API group, from [`LoginRadius::pin`](crate::LoginRadius::pin).
    Pin
}
