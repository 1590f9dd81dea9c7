//! One parameters.yaml definition as an OpenAPI schema: its type in every spelling, format,
//! default, description, microversion range, and the enum its prose states.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Map, Value};

use super::enums;
use super::shape::Kind;
use crate::reader::{plain_words, In, ParamDef, ParamType};
use stackspec_model::view::set_range;

/// The schema a definition declares on its own (members and items are added by `body`).
pub fn param_schema(def: &ParamDef) -> Map<String, Value> {
    let mut schema = Map::new();
    match def.ty {
        Some(ParamType::Null) => {
            schema.insert("nullable".into(), json!(true));
            schema.insert("enum".into(), json!([null]));
        }
        Some(ty) => {
            if let Some(ty) = openapi_type(ty) {
                schema.insert("type".into(), json!(ty));
            }
        }
        None => {}
    }
    if let Some(format) = format_of(def) {
        schema.insert("format".into(), json!(format));
    }
    if !def.description.is_empty() {
        schema.insert("description".into(), json!(def.description));
    }
    if let Some(default) = &def.default {
        schema.insert("default".into(), default.clone());
    }
    enums::add_prose_enum(&mut schema, def);
    if def.ty != Some(ParamType::Null) && null_is_allowed(&def.description) {
        make_nullable(&mut schema);
    }
    set_range(&mut schema, def.range);
    schema
}

/// The declared format, else one the prose states for a string a client sends: "The UUID
/// of ..." (body and query) and an ISO 8601 time stamp (query). Services validate both, so a
/// conformance run must generate them; path parameters stay plain (an unknown id is a 404).
fn format_of(def: &ParamDef) -> Option<&str> {
    if def.ty == Some(ParamType::Uuid) {
        return Some("uuid");
    }
    if let Some(format) = &def.format {
        return Some(format);
    }
    if def.ty != Some(ParamType::String) {
        return None;
    }
    let text = plain_words(&def.description);
    let sent = matches!(def.location, In::Body | In::Query);
    if sent && (text.starts_with("The UUID of ") || text.starts_with("UUID of ")) {
        Some("uuid")
    } else if def.location == In::Query && text.contains("ISO 8601") {
        Some("date-time")
    } else {
        None
    }
}

/// The OpenAPI `type` of a declared parameter type (none for `Any`: any JSON value).
pub fn openapi_type(ty: ParamType) -> Option<&'static str> {
    Some(match ty {
        ParamType::String | ParamType::Uuid | ParamType::Enum => "string",
        ParamType::Integer => "integer",
        ParamType::Number => "number",
        ParamType::Boolean => "boolean",
        ParamType::Array => "array",
        ParamType::Object => "object",
        ParamType::Null => "null",
        ParamType::Any => return None,
    })
}

/// Whether a sample value of `kind` fits a declared `ty` (an integer is a number; a null fits
/// anything, since nullability is recorded separately).
pub fn compatible(ty: ParamType, kind: Kind) -> bool {
    match (ty, kind) {
        (_, Kind::Null) | (ParamType::Any, _) => true,
        (ParamType::Null, _) => false,
        (ParamType::Number, Kind::Integer) => true,
        _ => kind.openapi_type() == openapi_type(ty),
    }
}

/// Prose that says the value may be `null` ("or ``null``", "will be null if", "set to
/// ``null`` to unpin"). "Cannot be unset to null" and a "non-null value" do not match.
static NULL_ALLOWED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:can|could|may|might|will|should)\s+be\s+null\b
        | \ba\s+null\s+value\s+(?:indicates|means)\b
        | \bor\s+null\b
        | \b(?:its\s+value|(?:this|the)\s+field|it)\s+(?:is|will\s+show\s+as)\s+(?:always\s+)?null\b
        | \bnull\s+(?:if|when|for)\b
        | \bset\s+(?:\w+\s+){0,2}to\s+null\b
        | \b(?:if\s+null\s+is\s+specified|specify\s+null)\b
        | \balways\s+return\s+null\b",
    )
    .expect("valid regex")
});

/// Whether `description` says the value may be `null` (markup and line breaks aside).
pub fn null_is_allowed(description: &str) -> bool {
    NULL_ALLOWED.is_match(&plain_words(description))
}

