//! One `rest_method` block as the pieces of an OpenAPI operation: parameters, request body,
//! responses (with samples as examples). Blocks that share a route are merged by `routes`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use indexmap::IndexMap;
use regex::Regex;
use serde_json::{json, Map, Value};

use super::exchange::Exchanges;
use super::placement::{place, Listed};
use super::policy::Policy;
use super::profile::ServiceProfile;
use super::shape::{self, Shape};
use super::target::{query_parameters, Method, Target};
use super::versioned::{split_by_kind, Documented};
use super::{added, body, member, types};
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use crate::reader::{
    ApiRef, In, IncFile, MethodBlock, ParamDef, ParamRef, SampleRef, Section, StatusCode,
};
use stackspec_model::paths::parameter_names;
use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::view::set_range;

/// The extension for stackspec's own metadata (where a sample came from, which microversion
/// it documents), kept apart from OpenStack's `x-openstack`.
pub const STACKSPEC_EXTENSION: &str = "x-stackspec";

/// Header parameters that OpenAPI expresses elsewhere (media types, security).
const NOT_PARAMETERS: [&str; 4] = ["content-type", "accept", "authorization", "x-auth-token"];

/// A body (request or response) with its samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub schema: Value,
    pub required: bool,
    pub examples: Map<String, Value>,
}

/// One documented status.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub description: String,
    pub headers: Map<String, Value>,
    pub body: Option<Body>,
    /// A `$ref` to the service's fault schema, for error codes.
    pub fault: Option<String>,
    /// The microversions that answer with this status (unbounded unless a note says).
    pub range: VersionRange,
}

/// An operation built from one block.
#[derive(Debug, Clone)]
pub struct Built {
    pub title: String,
    pub description: String,
    pub tag: String,
    pub range: VersionRange,
    /// The default policy the block's prose, or else its file's preamble, states.
    pub policy: Option<Policy>,
    /// The path without a query string, and how the path item keys the operation.
    pub path: String,
    pub method: Method,
    /// OpenAPI parameter objects, keyed by `(in, name)`.
    pub parameters: IndexMap<(String, String), Value>,
    pub request: Option<Body>,
    pub responses: IndexMap<String, Response>,
}

