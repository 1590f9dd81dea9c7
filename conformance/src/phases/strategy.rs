//! proptest strategies from OpenAPI schemas. Values are meant to validate: ranges and
//! lengths are respected, optional properties come and go, enums and `oneOf` branches are
//! chosen among. Bounds the schema leaves open are kept modest (non-negative numbers, short
//! strings of plain characters) because documentation rarely spells out every limit a
//! service really has. Whatever still fails validation is rejected before it is sent.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{json, Map, Value};

use crate::plan::Model;

/// How deep nested schemas are followed; below that, the smallest value is used.
const MAX_DEPTH: u32 = 6;

/// A strategy for values of `schema`.
pub fn for_schema(model: &Model, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let schema = model.spec.resolve(schema).unwrap_or(schema);
    let plain = non_null(model, schema, depth);
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        prop_oneof![1 => Just(Value::Null), 4 => plain].boxed()
    } else {
        plain
    }
}

/// A strategy for a path segment: never empty, never a separator.
pub fn for_path(model: &Model, schema: &Value) -> BoxedStrategy<Value> {
    let resolved = model.spec.resolve(schema).unwrap_or(schema);
    let plain_string = resolved.get("type").and_then(Value::as_str) == Some("string")
        && resolved.get("enum").is_none()
        && resolved.get("format").is_none();
    if plain_string {
        "[a-z0-9]{1,12}".prop_map(Value::String).boxed()
    } else {
        for_schema(model, schema, 0)
    }
}

/// A strategy for a header parameter: the grammar of the standard HTTP header of its name
/// where it has one (a `Range` its schema calls a string is still `bytes=FIRST-LAST`,
/// `bytes=FIRST-` or `bytes=-SUFFIX`, RFC 9110 §14.1.2), else its schema's.
pub fn for_header(model: &Model, name: &str, schema: &Value) -> BoxedStrategy<Value> {
    if !name.eq_ignore_ascii_case("range") {
        return for_schema(model, schema, 0);
    }
    let ranges = (0u32..4096, proptest::option::of(0u32..4096)).prop_map(|(first, length)| {
        let last = length.map_or_else(String::new, |n| (first + n).to_string());
        format!("bytes={first}-{last}")
    });
    let suffixes = (1u32..4096).prop_map(|n| format!("bytes=-{n}"));
    prop_oneof![ranges, suffixes].prop_map(Value::String).boxed()
}

fn non_null(model: &Model, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.is_empty() {
            return proptest::sample::select(values.clone()).boxed();
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            if !branches.is_empty() {
                let all = branches.iter().map(|b| for_schema(model, b, depth + 1));
                return Union::new(all).boxed();
            }
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        return for_schema(model, &merge_all_of(model, parts), depth + 1);
    }
    match kind(schema) {
        "object" => object(model, schema, depth),
        "array" => array(model, schema, depth),
        "string" => string(schema),
        "integer" => integer(schema),
        "number" => number(schema),
        "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
        _ => Just(json!("stackspec")).boxed(),
    }
}

fn kind(schema: &Value) -> &str {
    match schema.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(types)) => {
            types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("")
        }
        _ if schema.get("properties").is_some() => "object",
        _ => "",
    }
}

fn object(model: &Model, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    if depth > MAX_DEPTH {
        return Just(json!({})).boxed();
    }
    let required: Vec<&str> =
        schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let empty = Map::new();
    let properties = schema["properties"].as_object().unwrap_or(&empty);
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(name, sub)| {
            let name = name.clone();
            let value = for_schema(model, sub, depth + 1);
            if required.contains(&name.as_str()) {
                value.prop_map(move |v| Some((name.clone(), v))).boxed()
            } else {
                proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed()
            }
        })
        .collect();
    let fixed = fields.prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()));
    match members(model, schema, properties.len(), depth) {
        None => fixed.boxed(),
        Some(extra) => (fixed, extra)
            .prop_map(|(mut fixed, extra)| {
                if let Value::Object(map) = &mut fixed {
                    map.extend(extra);
                }
                fixed
            })
            .boxed(),
    }
}

