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
    if !read.settled {
        let still = format!(
            "`{}` (created with {}) still `{}` after {} polls",
            read.id,
            read.created_status,
            read.state.as_deref().unwrap_or("?"),
            read.polls
        );
        // Unless an id that never existed is "found" as well: then nothing tells them apart.
        return vec![match read.control.filter(|c| (200..300).contains(c)) {
            Some(control) => CHECK.warning(format!(
                "not judged: {still}, but an id that never existed answers {control} too: the \
                 server does not tell ids apart"
            )),
            None => CHECK.failure(still),
        }];
    }
    Vec::new()
}
