//! The `SmartLogin` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `SmartLogin` API group, from [`LoginRadius::smart_login`](crate::LoginRadius::smart_login).
    SmartLogin
}
