//! api-ref → OpenAPI 3.0.3. The reader (`crate::reader`) gives plain data; this stage infers
//! body structure from samples (`shape`, `placement`, `body`, `versioned` where it changes
//! with the microversion, `member` for a sample of one member, `key_template` for names
//! standing for a family of keys), maps definitions to schemas
//! (`types`, `enums`), builds operations (`operation`, with `added` reading `versionadded`
//! notes and `exchange` telling apart the request/answer pairs of one block), merges blocks on one route (`routes`, keyed by `target`)
//! and assembles the document (`document`) with per-service knowledge (`profile`).

pub mod added;
pub mod body;
pub mod conflict;
pub mod document;
pub mod enum_case;
pub mod enums;
pub mod exchange;
pub mod key_template;
pub mod markdown;
pub mod member;
pub mod operation;
pub mod placement;
pub mod policy;
pub mod profile;
pub mod routes;
pub mod shape;
pub mod target;
pub mod types;
pub mod versioned;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::reader::{ApiRef, ReadError};
pub use profile::ServiceProfile;
use stackspec_model::corrections::{CorrectionError, CorrectionFile};
use stackspec_model::{LoadError, Spec};

/// Why a transcription failed.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The document built is not valid OpenAPI 3.0: a bug in the transcriber.
    #[error("the transcribed document is not valid OpenAPI (a stackspec bug): {0}")]
    Invalid(LoadError),
    #[error(transparent)]
    Correction(#[from] CorrectionError),
    #[error(transparent)]
    Conflict(#[from] conflict::Conflict),
    /// A reviewed correction made the document invalid: the correction is wrong.
    #[error("{}: the corrected document is not valid OpenAPI: {source}", corrections.display())]
    Corrected {
        corrections: PathBuf,
        #[source]
        source: LoadError,
    },
}

/// Settings for a transcription.
#[derive(Debug, Clone)]
pub struct Transcriber {
    profile: ServiceProfile,
    label: Option<String>,
}

/// A transcribed document and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Transcription {
    pub document: Value,
    pub spec: Spec,
    pub api: ApiRef,
    pub diagnostics: Vec<Diagnostic>,
}

impl Transcriber {
    /// A transcriber applying `profile` (see [`ServiceProfile::builtin`]).
    pub fn new(profile: ServiceProfile) -> Self {
        Self { profile, label: None }
    }

    /// How the document names its source (default: the source directory as given). Use a
    /// path that is the same on every machine, so output stays byte-identical.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Reads `source` (an api-ref source directory) and builds the document.
    pub fn transcribe(&self, source: &Path) -> Result<Transcription, TranscribeError> {
        self.transcribe_dirs(&[source.to_path_buf()])
    }

    /// Reads `sources`, the directories one api-ref is spread over (glance's `v2/` and
    /// `versions/`), and builds one document of them all (see [`ApiRef::read_all`]). Sample
    /// paths in the document are relative to the first; an operation or operation id that two
    /// directories both give is an error naming both.
    pub fn transcribe_dirs(&self, sources: &[PathBuf]) -> Result<Transcription, TranscribeError> {
        let api = ApiRef::read_all(sources)?;
        let mut diagnostics = api.diagnostics.clone();
        let label = self.label.clone().unwrap_or_else(|| {
            sources.iter().map(|s| s.display().to_string()).collect::<Vec<_>>().join(", ")
        });
        let mut document = document::assemble(&api, &self.profile, &label, &mut diagnostics)?;
        enum_case::follow_samples(&mut document);
        markdown::convert_descriptions(&mut document);
        diagnostics.extend(enums::warnings(&api));
        let spec = Spec::from_value(Path::new(&label), document.clone())
            .map_err(TranscribeError::Invalid)?;
        diagnostics.sort();
        diagnostics.dedup();
        Ok(Transcription { document, spec, api, diagnostics })
    }
}

impl Transcription {
    /// The document as YAML that YAML 1.1 and 1.2 readers read alike
    /// ([`stackspec_model::yaml`]); the same input always gives the same bytes.
    pub fn to_yaml(&self) -> String {
        stackspec_model::yaml::to_string(&self.document)
    }

    /// Applies reviewed corrections (`spec/corrections/`) to the document: the docs plus
    /// what the findings show they get wrong, each corrected node marked with its finding.
    pub fn correct(&mut self, corrections: &CorrectionFile) -> Result<(), TranscribeError> {
        let mut document = self.document.clone();
        corrections.apply(&mut document)?;
        self.spec = Spec::from_value(&self.spec.path, document.clone()).map_err(|source| {
            TranscribeError::Corrected { corrections: corrections.path.clone(), source }
        })?;
        self.document = document;
        Ok(())
    }
}
