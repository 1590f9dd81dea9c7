//! The checks every response goes through. One file per check; each is a name, a one-line
//! meaning (printed by `--help` and the README) and a function from (case, response, model)
//! to findings. Checks are disjoint on purpose: one defect should be reported by one check,
//! so a report reads as a list of distinct problems.

mod content_type_documented;
mod create_then_read;
mod error_fault_shape;
mod multi_status_consistency;
mod negative_input_rejected;
mod not_a_server_error;
mod policy_enforced;
mod required_response_headers;
mod response_body_matches_schema;
mod sample_shape;
mod status_code_documented;
mod unauthenticated_rejected;
mod use_after_delete;
mod valid_input_accepted;

use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A gap in the documentation; never changes the exit code.
    Warning,
    Failure,
}

/// What one check found about one response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub severity: Severity,
    pub message: String,
}

/// A named check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub name: &'static str,
    pub meaning: &'static str,
    pub run: fn(&Case, &Response, &Model) -> Vec<Finding>,
}

impl Check {
    pub fn failure(&self, message: impl Into<String>) -> Finding {
        Finding { check: self.name, severity: Severity::Failure, message: message.into() }
    }

    pub fn warning(&self, message: impl Into<String>) -> Finding {
        Finding { check: self.name, severity: Severity::Warning, message: message.into() }
    }
}

/// Whether check `name` can fail on `case` at all: the input checks judge only the input
/// they are about; every other check judges any response. An override that accepts a
/// check's failures is exercised only by cases the check judges.
pub fn judges(name: &str, case: &crate::phases::Case) -> bool {
    match name {
        n if n == valid_input_accepted::CHECK.name => valid_input_accepted::judges(case),
        n if n == negative_input_rejected::CHECK.name => negative_input_rejected::judges(case),
        _ => true,
    }
}

/// Every check, in the order they are reported.
pub const ALL: [Check; 14] = [
    not_a_server_error::CHECK,
    status_code_documented::CHECK,
    content_type_documented::CHECK,
    response_body_matches_schema::CHECK,
    error_fault_shape::CHECK,
    required_response_headers::CHECK,
    negative_input_rejected::CHECK,
    valid_input_accepted::CHECK,
    multi_status_consistency::CHECK,
    create_then_read::CHECK,
    use_after_delete::CHECK,
    sample_shape::CHECK,
    unauthenticated_rejected::CHECK,
    policy_enforced::CHECK,
];

/// Runs every check on one response.
///
/// A refusal (4xx or a redirect) of input no documentation lists a refusal for (unusual
/// input, a method the path lacks) often comes from the web framework or the WSGI server
/// before the service's code (werkzeug's HTML 405, a server's 414): how it is shaped is
/// then the framework's, so only the two checks that judge whether it was refused at all
/// fail; what the others see is a warning.
pub fn run_all(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    let framework = case.intent.any_refusal_answers() && (300..500).contains(&response.status);
    let decisive = [not_a_server_error::CHECK.name, status_code_documented::CHECK.name];
    ALL.iter()
        .flat_map(|check| (check.run)(case, response, model))
        .map(|mut f| {
            if framework && !decisive.contains(&f.check) {
                f.severity = Severity::Warning;
            }
            f
        })
        .collect()
}

/// The `name: meaning` lines for help texts.
pub fn describe() -> String {
    ALL.iter().map(|c| format!("  {:<30} {}\n", c.name, c.meaning)).collect()
}

/// Violations of the schema at `pointer`, as one message (None when the body validates).
fn schema_mismatch(
    model: &Model,
    pointer: &str,
    case: &Case,
    response: &Response,
) -> Option<String> {
    let Some(body) = &response.json else {
        return Some(format!("body is not JSON: {:?}", response.excerpt()));
    };
    match model.violations(pointer, case.microversion, body) {
        Ok(v) if v.is_empty() => None,
        Ok(v) => Some(
            v.iter()
                .take(5)
                .map(|v| format!("at `{}`: {}", v.instance_pointer, v.message))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Err(e) => Some(e.to_string()),
    }
}
