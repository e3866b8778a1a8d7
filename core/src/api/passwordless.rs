//! The `Passwordless` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Passwordless` API group, from [`LoginRadius::passwordless`](crate::LoginRadius::passwordless).
    Passwordless
}
