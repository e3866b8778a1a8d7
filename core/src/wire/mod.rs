//! The LoginRadius wire protocol, independent of any HTTP stack: percent-encoding, the JSON body
//! format, request signing and SOTT. The emulator uses the same code to check what it receives.

pub mod encode;
pub mod json;
pub mod signing;
pub mod sott;
pub(crate) mod timefmt;
