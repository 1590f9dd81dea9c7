//! How a spec asks for a microversion: which request header carries it, how its value is
//! spelled, and the highest version the spec describes. Clients, servers and the contract
//! tester all need the same answer, so it lives with the model.

use serde_json::Value;

use super::view::range_of;
use super::{OperationRef, Spec};
use crate::version::Microversion;

/// The header standardised across services; its value names the service type.
pub const STANDARD_HEADER: &str = "OpenStack-API-Version";

/// A microversion request header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicroversionHeader {
    pub name: String,
    /// Set for [`STANDARD_HEADER`], whose value is `<service> X.Y` (the service type, or
    /// the facts' `microversion-service`).
    pub service_type: Option<String>,
}

impl MicroversionHeader {
    /// The header value that asks for `version`.
    pub fn value(&self, version: Microversion) -> String {
        match &self.service_type {
            Some(service) => format!("{service} {version}"),
            None => version.to_string(),
        }
    }
}

impl Spec {
    /// The service type the spec's facts name (`info.x-stackspec.service-type`).
    pub fn service_type(&self) -> Option<&str> {
        self.facts.service_type.as_deref()
    }

    /// The microversion header `op` accepts, preferring the standard one over a legacy
    /// per-service header (nova documents both).
    pub fn microversion_header(&self, op: &OperationRef<'_>) -> Option<MicroversionHeader> {
        self.microversion_headers(op).into_iter().next()
    }

    /// Every microversion header `op` accepts, the standard one first. A server reads any
    /// of them and echoes all (nova answers both `OpenStack-API-Version` and
    /// `X-OpenStack-Nova-API-Version`).
    pub fn microversion_headers(&self, op: &OperationRef<'_>) -> Vec<MicroversionHeader> {
        let Some(params) = self.at(&op.pointer()).and_then(|o| o.get("parameters")) else {
            return Vec::new();
        };
        let mut names: Vec<&str> = params
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| self.resolve(p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("header"))
            .filter_map(|p| p.get("name")?.as_str())
            .filter(|n| n.to_ascii_lowercase().ends_with("api-version"))
            .collect();
        names.sort_by_key(|n| !n.eq_ignore_ascii_case(STANDARD_HEADER));
        let header = |name: &str| {
            let standard = name.eq_ignore_ascii_case(STANDARD_HEADER);
            let service_type =
                self.facts.microversion_service().filter(|_| standard).map(str::to_string);
            MicroversionHeader { name: name.to_string(), service_type }
        };
        names.into_iter().map(header).collect()
    }

    /// The highest microversion the document names, in an `x-openstack` range or as the
    /// version of a sample: a sample written for a version documents that the service
    /// serves it (ironic's firmware sample at 1.114, above every range's end).
    pub fn max_microversion(&self) -> Option<Microversion> {
        let mut best = None;
        walk_versions(&self.raw, &mut |v, _| best = best.max(Some(v)));
        best
    }

    /// The lowest microversion the document names, in an `x-openstack` range or as the
    /// version of a sample (`x-stackspec: {microversion: ...}`): the version a server
    /// assumes when a request asks for none (nova's 2.1 is only ever named by samples).
    pub fn min_microversion(&self) -> Option<Microversion> {
        let mut lowest: Option<Microversion> = None;
        walk_versions(&self.raw, &mut |v, _| lowest = Some(lowest.map_or(v, |l| l.min(v))));
        lowest
    }

    /// `node`, or what its `$ref` (a local `#/...` pointer) points at.
    pub fn resolve<'a>(&'a self, node: &'a Value) -> Option<&'a Value> {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => self.at(r.strip_prefix('#')?),
            None => Some(node),
        }
    }
}

/// Calls `found` with every version named under `node`: `x-openstack` range ends (`true`)
/// and sample versions (`false`).
fn walk_versions(node: &Value, found: &mut impl FnMut(Microversion, bool)) {
    match node {
        Value::Object(map) => {
            let r = range_of(node);
            r.min.into_iter().chain(r.max).for_each(|v| found(v, true));
            let sample = map.get("x-stackspec").and_then(|x| x.get("microversion"));
            if let Some(v) = sample.and_then(Value::as_str).and_then(|s| s.parse().ok()) {
                found(v, false);
            }
            map.values().for_each(|v| walk_versions(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| walk_versions(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1', x-stackspec: {service-type: compute}}
paths:
  /a:
    get:
      parameters:
      - $ref: '#/components/parameters/Legacy'
      - $ref: '#/components/parameters/Std'
      responses: {'200': {description: ok}}
      x-openstack: {min-ver: '2.1', max-ver: '2.10'}
  /b:
    get:
      parameters:
      - {name: X-Thing-API-Version, in: header, schema: {type: string}}
      responses: {'200': {description: ok, x-openstack: {min-ver: '2.9'}}}
components:
  parameters:
    Std: {name: OpenStack-API-Version, in: header, schema: {type: string}}
    Legacy: {name: X-OpenStack-Nova-API-Version, in: header, schema: {type: string}}
"#;

    #[test]
    fn lists_every_header_standard_first() {
        let spec = Spec::parse(Path::new("t.yaml"), DOC).unwrap();
        let ops: Vec<_> = spec.operations().collect();
        let names: Vec<_> =
            spec.microversion_headers(&ops[0]).into_iter().map(|h| h.name).collect();
        assert_eq!(names, ["OpenStack-API-Version", "X-OpenStack-Nova-API-Version"]);
        assert!(spec.microversion_headers(&ops[1])[0].service_type.is_none());
    }

    #[test]
    fn a_sample_version_below_every_range_is_the_minimum() {
        let doc =
            DOC.replace("x-openstack: {min-ver: '2.9'}", "x-stackspec: {microversion: '2.3'}");
        let spec = Spec::parse(Path::new("t.yaml"), &doc).unwrap();
        assert_eq!(spec.min_microversion(), Some(Microversion::new(2, 1)));
        let doc = doc.replace("min-ver: '2.1'", "min-ver: '2.5'");
        let spec = Spec::parse(Path::new("t.yaml"), &doc).unwrap();
        assert_eq!(spec.min_microversion(), Some(Microversion::new(2, 3)));
        assert_eq!(spec.max_microversion(), Some(Microversion::new(2, 10)));
        let doc =
            DOC.replace("x-openstack: {min-ver: '2.9'}", "x-stackspec: {microversion: '2.12'}");
        let spec = Spec::parse(Path::new("t.yaml"), &doc).unwrap();
        assert_eq!(spec.max_microversion(), Some(Microversion::new(2, 12)));
    }

    #[test]
    fn prefers_the_standard_header_and_spells_its_value_with_the_service_type() {
        let spec = Spec::parse(Path::new("t.yaml"), DOC).unwrap();
        let ops: Vec<_> = spec.operations().collect();
        let std = spec.microversion_header(&ops[0]).unwrap();
        assert_eq!(std.name, "OpenStack-API-Version");
        assert_eq!(std.value(Microversion::new(2, 10)), "compute 2.10");
        let legacy = spec.microversion_header(&ops[1]).unwrap();
        assert_eq!(legacy.name, "X-Thing-API-Version");
        assert_eq!(legacy.value(Microversion::new(1, 2)), "1.2");
    }

    #[test]
    fn the_highest_version_is_compared_numerically() {
        let spec = Spec::parse(Path::new("t.yaml"), DOC).unwrap();
        assert_eq!(spec.max_microversion(), Some(Microversion::new(2, 10)));
        assert_eq!(spec.min_microversion(), Some(Microversion::new(2, 1)));
        assert_eq!(spec.service_type(), Some("compute"));
    }
}
