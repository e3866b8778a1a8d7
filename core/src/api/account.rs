//! The `Account` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Account` API group, from [`LoginRadius::account`](crate::LoginRadius::account).
    Account
}
