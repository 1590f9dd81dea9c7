//! OpenAPI 3.0 schemas as JSON Schema (draft 2020-12), for validating bodies with the
//! `jsonschema` crate. The differences that matter: `nullable: true` becomes a `null` type,
//! boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers, and `$ref`s into
//! `#/components/schemas` keep working because the converted components travel with the
//! root schema.

use serde_json::{Map, Value};

use super::view::{at_version, every_version, for_each_subschema};
use crate::version::Microversion;

/// How to build validators.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Validate only what this microversion has (see `view`).
    pub version: Option<Microversion>,
    /// Check `format` (uuid, date-time, ...). Off by default: documentation samples use
    /// placeholder values that are not real UUIDs.
    pub formats: bool,
}

/// One validation failure: where in the instance, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub instance_pointer: String,
    pub message: String,
}

/// Converts `schema` (and the `components` it references) into one JSON Schema document.
pub fn convert(schema: &Value, components: Option<&Map<String, Value>>, options: Options) -> Value {
    convert_viewed(schema, components, |s| match options.version {
        Some(v) => at_version(s, v),
        None => s.clone(),
    })
}

/// Like [`convert`], for a reader that accepts every microversion at once
/// ([`every_version`]): what a server that cannot tell the version validates against.
pub fn convert_for_every_version(schema: &Value, components: Option<&Map<String, Value>>) -> Value {
    convert_viewed(schema, components, every_version)
}

fn convert_viewed(
    schema: &Value,
    components: Option<&Map<String, Value>>,
    view: impl Fn(&Value) -> Value,
) -> Value {
    let prepare = |s: &Value| convert_node(&view(s));
    let mut root = match prepare(schema) {
        Value::Object(map) => map,
        other => return other,
    };
    if let Some(components) = components {
        let converted: Map<String, Value> = referenced(schema, components)
            .into_iter()
            .filter_map(|name| Some((name.to_string(), prepare(components.get(name)?))))
            .collect();
        if !converted.is_empty() {
            root.insert("components".into(), serde_json::json!({ "schemas": converted }));
        }
    }
    root.insert(
        "$schema".into(),
        Value::String("https://json-schema.org/draft/2020-12/schema".into()),
    );
    Value::Object(root)
}

