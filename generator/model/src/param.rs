//! A parameter's schema, wherever OpenAPI puts it. A parameter has either a `schema`, whose
//! value travels as text in the parameter's style (OpenAPI's default for an object in the
//! query: one pair per member), or `content` with one media type, whose whole value travels
//! serialized in it. The api-refs document dictionaries in the query as one encoded value
//! (cinder's and manila's `metadata`: "a url encoded dictionary"), which only `content`
//! can say; every reader of parameters asks here so that they agree on the encoding.

use serde_json::Value;

/// How a parameter's value becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// By the parameter's `style` (a `schema` parameter).
    Styled,
    /// The whole value as one JSON text (a `content` parameter of a JSON media type).
    Json,
}

/// A parameter's schema, the JSON pointer suffix it sits at, and its encoding.
#[derive(Debug, Clone, Copy)]
pub struct ParamSchema<'a> {
    pub schema: &'a Value,
    pub pointer: &'static str,
    pub encoding: Encoding,
}

/// The pointer suffix of a JSON-encoded parameter's schema.
const JSON_SCHEMA_POINTER: &str = "/content/application~1json/schema";

/// `param`'s schema: its `schema`, or the schema of its `application/json` content. `None`
/// when it has neither (a `content` of another media type has no text form here).
pub fn schema_of(param: &Value) -> Option<ParamSchema<'_>> {
    if let Some(schema) = param.get("schema") {
        return Some(ParamSchema { schema, pointer: "/schema", encoding: Encoding::Styled });
    }
    let media = param.get("content")?.get("application/json")?;
    let schema = media.get("schema")?;
    Some(ParamSchema { schema, pointer: JSON_SCHEMA_POINTER, encoding: Encoding::Json })
}

/// The pointer of the parameter whose schema is at `schema_pointer` (either spelling).
pub fn parameter_of(schema_pointer: &str) -> Option<&str> {
    let json = schema_pointer.strip_suffix(JSON_SCHEMA_POINTER);
    json.or_else(|| schema_pointer.strip_suffix("/schema"))
}

/// A parameter object whose value travels as one JSON text (`content: application/json`).
pub fn json_encoded(schema: Value) -> Value {
    serde_json::json!({"application/json": {"schema": schema}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_content_parameter_is_json_encoded_and_a_schema_parameter_styled() {
        let styled = json!({"name": "limit", "in": "query", "schema": {"type": "integer"}});
        let got = schema_of(&styled).unwrap();
        assert_eq!(
            (got.schema, got.pointer, got.encoding),
            (&styled["schema"], "/schema", Encoding::Styled)
        );
        let json = json!({"name": "metadata", "in": "query", "content": json_encoded(json!({"type": "object"}))});
        let got = schema_of(&json).unwrap();
        assert_eq!(got.encoding, Encoding::Json);
        assert_eq!(got.schema, &json!({"type": "object"}));
        assert_eq!(json.pointer(got.pointer), Some(got.schema));
        let at = format!("/paths/~1v/get/parameters/0{}", got.pointer);
        assert_eq!(parameter_of(&at), Some("/paths/~1v/get/parameters/0"));
        assert_eq!(parameter_of("/p/parameters/1/schema"), Some("/p/parameters/1"));
    }

    #[test]
    fn content_of_another_media_type_has_no_schema_here() {
        let xml =
            json!({"name": "q", "in": "query", "content": {"application/xml": {"schema": {}}}});
        assert!(schema_of(&xml).is_none());
        assert!(schema_of(&json!({"name": "q", "in": "query"})).is_none());
    }
}
