//! The `OneTouch` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `OneTouch` API group, from [`LoginRadius::one_touch`](crate::LoginRadius::one_touch).
    OneTouch
}
