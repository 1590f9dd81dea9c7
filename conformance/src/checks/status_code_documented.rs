use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "status_code_documented",
    meaning: "the status is one the operation documents (an undocumented 4xx to invalid input, a missing or bogus token, or a member's token is a documentation-gap warning; to unusual input or a method the path lacks, any 4xx is the answer, and a success to such a method fails)",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    let op = case.operation_in(model);
    if let Intent::UndocumentedMethod { documented } = &case.intent {
        return undocumented_method(case, response, documented);
    }
    let refused = (400..500).contains(&response.status);
    // 5xx are `not_a_server_error`'s to report.
    if response.status >= 500 || op.documented(response.status).is_some() {
        return Vec::new();
    }
    if refused && case.intent.any_refusal_answers() {
        return Vec::new();
    }
    let documented: Vec<&str> = op.responses.iter().map(|r| r.status.as_str()).collect();
    let message = format!(
        "status {} is not documented (documented: {})",
        response.status,
        documented.join(", ")
    );
    if case.intent.expects_refusal() && refused {
        vec![CHECK.warning(format!("documentation gap: {message}"))]
    } else {
        vec![CHECK.failure(message)]
    }
}

/// A method the path does not document must be refused (405, or any 4xx: a path with a
/// placeholder id may be a 404 first) or sent elsewhere (heat redirects every method on a
/// stack found by name); a success means the path has an undocumented method.
fn undocumented_method(case: &Case, response: &Response, documented: &str) -> Vec<Finding> {
    if response.status >= 300 {
        return Vec::new();
    }
    vec![CHECK.failure(format!(
        "{} answered {}, but the path documents only {documented}",
        case.request.method, response.status
    ))]
}
