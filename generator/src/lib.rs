//! stackspec's library: every pipeline stage that works on documents.
//!
//! - [`apiref`] reads os-api-ref sources (RST, parameters files, samples);
//! - [`transcribe`] turns what it read into one OpenAPI 3.0.3 document;
//! - [`diff`] reports the changes between two documents and which of them break clients;
//! - [`model`] loads OpenAPI documents for every later stage (views per microversion,
//!   conversion to JSON Schema);
//! - [`rust`] generates Rust types, client and server stubs from a loaded document;
//! - [`yaml`] parses YAML within fixed limits, for every reader of YAML files.

pub mod apiref;
pub mod corpus;
pub mod diagnostics;
pub mod diff;
pub mod fidelity;
pub mod model;
pub mod rust;
pub mod transcribe;
pub mod version;
pub mod yaml;
