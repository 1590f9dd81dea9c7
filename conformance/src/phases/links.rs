//! Producer → consumer links, inferred from the spec alone (in the spirit of RESTler's
//! dependency inference and Schemathesis' links), never per service:
//!
//! - a response names resources by id in its body (a list's first item, a create's `id`,
//!   every `*_id` / `*_uuid` field), by URL in a `Location` header, and by URL in `links`
//!   (`{"href": ..., "rel": "self"}`); a URL is matched against the spec's path templates,
//!   so `.../servers/abc` teaches `server_id = abc`;
//! - every case, of every phase, is bound just before it is sent: each path parameter with
//!   a known value gets it (only values of resources this run created, or the user gave,
//!   for a method that changes state), and a generated body's string fields that refer to
//!   a parameter (`image_id`, or `server_uuid` for `server_id`) get its value when the body
//!   still validates.
//!
//! A valid case whose path still holds a placeholder (or, in the property phase, a
//! generated id: no resource has it) is not valid input: it becomes [`Intent::Placeholder`],
//! judged as such (a 404 or 400 is what it should get) and counted as untested.

use serde_json::Value;

use super::values::{stands_in, Values};
use super::{Case, Intent, Phase};
use crate::http::Response;
use crate::plan::{Model, Operation};

/// How deep a body is searched for links and id fields.
const MAX_DEPTH: usize = 4;

/// Learns what a successful response of `op` names: ids in its body, and the path values of
/// the URLs in its `Location` header and `links`. Of a create's (`created`), its own id
/// and its `Location` count as made by the run; the links in its body may name others.
pub fn learn(model: &Model, values: &Values, op: &Operation, response: &Response, created: bool) {
    if let Some(body) = &response.json {
        values.learn(model, op, body, created);
        let mut hrefs = Vec::new();
        collect_hrefs(body, 0, &mut hrefs);
        for href in hrefs {
            values.learn_pairs(bindings(model, &href), false);
        }
    }
    if let Some(location) = response.header("location") {
        values.learn_pairs(bindings(model, &location), created);
    }
}

/// The path values a URL (absolute or a path) gives, matched against the most specific path
/// template of the spec whose segments end the URL's path.
pub fn bindings(model: &Model, url: &str) -> Vec<(String, String)> {
    let path = url_path(url);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut best: Vec<(String, String)> = Vec::new();
    let mut best_len = 0;
    for op in &model.operations {
        let template: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty()).collect();
        if template.len() <= best_len || template.len() > segments.len() {
            continue;
        }
        let tail = &segments[segments.len() - template.len()..];
        if let Some(found) = matches(&template, tail) {
            best_len = template.len();
            best = found;
        }
    }
    best
}

/// The id a `Location` header names: its path's last segment, decoded. None when that is
/// empty: glance creates a metadef namespace named `""` and answers `Location:
/// .../namespaces/`, and the segment before is the collection's name, not an id.
pub fn location_id(location: &str) -> Option<String> {
    let last = url_path(location).rsplit('/').next().filter(|s| !s.is_empty())?;
    Some(percent_encoding::percent_decode_str(last).decode_utf8_lossy().into_owned())
}

/// The path of `url` (without scheme, host, query or fragment).
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") { rest.find('/').map_or("", |i| &rest[i..]) } else { rest };
    path.split(['?', '#']).next().unwrap_or_default()
}

/// The parameter values of `segments` under `template`, when its literals match and it has
/// at least one parameter.
fn matches(template: &[&str], segments: &[&str]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (t, s) in template.iter().zip(segments) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) => {
                let value = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                out.push((name.to_string(), value.into_owned()));
            }
            None if t == s => {}
            None => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The values of `template`'s parameters in `path` (as sent, percent-encoded), decoded.
pub fn sent_values(template: &str, path: &str) -> Vec<(String, String)> {
    let template: Vec<&str> = template.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    if template.len() != segments.len() {
        return Vec::new();
    }
    matches(&template, &segments).unwrap_or_default()
}

/// A resource an update renamed (see [`renamed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The path parameter that names it, and its value before and after.
    pub param: String,
    pub old: String,
    pub new: String,
    /// The update's path with the new value.
    pub path: String,
}

