//! A mock OpenStack service backed by its spec: every documented operation answers with
//! its first documented success and that response's example; request bodies are checked
//! against their schema, at the microversion the request asks for (see [`microversion`]);
//! and the operations whose behaviour is the point of a test (glance
//! tasks, inspector abort, nova external events) keep state (see [`stateful`]).
//!
//! Two routers serve it. A built-in service ([`builtin`]) is served by the generated
//! `server::router` over the generated `Api` implementation of its `mock` module, so the
//! generated stubs are what clients talk to. Any other document ([`Mock::router`],
//! `stackspec mock --spec FILE`) is served by [`interpreter`], which routes by the document
//! at run time, without a rebuild. Both answer through [`Mock::respond`] inside the same
//! [`layer`].

mod capped;
mod interpreter;
mod layer;
mod microversion;
mod pages;
mod paging;
mod query;
mod routes;
mod schemas;
mod serve;
mod served;
mod stateful;

pub use capped::CAP as STORED_RESOURCES_CAP;
pub use layer::wrap;
pub use serve::{serve, Limits, ACCEPT_BACKOFF};
pub use served::{builtin, json, text, Builtin};

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use stackspec_model::service::FaultStyle;
use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::view::range_of;
use stackspec_model::Spec;

use microversion::Versioning;
use routes::Segment;
use schemas::{Components, VersionedValidator};

/// The largest request body read; a larger one gets 413 (the generated routers' limit).
pub use stackspec_runtime::MAX_BODY_BYTES;

/// The id a documented redirect fills into the one path parameter its target adds (heat's
/// `GET /stacks/{stack_name}/events` → `/stacks/{stack_name}/{stack_id}/events`).
const REDIRECT_ID: &str = "00000000-0000-4000-8000-000000000000";

/// Why a spec cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    #[error("{}: at {pointer}: schema does not compile: {message}", file.display())]
    Schema { file: std::path::PathBuf, pointer: String, message: String },
    #[error("no built-in service `{service}`; the built-in ones are {}", known.join(", "))]
    UnknownService { service: String, known: Vec<&'static str> },
    /// A built-in spec that no longer parses (it was valid when the crate was built).
    #[error("{message}")]
    Spec { message: String },
}

/// One documented operation as the mock serves it.
struct MockOperation {
    method: Method,
    /// `POST /v2/tasks`: what stateful behaviours are keyed by.
    key: String,
    template: Vec<Segment>,
    /// The microversions the operation exists at (`x-openstack`).
    range: VersionRange,
    query: Vec<query::QueryCheck>,
    body: Option<BodyCheck>,
    /// The first documented 2xx status (else 3xx), and its examples with the microversion
    /// each was written for, in document order.
    status: u16,
    examples: Vec<(Option<Microversion>, Value)>,
    /// For a documented redirect with a `Location` header: the GET operation it points at.
    redirect: Option<Vec<Segment>>,
    /// The request body's example: stateful behaviours seed what they know from it.
    request_example: Option<Value>,
}

impl MockOperation {
    /// The example written for the highest microversion not above `version`, else the
    /// first one.
    fn example_at(&self, version: Option<Microversion>) -> Option<&Value> {
        let fitting = version.and_then(|v| {
            let written_for =
                |(at, _): &&(Option<Microversion>, Value)| at.is_some_and(|at| at <= v);
            self.examples.iter().rev().filter(written_for).max_by_key(|(at, _)| *at)
        });
        fitting.or(self.examples.first()).map(|(_, example)| example)
    }
}

struct BodyCheck {
    content_type: String,
    validator: Option<VersionedValidator>,
}

/// An operation matching a request path: how many literal segments matched, the path
/// parameters, and the operation.
type Candidate<'a> = (usize, Vec<(String, String)>, &'a MockOperation);

/// The mock of one service.
pub struct Mock {
    /// The shape of the mock's own error bodies (`info.x-stackspec.fault-style`).
    fault_style: FaultStyle,
    operations: Vec<MockOperation>,
    /// The index in `operations` of each operation's key: the generated `Api` methods look
    /// their operation up by key on every request.
    by_key: HashMap<String, usize>,
    versioning: Option<Versioning>,
    state: stateful::State,
    requests: AtomicU64,
    /// Whether the documented paths are relative to a versioned endpoint (nova documents
    /// `/servers`, served at `/v2.1/servers`; its version documents at `/` link there):
    /// then a path not documented as such is also tried without its version segment.
    below_version_prefix: bool,
}

