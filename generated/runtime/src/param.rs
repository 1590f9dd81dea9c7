//! Parameters as the text they travel as: strings as they are, numbers and booleans as JSON
//! writes them, arrays in the query as the key repeated once per element.

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
    query: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: &T,
) -> Result<(), ParamError> {
    match serde_json::to_value(value) {
        Ok(Value::Null) => Ok(()),
        Ok(Value::Array(items)) => items.iter().try_for_each(|item| query_pairs(query, name, item)),
        _ => {
            query.push((name, text(name, value)?));
            Ok(())
        }
    }
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
        assert_eq!(query, expected.map(|(k, v)| (k, v.to_string())));
    }
}
