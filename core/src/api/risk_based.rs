//! The `RiskBased` API group. Methods are added by the API coverage work.


group_handle! {
    /// Handle for the `RiskBased` API group, from [`LoginRadius::risk_based`](crate::LoginRadius::risk_based).
    RiskBased
}
