//! Whether a run tested anything. A run that sent no case cannot pass (exit 2); and an
//! operation none of whose valid requests got a success status (every one a 404 on a
//! placeholder id, a 401 or a 403) was not exercised, whatever its checks say: its
//! documented 404 "passes" without the operation having been tried.

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

/// Per operation sent valid input (documented samples, generated valid requests): whether
/// any such request got a success (2xx) status. Operations sent only invalid input or
/// no token are not judged.
pub fn exercised(outcome: &Outcome) -> BTreeMap<&str, bool> {
    let mut out: BTreeMap<&str, bool> = BTreeMap::new();
    for r in outcome.records.iter().filter(|r| r.case.intent == Intent::Valid) {
        let success = r.status.is_some_and(|s| (200..300).contains(&s));
        *out.entry(r.operation.as_str()).or_default() |= success;
    }
    out
}
