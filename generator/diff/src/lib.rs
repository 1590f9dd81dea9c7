//! Breaking-change report between two OpenAPI documents (`stackspec diff`).
//!
//! Operations are matched by method and path template with path parameter names ignored
//! (`/servers/{id}` is `/servers/{server_id}`), never by `operationId`, which transcription
//! may rename freely. Inside a matched operation, parameters, request bodies and responses
//! are compared and their schemas walked side by side, following `$ref`s; every difference
//! is checked against the rules in [`rules`]. A change inside a shared component is reported
//! once per operation that reaches it, at the component's JSON pointer.
//!
//! Changes that only affect microversions newer than any OLD documents are downgraded to
//! info (see the `versions` module): that is how microversioned APIs evolve safely.

pub mod acknowledge;
mod constraints;
mod direction;
mod enums;
mod operations;
mod parameters;
pub mod report;
mod resolve;
pub mod rules;
mod schemas;
mod versions;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub use acknowledge::{AcknowledgeError, Acknowledgement, Acknowledgements, Class};
pub use rules::{Rule, Severity};

use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::Spec;

/// Why two documents could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{}: at {pointer}: `$ref` `{reference}` does not resolve (expected a local `#/...` pointer into the document)", file.display())]
    UnresolvedRef { file: PathBuf, pointer: String, reference: String },
    #[error("{}: at {pointer}: `$ref`s refer to each other in a cycle", file.display())]
    RefCycle { file: PathBuf, pointer: String },
    #[error("{}: paths `{first}` and `{second}` differ only in path parameter names", file.display())]
    AmbiguousPath { file: PathBuf, first: String, second: String },
}

/// What a change concerns: an operation, or a whole path (for `path-*` checks).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Operation {
    pub path: String,
    /// Upper case; `None` for a change to the whole path.
    pub method: Option<String>,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.method {
            Some(method) => write!(f, "{method} {}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// One difference between OLD and NEW.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub rule: &'static Rule,
    /// The rule's severity, or info when the change is microversion-gated.
    pub severity: Severity,
    pub operation: Operation,
    /// Where the change is: in NEW, or in OLD for what NEW no longer has.
    pub pointer: String,
    /// What changed, in one line.
    pub message: String,
    /// The change only affects microversions newer than any OLD documents.
    pub microversion_gated: bool,
    /// The reviewed entry that acknowledges it, if any.
    pub acknowledged: Option<Acknowledgement>,
}

/// All changes, sorted: most severe first, then by operation, check id and pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
    /// Acknowledgements that matched no change (see [`acknowledge`]).
    pub stale: Vec<Acknowledgement>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.changes.iter().filter(|c| c.severity == severity).count()
    }

    /// How many changes of `severity` a reviewer has acknowledged.
    pub fn acknowledged(&self, severity: Severity) -> usize {
        let acknowledged = |c: &&Change| c.severity == severity && c.acknowledged.is_some();
        self.changes.iter().filter(acknowledged).count()
    }

    /// Whether any unacknowledged change is at least as severe as `threshold` (for
    /// `--fail-on`); a stale acknowledgement counts as a warning.
    pub fn reaches(&self, threshold: Severity) -> bool {
        let unreviewed = |c: &Change| c.acknowledged.is_none() && c.severity >= threshold;
        self.changes.iter().any(unreviewed)
            || (!self.stale.is_empty() && threshold <= Severity::Warning)
    }
}

/// An entry of OLD only, of NEW only, or of both, when two keyed collections are paired up.
pub(crate) enum Paired<'x, T> {
    Old(&'x T),
    New(&'x T),
    Both(&'x T, &'x T),
}

/// Pairs two keyed collections: OLD's entries in key order, then NEW's additions.
pub(crate) fn pair_up<'x, K: Ord, T>(
    old: &'x BTreeMap<K, T>,
    new: &'x BTreeMap<K, T>,
) -> Vec<(&'x K, Paired<'x, T>)> {
    let both = |(k, o)| (k, new.get(k).map_or(Paired::Old(o), |n| Paired::Both(o, n)));
    let mut pairs: Vec<_> = old.iter().map(both).collect();
    let added = new.iter().filter(|(k, _)| !old.contains_key(*k));
    pairs.extend(added.map(|(k, n)| (k, Paired::New(n))));
    pairs
}

/// What the diff is told beyond the two documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The newest microversion released to clients. A change only at microversions above it
    /// breaks nobody, even when OLD already documents them (two merges of one release cycle).
    pub released_max: Option<Microversion>,
}

