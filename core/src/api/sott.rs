//! The `Sott` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Sott` API group, from [`LoginRadius::sott`](crate::LoginRadius::sott).
    Sott
}