/// A resource an update renamed: a successful PUT or PATCH of `op` at `sent_path` answers
/// with the URL of the same resource under another last path value (glance renames a
/// metadef namespace to the `namespace` its update names, and answers `"self":
/// "/v2/metadefs/namespaces/NEW"`). The old value names nothing any more.
pub fn renamed(
    op: &Operation,
    model: &Model,
    sent_path: &str,
    response: &Response,
) -> Option<Renamed> {
    if !matches!(op.method.as_str(), "PUT" | "PATCH") || !(200..300).contains(&response.status) {
        return None;
    }
    let sent = sent_values(&op.path, sent_path);
    let (param, old) = sent.last()?.clone();
    let mut urls: Vec<String> =
        response.header("location").map(|l| l.into_owned()).into_iter().collect();
    if let Some(body) = &response.json {
        collect_hrefs(body, 0, &mut urls);
        urls.extend(body.get("self").and_then(Value::as_str).map(str::to_string));
    }
    let found = urls.into_iter().map(|url| bindings(model, &url)).find(|found| {
        found.len() == sent.len()
            && found[..found.len() - 1] == sent[..sent.len() - 1]
            && found.last().is_some_and(|(name, new)| *name == param && *new != old)
    })?;
    let new = found.last()?.1.clone();
    Some(Renamed { path: fill(&op.path, &found), param, old, new })
}

/// `template` with its parameters' values filled in, percent-encoded.
pub fn fill(template: &str, pairs: &[(String, String)]) -> String {
    let mut path = template.to_string();
    for (name, value) in pairs {
        path = path.replace(&format!("{{{name}}}"), &crate::escape::encode(value));
    }
    path
}

/// The `href` of every link object (`{"href": ..., "rel": ...}`) a few levels deep.
fn collect_hrefs(body: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    match body {
        Value::Object(map) => {
            if let (Some(Value::String(href)), true) = (map.get("href"), map.contains_key("rel")) {
                out.push(href.clone());
            }
            map.values().for_each(|v| collect_hrefs(v, depth + 1, out));
        }
        Value::Array(items) => items.iter().take(2).for_each(|v| collect_hrefs(v, depth + 1, out)),
        _ => {}
    }
}

/// `case` with the values known now: every path parameter that has one, and (for generated
/// valid bodies) the body fields that refer to one. A valid case whose path (or a required
/// query parameter) keeps a placeholder becomes [`Intent::Placeholder`].
pub fn bind(model: &Model, values: &Values, mut case: Case) -> Case {
    let op = &model.operations[case.operation];
    let sent = sent_values(&op.path, &case.request.path);
    let mut pairs = Vec::new();
    let mut placeholders = false;
    for p in op.path_parameters() {
        let current = sent.iter().find(|(n, _)| *n == p.name).map(|(_, v)| v.clone());
        let value = match (values.known(&p.name, op.is_safe()), current) {
            (Some(known), _) => known,
            (None, Some(current)) => {
                // A generated id names no resource either.
                let generated = case.phase == Phase::Property && names_an_id(&p.name);
                placeholders |= generated || stands_in(p, &current);
                current
            }
            // A path that does not follow its template: leave the case as it was made.
            (None, None) => return case,
        };
        pairs.push((p.name.clone(), value));
    }
    case.request.path = fill(&op.path, &pairs);
    if case.phase == Phase::Property && case.intent == Intent::Valid {
        bind_body(model, values, op, &mut case);
        bind_headers(values, op, &mut case);
        // A generated reference (`parent_id`, `service_id`) names nothing, as a generated
        // path id does.
        let refers = |key: &str| referred(values, key, op.is_safe());
        placeholders |= case.request.body.as_ref().is_some_and(|b| unbound_ref(b, 0, &refers));
    }
    // A required query parameter no sample documents gets a placeholder too (placement's
    // `resources=` of allocation candidates), which no server takes as valid input.
    let query = &case.request.query;
    placeholders |= op
        .query_parameters()
        .filter(|p| p.required)
        .any(|p| query.iter().any(|(name, value)| *name == p.name && stands_in(p, value)));
    if placeholders && case.intent == Intent::Valid {
        case.intent = Intent::Placeholder;
    }
    case
}

/// Gives the header parameters a generated valid case sends the value known for their name
/// (glance's `X-Image-Meta-Store` names a store as a path names a resource: a drawn one
/// names none, `--path-value X-Image-Meta-Store=fast` names one that exists).
fn bind_headers(values: &Values, op: &Operation, case: &mut Case) {
    for (name, value) in &mut case.request.headers {
        if op.header_parameters().any(|p| p.name == *name) {
            if let Some(known) = values.known(name, op.is_safe()) {
                *value = known;
            }
        }
    }
}

