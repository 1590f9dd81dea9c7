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
    /// Set for [`STANDARD_HEADER`], whose value is `<service type> X.Y`.
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
    /// The service type recorded in `info.description` (`Service type: `image`.`).
    pub fn service_type(&self) -> Option<&str> {
        let description = self.raw.pointer("/info/description")?.as_str()?;
        let rest = description.split("Service type: `").nth(1)?;
        rest.split('`').next().filter(|s| !s.is_empty())
    }

    /// The microversion header `op` accepts, preferring the standard one over a legacy
    /// per-service header (nova documents both).
    pub fn microversion_header(&self, op: &OperationRef<'_>) -> Option<MicroversionHeader> {
        let params = self.at(&op.pointer())?.get("parameters")?.as_array()?;
        let names: Vec<&str> = params
            .iter()
            .filter_map(|p| self.resolve(p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("header"))
            .filter_map(|p| p.get("name")?.as_str())
            .filter(|n| n.to_ascii_lowercase().ends_with("api-version"))
            .collect();
        let standard = names.iter().find(|n| n.eq_ignore_ascii_case(STANDARD_HEADER));
        let name = standard.or(names.first())?;
        let service_type = standard.and(self.service_type()).map(str::to_string);
        Some(MicroversionHeader { name: name.to_string(), service_type })
    }

    /// The highest microversion any `x-openstack` range in the document names.
    pub fn max_microversion(&self) -> Option<Microversion> {
        fn walk(node: &Value, best: &mut Option<Microversion>) {
            match node {
                Value::Object(map) => {
                    let r = range_of(node);
                    *best = [*best, r.min, r.max].into_iter().flatten().max();
                    map.values().for_each(|v| walk(v, best));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, best)),
                _ => {}
            }
        }
        let mut best = None;
        walk(&self.raw, &mut best);
        best
    }

    /// `node`, or what its `$ref` (a local `#/...` pointer) points at.
    pub fn resolve<'a>(&'a self, node: &'a Value) -> Option<&'a Value> {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => self.at(r.strip_prefix('#')?),
            None => Some(node),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1', description: 'Service type: `compute`.'}
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
        assert_eq!(spec.service_type(), Some("compute"));
    }
}
