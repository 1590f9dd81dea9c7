//! A schema as a flat list of fields at one microversion: every data path a body may hold
//! (`/events/[]/code`) with what the schema says of it (types, null, required, enum, format,
//! `minItems`) and the JSON pointer of the schema node that says it.
//!
//! This is what makes two spellings of one meaning compare equal: `$ref`s are followed, a
//! `oneOf` whose branches carry microversion ranges keeps the branch of the version, as do
//! properties with `x-openstack` ranges, `allOf` members add to one field, and `nullable`
//! and a `null` branch both say "may be null" (3.1 documents arrive in their 3.0 form).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;
use stackspec_model::version::Microversion;
use stackspec_model::view::{range_of, range_of_extension, EXTENSION};

use crate::resolve::Document;
use crate::CompareError;

/// A data path's element for an array's items.
pub const ITEMS: &str = "[]";
/// A data path's element for the values of a map (`additionalProperties`).
pub const VALUES: &str = "{*}";

/// What one schema says of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Declared types without `null` (empty: any).
    pub types: BTreeSet<String>,
    pub nullable: bool,
    pub required: bool,
    /// The allowed values (as JSON text, `null` left out), if the schema lists them.
    pub enumeration: Option<BTreeSet<String>>,
    pub format: Option<String>,
    pub min_items: Option<u64>,
    /// Whether the schema leaves the value's members undescribed (no `properties`, `items`
    /// or `additionalProperties` schema, and no type but object): a member it does not
    /// name is not one it says is absent.
    pub open: bool,
    /// The schema node that declares the field (the first with a type, else the first).
    pub pointer: String,
    /// The findings its `x-stackspec` names (a reviewed correction changed it).
    pub findings: Vec<String>,
}

impl Facts {
    /// What an observation starts from before any value is seen: required (seen every time
    /// so far), nothing else known; `pointer` names where it was seen.
    pub fn seen_at(pointer: &str) -> Self {
        Facts {
            types: BTreeSet::new(),
            nullable: false,
            required: true,
            enumeration: None,
            format: None,
            min_items: None,
            open: false,
            pointer: pointer.to_string(),
            findings: Vec::new(),
        }
    }
}

/// Fields by data path (`""` is the body itself).
pub type Fields = BTreeMap<String, Facts>;

/// Flattens one schema of `doc` at `version` (every version when `None`).
pub struct Flattener<'a> {
    doc: &'a Document<'a>,
    version: Option<Microversion>,
    fields: Fields,
    /// The `$ref`s being followed, so that a recursive schema stops at itself.
    following: Vec<String>,
}

impl<'a> Flattener<'a> {
    pub fn new(doc: &'a Document<'a>, version: Option<Microversion>) -> Self {
        Self { doc, version, fields: Fields::new(), following: Vec::new() }
    }

    /// The fields of the schema at `pointer`, under the data path `path`.
    pub fn flatten(
        mut self,
        node: &'a Value,
        pointer: &str,
        path: &str,
        required: bool,
    ) -> Result<Fields, CompareError> {
        self.walk(node, pointer.to_string(), path, required)?;
        Ok(self.fields)
    }

    fn walk(
        &mut self,
        node: &'a Value,
        pointer: String,
        path: &str,
        required: bool,
    ) -> Result<(), CompareError> {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            if self.following.iter().any(|r| r == reference) {
                return Ok(());
            }
            let (target, at) = self.doc.resolve(reference, &pointer)?;
            self.following.push(reference.to_string());
            let walked = self.walk(target, at, path, required);
            self.following.pop();
            return walked;
        }
        if !self.in_version(node) {
            return Ok(());
        }
        self.record(path, own_facts(node, &pointer, required, self.version));
        for key in ["allOf", "oneOf", "anyOf"] {
            let branches = node.get(key).and_then(Value::as_array).into_iter().flatten();
            for (i, branch) in branches.enumerate() {
                self.walk(branch, format!("{pointer}/{key}/{i}"), path, required)?;
            }
        }
        let needed: Vec<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = node.get("properties").and_then(Value::as_object).into_iter().flatten();
        for (name, sub) in properties {
            let at = format!("{pointer}/properties/{}", stackspec_model::escape_pointer(name));
            let child = format!("{path}/{}", stackspec_model::escape_pointer(name));
            self.walk(sub, at, &child, needed.contains(&name.as_str()))?;
        }
        if let Some(items) = node.get("items").filter(|i| i.is_object()) {
            self.walk(items, format!("{pointer}/items"), &format!("{path}/{ITEMS}"), true)?;
        }
        if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
            let at = format!("{pointer}/additionalProperties");
            self.walk(values, at, &format!("{path}/{VALUES}"), false)?;
        }
        Ok(())
    }

    fn in_version(&self, node: &Value) -> bool {
        self.version.is_none_or(|v| range_of(node).contains(v))
    }

    /// Adds what one more schema node says of `path` to what others said.
    fn record(&mut self, path: &str, facts: Facts) {
        match self.fields.get_mut(path) {
            None => {
                self.fields.insert(path.to_string(), facts);
            }
            Some(known) => merge(known, facts),
        }
    }
}

