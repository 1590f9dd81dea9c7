//! Hostile inputs, sent by the negative phase beside its schema mutations: what real
//! services mishandle although no schema constraint names it. `null` for every field and
//! for the whole body, every other JSON type for every field, non-ASCII, long, empty and
//! control-character strings, boundary numbers (0, -1, the i32, i64 and u64 limits, huge
//! floats), a JSON body labelled with another content type or none, a body that is not
//! UTF-8 or not whole, `multipart/form-data` without a boundary, a body on a method that
//! takes none, the methods a path does not document, and microversion headers that name
//! no version (inspector answered 500 to every path for `X-OpenStack-Ironic-Inspector-API-
//! Version: v`).
//!
//! Each way is a [`Candidate`] in a group of its kind, the groups shuffled by the run's seed;
//! the phase takes the groups in turn (so that every kind gets its share of `--max-cases`)
//! and builds only the cases it sends. A candidate whose body breaks the schema is sent as
//! invalid input (a success fails `negative_input_rejected`); the others as
//! [`Intent::Unusual`] or [`Intent::UndocumentedMethod`], where only a 5xx fails.

use std::collections::HashSet;

use proptest::strategy::{Just, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use stackspec_model::version::Microversion;

use super::values::Values;
use super::{request_for, Case, CaseOptions, Intent, Phase};
use crate::http::Request;
use crate::plan::{Model, Operation};

/// A string no ASCII-only code path handles: accents, CJK, an emoji outside the BMP and a
/// right-to-left override.
const NON_ASCII: &str = "ünïcødé-名前-😀-\u{202e}";

/// How long a long string is: past every column limit OpenStack's databases use (255,
/// 1024) and most header and URL limits of WSGI servers (8 KiB with the rest of the line).
const LONG: usize = 4096;

/// Numbers at the edges of the integer types services store them in, and floats no
/// integer column takes.
const BOUNDARY_NUMBERS: [&str; 11] = [
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "1e308",
    "-1e308",
    "0.5",
];

/// The methods a path may lack (HEAD and OPTIONS are left out: frameworks answer them
/// for any path they route, see the spec's `head-from-get` fact).
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A multipart body as a browser sends one, under a `Content-Type` that names no boundary.
const MULTIPART: &[u8] =
    b"--stackspec\r\nContent-Disposition: form-data; name=\"stackspec\"\r\n\r\nx\r\n--stackspec--\r\n";

/// How many fields of a body get hostile values (a body of hundreds of fields still gets
/// every kind tried within `--max-cases`; the seed decides which fields).
const MAX_FIELDS: usize = 64;

/// How deep a body's fields are followed.
const MAX_DEPTH: usize = 4;

/// What one candidate changes in the operation's base request.
#[derive(Debug, Clone)]
enum Change {
    /// The JSON body replaced.
    Body(Value),
    /// One query parameter given this value.
    Query { name: String, value: String },
    /// These bytes as the body, under this content type (none when `None`).
    Raw { content_type: Option<&'static str>, bytes: Vec<u8> },
    /// A JSON body on a method the operation sends without one.
    UnexpectedBody,
    /// Another method on the operation's path, with the path values it may use, and with
    /// a JSON body or without.
    Method { method: &'static str, path: Vec<(String, String)>, body: bool },
    /// A header parameter given this value.
    Header { name: String, value: String },
    /// The microversion header replaced by this value, which names no version.
    Version { name: String, value: String },
}

/// One hostile input: how it differs from a valid request, and in words.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    what: String,
    change: Change,
}

/// What candidates are built on: the operation, its valid request and body.
pub(super) struct Base<'a> {
    pub model: &'a Model,
    pub index: usize,
    pub version: Option<Microversion>,
    pub options: &'a CaseOptions,
    /// The valid request (path values, required query parameters, microversion).
    pub request: &'a Request,
    /// The body schema's pointer and a body that validates against it.
    pub body: Option<&'a (String, Value)>,
}

/// A case ready to send, or a candidate to build when its turn comes.
pub(super) enum Slot<'a> {
    Ready(Box<Case>),
    Candidate(&'a Base<'a>, Candidate),
}

/// The candidate groups of `base`'s operation, each shuffled by the run's seed.
pub(super) fn groups(base: &Base, values: &Values) -> Vec<Vec<Candidate>> {
    let op = &base.model.operations[base.index];
    let fields = base.body.map(|(pointer, body)| fields(base.model, pointer, body));
    let fields = fields.unwrap_or_default();
    let mut groups = vec![
        nulls(base, &fields),
        wrong_types(base, &fields),
        strings(base, &fields),
        numbers(base, &fields),
        content(op, base.body.map(|(_, b)| b), &fields),
        methods(base, values),
        versions(op),
    ];
    let mut runner = runner(base.options.seed, &op.id);
    for group in &mut groups {
        shuffle(group, &mut runner);
    }
    groups.retain(|g| !g.is_empty());
    groups
}

