//! Blocks that document one verb and path become one operation. nova documents each server
//! action (`POST /servers/{server_id}/action`) as its own block; their request bodies are
//! single-key objects with distinct keys, so they become a `oneOf` whose branches are named
//! by the action key. Bodies that cannot be told apart that way become an `anyOf`.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::operation::{Body, Built, Response};
use super::policy::{set_policy, Policy};
use stackspec_model::version::VersionRange;
use stackspec_model::view::{range_of, set_range, EXTENSION};

/// One route's operation, merged from its blocks.
#[derive(Debug, Clone)]
pub struct Merged {
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub range: VersionRange,
    /// The default policy, when every block states the same one.
    pub policy: Option<Policy>,
    pub parameters: IndexMap<(String, String), Value>,
    pub request: Option<Body>,
    pub responses: IndexMap<String, Response>,
    /// How many blocks were merged.
    pub blocks: usize,
}

/// Merges the blocks of one route, in document order.
pub fn merge(blocks: Vec<Built>) -> Merged {
    let first = blocks.first().expect("a route has at least one block").clone();
    if blocks.len() == 1 {
        return Merged {
            title: first.title,
            description: first.description,
            tags: vec![first.tag],
            range: first.range,
            policy: first.policy,
            parameters: first.parameters,
            request: first.request,
            responses: first.responses,
            blocks: 1,
        };
    }
    let mut tags: Vec<String> = Vec::new();
    let mut parameters = IndexMap::new();
    let mut responses: IndexMap<String, Vec<Response>> = IndexMap::new();
    for b in &blocks {
        if !tags.contains(&b.tag) {
            tags.push(b.tag.clone());
        }
        for (k, p) in &b.parameters {
            parameters.entry(k.clone()).or_insert_with(|| p.clone());
        }
        for (code, r) in &b.responses {
            responses.entry(code.clone()).or_default().push(r.clone());
        }
    }
    let range = blocks.iter().map(|b| b.range).reduce(|a, b| a.union(&b)).unwrap_or_default();
    let variants: Vec<(&Built, &Body)> =
        blocks.iter().filter_map(|b| Some((b, b.request.as_ref()?))).collect();
    Merged {
        title: summary(&blocks),
        description: variant_list(&blocks),
        tags,
        range,
        policy: common_policy(&blocks),
        parameters,
        request: merge_requests(&variants),
        responses: responses.into_iter().map(|(code, rs)| (code, merge_responses(rs))).collect(),
        blocks: blocks.len(),
    }
}

/// A policy stated for the whole route only when every block states it: an unstated one is
/// unknown, not "anyone".
fn common_policy(blocks: &[Built]) -> Option<Policy> {
    let first = blocks.first()?.policy?;
    blocks.iter().all(|b| b.policy == Some(first)).then_some(first)
}

fn summary(blocks: &[Built]) -> String {
    match blocks {
        [a, b] => format!("{} / {}", a.title, b.title),
        [a, rest @ ..] => format!("{} (and {} more documented variants)", a.title, rest.len()),
        [] => String::new(),
    }
}

fn variant_list(blocks: &[Built]) -> String {
    let mut out = String::from("This operation is documented in several parts:\n\n");
    for b in blocks {
        let key = b.request.as_ref().and_then(|r| single_key(&r.schema));
        match key {
            Some(key) => out.push_str(&format!("- `{key}`: {} ({})\n", b.title, b.tag)),
            None => out.push_str(&format!("- {} ({})\n", b.title, b.tag)),
        }
    }
    out
}

/// The one property of a single-key object schema (an action body like `{"reboot": {...}}`).
pub fn single_key(schema: &Value) -> Option<&str> {
    let props = schema.get("properties")?.as_object()?;
    (props.len() == 1).then(|| props.keys().next().map(String::as_str)).flatten()
}

fn merge_requests(variants: &[(&Built, &Body)]) -> Option<Body> {
    let (_, first) = variants.first()?;
    if variants.len() == 1 {
        return Some((*first).clone());
    }
    let keys: Vec<Option<&str>> = variants.iter().map(|(_, b)| single_key(&b.schema)).collect();
    let mut distinct: Vec<&str> = keys.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let by_key = distinct.len() == variants.len();
    let branches: Vec<Value> = variants
        .iter()
        .zip(&keys)
        .map(|((built, body), key)| {
            let mut branch = body.schema.as_object().cloned().unwrap_or_default();
            let title = key.filter(|_| by_key).unwrap_or(&built.title);
            branch.insert("title".into(), json!(title));
            if by_key {
                branch.insert("required".into(), json!([title]));
                branch.insert(EXTENSION.into(), json!({"action-name": title}));
            }
            let key_range = key.filter(|_| by_key).map(|k| key_range(&body.schema, k));
            set_range(&mut branch, intersection(built.range, key_range.unwrap_or_default()));
            set_policy(&mut branch, built.policy);
            Value::Object(branch)
        })
        .collect();
    let mut schema = Map::new();
    if by_key {
        schema.insert("oneOf".into(), Value::Array(branches));
        schema.insert(EXTENSION.into(), json!({"discriminator": "action"}));
    } else {
        schema.insert("anyOf".into(), Value::Array(branches));
    }
    let mut examples = Map::new();
    for (_, body) in variants {
        merge_examples(&mut examples, &body.examples);
    }
    Some(Body {
        media_type: first.media_type.clone(),
        schema: Value::Object(schema),
        required: variants.iter().any(|(_, b)| b.required),
        examples,
    })
}

/// The microversions an action key exists at. cinder documents when an action was added on
/// its key's parameter (`min_version`), not on the block: without the branch taking that
/// range, the view at an older version drops the key, and the branch, left with no required
/// property, matches every other action's body too.
fn key_range(schema: &Value, key: &str) -> VersionRange {
    schema.get("properties").and_then(|p| p.get(key)).map(range_of).unwrap_or_default()
}

/// The versions both ranges hold (an open end on one side takes the other's bound).
fn intersection(a: VersionRange, b: VersionRange) -> VersionRange {
    let max = match (a.max, b.max) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    VersionRange { min: a.min.max(b.min), max }
}

fn merge_responses(responses: Vec<Response>) -> Response {
    let mut merged = responses[0].clone();
    let mut schemas: Vec<Value> = Vec::new();
    let mut examples = Map::new();
    for r in &responses {
        for (k, v) in &r.headers {
            merged.headers.entry(k.clone()).or_insert_with(|| v.clone());
        }
        merged.range = merged.range.union(&r.range);
        if let Some(body) = &r.body {
            if !schemas.contains(&body.schema) {
                schemas.push(body.schema.clone());
            }
            merge_examples(&mut examples, &body.examples);
        }
    }
    if let Some(body) = responses.iter().find_map(|r| r.body.clone()) {
        let schema = match schemas.len() {
            1 => schemas.remove(0),
            _ => json!({"anyOf": schemas}),
        };
        merged.body = Some(Body { schema, examples, ..body });
    }
    merged
}

fn merge_examples(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (name, example) in from {
        let mut candidate = name.clone();
        let mut n = 2;
        while into.get(&candidate).is_some_and(|e| e != example) {
            candidate = format!("{name}-{n}");
            n += 1;
        }
        into.insert(candidate, example.clone());
    }
}
