use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "unauthenticated_rejected",
    meaning: "with no token or a bogus token (auth phase), every operation gets 401",
    run,
};

fn run(case: &Case, response: &Response, _: &Model) -> Vec<Finding> {
    let Intent::Unauthenticated { how } = case.intent else {
        return Vec::new();
    };
    // A 5xx is `not_a_server_error`'s to report.
    if response.status == 401 || response.status >= 500 {
        return Vec::new();
    }
    let what = if (200..300).contains(&response.status) { "was accepted" } else { "got" };
    vec![CHECK.failure(format!("a request with {how} {what} {}, expected 401", response.status))]
}
