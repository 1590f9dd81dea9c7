//! The human summary: one line per operation, then every failure with its reproducer,
//! then the documentation gaps (warnings), then what was skipped.

use std::fmt::Write;

use super::{rerun_hint, tallies};
use crate::checks::Severity;
use crate::run::Outcome;

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    let tallies = tallies(outcome);
    let width = tallies.keys().map(|k| k.len()).max().unwrap_or(9).max(9);
    let _ = writeln!(out, "{:<width$}  cases  passed  failed  statuses", "operation");
    for (op, t) in &tallies {
        let statuses: Vec<String> = t.statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        let _ = writeln!(
            out,
            "{op:<width$}  {:>5}  {:>6}  {:>6}  {}",
            t.cases,
            t.passed,
            t.failed,
            statuses.join(" ")
        );
    }
    let failures: Vec<_> = outcome.records.iter().filter(|r| r.failed()).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nFailures:");
    }
    for r in &failures {
        let _ = writeln!(out, "\n- {} [{}]", r.operation, r.case.phase.name());
        if let Some(e) = &r.error {
            let _ = writeln!(out, "  transport error: {e}");
        }
        for f in r.failures() {
            let _ = writeln!(out, "  {}: {}", f.check, f.message);
        }
        let _ = writeln!(out, "  reproduce: {}", r.curl);
        let _ = writeln!(out, "  rerun:     {}", rerun_hint(outcome, r));
    }
    let warnings: Vec<_> = outcome
        .records
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .filter(|(_, f)| f.severity == Severity::Warning)
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings (documentation gaps, never fail the run):");
    }
    for (r, f) in warnings {
        let _ =
            writeln!(out, "- {} [{}] {}: {}", r.operation, r.case.phase.name(), f.check, f.message);
    }
    if !outcome.skipped.is_empty() {
        let _ = writeln!(out, "\nSkipped: {} operation-phase pairs", outcome.skipped.len());
    }
    let failed = failures.len();
    let total = outcome.records.len();
    let _ = writeln!(
        out,
        "\n{} cases, {} passed, {failed} failed (seed {})",
        total,
        total - failed,
        outcome.seed
    );
    out
}
