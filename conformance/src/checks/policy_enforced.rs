use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::{Model, Policy};

pub const CHECK: Check = Check {
    name: "policy_enforced",
    meaning: "with a member-only token (auth phase, --as-member), an operation the spec reserves for admins gets 403, and no operation gets 401",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    if case.intent != Intent::AsMember || response.status >= 500 {
        return Vec::new();
    }
    let status = response.status;
    if status == 401 {
        return vec![CHECK.failure("the member's valid token was refused with 401")];
    }
    match (&case.operation_in(model).policy, status) {
        (Some(Policy::Admin), 403) => Vec::new(),
        (Some(Policy::Admin), s) if (200..300).contains(&s) => {
            vec![CHECK.failure(format!("a member was allowed an admin-only operation ({s})"))]
        }
        (Some(Policy::Admin), s) => {
            vec![CHECK.failure(format!("an admin-only operation answered a member with {s}, expected 403"))]
        }
        (None, 403) => vec![CHECK.warning(
            "a member got 403, but the spec does not say the operation is admin-only (documentation gap)",
        )],
        _ => Vec::new(),
    }
}
