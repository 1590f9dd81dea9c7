use super::{Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "content_type_documented",
    meaning: "the Content-Type is one documented for the status received",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    let op = case.operation_in(model);
    let Some(documented) = op.documented(response.status) else {
        return Vec::new();
    };
    if documented.content.is_empty() || case.request.method == "HEAD" {
        return Vec::new();
    }
    let received = response.media_type();
    let matches = |media: &str| {
        let media = media.to_ascii_lowercase();
        received.as_deref().is_some_and(|r| {
            r == media
                || media == "*/*"
                || media.strip_suffix("/*").is_some_and(|p| r.starts_with(p))
        })
    };
    if documented.content.iter().any(|(m, _)| matches(m)) {
        return Vec::new();
    }
    let expected: Vec<&str> = documented.content.iter().map(|(m, _)| m.as_str()).collect();
    vec![CHECK.failure(format!(
        "content type {} is not documented for {} (documented: {})",
        received.as_deref().unwrap_or("(none)"),
        response.status,
        expected.join(", ")
    ))]
}
