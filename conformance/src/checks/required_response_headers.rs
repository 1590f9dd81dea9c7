use super::{Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "required_response_headers",
    meaning: "the request-id header the spec names (x-openstack-request-id) is present, and the microversion header is echoed when one was sent",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    let mut out = Vec::new();
    let request_id = model.spec.facts.request_id_header();
    if response.header(request_id).is_none() {
        out.push(CHECK.failure(format!("no `{request_id}` header")));
    }
    let op = case.operation_in(model);
    let (Some(header), Some(version)) = (&op.microversion_header, case.microversion) else {
        return out;
    };
    let sent = header.value(version);
    // Only what was asked for is echoed: a case sending a header that names no version (the
    // negative phase's) asked for none.
    let carried =
        case.request.headers.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(&header.name));
    if carried.is_some_and(|(_, value)| *value != sent) {
        return out;
    }
    match response.header(&header.name) {
        None => {
            out.push(CHECK.failure(format!("`{}: {sent}` was sent but not echoed", header.name)))
        }
        Some(echo) if !echo.trim().eq_ignore_ascii_case(&sent) => {
            out.push(CHECK.failure(format!("`{}` sent `{sent}`, echoed `{echo}`", header.name)))
        }
        Some(_) => {}
    }
    out
}
