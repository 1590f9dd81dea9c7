//! stackspec's contract tester: holds a live endpoint to an OpenAPI spec.
//!
//! [`plan`] reads what the spec says about each operation; the [`phases`] turn that into
//! requests (documented samples, generated valid input, deliberately invalid input); [`http`]
//! sends them politely, over the [`wire`] that suits the endpoint; every response goes
//! through each of the [`checks`]; [`report`] prints and writes what was found. [`run`] ties
//! them together.

pub mod checks;
pub mod cloud;
pub mod deadline;
pub mod http;
pub mod overrides;
pub mod phases;
pub mod plan;
pub mod reach;
pub mod report;
pub mod run;
pub mod secrets;
mod settings;
pub mod tls;
pub mod wire;

pub use run::{run, Outcome, Record};
pub use settings::{Phase, Settings, VersionChoice, DEFAULT_MAX_BODY_SIZE};
