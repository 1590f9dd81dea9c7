//! Reading OpenAPI 3.1 documents (OpenStack's published, code-derived specs are 3.1.0) by
//! rewriting them into the 3.0 form every later stage works on, meaning for meaning:
//!
//! | 3.1 (JSON Schema 2020-12)            | 3.0.3                                                  |
//! |--------------------------------------|--------------------------------------------------------|
//! | `type: [string, "null"]`             | `type: string, nullable: true`                         |
//! | `type: "null"`                       | `nullable: true, enum: [null]`                         |
//! | `type: [integer, string]`            | `anyOf` with one branch per type, each with the schema's other keywords (a keyword for another type is ignored in JSON Schema, so each branch means what the whole meant for its type) |
//! | `const: v`                           | `enum: [v]`                                            |
//! | `examples: [a, ...]` (in a schema)   | `example: a`                                           |
//! | `exclusiveMinimum: n`                | `minimum: n, exclusiveMinimum: true` (and maximum)     |
//! | `prefixItems: [a, b]`                | `items: {anyOf: [a, b]}` (an approximation: each item is one of them, order not held) |
//! | `$ref` with constraints beside it    | `allOf: [{$ref}]` with the constraints                 |
//! | an operation without `responses`    | a `default` response saying none is documented         |
//! | `webhooks`, `jsonSchemaDialect`, `components.pathItems`, `info.license.identifier` | dropped (nothing here uses them) |
//!
//! Only nodes that are schemas are rewritten: a sample value that happens to contain a
//! `type` array is data and stays as it is.

use serde_json::{json, Map, Value};

use crate::METHODS;

/// Keywords whose value is one schema.
const ONE_SCHEMA: [&str; 8] =
    ["items", "not", "additionalProperties", "contains", "if", "then", "else", "propertyNames"];
/// Keywords whose value is a list of schemas.
const SCHEMA_LIST: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const SCHEMA_MAP: [&str; 4] = ["properties", "patternProperties", "$defs", "dependentSchemas"];
/// Keywords a `$ref` may have beside it without changing what it means.
const ANNOTATIONS: [&str; 3] = ["description", "summary", "title"];

/// Rewrites a 3.1 document into its 3.0.3 form (see the module documentation).
pub fn downgrade(mut doc: Value) -> Value {
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), json!("3.0.3"));
        root.remove("webhooks");
        root.remove("jsonSchemaDialect");
        root.entry("paths").or_insert_with(|| json!({}));
        if let Some(license) = root.get_mut("info").and_then(|i| i.get_mut("license")) {
            license.as_object_mut().map(|l| l.remove("identifier"));
        }
        if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
            components.remove("pathItems");
        }
    }
    operations_without_responses(&mut doc);
    for_each_schema(&mut doc, &mut downgrade_schema);
    doc
}

/// 3.1 lets an operation document no responses; 3.0 requires the key, so such an operation
/// gets the `default` response the transcriber writes in the same case.
fn operations_without_responses(doc: &mut Value) {
    let items = doc.get_mut("paths").and_then(Value::as_object_mut).into_iter().flatten();
    for (_, item) in items {
        let operations = item.as_object_mut().into_iter().flatten();
        for (_, op) in operations.filter(|(method, _)| METHODS.contains(&method.as_str())) {
            if let Some(op) = op.as_object_mut() {
                op.entry("responses").or_insert_with(
                    || json!({"default": {"description": "No response is documented."}}),
                );
            }
        }
    }
}

/// Applies `rewrite` to every schema of a document, inner schemas first: every value of a
/// `schema` key (parameters, headers, media types), every component schema, and every
/// schema inside those. Samples (`example`, `examples`, `default`) are data and skipped.
/// Shared by both directions, 3.1 to 3.0 here and 3.0 to 3.1 in [`crate::upgrade`].
pub(crate) fn for_each_schema(node: &mut Value, rewrite: &mut impl FnMut(&mut Map<String, Value>)) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema(value, rewrite),
                    "schemas" => value
                        .as_object_mut()
                        .into_iter()
                        .flatten()
                        .for_each(|(_, s)| schema(s, rewrite)),
                    "example" | "examples" | "default" => {}
                    _ => for_each_schema(value, rewrite),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| for_each_schema(item, rewrite)),
        _ => {}
    }
}

/// Applies `rewrite` to one schema and every schema inside it, inner ones first.
fn schema(node: &mut Value, rewrite: &mut impl FnMut(&mut Map<String, Value>)) {
    let Some(map) = node.as_object_mut() else { return };
    for key in ONE_SCHEMA {
        if let Some(sub) = map.get_mut(key) {
            schema(sub, rewrite);
        }
    }
    for key in SCHEMA_LIST {
        for sub in map.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
            schema(sub, rewrite);
        }
    }
    for key in SCHEMA_MAP {
        for (_, sub) in map.get_mut(key).and_then(Value::as_object_mut).into_iter().flatten() {
            schema(sub, rewrite);
        }
    }
    rewrite(map);
}

/// One schema's own 3.1 keywords in their 3.0 spelling.
fn downgrade_schema(map: &mut Map<String, Value>) {
    constants(map);
    exclusive_bounds(map);
    prefix_items(map);
    reference_siblings(map);
    types(map);
}

/// `const` and schema `examples` in their 3.0 spelling.
fn constants(map: &mut Map<String, Value>) {
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples") {
        if !examples.is_empty() && !map.contains_key("example") {
            map.insert("example".into(), examples.swap_remove(0));
        }
    }
}