/// Takes the groups in turn (one of each, then the next of each, ...), builds each slot's
/// case, drops requests already taken, and stops at `max` cases.
pub(super) fn interleave(groups: Vec<Vec<Slot>>, max: usize) -> Vec<Case> {
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    let mut columns: Vec<std::vec::IntoIter<Slot>> =
        groups.into_iter().map(Vec::into_iter).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for _ in 0..longest {
        for slot in columns.iter_mut().filter_map(Iterator::next) {
            if out.len() == max {
                return out;
            }
            let case = match slot {
                Slot::Ready(case) => *case,
                Slot::Candidate(base, candidate) => build(base, candidate),
            };
            if seen.insert(key(&case.request)) {
                out.push(case);
            }
        }
    }
    out
}

/// What makes two requests the same request.
fn key(r: &Request) -> String {
    let body = r.body.as_ref().map(Value::to_string);
    format!("{} {} {:?} {:?} {body:?} {:?}", r.method, r.path, r.query, r.headers, r.raw_body)
}

/// The case a candidate makes of the base request.
fn build(base: &Base, candidate: Candidate) -> Case {
    let Candidate { what, change } = candidate;
    let op = &base.model.operations[base.index];
    let mut request = base.request.clone();
    let mut intent = Intent::Unusual { what: what.clone() };
    let replaces_version = matches!(change, Change::Version { .. });
    match change {
        Change::Body(body) => {
            let breaks = base.body.is_some_and(|(pointer, _)| {
                base.model.violations(pointer, base.version, &body).is_ok_and(|v| !v.is_empty())
            });
            if breaks {
                intent = Intent::Invalid { what };
            }
            request.body = Some(body);
        }
        Change::Query { name, value } => {
            request.query.retain(|(n, _)| *n != name);
            request.query.push((name, value));
        }
        Change::Raw { content_type, bytes } => {
            request.body = None;
            request.raw_body = Some(bytes);
            request.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            if let Some(content_type) = content_type {
                request.headers.push(("Content-Type".into(), content_type.into()));
            }
        }
        Change::UnexpectedBody => request.body = Some(unexpected_body()),
        Change::Header { name, value } | Change::Version { name, value } => {
            request.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            request.headers.push((name, value));
        }
        Change::Method { method, path, body } => {
            let mut other = op.clone();
            other.method = method.to_string();
            other.raw_body_media_type = None;
            request = request_for(&other, &path, base.version);
            request.body = body.then(unexpected_body);
            intent = Intent::UndocumentedMethod { documented: documented_methods(base, op) };
        }
    }
    // A header that names no version asks for none: a service that answers it anyway answers
    // at its lowest version, as when the header is absent.
    let microversion = if replaces_version { base.model.spec_min } else { base.version };
    Case {
        operation: base.index,
        phase: Phase::Negative,
        request,
        microversion,
        intent,
        sample: None,
        example: None,
        seed: Some(base.options.seed),
    }
}

/// The JSON body sent where none is expected.
fn unexpected_body() -> Value {
    json!({"stackspec": "unexpected body"})
}

/// A field of a body: its JSON pointer and the type its schema (else its value) gives it.
struct Field {
    pointer: String,
    kind: String,
}

/// Microversion header values that name no version (none when the operation takes no
/// microversion): a service must refuse them with a 4xx, whatever its parser expects.
fn versions(op: &Operation) -> Vec<Candidate> {
    let Some(header) = &op.microversion_header else { return Vec::new() };
    let prefix = header.service_type.as_ref().map_or(String::new(), |s| format!("{s} "));
    ["", "v", "1.2.3", "x.y", "99999999999999999999.1"]
        .into_iter()
        .map(|version| {
            let value = format!("{prefix}{version}").trim_end().to_string();
            Candidate {
                what: format!("header `{}: {value}` names no microversion", header.name),
                change: Change::Version { name: header.name.clone(), value },
            }
        })
        .collect()
}

/// The fields of `body` and the properties its schema documents (also absent ones, one
/// level below the present), the body itself first (pointer "").
fn fields(model: &Model, pointer: &str, body: &Value) -> Vec<Field> {
    let mut out = Vec::new();
    if let Some(schema) = model.spec.at(pointer) {
        walk(model, schema, Some(body), String::new(), 0, &mut out);
    }
    out.truncate(MAX_FIELDS);
    out
}

