//! JSON values paired with the pointer where they live, and local `$ref` resolution. The diff
//! reports changes at the pointer of what changed, so a change inside a shared component is
//! reported at the component, not at each place that references it.

use serde_json::Value;

use super::DiffError;
use stackspec_model::{escape_pointer, Spec};

/// A value in one document and its JSON pointer.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub spec: &'a Spec,
    pub pointer: String,
    pub value: &'a Value,
}

/// `$ref` chains longer than this are cycles (`A: {$ref: B}`, `B: {$ref: A}`).
const MAX_REF_CHAIN: usize = 32;

impl<'a> Node<'a> {
    /// The document's root.
    pub fn root(spec: &'a Spec) -> Self {
        Self { spec, pointer: String::new(), value: &spec.raw }
    }

    /// The member `key` of an object.
    pub fn child(&self, key: &str) -> Option<Self> {
        let value = self.value.get(key)?;
        Some(self.at(format!("{}/{}", self.pointer, escape_pointer(key)), value))
    }

    /// The members of an object member `key`, in document order (none if it is absent).
    pub fn members(&self, key: &str) -> Vec<(&'a str, Self)> {
        let Some(map) = self.value.get(key).and_then(Value::as_object) else {
            return Vec::new();
        };
        let base = format!("{}/{}", self.pointer, escape_pointer(key));
        map.iter()
            .map(|(k, v)| (k.as_str(), self.at(format!("{base}/{}", escape_pointer(k)), v)))
            .collect()
    }

    /// The items of an array member `key` (none if it is absent).
    pub fn items(&self, key: &str) -> Vec<Self> {
        let Some(items) = self.value.get(key).and_then(Value::as_array) else {
            return Vec::new();
        };
        let base = format!("{}/{}", self.pointer, escape_pointer(key));
        let at = |(i, v)| self.at(format!("{base}/{i}"), v);
        items.iter().enumerate().map(at).collect()
    }

    /// A string member.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key)?.as_str()
    }

    /// A boolean member, `false` when absent.
    pub fn flag(&self, key: &str) -> bool {
        self.value.get(key).and_then(Value::as_bool) == Some(true)
    }

    /// The property this schema is, as a message prefix (`` `name`: ``); empty for a schema
    /// that is not a property (a body, an array's items).
    pub fn label(&self) -> String {
        let mut tokens = self.pointer.rsplit('/');
        match (tokens.next(), tokens.next()) {
            (Some(name), Some("properties")) => {
                format!("`{}`: ", name.replace("~1", "/").replace("~0", "~"))
            }
            _ => String::new(),
        }
    }

    /// Follows `$ref`s to the value they name; a value without one is returned as is.
    pub fn resolve(&self) -> Result<Self, DiffError> {
        let mut node = self.clone();
        for _ in 0..MAX_REF_CHAIN {
            let Some(reference) = node.str("$ref") else {
                return Ok(node);
            };
            let unresolved = || DiffError::UnresolvedRef {
                file: self.spec.path.clone(),
                pointer: node.pointer.clone(),
                reference: reference.to_string(),
            };
            let target = reference.strip_prefix('#').ok_or_else(unresolved)?;
            let value = self.spec.at(target).ok_or_else(unresolved)?;
            node = self.at(target.to_string(), value);
        }
        Err(DiffError::RefCycle { file: self.spec.path.clone(), pointer: self.pointer.clone() })
    }

    fn at(&self, pointer: String, value: &'a Value) -> Self {
        Self { spec: self.spec, pointer, value }
    }
}
