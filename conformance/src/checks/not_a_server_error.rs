use super::{Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "not_a_server_error",
    meaning: "no response is a 5xx: whatever the input, the server must not fail",
    run,
};

fn run(_: &Case, response: &Response, _: &Model) -> Vec<Finding> {
    if response.status < 500 {
        return Vec::new();
    }
    vec![CHECK.failure(format!("server error {}: {}", response.status, response.excerpt()))]
}