/// Builds the operation documented by `block`.
pub fn build(
    api: &ApiRef,
    file: &IncFile,
    block: &MethodBlock,
    profile: &ServiceProfile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Built {
    let microversions = profile.microversions.is_some();
    let min = block.range.min.or_else(|| added::operation_min(file, block, microversions));
    let max = block.range.max.or_else(|| added::operation_max(file, block, microversions));
    // Prose that contradicts itself (gone before it came) limits nothing.
    let range = match (min, max) {
        (Some(min), Some(max)) if max < min => VersionRange { min: Some(min), ..block.range },
        (min, max) => VersionRange { min, max },
    };
    let target = Target::of(&block.verb, &block.path);
    diagnostics.extend(target.warnings(&block.verb, &block.location));
    let mut built = Built {
        title: block.title.clone(),
        description: collapse_blank_lines(block.description.trim()),
        tag: file.stem(),
        range,
        policy: Policy::stated_in(&block.description).or_else(|| Policy::stated_in(&file.preamble)),
        path: target.path,
        method: target.method,
        parameters: IndexMap::new(),
        request: None,
        responses: IndexMap::new(),
    };
    let mut request_body: Vec<Listed<'_>> = Vec::new();
    let mut response_body: Vec<Listed<'_>> = Vec::new();
    let mut response_headers = Map::new();
    let mut media_type = "application/json".to_string();
    let limited = limited_by_block(api, block, profile);
    for (r, own) in block.parameters.iter().zip(&limited) {
        let Some(def) = own.as_ref().or_else(|| api.resolve(r)) else { continue };
        match (def.location, r.section) {
            (In::Body, Section::Request) => request_body.push((r, def)),
            (In::Body, Section::Response) => response_body.push((r, def)),
            (In::Header, Section::Response) => {
                response_headers.insert(r.wire_name.clone(), header_object(def));
            }
            (In::Path | In::Query, Section::Response) => {
                let message = format!(
                    "`{}` is listed in a response but `{}` is defined `in: {}`; transcribed as a body field",
                    r.wire_name,
                    r.key,
                    def.location.as_str()
                );
                diagnostics.push(Diagnostic::new(
                    DiagnosticKind::Ignored,
                    r.location.clone(),
                    message,
                ));
                response_body.push((r, def));
            }
            (In::Header, Section::Request)
                if NOT_PARAMETERS.contains(&r.wire_name.to_ascii_lowercase().as_str()) =>
            {
                if r.wire_name.eq_ignore_ascii_case("content-type") {
                    media_type = media_type_in(&def.description).unwrap_or(media_type);
                }
            }
            (location, _) => {
                let parameter = parameter_object(&r.wire_name, def);
                built
                    .parameters
                    .insert((location.as_str().to_string(), r.wire_name.clone()), parameter);
            }
        }
    }
    query_parameters(&target.query, &mut built.parameters, &block.location, diagnostics);
    let base = base_version(range, profile);
    let samples = |section| samples_of(api, block, section, base);
    let request_samples = samples(Section::Request);
    let in_samples = |name: &str| {
        request_samples.iter().any(|s| !Shape::of(s.value).paths_named(name).is_empty())
    };
    for moved in reconcile_path_parameters(&mut built, block, in_samples, diagnostics) {
        let listed = block
            .parameters
            .iter()
            .filter(|r| r.wire_name == moved && r.section == Section::Request);
        request_body.extend(listed.filter_map(|r| Some((r, api.resolve(r)?))));
    }
    let request_samples = at_first_version_of_keys(request_samples, &request_body);
    let response_samples = at_first_version_of_keys(samples(Section::Response), &response_body);
    let exchanges = Exchanges::of(block);
    let asked = Part { listed: &request_body, samples: &request_samples };
    built.request = asked.request(block, &exchanges, &media_type, diagnostics);
    if let Some(request) = &mut built.request {
        request.required =
            request_body.iter().any(|(_, d)| d.required) || !request.examples.is_empty();
    }
    if built.request.is_none() {
        built.request = raw_body(&media_type);
    }
    let answers = Part { listed: &response_body, samples: &response_samples };
    built.responses =
        responses(block, &answers, &exchanges, &response_headers, profile, diagnostics);
    built
}

/// What a block documents of its request or of its answers: parameters and samples.
struct Part<'a, 'b> {
    listed: &'b [Listed<'a>],
    samples: &'b [Sample<'a>],
}

impl<'a> Part<'a, '_> {
    /// The parameters and samples of exchange `e`.
    fn of_exchange(&self, exchanges: &Exchanges, e: usize) -> (Vec<Listed<'a>>, Vec<Sample<'a>>) {
        let listed = self.listed.iter().filter(|(r, _)| exchanges.at(r.location.line) == e);
        let samples = self.samples.iter().filter(|s| exchanges.at(s.reference.location.line) == e);
        (listed.copied().collect(), samples.copied().collect())
    }

    /// The request body: where several exchanges are answered apart, any of their requests
    /// (each with its own required fields), else one body from everything listed.
    fn request(
        &self,
        block: &MethodBlock,
        exchanges: &Exchanges,
        media_type: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Body> {
        if exchanges.answered(block) < 2 {
            return body_of(self.listed, self.samples, Section::Request, media_type, diagnostics);
        }
        let mut bodies = (0..exchanges.count()).filter_map(|e| {
            let (listed, samples) = self.of_exchange(exchanges, e);
            body_of(&listed, &samples, Section::Request, media_type, diagnostics)
        });
        let mut merged = bodies.next()?;
        let mut schemas = vec![merged.schema.take()];
        for body in bodies {
            schemas.push(body.schema);
            for (name, example) in body.examples {
                let name = unique_name(&merged.examples, &name);
                merged.examples.insert(name, example);
            }
        }
        merged.schema = match schemas.len() {
            1 => schemas.remove(0),
            _ => json!({ "anyOf": schemas }),
        };
        Some(merged)
    }

    /// The response body per group of success codes: one group for most blocks, one per
    /// exchange where several exchanges list success codes of their own.
    fn answers(
        &self,
        block: &MethodBlock,
        exchanges: &Exchanges,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<(Vec<StatusCode>, Option<Body>)> {
        let media_type = "application/json";
        if exchanges.answered(block) < 2 {
            let body =
                body_of(self.listed, self.samples, Section::Response, media_type, diagnostics);
            return vec![(block.success.clone(), body)];
        }
        let codes_of = |e: usize| -> Vec<StatusCode> {
            let listed = block.success.iter().filter(|c| exchanges.at(c.location.line) == e);
            listed.cloned().collect()
        };
        (0..exchanges.count())
            .map(|e| (e, codes_of(e)))
            .filter(|(_, codes)| !codes.is_empty())
            .map(|(e, codes)| {
                let (listed, samples) = self.of_exchange(exchanges, e);
                let body = body_of(&listed, &samples, Section::Response, media_type, diagnostics);
                (codes, body)
            })
            .collect()
    }
}

/// A sample with what it documents.
#[derive(Clone, Copy)]
struct Sample<'a> {
    reference: &'a SampleRef,
    value: &'a Value,
    version: Option<Microversion>,
    /// The line of the `rest_method` the sample is listed under: where blocks merge into
    /// one operation (nova's server actions), what pairs a request sample with its answer.
    method_line: usize,
}

