//! One difference in meaning between the docs, the published spec and the service, and
//! its parts (the aspect compared, each side's word, the verdict): the data every later
//! module (findings that know it, proposed corrections, reports) reads.

use serde::Serialize;

pub use crate::aspect::Aspect;
use crate::operations::Field;
use crate::proposal::Proposal;

/// Who is right, as far as this comparison can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The documents differ and nothing observed decides between them.
    Differ,
    /// The service does what the published spec says, not the docs.
    DocsDiffer,
    /// The service does what the docs say, not the published spec.
    PublishedDiffers,
    /// The service contradicts both.
    BothDiffer,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Differ => "documents differ",
            Verdict::DocsDiffer => "docs differ",
            Verdict::PublishedDiffers => "published differs",
            Verdict::BothDiffer => "both differ from the service",
        }
    }
}

/// One side's word on a difference: the value and the JSON pointer that says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub value: String,
    pub pointer: Option<String>,
}

/// One difference in meaning.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub field: Field,
    pub aspect: Aspect,
    /// The microversions it holds at (`2.1-2.50`, `2.51-`); `None` for an unversioned API.
    pub versions: Option<String>,
    pub verdict: Verdict,
    pub docs: Side,
    /// `None` when no published spec was given.
    pub published: Option<Side>,
    pub observed: Option<Side>,
    /// Findings of `docs/findings.md` or `spec/corrections/` that already record it.
    pub known: Vec<String>,
    /// What would make the docs say what the evidence shows.
    pub correction: Option<Proposal>,
}
