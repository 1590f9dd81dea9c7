//! The human summary: one line per operation, per-check totals, then the failures by root
//! cause (counts and one example with its reproducer and rerun command each), the
//! documentation gaps (warnings) likewise, what was skipped and why, the operations not
//! exercised, and what was not tried. Every known secret is replaced in the whole text.

use std::fmt::Write;

use std::collections::BTreeMap;

use super::causes::{causes, check_totals, Cause};
use super::{coverage, rerun_hint, roles, tallies, Tally};
use crate::checks::Severity;
use crate::overrides::OverrideState;
use crate::run::Outcome;
use crate::secrets;

/// How much the summary says (`-q`, default, `-v`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// The failures by cause, the untested warning, what was not tried and the totals.
    Quiet,
    /// Also the per-operation and per-check tables, the warnings, skips and coverage.
    #[default]
    Normal,
    /// Also every failing response, each with its reproducer and rerun command.
    Verbose,
}

pub fn render(outcome: &Outcome) -> String {
    render_as(outcome, Verbosity::Normal)
}

/// The summary at `verbosity`.
pub fn render_as(outcome: &Outcome, verbosity: Verbosity) -> String {
    let out = unredacted(outcome, verbosity);
    secrets::redact(&out).into_owned()
}

fn unredacted(outcome: &Outcome, verbosity: Verbosity) -> String {
    let mut out = String::new();
    let tallies = tallies(outcome);
    let normal = verbosity >= Verbosity::Normal;
    if normal {
        operations(&mut out, &tallies);
        overrides(&mut out, outcome, &tallies);
        roles_section(&mut out, outcome);
        check_table(&mut out, outcome);
    }
    let failures = causes(outcome, Severity::Failure);
    if !failures.is_empty() {
        let _ = writeln!(
            out,
            "\nFailures by cause (one example each; the JSON and JUnit reports list every one):"
        );
    }
    for cause in &failures {
        let r = cause.example;
        let _ = writeln!(out, "\n- {}: {}", cause.check, cause.signature);
        let _ =
            writeln!(out, "  {}; e.g. {} [{}]", spread(cause), r.operation, r.case.phase.name());
        let _ = writeln!(out, "  reproduce: {}", r.curl());
        let _ = writeln!(out, "  rerun:     {}", rerun_hint(outcome, r));
    }
    let distinct = distinct_failures(outcome);
    if distinct > 0 {
        let _ = writeln!(
            out,
            "\n{distinct} distinct failures (by operation, status, checks and response signature)"
        );
    }
    if verbosity == Verbosity::Verbose {
        every_failure(&mut out, outcome);
    }
    if normal {
        warnings(&mut out, outcome);
        skipped(&mut out, outcome);
        not_exercised(&mut out, &tallies);
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
    leftovers(&mut out, outcome);
    if let Some(untested) = coverage::untested(outcome) {
        let _ = writeln!(out, "\n{}", untested.message());
    }
    let failed = outcome.records.iter().filter(|r| r.failed()).count();
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

/// How many distinct failures the run found: operation and signature pairs
/// (`crate::signature`), whatever the number of responses showing each.
pub fn distinct_failures(outcome: &Outcome) -> usize {
    let pairs = outcome.records.iter().filter_map(|r| Some((&r.operation, r.signature()?)));
    pairs.collect::<std::collections::BTreeSet<_>>().len()
}

/// The documentation gaps, one line per cause.
fn warnings(out: &mut String, outcome: &Outcome) {
    let warnings = causes(outcome, Severity::Warning);
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings (documentation gaps, never fail the run):");
    }
    for cause in &warnings {
        let _ = writeln!(out, "- {}: {}; {}", cause.check, cause.signature, spread(cause));
    }
}

/// Every failing response (`-v`), in the order the cases were planned.
fn every_failure(out: &mut String, outcome: &Outcome) {
    let failed: Vec<_> = outcome.records.iter().filter(|r| r.failed()).collect();
    if failed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nEvery failing response ({}):", failed.len());
    for r in failed {
        let status = r.status.map_or("no response".into(), |s| s.to_string());
        let _ = writeln!(
            out,
            "\n- {} [{}] {status}: {}",
            r.operation,
            r.case.phase.name(),
            r.summary()
        );
        let _ = writeln!(out, "  reproduce: {}", r.curl());
        let _ = writeln!(out, "  rerun:     {}", rerun_hint(outcome, r));
    }
}

/// One line per operation: its cases, verdicts and the statuses it got.
fn operations(out: &mut String, tallies: &BTreeMap<&str, Tally>) {
    let width = tallies.keys().map(|k| k.len()).max().unwrap_or(9).max(9);
    let _ = writeln!(out, "{:<width$}  cases  passed  failed  statuses", "operation");
    for (op, t) in tallies {
        let statuses: Vec<String> = t.statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        let mark = match (t.exercised, t.rejected) {
            (Some(false), 0) => "  (not exercised)",
            (Some(false), _) => "  (not exercised: rejected)",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{op:<width$}  {:>5}  {:>6}  {:>6}  {}{mark}",
            t.cases,
            t.passed,
            t.failed,
            statuses.join(" ")
        );
    }
}

/// Per operation sent with a member's token, the role it needed.
fn roles_section(out: &mut String, outcome: &Outcome) {
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
}

/// Per check that failed or warned: failed responses, their operations, warnings.
fn check_table(out: &mut String, outcome: &Outcome) {
    let totals = check_totals(outcome);
    if totals.is_empty() {
        return;
    }
    let width = totals.keys().map(|k| k.len()).max().unwrap_or(5).max(5);
    let _ = writeln!(out, "\n{:<width$}  failed  operations  warnings", "check");
    for (check, t) in totals {
        let ops = t.operations.len();
        let _ = writeln!(out, "{check:<width$}  {:>6}  {ops:>10}  {:>8}", t.failed, t.warnings);
    }
}

/// "N responses, M operations (a, b, c and K more)".
fn spread(cause: &Cause) -> String {
    const NAMED: usize = 3;
    let ops = &cause.operations;
    let mut names: Vec<&str> = ops.iter().take(NAMED).copied().collect();
    if ops.len() > NAMED {
        names.push("…");
    }
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}: {}",
        plural(cause.responses, "response"),
        plural(ops.len(), "operation"),
        names.join(", ")
    )
}

