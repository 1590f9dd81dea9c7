//! Parameters as the text they travel as: strings as they are, numbers and booleans as JSON
//! writes them, arrays in the query as the key repeated once per element, objects in the
//! query as one pair per member (OpenAPI's default `form` style, exploded) or, for a
//! `content` parameter, as one JSON text, and path
//! parameters that share a segment with text (`{region}:{floatingip_id}`) cut out of it.

use serde::Serialize;
use serde_json::Value;

/// A parameter with no text form (an object, or a value serde cannot write).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{name}` has no text form: {found}")]
pub struct ParamError {
    pub name: String,
    pub found: String,
}

/// The text of a path or header parameter.
pub fn text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, ParamError> {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => Ok(s),
        Ok(v @ (Value::Number(_) | Value::Bool(_))) => Ok(v.to_string()),
        Ok(other) => Err(ParamError { name: name.to_string(), found: other.to_string() }),
        Err(e) => Err(ParamError { name: name.to_string(), found: e.to_string() }),
    }
}

/// The query pairs of one parameter: none for `None`, the key once per element for arrays.
pub fn query_pairs<T: Serialize + ?Sized>(
    query: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
) -> Result<(), ParamError> {
    match serde_json::to_value(value) {
        Ok(Value::Null) => Ok(()),
        Ok(Value::Array(items)) => items.iter().try_for_each(|item| query_pairs(query, name, item)),
        _ => {
            query.push((name.to_string(), text(name, value)?));
            Ok(())
        }
    }
}

/// The query pair of a parameter whose whole value travels as one JSON text (a `content`
/// parameter: `{"k": "v"}` travels as `metadata={"k":"v"}`); none for `None`.
pub fn query_json_pairs<T: Serialize + ?Sized>(
    query: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
) -> Result<(), ParamError> {
    match serde_json::to_value(value) {
        Ok(Value::Null) => Ok(()),
        Ok(json) => {
            query.push((name.to_string(), json.to_string()));
            Ok(())
        }
        Err(e) => Err(ParamError { name: name.to_string(), found: e.to_string() }),
    }
}

/// The query pairs of an object-valued parameter, one per member (`style: form`,
/// `explode: true`, OpenAPI's default: `{"k": "v"}` travels as `k=v`); none for `None`.
pub fn query_object_pairs<T: Serialize + ?Sized>(
    query: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
) -> Result<(), ParamError> {
    let refused = |found: String| ParamError { name: name.to_string(), found };
    match serde_json::to_value(value) {
        Ok(Value::Null) => Ok(()),
        Ok(Value::Object(members)) => members.iter().try_for_each(|(key, member)| {
            query.push((key.clone(), text(name, member)?));
            Ok(())
        }),
        Ok(other) => Err(refused(other.to_string())),
        Err(e) => Err(refused(e.to_string())),
    }
}

/// The values of the parameters of a path segment that mixes text and parameters, cut
/// out of `segment` by the `literals` before, between and after them (`["", ":", ""]` for
/// `{region}:{floatingip_id}`): each parameter ends at the first occurrence of the literal
/// that follows it, and none is empty. `None` where the segment does not have that form.
pub fn cut<'s>(segment: &'s str, literals: &[&str]) -> Option<Vec<&'s str>> {
    let (first, rest) = literals.split_first()?;
    let (last, between) = rest.split_last()?;
    let mut rest = segment.strip_prefix(first)?.strip_suffix(last)?;
    let mut values = Vec::with_capacity(literals.len() - 1);
    for literal in between {
        // At least one character before the literal: no parameter is empty.
        let start = rest.char_indices().nth(1)?.0;
        let end = start + rest[start..].find(literal)?;
        values.push(&rest[..end]);
        rest = &rest[end + literal.len()..];
    }
    values.push(rest);
    values.iter().all(|v| !v.is_empty()).then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_text_and_objects_are_refused() {
        assert_eq!(text("a", "x y"), Ok("x y".to_string()));
        assert_eq!(text("a", &10), Ok("10".to_string()));
        assert_eq!(text("a", &true), Ok("true".to_string()));
        let refused = text("a", &serde_json::json!({"k": 1})).unwrap_err();
        assert_eq!(refused.to_string(), r#"parameter `a` has no text form: {"k":1}"#);
    }

    #[test]
    fn arrays_repeat_the_key_and_none_is_left_out() {
        let mut query = Vec::new();
        query_pairs(&mut query, "tag", &Some(vec!["a", "b"])).unwrap();
        query_pairs(&mut query, "limit", &None::<u32>).unwrap();
        query_pairs(&mut query, "marker", &Some("m")).unwrap();
        let expected = [("tag", "a"), ("tag", "b"), ("marker", "m")];
        assert_eq!(query, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn a_json_encoded_parameter_is_one_pair_holding_its_json_text() {
        let mut query = Vec::new();
        let metadata = serde_json::json!({"color": "red", "size": 2});
        query_json_pairs(&mut query, "metadata", &Some(metadata)).unwrap();
        query_json_pairs(&mut query, "metadata", &None::<Value>).unwrap();
        let expected = [("metadata", r#"{"color":"red","size":2}"#)];
        assert_eq!(query, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn objects_in_the_query_are_one_pair_per_member() {
        let mut query = Vec::new();
        let metadata = serde_json::json!({"color": "red", "size": 2});
        query_object_pairs(&mut query, "metadata", &Some(metadata)).unwrap();
        query_object_pairs(&mut query, "metadata", &None::<Value>).unwrap();
        let expected = [("color", "red"), ("size", "2")];
        assert_eq!(query, expected.map(|(k, v)| (k.to_string(), v.to_string())));
        let refused = query_object_pairs(&mut query, "metadata", &"x").unwrap_err();
        assert_eq!(refused.to_string(), r#"parameter `metadata` has no text form: "x""#);
    }

    #[test]
    fn a_mixed_segment_is_cut_at_the_first_occurrence_of_each_literal() {
        let region_and_id = ["", ":", ""];
        assert_eq!(cut("east:f1", &region_and_id), Some(vec!["east", "f1"]));
        assert_eq!(cut("east:f1:x", &region_and_id), Some(vec!["east", "f1:x"]));
        assert_eq!(cut("east", &region_and_id), None);
        assert_eq!(cut(":f1", &region_and_id), None);
        assert_eq!(cut("east:", &region_and_id), None);
        let wrapped = ["v", "@", ".json"];
        assert_eq!(cut("vled@bmc.json", &wrapped), Some(vec!["led", "bmc"]));
        assert_eq!(cut("led@bmc.json", &wrapped), None);
        assert_eq!(cut("v@bmc.json", &wrapped), None);
        assert_eq!(cut("vé@b.json", &wrapped), Some(vec!["é", "b"]));
    }
}
