//! The `request_builder!` macro: one builder type per endpoint with typed setters for the
//! optional query parameters, awaitable directly (`IntoFuture`) or through `send()`.

/// A boxed future returned by awaiting a request builder.
pub type BoxFuture<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, crate::Error>> + Send + 'static>>;

/// Declares a request builder:
///
/// ```text
/// request_builder! {
///     /// Doc of the builder.
///     pub struct GetProfile -> Profile;
///     /// Doc of the setter.
///     fn fields("fields": String);
/// }
/// ```
macro_rules! request_builder {
    (
        $(#[$meta:meta])*
        pub struct $name:ident -> $out:ty;
        $(
            $(#[$smeta:meta])*
            fn $setter:ident($param:literal: $ty:ident);
        )*
    ) => {
        $(#[$meta])*
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct $name {
            call: $crate::request::Call,
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("endpoint", &self.call.endpoint_name())
                    .finish_non_exhaustive()
            }
        }

        impl $name {
            #[allow(dead_code)]
            pub(crate) fn from_call(call: $crate::request::Call) -> Self {
                Self { call }
            }

            $(
                $crate::request::builder::setter! { $(#[$smeta])* $setter $param $ty }
            )*

            /// Finishes by `at`: every attempt and every wait between attempts must fit before
            /// it. A retry (or a `Retry-After` wait) that would not is not started, and the
            /// answer so far is returned (a 429 as [`Error::RateLimited`](crate::Error) with its
            /// `Retry-After`); an attempt still running at `at` ends with
            /// [`Error::Timeout`](crate::Error). For work done while someone waits, such as a
            /// guard validating a token: one deadline can cover several calls.
            pub fn deadline(mut self, at: ::tokio::time::Instant) -> Self {
                self.call = self.call.deadline(at);
                self
            }

            /// Sends the request. Awaiting the builder does the same.
            pub async fn send(self) -> ::std::result::Result<$out, $crate::Error> {
                self.call.send().await
            }

            /// Sends the request and returns the answer as JSON, untyped: raw access to what
            /// the service sent. Errors are mapped as [`send`](Self::send) maps them.
            pub async fn send_json(
                self,
            ) -> ::std::result::Result<::serde_json::Value, $crate::Error> {
                self.call.send().await
            }
        }

        impl ::std::future::IntoFuture for $name {
            type Output = ::std::result::Result<$out, $crate::Error>;
            type IntoFuture = $crate::request::BoxFuture<$out>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use request_builder;

/// One optional-parameter setter: text takes `impl Into<String>`, other types are taken as is (so
/// `.time_difference(20)` works with a bare literal).
macro_rules! setter {
    ($(#[$meta:meta])* $setter:ident $param:literal String) => {
        $(#[$meta])*
        pub fn $setter(mut self, value: impl Into<String>) -> Self {
            self.call = self.call.param($param, value.into());
            self
        }
    };
    ($(#[$meta:meta])* $setter:ident $param:literal $ty:ident) => {
        $(#[$meta])*
        pub fn $setter(mut self, value: $ty) -> Self {
            self.call = self.call.param($param, value);
            self
        }
    };
}
pub(crate) use setter;
