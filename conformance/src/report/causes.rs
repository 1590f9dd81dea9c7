//! Failures by root cause and per-check totals. A server that sends no request id fails
//! every operation the same way: the summary shows that as one line with its counts and
//! one example, not one entry per response (the machine reports keep every response); the
//! same 500 reached by many inputs is one cause.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::Severity;
use crate::run::{Outcome, Record};

/// The "check" of a transport error (no response at all).
pub const TRANSPORT: &str = "transport";

/// One root cause: a check failing (or warning) with the same message, wherever it did.
#[derive(Debug)]
pub struct Cause<'a> {
    pub check: &'a str,
    /// The message without what varies between operations (see [`signature`]).
    pub signature: String,
    pub responses: usize,
    pub operations: BTreeSet<&'a str>,
    /// The first response showing it.
    pub example: &'a Record,
}

/// The causes of findings of `severity` (transport errors count as failures), the most
/// frequent first.
pub fn causes(outcome: &Outcome, severity: Severity) -> Vec<Cause<'_>> {
    let mut by_key: BTreeMap<(&str, String), Cause> = BTreeMap::new();
    for r in &outcome.records {
        let error = r.error.as_deref().filter(|_| severity == Severity::Failure);
        let transport = error.map(|e| (TRANSPORT, transport_signature(e)));
        let mut findings = r.findings.iter().filter(|f| f.severity == severity).peekable();
        // The values this request sent, which its response may echo.
        let inputs = match findings.peek() {
            Some(_) => crate::signature::inputs(&r.case.request),
            None => Vec::new(),
        };
        let findings = findings.map(|f| (f.check, cause_of(&f.message, &inputs)));
        for (check, signature) in transport.into_iter().chain(findings) {
            let cause = by_key.entry((check, signature.clone())).or_insert_with(|| Cause {
                check,
                signature,
                responses: 0,
                operations: BTreeSet::new(),
                example: r,
            });
            cause.responses += 1;
            cause.operations.insert(r.operation.as_str());
        }
    }
    let mut out: Vec<Cause> = by_key.into_values().collect();
    out.sort_by(|a, b| {
        b.operations.len().cmp(&a.operations.len()).then(b.responses.cmp(&a.responses))
    });
    out
}

/// Per check, the responses that failed it and their operations (transport errors under
/// [`TRANSPORT`]).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct CheckTotal {
    pub failed: usize,
    pub warnings: usize,
    pub operations: BTreeSet<String>,
}

/// Totals for every check that failed or warned at least once.
pub fn check_totals(outcome: &Outcome) -> BTreeMap<&str, CheckTotal> {
    let mut out: BTreeMap<&str, CheckTotal> = BTreeMap::new();
    for r in &outcome.records {
        if r.error.is_some() {
            let t = out.entry(TRANSPORT).or_default();
            t.failed += 1;
            t.operations.insert(r.operation.clone());
        }
        for f in &r.findings {
            let t = out.entry(f.check).or_default();
            match f.severity {
                Severity::Failure => {
                    t.failed += 1;
                    t.operations.insert(r.operation.clone());
                }
                Severity::Warning => t.warnings += 1,
            }
        }
    }
    out
}

/// A finding's message as a cause: without its parenthesised details (`(documented: 200,
/// 404)` differs per operation while the cause does not) and without what varies from
/// request to request (ids, long numbers, quoted values, markup: `crate::signature`).
pub fn signature(message: &str) -> String {
    cause_of(message, &[])
}

/// [`signature`], also without the request's own values (`inputs`) where a message echoes
/// them.
pub fn cause_of(message: &str, inputs: &[String]) -> String {
    crate::signature::normalize(&without_details(message), inputs)
}

fn without_details(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut depth = 0usize;
    for c in message.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A transport error without its method and URL (`GET http://h/v2/x: connection refused`
/// is `connection refused` wherever it happened).
fn transport_signature(error: &str) -> String {
    let message = error.split_once(": ").map_or(error, |(_, m)| m);
    signature(message)
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn a_signature_drops_what_varies_between_operations() {
        assert_eq!(
            signature("status 500 is not documented (documented: 200, 404)"),
            "status 500 is not documented"
        );
        assert_eq!(
            signature("no `x-openstack-request-id` header"),
            "no `x-openstack-request-id` header"
        );
    }
}
