//! A documented example as the request sees it: without the fields its response schema
//! gives a microversion range the requested version is outside of (nova's instance action
//! events gain `host` and `hostId` at 2.62: a 2.61 client gets neither), and with the
//! values the path asked for where a field is named after a path parameter (the instance
//! action `request_id` of `.../os-instance-actions/{request_id}`).

use serde_json::{Map, Value};
use stackspec_model::version::Microversion;
use stackspec_model::view::range_of;

use super::schemas::{resolve, Components};

/// How deep schemas are followed (self-referencing ones would not end).
const MAX_DEPTH: usize = 64;

/// `example` without the fields `schema` declares only outside `version`.
pub fn at_version(
    example: &mut Value,
    schema: &Value,
    components: &Components,
    version: Microversion,
) {
    prune(example, schema, components, version, 0);
}

fn prune(
    value: &mut Value,
    schema: &Value,
    components: &Components,
    version: Microversion,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut branches = Vec::new();
    flatten(schema, components, &mut branches, depth);
    match value {
        Value::Object(object) => {
            let names: Vec<String> = object.keys().cloned().collect();
            for name in names {
                let declared: Vec<&Value> =
                    branches.iter().filter_map(|b| b.get("properties")?.get(&name)).collect();
                let in_range = declared.iter().find(|d| range_of(d).contains(version));
                match (declared.is_empty(), in_range) {
                    (true, _) => {}
                    (false, None) => {
                        object.shift_remove(&name);
                    }
                    (false, Some(field)) => {
                        if let Some(inner) = object.get_mut(&name) {
                            prune(inner, field, components, version, depth + 1);
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            let item_schemas: Vec<&Value> =
                branches.iter().filter_map(|b| b.get("items")).collect();
            for item in items {
                for item_schema in &item_schemas {
                    prune(item, item_schema, components, version, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// `schema` and the schemas its `allOf`/`oneOf`/`anyOf` branches hold, `$ref`s resolved.
fn flatten<'a>(
    schema: &'a Value,
    components: &'a Components,
    out: &mut Vec<&'a Value>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = resolve(schema, components);
    out.push(schema);
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            flatten(branch, components, out, depth + 1);
        }
    }
}

/// Puts each path parameter's value into the string fields named after it, at the top of
/// `answer` and in the objects it wraps (`{"instanceAction": {"request_id": ...}}`).
pub fn echo_path_values(answer: &mut Value, params: &[(String, String)]) {
    let Value::Object(top) = answer else { return };
    echo_into(top, params);
    for inner in top.values_mut() {
        if let Value::Object(inner) = inner {
            echo_into(inner, params);
        }
    }
}

fn echo_into(object: &mut Map<String, Value>, params: &[(String, String)]) {
    for (name, value) in params {
        if let Some(field @ Value::String(_)) = object.get_mut(name) {
            *field = Value::String(value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use serde_json::json;

    fn components() -> Components {
        Arc::new(
            json!({"Event": {"type": "object", "properties": {
                "event": {"type": "string"},
                "host": {"type": "string", "x-openstack": {"min-ver": "2.62"}},
            }}})
            .as_object()
            .cloned(),
        )
    }

    #[test]
    fn fields_of_later_versions_are_left_out_and_others_kept() {
        let schema = json!({"type": "object", "properties": {"events": {
            "type": "array", "items": {"$ref": "#/components/schemas/Event"}}}});
        let example = json!({"events": [{"event": "start", "host": "h", "extra": 1}]});
        let mut old = example.clone();
        at_version(&mut old, &schema, &components(), Microversion::new(2, 61));
        assert_eq!(old, json!({"events": [{"event": "start", "extra": 1}]}));
        let mut new = example.clone();
        at_version(&mut new, &schema, &components(), Microversion::new(2, 62));
        assert_eq!(new, example);
    }

    #[test]
    fn a_field_named_after_a_path_parameter_carries_its_value() {
        let mut answer = json!({"instanceAction": {"request_id": "req-1", "action": "create"}});
        echo_path_values(&mut answer, &[("request_id".into(), "req-2".into())]);
        assert_eq!(answer, json!({"instanceAction": {"request_id": "req-2", "action": "create"}}));
    }
}
