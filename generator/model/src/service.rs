//! What a spec says about the service behind it, beyond its operations: the facts a client,
//! a server stub, a mock and the contract tester all need and the api-ref prose never states
//! (the shape of error bodies, the microversion headers, the request-id header).
//!
//! They travel in the document as `info.x-stackspec`, written by the transcriber from its
//! one per-service table, so that no later stage matches on a service's name:
//!
//! ```yaml
//! info:
//!   x-stackspec:
//!     service-type: compute
//!     fault-style: named-fault
//!     microversion-headers: [OpenStack-API-Version, X-OpenStack-Nova-API-Version]
//!     request-id-headers: [x-openstack-request-id, x-compute-request-id]
//! ```
//!
//! A document without the block (one written by hand, or OpenStack's published specs) gets
//! [`ServiceFacts::default`]: no service type, the `error-message` fault shape, no
//! microversion headers, `x-openstack-request-id`.

use serde::{Deserialize, Serialize};

use crate::version::Microversion;

/// The header every OpenStack service sends with the id of a request (oslo.middleware).
pub const REQUEST_ID_HEADER: &str = "x-openstack-request-id";

/// Facts about the service a spec describes (`info.x-stackspec`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ServiceFacts {
    /// The service-catalog type (`compute`), which the standard microversion header's value
    /// also names (`OpenStack-API-Version: compute 2.58`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// The shape of the service's own error bodies.
    #[serde(default)]
    pub fault_style: FaultStyle,
    /// The request headers that select a microversion, the one to prefer first; empty for a
    /// service without microversions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub microversion_headers: Vec<String>,
    /// The name the standard microversion header's value gives the service when it is not
    /// the service type (cinder reads `OpenStack-API-Version: volume 3.59`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub microversion_service: Option<String>,
    /// The response headers carrying the request id, the one every response has first.
    #[serde(default = "default_request_id_headers")]
    pub request_id_headers: Vec<String>,
    /// The shape of a 401 when it is not [`Self::fault_style`] (keystonemiddleware answers
    /// in front of nova and heat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauthorized_style: Option<FaultStyle>,
    /// The media type of the service's own error bodies.
    #[serde(default, skip_serializing_if = "is_default")]
    pub fault_media: FaultMedia,
    /// Whether the service's framework answers `HEAD` wherever the document has `GET`
    /// (Flask does; routes-based WSGI services answer 405).
    #[serde(default, skip_serializing_if = "is_default")]
    pub head_from_get: bool,
    /// Whether a `GET` of a path without its trailing slash redirects (302) to the
    /// documented path with one (nova's `/v2.1` → `/v2.1/`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub slash_redirect: bool,
    /// The highest microversion the service serves, where the document's own ranges stop
    /// lower (inspector's api-ref names none past 1.0; inspector 12.5 serves 1.18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_microversion: Option<Microversion>,
    /// Response headers naming the lowest and highest microversion, sent on every response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub microversion_bound_headers: Option<BoundHeaders>,
}

/// The names of the headers a service announces its microversion range in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BoundHeaders {
    pub minimum: String,
    pub maximum: String,
}

/// The media type a service's error bodies come in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultMedia {
    /// Always JSON.
    #[default]
    Json,
    /// webob's choice: JSON when the request's `Accept` prefers `application/json` to
    /// `text/html`, else an HTML page (glance).
    HtmlUnlessJsonAccepted,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Default for ServiceFacts {
    fn default() -> Self {
        Self {
            service_type: None,
            fault_style: FaultStyle::default(),
            microversion_headers: Vec::new(),
            microversion_service: None,
            request_id_headers: default_request_id_headers(),
            unauthorized_style: None,
            fault_media: FaultMedia::default(),
            head_from_get: false,
            slash_redirect: false,
            max_microversion: None,
            microversion_bound_headers: None,
        }
    }
}

fn default_request_id_headers() -> Vec<String> {
    vec![REQUEST_ID_HEADER.to_string()]
}

impl ServiceFacts {
    /// The request-id header every response carries.
    pub fn request_id_header(&self) -> &str {
        self.request_id_headers.first().map_or(REQUEST_ID_HEADER, String::as_str)
    }

