//! Behaviour of the generated code, on the generator's fixture specs: serde shapes of the
//! types, and the generated client against the generated server over real HTTP on
//! 127.0.0.1.

mod parameters;
mod round_trip;
mod types;
