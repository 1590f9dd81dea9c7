use serde_json::Value;

use super::{Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "multi_status_consistency",
    meaning: "where 207 is documented, 200 means every item's `code` is 200 and 207 means at least one is not",
    run,
};

fn run(case: &Case, response: &Response, model: &Model) -> Vec<Finding> {
    let op = case.operation_in(model);
    let multi = op.responses.iter().any(|r| r.status == "207");
    if !multi || !matches!(response.status, 200 | 207) {
        return Vec::new();
    }
    let Some(codes) = response.json.as_ref().and_then(item_codes) else {
        return Vec::new();
    };
    let all_ok = codes.iter().all(|c| *c == Some(200));
    match (response.status, all_ok) {
        (200, false) => {
            vec![CHECK.failure(format!("overall 200 but item codes are {}", spell(&codes)))]
        }
        (207, true) => {
            vec![CHECK
                .failure(format!("overall 207 but every item code is 200 ({})", spell(&codes)))]
        }
        _ => Vec::new(),
    }
}

/// The `code` of each item of the first top-level array whose items carry one.
fn item_codes(body: &Value) -> Option<Vec<Option<u16>>> {
    body.as_object()?.values().find_map(|v| {
        let items = v.as_array()?;
        let codes: Vec<Option<u16>> = items
            .iter()
            .map(|i| i.get("code"))
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .map(code)
            .collect();
        (!codes.is_empty()).then_some(codes)
    })
}

fn code(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn spell(codes: &[Option<u16>]) -> String {
    let parts: Vec<String> =
        codes.iter().map(|c| c.map_or("?".into(), |c| c.to_string())).collect();
    parts.join(", ")
}
