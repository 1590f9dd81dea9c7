//! stackspec's contract tester: holds a live endpoint to an OpenAPI spec.
//!
//! [`plan`] reads what the spec says about each operation; the [`phases`] turn that into
//! requests (documented samples, generated valid input, deliberately invalid input); [`http`]
//! sends them politely, over the [`wire`] that suits the endpoint; every response goes
//! through each of the [`checks`]; [`report`] prints and writes what was found. [`run`] ties
//! them together.
//!
//! Layers point one way (the README's Layout; `scripts/module-cycles` checks it): [`http`]
//! is made from a [`http::ClientConfig`] and knows tokens only as a [`token::TokenSource`]
//! ([`cloud`]'s Keystone is one); the [`phases`] are told only [`phases::CaseOptions`];
//! [`settings::Settings`] makes both for a run.

pub mod checks;
pub mod cleanup;
pub mod cloud;
pub mod deadline;
pub mod dry_run;
pub mod errors;
pub mod escape;
pub mod events;
pub mod http;
pub mod overrides;
pub mod phases;
pub mod plan;
pub mod reach;
pub mod record;
pub mod record_har;
pub mod report;
pub mod reproduce;
pub mod rerun;
pub mod root;
pub mod run;
pub mod secrets;
mod settings;
pub mod shard;
pub mod signature;
pub mod tls;
pub mod token;
pub mod wire;

pub use http::DEFAULT_MAX_BODY_SIZE;
pub use phases::{Phase, VersionChoice};
pub use run::{run, Outcome, Record};
pub use settings::Settings;