/// Two nodes speaking of one field (an `allOf` member, a branch, a wrapper and its
/// branches) say what either says.
fn merge(known: &mut Facts, more: Facts) {
    if known.types.is_empty() && !more.types.is_empty() {
        known.pointer = more.pointer;
    }
    known.types.extend(more.types);
    known.nullable |= more.nullable;
    known.required |= more.required;
    known.enumeration = match (known.enumeration.take(), more.enumeration) {
        (Some(mut a), Some(b)) => {
            a.extend(b);
            Some(a)
        }
        (a, b) => a.or(b),
    };
    known.format = known.format.take().or(more.format);
    known.min_items = known.min_items.or(more.min_items);
    known.open &= more.open;
    for f in more.findings {
        if !known.findings.contains(&f) {
            known.findings.push(f);
        }
    }
}

/// What one schema node itself says (not its subschemas).
fn own_facts(node: &Value, pointer: &str, required: bool, version: Option<Microversion>) -> Facts {
    let mut types: BTreeSet<String> = match node.get("type") {
        Some(Value::String(t)) => [t.clone()].into(),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(String::from).collect(),
        _ => BTreeSet::new(),
    };
    if types.is_empty() && node.get("properties").is_some() {
        types.insert("object".into());
    }
    if types.is_empty() && node.get("items").is_some() {
        types.insert("array".into());
    }
    let mut nullable = types.remove("null") || node.get("nullable") == Some(&Value::Bool(true));
    let enumeration = node.get("enum").and_then(Value::as_array).map(|values| {
        nullable |= values.contains(&Value::Null);
        let versions = node.get(EXTENSION).and_then(|e| e.get("enum-versions"));
        values
            .iter()
            .filter(|v| !v.is_null())
            .filter(|v| enum_value_in_version(versions, v, version))
            .map(Value::to_string)
            .collect::<BTreeSet<_>>()
    });
    let describes_members =
        ["properties", "items", "additionalProperties"].iter().any(|k| node.get(*k).is_some());
    let open = !describes_members && types.iter().all(|t| t == "object");
    Facts {
        open,
        types,
        nullable,
        required,
        // `enum: [null]` says only that the value is null.
        enumeration: enumeration.filter(|e| !e.is_empty()),
        format: node.get("format").and_then(Value::as_str).map(String::from),
        min_items: node.get("minItems").and_then(Value::as_u64),
        pointer: pointer.to_string(),
        findings: findings_of(node),
    }
}

/// Whether an enum value exists at `version` (`x-openstack: {enum-versions: {v: range}}`).
fn enum_value_in_version(
    versions: Option<&Value>,
    value: &Value,
    version: Option<Microversion>,
) -> bool {
    let (Some(versions), Some(v), Some(name)) = (versions, version, value.as_str()) else {
        return true;
    };
    range_of_extension(versions.get(name)).contains(v)
}

/// The findings a node's `x-stackspec` names (what a reviewed correction marked).
pub fn findings_of(node: &Value) -> Vec<String> {
    let list = node.get("x-stackspec").and_then(|x| x.get("findings")).and_then(Value::as_array);
    list.into_iter().flatten().filter_map(Value::as_str).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn fields(doc: &Value, pointer: &str, version: Option<&str>) -> Fields {
        let document = Document::new(Path::new("t.yaml"), doc);
        let node = doc.pointer(pointer).unwrap();
        let version = version.map(|v| v.parse().unwrap());
        Flattener::new(&document, version).flatten(node, pointer, "", true).unwrap()
    }

    #[test]
    fn a_ranged_one_of_and_ranged_properties_flatten_alike() {
        let branches = json!({"components": {"schemas": {
            "Old": {"type": "object", "properties": {"a": {"type": "string"}}, "x-openstack": {"max-ver": "2.50"}},
            "New": {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "integer", "nullable": true}}, "x-openstack": {"min-ver": "2.51"}},
        }}, "s": {"oneOf": [{"$ref": "#/components/schemas/Old"}, {"$ref": "#/components/schemas/New"}]}});
        let ranged = json!({"s": {"type": "object", "required": ["a", "b"], "properties": {
            "a": {"type": "string"},
            "b": {"type": ["integer", "null"], "x-openstack": {"min-ver": "2.51"}},
        }}});
        let old = fields(&branches, "/s", Some("2.50"));
        assert_eq!(old.keys().collect::<Vec<_>>(), ["", "/a"]);
        let (new_b, same_b) = (
            fields(&branches, "/s", Some("2.51"))["/b"].clone(),
            fields(&ranged, "/s", Some("2.51"))["/b"].clone(),
        );
        assert_eq!((new_b.types, new_b.nullable), (same_b.types, same_b.nullable));
        assert_eq!(new_b.pointer, "/components/schemas/New/properties/b");
        assert!(!fields(&ranged, "/s", Some("2.50")).contains_key("/b"));
    }

    #[test]
    fn items_maps_and_enums_have_their_own_paths_and_null_is_not_a_value() {
        let doc = json!({"s": {"type": "array", "minItems": 1, "items": {"type": "object",
            "additionalProperties": {"type": "string", "enum": ["x", null]}}}});
        let got = fields(&doc, "/s", None);
        assert_eq!(got[""].min_items, Some(1));
        let values = &got["/[]/{*}"];
        assert!(values.nullable);
        assert_eq!(values.enumeration, Some(["\"x\"".to_string()].into()));
    }

    #[test]
    fn a_recursive_reference_stops_at_itself() {
        let doc = json!({"components": {"schemas": {"T": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/T"}}}}}});
        let got = fields(&doc, "/components/schemas/T", None);
        assert_eq!(got.keys().collect::<Vec<_>>(), ["", "/child"]);
    }
}
