//! What the api-ref text does not say but a spec must: each service's error body shape and
//! microversion headers. Shapes are those the services' WSGI stacks produce (nova's fault
//! wrapper, also cinder's and manila's; webob's JSON errors in glance; heat's fault
//! middleware; inspector's `error` object; keystone's `error` object; neutron's
//! `NeutronError`; wsme's `faultstring` in octavia, and JSON-encoded in ironic; the API
//! working group's `errors` list in placement and magnum; designate's typed code); the
//! real-cloud conformance run holds the first four services' to it. swift answers errors
//! with short HTML pages and gets no fault schema.

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
    /// What the standard header's value calls the service when that is not its type
    /// (cinder's `volume`, magnum's `container-infra`).
    pub service: Option<String>,
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
            microversion_service: self.microversions.as_ref().and_then(|m| m.service.clone()),
            request_id_headers: self.request_id_headers.clone(),
            unauthorized_style: self.unauthorized.as_ref().map(|f| f.style),
            ..served_facts(&self.service_type)
        }
    }

    /// The built-in profile of `service_type`, else the generic one: what `stackspec
    /// transcribe --service-type` selects.
    pub fn for_service(service_type: &str) -> Self {
        Self::builtin(service_type).unwrap_or_else(|| Self::generic(service_type))
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
                    service: None,
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
                    service: None,
                }),
                fault: Some(inspector_error()),
                unauthorized: None,
                request_id_headers: request_ids(&[]),
            },
            "identity" => Self {
                service_type: "identity".into(),
                title: "OpenStack Identity API v3 (keystone)".into(),
                microversions: None,
                fault: Some(keystone_error()),
                unauthorized: None,
                request_id_headers: request_ids(&[]),
            },
            "block-storage" => Self {
                service_type: "block-storage".into(),
                title: "OpenStack Block Storage API v3 (cinder)".into(),
                microversions: Some(Microversions {
                    headers: vec![header(
                        "OpenStack-API-Version",
                        "The microversion, as `volume 3.Y` (or `volume latest`).",
                    )],
                    base: Microversion::new(3, 0),
                    service: Some("volume".into()),
                }),
                fault: Some(named_fault("CinderFault", "A cinder fault")),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "network" => Self {
                service_type: "network".into(),
                title: "OpenStack Networking API v2 (neutron)".into(),
                microversions: None,
                fault: Some(neutron_error()),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "baremetal" => Self {
                service_type: "baremetal".into(),
                title: "OpenStack Bare Metal API v1 (ironic)".into(),
                microversions: Some(Microversions {
                    headers: vec![header(
                        "X-OpenStack-Ironic-API-Version",
                        "The microversion, as `1.Y` (or `latest`).",
                    )],
                    base: Microversion::new(1, 1),
                    service: None,
                }),
                fault: Some(ironic_error()),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&["openstack-request-id"]),
            },
            "placement" => Self {
                service_type: "placement".into(),
                title: "OpenStack Placement API (placement)".into(),
                microversions: Some(Microversions {
                    headers: vec![header(
                        "OpenStack-API-Version",
                        "The microversion, as `placement 1.Y` (or `placement latest`).",
                    )],
                    base: Microversion::new(1, 0),
                    service: None,
                }),
                fault: Some(errors_list("PlacementErrors")),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "load-balancer" => Self {
                service_type: "load-balancer".into(),
                title: "OpenStack Load Balancer API v2 (octavia)".into(),
                microversions: None,
                fault: Some(octavia_fault()),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "shared-file-system" => Self {
                service_type: "shared-file-system".into(),
                title: "OpenStack Shared File Systems API v2 (manila)".into(),
                microversions: Some(Microversions {
                    headers: vec![header(
                        "X-OpenStack-Manila-API-Version",
                        "The microversion, as `2.Y` (or `latest`).",
                    )],
                    base: Microversion::new(2, 0),
                    service: None,
                }),
                fault: Some(named_fault("ManilaFault", "A manila fault")),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "dns" => Self {
                service_type: "dns".into(),
                title: "OpenStack DNS API v2 (designate)".into(),
                microversions: None,
                fault: Some(designate_error()),
                unauthorized: Some(keystone_unauthorized()),
                request_id_headers: request_ids(&[]),
            },
            "object-store" => Self {
                service_type: "object-store".into(),
                title: "OpenStack Object Storage API v1 (swift)".into(),
                microversions: None,
                // swift's errors are short HTML pages, not JSON: no fault schema to hold.
                fault: None,
                unauthorized: None,
                // Every swift response carries both, `X-Trans-Id` first named.
                request_id_headers: request_ids(&["x-trans-id"]),
            },
            "container-infrastructure-management" => Self {
                service_type: "container-infrastructure-management".into(),
                title: "OpenStack Container Infrastructure Management API v1 (magnum)".into(),
                microversions: Some(Microversions {
                    headers: vec![header(
                        "OpenStack-API-Version",
                        "The microversion, as `container-infra 1.Y` (or `container-infra latest`).",
                    )],
                    base: Microversion::new(1, 1),
                    service: Some("container-infra".into()),
                }),
                fault: Some(errors_list("MagnumErrors")),
                unauthorized: Some(keystone_unauthorized()),
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
    Fault {
        name: "KeystoneUnauthorized".into(),
        schema: error_object(),
        style: FaultStyle::ErrorObject,
    }
}

/// keystone's own errors, in the shape its middleware also answers 401 in.
fn keystone_error() -> Fault {
    Fault { name: "KeystoneError".into(), schema: error_object(), style: FaultStyle::ErrorObject }
}

/// `{"error": {"code": 404, "title": "Not Found", "message": "..."}}`.
fn error_object() -> Value {
    json!({
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
    })
}

/// `{"itemNotFound": {"code": 404, "message": "..."}}`: one key, named after the fault.
fn nova_fault() -> Fault {
    named_fault("NovaFault", "A nova fault")
}

/// nova's fault wrapper, which cinder and manila share: `what` is the sentence's subject.
fn named_fault(name: &str, what: &str) -> Fault {
    let schema = json!({
        "type": "object",
        "description": format!("{what}: one key naming the fault (`badRequest`, `itemNotFound`, ...)."),
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
    Fault { name: name.into(), schema, style: FaultStyle::NamedFault }
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

/// neutron's `{"NeutronError": {"type": "NetworkNotFound", "message": "...", "detail": ""}}`.
fn neutron_error() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["NeutronError"],
        "properties": {
            "NeutronError": {
                "type": "object",
                "required": ["type", "message"],
                "properties": {
                    "type": {"type": "string"},
                    "message": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    });
    Fault { name: "NeutronError".into(), schema, style: FaultStyle::NeutronError }
}

/// wsme's fault body: `{"faultcode": "Client", "faultstring": "...", "debuginfo": null}`.
fn wsme_fault() -> Value {
    json!({
        "type": "object",
        "required": ["faultcode", "faultstring"],
        "properties": {
            "faultcode": {"type": "string"},
            "faultstring": {"type": "string"},
            "debuginfo": {"type": "string", "nullable": true},
        },
    })
}

/// octavia answers wsme's fault body as it is.
fn octavia_fault() -> Fault {
    Fault { name: "OctaviaFault".into(), schema: wsme_fault(), style: FaultStyle::Faultstring }
}

/// ironic's `{"error_message": "{\"faultstring\": ...}"}`: wsme's fault, JSON-encoded into
/// a string, which a schema can only say is a string.
fn ironic_error() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["error_message"],
        "properties": {
            "error_message": {
                "type": "string",
                "description": "wsme's fault (`faultcode`, `faultstring`, `debuginfo`) as JSON text.",
            },
        },
    });
    Fault { name: "IronicError".into(), schema, style: FaultStyle::EncodedFaultstring }
}

/// The API working group's errors guideline: `{"errors": [{"status": 404, "title": "Not
/// Found", "detail": "..."}]}` (placement adds a `code` from 1.23, magnum `links`).
fn errors_list(name: &str) -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["status", "title", "detail"],
                    "properties": {
                        "status": {"type": "integer"},
                        "title": {"type": "string"},
                        "detail": {"type": "string"},
                        "code": {"type": "string"},
                        "request_id": {"type": "string"},
                        "links": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
    });
    Fault { name: name.into(), schema, style: FaultStyle::ErrorsList }
}

/// designate's `{"code": 404, "type": "zone_not_found", "message": "...", "request_id": "..."}`
/// (`message` is absent from some validation errors, which list `errors` instead).
fn designate_error() -> Fault {
    let schema = json!({
        "type": "object",
        "required": ["code", "type"],
        "properties": {
            "code": {"type": "integer"},
            "type": {"type": "string"},
            "message": {"type": "string"},
            "request_id": {"type": "string"},
            "errors": {"type": "object"},
        },
    });
    Fault { name: "DesignateError".into(), schema, style: FaultStyle::TypedCode }
}
