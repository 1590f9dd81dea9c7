//! JSON patch (RFC 6902 `add`, `replace`, `remove`) on one operation object.

use serde_json::Value;

use super::PatchOp;

/// Applies `op` to `target`, or says why it cannot be.
pub fn apply(target: &mut Value, op: &PatchOp) -> Result<(), String> {
    let (parent, last) = split(op.path())?;
    let container = target
        .pointer_mut(parent)
        .ok_or_else(|| format!("`{parent}` does not exist in the operation"))?;
    match (op, container) {
        (PatchOp::Remove { .. }, Value::Object(map)) => {
            map.remove(&last).map(drop).ok_or_else(|| missing(op))
        }
        (PatchOp::Replace { value, .. }, Value::Object(map)) => {
            let slot = map.get_mut(&last).ok_or_else(|| missing(op))?;
            *slot = value.clone();
            Ok(())
        }
        (PatchOp::Add { value, .. }, Value::Object(map)) => {
            map.insert(last, value.clone());
            Ok(())
        }
        (op, Value::Array(items)) => {
            let index = match (op, last.as_str()) {
                (PatchOp::Add { .. }, "-") => items.len(),
                (_, token) => token.parse::<usize>().map_err(|_| missing(op))?,
            };
            match op {
                PatchOp::Add { value, .. } if index <= items.len() => {
                    items.insert(index, value.clone())
                }
                PatchOp::Replace { value, .. } if index < items.len() => {
                    items[index] = value.clone()
                }
                PatchOp::Remove { .. } if index < items.len() => drop(items.remove(index)),
                _ => return Err(missing(op)),
            }
            Ok(())
        }
        (_, _) => Err(format!("the parent of `{}` is neither an object nor an array", op.path())),
    }
}

/// Whether `op` changes what is sent rather than what is expected back.
pub fn is_request_side(op: &PatchOp) -> bool {
    ["/requestBody", "/parameters"].iter().any(|p| op.path().starts_with(p))
}

fn missing(op: &PatchOp) -> String {
    format!("`{}` does not exist in the operation", op.path())
}

/// The parent pointer and the unescaped last token.
fn split(path: &str) -> Result<(&str, String), String> {
    let Some((parent, last)) = path.rsplit_once('/') else {
        return Err(format!("`{path}` is not a JSON pointer (it must start with `/`)"));
    };
    if !path.starts_with('/') {
        return Err(format!("`{path}` is not a JSON pointer (it must start with `/`)"));
    }
    Ok((parent, last.replace("~1", "/").replace("~0", "~")))
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
        let absent = PatchOp::Replace { path: "/responses/207/type".into(), value: json!(1) };
        assert_eq!(
            apply(&mut v, &absent).unwrap_err(),
            "`/responses/207` does not exist in the operation"
        );
        let relative = PatchOp::Remove { path: "responses".into() };
        assert!(apply(&mut v, &relative).unwrap_err().contains("not a JSON pointer"));
    }
}