/// Compares OLD with NEW.
pub fn diff(old: &Spec, new: &Spec) -> Result<Report, DiffError> {
    diff_with(old, new, Options::default())
}

/// Compares OLD with NEW, with `options`.
pub fn diff_with(old: &Spec, new: &Spec, options: Options) -> Result<Report, DiffError> {
    let latest = versions::latest(&old.raw);
    let newest_clients_use = match (latest, options.released_max) {
        (Some(latest), Some(released)) => Some(latest.min(released)),
        (latest, released) => latest.or(released),
    };
    let mut recorder = Recorder::new(newest_clients_use);
    operations::compare(old, new, &mut recorder)?;
    Ok(recorder.finish())
}

/// Collects changes for the operation being compared. The same change reached twice within
/// one operation (a component used by two responses) is kept once, at its worst severity.
pub(crate) struct Recorder {
    latest_old: Option<Microversion>,
    operation: Operation,
    changes: BTreeMap<(Operation, &'static str, String, String), Change>,
}

impl Recorder {
    fn new(latest_old: Option<Microversion>) -> Self {
        Self {
            latest_old,
            operation: Operation { path: String::new(), method: None },
            changes: BTreeMap::new(),
        }
    }

    /// Attributes the following changes to `operation`.
    pub fn enter(&mut self, operation: Operation) {
        self.operation = operation;
    }

    /// Records a change whose lowest affected microversion is `affected`, no lower than the
    /// lowest of `scope` (the range of what encloses it: a change inside an operation that
    /// starts at 2.50 cannot affect 2.10).
    pub fn record(
        &mut self,
        rule: &'static Rule,
        pointer: &str,
        message: String,
        scope: VersionRange,
        affected: versions::Lowest,
    ) {
        let affected = versions::higher(affected, versions::lowest(scope));
        let gated = versions::is_gated(affected, self.latest_old);
        let downgraded = gated && rule.severity > Severity::Info;
        let message = match (downgraded, self.latest_old) {
            (false, _) => message,
            (true, Some(latest)) => format!("{message} (only after {latest}, OLD's newest)"),
            (true, None) => format!("{message} (only at microversions OLD does not have)"),
        };
        let change = Change {
            rule,
            severity: if gated { Severity::Info } else { rule.severity },
            operation: self.operation.clone(),
            pointer: pointer.to_string(),
            message,
            microversion_gated: gated,
            acknowledged: None,
        };
        self.keep(change);
    }

    /// Keeps a change, once per operation, check, pointer and message, at its worst severity.
    pub fn keep(&mut self, change: Change) {
        let key = (
            change.operation.clone(),
            change.rule.id,
            change.pointer.clone(),
            change.message.clone(),
        );
        let slot = self.changes.entry(key).or_insert_with(|| change.clone());
        if change.severity > slot.severity {
            *slot = change;
        }
    }

    /// An empty recorder for the same operation, to find changes before deciding which count.
    pub fn scratch(&self) -> Self {
        Self {
            latest_old: self.latest_old,
            operation: self.operation.clone(),
            changes: BTreeMap::new(),
        }
    }

    /// The changes recorded so far, unsorted.
    pub fn into_changes(self) -> Vec<Change> {
        self.changes.into_values().collect()
    }

    /// Records how the microversion range of `subject` changed, with a (narrowed, widened)
    /// pair of rules.
    pub fn record_range(
        &mut self,
        rules: (&'static Rule, &'static Rule),
        subject: &str,
        pointer: &str,
        (old, new): (VersionRange, VersionRange),
        scope: VersionRange,
    ) {
        let change = versions::compare(old, new);
        let message = format!(
            "{subject} microversions: {} -> {}",
            versions::describe(old),
            versions::describe(new)
        );
        for (rule, affected) in [(rules.0, change.narrowed), (rules.1, change.widened)] {
            if let Some(affected) = affected {
                self.record(rule, pointer, message.clone(), scope, affected);
            }
        }
    }

    fn finish(self) -> Report {
        let mut changes: Vec<Change> = self.changes.into_values().collect();
        changes.sort_by(|a, b| {
            (b.severity, &a.operation, a.rule.id, &a.pointer, &a.message).cmp(&(
                a.severity,
                &b.operation,
                b.rule.id,
                &b.pointer,
                &b.message,
            ))
        });
        Report { changes, stale: Vec::new() }
    }
}