/// The skipped operation-phase pairs, by reason.
fn skipped(out: &mut String, outcome: &Outcome) {
    if outcome.skipped.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nSkipped: {} operation-phase pairs", outcome.skipped.len());
    for (why, ops) in coverage::skip_reasons(outcome) {
        let mut names: Vec<&str> = ops.clone();
        names.sort_unstable();
        names.dedup();
        let shown: Vec<&str> = names.iter().take(3).copied().collect();
        let more = if names.len() > 3 { ", …" } else { "" };
        let _ = writeln!(out, "- {}× {why} ({}{more})", ops.len(), shown.join(", "));
    }
}

/// The operations whose valid requests never got a success status.
/// What the run created and could not delete: for the user to remove by hand.
fn leftovers(out: &mut String, outcome: &Outcome) {
    if outcome.leftovers.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nNot deleted: {} resources the run created:", outcome.leftovers.len());
    for l in &outcome.leftovers {
        let _ = writeln!(out, "- {} `{}` ({}): {}", l.operation, l.id, l.path, l.why);
    }
}

fn not_exercised(out: &mut String, tallies: &BTreeMap<&str, Tally>) {
    let listed: Vec<_> = tallies.iter().filter(|(_, t)| t.exercised == Some(false)).collect();
    if listed.is_empty() {
        return;
    }
    let judged = tallies.values().filter(|t| t.exercised.is_some()).count();
    let _ = writeln!(
        out,
        "\nNot exercised: {} of {judged} operations never got a success status to a valid \
         request (placeholder ids? missing rights? a wrong URL?), so their verdicts say little:",
        listed.len()
    );
    for (op, t) in listed {
        let statuses: Vec<String> = t.statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        let _ = writeln!(out, "- {op}: {}", statuses.join(" "));
    }
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
