//! Request schemas as a microversion sees them (`model::view::at_version`), compiled the
//! first time a request asks at that version and kept: a service names a hundred versions,
//! a client uses a few.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::{Map, Value};
use stackspec_model::json_schema::{self, Options};
use stackspec_model::version::Microversion;

/// The document's `components/schemas`, shared by every validator of one mock.
pub type Components = Arc<Option<Map<String, Value>>>;

/// What a local `$ref` to `#/components/schemas/NAME` names, else `schema` itself.
pub fn resolve<'a>(schema: &'a Value, components: &'a Components) -> &'a Value {
    let name = schema.get("$ref").and_then(Value::as_str);
    let name = name.and_then(|r| r.strip_prefix("#/components/schemas/"));
    let found = name.and_then(|n| components.as_ref().as_ref()?.get(n));
    found.unwrap_or(schema)
}

/// One schema, compiled per microversion.
pub struct VersionedValidator {
    schema: Value,
    components: Components,
    compiled: RwLock<HashMap<Option<Microversion>, Arc<jsonschema::Validator>>>,
}

impl VersionedValidator {
    /// Compiles `schema` as written (no version), so that a schema that cannot compile is
    /// an error when the mock starts rather than on some request.
    pub fn new(schema: &Value, components: Components) -> Result<Self, String> {
        let this = Self { schema: schema.clone(), components, compiled: RwLock::default() };
        this.at(None)?;
        Ok(this)
    }

    /// The validator of the schema as `version` sees it (`None`: as written).
    pub fn at(&self, version: Option<Microversion>) -> Result<Arc<jsonschema::Validator>, String> {
        let known = self.compiled.read().unwrap_or_else(|p| p.into_inner()).get(&version).cloned();
        if let Some(validator) = known {
            return Ok(validator);
        }
        let options = Options { version, ..Options::default() };
        let compiled = Arc::new(json_schema::validator(
            &self.schema,
            self.components.as_ref().as_ref(),
            options,
        )?);
        let mut cache = self.compiled.write().unwrap_or_else(|p| p.into_inner());
        Ok(cache.entry(version).or_insert(compiled).clone())
    }

    /// The first violation of `instance` at `version`.
    pub fn first_violation(
        &self,
        version: Option<Microversion>,
        instance: &Value,
    ) -> Result<Option<json_schema::Violation>, String> {
        Ok(json_schema::violations(&*self.at(version)?, instance).into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Found by the `mock_request` fuzz target in CI: placement's `PUT
    /// /resource_providers/{uuid}/aggregates` body is an array from 1.1 and an object from
    /// 1.19, so at 1.0 no branch is left; the validator failed to compile ("[] has less
    /// than 1 item") and the mock answered 500 instead of refusing the body.
    #[test]
    fn a_body_at_a_version_before_every_one_of_branch_is_refused_not_a_server_error() {
        let schema = json!({"oneOf": [
            {"type": "array", "x-openstack": {"min-ver": "1.1", "max-ver": "1.18"}},
            {"type": "object", "x-openstack": {"min-ver": "1.19"}},
        ]});
        let validator = VersionedValidator::new(&schema, Arc::new(None)).unwrap();
        let early = validator.first_violation(Some(Microversion::new(1, 0)), &json!(["a"]));
        assert!(early.is_ok_and(|v| v.is_some()));
        let fits = validator.first_violation(Some(Microversion::new(1, 1)), &json!(["a"]));
        assert!(fits.is_ok_and(|v| v.is_none()));
    }

    #[test]
    fn a_property_added_later_is_only_checked_from_its_version() {
        let schema = json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {"tag": {"type": "string", "x-openstack": {"min-ver": "2.52"}}},
        });
        let validator = VersionedValidator::new(&schema, Arc::new(None)).unwrap();
        let body = json!({"tag": "x"});
        let old = validator.first_violation(Some(Microversion::new(2, 1)), &body).unwrap();
        assert!(old.is_some_and(|v| v.message.contains("tag")));
        let new = validator.first_violation(Some(Microversion::new(2, 52)), &body).unwrap();
        assert_eq!(new, None);
    }
}