/// The members beyond the named properties that a map (`additionalProperties` a schema)
/// must have to reach its `minProperties` (placement's allocations: at least one resource
/// provider): keys from `propertyNames`' pattern, else plain words. `None` when the named
/// properties are enough.
fn members(
    model: &Model,
    schema: &Value,
    named: usize,
    depth: u32,
) -> Option<BoxedStrategy<Map<String, Value>>> {
    let values = schema.get("additionalProperties").filter(|v| v.is_object())?;
    let min = (schema["minProperties"].as_u64().unwrap_or(0) as usize).saturating_sub(named);
    if min == 0 || depth > MAX_DEPTH {
        return None;
    }
    let pattern = schema["propertyNames"]["pattern"].as_str().unwrap_or("[a-z][a-z0-9_]{2,10}");
    // The generator matches the whole key already, and takes no anchors.
    let whole = pattern.strip_prefix('^').unwrap_or(pattern);
    let keys = proptest::string::string_regex(whole.strip_suffix('$').unwrap_or(whole)).ok()?;
    let values = for_schema(model, values, depth + 1);
    let map = proptest::collection::btree_map(keys, values, min..=min);
    Some(map.prop_map(|m| m.into_iter().collect()).boxed())
}

fn array(model: &Model, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let items = match schema.get("items") {
        Some(items) if depth <= MAX_DEPTH => for_schema(model, items, depth + 1),
        _ => return Just(json!([])).boxed(),
    };
    let min = schema["minItems"].as_u64().unwrap_or(0) as usize;
    let max = schema["maxItems"].as_u64().map_or(min + 3, |m| (m as usize).min(min + 3));
    proptest::collection::vec(items, min..=max.max(min)).prop_map(Value::Array).boxed()
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    let pattern = match schema.get("format").and_then(Value::as_str) {
        Some("uuid") => {
            Some("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}".to_string())
        }
        Some("date-time") => return Just(json!("2024-01-01T00:00:00Z")).boxed(),
        _ => schema.get("pattern").and_then(Value::as_str).map(str::to_string),
    };
    if let Some(s) = pattern.and_then(|p| proptest::string::string_regex(unanchored(&p)).ok()) {
        return s.prop_map(Value::String).boxed();
    }
    let min = schema["minLength"].as_u64().unwrap_or(0);
    let max = schema["maxLength"].as_u64().map_or(min + 16, |m| m.min(min + 16)).max(min);
    let plain = format!("[a-zA-Z0-9_-]{{{min},{max}}}");
    match proptest::string::string_regex(&plain) {
        Ok(s) => s.prop_map(Value::String).boxed(),
        Err(_) => Just(Value::String("x".repeat(min as usize))).boxed(),
    }
}

/// `pattern` without its anchors: proptest refuses to draw from `^` and `$` (placement's
/// `^CUSTOM_[A-Z0-9_]+$` fell back to plain words, which placement refused), and a string
/// drawn from the rest matches the anchored pattern as well.
fn unanchored(pattern: &str) -> &str {
    let p = pattern.strip_prefix('^').unwrap_or(pattern);
    match p.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => p,
    }
}

/// Inclusive bounds, with OpenAPI 3.0's boolean exclusive flags applied.
fn bounds(schema: &Value) -> (f64, f64) {
    let read = |bound: &str, flag: &str, step: f64| {
        let value = schema.get(bound)?.as_f64()?;
        let exclusive = schema.get(flag) == Some(&Value::Bool(true));
        Some(if exclusive { value + step } else { value })
    };
    let lo = read("minimum", "exclusiveMinimum", 1.0).unwrap_or(0.0);
    let hi = read("maximum", "exclusiveMaximum", -1.0).unwrap_or(lo + 1000.0);
    (lo, hi.max(lo))
}

fn integer(schema: &Value) -> BoxedStrategy<Value> {
    let (lo, hi) = bounds(schema);
    ((lo.ceil() as i64)..=(hi.floor() as i64)).prop_map(Value::from).boxed()
}

fn number(schema: &Value) -> BoxedStrategy<Value> {
    let (lo, hi) = bounds(schema);
    (lo..=hi).prop_map(|f| Value::from((f * 100.0).round() / 100.0)).boxed()
}

/// `allOf` as one object schema: properties and required names of every part.
fn merge_all_of(model: &Model, parts: &[Value]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in parts {
        let part = model.spec.resolve(part).unwrap_or(part);
        if let Some(p) = part["properties"].as_object() {
            properties.extend(p.clone());
        }
        required.extend(part["required"].as_array().cloned().unwrap_or_default());
    }
    json!({"type": "object", "properties": properties, "required": required})
}
