//! What the api-ref text does not say but a spec must: each service's error body shape and
//! microversion headers. Shapes are those the services' WSGI stacks produce (nova's fault
//! wrapper, webob's JSON errors in glance, heat's fault middleware, inspector's `error`
//! object); the real-cloud conformance run holds them to it.

use serde_json::{json, Value};

use stackspec_model::service::{
    BoundHeaders, FaultMedia, FaultStyle, ServiceFacts, REQUEST_ID_HEADER,
};
use stackspec_model::version::Microversion;

/// How a service negotiates microversions.
#[derive(Debug, Clone, PartialEq)]
pub struct Microversions {
    /// Request headers that select a version: `(name, description)`.
    pub headers: Vec<(String, String)>,
    /// The version a request without a header gets; unversioned samples document it.
    pub base: Microversion,
}

/// A service's error body: a component schema name, the schema, and the style it is an
/// instance of (which servers and mocks render their own errors in).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub name: String,
    pub schema: Value,
    pub style: FaultStyle,
}

/// Per-service knowledge the transcriber applies.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceProfile {
    /// The service-catalog type (`compute`); also the `spec/` file stem.
    pub service_type: String,
    pub title: String,
    pub microversions: Option<Microversions>,
    pub fault: Option<Fault>,
    /// The body of a 401 when it is not the service's fault: nova and heat pass
    /// keystonemiddleware's `authtoken` answer through unchanged, while glance and inspector
    /// answer 401 in their own fault shape (seen on the real services, `realcloud/ci.sh`).
    pub unauthorized: Option<Fault>,
    /// The response headers carrying the request id, the one every response has first.
    pub request_id_headers: Vec<String>,
}

impl ServiceProfile {
    /// A profile for a service this crate knows nothing about: no microversions, no fault shape.
    pub fn generic(service_type: &str) -> Self {
        Self {
            service_type: service_type.to_string(),
            title: format!("{service_type} API"),
            microversions: None,
            fault: None,
            unauthorized: None,
            request_id_headers: vec![REQUEST_ID_HEADER.to_string()],
        }
    }

    /// What the spec records about the service (`info.x-stackspec`), for every later stage.
    pub fn facts(&self) -> ServiceFacts {
        ServiceFacts {
            service_type: Some(self.service_type.clone()),
            fault_style: self.fault.as_ref().map_or(FaultStyle::default(), |f| f.style),
            microversion_headers: self
                .microversions
                .iter()
                .flat_map(|m| m.headers.iter().map(|(name, _)| name.clone()))
                .collect(),
            request_id_headers: self.request_id_headers.clone(),
            unauthorized_style: self.unauthorized.as_ref().map(|f| f.style),
            ..served_facts(&self.service_type)
        }
    }

    /// The built-in profiles of the services in the corpus.
    pub fn builtin(service_type: &str) -> Option<Self> {
        Some(match service_type {
            "compute" => Self {
                service_type: "compute".into(),
                title: "OpenStack Compute API (nova)".into(),
                microversions: Some(Microversions {
                    headers: vec![
                        header(
                            "OpenStack-API-Version",
                            "The microversion, as `compute X.Y` (or `compute latest`).",
                        ),
                        header(
                            "X-OpenStack-Nova-API-Version",
                            "The microversion, as `X.Y` (legacy header, before 2.27).",
                        ),
                    ],
                    base: Microversion::new(2, 1),
                }),
                fault: Some(nova_fault()),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&["x-compute-request-id"]),
            },
            "image" => Self {
                service_type: "image".into(),
                title: "OpenStack Image API v2 (glance)".into(),
                microversions: None,
                fault: Some(webob_error()),
                unauthorized: None,
                request_id_headers: request_ids(&[]),
            },
            "orchestration" => Self {
                service_type: "orchestration".into(),
                title: "OpenStack Orchestration API v1 (heat)".into(),
                microversions: None,
                fault: Some(heat_fault()),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "baremetal-introspection" => Self {
                service_type: "baremetal-introspection".into(),
                title: "OpenStack Bare Metal Introspection API v1 (ironic-inspector)".into(),
                microversions: Some(Microversions {
                    headers: vec![header(
                        "X-OpenStack-Ironic-Inspector-API-Version",
                        "The microversion, as `X.Y` (or `latest`).",
                    )],
                    base: Microversion::new(1, 0),
                }),
                fault: Some(inspector_error()),
                unauthorized: None,
                request_id_headers: request_ids(&[]),
            },
            _ => return None,
        })
    }
}

