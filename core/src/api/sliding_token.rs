//! The `SlidingToken` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `SlidingToken` API group, from [`LoginRadius::sliding_token`](crate::LoginRadius::sliding_token).
    SlidingToken
}
