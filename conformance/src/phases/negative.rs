//! The negative phase: take a valid body (a documented sample, else a generated one) and
//! break it one way at a time — a required field removed, a wrong type, a value outside its
//! enum or range, a string too long — then do the same to typed query parameters. Only
//! mutations the validator confirms as invalid are sent; each must get a 4xx. Hostile
//! inputs (`hostile`) join them, each kind taking its turn within `--max-cases`.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use stackspec_model::version::Microversion;
use stackspec_model::view::at_version;

use super::hostile::{self, Base, Slot};
use super::strategy::for_schema;
use super::values::{placeholder, Values};
use super::Phase;
use super::{
    choose_version, in_version, query_pairs, request_for, Case, CaseOptions, Intent, Skip,
};
use crate::plan::{Model, Operation};

/// A value no enum is expected to hold.
const NOT_IN_ENUM: &str = "stackspec-not-a-member";

/// How many generated bodies are tried for a valid one to mutate.
const BASE_ATTEMPTS: u32 = 32;

/// One way to break a body: the pointer changed and its new value (`None`: removed).
struct Mutation {
    what: String,
    pointer: String,
    value: Option<Value>,
}

/// The cases for operation `index`, or why there are none.
pub fn cases(
    model: &Model,
    index: usize,
    options: &CaseOptions,
    values: &Values,
) -> Result<Vec<Case>, Skip> {
    let op = &model.operations[index];
    let version = choose_version(model, op, options, None)?;
    let base_request = {
        let mut r = request_for(op, &values.path_values(op), version);
        for p in op.query_parameters().filter(|p| p.required) {
            r.query.extend(query_pairs(p, &placeholder(p).into()));
        }
        r
    };
    let mut out = Vec::new();
    let make = |request, what: String| Case {
        operation: index,
        phase: Phase::Negative,
        request,
        microversion: version,
        intent: Intent::Invalid { what },
        sample: None,
        example: None,
        seed: Some(options.seed),
    };
    if let Some((pointer, base)) = valid_body(model, op, version, options.seed) {
        let schema = model.spec.at(&pointer).cloned().unwrap_or(Value::Null);
        let schema = version.map_or_else(|| schema.clone(), |v| at_version(&schema, v));
        let mut mutations = vec![Mutation {
            what: "the body is an array, not an object".into(),
            pointer: String::new(),
            value: Some(json!([])),
        }];
        mutate(model, &schema, &base, "", &mut mutations);
        for m in mutations {
            let Some(body) = apply(&base, &m) else {
                continue;
            };
            let invalid = model.violations(&pointer, version, &body).is_ok_and(|v| !v.is_empty());
            if invalid {
                let mut request = base_request.clone();
                request.body = Some(body);
                out.push(make(request, m.what));
            }
        }
    }
    let valid = valid_body(model, op, version, options.seed);
    let body = valid.as_ref().map(|(_, b)| b.clone());
    for p in in_version(op, version) {
        let Some(what) = query_breaker(&p.schema) else {
            continue;
        };
        let mut request = base_request.clone();
        request.query.retain(|(n, _)| *n != p.name);
        request.query.push((p.name.clone(), NOT_IN_ENUM.into()));
        request.body.clone_from(&body);
        out.push(make(request, format!("query `{}` {what}", p.name)));
    }
    let mut valid_request = base_request.clone();
    valid_request.body = body;
    let base =
        Base { model, index, version, options, request: &valid_request, body: valid.as_ref() };
    let mut groups = vec![out.into_iter().map(|c| Slot::Ready(Box::new(c))).collect()];
    for group in hostile::groups(&base, values) {
        groups.push(group.into_iter().map(|c| Slot::Candidate(&base, c)).collect());
    }
    let out = hostile::interleave(groups, options.max_cases as usize);
    if out.is_empty() {
        return Err(Skip::NothingToBreak);
    }
    Ok(out)
}

