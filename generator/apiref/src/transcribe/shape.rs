//! The structure of a section's samples: which keys sit where, and which JSON types were seen
//! at each place. api-ref lists body parameters flat; the samples are the only record of where
//! each one lives, so every sample of a section is merged into one `Shape`.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::Value;

/// A JSON value's kind, as far as schemas care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub fn of(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(_) => Self::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => Self::Integer,
            Value::Number(_) => Self::Number,
            Value::String(_) => Self::String,
            Value::Array(_) => Self::Array,
            Value::Object(_) => Self::Object,
        }
    }

    /// The OpenAPI `type` for this kind (`None` for null, which is `nullable` instead).
    pub fn openapi_type(self) -> Option<&'static str> {
        Some(match self {
            Self::Null => return None,
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
        })
    }
}

/// One step of a path into a document: an object key, or "any item of this array".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Items,
}

pub type Path = Vec<Seg>;

/// Shows a path as `events[].name`.
pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Items => out.push_str("[]"),
        }
    }
    out
}

/// The merged structure of one or more JSON values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    pub kinds: BTreeSet<Kind>,
    pub props: IndexMap<String, Shape>,
    pub items: Option<Box<Shape>>,
}

impl Shape {
    pub fn of(value: &Value) -> Self {
        let mut shape = Self::default();
        shape.add(value);
        shape
    }

    /// Merges one more value into the shape.
    pub fn add(&mut self, value: &Value) {
        self.kinds.insert(Kind::of(value));
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    self.props.entry(k.clone()).or_default().add(v);
                }
            }
            Value::Array(items) => {
                let shape = self.items.get_or_insert_with(Box::default);
                for item in items {
                    shape.add(item);
                }
            }
            _ => {}
        }
    }

    /// The shape at `path`, if the samples reach it.
    pub fn at(&self, path: &[Seg]) -> Option<&Shape> {
        path.iter().try_fold(self, |shape, seg| match seg {
            Seg::Key(k) => shape.props.get(k),
            Seg::Items => shape.items.as_deref(),
        })
    }

    /// Every path whose last key is `name`, shallowest first (document order within a depth).
    pub fn paths_named(&self, name: &str) -> Vec<Path> {
        let mut found = Vec::new();
        self.collect_named(name, &mut Vec::new(), &mut found);
        found.sort_by_key(|p| p.iter().filter(|s| matches!(s, Seg::Key(_))).count());
        found
    }

    fn collect_named(&self, name: &str, at: &mut Path, found: &mut Vec<Path>) {
        for (k, child) in &self.props {
            at.push(Seg::Key(k.clone()));
            if k == name {
                found.push(at.clone());
            }
            child.collect_named(name, at, found);
            at.pop();
        }
        if let Some(items) = &self.items {
            at.push(Seg::Items);
            items.collect_named(name, at, found);
            at.pop();
        }
    }

    /// The one non-null kind seen, if there is exactly one (integer and number count as number).
    pub fn single_kind(&self) -> Option<Kind> {
        let mut kinds: BTreeSet<Kind> =
            self.kinds.iter().copied().filter(|k| *k != Kind::Null).collect();
        if kinds.contains(&Kind::Number) {
            kinds.remove(&Kind::Integer);
        }
        (kinds.len() == 1).then(|| *kinds.iter().next().expect("one kind"))
    }

    pub fn has_null(&self) -> bool {
        self.kinds.contains(&Kind::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merges_samples_and_finds_keys_shallowest_first() {
        let mut shape = Shape::of(&json!({"events": [{"name": "a", "code": 200}], "name": "top"}));
        shape.add(&json!({"events": [{"name": "b", "tag": null}]}));
        let paths: Vec<_> = shape.paths_named("name").iter().map(|p| display(p)).collect();
        assert_eq!(paths, ["name", "events[].name"]);
        let tag =
            shape.at(&[Seg::Key("events".into()), Seg::Items, Seg::Key("tag".into())]).unwrap();
        assert!(tag.has_null());
        assert_eq!(tag.single_kind(), None);
    }

    #[test]
    fn integers_and_floats_fold_into_number() {
        let mut shape = Shape::of(&json!(1));
        shape.add(&json!(1.5));
        assert_eq!(shape.single_kind(), Some(Kind::Number));
        assert_eq!(Shape::of(&json!(3)).single_kind(), Some(Kind::Integer));
    }
}
