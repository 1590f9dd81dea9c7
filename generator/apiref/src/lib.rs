//! stackspec's api-ref stage: from os-api-ref sources to one OpenAPI 3.0.3 document.
//!
//! - [`reader`] reads os-api-ref sources (RST, parameters files, samples) into plain data;
//! - [`transcribe`] turns what it read into one OpenAPI document;
//! - [`fidelity`] measures how faithful a transcription is (every sample validated against
//!   the schema it documents), [`corpus`] names the services of the corpus;
//! - [`diagnostics`] are the warnings both report, each with file and line.
//!
//! Depends on `stackspec-model` only (to validate samples against the written schemas).

pub mod corpus;
pub mod diagnostics;
pub mod fidelity;
pub mod reader;
pub mod transcribe;
