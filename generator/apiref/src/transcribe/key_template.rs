//! Parameter names that stand for a family of keys: cinder's `gigabytes_{volume_type}` is
//! `gigabytes_` followed by any volume type's name, placement's `{consumer_uuid}` any
//! consumer's id. No body has such a name as a key: its definition describes the value of
//! every key it matches. OpenAPI 3.0 has no `patternProperties`, so the family's schema is its
//! object's `additionalProperties`, named by [`EXTENSION`], and it is never required, as a family
//! may be empty (no volume type defined).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Map, Value};

/// The extension on a family's value schema that names its template (`gigabytes_{volume_type}`).
pub const EXTENSION: &str = "x-stackspec-key-template";

/// A `{placeholder}` inside a name.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{[^{}]+\}").expect("valid regex"));

/// The keys a templated name stands for.
#[derive(Debug)]
pub struct KeyTemplate(Regex);

impl KeyTemplate {
    /// The template `name` spells, if it holds a `{placeholder}`: the text around the
    /// placeholders is literal, each placeholder at least one character.
    pub fn parse(name: &str) -> Option<Self> {
        let mut pattern = String::from("^");
        let mut literal_from = 0;
        for placeholder in PLACEHOLDER.find_iter(name) {
            pattern.push_str(&regex::escape(&name[literal_from..placeholder.start()]));
            pattern.push_str(".+");
            literal_from = placeholder.end();
        }
        if literal_from == 0 {
            return None;
        }
        pattern.push_str(&regex::escape(&name[literal_from..]));
        pattern.push('$');
        Regex::new(&pattern).ok().map(Self)
    }

    pub fn matches(&self, key: &str) -> bool {
        self.0.is_match(key)
    }
}

/// Makes `values` what the keys of the object `schema` that no property names may hold: the
/// only schema there, or one more alternative of an `anyOf` when another family (or a map's
/// documented values) is there already.
pub fn add_values(schema: &mut Map<String, Value>, values: Map<String, Value>) {
    let values = Value::Object(values);
    match schema.get_mut("additionalProperties") {
        None => {
            schema.insert("additionalProperties".into(), values);
        }
        Some(Value::Object(existing)) if is_alternatives(existing) => {
            if let Some(Value::Array(branches)) = existing.get_mut("anyOf") {
                branches.push(values);
            }
        }
        Some(existing) => *existing = json!({"anyOf": [existing.take(), values]}),
    }
}

/// An `anyOf` and nothing else: the alternatives `add_values` builds.
fn is_alternatives(schema: &Map<String, Value>) -> bool {
    schema.len() == 1 && schema.get("anyOf").is_some_and(Value::is_array)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_inside_a_name_matches_any_text_in_its_place() {
        let t = KeyTemplate::parse("size_{kind}.total").expect("a template");
        assert!(t.matches("size_gold.total"));
        assert!(t.matches("size_a_b.total"));
        assert!(!t.matches("size_.total"), "a placeholder stands for at least one character");
        assert!(!t.matches("size_goldxtotal"), "the dot is literal");
        assert!(!t.matches("xsize_gold.total"));
        assert!(KeyTemplate::parse("{id}").expect("a template").matches("0a1b"));
    }

    #[test]
    fn a_name_without_placeholder_or_with_unclosed_brace_is_no_template() {
        assert!(KeyTemplate::parse("size").is_none());
        assert!(KeyTemplate::parse("size_{kind").is_none());
    }

    #[test]
    fn several_families_become_alternatives() {
        let mut schema = Map::new();
        add_values(&mut schema, json!({"type": "integer"}).as_object().cloned().unwrap());
        assert_eq!(schema["additionalProperties"], json!({"type": "integer"}));
        add_values(&mut schema, json!({"type": "object"}).as_object().cloned().unwrap());
        add_values(&mut schema, json!({"type": "string"}).as_object().cloned().unwrap());
        assert_eq!(
            schema["additionalProperties"],
            json!({"anyOf": [{"type": "integer"}, {"type": "object"}, {"type": "string"}]})
        );
    }
}