/// Marks `schema` nullable; an `enum` gains `null` too, since OpenAPI 3.0 checks the enum
/// even for a nullable schema.
pub fn make_nullable(schema: &mut Map<String, Value>) {
    schema.insert("nullable".into(), json!(true));
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use stackspec_model::version::{Microversion, VersionRange};

    fn def(ty: Option<ParamType>, description: &str) -> ParamDef {
        ParamDef {
            key: "k".into(),
            location: In::Body,
            required: false,
            ty,
            description: description.into(),
            default: None,
            format: None,
            range: VersionRange { min: Some(Microversion::new(2, 58)), max: None },
            defined_at: Location::new("p.yaml", 1),
        }
    }

    #[test]
    fn types_formats_and_ranges() {
        let s = param_schema(&def(Some(ParamType::Uuid), ""));
        assert_eq!(
            Value::Object(s),
            json!({"type": "string", "format": "uuid", "x-openstack": {"min-ver": "2.58"}})
        );
        let s = param_schema(&def(Some(ParamType::Null), ""));
        assert_eq!(s["enum"], json!([null]));
    }

    #[test]
    fn prose_enums_with_per_value_versions() {
        let d = "A valid value is:\n\n- ``a``\n- ``b`` (since microversion ``2.60``)\n";
        let s = param_schema(&def(Some(ParamType::String), d));
        assert_eq!(s["enum"], json!(["a", "b"]));
        assert_eq!(
            s["x-openstack"],
            json!({"enum-versions": {"b": {"min-ver": "2.60"}}, "min-ver": "2.58"})
        );
    }

    #[test]
    fn prose_that_allows_null_makes_the_schema_nullable() {
        let allowing = [
            "Error text or ``null``.",
            "This will be ``null`` if the record\nis old.",
            "If it has not been set, its value is ``null``.",
            "This field is ``null`` if unknown.",
            "To unpin, set to ``null``.",
            "Omit or set this parameter to null for auto.",
            "If ``null`` is specified, the value is unset.",
            "Details. May be ``null``.",
            "The reason, ``null`` if enabled.",
            "An MD5 hash. The value might be ``null`` (JSON null data type).",
            "A ``null`` value indicates that the password never expires.",
        ];
        for d in allowing {
            let s = param_schema(&def(Some(ParamType::String), d));
            assert_eq!(s.get("nullable"), Some(&json!(true)), "{d}");
        }
        let refusing = [
            "The entry cannot be unset to ``null``.",
            "Map keys: if the value is ``null`` the entry is removed.",
            "Changing from one non-null value to another.",
            "The ``null`` value was allowed in an old API, but not any more.",
            "The name.",
        ];
        for d in refusing {
            assert!(!null_is_allowed(d), "{d}");
        }
    }

    #[test]
    fn a_nullable_prose_enum_lists_null_once() {
        let mut s = json!({"type": "string", "enum": ["a", null]}).as_object().cloned().unwrap();
        make_nullable(&mut s);
        make_nullable(&mut s);
        assert_eq!(
            Value::Object(s),
            json!({"type": "string", "enum": ["a", null], "nullable": true})
        );
    }

    #[test]
    fn prose_formats_apply_to_strings_a_client_sends() {
        let with = |location, ty, description: &str| {
            let d = ParamDef { location, ..def(ty, description) };
            param_schema(&d).get("format").cloned()
        };
        let uuid = "The UUID of the widget.";
        let stamp = "Changed since. The format is ISO 8601.";
        assert_eq!(with(In::Body, Some(ParamType::String), uuid), Some(json!("uuid")));
        assert_eq!(with(In::Query, Some(ParamType::String), uuid), Some(json!("uuid")));
        assert_eq!(with(In::Path, Some(ParamType::String), uuid), None);
        assert_eq!(with(In::Body, Some(ParamType::Integer), uuid), None);
        assert_eq!(with(In::Query, Some(ParamType::String), stamp), Some(json!("date-time")));
        assert_eq!(with(In::Body, Some(ParamType::String), stamp), None);
        assert_eq!(with(In::Body, Some(ParamType::String), "A widget, by UUID."), None);
    }

    #[test]
    fn compatibility_of_sample_kinds() {
        assert!(compatible(ParamType::Number, Kind::Integer));
        assert!(!compatible(ParamType::Integer, Kind::Number));
        assert!(compatible(ParamType::Uuid, Kind::String));
        assert!(!compatible(ParamType::String, Kind::Object));
    }
}
