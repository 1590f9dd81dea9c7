//! Samples that show one member of a body rather than the body. api-refs document a nested
//! object in a section of its own, with its parameters and an example of the object alone
//! (octavia's "Pool Session Persistence Object Example", `{"type": "APP_COOKIE", ...}`, next
//! to the pool's request example). Such a sample is not a body: merged into the body's shape
//! it puts the member's keys at the root, and as a body example it lacks every required
//! field. It is recognised by its place in another sample of the same body and becomes the
//! `example` of that member's schema.

use serde_json::{json, Map, Value};

use super::operation::STACKSPEC_EXTENSION;
use super::shape::{Path, Seg};

/// Where `sample` is a member of one of `bodies`: the first object nested below a top-level
/// member of a body (so not the body, nor a wrapper's content, which a sample without its
/// wrapper would match) that has every key of `sample`, when `sample` shares no top-level key
/// with that body. An empty object or a non-object is never a member.
pub fn member_path(sample: &Value, bodies: &[&Value]) -> Option<Path> {
    let keys = sample.as_object().filter(|m| !m.is_empty())?;
    bodies.iter().find_map(|body| {
        let root = body.as_object()?;
        if keys.keys().any(|k| root.contains_key(k)) {
            return None;
        }
        holding(body, &mut Vec::new(), keys)
    })
}

/// The first object at or under `value` (at `path`), at least two steps deep, that has every
/// key of `keys`.
fn holding(value: &Value, path: &mut Path, keys: &Map<String, Value>) -> Option<Path> {
    match value {
        Value::Object(map) => {
            if path.len() >= 2 && keys.keys().all(|k| map.contains_key(k)) {
                return Some(path.clone());
            }
            map.iter().find_map(|(k, v)| {
                path.push(Seg::Key(k.clone()));
                let found = holding(v, path, keys);
                path.pop();
                found
            })
        }
        Value::Array(items) => items.iter().find_map(|item| {
            path.push(Seg::Items);
            let found = holding(item, path, keys);
            path.pop();
            found
        }),
        _ => None,
    }
}

/// Sets `example` (an example object: its `value`, and where it came from under
/// `x-stackspec`) on every schema `schema` has at `path`, through `properties`, `items` and
/// the branches of `oneOf`/`anyOf`, as the schema's `example` and `x-stackspec.example`.
/// Returns whether any schema took it.
pub fn attach(schema: &mut Value, path: &[Seg], example: &Value) -> bool {
    let Value::Object(node) = schema else { return false };
    let mut attached = false;
    for branches in ["oneOf", "anyOf"] {
        for branch in node.get_mut(branches).and_then(Value::as_array_mut).into_iter().flatten() {
            attached |= attach(branch, path, example);
        }
    }
    let Some((first, rest)) = path.split_first() else {
        node.insert("example".into(), example.get("value").cloned().unwrap_or(Value::Null));
        let meta = example.get(STACKSPEC_EXTENSION).cloned().unwrap_or_default();
        let extension = node.entry(STACKSPEC_EXTENSION).or_insert_with(|| json!({}));
        if let Value::Object(extension) = extension {
            extension.insert("example".into(), meta);
        }
        return true;
    };
    let next = match first {
        Seg::Key(k) => node.get_mut("properties").and_then(|p| p.get_mut(k)),
        Seg::Items => node.get_mut("items"),
    };
    attached | next.is_some_and(|next| attach(next, rest, example))
}

/// Every member example under `schema`: the schema that holds it, its value, and where it
/// came from.
pub fn examples(schema: &Value) -> Vec<(&Value, &Value, &Value)> {
    let mut out = Vec::new();
    collect(schema, &mut out);
    out
}

fn collect<'a>(schema: &'a Value, out: &mut Vec<(&'a Value, &'a Value, &'a Value)>) {
    match schema {
        Value::Object(node) => {
            let meta = node.get(STACKSPEC_EXTENSION).and_then(|x| x.get("example"));
            if let (Some(value), Some(meta)) = (node.get("example"), meta) {
                out.push((schema, value, meta));
            }
            let nested = node.iter().filter(|(k, _)| !matches!(k.as_str(), "example" | "enum"));
            nested.for_each(|(_, v)| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// Calls `f` on where each member example under `schema` came from.
pub fn for_each_source(schema: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match schema {
        Value::Object(node) => {
            if node.contains_key("example") {
                if let Some(meta) =
                    node.get_mut(STACKSPEC_EXTENSION).and_then(|x| x.get_mut("example"))
                {
                    f(meta);
                }
            }
            node.iter_mut()
                .filter(|(k, _)| !matches!(k.as_str(), "example" | "enum"))
                .for_each(|(_, v)| for_each_source(v, f));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| for_each_source(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn a_sample_found_inside_a_member_of_another_sample_is_that_member() {
        let body = json!({"kite": {"name": "k", "tail": {"length": 3, "colour": "red"}}});
        let tail = json!({"colour": "blue"});
        assert_eq!(member_path(&tail, &[&body]), Some(vec![key("kite"), key("tail")]));
        let listed = json!({"kites": [{"spars": [{"wood": "ash", "mm": 6}]}]});
        let spar = json!({"wood": "pine", "mm": 4});
        let at = vec![key("kites"), Seg::Items, key("spars"), Seg::Items];
        assert_eq!(member_path(&spar, &[&body, &listed]), Some(at));
    }

    #[test]
    fn a_body_missing_its_wrapper_or_sharing_a_top_level_key_is_no_member() {
        let body = json!({"kite": {"name": "k", "tail": {"length": 3}}});
        assert_eq!(member_path(&json!({"name": "bare"}), &[&body]), None, "the wrapper's content");
        assert_eq!(member_path(&json!({"kite": {"length": 3}}), &[&body]), None, "a body");
        let unwrapped = json!({"name": "k", "tail": {"knot": {"name": "bow"}}});
        assert_eq!(member_path(&json!({"name": "j"}), &[&unwrapped]), None, "a smaller body");
        assert_eq!(member_path(&json!({"length": 3, "weight": 1}), &[&body]), None, "a new key");
        assert_eq!(member_path(&json!({}), &[&body]), None);
        assert_eq!(member_path(&json!([{"length": 3}]), &[&body]), None);
    }

    #[test]
    fn the_example_goes_to_the_member_schema_in_every_branch_and_is_found_there() {
        let branch = json!({"properties": {"kite": {"properties": {"tail": {"type": "object"}}}}});
        let mut schema = json!({"oneOf": [branch.clone(), {"type": "array"}]});
        let example = json!({"value": {"length": 1}, "x-stackspec": {"sample": "s/tail.json"}});
        let path = [key("kite"), key("tail")];
        assert!(attach(&mut schema, &path, &example));
        let tail = &schema["oneOf"][0]["properties"]["kite"]["properties"]["tail"];
        assert_eq!(tail["example"], json!({"length": 1}));
        assert_eq!(tail[STACKSPEC_EXTENSION]["example"]["sample"], "s/tail.json");
        let found = examples(&schema);
        assert_eq!(found, [(tail, &json!({"length": 1}), &json!({"sample": "s/tail.json"}))]);
        assert!(!attach(&mut json!({"type": "object"}), &path, &example), "no place for it");
    }
}
