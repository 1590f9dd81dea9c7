//! An answer that fits its response schema at the requested microversion, whatever the
//! documented sample says: a sample written for another version lacks fields this one
//! requires (nova's flavor `rxtx_factor` before 2.75), a sample may spell a number as a
//! string or the reverse, and some responses have a schema but no sample at all (glance's
//! cache prune). The mock keeps every value of the sample that fits, and puts in its place
//! what the schema allows where one does not: its `example`, `default` or first `enum`
//! value, else the simplest value of its type. A client is thus never served something the
//! spec forbids, and the mock never answers 500 because of its own sample.

use serde_json::{json, Map, Value};
use stackspec_model::version::Microversion;
use stackspec_model::view::range_of;

use super::schemas::{resolve, Components};

/// How deep schemas are followed (self-referencing ones would not end).
const MAX_DEPTH: usize = 32;

/// `value` made to fit `schema` as `version` sees it (every version when `None`).
pub fn fit(
    value: &mut Value,
    schema: &Value,
    components: &Components,
    version: Option<Microversion>,
) {
    Fitter { components, version }.fit(value, schema, 0);
}

/// A value `schema` allows, built from nothing (a response documented without a sample).
pub fn synthesize(schema: &Value, components: &Components, version: Option<Microversion>) -> Value {
    Fitter { components, version }.synthesize(schema, 0)
}

struct Fitter<'a> {
    components: &'a Components,
    version: Option<Microversion>,
}

impl<'a> Fitter<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        resolve(schema, self.components)
    }

    fn exists(&self, schema: &Value) -> bool {
        self.version.is_none_or(|v| range_of(schema).contains(v))
    }

    /// The branch of `schema`'s `oneOf`/`anyOf` to fit `value` to: one existing at the
    /// version whose type `value` has, else the first existing one.
    fn branch(&self, schema: &'a Value, value: Option<&Value>) -> Option<&'a Value> {
        let branches = ["oneOf", "anyOf"].iter().find_map(|k| schema.get(*k)?.as_array())?;
        let existing: Vec<&Value> =
            branches.iter().map(|b| self.resolve(b)).filter(|b| self.exists(b)).collect();
        let typed = value.and_then(|v| existing.iter().find(|b| has_type(b, v)));
        typed.or(existing.first()).copied()
    }

    /// The properties and required names of `schema` and its `allOf` parts.
    fn object_parts(
        &self,
        schema: &'a Value,
        depth: usize,
    ) -> (Vec<(&'a String, &'a Value)>, Vec<&'a str>) {
        let mut properties = Vec::new();
        let mut required = Vec::new();
        if depth > MAX_DEPTH {
            return (properties, required);
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            properties.extend(props.iter().filter(|(_, s)| self.exists(s)));
        }
        let names = schema.get("required").and_then(Value::as_array).into_iter().flatten();
        required.extend(names.filter_map(Value::as_str));
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let (p, r) = self.object_parts(self.resolve(part), depth + 1);
            properties.extend(p);
            required.extend(r);
        }
        let exists = |name: &&str| properties.iter().any(|(n, _)| n.as_str() == *name);
        required.retain(exists);
        (properties, required)
    }

    fn fit(&self, value: &mut Value, schema: &Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        if let Some(branch) = self.branch(schema, Some(value)) {
            return self.fit(value, branch, depth + 1);
        }
        if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        if !fits_scalar(value, schema) {
            *value = converted(value, schema).unwrap_or_else(|| self.synthesize(schema, depth));
            return;
        }
        match value {
            Value::Object(object) => self.fit_object(object, schema, depth),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    items.iter_mut().for_each(|item| self.fit(item, item_schema, depth + 1));
                }
            }
            _ => {}
        }
    }

    fn fit_object(&self, object: &mut Map<String, Value>, schema: &Value, depth: usize) {
        let (properties, required) = self.object_parts(schema, depth);
        for (name, property) in &properties {
            if let Some(field) = object.get_mut(name.as_str()) {
                self.fit(field, property, depth + 1);
            }
        }
        for name in required {
            if !object.contains_key(name) {
                let property = properties.iter().find(|(n, _)| n.as_str() == name);
                let value = property.map_or(Value::Null, |(_, s)| self.synthesize(s, depth + 1));
                object.insert(name.to_string(), value);
            }
        }
        let declared = |name: &str| properties.iter().any(|(n, _)| n.as_str() == name);
        match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => object.retain(|name, _| declared(name)),
            Some(other @ Value::Object(_)) => {
                let undeclared = object.iter_mut().filter(|(name, _)| !declared(name));
                undeclared.for_each(|(_, value)| self.fit(value, other, depth + 1));
            }
            _ => {}
        }
    }

    fn synthesize(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(branch) = self.branch(schema, None) {
            return self.synthesize(branch, depth + 1);
        }
        for key in ["example", "default"] {
            if let Some(given) = schema.get(key).filter(|g| fits_scalar(g, schema)) {
                return given.clone();
            }
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.first()) {
            return first.clone();
        }
        match type_of(schema) {
            Some("array") => Value::Array(Vec::new()),
            Some("string") => Value::String(string_of_format(schema)),
            Some("integer") | Some("number") => {
                json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(0))
            }
            Some("boolean") => Value::Bool(false),
            Some("object") | None
                if schema.get("properties").is_some() || schema.get("allOf").is_some() =>
            {
                let mut object = Map::new();
                self.fit_object(&mut object, schema, depth);
                Value::Object(object)
            }
            Some("object") => Value::Object(Map::new()),
            _ if schema.get("nullable") == Some(&Value::Bool(true)) => Value::Null,
            _ => Value::Object(Map::new()),
        }
    }
}