/// 2020-12's numeric `exclusiveMinimum: n` is 3.0's `minimum: n, exclusiveMinimum: true`.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(value) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), value);
            map.insert(exclusive.into(), json!(true));
        }
    }
}

/// A tuple (`prefixItems`) becomes an array each of whose items is one of the tuple's
/// schemas, unless `items` already says more.
fn prefix_items(map: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = map.remove("prefixItems") else { return };
    let items_say_nothing = match map.get("items") {
        None | Some(Value::Bool(_)) => true,
        Some(Value::Object(items)) => items.is_empty(),
        Some(_) => false,
    };
    if items_say_nothing && !branches.is_empty() {
        map.insert("items".into(), json!({ "anyOf": branches }));
    }
}

/// In 3.0 a `$ref`'s siblings are ignored: beside mere annotations it stands alone, beside
/// constraints it moves into an `allOf` with them.
fn reference_siblings(map: &mut Map<String, Value>) {
    let Some(reference) = map.remove("$ref") else { return };
    if map.keys().all(|key| ANNOTATIONS.contains(&key.as_str())) {
        map.clear();
        map.insert("$ref".into(), reference);
    } else {
        map.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
}

/// A `type` array: `null` among the types is `nullable`; one other type stays a type;
/// several become one `anyOf` branch per type.
fn types(map: &mut Map<String, Value>) {
    let names: Vec<String> = match map.get("type") {
        Some(Value::Array(names)) => {
            names.iter().filter_map(|n| n.as_str().map(String::from)).collect()
        }
        Some(Value::String(name)) if name == "null" => vec![name.clone()],
        _ => return,
    };
    map.remove("type");
    let nullable = names.iter().any(|n| n == "null");
    let others: Vec<String> = names.into_iter().filter(|n| n != "null").collect();
    match others.as_slice() {
        [] => {
            map.insert("enum".into(), json!([null]));
        }
        [one] => {
            map.insert("type".into(), json!(one));
        }
        several => {
            // Annotations stay on the schema; every other keyword goes into each branch.
            let (top, shared): (Map<String, Value>, Map<String, Value>) = std::mem::take(map)
                .into_iter()
                .partition(|(key, _)| ANNOTATIONS.contains(&key.as_str()));
            *map = top;
            let branches = several.iter().map(|name| {
                let mut branch = shared.clone();
                branch.insert("type".into(), json!(name));
                Value::Object(branch)
            });
            map.insert("anyOf".into(), Value::Array(branches.collect()));
        }
    }
    if nullable {
        map.insert("nullable".into(), json!(true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(schema_31: Value) -> Value {
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema_31}}});
        downgrade(doc)["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn a_null_in_a_type_array_is_nullable() {
        assert_eq!(
            one(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(one(json!({"type": "null"})), json!({"enum": [null], "nullable": true}));
    }

    #[test]
    fn several_types_are_one_branch_each_with_the_other_keywords() {
        let got = one(
            json!({"type": ["integer", "string", "null"], "minimum": 1, "maxLength": 3, "description": "d"}),
        );
        let want = json!({
            "description": "d",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maxLength": 3},
                {"type": "string", "minimum": 1, "maxLength": 3},
            ],
            "nullable": true,
        });
        assert_eq!(got, want);
    }

    #[test]
    fn const_examples_and_exclusive_bounds_take_their_3_0_spelling() {
        let got = one(json!({"const": "alternate", "examples": ["a", "b"], "exclusiveMinimum": 0}));
        assert_eq!(
            got,
            json!({"enum": ["alternate"], "example": "a", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn nested_schemas_are_rewritten_and_samples_are_not() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"links": {"type": "array", "prefixItems": [{"const": "x"}], "items": {}}}},
                    "example": {"type": ["integer", "null"]},
                }}}}}}},
        });
        let got = downgrade(doc);
        assert_eq!(got["openapi"], "3.0.3");
        let get = &got["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0]["schema"], json!({"type": "integer", "nullable": true}));
        let media = &get["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"]["properties"]["links"]["items"],
            json!({"anyOf": [{"enum": ["x"]}]})
        );
        assert_eq!(media["example"], json!({"type": ["integer", "null"]}));
    }

    #[test]
    fn a_reference_keeps_its_constraints_in_an_all_of() {
        assert_eq!(
            one(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"$ref": "#/components/schemas/T"})
        );
        let got =
            one(json!({"$ref": "#/components/schemas/T", "maxLength": 3, "description": "d"}));
        let want = json!({"maxLength": 3, "description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]});
        assert_eq!(got, want);
    }

    #[test]
    fn document_keys_3_0_does_not_have_are_dropped() {
        let doc = json!({"openapi": "3.1.1", "webhooks": {}, "jsonSchemaDialect": "x", "info": {"license": {"name": "A", "identifier": "Apache-2.0"}}});
        let got = downgrade(doc);
        assert_eq!(
            got,
            json!({"openapi": "3.0.3", "info": {"license": {"name": "A"}}, "paths": {}})
        );
    }

    #[test]
    fn an_operation_without_responses_gets_a_default_one() {
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {"parameters": [], "patch": {}}}});
        let got = downgrade(doc);
        let responses = &got["paths"]["/a"]["patch"]["responses"];
        assert_eq!(responses["default"]["description"], "No response is documented.");
        assert_eq!(got["paths"]["/a"]["parameters"], json!([]));
    }
}