fn samples_of<'a>(
    api: &'a ApiRef,
    block: &'a MethodBlock,
    section: Section,
    base: Option<Microversion>,
) -> Vec<Sample<'a>> {
    block
        .samples
        .iter()
        .filter(|s| s.section() == section)
        .filter_map(|s| {
            let value = api.samples.get(&s.path)?;
            let version = s.version().or(base);
            Some(Sample { reference: s, value, version, method_line: block.location.line })
        })
        .collect()
}

/// A sample that states no version documents the first microversion at which every key it
/// has, at any depth, exists, when that is later than the block's: cinder says when an
/// action was added only on its key's definition (`os-reimage`, `min_version: 3.68`), and
/// the action's sample does not document the base version, where the action does not exist;
/// manila's unversioned samples show the newest response, with fields inside the resource's
/// wrapper added long after the base version (`progress`, `min_version: 2.54`) and without
/// those removed since (`export_location`, `max_version: 2.8`).
fn at_first_version_of_keys<'a>(
    mut samples: Vec<Sample<'a>>,
    listed: &[Listed<'_>],
) -> Vec<Sample<'a>> {
    for sample in samples.iter_mut().filter(|s| s.reference.version().is_none()) {
        let mut keys = BTreeSet::new();
        keys_at_any_depth(sample.value, &mut keys);
        if let Some(min) = keys.iter().filter_map(|key| first_version_of(key, listed)).max() {
            sample.version = Some(sample.version.map_or(min, |v| v.max(min)));
        }
    }
    samples
}

/// The first microversion a body member named `key` exists at, when every listing of that
/// name has a minimum: a name listed twice (nova's hypervisor `id`, an integer up to 2.52
/// and a UUID from 2.53) exists from the earlier one.
fn first_version_of(key: &str, listed: &[Listed<'_>]) -> Option<Microversion> {
    let mut mins = listed.iter().filter(|(r, _)| r.wire_name == key).map(|(_, d)| d.range.min);
    let first = mins.next()??;
    mins.try_fold(first, |earliest, min| Some(earliest.min(min?)))
}

/// Adds the name of every member of every object in `value` to `keys`.
fn keys_at_any_depth<'v>(value: &'v Value, keys: &mut BTreeSet<&'v str>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                keys.insert(key);
                keys_at_any_depth(member, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| keys_at_any_depth(item, keys)),
        _ => {}
    }
}

/// The microversion an unversioned sample documents: the block's minimum, else the service's.
fn base_version(block: VersionRange, profile: &ServiceProfile) -> Option<Microversion> {
    block.min.or(profile.microversions.as_ref().map(|m| m.base))
}