fn type_of(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

/// Whether `value` has `schema`'s declared type (any value when it declares none), and is
/// among its `enum` when it has one.
fn fits_scalar(value: &Value, schema: &Value) -> bool {
    if value.is_null() {
        return schema.get("nullable") == Some(&Value::Bool(true))
            || type_of(schema).is_none() && schema.get("enum").is_none();
    }
    let enumerated = schema.get("enum").and_then(Value::as_array);
    has_type(schema, value) && enumerated.is_none_or(|values| values.contains(value))
}

fn has_type(schema: &Value, value: &Value) -> bool {
    match type_of(schema) {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some(_) => true,
    }
}

/// `value` read as `schema`'s type where it says the same thing (`22` ↔ `"22"`).
fn converted(value: &Value, schema: &Value) -> Option<Value> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    let read = match type_of(schema)? {
        "string" => Some(Value::String(text)),
        "integer" => text.parse::<i64>().ok().map(Value::from),
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
        "boolean" => text.parse::<bool>().ok().map(Value::Bool),
        _ => None,
    };
    read.filter(|r| fits_scalar(r, schema))
}

/// The simplest text a string of `schema`'s format holds.
fn string_of_format(schema: &Value) -> String {
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2000-01-01T00:00:00Z",
        Some("date") => "2000-01-01",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("uri") => "http://localhost/",
        Some("ipv4") => "127.0.0.1",
        Some("ipv6") => "::1",
        _ => "",
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    if text.len() >= min {
        text.to_string()
    } else {
        "x".repeat(min)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn fitted(value: Value, schema: Value, version: Option<&str>) -> Value {
        let mut value = value;
        let version = version.map(|v| v.parse().unwrap());
        fit(&mut value, &schema, &Arc::new(None), version);
        value
    }

    #[test]
    fn a_field_required_at_the_version_is_added_and_others_kept() {
        let schema = json!({"type": "object", "required": ["id", "rxtx"], "properties": {
            "id": {"type": "string"},
            "rxtx": {"type": "number", "x-openstack": {"max-ver": "2.74"}},
        }});
        let sample = json!({"id": "f1", "extra": true});
        assert_eq!(
            fitted(sample.clone(), schema.clone(), Some("2.1")),
            json!({"id": "f1", "extra": true, "rxtx": 0})
        );
        assert_eq!(fitted(sample.clone(), schema, Some("2.75")), sample);
    }

    #[test]
    fn a_value_of_another_type_is_read_as_the_schemas_or_replaced() {
        let schema = json!({"type": "object", "properties": {
            "port": {"type": "string"}, "count": {"type": "integer"}, "list": {"type": "array"},
            "state": {"type": "string", "enum": ["up", "down"]},
        }});
        let sample = json!({"port": 22, "count": "3", "list": {"a": 1}, "state": "sideways"});
        let fitted = fitted(sample, schema, None);
        assert_eq!(fitted, json!({"port": "22", "count": 3, "list": [], "state": "up"}));
    }

    #[test]
    fn a_response_without_a_sample_is_built_from_its_schema() {
        let schema = json!({"type": "object", "required": ["size", "when"], "properties": {
            "size": {"type": "integer"}, "when": {"type": "string", "format": "date-time"},
            "note": {"type": "string"},
        }});
        let built = synthesize(&schema, &Arc::new(None), None);
        assert_eq!(built, json!({"size": 0, "when": "2000-01-01T00:00:00Z"}));
    }
}
