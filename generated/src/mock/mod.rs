//! A mock OpenStack service backed by its spec: every documented operation answers with
//! its first documented success and that response's example; request bodies are checked
//! against their schema; and the operations whose behaviour is the point of a test (glance
//! tasks, inspector abort, nova external events) keep state (see [`stateful`]).
//!
//! It interprets the document at run time rather than implementing the generated `Api`
//! traits, so that `--spec FILE` serves any document without a rebuild.

mod fault;
mod query;
mod routes;
mod stateful;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use stackspec_generator::model::json_schema::{self, Options};
use stackspec_generator::model::Spec;

use routes::Segment;

/// The largest request body read; a larger one gets 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why a spec cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    #[error("{pointer}: request body schema does not compile: {message}")]
    Schema { pointer: String, message: String },
}

/// One documented operation as the mock serves it.
struct MockOperation {
    method: Method,
    /// `POST /v2/tasks`: what stateful behaviours are keyed by.
    key: String,
    template: Vec<Segment>,
    query: Vec<query::QueryCheck>,
    body: Option<BodyCheck>,
    /// The first documented 2xx status, and its example body if there is one.
    status: u16,
    example: Option<Value>,
    /// The request body's example: stateful behaviours seed what they know from it.
    request_example: Option<Value>,
}

struct BodyCheck {
    content_type: String,
    validator: Option<jsonschema::Validator>,
}

/// An operation matching a request path: how many literal segments matched, the path
/// parameters, and the operation.
type Candidate<'a> = (usize, Vec<(String, String)>, &'a MockOperation);

/// The mock of one service.
pub struct Mock {
    service: String,
    operations: Vec<MockOperation>,
    state: stateful::State,
    requests: AtomicU64,
    /// Whether the documented paths are relative to a versioned endpoint (nova documents
    /// `/servers`, served at `/v2.1/servers`; its version documents at `/` link there):
    /// then a path not documented as such is also tried without its version segment.
    below_version_prefix: bool,
}

impl Mock {
    /// Builds the mock of `spec`; `service` (`image`, `compute`, ...) selects the fault
    /// format and the stateful behaviours.
    pub fn new(spec: &Spec, service: &str) -> Result<Self, MockError> {
        let components = spec.component_schemas();
        let operations = spec
            .operations()
            .map(|op| operation(spec, op, components))
            .collect::<Result<Vec<_>, _>>()?;
        let state = stateful::State::seeded(service, &operations);
        let below_version_prefix = !operations.iter().any(|op| {
            matches!(op.template.first(), Some(Segment::Literal(first)) if routes::is_version(first))
        });
        Ok(Self {
            service: service.to_string(),
            operations,
            state,
            requests: AtomicU64::new(0),
            below_version_prefix,
        })
    }

    /// The axum router serving this mock.
    pub fn router(self) -> axum::Router {
        axum::Router::new().fallback(handle).with_state(Arc::new(self))
    }

    /// The operations whose template matches `path`, with how specific each match is and
    /// the path parameters.
    fn candidates(&self, path: &str) -> Vec<Candidate<'_>> {
        self.operations
            .iter()
            .filter_map(|op| {
                routes::matches(&op.template, path).map(|(rank, params)| (rank, params, op))
            })
            .collect()
    }

    fn fault(&self, status: u16, message: &str) -> Response {
        json_response(status, &fault::body(&self.service, status, message))
    }
}

fn operation(
    spec: &Spec,
    op: stackspec_generator::model::OperationRef,
    components: Option<&serde_json::Map<String, Value>>,
) -> Result<MockOperation, MockError> {
    let pointer = op.pointer();
    let raw = spec.at(&pointer).cloned().unwrap_or(Value::Null);
    let body = match raw.pointer("/requestBody/content").and_then(Value::as_object) {
        Some(content) => content.iter().next().map(|(media, entry)| {
            let validator = match (media.contains("json"), entry.get("schema")) {
                (true, Some(schema)) => {
                    Some(json_schema::validator(schema, components, Options::default()).map_err(
                        |message| MockError::Schema {
                            pointer: format!("{pointer}/requestBody"),
                            message,
                        },
                    )?)
                }
                _ => None,
            };
            Ok(BodyCheck { content_type: media.clone(), validator })
        }),
        None => None,
    }
    .transpose()?;
    let query = query::checks(raw.get("parameters"), components).map_err(|message| {
        MockError::Schema { pointer: format!("{pointer}/parameters"), message }
    })?;
    let responses = raw.get("responses").and_then(Value::as_object);
    let success = responses.into_iter().flatten().find_map(|(code, response)| {
        let status = code.parse::<u16>().ok().filter(|s| (200..300).contains(s))?;
        let example = response
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.values().next())
            .and_then(example_of);
        Some((status, example))
    });
    let (status, example) = success.unwrap_or((200, None));
    let request_example = raw
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
        .and_then(|content| content.values().next())
        .and_then(example_of);
    Ok(MockOperation {
        method: Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap_or(Method::GET),
        key: format!("{} {}", op.method.to_uppercase(), op.path),
        template: routes::template(op.path),
        query,
        body,
        status,
        example,
        request_example,
    })
}