/// A body known to validate: the first sample that does, else a generated one.
pub(super) fn valid_body(
    model: &Model,
    op: &Operation,
    version: Option<Microversion>,
    seed: u64,
) -> Option<(String, Value)> {
    let pointer = op.body_schema.clone()?;
    let valid = |v: &Value| model.violations(&pointer, version, v).is_ok_and(|v| v.is_empty());
    let sample = op.request_examples.iter().map(|e| e.value.clone()).find(|v| valid(v));
    if let Some(sample) = sample {
        return Some((pointer, sample));
    }
    let schema = model.spec.at(&pointer)?;
    let schema = version.map_or_else(|| schema.clone(), |v| at_version(schema, v));
    let strategy = for_schema(model, &schema, 0);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let generated = (0..BASE_ATTEMPTS)
        .filter_map(|_| Some(strategy.new_tree(&mut runner).ok()?.current()))
        .find(|v| valid(v))?;
    Some((pointer, generated))
}

/// Collects the mutations of `value` (which validates against `schema`) at `at`.
fn mutate(model: &Model, schema: &Value, value: &Value, at: &str, out: &mut Vec<Mutation>) {
    let schema = model.spec.resolve(schema).unwrap_or(schema);
    let mut push = |what: String, v: Option<Value>| {
        out.push(Mutation { what, pointer: at.to_string(), value: v })
    };
    let shown = if at.is_empty() { "/" } else { at };
    if let Some(wrong) = wrong_type(value) {
        if !at.is_empty() {
            push(format!("`{shown}` has the wrong type"), Some(wrong));
        }
    }
    if schema.get("enum").is_some() && value.is_string() {
        push(format!("`{shown}` is not in its enum"), Some(json!(NOT_IN_ENUM)));
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        push(format!("`{shown}` is above its maximum"), Some(json!(max + 1.0)));
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        push(format!("`{shown}` is below its minimum"), Some(json!(min - 1.0)));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        let long = "x".repeat(max as usize + 1);
        push(format!("`{shown}` is longer than its maxLength"), Some(json!(long)));
    }
    let Some(object) = value.as_object() else {
        return;
    };
    for name in schema["required"].as_array().into_iter().flatten() {
        let Some(name) = name.as_str().filter(|n| object.contains_key(*n)) else {
            continue;
        };
        out.push(Mutation {
            what: format!("required `{at}/{name}` is missing"),
            pointer: format!("{at}/{}", escape(name)),
            value: None,
        });
    }
    for (name, sub) in schema["properties"].as_object().into_iter().flatten() {
        if let Some(v) = object.get(name) {
            mutate(model, sub, v, &format!("{at}/{}", escape(name)), out);
        }
    }
}

/// A value of another JSON type than `value`.
fn wrong_type(value: &Value) -> Option<Value> {
    Some(match value {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("not-a-number"),
        Value::Bool(_) => json!("not-a-boolean"),
        Value::Array(_) => json!({"not": "an array"}),
        Value::Object(_) => json!(["not", "an", "object"]),
        Value::Null => return None,
    })
}

/// `base` with one mutation applied (None if its pointer does not exist).
fn apply(base: &Value, m: &Mutation) -> Option<Value> {
    if m.pointer.is_empty() {
        return m.value.clone();
    }
    let mut out = base.clone();
    let (parent, last) = m.pointer.rsplit_once('/')?;
    let last = last.replace("~1", "/").replace("~0", "~");
    let parent = out.pointer_mut(parent)?.as_object_mut()?;
    match &m.value {
        Some(v) => parent.insert(last, v.clone()),
        None => parent.remove(&last),
    };
    Some(out)
}

/// How a query parameter of this schema is broken by [`NOT_IN_ENUM`], if it is.
fn query_breaker(schema: &Value) -> Option<&'static str> {
    if schema.get("enum").is_some() {
        return Some("is not in its enum");
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number") => Some("is not a number"),
        Some("boolean") => Some("is not a boolean"),
        _ => None,
    }
}

fn escape(token: &str) -> String {
    stackspec_model::escape_pointer(token)
}
