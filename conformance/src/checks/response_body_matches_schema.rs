use super::{schema_mismatch, Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "response_body_matches_schema",
    meaning: "a non-error body validates against the schema of the status received, at the microversion sent",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    // Error bodies are `error_fault_shape`'s.
    if response.status >= 400 || case.request.method == "HEAD" {
        return Vec::new();
    }
    let op = case.operation_in(model);
    let Some(pointer) = op.documented(response.status).and_then(|d| d.json_schema()) else {
        return Vec::new();
    };
    schema_mismatch(model, pointer, case, response)
        .map(|m| CHECK.failure(format!("{} body: {m}", response.status)))
        .into_iter()
        .collect()
}
