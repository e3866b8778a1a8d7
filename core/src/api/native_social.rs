//! The `NativeSocial` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `NativeSocial` API group, from [`LoginRadius::native_social`](crate::LoginRadius::native_social).
    NativeSocial
}
