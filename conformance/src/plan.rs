//! What the spec says about each operation, read once into the shape the phases and checks
//! need: parameters with their schemas, request and response samples with the microversion
//! they were written for, documented statuses with their content types and schema pointers.
//! Validators are compiled on first use and kept, because every response is validated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};
use stackspec_model::json_schema::{self, Options, Violation};
use stackspec_model::microversion::MicroversionHeader;
use stackspec_model::param::{schema_of, Encoding};
use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::view::range_of;
use stackspec_model::{escape_pointer, Spec};

/// Why the spec cannot be tested.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{path}: at {pointer}: schema does not compile: {message}")]
    Schema { path: String, pointer: String, message: String },
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub schema: Value,
    /// Whether the whole value travels as one JSON text (a `content` parameter).
    pub json: bool,
    pub range: VersionRange,
}

/// A documented sample and the microversion it was written for.
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub value: Value,
    pub microversion: Option<Microversion>,
    /// The api-ref file and the line of the `rest_method` that lists the sample
    /// (`x-stackspec.source` and `method-line`), when the spec says.
    pub method: Option<(String, u64)>,
}

/// One documented response status.
#[derive(Debug, Clone)]
pub struct DocumentedResponse {
    /// `200`, `4XX` or `default`.
    pub status: String,
    /// Media types, each with the JSON pointer of its schema, if any.
    pub content: Vec<(String, Option<String>)>,
    pub examples: Vec<Example>,
}

impl DocumentedResponse {
    /// The pointer of the JSON schema of this response, if it has one.
    pub fn json_schema(&self) -> Option<&str> {
        self.content
            .iter()
            .find(|(media, _)| media.contains("json"))
            .and_then(|(_, s)| s.as_deref())
    }
}

/// One operation as the run sees it.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    /// Upper case.
    pub method: String,
    pub path: String,
    pub pointer: String,
    pub tags: Vec<String>,
    pub range: VersionRange,
    pub microversion_header: Option<MicroversionHeader>,
    pub parameters: Vec<Parameter>,
    /// The JSON pointer of the request body schema.
    pub body_schema: Option<String>,
    /// The request body's media type where it is JSON but not `application/json` (glance's
    /// `application/openstack-images-v2.1-json-patch`): what its bodies are labelled with.
    pub body_media_type: Option<String>,
    /// The media type of a request body of bytes (documented with no JSON media type and a
    /// `format: binary` schema: glance's image data): every case sends [`RAW_BODY`] under it.
    pub raw_body_media_type: Option<String>,
    pub body_required: bool,
    pub request_examples: Vec<Example>,
    pub responses: Vec<DocumentedResponse>,
    /// Who the docs allow (`x-openstack: {policy: ...}`), when they say.
    pub policy: Option<Policy>,
    /// The spec says it needs no token (`security: []`, or an empty requirement among its
    /// alternatives): a version document.
    pub public: bool,
}

/// Who may call an operation, as the spec records it from the docs' prose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Only admins (`policy: admin`): a member must get 403.
    Admin,
    /// Admins and the owning project (`policy: admin-or-owner`).
    AdminOrOwner,
    /// A rule this tool does not interpret; kept for the report.
    Other(String),
}

impl Policy {
    fn read(raw: &Value) -> Option<Self> {
        Some(match raw["x-openstack"]["policy"].as_str()? {
            "admin" => Policy::Admin,
            "admin-or-owner" => Policy::AdminOrOwner,
            other => Policy::Other(other.to_string()),
        })
    }

    pub fn name(&self) -> &str {
        match self {
            Policy::Admin => "admin",
            Policy::AdminOrOwner => "admin-or-owner",
            Policy::Other(rule) => rule,
        }
    }
}

