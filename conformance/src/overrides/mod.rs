//! Reviewed overrides: where the upstream docs are wrong (a finding in `docs/findings.md`),
//! the run applies an explicit correction instead of failing, and says so. Each entry names
//! the finding it answers, the operation, and one change:
//!
//! - `patch`: JSON-patch operations on the operation (pointers relative to it), for what
//!   the docs should have said (a type, an enum, a status);
//! - `rejected-example`: a documented request sample that violates the documented schema;
//!   it is sent expecting a 4xx instead of its documented success;
//! - `accept`: failures of one check whose message contains a text, for what neither of the
//!   above can express.
//!
//! An entry is acknowledged when it changed the verdict on at least one response; one that
//! was exercised but changed nothing is stale, which fails the run, so that an override
//! cannot outlive the defect it answers. The file format is described in the header of
//! `conformance/overrides.yaml`.

mod active;

pub use active::{Acknowledgement, Active, OverrideState, OverrideStatus};
pub use stackspec_model::patch::PatchOp;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Why an overrides file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("{}:{line}: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error("{}:{line}: at {pointer}: {message}", path.display())]
    Entry { path: PathBuf, line: usize, pointer: String, message: String },
}

/// Which servers show a finding, and so which runs apply its override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeenOn {
    /// The docs contradict themselves: every server that follows them shows it, the mock
    /// built from them included.
    Docs,
    /// The real service differs from the docs; a mock built from the docs does not.
    Service,
    /// Only a server that follows the docs to the letter (the mock) shows it; the real
    /// service takes what its docs forbid (nova's legacy validator takes the sample's
    /// `"True"` for a boolean, so the sample is no invalid input for nova).
    Mock,
}

impl SeenOn {
    /// Whether a run against `target` shows what the entry answers.
    pub fn shows_on(self, target: Target) -> bool {
        match self {
            SeenOn::Docs => true,
            SeenOn::Service => target == Target::Service,
            SeenOn::Mock => target == Target::Mock,
        }
    }
}

/// What kind of server a run talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// A real service: the `seen-on: docs` and `seen-on: service` overrides apply.
    #[default]
    Service,
    /// A mock built from the docs: the `seen-on: docs` and `seen-on: mock` overrides apply.
    Mock,
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "service" => Ok(Target::Service),
            "mock" => Ok(Target::Mock),
            other => Err(format!("unknown target `{other}` (expected service or mock)")),
        }
    }
}

/// Failures to take as the finding's symptom.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    pub check: String,
    /// A substring of the failure's message.
    pub matching: String,
    /// Only responses with this status show the finding (glance's 401s lack a request id):
    /// the entry is exercised only by a run that got one, so a run that never does (no
    /// auth phase) does not call it stale.
    #[serde(default)]
    pub status: Option<u16>,
}

/// What an override changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Patch(Vec<PatchOp>),
    RejectedExample(String),
    Accept(Accept),
}

/// One reviewed override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// `F2`: a heading of the findings file.
    pub finding: String,
    /// The spec's service type (`compute`).
    pub service: String,
    pub operation: String,
    pub seen_on: SeenOn,
    pub change: Change,
    pub why: String,
    /// Where the entry starts in the file.
    pub line: usize,
    /// Its index in `overrides`, for JSON pointers in errors.
    pub index: usize,
}

/// A loaded overrides file, every finding id checked against the findings file.
#[derive(Debug, Clone)]
pub struct OverrideFile {
    pub path: PathBuf,
    /// Finding id to its title.
    pub findings: BTreeMap<String, String>,
    pub entries: Vec<Override>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The findings file, relative to the overrides file.
    findings: PathBuf,
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    finding: String,
    service: String,
    operation: String,
    seen_on: SeenOn,
    why: String,
    patch: Option<Vec<PatchOp>>,
    rejected_example: Option<String>,
    accept: Option<Accept>,
}

