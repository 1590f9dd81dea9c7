//! Values for path parameters. Documented samples carry bodies, not URLs, so the ids a
//! path needs are learned from earlier responses (a list's first item's id fills the
//! `{id}` of the paths below it); until one is known, a placeholder stands in and the
//! server's documented 404 is the expected answer. Methods that change state only ever get
//! ids of resources this run created: a run must not delete or modify what it found.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

use crate::plan::{Model, Operation, Parameter};

/// How many values are kept per parameter name: enough for a resource deleted mid-run to
/// leave others to use, few enough that a long run's lists stay small.
const KEPT_PER_NAME: usize = 8;

/// Values by parameter name, the first learned first.
type Learned = HashMap<String, Vec<String>>;

/// Path values learned so far, by parameter name.
#[derive(Debug, Default)]
pub struct Values {
    /// Given by the user (`--path-value`): used for every case and never forgotten, so that
    /// a case's rerun sends what the case sent even after some case deleted the resource.
    given: HashMap<String, String>,
    /// From any successful response.
    seen: Mutex<Learned>,
    /// From responses to creates made by this run.
    created: Mutex<Learned>,
}

impl Values {
    /// Starts from values the user gave (`--path-value`): methods that change state may use
    /// them, and neither anything learned nor a delete replaces them. Of values given for
    /// one name, the last wins (a rerun pins its case's after the run's).
    pub fn given(pairs: &[(String, String)]) -> Self {
        let given = pairs.iter().cloned().collect();
        Self { given, ..Self::default() }
    }

    /// Whether `op` acts on a resource the user gave: the last parameter of its path (the
    /// resource a DELETE deletes) has a given value, which every method uses.
    pub fn names_given(&self, op: &Operation) -> bool {
        let last = op.path.rsplit_once('{').and_then(|(_, rest)| rest.split_once('}'));
        last.is_some_and(|(name, _)| self.given.contains_key(name))
    }

    /// Learns ids from a successful response of `op` (`created`: a create made by this run):
    /// a list's or create's first id (and name) fills the parameters of the paths one
    /// segment below it, and every `*_id` / `*_uuid` field fills the parameter of its name.
    /// Only the first counts as created: the other ids a create's answer names (the image
    /// a server boots from) belong to resources the run did not make.
    pub fn learn(&self, model: &Model, op: &Operation, body: &Value, created: bool) {
        let mut own = Vec::new();
        for name in child_parameters(model, &op.path) {
            let value = if name.ends_with("name") { first_field(body, "name") } else { None };
            if let Some(value) = value.or_else(|| first_id(body)) {
                own.push((name, value));
            }
        }
        self.learn_pairs(own, created);
        let mut named = Vec::new();
        walk_ids(body, 0, &mut |key, value| named.push((key.to_string(), value.to_string())));
        self.learn_pairs(named, false);
    }

    /// Learns `(parameter, value)` pairs (from a `Location` header or a link, say).
    pub fn learn_pairs(&self, pairs: impl IntoIterator<Item = (String, String)>, created: bool) {
        let map = if created { &self.created } else { &self.seen };
        let mut learned = lock(map);
        // An empty id names nothing (and makes a path with an empty segment).
        for (name, value) in pairs.into_iter().filter(|(_, v)| !v.is_empty()) {
            let known = learned.entry(name).or_default();
            if !known.contains(&value) && known.len() < KEPT_PER_NAME {
                known.push(value);
            }
        }
    }

    /// The value parameter `name` gets: the one the user gave, else the first one a create
    /// of this run gave, else, for a method that does not change state (`safe`), the first
    /// one seen.
    pub fn known(&self, name: &str, safe: bool) -> Option<String> {
        if let Some(given) = self.given.get(name) {
            return Some(given.clone());
        }
        let first = |map: &Mutex<Learned>| lock(map).get(name).and_then(|v| v.first().cloned());
        first(&self.created).or_else(|| if safe { first(&self.seen) } else { None })
    }

    /// Whether `value` of parameter `name` names a resource a create of this run made.
    pub fn made_by_run(&self, name: &str, value: &str) -> bool {
        lock(&self.created).get(name).is_some_and(|known| known.iter().any(|v| v == value))
    }

    /// Forgets `value` wherever it was learned: the resource it names was deleted, so later
    /// cases take another (or a placeholder) instead of one that is gone. A value the user
    /// gave stays: the user chose it for every case.
    pub fn forget(&self, value: &str) {
        for map in [&self.created, &self.seen] {
            lock(map).values_mut().for_each(|known| known.retain(|v| v != value));
        }
    }

    /// A value for every path parameter of `op`: learned (only from this run's creates when
    /// `op` changes state), else a placeholder.
    pub fn path_values(&self, op: &Operation) -> Vec<(String, String)> {
        op.path_parameters()
            .map(|p| {
                let value = self.known(&p.name, op.is_safe()).unwrap_or_else(|| placeholder(p));
                (p.name.clone(), value)
            })
            .collect()
    }
}

fn lock(map: &Mutex<Learned>) -> std::sync::MutexGuard<'_, Learned> {
    map.lock().unwrap_or_else(|e| e.into_inner())
}

/// The string `field` of the first item a create or list response names (as [`first_id`]
/// finds its id).
fn first_field(body: &Value, field: &str) -> Option<String> {
    let of = |v: &Value| v.get(field)?.as_str().map(str::to_string);
    of(body).or_else(|| {
        body.as_object()?.values().find_map(|v| match v {
            Value::Array(items) => items.first().and_then(of),
            other => of(other),
        })
    })
}

/// The id a create or list response names first: `{id}`, `{thing: {id}}` or
/// `{things: [{id}, ...]}`. An empty id names nothing (read back, it would be the path of
/// the list: `/v3/endpoints/`).
pub fn first_id(body: &Value) -> Option<String> {
    let id_of = |v: &Value| match v.get("id")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
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

/// Whether `value` is the stand-in [`placeholder`] gives `p` for want of a known one (an
/// enum's or a boolean's value is a real one).
pub fn stands_in(p: &Parameter, value: &str) -> bool {
    let real = p.schema.get("enum").is_some() || p.schema.get("type") == Some(&"boolean".into());
    !real && value == placeholder(p)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_empty_id_names_nothing_so_no_read_back_goes_to_the_list_path() {
        assert_eq!(first_id(&json!({"endpoint": {}, "id": ""})), None);
        assert_eq!(
            first_id(&json!({"endpoint": {"id": ""}, "region": {"id": "r"}})),
            Some("r".into())
        );
        assert_eq!(first_id(&json!({"endpoint": {"id": "e1"}})), Some("e1".into()));
        assert_eq!(first_id(&json!({"things": [{"id": 7}]})), Some("7".into()));
    }
}