/// Whether a parameter named `name` holds a resource's id (`server_id`, `uuid`, `id`).
fn names_an_id(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "id" || name.ends_with("_id") || name.ends_with("uuid")
}

/// Fills the generated body's fields that refer to a known parameter, keeping the body only
/// if it still validates.
fn bind_body(model: &Model, values: &Values, op: &Operation, case: &mut Case) {
    let (Some(pointer), Some(body)) = (&op.body_schema, &case.request.body) else {
        return;
    };
    let mut bound = body.clone();
    if !fill_refs(&mut bound, 0, &|key| referred(values, key, op.is_safe())) {
        return;
    }
    let valid = model.violations(pointer, case.microversion, &bound).is_ok_and(|v| v.is_empty());
    if valid {
        case.request.body = Some(bound);
    }
}

/// The known value a body field named `key` refers to: the parameter of its name, or of
/// the same resource with the other id suffix (`server_uuid` → `server_id`).
fn referred(values: &Values, key: &str, safe: bool) -> Option<String> {
    let stem = reference_stem(key)?;
    [key.to_string(), format!("{stem}_id"), format!("{stem}_uuid")]
        .iter()
        .find_map(|name| values.known(name, safe))
}

/// The resource a field named `key` refers to (`server` for `server_id` or `server_uuid`),
/// if its name says it refers to one.
fn reference_stem(key: &str) -> Option<&str> {
    key.strip_suffix("_id").or_else(|| key.strip_suffix("_uuid"))
}

/// Replaces string fields for which `known` has a value; whether any was replaced.
fn fill_refs(value: &mut Value, depth: usize, known: &dyn Fn(&str) -> Option<String>) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let mut changed = false;
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                match field {
                    Value::String(s) => {
                        if let Some(v) = known(key).filter(|v| v != s) {
                            *s = v;
                            changed = true;
                        }
                    }
                    other => changed |= fill_refs(other, depth + 1, known),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                changed |= fill_refs(item, depth + 1, known);
            }
        }
        _ => {}
    }
    changed
}

/// Whether `value` has a string field that refers to another resource (`*_id`, `*_uuid`)
/// for which `known` has no value.
fn unbound_ref(value: &Value, depth: usize, known: &dyn Fn(&str) -> Option<String>) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match value {
        Value::Object(map) => map.iter().any(|(key, field)| match field {
            Value::String(_) => reference_stem(key).is_some() && known(key).is_none(),
            other => unbound_ref(other, depth + 1, known),
        }),
        Value::Array(items) => items.iter().any(|item| unbound_ref(item, depth + 1, known)),
        _ => false,
    }
}

/// The operation that reads one item of what `op` creates (the GET one `{param}` segment
/// below its path), with that parameter's name.
pub fn item_read(model: &Model, op: &Operation) -> Option<(usize, String)> {
    model.operations.iter().enumerate().find_map(|(i, o)| {
        let rest = o.path.strip_prefix(&op.path)?.strip_prefix("/{")?;
        let name = rest.strip_suffix('}').filter(|n| !n.contains('/'))?;
        (o.method == "GET").then(|| (i, name.to_string()))
    })
}

