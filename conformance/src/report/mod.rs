//! What a run found, for people and for CI: a terminal summary, JSON, and JUnit XML. Every
//! failure carries its `curl` reproducer (secrets redacted) and the seed.

pub mod json;
pub mod junit;
pub mod terminal;

use std::collections::BTreeMap;

use crate::run::{Outcome, Record};

/// Per-operation counts, the basis of every report.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Tally {
    pub cases: usize,
    pub passed: usize,
    pub failed: usize,
    pub warnings: usize,
    /// Status code (or `error`) to count.
    pub statuses: BTreeMap<String, usize>,
    /// Finding id to the number of responses that showed it (acknowledged by an override).
    pub acknowledged: BTreeMap<String, usize>,
}

/// Tallies by operation id, in first-seen order of ids sorted.
pub fn tallies(outcome: &Outcome) -> BTreeMap<&str, Tally> {
    let mut out: BTreeMap<&str, Tally> = BTreeMap::new();
    for r in &outcome.records {
        let t = out.entry(r.operation.as_str()).or_default();
        t.cases += 1;
        if r.failed() {
            t.failed += 1;
        } else {
            t.passed += 1;
        }
        t.warnings += r.findings.len() - r.failures().count();
        let status = r.status.map_or("error".into(), |s| s.to_string());
        *t.statuses.entry(status).or_default() += 1;
        let mut findings: Vec<&str> = r.acknowledged.iter().map(|a| a.finding.as_str()).collect();
        findings.dedup();
        for finding in findings {
            *t.acknowledged.entry(finding.to_string()).or_default() += 1;
        }
    }
    out
}

/// How to rerun the case behind `record` on its own.
pub fn rerun_hint(outcome: &Outcome, record: &Record) -> String {
    format!(
        "stackspec conform --spec {} --url {} --operation {} --phases {} --seed {}",
        outcome.spec,
        outcome.base_url,
        record.operation,
        record.case.phase.name(),
        outcome.seed
    )
}
