//! The machine-readable report: every record with its findings, time, reproducer and
//! seed, per-operation and per-check totals, the skipped pairs and the cases a deadline left
//! untried. Its shape is `conformance/report.schema.json` (`SCHEMA_VERSION`); every known
//! secret is replaced in every string.

use std::time::UNIX_EPOCH;

use serde_json::{json, Value};

use super::causes::check_totals;
use super::{case_names, coverage, rerun_hint, roles, tallies};
use crate::phases::Intent;
use crate::run::{Outcome, Record};
use crate::secrets;

/// The version of the report's shape: raised when a field is removed or changes meaning
/// (adding one does not), together with `conformance/report.schema.json`.
pub const SCHEMA_VERSION: u32 = 1;

pub fn render(outcome: &Outcome) -> Value {
    let names = case_names(&outcome.records);
    let records: Vec<Value> = outcome
        .records
        .iter()
        .zip(names)
        .map(|(r, name)| {
            let mut record = record(r, outcome.seed, rerun_hint(outcome, r));
            record["name"] = name.into();
            record
        })
        .collect();
    let skipped: Vec<Value> = outcome
        .skipped
        .iter()
        .map(|(op, phase, why)| json!({"operation": op, "phase": phase, "reason": why}))
        .collect();
    let started = outcome.started.duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut report = json!({
        "schema_version": SCHEMA_VERSION,
        "spec": outcome.spec,
        "url": outcome.base_url,
        "seed": outcome.seed,
        "failed": outcome.failed(),
        "started_unix_ms": started.as_millis() as u64,
        "elapsed_ms": millis(outcome.elapsed),
        "operations": tallies(outcome),
        "checks": check_totals(outcome),
        "records": records,
        "skipped": skipped,
        "not_tried": outcome.not_tried,
        "overrides": outcome.overrides,
        "roles": roles(outcome),
        "untested": coverage::untested(outcome),
    });
    if let Some(shard) = outcome.shard {
        report["shard"] = json!(shard);
    }
    if !outcome.leftovers.is_empty() {
        report["leftovers"] = json!(outcome.leftovers);
    }
    secrets::redact_json(&mut report);
    report
}

/// One record as the report shows it (without its test name, which depends on the records
/// before it), `rerun` being its rerun command; not yet redacted.
pub fn record(r: &Record, seed: u64, rerun: String) -> Value {
    json!({
        "operation": r.operation,
        "phase": r.case.phase,
        "method": r.case.request.method,
        "path": r.case.request.path,
        "microversion": r.case.microversion.map(|v| v.to_string()),
        "status": r.status,
        "elapsed_ms": millis(r.elapsed),
        "failed": r.failed(),
        "error": r.error,
        "findings": r.findings,
        "acknowledged": r.acknowledged,
        "curl": r.curl(),
        "seed": seed,
        "rerun": rerun,
        "signature": r.signature(),
        "input": input(&r.case.intent),
    })
}

/// What a negative case's input was made to be (`/name is null`), for people reading it.
fn input(intent: &Intent) -> Option<String> {
    match intent {
        Intent::Invalid { what } | Intent::Unusual { what } => Some(what.clone()),
        Intent::UndocumentedMethod { documented } => {
            Some(format!("a method the path does not document (it documents {documented})"))
        }
        _ => None,
    }
}

/// Milliseconds, to the microsecond.
fn millis(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}
