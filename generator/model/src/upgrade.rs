//! Writing OpenAPI 3.1 (JSON Schema 2020-12) from the 3.0.3 documents every stage works on,
//! for tools that read only 3.1; the inverse of [`crate::openapi31::downgrade`], meaning for
//! meaning:
//!
//! | 3.0.3                                          | 3.1                                        |
//! |------------------------------------------------|--------------------------------------------|
//! | `type: T, nullable: true`                      | `type: [T, "null"]`                        |
//! | `nullable: true` with an `enum`                | `null` among the enum's values too (as `json_schema` validates it) |
//! | `nullable: true` on a `$ref`, `allOf`, `oneOf` or `anyOf` without a type | `anyOf: [the schema, {type: "null"}]` |
//! | `nullable: false`, or `nullable` on a schema without any type | dropped (a schema of no type admits `null`) |
//! | `example: a` (in a schema)                     | `examples: [a]`                            |
//! | `minimum: n, exclusiveMinimum: true` (and maximum) | `exclusiveMinimum: n`                  |
//! | `exclusiveMinimum: false`                      | dropped                                    |
//!
//! Samples stay where they are: a media type's or parameter's `example`/`examples` keep their
//! 3.0 spelling, which 3.1 still has.

use serde_json::{json, Map, Value};

use crate::openapi31::for_each_schema;

/// The version written.
pub const OPENAPI_31: &str = "3.1.0";

/// Keys that make a schema admit only some values without a `type`: a nullable one of
/// these needs a `null` branch, while a schema without them and without a type admits
/// `null` already.
const COMPOSITES: [&str; 4] = ["$ref", "allOf", "oneOf", "anyOf"];

/// Rewrites a 3.0 document into its 3.1 form (see the module documentation).
pub fn to_openapi31(mut doc: Value) -> Value {
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), json!(OPENAPI_31));
    }
    for_each_schema(&mut doc, &mut upgrade_schema);
    doc
}

/// One schema's 3.0 keywords in their 3.1 spelling.
fn upgrade_schema(map: &mut Map<String, Value>) {
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    exclusive_bounds(map);
    nullable(map);
}

/// 3.0's boolean `exclusiveMinimum` beside `minimum` is 2020-12's numeric one.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match map.get(exclusive) {
            Some(Value::Bool(true)) => match map.remove(bound) {
                Some(value) => {
                    map.insert(exclusive.into(), value);
                }
                // Exclusive of no bound says nothing.
                None => {
                    map.remove(exclusive);
                }
            },
            Some(Value::Bool(false)) => {
                map.remove(exclusive);
            }
            _ => {}
        }
    }
}

/// `nullable: true` as a `null` type, a `null` enum value, or a `null` branch.
fn nullable(map: &mut Map<String, Value>) {
    if map.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    let composite = COMPOSITES.iter().any(|k| map.contains_key(*k));
    match map.get_mut("type") {
        Some(Value::String(name)) => {
            let name = std::mem::take(name);
            map.insert("type".into(), json!([name, "null"]));
        }
        Some(_) => {}
        None if composite => {
            let inner = std::mem::take(map);
            map.insert("anyOf".into(), json!([Value::Object(inner), {"type": "null"}]));
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi31::downgrade;

    fn one(schema_30: Value) -> Value {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {"S": schema_30}}});
        to_openapi31(doc)["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn nullable_becomes_a_null_type_and_a_null_enum_value() {
        assert_eq!(
            one(json!({"type": "string", "nullable": true, "enum": ["a"]})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(one(json!({"type": "string", "nullable": false})), json!({"type": "string"}));
        assert_eq!(
            one(json!({"nullable": true, "description": "any"})),
            json!({"description": "any"})
        );
    }

    #[test]
    fn a_nullable_reference_gets_a_null_branch() {
        let got = one(json!({"$ref": "#/components/schemas/T", "nullable": true}));
        assert_eq!(got, json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
    }

    #[test]
    fn schema_examples_and_exclusive_bounds_take_their_3_1_spelling() {
        let got = one(
            json!({"type": "integer", "example": 3, "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false}),
        );
        assert_eq!(
            got,
            json!({"type": "integer", "examples": [3], "exclusiveMinimum": 0, "maximum": 9})
        );
    }

    #[test]
    fn samples_outside_schemas_keep_their_spelling_and_nested_schemas_are_rewritten() {
        let doc = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {
        "description": "ok",
        "content": {"application/json": {
            "schema": {"type": "object", "properties": {"n": {"type": "integer", "nullable": true}}},
            "example": {"n": null, "nullable": true},
        }}}}}}}});
        let got = to_openapi31(doc);
        assert_eq!(got["openapi"], OPENAPI_31);
        let media = &got["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"]["properties"]["n"], json!({"type": ["integer", "null"]}));
        assert_eq!(media["example"], json!({"n": null, "nullable": true}));
    }

    #[test]
    fn reading_the_3_1_form_back_gives_the_3_0_document() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "S": {"type": "object", "properties": {
                "a": {"type": "string", "nullable": true, "example": "x"},
                "b": {"type": "number", "minimum": 1, "exclusiveMinimum": true},
            }},
        }}});
        let back = downgrade(to_openapi31(doc.clone()));
        let mut want = doc;
        want["paths"] = json!({});
        assert_eq!(back, want);
    }
}