/// The names of the components `schema` references, directly or through other components,
/// in name order: only those travel with a converted schema (nova's document has hundreds).
fn referenced<'a>(schema: &'a Value, components: &'a Map<String, Value>) -> Vec<&'a str> {
    fn refs<'a>(node: &'a Value, out: &mut Vec<&'a str>) {
        match node {
            Value::Object(map) => {
                let target = map.get("$ref").and_then(Value::as_str);
                out.extend(target.and_then(|r| r.strip_prefix("#/components/schemas/")));
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found: Vec<&str> = Vec::new();
    let mut pending = Vec::new();
    refs(schema, &mut pending);
    while let Some(name) = pending.pop() {
        if found.contains(&name) {
            continue;
        }
        if let Some((key, component)) = components.get_key_value(name) {
            found.push(key.as_str());
            refs(component, &mut pending);
        }
    }
    found.sort_unstable();
    found
}

/// A compiled validator for `schema`.
pub fn validator(
    schema: &Value,
    components: Option<&Map<String, Value>>,
    options: Options,
) -> Result<jsonschema::Validator, String> {
    let root = convert(schema, components, options);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(options.formats)
        .build(&root)
        .map_err(|e| e.to_string())
}

/// Every violation of `instance` against a validator, sorted by pointer.
pub fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<Violation> {
    // Most instances are valid (every response conform checks, every request the mock
    // serves); `is_valid` stops at the first error and builds none.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let mut out: Vec<Violation> = validator
        .iter_errors(instance)
        .map(|e| Violation {
            instance_pointer: e.instance_path().to_string(),
            message: e.to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.instance_pointer.cmp(&b.instance_pointer).then(a.message.cmp(&b.message)));
    out
}

fn convert_node(schema: &Value) -> Value {
    let Value::Object(node) = schema else {
        return schema.clone();
    };
    let mut out = node.clone();
    for_each_subschema(&mut out, |s| *s = convert_node(s));
    if out.remove("nullable") == Some(Value::Bool(true)) {
        match out.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                out.insert("type".into(), serde_json::json!([t, "null"]));
            }
            Some(_) => {}
            None => {}
        }
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
    }
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Bool(exclusive)) = out.get(flag).cloned() {
            out.remove(flag);
            if exclusive {
                if let Some(b) = out.remove(bound) {
                    out.insert(flag.into(), b);
                }
            }
        }
    }
    // Annotations validation never reads: dropped so that validators (and the schemas the
    // generated servers embed) stay small.
    for key in ["example", "discriminator", "xml", "externalDocs", "description", "title"] {
        out.remove(key);
    }
    out.retain(|key, _| !key.starts_with("x-"));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(
        schema: Value,
        components: Option<Value>,
        instance: Value,
        options: Options,
    ) -> Vec<Violation> {
        let components = components.as_ref().and_then(Value::as_object);
        violations(&validator(&schema, components, options).unwrap(), &instance)
    }

    #[test]
    fn nullable_admits_null_and_only_then() {
        let s = json!({"type": "string", "nullable": true, "enum": ["a"]});
        assert!(check(s.clone(), None, json!(null), Options::default()).is_empty());
        assert!(check(s, None, json!("a"), Options::default()).is_empty());
        let strict = json!({"type": "string"});
        assert_eq!(check(strict, None, json!(null), Options::default()).len(), 1);
    }

    #[test]
    fn refs_into_components_resolve_and_report_the_instance_pointer() {
        let s = json!({"type": "object", "properties": {"e": {"$ref": "#/components/schemas/E"}}});
        let c = json!({"E": {"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}}}});
        let v = check(s, Some(c), json!({"e": {"code": "404"}}), Options::default());
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].instance_pointer, "/e/code");
    }

    #[test]
    fn annotations_and_extensions_are_dropped() {
        let s = json!({"type": "string", "description": "d", "title": "t", "x-openstack": {"min-ver": "2.1"}});
        assert_eq!(
            convert(&s, None, Options::default()),
            json!({
                "type": "string",
                "$schema": "https://json-schema.org/draft/2020-12/schema",
            })
        );
    }

    #[test]
    fn only_referenced_components_travel_and_cycles_end() {
        let s = json!({"$ref": "#/components/schemas/A"});
        let c = json!({
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"items": {"$ref": "#/components/schemas/A"}},
            "Unused": {"type": "string"},
        });
        let converted = convert(&s, c.as_object(), Options::default());
        let names: Vec<_> =
            converted["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["A", "B"]);
        let plain = convert(&json!({"type": "string"}), c.as_object(), Options::default());
        assert!(plain.get("components").is_none());
    }

    #[test]
    fn every_version_applies_to_components_too() {
        let s = json!({"$ref": "#/components/schemas/A"});
        let c = json!({"A": {"type": "object", "required": ["new"], "properties": {"new": {"x-openstack": {"min-ver": "2.5"}}}}});
        let converted = convert_for_every_version(&s, c.as_object());
        assert_eq!(converted["components"]["schemas"]["A"]["required"], json!([]));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let s = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(check(s.clone(), None, json!(0), Options::default()).len(), 1);
        assert!(check(s, None, json!(1), Options::default()).is_empty());
    }

    #[test]
    fn the_version_view_applies_before_validation() {
        let s = json!({"type": "object", "required": ["new"], "properties": {"new": {"x-openstack": {"min-ver": "2.5"}}}});
        let at = |v: &str| Options { version: Some(v.parse().unwrap()), formats: false };
        assert!(check(s.clone(), None, json!({}), at("2.4")).is_empty());
        assert_eq!(check(s, None, json!({}), at("2.5")).len(), 1);
    }
}
