//! The phases turn operations into cases: requests with what the response is expected to
//! show. `examples` replays documented samples, `property` generates valid input from the
//! schemas, `negative` breaks valid input on purpose.

pub mod auth;
pub mod examples;
mod hostile;
pub mod links;
pub mod negative;
pub mod property;
pub mod strategy;
pub mod values;

use stackspec_model::version::Microversion;

use crate::http::Request;
use crate::plan::{Model, Operation};

/// A stage of the run; each makes its own kind of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Documented request samples, sent as written.
    Examples,
    /// Valid input generated from the schemas.
    Property,
    /// Input made to violate the schemas.
    Negative,
    /// Each operation without a token, with a bogus one, and with a member's (opt-in).
    Auth,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Examples, Phase::Property, Phase::Negative, Phase::Auth];
    /// What a run does unless told otherwise (auth checks are opt-in).
    pub const DEFAULT: [Phase; 3] = [Phase::Examples, Phase::Property, Phase::Negative];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Examples => "examples",
            Phase::Property => "property",
            Phase::Negative => "negative",
            Phase::Auth => "auth",
        }
    }
}

impl std::str::FromStr for Phase {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phase::ALL.into_iter().find(|p| p.name() == s).ok_or_else(|| {
            format!("unknown phase `{s}` (expected examples, property, negative or auth)")
        })
    }
}

/// Which microversion requests ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VersionChoice {
    /// Each sample's own version; otherwise the operation's lowest.
    #[default]
    PerOperation,
    /// One version for everything; operations whose range excludes it are skipped.
    Fixed(Microversion),
    /// The highest version both the spec and the server (when known) support.
    Latest,
}

/// What the phases are told of a run: which microversions to ask for (and the highest the
/// server announced), how many cases an operation gets, the seed they are drawn from, and
/// whether a member-only user's token is at hand (the auth phase's policy cases). A run's
/// settings make it; the phases need nothing else of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseOptions {
    pub microversion: VersionChoice,
    pub server_max: Option<Microversion>,
    /// Upper bound on cases per operation and phase.
    pub max_cases: u32,
    pub seed: u64,
    /// Whether the auth phase also sends each operation with a member's token.
    pub member: bool,
    /// Whether methods that change state may be sent (the negative phase's undocumented
    /// methods: a path's first operation may be a GET).
    pub allow_mutations: bool,
}

impl Default for CaseOptions {
    /// What a run gets without options: each operation's own versions, 50 cases, seed 0,
    /// no member token, no mutations (`Settings::new` starts from these).
    fn default() -> Self {
        Self {
            microversion: VersionChoice::default(),
            server_max: None,
            max_cases: 50,
            seed: 0,
            member: false,
            allow_mutations: false,
        }
    }
}

/// Why an operation gets no case in a phase: listed as skipped in every report.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Skip {
    #[error("microversion {0} is outside the operation's range")]
    OutsideRange(Microversion),
    #[error("microversion {0} is above the server's maximum")]
    AboveServerMax(Microversion),
    #[error("the request body is required but has no sample")]
    NoSample,
    #[error("nothing in the request can be made invalid")]
    NothingToBreak,
    #[error("no generated input validates against the request schema")]
    NoValidInput,
    /// A documented request sample that fits the version it was written for, not the one
    /// chosen (`--microversion`): sending it would test the docs' version, not this one.
    #[error("request sample `{sample}` (written for {written_for}) does not fit microversion {chosen}; it is sent only at a version it fits")]
    SampleOutsideVersion { sample: String, written_for: String, chosen: Microversion },
    /// `--allow-mutations` was not given for an operation that changes state.
    #[error("{0} changes state; pass --allow-mutations")]
    Mutation(String),
    /// The spec says the operation needs no token (`security: []`): no 401 to expect.
    #[error("the operation needs no token (`security: []`): no 401 to expect")]
    Public,
    /// The endpoint was declared unable to serve the operation (`--skip`).
    #[error("declared not servable here: {0}")]
    Declared(String),
}

/// One request and what the checks should expect of its response.
#[derive(Debug, Clone)]
pub struct Case {
    /// Index into `Model::operations`.
    pub operation: usize,
    pub phase: Phase,
    pub request: Request,
    /// The microversion requested (and the one responses are validated at).
    pub microversion: Option<Microversion>,
    pub intent: Intent,
    /// The documented response sample this request should reproduce.
    pub sample: Option<Sample>,
    /// The name of the documented request sample sent (examples phase).
    pub example: Option<String>,
    /// The seed that regenerates this case (property phase).
    pub seed: Option<u64>,
}

impl Case {
    /// The operation this case exercises.
    pub fn operation_in<'m>(&self, model: &'m Model) -> &'m Operation {
        &model.operations[self.operation]
    }
}

