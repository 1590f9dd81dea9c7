//! What a run found, for people and for CI: a terminal summary, JSON, and JUnit XML. Every
//! failure carries its `curl` reproducer (secrets redacted) and the seed.

pub mod causes;
pub mod coverage;
pub mod doc;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
pub mod ndjson;
pub mod output;
pub mod terminal;

use std::collections::BTreeMap;

use crate::phases::Intent;
use crate::run::{Outcome, Record};

/// Per-operation counts, the basis of every report (read back from a JSON report too, with
/// fields this version does not know kept in `extra`).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub cases: usize,
    pub passed: usize,
    pub failed: usize,
    pub warnings: usize,
    /// Status code (or `error`) to count.
    pub statuses: BTreeMap<String, usize>,
    /// Finding id to the number of responses that showed it (acknowledged by an override).
    pub acknowledged: BTreeMap<String, usize>,
    /// Whether a valid request got a success status (`None`: none was sent); see
    /// [`coverage::exercised`].
    pub exercised: Option<bool>,
    /// Valid requests rejected with 401, 403, or 404 at a path with ids (see
    /// [`coverage::rejections`]): with `exercised` false, the operation was only rejected.
    #[serde(default)]
    pub rejected: usize,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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
    for (op, exercised) in coverage::exercised(outcome) {
        if let Some(t) = out.get_mut(op) {
            t.exercised = Some(exercised);
        }
    }
    for (op, (_, rejected)) in coverage::rejections(outcome) {
        if let Some(t) = out.get_mut(op) {
            t.rejected = rejected;
        }
    }
    out
}

/// Each record's test name, the same from one run to the next whatever the seed: the phase
/// and the case's place among its operation's cases of that phase (read-backs of created
/// resources counted apart, as whether there is one depends on the create). Never a path
/// or a generated value: CI tools keep a test's history by its name.
pub fn case_names(records: &[Record]) -> Vec<String> {
    let mut seen: BTreeMap<(&str, crate::phases::Phase, &str), usize> = BTreeMap::new();
    records
        .iter()
        .map(|r| {
            let kind = match r.case.intent {
                Intent::ReadBack(_) => " read-back",
                Intent::AfterDelete(_) => " after-delete",
                _ => "",
            };
            let n = seen.entry((r.operation.as_str(), r.case.phase, kind)).or_default();
            *n += 1;
            format!("{}{kind} #{}", r.case.phase.name(), *n - 1)
        })
        .collect()
}

/// How to rerun the case behind `record` on its own (see [`crate::rerun::Rerun`]), pinning the
/// path values a safe request used.
pub fn rerun_hint(outcome: &Outcome, record: &Record) -> String {
    rerun_command(&outcome.rerun, &outcome.templates, outcome.seed, record)
}

/// [`rerun_hint`] from the parts of a run it needs: the run's rerun, the selected
/// operations' path templates and the seed (a streamed report knows them before the
/// outcome exists).
pub fn rerun_command(
    rerun: &crate::rerun::Rerun,
    templates: &BTreeMap<String, String>,
    seed: u64,
    record: &Record,
) -> String {
    let request = &record.case.request;
    let safe = matches!(request.method.as_str(), "GET" | "HEAD");
    let template = templates.get(&record.operation).filter(|_| safe);
    let pins = template.map_or_else(Vec::new, |t| crate::rerun::path_values(t, &request.path));
    rerun.command(&record.operation, record.case.phase, seed, &pins)
}

/// What the auth phase learnt about who may call an operation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Role {
    /// The policy the spec documents (`admin`, `admin-or-owner`), if any.
    pub documented: Option<String>,
    /// Status to count, for the member-only user's requests.
    pub member_statuses: BTreeMap<String, usize>,
    /// The role the responses show the operation needs.
    pub needed: &'static str,
}

/// Per operation sent with a member's token (`--as-member`), the role it needed.
pub fn roles(outcome: &Outcome) -> BTreeMap<&str, Role> {
    let mut out: BTreeMap<&str, Role> = BTreeMap::new();
    let member = outcome.records.iter().filter(|r| r.case.intent == Intent::AsMember);
    for r in member {
        let role = out.entry(r.operation.as_str()).or_insert_with(|| Role {
            documented: outcome.policies.get(&r.operation).cloned(),
            member_statuses: BTreeMap::new(),
            needed: "",
        });
        let status = r.status.map_or("error".into(), |s| s.to_string());
        *role.member_statuses.entry(status).or_default() += 1;
    }
    for role in out.values_mut() {
        let seen = |p: fn(&str) -> bool| role.member_statuses.keys().any(|s| p(s));
        role.needed = if seen(|s| s.starts_with('2')) {
            "member (allowed for a member)"
        } else if seen(|s| s == "403") {
            "admin (403 for a member)"
        } else if seen(|s| s == "404") {
            "owner or admin (404 for a member)"
        } else {
            "unknown"
        };
    }
    out
}