    /// The service the standard microversion header's value names (`volume` in
    /// `OpenStack-API-Version: volume 3.59`): the service type unless the facts say otherwise.
    pub fn microversion_service(&self) -> Option<&str> {
        self.microversion_service.as_deref().or(self.service_type.as_deref())
    }

    /// A microversion header other than the standard one (nova's
    /// `X-OpenStack-Nova-API-Version`), read when the standard one is absent.
    pub fn legacy_microversion_header(&self) -> Option<&str> {
        self.microversion_headers
            .iter()
            .map(String::as_str)
            .find(|h| !h.eq_ignore_ascii_case(crate::microversion::STANDARD_HEADER))
    }
}

/// The shape of a service's error bodies: the runtime's, which renders and reads them.
pub use stackspec_runtime::FaultStyle;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_read_and_write_in_the_spec_spelling() {
        let yaml = "service-type: compute\nfault-style: named-fault\nmicroversion-headers:\n- OpenStack-API-Version\n- X-OpenStack-Nova-API-Version\nrequest-id-headers:\n- x-openstack-request-id\n- x-compute-request-id\n";
        let facts: ServiceFacts = serde_norway::from_str(yaml).unwrap();
        assert_eq!(facts.service_type.as_deref(), Some("compute"));
        assert_eq!(facts.fault_style, FaultStyle::NamedFault);
        assert_eq!(facts.legacy_microversion_header(), Some("X-OpenStack-Nova-API-Version"));
        assert_eq!(serde_norway::to_string(&facts).unwrap(), yaml);
    }

    #[test]
    fn the_served_facts_read_and_write_and_their_defaults_are_left_out() {
        let yaml = "fault-style: webob\nrequest-id-headers:\n- x-openstack-request-id\nunauthorized-style: error-object\nfault-media: html-unless-json-accepted\nhead-from-get: true\nslash-redirect: true\nmax-microversion: '1.18'\nmicroversion-bound-headers:\n  minimum: X-Min\n  maximum: X-Max\n";
        let facts: ServiceFacts = serde_norway::from_str(yaml).unwrap();
        assert_eq!(facts.fault_media, FaultMedia::HtmlUnlessJsonAccepted);
        assert_eq!(facts.max_microversion, Some(Microversion::new(1, 18)));
        assert_eq!(
            facts.microversion_bound_headers.as_ref().map(|b| b.maximum.as_str()),
            Some("X-Max")
        );
        assert_eq!(serde_norway::to_string(&facts).unwrap(), yaml);
        let written = serde_norway::to_string(&ServiceFacts::default()).unwrap();
        assert_eq!(
            written,
            "fault-style: error-message\nrequest-id-headers:\n- x-openstack-request-id\n"
        );
        let err = serde_norway::from_str::<ServiceFacts>("max-microversion: latest").unwrap_err();
        assert!(err.to_string().contains("expected a microversion"), "{err}");
    }

    #[test]
    fn an_empty_block_means_the_defaults() {
        let facts: ServiceFacts = serde_norway::from_str("{}").unwrap();
        assert_eq!(facts, ServiceFacts::default());
        assert_eq!(facts.request_id_header(), REQUEST_ID_HEADER);
        assert_eq!(facts.legacy_microversion_header(), None);
    }

    #[test]
    fn an_unknown_fact_or_style_is_refused() {
        let err = serde_norway::from_str::<ServiceFacts>("fault-stile: webob").unwrap_err();
        assert!(err.to_string().contains("unknown field `fault-stile`"), "{err}");
        let err = serde_norway::from_str::<ServiceFacts>("fault-style: html").unwrap_err();
        assert!(err.to_string().contains("unknown variant `html`"), "{err}");
        let style: ServiceFacts = serde_norway::from_str("fault-style: error-object").unwrap();
        assert_eq!(style.fault_style, FaultStyle::ErrorObject);
    }

    #[test]
    fn the_standard_header_names_the_microversion_service_else_the_service_type() {
        let cinder: ServiceFacts =
            serde_norway::from_str("service-type: block-storage\nmicroversion-service: volume")
                .unwrap();
        assert_eq!(cinder.microversion_service(), Some("volume"));
        let nova: ServiceFacts = serde_norway::from_str("service-type: compute").unwrap();
        assert_eq!(nova.microversion_service(), Some("compute"));
        assert_eq!(ServiceFacts::default().microversion_service(), None);
    }
}