/// A status's range with a minimum at or below the service's first microversion dropped:
/// nova's "200 (microversions 2.0 - 2.100)" does not make 2.0 a microversion of the API.
fn from_base(range: VersionRange, profile: &ServiceProfile) -> VersionRange {
    let base = profile.microversions.as_ref().map(|m| m.base);
    VersionRange { min: range.min.filter(|min| base.is_none_or(|b| *min > b)), ..range }
}

/// Per listed parameter, its definition limited to the microversions the block says it
/// exists at, where the definition states no bound itself: from the `versionadded` note that
/// says it was added, else from the heading of the section listing it (`Response
/// (microversions 1.19 - )`; a heading's minimum at the service's base limits nothing).
/// `None`: use the definition as it is.
fn limited_by_block(
    api: &ApiRef,
    block: &MethodBlock,
    profile: &ServiceProfile,
) -> Vec<Option<ParamDef>> {
    let mins = added::parameter_mins(block);
    let limit = |r: &ParamRef| {
        let def = api.resolve(r)?;
        let heading = from_base(heading_range(block, r), profile);
        let min = def.range.min.or(mins.get(r.wire_name.as_str()).copied()).or(heading.min);
        let range = VersionRange { min, max: def.range.max.or(heading.max) };
        (range != def.range).then(|| ParamDef { range, ..def.clone() })
    };
    block.parameters.iter().map(limit).collect()
}

