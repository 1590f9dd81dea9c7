//! Where a problem is (`file:line`) and what it is. Shared by every reader of api-ref input,
//! so that a warning about a parameter, a sample or a directive always reads the same way.

use std::fmt;
use std::path::PathBuf;

/// A place in an input file; lines count from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, line: usize) -> Self {
        Self { file: file.into(), line }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// What kind of problem a diagnostic reports. Kinds let reports count, e.g., unresolved
/// references without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// A `- name: key` whose key is not in the parameters file.
    UnresolvedParameter,
    /// A parameters-file entry that cannot be used (unknown `in:`, unknown `type:`).
    InvalidParameter,
    /// A `literalinclude` whose file does not exist or cannot be read.
    MissingSample,
    /// A sample file that is not valid JSON.
    InvalidSample,
    /// parameters.yaml and a sample disagree on a value's type; parameters.yaml wins.
    TypeDisagreement,
    /// A path template and its declared path parameters do not match.
    PathParameterMismatch,
    /// A construct OpenAPI cannot hold as written (a verb outside its methods, a query
    /// string in a path), kept in a form it can.
    NotOpenApi,
    /// The input leaves a choice open (where an undocumented-by-samples parameter sits);
    /// the transcriber made the usual one.
    Ambiguous,
    /// Something the reader skipped because it could not place it (a body parameter in a
    /// GET's request, a code line it could not parse, a sample with no section).
    Ignored,
    /// Bytes that are not UTF-8, or control characters: read as U+FFFD. Also invisible
    /// (format or control) characters in a `rest_method` path: dropped.
    InvalidText,
    /// A directive or list entry that does not parse (a `rest_method` without a path, a
    /// `rest_parameters` entry that is not `- name: key`): skipped, and what it would have
    /// documented is missing.
    Malformed,
    /// A `literalinclude` of an example in another format than JSON (a curl command, an
    /// HTTP transcript, XML): not a sample, so not validated. A note, not a warning.
    NonJsonSample,
}

/// How much a diagnostic matters: a warning means something the docs say is missing or
/// wrong in the output; a note only explains what was left out on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
}

impl DiagnosticKind {
    pub fn severity(self) -> Severity {
        match self {
            Self::NonJsonSample => Severity::Note,
            _ => Severity::Warning,
        }
    }
}

/// One warning about the input, anchored to a file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub location: Location,
    pub kind: DiagnosticKind,
    pub message: String,
}

impl Diagnostic {
    pub fn new(kind: DiagnosticKind, location: Location, message: impl Into<String>) -> Self {
        Self { location, kind, message: message.into() }
    }

    pub fn is_warning(&self) -> bool {
        self.kind.severity() == Severity::Warning
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}: {}", self.location, self.kind, self.message)
    }
}