impl Operation {
    /// The documented response for `status`: exact, then `4XX`-style, then `default`.
    pub fn documented(&self, status: u16) -> Option<&DocumentedResponse> {
        // Compared without formatting `status`: this runs several times per response.
        let find = |matches: &dyn Fn(&[u8]) -> bool| {
            self.responses.iter().find(|r| matches(r.status.as_bytes()))
        };
        let digit = |d: u16| b'0' + (d % 10) as u8;
        let exact = [digit(status / 100), digit(status / 10), digit(status)];
        find(&|key| status < 1000 && key == exact)
            .or_else(|| {
                find(&|key| {
                    key.len() == 3 && key[0] == exact[0] && key[1..].eq_ignore_ascii_case(b"XX")
                })
            })
            .or_else(|| find(&|key| key.eq_ignore_ascii_case(b"default")))
    }

    pub fn is_safe(&self) -> bool {
        matches!(self.method.as_str(), "GET" | "HEAD")
    }

    pub fn path_parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.iter().filter(|p| p.location == Location::Path)
    }

    pub fn query_parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.iter().filter(|p| p.location == Location::Query)
    }

    /// The header parameters that are the operation's input: not those the transport sets
    /// itself (token, content negotiation, framing) nor microversion headers, which the
    /// run's version choice owns (compute documents its current and its legacy one).
    pub fn header_parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.iter().filter(|p| p.location == Location::Header).filter(|p| {
            let name = p.name.to_ascii_lowercase();
            !TRANSPORT_HEADERS.contains(&name.as_str()) && !name.ends_with("api-version")
        })
    }
}

/// Headers every request's transport sets, whatever the operation documents.
const TRANSPORT_HEADERS: [&str; 4] = ["x-auth-token", "content-type", "accept", "content-length"];

/// Compiled validators by microversion and schema pointer (nested, so that a look-up
/// borrows the pointer instead of allocating a key for every response).
type ValidatorCache = HashMap<Option<Microversion>, HashMap<String, Arc<jsonschema::Validator>>>;

/// The spec, its operations, and a cache of compiled validators.
pub struct Model {
    pub spec: Spec,
    pub operations: Vec<Operation>,
    /// The pointer of the schema most error responses reference: the service's fault shape.
    pub fault_schema: Option<String>,
    /// The highest microversion the spec describes (walked once: specs are large).
    pub spec_max: Option<Microversion>,
    /// The lowest microversion the spec names: what a server assumes without a header.
    pub spec_min: Option<Microversion>,
    validators: Mutex<ValidatorCache>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("spec", &self.spec.path)
            .field("operations", &self.operations.len())
            .finish()
    }
}