/// A media type's `example`, or the value of its first `examples` entry.
fn example_of(media: &Value) -> Option<Value> {
    media.get("example").cloned().or_else(|| {
        let examples = media.get("examples")?.as_object()?;
        examples.values().find_map(|e| e.get("value").cloned())
    })
}

fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// What a stateful behaviour or the default answer sends back.
pub(crate) enum Answer {
    Json(u16, Value),
    Empty(u16),
    /// An error, sent in the service's fault format.
    Fault(u16, String),
}

async fn handle(State(mock): State<Arc<Mock>>, request: Request) -> Response {
    let n = mock.requests.fetch_add(1, Ordering::Relaxed);
    let mut response = answer(&mock, request).await;
    if let Ok(id) = HeaderValue::from_str(&format!("req-mock-{n:012}")) {
        response.headers_mut().insert("x-openstack-request-id", id);
    }
    response
}

async fn answer(mock: &Mock, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let mut candidates = mock.candidates(path);
    if candidates.is_empty() && mock.below_version_prefix {
        if let Some(below) = routes::below_version(path) {
            candidates = mock.candidates(below);
        }
    }
    let best = candidates.iter().map(|(rank, ..)| *rank).max();
    let candidates: Vec<_> = candidates.iter().filter(|(rank, ..)| Some(*rank) == best).collect();
    let Some((_, params, op)) = candidates.iter().find(|(_, _, op)| op.method == parts.method)
    else {
        if candidates.is_empty() {
            return mock.fault(404, &format!("no resource at {path}"));
        }
        let allow: Vec<&str> = candidates.iter().map(|(_, _, op)| op.method.as_str()).collect();
        let mut response = mock.fault(405, &format!("{} is not allowed on {path}", parts.method));
        if let Ok(allow) = HeaderValue::from_str(&allow.join(", ")) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        return response;
    };
    if let Some(message) = query::first_violation(&op.query, parts.uri.query()) {
        return mock.fault(400, &message);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return mock.fault(413, &format!("the request body is larger than {MAX_BODY_BYTES} bytes"));
    };
    let body = match &op.body {
        Some(check) => match check_body(check, parts.headers.get(header::CONTENT_TYPE), &bytes) {
            Ok(body) => body,
            Err((status, message)) => return mock.fault(status, &message),
        },
        None => None,
    };
    let answer = mock
        .state
        .answer(&op.key, params, body.as_ref(), op.example.as_ref())
        .unwrap_or_else(|| match &op.example {
            Some(example) => Answer::Json(op.status, example.clone()),
            None => Answer::Empty(op.status),
        });
    match answer {
        Answer::Json(status, body) => json_response(status, &body),
        Answer::Empty(status) => StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
        Answer::Fault(status, message) => mock.fault(status, &message),
    }
}

/// The parsed JSON body, or the status and message refusing it (415, 400).
fn check_body(
    check: &BodyCheck,
    content_type: Option<&HeaderValue>,
    bytes: &[u8],
) -> Result<Option<Value>, (u16, String)> {
    let found =
        content_type.and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).map(str::trim);
    if !found.is_some_and(|f| f.eq_ignore_ascii_case(&check.content_type)) {
        let found = found.unwrap_or("none");
        return Err((
            415,
            format!("expected a body of type {}, found {found}", check.content_type),
        ));
    }
    let Some(validator) = &check.validator else {
        return Ok(None);
    };
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| (400, format!("malformed JSON body: {e}")))?;
    match json_schema::violations(validator, &value).first() {
        Some(v) => Err((400, format!("invalid body at `{}`: {}", v.instance_pointer, v.message))),
        None => Ok(Some(value)),
    }
}
