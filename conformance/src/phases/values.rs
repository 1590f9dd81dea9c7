//! Values for path parameters. Documented samples carry bodies, not URLs, so the ids a
//! path needs are learned from earlier responses (a list's first item's id fills the
//! `{id}` of the paths below it); until one is known, a placeholder stands in and the
//! server's documented 404 is the expected answer. Methods that change state only ever get
//! ids of resources this run created: a run must not delete or modify what it found.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

use crate::plan::{Model, Operation, Parameter};

/// Path values learned so far, by parameter name.
#[derive(Debug, Default)]
pub struct Values {
    /// From any successful response.
    seen: Mutex<HashMap<String, String>>,
    /// From responses to creates made by this run.
    created: Mutex<HashMap<String, String>>,
}

impl Values {
    /// Starts from values the user gave (`--path-value`): they count as created by this
    /// run, so methods that change state may use them, and nothing learned replaces them.
    pub fn given(pairs: &[(String, String)]) -> Self {
        let values = Self::default();
        values.created.lock().unwrap_or_else(|e| e.into_inner()).extend(pairs.iter().cloned());
        values
    }

    /// Learns ids from a successful response of `op` (`created`: a create made by this run).
    pub fn learn(&self, model: &Model, op: &Operation, body: &Value, created: bool) {
        let map = if created { &self.created } else { &self.seen };
        let mut learned = map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = first_id(body) {
            for name in child_parameters(model, &op.path) {
                learned.entry(name).or_insert_with(|| id.clone());
            }
        }
        walk_ids(body, 0, &mut |key, value| {
            learned.entry(key.to_string()).or_insert_with(|| value.to_string());
        });
    }

    /// A value for every path parameter of `op`: learned (only from this run's creates when
    /// `op` changes state), else a placeholder.
    pub fn path_values(&self, op: &Operation) -> Vec<(String, String)> {
        let created = self.created.lock().unwrap_or_else(|e| e.into_inner());
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        op.path_parameters()
            .map(|p| {
                let found =
                    created.get(&p.name).or_else(|| seen.get(&p.name).filter(|_| op.is_safe()));
                let value = found.cloned().unwrap_or_else(|| placeholder(p));
                (p.name.clone(), value)
            })
            .collect()
    }
}

/// The id a create or list response names first: `{id}`, `{thing: {id}}` or
/// `{things: [{id}, ...]}`.
pub fn first_id(body: &Value) -> Option<String> {
    let id_of = |v: &Value| match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(id) = id_of(body) {
        return Some(id);
    }
    let map = body.as_object()?;
    map.values().find_map(|v| match v {
        Value::Array(items) => items.first().and_then(id_of),
        other => id_of(other),
    })
}

/// The parameter names of paths one `{param}` segment below `path`.
fn child_parameters<'a>(model: &'a Model, path: &'a str) -> impl Iterator<Item = String> + 'a {
    model.operations.iter().filter_map(move |o| {
        let rest = o.path.strip_prefix(path)?.strip_prefix("/{")?;
        let name = rest.strip_suffix('}')?;
        (!name.contains('/')).then(|| name.to_string())
    })
}

/// Calls `f` for every `*_id` / `*_uuid` string field, a few levels deep.
fn walk_ids(body: &Value, depth: usize, f: &mut impl FnMut(&str, &str)) {
    if depth > 3 {
        return;
    }
    match body {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(s) if key.ends_with("_id") || key.ends_with("_uuid") => f(key, s),
                    other => walk_ids(other, depth + 1, f),
                }
            }
        }
        Value::Array(items) => items.iter().take(1).for_each(|v| walk_ids(v, depth + 1, f)),
        _ => {}
    }
}

/// A stand-in value when nothing better is known.
pub fn placeholder(p: &Parameter) -> String {
    let schema = &p.schema;
    let documented = schema
        .get("default")
        .or_else(|| schema.get("example"))
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)));
    match (documented, schema.get("type").and_then(Value::as_str)) {
        (Some(Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some("integer" | "number")) => "1".into(),
        (None, Some("boolean")) => "true".into(),
        (None, _) => "stackspec-placeholder".into(),
    }
}