fn walk(
    model: &Model,
    schema: &Value,
    value: Option<&Value>,
    at: String,
    depth: usize,
    out: &mut Vec<Field>,
) {
    let schema = model.spec.resolve(schema).unwrap_or(schema);
    out.push(Field { pointer: at.clone(), kind: kind(schema, value).to_string() });
    if depth >= MAX_DEPTH {
        return;
    }
    match value {
        Some(Value::Object(map)) => {
            for (name, sub) in properties(model, schema) {
                let below = format!("{at}/{}", stackspec_model::escape_pointer(name));
                let present = map.get(name);
                if present.is_some() {
                    walk(model, sub, present, below, depth + 1, out);
                } else {
                    let sub = model.spec.resolve(sub).unwrap_or(sub);
                    out.push(Field { pointer: below, kind: kind(sub, None).to_string() });
                }
            }
        }
        Some(Value::Array(items)) if !items.is_empty() => {
            let items_schema = schema.get("items").unwrap_or(&Value::Null);
            walk(model, items_schema, items.first(), format!("{at}/0"), depth + 1, out);
        }
        _ => {}
    }
}

/// The documented properties of an object schema, those of its `allOf`, `oneOf` and
/// `anyOf` parts included (a JSON patch's operations are `oneOf` its kinds), each name once.
fn properties<'a>(model: &'a Model, schema: &'a Value) -> Vec<(&'a String, &'a Value)> {
    let parts = ["allOf", "oneOf", "anyOf"].into_iter();
    let parts = parts.filter_map(|k| schema.get(k)?.as_array()).flatten();
    let mut named = HashSet::new();
    std::iter::once(schema)
        .chain(parts.map(|p| model.spec.resolve(p).unwrap_or(p)))
        .filter_map(|s| s.get("properties")?.as_object())
        .flatten()
        .filter(|(name, _)| named.insert(*name))
        .collect()
}

/// The JSON type a schema gives (its first non-null type), else the value's.
fn kind<'a>(schema: &'a Value, value: Option<&Value>) -> &'a str {
    let declared = match schema.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    };
    declared.unwrap_or(match value {
        Some(Value::String(_)) => "string",
        Some(Value::Number(n)) if n.is_f64() => "number",
        Some(Value::Number(_)) => "integer",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
        _ => "",
    })
}

/// `pointer` in words: `/` for the whole body.
fn shown(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the body"
    } else {
        pointer
    }
}

/// `base`'s body with `value` at `pointer` (inserted into its parent object if absent).
fn with(base: &Value, pointer: &str, value: Value) -> Option<Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let mut out = base.clone();
    if let Some(slot) = out.pointer_mut(pointer) {
        *slot = value;
        return Some(out);
    }
    let (parent, last) = pointer.rsplit_once('/')?;
    let last = last.replace("~1", "/").replace("~0", "~");
    out.pointer_mut(parent)?.as_object_mut()?.insert(last, value);
    Some(out)
}

/// A candidate per field, each setting the field to one of `values` (`what` says how).
fn per_field(
    base: &Base,
    fields: &[Field],
    values: impl Fn(&Field) -> Vec<(String, Value)>,
) -> Vec<Candidate> {
    let Some((_, body)) = base.body else {
        return Vec::new();
    };
    fields
        .iter()
        .flat_map(|f| values(f).into_iter().map(move |(what, v)| (f, what, v)))
        .filter_map(|(f, what, v)| {
            let body = with(body, &f.pointer, v)?;
            Some(Candidate {
                what: format!("{} {what}", shown(&f.pointer)),
                change: Change::Body(body),
            })
        })
        .collect()
}

fn nulls(base: &Base, fields: &[Field]) -> Vec<Candidate> {
    per_field(base, fields, |_| vec![("is null".into(), Value::Null)])
}

/// Every JSON type but the field's own (and but integer for a number).
fn wrong_types(base: &Base, fields: &[Field]) -> Vec<Candidate> {
    let others = [
        ("string", "a string", json!("stackspec")),
        ("integer", "an integer", json!(7)),
        ("number", "a number", json!(1.5)),
        ("boolean", "a boolean", json!(true)),
        ("array", "an array", json!(["stackspec"])),
        ("array", "an array of nulls", json!([null, null])),
        ("object", "an object", json!({"stackspec": 1})),
    ];
    per_field(base, fields, |f| {
        others
            .iter()
            .filter(|(t, _, _)| *t != f.kind && !(f.kind == "number" && *t == "integer"))
            .map(|(_, named, v)| (format!("is {named}"), v.clone()))
            .collect()
    })
}

