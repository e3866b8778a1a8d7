//! Named requirements as types: the [`Policy`] trait and the [`policy!`](crate::policy!) macro,
//! shared by the adapters' `Guarded<P>` extractors and policy guards.

use super::Require;

/// A named requirement, as a type: the parameter of the adapters' `Guarded<P>` extractors and
/// policy guards. Declare one with [`policy!`](crate::policy!) (re-exported by
/// `loginradius-axum` and `loginradius-actix`).
pub trait Policy: Send + Sync + 'static {
    /// The requirement (built once, then shared).
    fn require() -> &'static Require;
}

/// Declares policy types: unit structs implementing [`Policy`](crate::auth::Policy), whose
/// requirement is built once on first use.
///
/// The adapters re-export this macro (`loginradius_axum::policy!`, `loginradius_actix::policy!`)
/// next to their `Guarded<P>` extractors.
///
/// ```
/// use loginradius::auth::{Policy, Require};
/// use loginradius::policy;
///
/// policy! {
///     /// Administrators only.
///     pub AdminOnly = Require::role("admin");
///     /// Editors who may publish.
///     pub Publisher = Require::role("editor").and(Require::permission("publish"));
/// }
///
/// assert_eq!(AdminOnly::require().to_string(), r#"role "admin""#);
/// // Built once: every call returns the same requirement.
/// assert!(std::ptr::eq(Publisher::require(), Publisher::require()));
/// ```
#[macro_export]
macro_rules! policy {
    ($( $(#[$meta:meta])* $vis:vis $name:ident = $require:expr );+ $(;)?) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, Default)]
            $vis struct $name;

            impl $crate::auth::Policy for $name {
                fn require() -> &'static $crate::auth::Require {
                    static REQUIRE: ::std::sync::OnceLock<$crate::auth::Require> =
                        ::std::sync::OnceLock::new();
                    REQUIRE.get_or_init(|| $require)
                }
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    use super::Policy;
    use crate::auth::Require;

    crate::policy! {
        /// A test policy.
        Editors = Require::role("editor");
    }

    #[test]
    fn policy_macro_builds_the_requirement_once() {
        assert_eq!(Editors::require().to_string(), r#"role "editor""#);
        assert!(std::ptr::eq(Editors::require(), Editors::require()));
    }
}