impl OverrideFile {
    pub fn load(path: &Path) -> Result<Self, OverrideError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| OverrideError::Io { path: path.to_path_buf(), message: e.to_string() })?;
        Self::parse(path, &text)
    }

    /// Parses the file's text; the findings file is read relative to `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, OverrideError> {
        let raw: RawFile =
            stackspec_model::yaml::from_str(text).map_err(|e| OverrideError::Syntax {
                path: path.to_path_buf(),
                line: e.line(),
                message: e.to_string(),
            })?;
        let findings_path = path.parent().unwrap_or(Path::new(".")).join(&raw.findings);
        let findings = stackspec_model::findings::read(&findings_path)
            .map_err(|e| OverrideError::Io { path: e.path, message: e.source.to_string() })?;
        let lines = stackspec_model::yaml::list_item_lines(text, "overrides");
        let entries = raw
            .overrides
            .into_iter()
            .enumerate()
            .map(|(index, r)| {
                let line = lines.get(index).copied().unwrap_or(1);
                entry(path, &findings, &findings_path, r, index, line)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { path: path.to_path_buf(), findings, entries })
    }

    /// An error about entry `o` at `field` (a pointer below the entry).
    pub fn error(&self, o: &Override, field: &str, message: impl Into<String>) -> OverrideError {
        OverrideError::Entry {
            path: self.path.clone(),
            line: o.line,
            pointer: format!("/overrides/{}{field}", o.index),
            message: message.into(),
        }
    }
}

fn entry(
    path: &Path,
    findings: &BTreeMap<String, String>,
    findings_path: &Path,
    r: RawOverride,
    index: usize,
    line: usize,
) -> Result<Override, OverrideError> {
    let error = |field: &str, message: String| OverrideError::Entry {
        path: path.to_path_buf(),
        line,
        pointer: format!("/overrides/{index}{field}"),
        message,
    };
    stackspec_model::findings::check_citation(findings, findings_path, &r.finding, &r.why)
        .map_err(|u| error(u.field, u.message))?;
    let change = match (r.patch, r.rejected_example, r.accept) {
        (Some(p), None, None) if !p.is_empty() => Change::Patch(p),
        (None, Some(e), None) => Change::RejectedExample(e),
        (None, None, Some(a)) => Change::Accept(a),
        _ => {
            let message =
                "expected exactly one of `patch` (non-empty), `rejected-example`, `accept`";
            return Err(error("", message.into()));
        }
    };
    Ok(Override {
        finding: r.finding,
        service: r.service,
        operation: r.operation,
        seen_on: r.seen_on,
        change,
        why: r.why,
        line,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `yaml` beside a findings file of its own (tests run in parallel).
    fn parse(yaml: &str) -> Result<OverrideFile, OverrideError> {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("stackspec-overrides-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("findings.md"),
            "# Findings\n\n## F1: a thing (upstream)\n## F12: b\n",
        )
        .unwrap();
        OverrideFile::parse(&dir.join("overrides.yaml"), yaml)
    }

    const ONE: &str = "findings: findings.md\noverrides:\n  # a comment\n  - finding: F1\n    service: widget\n    operation: create_widget\n    seen-on: docs\n    why: the sample is wrong\n    rejected-example: w\n";

    #[test]
    fn entries_are_read_with_their_line_and_finding() {
        let file = parse(&format!(
            "{ONE}  - finding: F12\n    service: widget\n    operation: show_widget\n    seen-on: service\n    why: size is a string\n    patch:\n      - {{op: replace, path: /responses/200, value: 1}}\n"
        ))
        .unwrap();
        assert_eq!(file.findings["F1"], "a thing (upstream)");
        let lines: Vec<usize> = file.entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 10]);
        assert_eq!(file.entries[0].change, Change::RejectedExample("w".into()));
        assert_eq!(file.entries[1].seen_on, SeenOn::Service);
        let shown = |seen: SeenOn| [Target::Service, Target::Mock].map(|t| seen.shows_on(t));
        assert_eq!(shown(SeenOn::Docs), [true, true]);
        assert_eq!(shown(SeenOn::Service), [true, false]);
        assert_eq!(shown(SeenOn::Mock), [false, true]);
        let Change::Patch(ops) = &file.entries[1].change else { panic!() };
        assert_eq!(ops[0].path(), "/responses/200");
    }

    #[test]
    fn an_unknown_finding_id_is_an_error_naming_the_line_and_pointer() {
        let err = parse(&ONE.replace("F1\n", "F99\n")).unwrap_err().to_string();
        assert!(err.contains("overrides.yaml:4: at /overrides/0/finding"), "{err}");
        assert!(err.contains("`F99` is not a heading of"), "{err}");
    }

    #[test]
    fn an_entry_with_two_changes_or_an_unknown_key_is_an_error() {
        let two = format!("{ONE}    accept: {{check: x, matching: y}}\n");
        let err = parse(&two).unwrap_err().to_string();
        assert!(err.contains(":4: at /overrides/0: expected exactly one of"), "{err}");
        let unknown = ONE.replace("why:", "because:");
        let err = parse(&unknown).unwrap_err().to_string();
        assert!(err.contains("overrides.yaml:") && err.contains("because"), "{err}");
    }
}