/// What the input was meant to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Valid,
    /// Made to violate the schema; `what` says how.
    Invalid {
        what: String,
    },
    /// Reading back a resource another case created.
    ReadBack(ReadBack),
    /// Sent without a valid token (`how`: "no token", "a bogus token"): must get 401.
    Unauthenticated {
        how: &'static str,
    },
    /// Sent with a member-only user's token: what the operation's policy allows.
    AsMember,
    /// Valid but for a path holding a placeholder (no id was known): a 404 or 400 is the
    /// expected answer, and the operation counts as untested by it.
    Placeholder,
    /// Reading a resource this run created again after a DELETE of it succeeded.
    AfterDelete(AfterDelete),
    /// Input services are rarely tried with, which the schema may allow or not (a
    /// non-ASCII or long string, a boundary number, a body under a wrong content type or
    /// not UTF-8, a body on a method that takes none; `what` says which): any 4xx or
    /// success is an answer, only a 5xx fails.
    Unusual {
        what: String,
    },
    /// A method the path does not document (`documented` lists those it does): a 4xx
    /// (405) is the answer expected, a 5xx fails and a success is undocumented.
    UndocumentedMethod {
        documented: String,
    },
}

impl Intent {
    /// Whether the request was not meant to be accepted (so an undocumented 4xx answering it
    /// is a documentation gap, not a failure).
    pub fn expects_refusal(&self) -> bool {
        matches!(
            self,
            Intent::Invalid { .. }
                | Intent::Unauthenticated { .. }
                | Intent::AsMember
                | Intent::Placeholder
                | Intent::AfterDelete(_)
                | Intent::Unusual { .. }
                | Intent::UndocumentedMethod { .. }
        )
    }

    /// Whether a 4xx is an answer whether the operation documents it or not: input no
    /// operation's documentation is expected to list a refusal for (a method the path does
    /// not have, a body in a content type the service does not take, ...).
    pub fn any_refusal_answers(&self) -> bool {
        matches!(self, Intent::Unusual { .. } | Intent::UndocumentedMethod { .. })
    }
}

/// A read after a delete: the resource, the DELETE's status, and, when the read still found
/// it, what a read of an id that never existed got (the control: a server that answers any
/// id alike cannot show that a deleted one is gone).
#[derive(Debug, Clone, PartialEq)]
pub struct AfterDelete {
    pub id: String,
    pub deleted_status: u16,
    pub control: Option<u16>,
}

/// A read-back after a create, and how polling went.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadBack {
    pub id: String,
    pub created_status: u16,
    pub polls: u32,
    /// Whether the resource reached a final state (always true without polling).
    pub settled: bool,
    pub state: Option<String>,
    /// When it did not: the status of a read of an id that never existed.
    pub control: Option<u16>,
}

/// A documented response sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub status: u16,
    pub value: serde_json::Value,
}

/// The microversion to request for `op` (`Ok(None)`: send none), or why the operation is
/// skipped at the chosen version. An operation that takes a microversion
/// always gets one: without a sample's or its range's, the lowest the spec names (what the
/// server assumes for a request that names none), so that responses are judged at the
/// version the server answers at.
pub fn choose_version(
    model: &Model,
    op: &Operation,
    options: &CaseOptions,
    sample: Option<Microversion>,
) -> Result<Option<Microversion>, Skip> {
    if op.microversion_header.is_none() {
        return Ok(None);
    }
    let spec_max = model.spec_max;
    let server_max = options.server_max;
    let chosen = match options.microversion {
        VersionChoice::PerOperation => sample.or(op.range.min).or(model.spec_min),
        VersionChoice::Fixed(v) => Some(v),
        VersionChoice::Latest => {
            let both = [spec_max, server_max].into_iter().flatten().min();
            both.map(|v| op.range.max.map_or(v, |max| max.min(v)))
        }
    };
    match chosen {
        Some(v) if !op.range.contains(v) => Err(Skip::OutsideRange(v)),
        Some(v) if server_max.is_some_and(|max| v > max) => Err(Skip::AboveServerMax(v)),
        other => Ok(other),
    }
}

/// The request for `op` with path values filled and the microversion header set.
pub fn request_for(
    op: &Operation,
    path_values: &[(String, String)],
    version: Option<Microversion>,
) -> Request {
    let mut path = op.path.clone();
    for (name, value) in path_values {
        path = path.replace(&format!("{{{name}}}"), &crate::escape::encode(value));
    }
    let mut request = Request::new(&op.method, path);
    request.from_root = crate::root::is_version_discovery(&op.path);
    request.media_type = op.body_media_type.clone();
    if let Some(media) = &op.raw_body_media_type {
        request.raw_body = Some(crate::plan::RAW_BODY.to_vec());
        request.headers.push(("Content-Type".into(), media.clone()));
    }
    if let (Some(header), Some(v)) = (&op.microversion_header, version) {
        request.headers.push((header.name.clone(), header.value(v)));
    }
    request
}

