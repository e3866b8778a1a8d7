//! The `Phone` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Phone` API group, from [`LoginRadius::phone`](crate::LoginRadius::phone).
    Phone
}
