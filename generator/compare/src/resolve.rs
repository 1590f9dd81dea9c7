//! Following local `$ref`s (`#/components/schemas/X`) in one document, with errors that name
//! the file and the pointer of the reference.

use std::path::Path;

use serde_json::Value;

use crate::CompareError;

/// One loaded document: its raw JSON and the file it came from (for errors).
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub file: &'a Path,
    pub raw: &'a Value,
}

/// A chain of references longer than this is taken for a cycle.
const MAX_HOPS: usize = 64;

impl<'a> Document<'a> {
    pub fn new(file: &'a Path, raw: &'a Value) -> Self {
        Self { file, raw }
    }

    /// The node `reference` (written at `from`) names, and its pointer, following a chain
    /// of references to the first node that is not one.
    pub fn resolve(
        &self,
        reference: &str,
        from: &str,
    ) -> Result<(&'a Value, String), CompareError> {
        let mut target = reference.to_string();
        for _ in 0..MAX_HOPS {
            let pointer =
                target.strip_prefix('#').ok_or_else(|| self.unresolved(reference, from))?;
            let node = self.raw.pointer(pointer).ok_or_else(|| self.unresolved(reference, from))?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(next) => target = next.to_string(),
                None => return Ok((node, pointer.to_string())),
            }
        }
        Err(CompareError::RefCycle { file: self.file.to_path_buf(), pointer: from.to_string() })
    }

    /// The node at `pointer`, itself or the node its `$ref` names.
    pub fn node(
        &self,
        node: &'a Value,
        pointer: &str,
    ) -> Result<(&'a Value, String), CompareError> {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.resolve(reference, pointer),
            None => Ok((node, pointer.to_string())),
        }
    }

    fn unresolved(&self, reference: &str, from: &str) -> CompareError {
        CompareError::UnresolvedRef {
            file: self.file.to_path_buf(),
            pointer: from.to_string(),
            reference: reference.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chains_resolve_and_bad_references_name_where_they_were_written() {
        let raw = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}, "loop": {"$ref": "#/loop"}});
        let doc = Document::new(Path::new("t.yaml"), &raw);
        let (node, at) = doc.resolve("#/b", "/a").unwrap();
        assert_eq!((node, at.as_str()), (&json!({"type": "string"}), "/c"));
        let missing = doc.resolve("#/nope", "/x/schema").unwrap_err().to_string();
        assert_eq!(missing, "t.yaml: at /x/schema: `$ref` `#/nope` does not resolve (expected a local `#/...` pointer into the document)");
        let cycle = doc.resolve("#/loop", "/loop").unwrap_err().to_string();
        assert!(cycle.contains("in a cycle"), "{cycle}");
    }
}
