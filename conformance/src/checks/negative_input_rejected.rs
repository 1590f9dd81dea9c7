use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "negative_input_rejected",
    meaning: "input made to violate the schema gets a 4xx, not a success",
    run,
};

/// Whether the check judges `case` at all: only input meant to be invalid is to be refused.
pub(super) fn judges(case: &Case) -> bool {
    matches!(case.intent, Intent::Invalid { .. })
}

fn run(case: &Case, response: &Response, _: &Model) -> Vec<Finding> {
    let Intent::Invalid { what } = &case.intent else {
        return Vec::new();
    };
    // A 5xx is `not_a_server_error`'s to report.
    if response.status >= 400 {
        return Vec::new();
    }
    vec![CHECK.failure(format!("invalid input ({what}) was accepted with {}", response.status))]
}