/// The microversions the section headings listing `r`'s name, or a member of it
/// (`usages.consumer_type` is in `usages`), state: a name listed under `(1.1 - 1.18)` and
/// again under `(1.19 - )` exists from 1.1 on; one listed under a heading without a range is
/// not limited.
fn heading_range(block: &MethodBlock, r: &ParamRef) -> VersionRange {
    let name = r.wire_name.as_str();
    let within = |p: &ParamRef| {
        p.wire_name.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    let same = block.parameters.iter().filter(|p| p.section == r.section && within(p));
    same.map(|p| p.heading_range).reduce(|all, range| all.union(&range)).unwrap_or_default()
}

fn body_of(
    listed: &[Listed<'_>],
    samples: &[Sample<'_>],
    section: Section,
    media_type: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Body> {
    if listed.is_empty() && samples.is_empty() {
        return None;
    }
    let (members, samples) = members_apart(samples);
    let samples = samples.as_slice();
    let documented: Vec<Documented<'_>> = samples
        .iter()
        .map(|s| Documented {
            value: s.value,
            version: s.version,
            caption: &s.reference.caption,
            location: &s.reference.location,
        })
        .collect();
    let mut schema = match split_by_kind(&documented, diagnostics) {
        Some(branches) => {
            let branches = branches.iter().map(|b| {
                let mut schema = schema_of(listed, &b.values, section, true, diagnostics);
                if let Value::Object(map) = &mut schema {
                    set_range(map, b.range);
                }
                schema
            });
            json!({"oneOf": branches.collect::<Vec<_>>()})
        }
        None => {
            let values: Vec<&Value> = samples.iter().map(|s| s.value).collect();
            schema_of(listed, &values, section, false, diagnostics)
        }
    };
    let mut examples = Map::new();
    for sample in samples {
        let name = unique_name(&examples, &example_name(&sample.reference.path));
        examples.insert(name, example_object(sample));
    }
    for (path, sample) in &members {
        let example = example_object(sample);
        if !member::attach(&mut schema, path, &example) {
            let name = unique_name(&examples, &example_name(&sample.reference.path));
            examples.insert(name, example);
        }
    }
    Some(Body { media_type: media_type.to_string(), schema, required: false, examples })
}

/// The samples that show one member of another sample ([`member::member_path`]), with where,
/// apart from the samples of the whole body: a member's keys must not shape the body, and it
/// is the member's example, not the body's.
fn members_apart<'a>(samples: &[Sample<'a>]) -> (Vec<(shape::Path, Sample<'a>)>, Vec<Sample<'a>>) {
    let values: Vec<&Value> = samples.iter().map(|s| s.value).collect();
    let (mut members, mut bodies) = (Vec::new(), Vec::new());
    for sample in samples {
        match member::member_path(sample.value, &values) {
            Some(path) => members.push((path, *sample)),
            None => bodies.push(*sample),
        }
    }
    (members, bodies)
}

/// The schema of a body documented by `listed` whose samples are `values`. Where nothing is
/// documented, or, for a `branch` of a body whose shape changes with the microversion, none
/// of the documented names is in its samples (a bare array at an older microversion), the
/// samples are the only description of the body.
fn schema_of(
    listed: &[Listed<'_>],
    values: &[&Value],
    section: Section,
    branch: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Value {
    let shape = values.iter().fold(None::<Shape>, |acc, v| {
        let mut shape = acc.unwrap_or_default();
        shape.add(v);
        Some(shape)
    });
    let shown =
        |shape: &Shape| listed.iter().any(|(r, _)| !shape.paths_named(&r.wire_name).is_empty());
    match &shape {
        Some(shape) if listed.is_empty() || (branch && !shown(shape)) => body::inferred(shape),
        _ => {
            let root = place(listed, shape.as_ref(), diagnostics);
            body::schema(&root, shape.as_ref(), section, diagnostics)
        }
    }
}

fn example_object(sample: &Sample<'_>) -> Value {
    let mut meta = Map::new();
    meta.insert("source".into(), json!(sample.reference.location.file.display().to_string()));
    meta.insert("line".into(), json!(sample.reference.location.line));
    meta.insert("method-line".into(), json!(sample.method_line));
    meta.insert("sample".into(), json!(sample.reference.path.display().to_string()));
    if let Some(v) = sample.version {
        meta.insert("microversion".into(), json!(v.to_string()));
    }
    let mut example = Map::new();
    if !sample.reference.caption.is_empty() {
        example.insert("summary".into(), json!(sample.reference.caption));
    }
    example.insert("value".into(), sample.value.clone());
    example.insert(STACKSPEC_EXTENSION.into(), Value::Object(meta));
    Value::Object(example)
}

/// `v2.58/instance-actions-list-resp` for `.../v2.58/instance-actions-list-resp.json`.
fn example_name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sample");
    let folder = path.parent().and_then(|p| p.file_name()).and_then(|f| f.to_str()).unwrap_or("");
    let versioned = folder.strip_prefix('v').is_some_and(|v| v.parse::<Microversion>().is_ok());
    if versioned {
        format!("{folder}/{stem}")
    } else {
        stem.to_string()
    }
}

fn unique_name(taken: &Map<String, Value>, name: &str) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains_key(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    candidate
}

fn responses(
    block: &MethodBlock,
    answers: &Part<'_, '_>,
    exchanges: &Exchanges,
    headers: &Map<String, Value>,
    profile: &ServiceProfile,
    diagnostics: &mut Vec<Diagnostic>,
) -> IndexMap<String, Response> {
    let mut out = IndexMap::new();
    let changed = status_change(&format!("{}\n{}", block.description, block.notes));
    for (mut codes, body) in answers.answers(block, exchanges, diagnostics) {
        if let Some(change) = changed {
            change.apply(&mut codes);
        }
        for (code, response) in success_responses(&codes, body, headers, profile) {
            out.entry(code).or_insert(response);
        }
    }
    if block.success.is_empty() {
        let message =
            format!("{} {}: no success response code is documented", block.verb, block.path);
        diagnostics.push(Diagnostic::new(DiagnosticKind::Ignored, block.location.clone(), message));
    }
    let reference = |f: &super::profile::Fault| format!("#/components/schemas/{}", f.name);
    let fault = profile.fault.as_ref().map(reference);
    let unauthorized = profile.unauthorized.as_ref().map(reference).or(fault.clone());
    for code in &block.errors {
        let response = Response {
            description: code.description.clone(),
            headers: Map::new(),
            body: None,
            fault: if code.code == 401 { unauthorized.clone() } else { fault.clone() },
            range: from_base(code.range, profile),
        };
        out.entry(code.code.to_string()).or_insert(response);
    }
    out
}

/// The responses of one group of success codes answered with `body`; its samples go to the
/// first code with a body.
/// A success status that another replaced from a microversion on: "The success status code
/// was changed from 200 to 201 in version 2.2" (nova's keypair import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StatusChange {
    from: u16,
    to: u16,
    at: Microversion,
}

impl StatusChange {
    /// The old status ends just before the version, the new one starts with it (where the
    /// codes do not bound them already).
    fn apply(self, codes: &mut [StatusCode]) {
        for code in codes {
            if code.code == self.from && code.range.max.is_none() {
                code.range.max = super::versioned::previous(self.at);
            } else if code.code == self.to && code.range.min.is_none() {
                code.range.min = Some(self.at);
            }
        }
    }
}

/// The status change `prose` states, if it states one.
fn status_change(prose: &str) -> Option<StatusChange> {
    static CHANGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i)status\s+code\s+(?:was\s+|has\s+been\s+|is\s+)?changed\s+from\s+`*([0-9]{3})`*",
            r"\s+to\s+`*([0-9]{3})`*\s+(?:in|with|from|starting\s+(?:with|from))\s+",
            r"(?:the\s+)?(?:api\s+)?(?:micro)?version\s+`*([0-9]+\.[0-9]+)`*",
        ))
        .expect("valid regex")
    });
    let found = CHANGE.captures(prose)?;
    Some(StatusChange {
        from: found[1].parse().ok()?,
        to: found[2].parse().ok()?,
        at: found[3].parse().ok()?,
    })
}

