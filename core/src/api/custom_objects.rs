//! The `CustomObjects` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `CustomObjects` API group, from [`LoginRadius::custom_objects`](crate::LoginRadius::custom_objects).
    CustomObjects
}
