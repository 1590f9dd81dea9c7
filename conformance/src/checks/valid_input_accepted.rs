use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "valid_input_accepted",
    meaning: "schema-valid input is not rejected as malformed (400, 422), and a documented sample gets its documented status",
    run,
};

/// Whether the check judges `case` at all: only valid input is to be accepted.
pub(super) fn judges(case: &Case) -> bool {
    case.intent == Intent::Valid
}

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    if !judges(case) {
        return Vec::new();
    }
    if matches!(response.status, 400 | 422) {
        return vec![CHECK.failure(format!(
            "valid input rejected with {}: {}",
            response.status,
            response.excerpt()
        ))];
    }
    // Another documented success than the sample's; an undocumented one is reported by
    // `status_code_documented`.
    let documented = case.operation_in(model).documented(response.status).is_some();
    match &case.sample {
        Some(sample)
            if documented
                && (200..300).contains(&response.status)
                && sample.status != response.status =>
        {
            vec![CHECK.failure(format!(
                "sample `{}` is documented with {}, got {}",
                sample.name, sample.status, response.status
            ))]
        }
        _ => Vec::new(),
    }
}
