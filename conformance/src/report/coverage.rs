//! Whether a run tested anything. A run that sent no case cannot pass (exit 2); an
//! operation none of whose valid requests got a success status (every one a 404 on a
//! placeholder id, a 401 or a 403) was not exercised, whatever its checks say: its
//! documented 404 "passes" without the operation having been tried; and a run most of whose
//! valid requests, or of some operation's, were rejected so is [`Untested`], a warning that
//! `--fail-on-untested` makes a failure.

use std::collections::BTreeMap;

use crate::phases::Intent;
use crate::run::Outcome;

/// Why a run that sent no case cannot pass; `None` when it sent any (or a deadline kept
/// its cases from being sent, which fails it already).
pub fn nothing_sent(outcome: &Outcome) -> Option<String> {
    if !outcome.records.is_empty() || !outcome.not_tried.is_empty() {
        return None;
    }
    if outcome.skipped.is_empty() {
        return Some("nothing was tested: the phases made no case (--max-cases 0?)".into());
    }
    let reasons = skip_reasons(outcome);
    let each: Vec<String> =
        reasons.iter().map(|(why, ops)| format!("{}× {why}", ops.len())).collect();
    Some(format!(
        "nothing was tested: every selected operation-phase pair was skipped: {}",
        each.join("; ")
    ))
}

/// The reasons operation-phase pairs were skipped, each with the pairs' operations.
pub fn skip_reasons(outcome: &Outcome) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (op, _, why) in &outcome.skipped {
        out.entry(why.as_str()).or_default().push(op.as_str());
    }
    out
}

/// Whether a request was meant to be accepted: valid input, or valid but for a placeholder
/// in its path (which the untested tally counts).
fn meant_valid(intent: &Intent) -> bool {
    matches!(intent, Intent::Valid | Intent::Placeholder)
}

/// Per operation sent valid input (documented samples, generated valid requests): whether
/// any such request got a success (2xx) status. Operations sent only invalid input or
/// no token are not judged.
pub fn exercised(outcome: &Outcome) -> BTreeMap<&str, bool> {
    let mut out: BTreeMap<&str, bool> = BTreeMap::new();
    for r in outcome.records.iter().filter(|r| meant_valid(&r.case.intent)) {
        let success = r.status.is_some_and(|s| (200..300).contains(&s));
        *out.entry(r.operation.as_str()).or_default() |= success;
    }
    out
}

/// Whether a response to a request meant to be accepted says the request never reached the
/// operation: 401 or 403 (no rights), 404 on a path with ids (a placeholder id, or a
/// wrong URL), or any 4xx to a path holding a placeholder (`Invalid uuid`).
fn rejected(status: Option<u16>, template: Option<&String>, intent: &Intent) -> bool {
    let ids = template.is_some_and(|t| t.contains('{'));
    let placeholder = *intent == Intent::Placeholder && status.is_some_and(|s| s / 100 == 4);
    matches!(status, Some(401 | 403)) || (status == Some(404) && ids) || placeholder
}

/// Per operation sent valid input: how many such requests there were and how many of them
/// were [`rejected`].
pub fn rejections(outcome: &Outcome) -> BTreeMap<&str, (usize, usize)> {
    let mut out: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in outcome.records.iter().filter(|r| meant_valid(&r.case.intent)) {
        let counts = out.entry(r.operation.as_str()).or_default();
        counts.0 += 1;
        let template = outcome.templates.get(&r.operation);
        counts.1 += usize::from(rejected(r.status, template, &r.case.intent));
    }
    out
}

/// A run that tested little: most of its valid requests, or most of some operations', were
/// rejected (401, 403, or 404 on a path with ids), so its checks passed on error answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Untested {
    /// Valid requests the run sent, and how many were rejected.
    pub valid: usize,
    pub rejected: usize,
    /// Whether most of the run's valid requests were rejected (else only some operations').
    pub run: bool,
    /// The operations most of whose valid requests were rejected.
    pub operations: Vec<String>,
}

impl Untested {
    /// The warning, one paragraph: how much was rejected, what may be wrong, and the
    /// operations concerned (the first few).
    pub fn message(&self) -> String {
        let share = self.rejected * 100 / self.valid.max(1);
        let mut names: Vec<&str> = self.operations.iter().take(5).map(String::as_str).collect();
        if self.operations.len() > names.len() {
            names.push("…");
        }
        let scope = if self.run { "the run" } else { "some operations" };
        format!(
            "UNTESTED: {} of {} valid requests ({share}%) were rejected with 401, 403, a 404 \
             at a path with ids or a 4xx to a placeholder id, so {scope} tested little: a wrong URL, missing rights, or \
             placeholder ids (seed resources and pass --path-value)? {} operations mostly \
             rejected: {}",
            self.rejected,
            self.valid,
            self.operations.len(),
            names.join(", ")
        )
    }
}

/// The run's [`Untested`] warning, when most of its valid requests or of some operation's
/// were rejected.
pub fn untested(outcome: &Outcome) -> Option<Untested> {
    let per_operation = rejections(outcome);
    let most = |(valid, rejected): (usize, usize)| rejected * 2 > valid;
    let operations: Vec<String> = per_operation
        .iter()
        .filter(|(_, counts)| most(**counts))
        .map(|(op, _)| op.to_string())
        .collect();
    let valid = per_operation.values().map(|c| c.0).sum();
    let rejected = per_operation.values().map(|c| c.1).sum();
    let run = most((valid, rejected));
    (run || !operations.is_empty()).then_some(Untested { valid, rejected, run, operations })
}