impl Mock {
    /// Builds the mock of `spec`: its facts (`info.x-stackspec`) select the fault format,
    /// its operations' routes the stateful behaviours.
    pub fn new(spec: &Spec) -> Result<Self, MockError> {
        let components: Components = Arc::new(spec.component_schemas().cloned());
        let mut operations = spec
            .operations()
            .map(|op| operation(spec, op, &components))
            .collect::<Result<Vec<_>, _>>()?;
        link_redirects(&mut operations);
        let state = stateful::State::seeded(&operations);
        let below_version_prefix = !operations.iter().any(|op| {
            matches!(op.template.first(), Some(Segment::Literal(first)) if routes::is_version(first))
        });
        let by_key = operations.iter().enumerate().map(|(i, op)| (op.key.clone(), i)).collect();
        Ok(Self {
            fault_style: spec.facts.fault_style,
            operations,
            by_key,
            versioning: Versioning::of(spec),
            state,
            requests: AtomicU64::new(0),
            below_version_prefix,
        })
    }

    /// The router serving this mock by interpreting its document: for a spec that is not
    /// built in ([`builtin`] serves those through the generated code).
    pub fn router(self) -> axum::Router {
        layer::wrap(self, interpreter::router)
    }

    /// The operation whose stateful behaviours are keyed by `key` (`POST /v2/tasks`).
    fn operation(&self, key: &str) -> Option<&MockOperation> {
        self.by_key.get(key).map(|&i| &self.operations[i])
    }

    /// The answer to `op` once routed, with its path parameters and JSON body: 404 outside
    /// the operation's microversions, 400 for a query or body invalid at the requested one,
    /// else the stateful answer or the documented example. A redirect's `Location` is left
    /// in `request` for [`layer`] to send.
    fn respond(
        &self,
        op: &MockOperation,
        params: &[(String, String)],
        body: Option<Value>,
        request: &layer::RequestContext,
    ) -> Answer {
        let version = request.version;
        if version.is_some_and(|v| !op.range.contains(v)) {
            // What nova answers for an operation the requested version does not have.
            return Answer::Fault(404, "The resource could not be found.".to_string());
        }
        match first_violation(op, body.as_ref(), request) {
            Ok(None) => {}
            Ok(Some(message)) => return Answer::Fault(400, message),
            Err(message) => return Answer::Fault(500, message),
        }
        let example = op.example_at(version);
        let answer = self
            .state
            .answer(&op.key, params, request.query.as_deref(), body.as_ref(), example)
            .unwrap_or_else(|| match example {
                Some(example) => Answer::Json(op.status, example.clone()),
                None => Answer::Empty(op.status),
            });
        if let Some(target) =
            op.redirect.as_deref().filter(|_| (300..400).contains(&answer.status()))
        {
            let mut location = routes::fill(target, params, REDIRECT_ID);
            if let Some(query) = &request.query {
                location = format!("{location}?{query}");
            }
            request.redirect_to(location);
        }
        answer
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

    /// The candidates for `path` that match it most specifically (literal segments beat
    /// parameters, as in OpenStack's own routers).
    fn most_specific(&self, path: &str) -> Vec<Candidate<'_>> {
        let mut candidates = self.candidates(path);
        let best = candidates.iter().map(|(rank, ..)| *rank).max();
        candidates.retain(|(rank, ..)| Some(*rank) == best);
        candidates
    }

    fn fault(&self, status: u16, message: &str) -> Response {
        json_response(status, &self.fault_style.render(status, message))
    }
}

