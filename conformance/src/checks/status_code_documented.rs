use super::{Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "status_code_documented",
    meaning: "the status is one the operation documents (an undocumented 4xx to invalid input, a missing or bogus token, or a member's token is a documentation-gap warning)",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    let op = case.operation_in(model);
    // 5xx are `not_a_server_error`'s to report.
    if response.status >= 500 || op.documented(response.status).is_some() {
        return Vec::new();
    }
    let documented: Vec<&str> = op.responses.iter().map(|r| r.status.as_str()).collect();
    let message = format!(
        "status {} is not documented (documented: {})",
        response.status,
        documented.join(", ")
    );
    if case.intent.expects_refusal() && (400..500).contains(&response.status) {
        vec![CHECK.warning(format!("documentation gap: {message}"))]
    } else {
        vec![CHECK.failure(message)]
    }
}
