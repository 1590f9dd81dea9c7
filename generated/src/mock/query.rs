//! Query parameters held to their schemas. A query string carries text; each value is read
//! as the type its schema declares (`limit=2` as an integer) before it is validated, so
//! `limit=abc` or a value outside a documented enum gets 400, as the services answer.

use serde_json::{Map, Value};
use stackspec_generator::model::json_schema::{self, Options};

use super::routes::decode;

/// One documented query parameter and its compiled schema.
pub struct QueryCheck {
    name: String,
    schema_type: Option<String>,
    validator: jsonschema::Validator,
}

/// The checks for an operation's `parameters` (inline query parameters only; header and
/// path parameters are checked elsewhere or not at all).
pub fn checks(
    parameters: Option<&Value>,
    components: Option<&Map<String, Value>>,
) -> Result<Vec<QueryCheck>, String> {
    let mut out = Vec::new();
    for p in parameters.and_then(Value::as_array).into_iter().flatten() {
        if p.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let (Some(name), Some(schema)) = (p.get("name").and_then(Value::as_str), p.get("schema"))
        else {
            continue;
        };
        let validator = json_schema::validator(schema, components, Options::default())?;
        let schema_type = schema.get("type").and_then(Value::as_str).map(str::to_string);
        out.push(QueryCheck { name: name.to_string(), schema_type, validator });
    }
    Ok(out)
}

/// The first documented parameter in `query` whose value its schema rejects, with why.
pub fn first_violation(checks: &[QueryCheck], query: Option<&str>) -> Option<String> {
    let pairs = query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty());
    for pair in pairs {
        let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, raw) = (decode(&name.replace('+', " ")), decode(&raw.replace('+', " ")));
        let Some(check) = checks.iter().find(|c| c.name == name) else { continue };
        let value = typed(check.schema_type.as_deref(), &raw);
        if let Some(v) = json_schema::violations(&check.validator, &value).first() {
            return Some(format!("invalid query parameter `{name}`: {}", v.message));
        }
    }
    None
}

/// Reads query text as the schema's type; text that does not parse stays text, so the
/// schema rejects it.
fn typed(schema_type: Option<&str>, raw: &str) -> Value {
    let parsed = match schema_type {
        Some("integer") => raw.parse::<i64>().ok().map(Value::from),
        Some("number") => raw.parse::<f64>().ok().map(Value::from),
        Some("boolean") => match raw.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Some("array") => Some(Value::Array(vec![Value::String(raw.to_string())])),
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params() -> Vec<QueryCheck> {
        let parameters = json!([
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["pending", "success"]}},
            {"name": "task_id", "in": "path", "schema": {"type": "integer"}},
        ]);
        checks(Some(&parameters), None).unwrap()
    }

    #[test]
    fn values_are_read_as_their_type_then_validated() {
        let checks = params();
        assert_eq!(first_violation(&checks, Some("limit=2&status=pending&other=x")), None);
        assert_eq!(first_violation(&checks, None), None);
        let bad = first_violation(&checks, Some("limit=abc")).unwrap();
        assert!(bad.starts_with("invalid query parameter `limit`"), "{bad}");
        let bad = first_violation(&checks, Some("status=bogus")).unwrap();
        assert!(bad.contains("`status`"), "{bad}");
    }

    #[test]
    fn path_parameters_are_not_query_checks() {
        assert_eq!(params().len(), 2);
    }
}