/// How each service's framework serves what its api-ref does not describe, as seen on the
/// real services (`conformance/realcloud/evidence/`): what a mock must do for clients to
/// accept it. A service not listed gets the defaults (JSON errors, no `HEAD` beyond the
/// documented ones, no redirects, no bound headers).
fn served_facts(service_type: &str) -> ServiceFacts {
    let defaults = ServiceFacts::default();
    match service_type {
        // nova's routes mapper redirects its version root `/v2.1` to `/v2.1/`.
        "compute" => ServiceFacts { slash_redirect: true, ..defaults },
        // webob's errors: HTML unless the request asks for JSON.
        "image" => ServiceFacts { fault_media: FaultMedia::HtmlUnlessJsonAccepted, ..defaults },
        // Flask answers HEAD for GET; inspector 12.5 serves 1.0-1.18 and says so (F30).
        "baremetal-introspection" => ServiceFacts {
            head_from_get: true,
            max_microversion: Some(Microversion::new(1, 18)),
            microversion_bound_headers: Some(BoundHeaders {
                minimum: "X-OpenStack-Ironic-Inspector-API-Minimum-Version".into(),
                maximum: "X-OpenStack-Ironic-Inspector-API-Maximum-Version".into(),
            }),
            ..defaults
        },
        _ => defaults,
    }
}

fn header(name: &str, description: &str) -> (String, String) {
    (name.to_string(), description.to_string())
}

/// `x-openstack-request-id`, then a service's own request-id headers.
fn request_ids(own: &[&str]) -> Vec<String> {
    std::iter::once(REQUEST_ID_HEADER).chain(own.iter().copied()).map(String::from).collect()
}

/// keystonemiddleware's 401: `{"error": {"code": 401, "title": "Unauthorized", "message": "..."}}`.
fn keystone_unauthorized() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "title", "message"],
                "properties": {
                    "code": {"type": "integer"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    });
    Fault { name: "KeystoneUnauthorized".into(), schema, style: FaultStyle::ErrorObject }
}

/// `{"itemNotFound": {"code": 404, "message": "..."}}`: one key, named after the fault.
fn nova_fault() -> Fault {
    let schema = json!({
        "type": "object",
        "description": "A nova fault: one key naming the fault (`badRequest`, `itemNotFound`, ...).",
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "details": {"type": "string"},
            },
        },
    });
    Fault { name: "NovaFault".into(), schema, style: FaultStyle::NamedFault }
}

/// webob's JSON error body: `{"code": "404 Not Found", "title": "Not Found", "message": "..."}`.
fn webob_error() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["code", "title", "message"],
        "properties": {
            "code": {"type": "string"},
            "title": {"type": "string"},
            "message": {"type": "string"},
        },
    });
    Fault { name: "GlanceError".into(), schema, style: FaultStyle::Webob }
}

/// heat's fault middleware: webob's fields plus an `error` object and `explanation`.
fn heat_fault() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["code", "title", "explanation", "error"],
        "properties": {
            "code": {"type": "integer"},
            "title": {"type": "string"},
            "explanation": {"type": "string"},
            "error": {
                "type": "object",
                // heat leaves `message` out when the exception has none (a 400 for an
                // invalid `sort_dir` carries only `type` and `traceback`).
                "required": ["type"],
                "properties": {
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                    "traceback": {"type": "string", "nullable": true},
                },
            },
        },
    });
    Fault { name: "HeatFault".into(), schema, style: FaultStyle::Explanation }
}

/// `{"error": {"message": "..."}}`.
fn inspector_error() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string"}},
            },
        },
    });
    Fault { name: "InspectorError".into(), schema, style: FaultStyle::ErrorMessage }
}
