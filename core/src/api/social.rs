//! The `Social` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Social` API group, from [`LoginRadius::social`](crate::LoginRadius::social).
    Social
}