/// Strings no generated valid input has, for body fields and query parameters.
fn strange_strings() -> [(&'static str, String); 4] {
    [
        ("is a non-ASCII string", NON_ASCII.to_string()),
        ("is a long string", "é".repeat(LONG / 2)),
        ("is an empty string", String::new()),
        ("has control characters", "stack\u{0}spec\r\n\t\u{1b}[0m".to_string()),
    ]
}

fn strings(base: &Base, fields: &[Field]) -> Vec<Candidate> {
    let mut out = per_field(base, fields, |f| {
        if f.kind != "string" {
            return Vec::new();
        }
        strange_strings().into_iter().map(|(what, s)| (what.to_string(), json!(s))).collect()
    });
    for p in parameters(base) {
        for (what, value) in strange_strings() {
            out.extend(p.given(what, value));
        }
    }
    out
}

/// A query or header parameter of the operation at the run's version.
struct Param<'a> {
    parameter: &'a crate::plan::Parameter,
    header: bool,
}

impl Param<'_> {
    /// The candidate giving the parameter `value` (none for a header that cannot carry
    /// it: a request with a control character in a header is refused before it is sent).
    fn given(&self, what: &str, value: String) -> Option<Candidate> {
        let name = self.parameter.name.clone();
        if self.header {
            let value = super::header_text(&Value::String(value))?;
            let what = format!("header `{name}` {what}");
            return Some(Candidate { what, change: Change::Header { name, value } });
        }
        let what = format!("query `{name}` {what}");
        Some(Candidate { what, change: Change::Query { name, value } })
    }
}

/// The operation's query parameters, then its header parameters, at the run's version.
fn parameters<'a>(base: &Base<'a>) -> Vec<Param<'a>> {
    let op = &base.model.operations[base.index];
    let query = super::in_version(op, base.version).into_iter().map(|p| (p, false));
    let headers = super::headers_in_version(op, base.version).into_iter().map(|p| (p, true));
    query.chain(headers).map(|(parameter, header)| Param { parameter, header }).collect()
}

fn numbers(base: &Base, fields: &[Field]) -> Vec<Candidate> {
    let numeric = |kind: &str| matches!(kind, "integer" | "number");
    let mut out = per_field(base, fields, |f| {
        if !numeric(&f.kind) {
            return Vec::new();
        }
        BOUNDARY_NUMBERS
            .iter()
            .filter_map(|n| Some((format!("is {n}"), serde_json::from_str(n).ok()?)))
            .collect()
    });
    for p in parameters(base) {
        let schema = &p.parameter.schema;
        if numeric(kind(base.model.spec.resolve(schema).unwrap_or(schema), None)) {
            out.extend(
                BOUNDARY_NUMBERS.iter().filter_map(|n| p.given(&format!("is {n}"), n.to_string())),
            );
        }
    }
    out
}

/// Bodies a JSON parser or a content negotiation mishandles.
fn content(op: &Operation, body: Option<&Value>, fields: &[Field]) -> Vec<Candidate> {
    let raw = |what: &str, content_type, bytes| Candidate {
        what: what.to_string(),
        change: Change::Raw { content_type, bytes },
    };
    let mut out = Vec::new();
    if let Some(body) = body {
        let json = body.to_string().into_bytes();
        let whole = json.len().saturating_sub(1);
        out.push(raw("a JSON body labelled text/plain", Some("text/plain"), json.clone()));
        let multipart = "a JSON body labelled multipart/form-data";
        out.push(raw(multipart, Some("multipart/form-data"), json.clone()));
        out.push(raw("a JSON body without a Content-Type", None, json.clone()));
        out.push(raw("a body that is not UTF-8", Some("application/json"), not_utf8(body, fields)));
        out.push(raw("a JSON body cut short", Some("application/json"), json[..whole].to_vec()));
    }
    if matches!(op.method.as_str(), "POST" | "PUT" | "PATCH") {
        let multipart = "multipart/form-data without a boundary";
        out.push(raw(multipart, Some("multipart/form-data"), MULTIPART.to_vec()));
    }
    let bodiless = matches!(op.method.as_str(), "GET" | "DELETE");
    if bodiless && op.body_schema.is_none() && !op.body_required {
        let what = format!("a body on a {}, which takes none", op.method);
        out.push(Candidate { what, change: Change::UnexpectedBody });
    }
    out
}