fn success_responses(
    success: &[StatusCode],
    body: Option<Body>,
    headers: &Map<String, Value>,
    profile: &ServiceProfile,
) -> IndexMap<String, Response> {
    let mut out = IndexMap::new();
    let multi_status = success.iter().any(|c| c.code == 207);
    let answered =
        |code: &StatusCode| body.as_ref().filter(|b| code.code != 204 && !after(b, code.range));
    let first_with_body = success.iter().find(|c| answered(c).is_some()).map(|c| c.code);
    // A sample belongs to the status whose microversions have its own (a keypair import's
    // 2.10 sample to the 201 that replaced the 200 at 2.2), else to the first with a body.
    let home = |example: &Value| {
        let written = example["x-stackspec"]["microversion"].as_str()?.parse().ok()?;
        let bounded = success.iter().filter(|c| !c.range.is_unbounded() && answered(c).is_some());
        bounded.into_iter().find(|c| c.range.contains(written)).map(|c| c.code)
    };
    for code in success {
        let body = answered(code).map(|b| {
            let mut b = b.clone();
            b.examples.retain(|_, e| home(e).or(first_with_body) == Some(code.code));
            b
        });
        let description = match (multi_status, code.code) {
            (true, 200) => "Every item was accepted: each item's `code` is 200.".to_string(),
            (true, 207) => {
                "At least one item was not accepted: each item's `code` says how it fared."
                    .to_string()
            }
            _ => code.description.clone(),
        };
        out.insert(
            code.code.to_string(),
            Response {
                description,
                headers: headers.clone(),
                body,
                fault: None,
                range: from_base(code.range, profile),
            },
        );
    }
    out
}

/// Whether every member of `body` exists only after `range` ends: placement answers a
/// provider's creation with 201 and no body up to 1.19 and with 200 and the provider from
/// 1.20 (`Response (microversions 1.20 - )`), so the body is the 200's alone.
fn after(body: &Body, range: VersionRange) -> bool {
    let Some(max) = range.max else { return false };
    let members = body.schema.get("properties").and_then(Value::as_object);
    members.is_some_and(|m| {
        !m.is_empty()
            && m.values().all(|member| {
                stackspec_model::view::range_of(member).min.is_some_and(|min| min > max)
            })
    })
}