impl Model {
    pub fn new(spec: Spec) -> Self {
        let operations: Vec<Operation> =
            spec.operations().map(|op| read_operation(&spec, &op)).collect();
        let fault_schema = most_referenced_error_schema(&spec, &operations);
        Self {
            spec_max: spec.max_microversion(),
            spec_min: spec.min_microversion(),
            spec,
            operations,
            fault_schema,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// Compiles every request and response body schema (as written, at no microversion),
    /// so that a schema that cannot compile is the spec's fault, reported before any
    /// request, and not a server's `response_body_matches_schema` failure.
    pub fn check_schemas(&self) -> Result<(), PlanError> {
        for op in &self.operations {
            let responses = op.responses.iter().filter_map(DocumentedResponse::json_schema);
            for pointer in op.body_schema.as_deref().into_iter().chain(responses) {
                self.validator(pointer, None)?;
            }
        }
        Ok(())
    }

    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The raw schema at `pointer` with `$ref`s followed.
    pub fn schema(&self, pointer: &str) -> Option<&Value> {
        self.spec.resolve(self.spec.at(pointer)?)
    }

    /// Every violation of `instance` against the schema at `pointer`, seen at `version`.
    pub fn violations(
        &self,
        pointer: &str,
        version: Option<Microversion>,
        instance: &Value,
    ) -> Result<Vec<Violation>, PlanError> {
        let validator = self.validator(pointer, version)?;
        Ok(json_schema::violations(&validator, instance))
    }

    fn validator(
        &self,
        pointer: &str,
        version: Option<Microversion>,
    ) -> Result<Arc<jsonschema::Validator>, PlanError> {
        let mut cache = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        let at_version = cache.entry(version).or_default();
        if let Some(v) = at_version.get(pointer) {
            return Ok(v.clone());
        }
        let schema = self.spec.at(pointer).cloned().unwrap_or(Value::Bool(true));
        let options = Options { version, formats: false };
        let built = json_schema::validator(&schema, self.spec.component_schemas(), options)
            .map_err(|message| PlanError::Schema {
                path: self.spec.path.display().to_string(),
                pointer: pointer.to_string(),
                message,
            })?;
        let built = Arc::new(built);
        at_version.insert(pointer.to_string(), built.clone());
        Ok(built)
    }
}

fn read_operation(spec: &Spec, op: &stackspec_model::OperationRef<'_>) -> Operation {
    let pointer = op.pointer();
    let raw = spec.at(&pointer).cloned().unwrap_or(Value::Null);
    let parameters = raw["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| read_parameter(spec.resolve(p)?))
        .collect();
    let media = json_body_media_type(&raw["requestBody"]["content"]);
    let body_pointer = format!("{pointer}/requestBody/content/{}", escape_pointer(&media));
    let body = spec.at(&body_pointer);
    Operation {
        id: op
            .operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {}", op.method.to_uppercase(), op.path)),
        method: op.method.to_uppercase(),
        path: op.path.to_string(),
        tags: op.operation.tags.clone(),
        range: range_of(&raw),
        microversion_header: spec.microversion_header(op),
        parameters,
        body_schema: body.and_then(|b| b.get("schema")).map(|_| format!("{body_pointer}/schema")),
        body_media_type: (media != JSON).then_some(media),
        raw_body_media_type: raw_body_media_type(&raw["requestBody"]["content"]),
        body_required: raw["requestBody"]["required"].as_bool().unwrap_or(false),
        request_examples: body.map(examples).unwrap_or_default(),
        responses: read_responses(spec, &raw, &pointer),
        policy: Policy::read(&raw),
        public: public(spec, op),
        pointer,
    }
}

const JSON: &str = "application/json";

/// The media type of a request body's `content` that the run sends: `application/json`
/// where it is documented (or nothing is), else the first JSON one (`…+json`,
/// `…-json-patch`).
fn json_body_media_type(content: &Value) -> String {
    let Some(media) = content.as_object().filter(|m| !m.contains_key(JSON)) else {
        return JSON.to_string();
    };
    media.keys().find(|m| m.contains("json")).map_or_else(|| JSON.to_string(), Clone::clone)
}

/// The bytes a request body documented as bytes carries: a few, so that a service that
/// stores them (glance's image data) stores little.
pub const RAW_BODY: &[u8] = b"stackspec data\n";

/// The media type of a request `content` that documents bytes only: no JSON media type,
/// and one whose schema is a `format: binary` string.
fn raw_body_media_type(content: &Value) -> Option<String> {
    let media = content.as_object()?;
    if media.keys().any(|m| m.contains("json")) {
        return None;
    }
    let binary = |m: &Value| m["schema"]["format"] == "binary";
    media.iter().find(|(_, m)| binary(m)).map(|(name, _)| name.clone())
}

/// Whether `op` may be called without a token: its `security` (or the document's, when it
/// names none) is empty or offers an empty requirement.
fn public(spec: &Spec, op: &stackspec_model::OperationRef<'_>) -> bool {
    let security = op.operation.security.as_ref().or(spec.document.security.as_ref());
    security.is_some_and(|alternatives| {
        alternatives.is_empty() || alternatives.iter().any(|r| r.is_empty())
    })
}

fn read_parameter(raw: &Value) -> Option<Parameter> {
    let location = match raw.get("in")?.as_str()? {
        "path" => Location::Path,
        "query" => Location::Query,
        "header" => Location::Header,
        _ => return None,
    };
    let schema = schema_of(raw);
    Some(Parameter {
        name: raw.get("name")?.as_str()?.to_string(),
        location,
        required: raw["required"].as_bool().unwrap_or(location == Location::Path),
        schema: schema.map_or(Value::Object(Map::new()), |s| s.schema.clone()),
        json: schema.is_some_and(|s| s.encoding == Encoding::Json),
        range: range_of(raw),
    })
}

fn read_responses(spec: &Spec, raw: &Value, pointer: &str) -> Vec<DocumentedResponse> {
    let Some(responses) = raw["responses"].as_object() else {
        return Vec::new();
    };
    responses
        .iter()
        .map(|(status, response)| {
            // A `$ref`'d response's schemas live where the reference points.
            let at = match response.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => format!("{pointer}/responses/{status}"),
            };
            let response = spec.resolve(response).unwrap_or(response);
            let content = response["content"].as_object();
            DocumentedResponse {
                status: status.clone(),
                content: content
                    .into_iter()
                    .flatten()
                    .map(|(media, m)| {
                        let schema = m
                            .get("schema")
                            .map(|_| format!("{at}/content/{}/schema", escape_pointer(media)));
                        (media.clone(), schema)
                    })
                    .collect(),
                examples: content.into_iter().flatten().flat_map(|(_, m)| examples(m)).collect(),
            }
        })
        .collect()
}

fn examples(media: &Value) -> Vec<Example> {
    let Some(examples) = media["examples"].as_object() else {
        return Vec::new();
    };
    examples
        .iter()
        .filter_map(|(name, e)| {
            Some(Example {
                name: name.clone(),
                value: e.get("value")?.clone(),
                microversion: e["x-stackspec"]["microversion"]
                    .as_str()
                    .and_then(|v| v.parse().ok()),
                method: documented_under(&e["x-stackspec"]),
            })
        })
        .collect()
}

/// The file and `rest_method` line a sample's `x-stackspec` says it is listed under.
fn documented_under(meta: &Value) -> Option<(String, u64)> {
    Some((meta["source"].as_str()?.to_string(), meta["method-line"].as_u64()?))
}

/// Error responses reference a per-service fault schema; the most referenced one is taken
/// as the service's fault shape for statuses the spec does not document.
fn most_referenced_error_schema(spec: &Spec, operations: &[Operation]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let errors = operations
        .iter()
        .flat_map(|o| &o.responses)
        .filter(|r| r.status.starts_with('4') || r.status.starts_with('5'));
    for response in errors {
        let target = response.json_schema().and_then(|p| spec.at(p)?.get("$ref")?.as_str());
        if let Some(target) = target {
            *counts.entry(target).or_default() += 1;
        }
    }
    let best = counts.into_iter().max_by_key(|(r, n)| (*n, *r))?.0;
    best.strip_prefix('#').map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::{DocumentedResponse, Operation};

    fn operation(statuses: &[&str]) -> Operation {
        let response = |s: &&str| DocumentedResponse {
            status: s.to_string(),
            content: Vec::new(),
            examples: Vec::new(),
        };
        Operation {
            id: "op".into(),
            method: "GET".into(),
            path: "/".into(),
            pointer: String::new(),
            tags: Vec::new(),
            range: Default::default(),
            microversion_header: None,
            parameters: Vec::new(),
            body_schema: None,
            body_media_type: None,
            raw_body_media_type: None,
            body_required: false,
            request_examples: Vec::new(),
            responses: statuses.iter().map(response).collect(),
            policy: None,
            public: false,
        }
    }

    #[test]
    fn documented_prefers_the_exact_status_then_its_class_then_default() {
        let op = operation(&["default", "4xx", "404", "200"]);
        let found = |status| op.documented(status).map(|d| d.status.as_str());
        assert_eq!(found(404), Some("404"));
        assert_eq!(found(409), Some("4xx"));
        assert_eq!(found(200), Some("200"));
        assert_eq!(found(201), Some("default"));
        assert_eq!(operation(&["200"]).documented(20).map(|d| d.status.clone()), None);
        assert_eq!(
            operation(&["5XX"]).documented(503).map(|d| d.status.clone()),
            Some("5XX".into())
        );
    }
}
