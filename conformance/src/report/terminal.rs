//! The human summary: one line per operation, then every failure with its reproducer,
//! then the documentation gaps (warnings), then what was skipped or not tried. Every known
//! secret is replaced in the whole text.

use std::fmt::Write;

use std::collections::BTreeMap;

use super::{rerun_hint, roles, tallies, Tally};
use crate::checks::Severity;
use crate::overrides::OverrideState;
use crate::run::Outcome;
use crate::secrets;

pub fn render(outcome: &Outcome) -> String {
    let out = unredacted(outcome);
    secrets::redact(&out).into_owned()
}

fn unredacted(outcome: &Outcome) -> String {
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
    overrides(&mut out, outcome, &tallies);
    let roles = roles(outcome);
    if !roles.is_empty() {
        let _ = writeln!(out, "\nRoles (auth phase, a member-only user's token):");
    }
    for (op, role) in roles {
        let statuses: Vec<String> =
            role.member_statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        let documented = role.documented.as_deref().unwrap_or("not documented");
        let _ = writeln!(
            out,
            "- {op}: needs {}; member got {}; docs: {documented}",
            role.needed,
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
        let _ = writeln!(out, "  reproduce: {}", r.curl());
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
    if !outcome.not_tried.is_empty() {
        let _ = writeln!(out, "\nNot tried (failures: the verdict is incomplete):");
    }
    for n in &outcome.not_tried {
        let _ = writeln!(
            out,
            "- {} [{}]: {} cases, {}",
            n.operation,
            n.phase.name(),
            n.cases,
            n.reason
        );
    }
    let failed = failures.len();
    let total = outcome.records.len();
    let stale = outcome.overrides.iter().filter(|o| o.stale()).count();
    let _ = writeln!(
        out,
        "\n{} cases, {} passed, {failed} failed, {stale} stale overrides (seed {})",
        total,
        total - failed,
        outcome.seed
    );
    out
}

/// Per operation, the findings acknowledged; then the stale overrides (failures) and those
/// this run did not exercise.
fn overrides(out: &mut String, outcome: &Outcome, tallies: &BTreeMap<&str, Tally>) {
    let acknowledged: Vec<_> = tallies.iter().filter(|(_, t)| !t.acknowledged.is_empty()).collect();
    if !acknowledged.is_empty() {
        let _ = writeln!(out, "\nFindings acknowledged (reviewed overrides):");
    }
    for (op, t) in acknowledged {
        let each: Vec<String> =
            t.acknowledged.iter().map(|(f, n)| format!("{f} ({n} responses)")).collect();
        let _ = writeln!(out, "- {op}: {}", each.join(", "));
    }
    for (state, heading) in [
        (OverrideState::Stale, "Stale overrides (failures: they matched nothing in this run):"),
        (OverrideState::NotExercised, "Overrides not exercised by this run:"),
    ] {
        let listed: Vec<_> = outcome.overrides.iter().filter(|o| o.state == state).collect();
        if !listed.is_empty() {
            let _ = writeln!(out, "\n{heading}");
        }
        for o in listed {
            let _ = writeln!(out, "- {} {} ({}): {}", o.finding, o.operation, o.at, o.title);
        }
    }
}
