use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "create_then_read",
    meaning: "a resource created by POST can be read back (after a 202, it reaches a final state within the poll timeout)",
    run,
};

fn run(case: &Case, response: &Response, _: &Model) -> Vec<Finding> {
    let Intent::ReadBack(read) = &case.intent else {
        return Vec::new();
    };
    // A redirect to the resource's canonical URL finds it too (heat's `find_stack`
    // answers 302 with a `Location`, as its api-ref documents).
    let redirected = (300..400).contains(&response.status) && response.header("location").is_some();
    if !(200..300).contains(&response.status) && !redirected {
        return vec![CHECK.failure(format!(
            "`{}` created with {} but reading it back gave {}",
            read.id, read.created_status, response.status
        ))];
    }
    if !read.settled && read.control.is_some_and(|c| (200..300).contains(&c)) {
        return vec![CHECK.warning(format!(
            "not judged: `{}` (created with {}) still `{}` after {} polls, but an id that \
             never existed answers {} too: the server does not tell ids apart",
            read.id,
            read.created_status,
            read.state.as_deref().unwrap_or("?"),
            read.polls,
            read.control.unwrap_or_default()
        ))];
    }
    if !read.settled {
        return vec![CHECK.failure(format!(
            "`{}` (created with {}) still `{}` after {} polls",
            read.id,
            read.created_status,
            read.state.as_deref().unwrap_or("?"),
            read.polls
        ))];
    }
    Vec::new()
}
