//! The machine-readable report: every record with its findings, reproducer and seed, and
//! the cases a deadline left untried. Every known secret is replaced in every string.

use serde_json::{json, Value};

use super::{rerun_hint, roles, tallies};
use crate::run::Outcome;
use crate::secrets;

pub fn render(outcome: &Outcome) -> Value {
    let records: Vec<Value> = outcome
        .records
        .iter()
        .map(|r| {
            json!({
                "operation": r.operation,
                "phase": r.case.phase,
                "method": r.case.request.method,
                "path": r.case.request.path,
                "microversion": r.case.microversion.map(|v| v.to_string()),
                "status": r.status,
                "failed": r.failed(),
                "error": r.error,
                "findings": r.findings,
                "acknowledged": r.acknowledged,
                "curl": r.curl(),
                "seed": outcome.seed,
                "rerun": rerun_hint(outcome, r),
            })
        })
        .collect();
    let skipped: Vec<Value> = outcome
        .skipped
        .iter()
        .map(|(op, phase, why)| json!({"operation": op, "phase": phase, "reason": why}))
        .collect();
    let mut report = json!({
        "spec": outcome.spec,
        "url": outcome.base_url,
        "seed": outcome.seed,
        "failed": outcome.failed(),
        "operations": tallies(outcome),
        "records": records,
        "skipped": skipped,
        "not_tried": outcome.not_tried,
        "overrides": outcome.overrides,
        "roles": roles(outcome),
    });
    secrets::redact_json(&mut report);
    report
}
