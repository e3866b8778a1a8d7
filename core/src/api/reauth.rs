//! The `ReAuth` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `ReAuth` API group, from [`LoginRadius::reauth`](crate::LoginRadius::reauth).
    ReAuth
}
