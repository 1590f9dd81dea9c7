use serde_json::Value;

use super::{Check, Finding};
use crate::http::Response;
use crate::phases::Case;
use crate::plan::Model;

pub const CHECK: Check = Check {
    name: "sample_shape",
    meaning: "a response to a documented sample has the documented response sample's keys and types (differences are documentation-drift warnings)",
    run,
};

fn run(case: &Case, response: &Response, _: &Model) -> Vec<Finding> {
    let (Some(sample), Some(body)) = (&case.sample, &response.json) else {
        return Vec::new();
    };
    if sample.status != response.status {
        return Vec::new();
    }
    let mut differences = Vec::new();
    compare(&sample.value, body, String::new(), &mut differences);
    if differences.is_empty() {
        return Vec::new();
    }
    differences.truncate(5);
    vec![CHECK.warning(format!(
        "differs from sample `{}`: {}",
        sample.name,
        differences.join("; ")
    ))]
}

fn compare(sample: &Value, actual: &Value, at: String, out: &mut Vec<String>) {
    match (sample, actual) {
        (Value::Object(s), Value::Object(a)) => {
            for (key, value) in s {
                let here = format!("{at}/{key}");
                match a.get(key) {
                    Some(v) => compare(value, v, here, out),
                    None => out.push(format!("`{here}` missing")),
                }
            }
        }
        (Value::Array(s), Value::Array(a)) => {
            if let (Some(s), Some(a)) = (s.first(), a.first()) {
                compare(s, a, format!("{at}/0"), out);
            }
        }
        (Value::Null, _) | (_, Value::Null) => {}
        (s, a) if kind(s) != kind(a) => {
            out.push(format!("`{at}` is {} in the sample, {} here", kind(s), kind(a)))
        }
        _ => {}
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
