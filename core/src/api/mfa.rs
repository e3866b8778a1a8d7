//! The `Mfa` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `Mfa` API group, from [`LoginRadius::mfa`](crate::LoginRadius::mfa).
    Mfa
}