/// `body` as JSON with its first string's value replaced by bytes that are not UTF-8 (or
/// such bytes alone, for a body without strings).
fn not_utf8(body: &Value, fields: &[Field]) -> Vec<u8> {
    const MARK: &str = "stackspec-not-utf8-mark";
    const BAD: &[u8] = b"\xff\xfe\xc3\x28";
    let first = fields.iter().filter(|f| f.kind == "string").find_map(|f| {
        body.pointer(&f.pointer).filter(|v| v.is_string())?;
        with(body, &f.pointer, json!(MARK))
    });
    let Some(marked) = first else {
        return BAD.to_vec();
    };
    let text = marked.to_string();
    let (before, after) = text.split_once(MARK).unwrap_or((&text, ""));
    [before.as_bytes(), BAD, after.as_bytes()].concat()
}

/// The methods `base`'s path does not document, each with the path values it may use;
/// only for the path's first operation (so that each path gets them once) and, for
/// methods that change state, only when the run allows mutations.
fn methods(base: &Base, values: &Values) -> Vec<Candidate> {
    let ops = &base.model.operations;
    let op = &ops[base.index];
    let first = ops.iter().position(|o| o.path == op.path && o.is_safe());
    let first = first.or_else(|| ops.iter().position(|o| o.path == op.path));
    if first != Some(base.index) {
        return Vec::new();
    }
    let documented: Vec<&str> =
        ops.iter().filter(|o| o.path == op.path).map(|o| o.method.as_str()).collect();
    METHODS
        .into_iter()
        .filter(|m| !documented.contains(m))
        .filter(|m| base.options.allow_mutations || *m == "GET")
        .flat_map(|method| {
            let mut other = op.clone();
            other.method = method.to_string();
            let path = values.path_values(&other);
            let what = format!("{method}, which {} does not document", op.path);
            // A framework may route the method after all and read the body (glance deletes
            // every object of a namespace, and answers 500 to one with a JSON body).
            [false, true].map(|body| Candidate {
                what: if body { format!("{what}, with a JSON body") } else { what.clone() },
                change: Change::Method { method, path: path.clone(), body },
            })
        })
        .collect()
}

/// The methods documented at the case's path, for messages (`GET, POST`).
fn documented_methods(base: &Base, op: &Operation) -> String {
    let ops = base.model.operations.iter().filter(|o| o.path == op.path);
    ops.map(|o| o.method.as_str()).collect::<Vec<_>>().join(", ")
}

/// A runner seeded by the run's seed and the operation, as the property phase's (so that
/// `--operation` does not change what another operation gets), on a stream of its own.
fn runner(seed: u64, operation: &str) -> TestRunner {
    let mut bytes = super::property::seed_bytes(seed, operation);
    bytes[31] ^= 0x5a;
    TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Shuffles `items` with `runner`'s random stream.
fn shuffle<T>(items: &mut Vec<T>, runner: &mut TestRunner) {
    if items.len() < 2 {
        return;
    }
    let order: Vec<usize> = (0..items.len()).collect();
    let Ok(tree) = Just(order).prop_shuffle().new_tree(runner) else {
        return;
    };
    let mut taken: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(tree.current().into_iter().filter_map(|i| taken[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_without_strings_is_still_sent_with_bytes_that_are_not_utf8() {
        let bytes = not_utf8(&json!({"n": 1}), &[]);
        assert!(std::str::from_utf8(&bytes).is_err());
    }

    #[test]
    fn the_first_string_of_a_body_carries_the_bytes_that_are_not_utf8() {
        let fields = [Field { pointer: "/a".into(), kind: "string".into() }];
        let bytes = not_utf8(&json!({"a": "x", "n": 1}), &fields);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert!(bytes.starts_with(b"{\"a\":\"\xff\xfe"), "{bytes:?}");
    }

    #[test]
    fn a_value_is_set_at_a_pointer_present_or_absent_and_in_arrays() {
        let base = json!({"a": {"b": 1}, "l": [1, 2]});
        assert_eq!(with(&base, "/a/b", Value::Null), Some(json!({"a": {"b": null}, "l": [1, 2]})));
        assert_eq!(
            with(&base, "/a/c", json!(2)),
            Some(json!({"a": {"b": 1, "c": 2}, "l": [1, 2]}))
        );
        assert_eq!(with(&base, "/l/0", Value::Null), Some(json!({"a": {"b": 1}, "l": [null, 2]})));
        assert_eq!(with(&base, "", Value::Null), Some(Value::Null));
    }
}
