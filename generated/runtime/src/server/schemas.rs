//! A service's JSON Schemas: one document per service (`schemas.json`, generated beside the
//! server module), its request bodies under `$defs` sharing the converted
//! `components/schemas`. The document is read once; each body's validator is compiled the
//! first time a body is checked against it.

use std::sync::OnceLock;

use jsonschema::{Draft, Registry, Validator};
use serde_json::Value;

use super::Fault;

/// A service's schema document, parsed on first use.
pub struct Schemas {
    /// The document's URI, under which `$ref`s to it resolve.
    uri: &'static str,
    text: &'static str,
    registry: OnceLock<Result<Registry<'static>, String>>,
}

impl Schemas {
    pub const fn new(uri: &'static str, text: &'static str) -> Self {
        Self { uri, text, registry: OnceLock::new() }
    }

    fn registry(&self) -> Result<&Registry<'static>, String> {
        let prepared = self.registry.get_or_init(|| {
            let document: Value = serde_json::from_str(self.text).map_err(|e| e.to_string())?;
            let builder = Registry::new().add(self.uri, document).map_err(|e| e.to_string())?;
            builder.prepare().map_err(|e| e.to_string())
        });
        prepared.as_ref().map_err(Clone::clone)
    }
}

/// One request body's schema: `$defs/<def>` of a service's [`Schemas`].
pub struct BodySchema {
    schemas: &'static Schemas,
    def: &'static str,
    compiled: OnceLock<Result<Validator, String>>,
}

impl BodySchema {
    pub const fn new(schemas: &'static Schemas, def: &'static str) -> Self {
        Self { schemas, def, compiled: OnceLock::new() }
    }

    fn compile(&self) -> Result<Validator, String> {
        let registry = self.schemas.registry()?;
        let reference =
            serde_json::json!({ "$ref": format!("{}#/$defs/{}", self.schemas.uri, self.def) });
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(registry)
            .build(&reference)
            .map_err(|e| e.to_string())
    }

    /// Refuses (400) a body the schema rejects, saying where and why; a schema that does not
    /// compile is the server's fault (500).
    pub fn check(&self, body: &Value) -> Result<(), Fault> {
        let compiled = self.compiled.get_or_init(|| self.compile());
        let validator = compiled.as_ref().map_err(|e| {
            Fault::new(500, format!("the schema `{}` does not compile: {e}", self.def))
        })?;
        match validator.iter_errors(body).next() {
            Some(e) => {
                Err(Fault::new(400, format!("invalid body at `{}`: {e}", e.instance_path())))
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    static SCHEMAS: Schemas = Schemas::new(
        "https://stackspec.invalid/t/schemas.json",
        r##"{"$defs": {"create": {"$ref": "#/components/schemas/Thing"}},
             "components": {"schemas": {"Thing": {"type": "object", "required": ["name"],
               "properties": {"name": {"type": "string", "maxLength": 3}}}}}}"##,
    );
    static CREATE: BodySchema = BodySchema::new(&SCHEMAS, "create");
    static MISSING: BodySchema = BodySchema::new(&SCHEMAS, "missing");

    #[test]
    fn a_body_is_held_to_its_def_and_the_shared_components() {
        assert_eq!(CREATE.check(&json!({"name": "abc"})), Ok(()));
        let refused = CREATE.check(&json!({"name": "abcd"})).unwrap_err();
        assert_eq!(refused.status, 400);
        assert!(refused.message.starts_with("invalid body at `/name`"), "{}", refused.message);
        assert_eq!(CREATE.check(&json!({})).unwrap_err().status, 400);
    }

    #[test]
    fn a_def_that_is_not_there_is_a_500_naming_it() {
        let fault = MISSING.check(&json!({})).unwrap_err();
        assert_eq!(fault.status, 500);
        assert!(fault.message.contains("`missing`"), "{}", fault.message);
    }
}