/// Whether the phase may send `op` at all.
pub fn allowed(op: &Operation, allow_mutations: bool) -> bool {
    allow_mutations || op.is_safe()
}

/// A query parameter's value as request pairs: one JSON text for a JSON-encoded parameter
/// (`content`), else arrays repeat the key; none for null.
pub fn query_pairs(p: &crate::plan::Parameter, value: &serde_json::Value) -> Vec<(String, String)> {
    match value {
        serde_json::Value::Null => Vec::new(),
        _ if p.json => vec![(p.name.clone(), value.to_string())],
        _ => styled_pairs(&p.name, value),
    }
}

/// A `schema` parameter's value as request pairs (arrays repeat the key).
fn styled_pairs(name: &str, value: &serde_json::Value) -> Vec<(String, String)> {
    match value {
        serde_json::Value::Array(items) => {
            items.iter().flat_map(|v| styled_pairs(name, v)).collect()
        }
        serde_json::Value::String(s) => vec![(name.to_string(), s.clone())],
        serde_json::Value::Null => Vec::new(),
        other => vec![(name.to_string(), other.to_string())],
    }
}

/// Only query parameters whose range contains `version`.
pub fn in_version(op: &Operation, version: Option<Microversion>) -> Vec<&crate::plan::Parameter> {
    at_version(op.query_parameters(), version)
}

/// The operation's header parameters (see [`Operation::header_parameters`]) at `version`.
pub fn headers_in_version(
    op: &Operation,
    version: Option<Microversion>,
) -> Vec<&crate::plan::Parameter> {
    at_version(op.header_parameters(), version)
}

/// The parameters whose range contains `version` (all of them without one).
fn at_version<'a>(
    parameters: impl Iterator<Item = &'a crate::plan::Parameter>,
    version: Option<Microversion>,
) -> Vec<&'a crate::plan::Parameter> {
    parameters.filter(|p| version.is_none_or(|v| p.range.contains(v))).collect()
}

/// A header parameter's value as header text (arrays comma-separated), unless it has
/// characters no header can carry (controls other than tab).
pub fn header_text(value: &serde_json::Value) -> Option<String> {
    let text = match value {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().filter_map(header_text).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    };
    text.chars().all(|c| c == '\t' || !c.is_control()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackspec_model::Spec;

    /// `GET /a` takes a microversion but names no range; `GET /b` starts at 1.4.
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1', x-stackspec: {service-type: t}}\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{name: OpenStack-API-Version, in: header, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: b\n      parameters: [{name: OpenStack-API-Version, in: header, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n      x-openstack: {min-ver: '1.4', max-ver: '1.9'}\n";

    #[test]
    fn an_operation_without_a_range_gets_the_lowest_version_the_spec_names() {
        let model = Model::new(Spec::parse(std::path::Path::new("t.yaml"), SPEC).unwrap());
        let options = CaseOptions::default();
        let chosen = |id: &str, sample| {
            choose_version(&model, model.operation(id).unwrap(), &options, sample).unwrap()
        };
        let v = |s: &str| Some(s.parse::<Microversion>().unwrap());
        assert_eq!(chosen("a", None), v("1.4"));
        assert_eq!(chosen("b", None), v("1.4"));
        assert_eq!(chosen("b", v("1.7")), v("1.7"));
    }
}

#[cfg(test)]
mod query_tests {
    use serde_json::json;

    use super::query_pairs;
    use crate::plan::{Location, Parameter};

    fn param(json: bool) -> Parameter {
        let schema = json!({"type": "object"});
        let range = Default::default();
        Parameter {
            name: "metadata".into(),
            location: Location::Query,
            required: false,
            schema,
            json,
            range,
        }
    }

    #[test]
    fn a_json_encoded_parameter_is_one_pair_holding_the_json_text() {
        let pairs = |json, value| query_pairs(&param(json), &value);
        let dict = json!({"k": "v", "n": 1});
        assert_eq!(pairs(true, dict.clone()), [("metadata".into(), r#"{"k":"v","n":1}"#.into())]);
        assert_eq!(pairs(true, json!(["a", "b"])), [("metadata".into(), r#"["a","b"]"#.into())]);
        assert_eq!(pairs(true, json!("a")), [("metadata".into(), r#""a""#.into())]);
        assert!(pairs(true, json!(null)).is_empty());
        let styled = pairs(false, json!(["a", "b"]));
        assert_eq!(styled, [("metadata".into(), "a".into()), ("metadata".into(), "b".into())]);
    }
}
