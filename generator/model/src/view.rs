//! A schema as one microversion sees it. Properties, `oneOf`/`anyOf` branches and enum values
//! carry their microversion range in the `x-openstack` extension (the spelling OpenStack's own
//! codegenerator uses); the view drops what that version does not have, and un-requires the
//! properties it dropped.

use serde_json::{Map, Value};

use crate::version::{Microversion, VersionRange};

/// The extension key holding `min-ver`/`max-ver` and, on enums, `enum-versions`.
pub const EXTENSION: &str = "x-openstack";

/// The range an `x-openstack` extension on `node` declares (unbounded without one).
pub fn range_of(node: &Value) -> VersionRange {
    range_of_extension(node.get(EXTENSION))
}

/// The range an `x-openstack` extension value declares (unbounded for `None`): for a
/// caller holding a node's map, or the extension alone, so that it need not build a node.
pub fn range_of_extension(ext: Option<&Value>) -> VersionRange {
    let read = |key: &str| ext?.get(key)?.as_str()?.parse().ok();
    VersionRange { min: read("min-ver"), max: read("max-ver") }
}

/// Writes a range into `x-openstack` (nothing for an unbounded range).
pub fn set_range(node: &mut Map<String, Value>, range: VersionRange) {
    if range.is_unbounded() {
        return;
    }
    let ext = node.entry(EXTENSION).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(ext) = ext {
        if let Some(min) = range.min {
            ext.insert("min-ver".into(), Value::String(min.to_string()));
        }
        if let Some(max) = range.max {
            ext.insert("max-ver".into(), Value::String(max.to_string()));
        }
    }
}

/// `schema` as seen at `version`.
pub fn at_version(schema: &Value, version: Microversion) -> Value {
    let Value::Object(node) = schema else {
        return schema.clone();
    };
    let mut out = node.clone();
    if let Some(Value::Object(props)) = out.get_mut("properties") {
        let dropped: Vec<String> = props
            .iter()
            .filter(|(_, s)| !range_of(s).contains(version))
            .map(|(k, _)| k.clone())
            .collect();
        for name in &dropped {
            props.shift_remove(name);
        }
        if let Some(Value::Array(required)) = out.get_mut("required") {
            required.retain(|r| !dropped.iter().any(|d| r.as_str() == Some(d)));
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = out.get_mut(key) {
            branches.retain(|b| range_of(b).contains(version));
            if branches.is_empty() {
                // No branch exists at this version, so nothing is valid there. An empty
                // `oneOf` says the same but is not a schema (JSON Schema wants at least one
                // branch): validators refuse to compile it, and the mock answered 500.
                out.shift_remove(key);
                out.insert("not".into(), Value::Object(Map::new()));
            }
        }
    }
    if let Some(versions) = node.get(EXTENSION).and_then(|e| e.get("enum-versions")).cloned() {
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            values.retain(|v| {
                let name = v.as_str().unwrap_or_default();
                versions.get(name).is_none_or(|r| {
                    let wrapped = serde_json::json!({ EXTENSION: r });
                    range_of(&wrapped).contains(version)
                })
            });
        }
    }
    for_each_subschema(&mut out, |s| *s = at_version(s, version));
    Value::Object(out)
}

/// `schema` as a reader that accepts every microversion at once sees it: every property
/// kept, but required only where it exists at every version, and a `oneOf` whose branches
/// carry ranges read as `anyOf` (two versions of one branch would otherwise both match).
/// What a server that cannot tell the version (a generated router) can hold a body to.
pub fn every_version(schema: &Value) -> Value {
    let Value::Object(node) = schema else {
        return schema.clone();
    };
    let mut out = node.clone();
    let versioned: Vec<String> = match out.get("properties") {
        Some(Value::Object(props)) => props
            .iter()
            .filter(|(_, s)| !range_of(s).is_unbounded())
            .map(|(k, _)| k.clone())
            .collect(),
        _ => Vec::new(),
    };
    if let Some(Value::Array(required)) = out.get_mut("required") {
        required.retain(|r| !versioned.iter().any(|v| r.as_str() == Some(v)));
    }
    let ranged_branches = match out.get("oneOf") {
        Some(Value::Array(branches)) => branches.iter().any(|b| !range_of(b).is_unbounded()),
        _ => false,
    };
    if ranged_branches && !out.contains_key("anyOf") {
        if let Some(branches) = out.shift_remove("oneOf") {
            out.insert("anyOf".into(), branches);
        }
    }
    for_each_subschema(&mut out, |s| *s = every_version(s));
    Value::Object(out)
}