fn parameter_object(name: &str, def: &crate::reader::ParamDef) -> Value {
    let mut schema = types::param_schema(def);
    let description = schema.remove("description");
    schema.remove(stackspec_model::view::EXTENSION);
    let mut p = Map::new();
    p.insert("name".into(), json!(name));
    p.insert("in".into(), json!(def.location.as_str()));
    if let Some(d) = description {
        p.insert("description".into(), d);
    }
    p.insert("required".into(), json!(def.required || def.location == In::Path));
    if def.ty == Some(crate::reader::ParamType::Array) && !schema.contains_key("items") {
        schema.insert("items".into(), json!({"type": "string"}));
    }
    if def.location == In::Query && schema.get("type") == Some(&json!("object")) {
        // A dictionary in the query is one value holding it encoded (cinder's and manila's
        // `metadata`, "a url encoded dictionary"): the services read a query value as text,
        // never OpenAPI's default of one pair per member.
        p.insert("content".into(), stackspec_model::param::json_encoded(Value::Object(schema)));
    } else {
        p.insert("schema".into(), Value::Object(schema));
    }
    stackspec_model::view::set_range(&mut p, def.range);
    Value::Object(p)
}

fn header_object(def: &crate::reader::ParamDef) -> Value {
    let mut schema = types::param_schema(def);
    let description = schema.remove("description").unwrap_or(json!(""));
    json!({"description": description, "schema": schema})
}

/// The body of a request whose `Content-Type` names a media type that is not JSON and that
/// lists no member and shows no sample (glance's image data, `application/octet-stream`):
/// bytes, which OpenAPI writes as a binary string.
fn raw_body(media_type: &str) -> Option<Body> {
    (!media_type.contains("json")).then(|| Body {
        media_type: media_type.to_string(),
        schema: json!({"type": "string", "format": "binary"}),
        required: true,
        examples: Map::new(),
    })
}

/// `application/json` or whatever media type a `Content-Type` parameter's description names.
fn media_type_in(description: &str) -> Option<String> {
    static MEDIA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"``(application/[A-Za-z0-9.+-]+)``").expect("valid regex"));
    Some(MEDIA.captures(description)?[1].to_string())
}

