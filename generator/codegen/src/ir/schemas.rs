//! One JSON Schema document per service (`schemas.json`): each JSON request body's schema
//! under `$defs`, the converted `components/schemas` they reference once beside them, where
//! the bodies' `#/components/schemas/...` references find them. The server compiles it
//! once; a reviewer reads one document instead of a copy of the components per operation.

use serde_json::{Map, Value};

/// The JSON Schema draft of the document (what `model::json_schema` converts to).
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

#[derive(Debug, Clone, Default)]
pub struct SchemaDocument {
    defs: Map<String, Value>,
    components: Map<String, Value>,
}

impl SchemaDocument {
    /// Adds a body's converted schema (as `convert_for_every_version` makes it: the
    /// components it references travel in its `components/schemas`) as `$defs/<def>`, and
    /// returns the name it is under: an identical body already there is shared.
    pub fn add(&mut self, def: &str, converted: Value) -> String {
        let mut body = converted;
        if let Value::Object(root) = &mut body {
            root.remove("$schema");
            if let Some(Value::Object(mut components)) = root.remove("components") {
                if let Some(Value::Object(schemas)) = components.remove("schemas") {
                    self.components.extend(schemas);
                }
            }
        }
        if let Some((name, _)) = self.defs.iter().find(|(_, known)| **known == body) {
            return name.clone();
        }
        self.defs.insert(def.to_string(), body);
        def.to_string()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The document, pretty-printed (one value a line, so a changed schema is a small diff),
    /// components in name order.
    pub fn to_json(&self) -> String {
        let mut components: Vec<(&String, &Value)> = self.components.iter().collect();
        components.sort_by_key(|(name, _)| *name);
        let components: Map<String, Value> =
            components.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let document = serde_json::json!({
            "$schema": DRAFT,
            "$defs": self.defs,
            "components": { "schemas": components },
        });
        serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn converted(reference: &str) -> Value {
        json!({"$schema": DRAFT, "$ref": format!("#/components/schemas/{reference}"),
               "components": {"schemas": {reference: {"type": "object"}}}})
    }

    #[test]
    fn components_are_shared_and_identical_bodies_are_one_def() {
        let mut document = SchemaDocument::default();
        assert_eq!(document.add("create_task", converted("Task")), "create_task");
        assert_eq!(document.add("update_task", converted("Task")), "create_task");
        assert_eq!(document.add("create_image", converted("Image")), "create_image");
        let text: Value = serde_json::from_str(&document.to_json()).unwrap();
        assert_eq!(text["$defs"].as_object().unwrap().len(), 2);
        assert_eq!(text["$defs"]["create_task"], json!({"$ref": "#/components/schemas/Task"}));
        let names: Vec<&String> =
            text["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["Image", "Task"]);
    }
}