/// Applies `f` to every direct subschema of a schema object.
pub fn for_each_subschema(node: &mut Map<String, Value>, mut f: impl FnMut(&mut Value)) {
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(props)) = node.get_mut(key) {
            props.values_mut().for_each(&mut f);
        }
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(s @ Value::Object(_)) = node.get_mut(key) {
            f(s);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(branches)) = node.get_mut(key) {
            branches.iter_mut().for_each(&mut f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(s: &str) -> Microversion {
        s.parse().unwrap()
    }

    #[test]
    fn drops_and_unrequires_properties_outside_the_version() {
        let schema = json!({
            "type": "object",
            "required": ["a", "b"],
            "properties": {
                "a": {"type": "string"},
                "b": {"type": "string", "x-openstack": {"min-ver": "2.58"}},
            }
        });
        let old = at_version(&schema, v("2.10"));
        assert_eq!(old["required"], json!(["a"]));
        assert!(old["properties"].get("b").is_none());
        let new = at_version(&schema, v("2.58"));
        assert_eq!(new["required"], json!(["a", "b"]));
    }

    #[test]
    fn every_version_keeps_all_but_requires_only_the_unversioned() {
        let schema = json!({
            "type": "object",
            "required": ["a", "b"],
            "properties": {
                "a": {"type": "string"},
                "b": {"type": "string", "x-openstack": {"min-ver": "2.58"}},
                "c": {"oneOf": [{"x-openstack": {"max-ver": "2.50"}}, {"type": "string"}]},
                "d": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            }
        });
        let all = every_version(&schema);
        assert_eq!(all["required"], json!(["a"]));
        assert!(all["properties"].get("b").is_some());
        assert_eq!(all["properties"]["c"]["anyOf"].as_array().map(Vec::len), Some(2));
        assert!(all["properties"]["c"].get("oneOf").is_none());
        assert_eq!(all["properties"]["d"]["oneOf"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn filters_enum_values_and_branches_in_nested_schemas() {
        let schema = json!({"type": "array", "items": {
            "type": "string",
            "enum": ["a", "b"],
            "x-openstack": {"enum-versions": {"b": {"min-ver": "2.51"}}},
        }, "oneOf": [{"x-openstack": {"max-ver": "2.50"}}, {}]});
        let old = at_version(&schema, v("2.50"));
        assert_eq!(old["items"]["enum"], json!(["a"]));
        assert_eq!(old["oneOf"].as_array().unwrap().len(), 2);
        let new = at_version(&schema, v("2.51"));
        assert_eq!(new["items"]["enum"], json!(["a", "b"]));
        assert_eq!(new["oneOf"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_version_before_every_branch_accepts_nothing_and_is_still_a_schema() {
        let schema = json!({"oneOf": [
            {"type": "array", "x-openstack": {"min-ver": "1.1", "max-ver": "1.18"}},
            {"type": "object", "x-openstack": {"min-ver": "1.19"}},
        ]});
        let before = at_version(&schema, v("1.0"));
        assert!(before.get("oneOf").is_none(), "{before}");
        assert_eq!(before["not"], json!({}));
        assert_eq!(at_version(&schema, v("1.1"))["oneOf"].as_array().map(Vec::len), Some(1));
    }
}
