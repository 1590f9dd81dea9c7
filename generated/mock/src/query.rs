//! Query parameters held to their schemas. A query string carries text; each value is read
//! as the type its schema declares (`limit=2` as an integer) before it is validated, so
//! `limit=abc` or a value outside a documented enum gets 400, as the services answer. A
//! parameter outside the requested microversion's range is not checked (the services ignore
//! query parameters they do not know).

use serde_json::Value;
use stackspec_model::param::{schema_of, Encoding};
use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::view::range_of;

use super::routes::decode;
use super::schemas::{Components, VersionedValidator};

/// One documented query parameter and its schema.
pub struct QueryCheck {
    name: String,
    schema_type: Option<String>,
    /// The value is one JSON text (a `content` parameter), read as JSON whatever its type.
    json: bool,
    range: VersionRange,
    validator: VersionedValidator,
}

/// The checks for an operation's `parameters` (inline query parameters only; header and
/// path parameters are checked elsewhere or not at all).
pub fn checks(
    parameters: Option<&Value>,
    components: &Components,
) -> Result<Vec<QueryCheck>, String> {
    let mut out = Vec::new();
    for p in parameters.and_then(Value::as_array).into_iter().flatten() {
        if p.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let (Some(name), Some(found)) = (p.get("name").and_then(Value::as_str), schema_of(p))
        else {
            continue;
        };
        let validator = VersionedValidator::new(found.schema, components.clone())?;
        let schema_type = found.schema.get("type").and_then(Value::as_str).map(str::to_string);
        let json = found.encoding == Encoding::Json;
        let range = range_of(p);
        out.push(QueryCheck { name: name.to_string(), schema_type, json, range, validator });
    }
    Ok(out)
}

/// The first documented parameter in `query` whose value its schema (at `version`) rejects,
/// with why; `Err` when the schema does not compile at that version.
pub fn first_violation(
    checks: &[QueryCheck],
    query: Option<&str>,
    version: Option<Microversion>,
) -> Result<Option<String>, String> {
    for (name, raw) in pairs(query) {
        let in_range = |c: &&QueryCheck| version.is_none_or(|v| c.range.contains(v));
        let Some(check) = checks.iter().filter(in_range).find(|c| c.name == name) else {
            continue;
        };
        let value = if check.json {
            serde_json::from_str(&raw).unwrap_or(Value::String(raw))
        } else {
            typed(check.schema_type.as_deref(), &raw)
        };
        if let Some(v) = check.validator.first_violation(version, &value)? {
            return Ok(Some(format!("invalid query parameter `{name}`: {}", v.message)));
        }
    }
    Ok(None)
}

/// The decoded `name=value` pairs of a query string, in order (`+` read as a space).
pub fn pairs(query: Option<&str>) -> impl Iterator<Item = (String, String)> + '_ {
    let pairs = query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty());
    pairs.map(|pair| {
        let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(&name.replace('+', " ")), decode(&raw.replace('+', " ")))
    })
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
    use std::sync::Arc;

    use super::*;
    use serde_json::json;

    fn params() -> Vec<QueryCheck> {
        let parameters = json!([
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["pending", "success"]}},
            {"name": "task_id", "in": "path", "schema": {"type": "integer"}},
            {"name": "since", "in": "query", "schema": {"type": "integer"}, "x-openstack": {"min-ver": "2.5"}},
        ]);
        checks(Some(&parameters), &Arc::new(None)).unwrap()
    }

    fn check(query: &str) -> Option<String> {
        first_violation(&params(), Some(query), None).unwrap()
    }

    #[test]
    fn values_are_read_as_their_type_then_validated() {
        assert_eq!(check("limit=2&status=pending&other=x"), None);
        assert_eq!(first_violation(&params(), None, None), Ok(None));
        let bad = check("limit=abc").unwrap();
        assert!(bad.starts_with("invalid query parameter `limit`"), "{bad}");
        let bad = check("status=bogus").unwrap();
        assert!(bad.contains("`status`"), "{bad}");
    }

    #[test]
    fn a_parameter_is_only_checked_within_its_microversion_range() {
        let at = |v| first_violation(&params(), Some("since=x"), Some(Microversion::new(2, v)));
        assert_eq!(at(4), Ok(None));
        assert!(at(5).unwrap().is_some_and(|m| m.contains("`since`")));
    }

    #[test]
    fn a_json_encoded_parameter_is_read_as_json() {
        let parameters = json!([{"name": "metadata", "in": "query",
            "content": {"application/json": {"schema": {"type": "object"}}}}]);
        let checks = checks(Some(&parameters), &Arc::new(None)).unwrap();
        let check = |q| first_violation(&checks, Some(q), None).unwrap();
        assert_eq!(check("metadata=%7B%22k%22%3A%22v%22%7D"), None);
        let bad = check("metadata=k").unwrap();
        assert!(bad.starts_with("invalid query parameter `metadata`"), "{bad}");
    }

    #[test]
    fn path_parameters_are_not_query_checks() {
        assert_eq!(params().len(), 3);
    }
}
