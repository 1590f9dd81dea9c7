//! A three-way comparison (`stackspec compare`): what the api-ref spec says of each
//! operation (`spec/X.yaml`), what OpenStack's published, code-derived spec says, and,
//! optionally, what a real service answered (exchanges `stackspec conform --record` kept).
//!
//! Both documents are read as [`stackspec_model::Spec`] (3.1 in its 3.0 form). Spelling
//! differences are normalized away before anything is compared ([`fields`]: `$ref` and
//! inline, microversion ranges as per-range `oneOf` branches or `x-openstack` on properties,
//! `nullable` or a `null` type); what remains are differences in meaning, reported per
//! operation, field and aspect (presence, type, null, required, enum, format, `minItems`,
//! statuses), each at the microversions it holds at, with the JSON pointers of both sides
//! and, where the docs are the side to correct, a proposed entry of `spec/corrections/`.

pub mod aspect;
pub mod compare;
pub mod difference;
pub mod fields;
pub mod known;
pub mod observed;
pub mod operations;
pub mod proposal;
pub mod report;
pub mod resolve;

use std::path::PathBuf;

pub use compare::{compare, Comparison, OperationReport};
pub use difference::{Aspect, Difference, Side, Verdict};

/// Why two documents could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{}: at {pointer}: `$ref` `{reference}` does not resolve (expected a local `#/...` pointer into the document)", file.display())]
    UnresolvedRef { file: PathBuf, pointer: String, reference: String },
    #[error("{}: at {pointer}: `$ref`s refer to each other in a cycle", file.display())]
    RefCycle { file: PathBuf, pointer: String },
    #[error(transparent)]
    Observed(#[from] observed::ObservedError),
    #[error(transparent)]
    Known(#[from] known::KnownError),
}
