//! The JSON report read back as types (its shape is `conformance/report.schema.json`): what
//! the JUnit and HTML reports are rendered from, for a run (from its JSON) and for shards
//! merged by `stackspec report merge` alike, so that both say the same of the same records.
//! Fields a reader does not know are kept (`extra`) and written back unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::causes::CheckTotal;
pub use super::Tally;
use crate::cleanup::Leftover;
use crate::run::Outcome;
use crate::shard::Shard;

/// A whole report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub spec: String,
    pub url: String,
    pub seed: u64,
    pub failed: bool,
    pub started_unix_ms: u64,
    pub elapsed_ms: f64,
    pub operations: BTreeMap<String, Tally>,
    pub checks: BTreeMap<String, CheckTotal>,
    pub records: Vec<Record>,
    pub skipped: Vec<Skipped>,
    pub not_tried: Vec<NotTried>,
    /// What the run created and could not delete (absent when nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leftovers: Vec<Leftover>,
    pub overrides: Vec<Override>,
    pub roles: BTreeMap<String, Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardOf>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Report {
    /// The report of `outcome`, as its JSON report says it.
    pub fn of(outcome: &Outcome) -> Self {
        let json = super::json::render(outcome);
        // The JSON report is made from the same types: it always reads back.
        serde_json::from_value(json).expect("the JSON report reads back as a Report")
    }

    /// Whether an override went stale.
    pub fn stale(&self) -> usize {
        self.overrides.iter().filter(|o| o.state == "stale").count()
    }
}

/// Which part of a sharded run a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardOf {
    pub index: u32,
    pub count: u32,
}

impl From<Shard> for ShardOf {
    fn from(s: Shard) -> Self {
        Self { index: s.index, count: s.count }
    }
}

/// One response (or transport error).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub operation: String,
    /// The stable test name: phase and place (`property #3`).
    pub name: String,
    pub phase: String,
    pub method: String,
    pub path: String,
    pub microversion: Option<String>,
    pub status: Option<u16>,
    pub elapsed_ms: f64,
    pub failed: bool,
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    pub acknowledged: Vec<Value>,
    pub curl: String,
    pub seed: u64,
    pub rerun: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Record {
    /// The checks that failed (`transport` for no response).
    pub fn failing_checks(&self) -> Vec<&str> {
        let mut checks: Vec<&str> = self.failures().map(|f| f.check.as_str()).collect();
        if self.error.is_some() {
            checks.push(super::causes::TRANSPORT);
        }
        checks
    }

    pub fn failures(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.severity == "failure")
    }

    /// One line: the transport error, or the failing checks and their messages.
    pub fn summary(&self) -> String {
        let failures = self.failures().map(|f| (f.check.as_str(), f.message.as_str()));
        crate::record::summary(self.error.as_deref(), failures)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub check: String,
    /// `failure` or `warning`.
    pub severity: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    pub operation: String,
    pub phase: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotTried {
    pub operation: String,
    pub phase: String,
    pub cases: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Override {
    pub finding: String,
    pub title: String,
    pub operation: String,
    pub at: String,
    pub why: String,
    /// `acknowledged`, `stale` or `not-exercised`.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Role {
    pub documented: Option<String>,
    pub member_statuses: BTreeMap<String, usize>,
    pub needed: String,
}

/// The rank of a phase in a run (examples, property, negative, auth), unknown ones last.
pub fn phase_rank(phase: &str) -> usize {
    crate::phases::Phase::ALL.iter().position(|p| p.name() == phase).unwrap_or(usize::MAX)
}
