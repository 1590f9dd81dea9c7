use super::{schema_mismatch, Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "error_fault_shape",
    meaning: "an error body (4xx, 5xx) has the service's documented fault shape",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    if response.status < 400 || case.request.method == "HEAD" {
        return Vec::new();
    }
    let op = case.operation_in(model);
    let documented = op.documented(response.status).and_then(|d| d.json_schema());
    let Some(pointer) = documented.or(model.fault_schema.as_deref()) else {
        return Vec::new();
    };
    schema_mismatch(model, pointer, case, response)
        .map(|m| CHECK.failure(format!("{} fault body: {m}", response.status)))
        .into_iter()
        .collect()
}