fn operation(
    spec: &Spec,
    op: stackspec_model::OperationRef,
    components: &Components,
) -> Result<MockOperation, MockError> {
    let pointer = op.pointer();
    let raw = spec.at(&pointer).cloned().unwrap_or(Value::Null);
    let schema_error = |at: &'static str| {
        let pointer = format!("{pointer}/{at}");
        move |message| MockError::Schema { file: spec.path.clone(), pointer, message }
    };
    let body = match raw.pointer("/requestBody/content").and_then(Value::as_object) {
        Some(content) => content.iter().next().map(|(media, entry)| {
            let validator = match (media.contains("json"), entry.get("schema")) {
                (true, Some(schema)) => Some(
                    VersionedValidator::new(schema, components.clone())
                        .map_err(schema_error("requestBody"))?,
                ),
                _ => None,
            };
            Ok(BodyCheck { content_type: media.clone(), validator })
        }),
        None => None,
    }
    .transpose()?;
    let query =
        query::checks(raw.get("parameters"), components).map_err(schema_error("parameters"))?;
    let (status, response) = documented_answer(&raw);
    let examples = response
        .and_then(|r| r.get("content"))
        .and_then(Value::as_object)
        .and_then(|content| content.values().next())
        .map(examples_of)
        .unwrap_or_default()
        .into_iter()
        .map(|(version, example)| (version, pages::whole_list(example)))
        .collect();
    let redirects =
        response.and_then(|r| r.get("headers")).and_then(Value::as_object).is_some_and(|headers| {
            (300..400).contains(&status)
                && headers.keys().any(|h| h.eq_ignore_ascii_case("location"))
        });
    let request_example = raw
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
        .and_then(|content| content.values().next())
        .and_then(|media| examples_of(media).into_iter().next())
        .map(|(_, example)| example);
    Ok(MockOperation {
        method: Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap_or(Method::GET),
        key: format!("{} {}", op.method.to_uppercase(), op.path),
        template: routes::template(op.path),
        range: range_of(&raw),
        query,
        body,
        status,
        examples,
        redirect: redirects.then(Vec::new),
        request_example,
    })
}

/// The status the mock answers with and its documented response: the first 2xx, else the
/// first 3xx (heat's find operations only document `302 Found`), else a bare 200.
fn documented_answer(operation: &Value) -> (u16, Option<&Value>) {
    let responses = operation.get("responses").and_then(Value::as_object);
    let documented = |range: std::ops::Range<u16>| {
        responses.into_iter().flatten().find_map(|(code, response)| {
            let status = code.parse::<u16>().ok().filter(|s| range.contains(s))?;
            Some((status, Some(response)))
        })
    };
    documented(200..300).or_else(|| documented(300..400)).unwrap_or((200, None))
}

/// Why the query or the body of a request for `op` is invalid at the requested version, if
/// it is; `Err` when a schema does not compile at that version.
fn first_violation(
    op: &MockOperation,
    body: Option<&Value>,
    request: &layer::RequestContext,
) -> Result<Option<String>, String> {
    let version = request.version;
    if let Some(message) = query::first_violation(&op.query, request.query.as_deref(), version)? {
        return Ok(Some(message));
    }
    let validator = op.body.as_ref().and_then(|b| b.validator.as_ref());
    let (Some(body), Some(validator)) = (body, validator) else { return Ok(None) };
    let violation = validator.first_violation(version, body)?;
    Ok(violation.map(|v| format!("invalid body at `{}`: {}", v.instance_pointer, v.message)))
}

/// Points each documented redirect at the GET operation whose path is its own with one
/// parameter added; a redirect with no such operation keeps no target (and no `Location`).
fn link_redirects(operations: &mut [MockOperation]) {
    let targets: Vec<Option<Vec<Segment>>> = operations
        .iter()
        .map(|op| {
            op.redirect.as_ref()?;
            let target = operations.iter().find(|t| {
                t.method == Method::GET && routes::adds_one_parameter(&op.template, &t.template)
            });
            target.map(|t| t.template.clone())
        })
        .collect();
    for (op, target) in operations.iter_mut().zip(targets) {
        op.redirect = target;
    }
}

/// A media type's `example`, or its `examples` values with the microversion each was
/// written for (`x-stackspec: {microversion: ...}`).
fn examples_of(media: &Value) -> Vec<(Option<Microversion>, Value)> {
    if let Some(example) = media.get("example") {
        return vec![(None, example.clone())];
    }
    let examples = media.get("examples").and_then(Value::as_object).into_iter().flatten();
    examples
        .filter_map(|(_, e)| {
            let version = e.pointer("/x-stackspec/microversion").and_then(Value::as_str);
            Some((version.and_then(|v| v.parse().ok()), e.get("value")?.clone()))
        })
        .collect()
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

impl Answer {
    fn status(&self) -> u16 {
        match self {
            Self::Json(status, _) | Self::Empty(status) | Self::Fault(status, _) => *status,
        }
    }
}