/// The order a phase sends its cases in, as a dependency inference would: creates first
/// (their ids fill the others' paths), then every other case, then deletes (which would
/// take away what the others use). Each stage is sent once the one before has settled.
pub fn stages<T>(model: &Model, items: Vec<T>, case: impl Fn(&T) -> &Case) -> [Vec<T>; 3] {
    let mut out = [Vec::new(), Vec::new(), Vec::new()];
    for item in items {
        let op = &model.operations[case(&item).operation];
        let stage = match op.method.as_str() {
            "DELETE" => 2,
            "POST" if item_read(model, op).is_some() => 0,
            _ => 1,
        };
        out[stage].push(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackspec_model::Spec;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1', x-stackspec: {service-type: t}}\npaths:\n  /servers:\n    get:\n      operationId: list\n      responses: {'200': {description: ok}}\n  /servers/{server_id}:\n    get:\n      operationId: show\n      parameters: [{name: server_id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /servers/{server_id}/tags/{tag}:\n    put:\n      operationId: tag\n      parameters: [{name: server_id, in: path, required: true, schema: {type: string}}, {name: tag, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n";

    fn model() -> Model {
        Model::new(Spec::parse(std::path::Path::new("t.yaml"), SPEC).unwrap())
    }

    #[test]
    fn a_location_url_binds_the_parameters_of_the_most_specific_template() {
        let model = model();
        let pairs = bindings(&model, "http://h:8774/v2.1/servers/abc%20d?x=1");
        assert_eq!(pairs, vec![("server_id".to_string(), "abc d".to_string())]);
        let pairs = bindings(&model, "/v2.1/servers/s1/tags/red");
        assert_eq!(pairs.len(), 2, "{pairs:?}");
        assert!(bindings(&model, "http://h/v2.1/images/abc").is_empty());
    }

    #[test]
    fn a_location_ending_in_a_slash_names_no_id() {
        assert_eq!(location_id("http://h/v2/metadefs/namespaces/"), None);
        assert_eq!(
            location_id("http://h/v2/metadefs/namespaces/a%20b?x=1").as_deref(),
            Some("a b")
        );
        assert_eq!(location_id("/v2/images/i1").as_deref(), Some("i1"));
    }

    #[test]
    fn links_in_a_body_are_learned_as_seen_values() {
        let model = model();
        let values = Values::default();
        let body = serde_json::json!({"server": {"links": [{"href": "http://h/v2.1/servers/s9", "rel": "self"}]}});
        let response = Response {
            status: 200,
            headers: Default::default(),
            body: Default::default(),
            json: Some(body),
        };
        learn(&model, &values, &model.operations[0], &response, false);
        assert_eq!(values.known("server_id", true).as_deref(), Some("s9"));
        assert_eq!(values.known("server_id", false), None, "seen, not created");
    }

    /// glance's metadef namespace update renames the namespace to the `namespace` it names:
    /// the answer's `self` is the new path, and the old value must not be used again.
    #[test]
    fn an_update_answering_with_another_url_of_its_resource_renamed_it() {
        let model = model();
        let mut put = model.operations[1].clone();
        put.method = "PUT".into();
        let answer = |status, body| Response {
            status,
            headers: Default::default(),
            body: Default::default(),
            json: Some(body),
        };
        let moved = answer(200, serde_json::json!({"self": "/v2.1/servers/new", "name": "new"}));
        let found = renamed(&put, &model, "/servers/old", &moved).expect("renamed");
        assert_eq!((found.param.as_str(), found.old.as_str()), ("server_id", "old"));
        assert_eq!((found.new.as_str(), found.path.as_str()), ("new", "/servers/new"));
        let same = answer(200, serde_json::json!({"self": "/v2.1/servers/old"}));
        assert_eq!(renamed(&put, &model, "/servers/old", &same), None);
        let child = answer(200, serde_json::json!({"self": "/v2.1/servers/old/tags/x"}));
        assert_eq!(renamed(&put, &model, "/servers/old", &child), None, "another resource");
        assert_eq!(
            renamed(&put, &model, "/servers/old", &answer(400, moved.json.clone().unwrap())),
            None
        );
        assert_eq!(
            renamed(&model.operations[1], &model, "/servers/old", &moved),
            None,
            "a GET renames nothing"
        );
    }

    fn case(model: &Model, id: &str, path: &str, phase: Phase) -> Case {
        let operation = model.operations.iter().position(|o| o.id == id).unwrap();
        let op = &model.operations[operation];
        Case {
            operation,
            phase,
            request: crate::http::Request::new(&op.method, path),
            microversion: None,
            intent: Intent::Valid,
            sample: None,
            example: None,
            seed: None,
        }
    }

    /// placement's allocation candidates need `resources=VCPU:1`; with no sample to give
    /// it, the placeholder it got was judged as valid input the service refused.
    #[test]
    fn a_required_query_parameter_left_a_placeholder_is_not_valid_input() {
        const QUERY: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /candidates:\n    get:\n      operationId: candidates\n      parameters: [{name: resources, in: query, required: true, schema: {type: string}}, {name: limit, in: query, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n";
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), QUERY).unwrap());
        let with = |query: &[(&str, &str)]| {
            let mut c = case(&model, "candidates", "/candidates", Phase::Examples);
            c.request.query = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            bind(&model, &Values::default(), c).intent
        };
        assert_eq!(with(&[("resources", "stackspec-placeholder")]), Intent::Placeholder);
        assert_eq!(with(&[("resources", "VCPU:1"), ("limit", "1")]), Intent::Valid);
    }

    /// glance answered 400 "Store for identifier … not found" to every drawn
    /// `X-Image-Meta-Store`; the store the user names is sent instead.
    #[test]
    fn a_header_parameter_with_a_given_value_is_sent_with_it() {
        const STORE: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /data:\n    put:\n      operationId: upload\n      parameters: [{name: X-Store, in: header, schema: {type: string}}, {name: X-Other, in: header, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n";
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), STORE).unwrap());
        let values = Values::given(&[("X-Store".to_string(), "fast".to_string())]);
        let drawn = |phase| {
            let mut c = case(&model, "upload", "/data", phase);
            c.request.headers =
                vec![("X-Store".into(), "x8Qz".into()), ("X-Other".into(), "y".into())];
            bind(&model, &values, c).request.headers
        };
        let sent = drawn(Phase::Property);
        assert_eq!(sent, [("X-Store".into(), "fast".into()), ("X-Other".into(), "y".into())]);
        assert_eq!(drawn(Phase::Negative)[0].1, "x8Qz", "invalid input keeps what it was given");
    }

    /// keystone answered 400 to generated `parent_id`, `region_id` and `service_id`s,
    /// which conform judged as valid input refused; a generated path id was already a
    /// placeholder.
    #[test]
    fn a_generated_body_referring_to_an_unknown_resource_is_not_valid_input() {
        const CREATE: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /projects:\n    post:\n      operationId: create\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses: {'201': {description: ok}}\n";
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), CREATE).unwrap());
        let values = Values::default();
        let sent = |body: serde_json::Value, phase| {
            let mut c = case(&model, "create", "/projects", phase);
            c.request.body = Some(body);
            bind(&model, &values, c)
        };
        let body = serde_json::json!({"project": {"name": "p", "parent_id": "x8Qz"}});
        assert_eq!(sent(body.clone(), Phase::Property).intent, Intent::Placeholder);
        assert_eq!(sent(body.clone(), Phase::Examples).intent, Intent::Valid, "a sample's own");
        let plain = serde_json::json!({"project": {"name": "p", "tags": [{"id": "t"}]}});
        assert_eq!(sent(plain, Phase::Property).intent, Intent::Valid, "`id` is no reference");
        values.learn_pairs([("parent_id".to_string(), "made".to_string())], true);
        let bound = sent(body, Phase::Property);
        assert_eq!(bound.intent, Intent::Valid);
        assert_eq!(bound.request.body.unwrap()["project"]["parent_id"], "made");
    }

    #[test]
    fn a_case_is_bound_to_known_ids_and_a_placeholder_left_is_not_valid_input() {
        let model = model();
        let values = Values::default();
        let show = bind(
            &model,
            &values,
            case(&model, "show", "/servers/stackspec-placeholder", Phase::Examples),
        );
        assert_eq!(show.intent, Intent::Placeholder);
        let generated =
            bind(&model, &values, case(&model, "show", "/servers/x8Qz", Phase::Property));
        assert_eq!(generated.intent, Intent::Placeholder, "a generated id names nothing");
        values.learn_pairs([("server_id".to_string(), "seen 1".to_string())], false);
        let show = bind(&model, &values, case(&model, "show", "/servers/x8Qz", Phase::Property));
        assert_eq!(
            (show.request.path.as_str(), &show.intent),
            ("/servers/seen%201", &Intent::Valid)
        );
        // A method that changes state never gets an id the run only saw.
        let tag = bind(
            &model,
            &values,
            case(&model, "tag", "/servers/stackspec-placeholder/tags/a", Phase::Examples),
        );
        assert_eq!(tag.request.path, "/servers/stackspec-placeholder/tags/a");
        values.learn_pairs([("server_id".to_string(), "made".to_string())], true);
        let tag = bind(
            &model,
            &values,
            case(&model, "tag", "/servers/stackspec-placeholder/tags/a", Phase::Examples),
        );
        assert_eq!(
            (tag.request.path.as_str(), &tag.intent),
            ("/servers/made/tags/a", &Intent::Valid)
        );
    }
}
