//! The microversion a request asks for, read the way nova and ironic-inspector read it: from
//! the headers the spec declares (the standard `OpenStack-API-Version: compute 2.58` before a
//! legacy `X-OpenStack-Nova-API-Version: 2.58`), `latest` meaning the spec's highest, no
//! header meaning its lowest, and a version outside that range refused with 406. The version
//! chosen is echoed in every declared header, with `Vary` naming them, as the services do.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use stackspec_model::microversion::MicroversionHeader;
use stackspec_model::service::ServiceFacts;
use stackspec_model::version::Microversion;
use stackspec_model::Spec;
use stackspec_runtime::microversion::{self, Requested};

/// How a versioned service's mock reads and echoes microversions.
pub struct Versioning {
    /// The declared headers, the standard one first.
    headers: Vec<MicroversionHeader>,
    min: Microversion,
    max: Microversion,
}

/// Why a requested version is refused: the status and the fault message.
pub type Refusal = (u16, String);

impl Versioning {
    /// The versioning of `spec`, or `None` when no operation declares a microversion header
    /// or the document names no version (glance, heat). The highest version is the highest
    /// the document or its facts (`max-microversion`) name.
    pub fn of(spec: &Spec) -> Option<Self> {
        let mut headers: Vec<MicroversionHeader> = Vec::new();
        for op in spec.operations() {
            for h in spec.microversion_headers(&op) {
                if !headers.iter().any(|known| known.name.eq_ignore_ascii_case(&h.name)) {
                    headers.push(h);
                }
            }
        }
        headers.sort_by_key(|h| h.service_type.is_none());
        let min = spec.min_microversion()?;
        let named = [spec.max_microversion(), spec.facts.max_microversion];
        let max = named.into_iter().flatten().fold(min, Microversion::max);
        (!headers.is_empty()).then_some(Self { headers, min, max })
    }

    /// The version `request_headers` ask for: the first declared header that names this
    /// service, else the lowest version.
    pub fn requested(&self, request_headers: &HeaderMap) -> Result<Microversion, Refusal> {
        for declared in &self.headers {
            let Some(value) = request_headers.get(&declared.name).and_then(|v| v.to_str().ok())
            else {
                continue;
            };
            if let Some(text) = microversion::version_text(value, declared.service_type.as_deref())
            {
                return self.parse(text);
            }
        }
        Ok(self.min)
    }

    fn parse(&self, text: &str) -> Result<Microversion, Refusal> {
        let version = match microversion::parse(text) {
            Ok(Requested::Latest) => return Ok(self.max),
            Ok(Requested::Version(major, minor)) => Microversion::new(major, minor),
            Err(_) => {
                let message = format!(
                    "API Version String {text} is of invalid format. Must be of format MajorNum.MinorNum."
                );
                return Err((400, message));
            }
        };
        if version < self.min || version > self.max {
            let (min, max) = (self.min, self.max);
            let message = format!(
                "Version {version} is not supported by the API. Minimum is {min} and maximum is {max}."
            );
            return Err((406, message));
        }
        Ok(version)
    }

    /// Names the lowest and highest version in the headers the service's facts name for
    /// them (inspector's `...-API-Minimum-Version`), if any.
    pub fn announce_bounds(&self, facts: &ServiceFacts, response_headers: &mut HeaderMap) {
        let Some(names) = &facts.microversion_bound_headers else { return };
        for (name, version) in [(&names.minimum, self.min), (&names.maximum, self.max)] {
            let name = HeaderName::from_bytes(name.as_bytes());
            if let (Ok(name), Ok(value)) = (name, HeaderValue::from_str(&version.to_string())) {
                response_headers.insert(name, value);
            }
        }
    }

    /// Echoes `version` in every declared header and names them in `Vary`.
    pub fn echo(&self, version: Microversion, response_headers: &mut HeaderMap) {
        for declared in &self.headers {
            let name = HeaderName::from_bytes(declared.name.as_bytes());
            let value = HeaderValue::from_str(&declared.value(version));
            if let (Ok(name), Ok(value)) = (name, value) {
                response_headers.insert(name, value);
            }
        }
        let names: Vec<&str> = self.headers.iter().map(|h| h.name.as_str()).collect();
        if let Ok(vary) = HeaderValue::from_str(&names.join(", ")) {
            response_headers.append(header::VARY, vary);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Two operations (2.1 .. 2.10 between them), the headers split over them.
    const DOC: &str = r#"{"openapi": "3.0.3",
      "info": {"title": "t", "version": "1", "x-stackspec": {"service-type": "compute"}},
      "paths": {"/old": {"get": {"responses": {}, "x-openstack": {"min-ver": "2.1"},
                "parameters": [{"name": "X-OpenStack-Nova-API-Version", "in": "header", "schema": {}}]}},
                "/new": {"get": {"responses": {}, "x-openstack": {"max-ver": "2.10"},
                "parameters": [{"name": "OpenStack-API-Version", "in": "header", "schema": {}}]}}}}"#;

    fn versioning() -> Versioning {
        Versioning::of(&Spec::parse(Path::new("t.yaml"), DOC).unwrap()).unwrap()
    }

    fn ask(pairs: &[(&'static str, &'static str)]) -> Result<Microversion, Refusal> {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        versioning().requested(&headers)
    }

    #[test]
    fn the_standard_header_wins_and_other_services_entries_are_ignored() {
        let both =
            [("openstack-api-version", "compute 2.5"), ("x-openstack-nova-api-version", "2.3")];
        assert_eq!(ask(&both), Ok(Microversion::new(2, 5)));
        let other =
            [("openstack-api-version", "image 2.5"), ("x-openstack-nova-api-version", "2.3")];
        assert_eq!(ask(&other), Ok(Microversion::new(2, 3)));
        let listed = [("openstack-api-version", "image 2.5, compute latest")];
        assert_eq!(ask(&listed), Ok(Microversion::new(2, 10)));
        assert_eq!(ask(&[]), Ok(Microversion::new(2, 1)));
    }

    #[test]
    fn out_of_range_is_406_and_malformed_is_400() {
        assert_eq!(ask(&[("x-openstack-nova-api-version", "2.11")]).unwrap_err().0, 406);
        assert_eq!(ask(&[("x-openstack-nova-api-version", "1.0")]).unwrap_err().0, 406);
        assert_eq!(ask(&[("openstack-api-version", "compute 2.x")]).unwrap_err().0, 400);
    }

    #[test]
    fn every_header_is_echoed_and_varied_on() {
        let mut headers = HeaderMap::new();
        versioning().echo(Microversion::new(2, 7), &mut headers);
        assert_eq!(headers["openstack-api-version"], "compute 2.7");
        assert_eq!(headers["x-openstack-nova-api-version"], "2.7");
        assert_eq!(headers[header::VARY], "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
    }
}
