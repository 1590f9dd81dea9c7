//! Reviewed JSON patches: RFC 6902 `add`, `replace` and `remove` on one operation object,
//! as the spec's corrections (`spec/corrections/`) and conform's overrides write them.
//! The `json-patch` crate applies them; this module narrows the format to the three
//! operations a reviewer writes and names the first node of a path that does not exist.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One JSON-patch operation, its pointer relative to the operation object.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum PatchOp {
    Add { path: String, value: Value },
    Replace { path: String, value: Value },
    Remove { path: String },
}

impl PatchOp {
    pub fn path(&self) -> &str {
        match self {
            PatchOp::Add { path, .. }
            | PatchOp::Replace { path, .. }
            | PatchOp::Remove { path } => path,
        }
    }

    /// Whether the operation changes what is sent rather than what is expected back.
    pub fn is_request_side(&self) -> bool {
        ["/requestBody", "/parameters"].iter().any(|p| self.path().starts_with(p))
    }

    fn to_operation(&self) -> Result<json_patch::PatchOperation, String> {
        let path = json_patch::jsonptr::PointerBuf::parse(self.path()).map_err(|_| {
            format!("`{}` is not a JSON pointer (it must start with `/`)", self.path())
        })?;
        Ok(match self {
            PatchOp::Add { value, .. } => {
                json_patch::PatchOperation::Add(json_patch::AddOperation {
                    path,
                    value: value.clone(),
                })
            }
            PatchOp::Replace { value, .. } => {
                json_patch::PatchOperation::Replace(json_patch::ReplaceOperation {
                    path,
                    value: value.clone(),
                })
            }
            PatchOp::Remove { .. } => {
                json_patch::PatchOperation::Remove(json_patch::RemoveOperation { path })
            }
        })
    }
}

/// Applies `op` to `target`, or says why it cannot be; `target` is unchanged on error.
pub fn apply(target: &mut Value, op: &PatchOp) -> Result<(), String> {
    let operation = op.to_operation()?;
    json_patch::patch(target, std::slice::from_ref(&operation)).map_err(|_| refusal(target, op))
}

/// Why `op` does not apply to `target`: the first node of its path that is missing, or
/// the index that is out of range.
fn refusal(target: &Value, op: &PatchOp) -> String {
    let path = op.path();
    let last = path.rfind('/').unwrap_or(0);
    // `add` needs the parent only; the others need the node itself.
    let needed = if matches!(op, PatchOp::Add { .. }) { &path[..last] } else { path };
    let mut end = 0;
    for (i, _) in needed.match_indices('/').skip(1).chain([(needed.len(), "")]) {
        if target.pointer(&needed[..i]).is_none() {
            return format!("`{}` does not exist in the operation", &needed[..i]);
        }
        end = i;
    }
    match target.pointer(&needed[..end]) {
        Some(Value::Array(_)) | Some(Value::Object(_)) => {
            format!("`{path}` names no place in its parent (an index out of range?)")
        }
        _ => format!("the parent of `{path}` is neither an object nor an array"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn add_replace_and_remove_follow_rfc_6902_and_name_what_is_missing() {
        let mut v = json!({"responses": {"200": {"type": "string"}}, "tags": ["a"]});
        let replace =
            PatchOp::Replace { path: "/responses/200/type".into(), value: json!("integer") };
        apply(&mut v, &replace).unwrap();
        apply(&mut v, &PatchOp::Add { path: "/tags/-".into(), value: json!("b") }).unwrap();
        apply(&mut v, &PatchOp::Add { path: "/responses/4~1x".into(), value: json!(1) }).unwrap();
        apply(&mut v, &PatchOp::Remove { path: "/tags/0".into() }).unwrap();
        assert_eq!(v, json!({"responses": {"200": {"type": "integer"}, "4/x": 1}, "tags": ["b"]}));
        let missing = PatchOp::Replace { path: "/responses/404/type".into(), value: json!(1) };
        let err = apply(&mut v, &missing).unwrap_err();
        assert_eq!(err, "`/responses/404` does not exist in the operation");
        let deep = PatchOp::Add { path: "/responses/200/items/x/y".into(), value: json!(1) };
        let err = apply(&mut v, &deep).unwrap_err();
        assert_eq!(err, "`/responses/200/items` does not exist in the operation");
    }

    #[test]
    fn refusals_name_a_bad_pointer_an_index_out_of_range_and_a_scalar_parent() {
        let mut v = json!({"tags": ["a"], "n": 1});
        let before = v.clone();
        let no_slash = PatchOp::Remove { path: "tags".into() };
        assert!(apply(&mut v, &no_slash).unwrap_err().contains("is not a JSON pointer"));
        let far = PatchOp::Add { path: "/tags/5".into(), value: json!(1) };
        assert!(apply(&mut v, &far).unwrap_err().contains("an index out of range"));
        let scalar = PatchOp::Add { path: "/n/x".into(), value: json!(1) };
        assert!(apply(&mut v, &scalar).unwrap_err().contains("neither an object nor an array"));
        assert_eq!(v, before, "a refused patch leaves the target as it was");
    }

    #[test]
    fn only_request_body_and_parameters_are_the_request_side() {
        let op = |path: &str| PatchOp::Remove { path: path.into() };
        assert!(op("/requestBody/content").is_request_side());
        assert!(op("/parameters/0").is_request_side());
        assert!(!op("/responses/200").is_request_side());
    }
}
