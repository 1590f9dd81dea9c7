use super::{Check, Finding};
use crate::http::Response;
use crate::phases::{Case, Intent};
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "use_after_delete",
    meaning: "a resource the run created and then deleted (DELETE answered 2xx) is gone: reading it again gets 404 (after a 202, within the poll timeout)",
    run,
};

fn run(case: &Case, response: &Response, _: &Model) -> Vec<Finding> {
    let Intent::AfterDelete(after) = &case.intent else {
        return Vec::new();
    };
    // 5xx are `not_a_server_error`'s to report; 410 Gone says it as well as 404.
    if matches!(response.status, 404 | 410) || response.status >= 500 {
        return Vec::new();
    }
    let found = (200..300).contains(&response.status);
    if found && after.control.is_some_and(|c| (200..300).contains(&c)) {
        return vec![CHECK.warning(format!(
            "not judged: `{}` still answers {} after its DELETE ({}), but so does an id that \
             never existed: the server does not tell ids apart",
            after.id, response.status, after.deleted_status
        ))];
    }
    vec![CHECK.failure(format!(
        "`{}` was deleted (DELETE answered {}) but reading it again gave {}, not 404",
        after.id, after.deleted_status, response.status
    ))]
}
