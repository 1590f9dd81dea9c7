//! Reviewed acknowledgements: a YAML file in which a reviewer records, for changes a diff
//! reports, "reviewed: this is a documentation correction" or "reviewed: we accept this
//! break", with a reason. `--fail-on` then counts only what nobody has reviewed, and the
//! report still lists every acknowledged change, so nothing is hidden.
//!
//! An entry names a change by its stable id ([`Change::id`]: check, operation and JSON
//! pointer). An entry that matches no change of the diff is *stale*: reported, and counted as
//! a warning, so that an acknowledgement cannot silently outlive what it acknowledged (or
//! stop matching after a rename and let a break through unnoticed).
//!
//! ```yaml
//! acknowledgements:
//!   - id: response-nullable-added GET /os-migrations /paths/~1os-migrations/get/...
//!     class: doc-correction
//!     reason: nova always returned null here before pre-migration checks; the docs now say so
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Change, Report};

/// Why an acknowledgements file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AcknowledgeError {
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: {source}", path.display())]
    Syntax { path: PathBuf, line: usize, source: stackspec_model::yaml::YamlError },
    #[error("{}:{line}: {message}", path.display())]
    Entry { path: PathBuf, line: usize, message: String },
}

/// What a reviewer found a change to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// The API did not change; its documentation was corrected.
    DocCorrection,
    /// The API did change, and the break is accepted (announced, or unavoidable).
    AcceptedBreak,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DocCorrection => "doc-correction",
            Self::AcceptedBreak => "accepted-break",
        }
    }
}

/// One reviewed entry, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub id: String,
    pub class: Class,
    pub reason: String,
    pub file: PathBuf,
    pub line: usize,
}

/// A loaded acknowledgements file.
#[derive(Debug, Clone, Default)]
pub struct Acknowledgements {
    pub entries: Vec<Acknowledgement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    acknowledgements: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    class: Class,
    reason: String,
}

impl Acknowledgements {
    pub fn load(path: &Path) -> Result<Self, AcknowledgeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| AcknowledgeError::Io { path: path.to_path_buf(), source })?;
        Self::parse(path, &text)
    }

    /// Parses a file's text. Every entry needs a reason, and an id may appear only once.
    pub fn parse(path: &Path, text: &str) -> Result<Self, AcknowledgeError> {
        let raw: RawFile = stackspec_model::yaml::from_str(text).map_err(|source| {
            let line = source.line();
            AcknowledgeError::Syntax { path: path.to_path_buf(), line, source }
        })?;
        let lines = stackspec_model::yaml::list_item_lines(text, "acknowledgements");
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut entries = Vec::new();
        for (index, entry) in raw.acknowledgements.into_iter().enumerate() {
            let line = lines.get(index).copied().unwrap_or(1);
            let error = |message: String| AcknowledgeError::Entry {
                path: path.to_path_buf(),
                line,
                message,
            };
            if entry.reason.trim().is_empty() {
                return Err(error("`reason` is empty: say what the review found".into()));
            }
            if let Some(first) = seen.insert(entry.id.clone(), line) {
                return Err(error(format!(
                    "`{}` is acknowledged twice (first at line {first})",
                    entry.id
                )));
            }
            let (id, class, reason) = (entry.id, entry.class, entry.reason);
            entries.push(Acknowledgement { id, class, reason, file: path.to_path_buf(), line });
        }
        Ok(Self { entries })
    }

    /// Marks every change an entry names as acknowledged, and lists the entries that name
    /// none as stale.
    pub fn apply(&self, report: &mut Report) {
        let mut used = vec![false; self.entries.len()];
        for change in &mut report.changes {
            let id = change.id();
            if let Some(at) = self.entries.iter().position(|e| e.id == id) {
                used[at] = true;
                change.acknowledged = Some(self.entries[at].clone());
            }
        }
        let stale = self.entries.iter().zip(used).filter(|(_, used)| !used);
        report.stale = stale.map(|(entry, _)| entry.clone()).collect();
    }
}

impl Change {
    /// What identifies the change across runs, for acknowledgements: its check, operation
    /// and JSON pointer. Messages are left out so that rewording one never unacknowledges it.
    pub fn id(&self) -> String {
        format!("{} {} {}", self.rule.id, self.operation, self.pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Acknowledgements, AcknowledgeError> {
        Acknowledgements::parse(Path::new("acks.yaml"), text)
    }

    const TWO: &str = "# reviewed\nacknowledgements:\n  - id: a\n    class: doc-correction\n    reason: docs fixed\n\n  - id: b\n    class: accepted-break\n    reason: announced\n";

    #[test]
    fn entries_keep_their_class_reason_and_line() {
        let acks = parse(TWO).unwrap();
        let found: Vec<_> = acks.entries.iter().map(|e| (e.id.as_str(), e.class, e.line)).collect();
        assert_eq!(found, [("a", Class::DocCorrection, 3), ("b", Class::AcceptedBreak, 7)]);
    }

    #[test]
    fn an_unknown_class_is_an_error_at_its_line() {
        let err = parse(&TWO.replace("accepted-break", "fine")).unwrap_err().to_string();
        assert!(err.starts_with("acks.yaml:8:"), "{err}");
        assert!(err.contains("doc-correction"), "{err}");
    }

    #[test]
    fn an_empty_reason_and_a_duplicate_id_are_errors_at_the_entry() {
        let err = parse(&TWO.replace("announced", "' '")).unwrap_err().to_string();
        assert!(err.starts_with("acks.yaml:7: `reason` is empty"), "{err}");
        let err = parse(&TWO.replace("id: b", "id: a")).unwrap_err().to_string();
        assert_eq!(err, "acks.yaml:7: `a` is acknowledged twice (first at line 3)");
    }

    #[test]
    fn a_missing_field_is_an_error() {
        let err = parse("acknowledgements:\n  - id: a\n    class: doc-correction\n");
        assert!(err.unwrap_err().to_string().contains("missing field `reason`"));
    }
}