/// Makes the declared path parameters match the template: a declared name missing from the
/// template is renamed to the template's undeclared name when exactly one of each is left;
/// another declared name missing from the template is a body field where a request sample
/// shows it (the docs reused a path definition for a body member: returned, for the body),
/// and is dropped otherwise (sent nowhere: manila lists `project_id` for paths that lost
/// it); a template name nobody declared gets a plain string parameter. Every repair is
/// reported, at the parameter's listing where there is one.
fn reconcile_path_parameters(
    built: &mut Built,
    block: &MethodBlock,
    in_samples: impl Fn(&str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let in_template: Vec<String> =
        parameter_names(&built.path).into_iter().map(str::to_string).collect();
    let declared: Vec<String> =
        built.parameters.keys().filter(|(l, _)| l == "path").map(|(_, n)| n.clone()).collect();
    let extra: Vec<&String> = declared.iter().filter(|d| !in_template.contains(d)).collect();
    let missing: Vec<&String> = in_template.iter().filter(|t| !declared.contains(t)).collect();
    let listed_at = |name: &str| {
        let listed = block.parameters.iter().find(|r| r.wire_name == name);
        listed.map_or_else(|| block.location.clone(), |r| r.location.clone())
    };
    let mut report = |at: Location, message: String| {
        diagnostics.push(Diagnostic::new(DiagnosticKind::PathParameterMismatch, at, message));
    };
    if let ([from], [to]) = (extra.as_slice(), missing.as_slice()) {
        let key = ("path".to_string(), (*from).clone());
        let mut p = built.parameters.shift_remove(&key).expect("declared");
        p["name"] = json!(to);
        built.parameters.insert(("path".to_string(), (*to).clone()), p);
        report(
            listed_at(from),
            format!(
                "path parameter `{from}` is declared but the path says `{{{to}}}`; renamed to `{to}`"
            ),
        );
        return Vec::new();
    }
    let mut body = Vec::new();
    for from in extra {
        built.parameters.shift_remove(&("path".to_string(), from.clone()));
        let fate = if in_samples(from) {
            body.push(from.clone());
            "a request sample has it: transcribed as a body field"
        } else {
            "dropped"
        };
        report(
            listed_at(from),
            format!("path parameter `{from}` is not in the path `{}`; {fate}", built.path),
        );
    }
    for to in missing {
        let p = json!({"name": to, "in": "path", "required": true, "schema": {"type": "string"}});
        built.parameters.insert(("path".to_string(), to.clone()), p);
        report(
            block.location.clone(),
            format!("path parameter `{{{to}}}` is not declared; added as a string"),
        );
    }
    body
}

/// Prose with response-code lines taken out leaves runs of blank lines; keep one.
fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// placement's provider creation: "201 (microversions 1.0 - 1.19), 200 (microversions
    /// 1.20 - )", and "No body content is returned" before 1.20. The body listed under
    /// `Response (microversions 1.20 - )` was given to the 201 too, and conform reported the
    /// empty 201s of real placement as failures.
    #[test]
    fn a_body_whose_members_all_come_later_is_not_the_body_of_an_earlier_status() {
        let v = |s: &str| s.parse::<Microversion>().ok();
        let code = |code, min, max| StatusCode {
            code,
            description: String::new(),
            status: None,
            range: VersionRange { min: v(min), max: v(max) },
            location: crate::diagnostics::Location::new("/src/a.inc", 1),
        };
        let later = json!({"x-openstack": {"min-ver": "1.20"}, "type": "string"});
        let body = Body {
            media_type: "application/json".into(),
            schema: json!({"type": "object", "properties": {"uuid": later, "name": later}}),
            required: false,
            examples: Map::from_iter([("created".to_string(), json!({"value": {}}))]),
        };
        let codes = [code(201, "", "1.19"), code(200, "1.20", "")];
        let profile = ServiceProfile::generic("placement");
        let out = success_responses(&codes, Some(body.clone()), &Map::new(), &profile);
        assert!(out["201"].body.is_none());
        let answered = out["200"].body.as_ref().expect("the 200 has the body");
        assert_eq!(answered.examples.len(), 1, "and its sample");
        let unranged = [code(201, "", ""), code(200, "", "")];
        let out = success_responses(&unranged, Some(body), &Map::new(), &profile);
        assert!(out["201"].body.is_some() && out["200"].body.is_some());
    }

    /// nova's keypair import: "The success status code was changed from 200 to 201 in
    /// version 2.2", with both samples (2.10, 2.92) filed under the 200 that nova no longer
    /// answers; conform failed nova's 201 to them.
    #[test]
    fn a_status_changed_at_a_version_takes_the_samples_written_since() {
        let change = status_change("Imports a keypair.\n.. note::\n   The success status code was\n   changed from 200 to 201 in version 2.2\n");
        let change = change.expect("the note is read");
        assert_eq!((change.from, change.to), (200, 201));
        let code = |code| StatusCode {
            code,
            description: String::new(),
            status: None,
            range: VersionRange::default(),
            location: crate::diagnostics::Location::new("/src/a.inc", 1),
        };
        let mut codes = [code(200), code(201)];
        change.apply(&mut codes);
        assert_eq!(codes[0].range.max, Some(Microversion::new(2, 1)));
        assert_eq!(codes[1].range.min, Some(Microversion::new(2, 2)));
        let sample = |v: &str| json!({"value": {}, "x-stackspec": {"microversion": v}});
        let body = Body {
            media_type: "application/json".into(),
            schema: json!({"type": "object"}),
            required: false,
            examples: Map::from_iter([
                ("old".to_string(), sample("2.1")),
                ("new".to_string(), sample("2.10")),
                ("unversioned".to_string(), json!({"value": {}})),
            ]),
        };
        let profile = ServiceProfile::generic("compute");
        let out = success_responses(&codes, Some(body), &Map::new(), &profile);
        let names = |status: &str| {
            let body = out[status].body.as_ref().unwrap();
            body.examples.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(names("200"), ["old", "unversioned"]);
        assert_eq!(names("201"), ["new"]);
        assert_eq!(status_change("The status code is 200."), None);
    }
}
