//! Proposed corrections: an entry of `spec/corrections/<service>.yaml` (finding, operation,
//! why, and a JSON patch relative to the operation) that makes the docs say what the
//! evidence shows. Only nodes inside the operation can be patched there; a difference in a
//! shared component gets no proposal (its pointers say where to look).

use serde::Serialize;
use serde_json::{json, Map, Value};
use stackspec_model::escape_pointer;

use crate::aspect::Aspect;
use crate::fields::Facts;
use crate::operations::{Field, Location, Site};

/// The finding a proposal names until a reviewer writes the finding (or the one a known
/// finding gives).
pub const UNFILED: &str = "F?";

/// One proposed corrections entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub finding: String,
    pub operation: String,
    pub why: String,
    pub patch: Vec<Value>,
}

impl Proposal {
    /// The entry as YAML, one item of the corrections file's `corrections` list.
    pub fn to_yaml(&self) -> String {
        let text = stackspec_model::yaml::to_string(&json!([self]));
        text.trim_end().to_string()
    }
}

/// What a proposal is made from: the docs operation, the field and aspect, what the docs
/// say of the field (and of its parent object), and what the evidence says.
pub struct Evidence<'a> {
    pub site: &'a Site<'a>,
    pub field: &'a Field,
    pub aspect: Aspect,
    pub docs: Option<&'a Facts>,
    pub parent: Option<&'a Facts>,
    pub truth: Option<&'a Facts>,
    /// Whether the truth was observed (only an observation proves a status).
    pub observed: bool,
}

/// The JSON patch that corrects the docs, if the docs node is inside the operation.
pub fn patch(e: &Evidence) -> Option<Vec<Value>> {
    let truth = e.truth?;
    match e.aspect {
        Aspect::Status => status(e),
        Aspect::Presence => presence(e, truth),
        Aspect::Required => required(e, truth.required),
        aspect => keyword(e, aspect, truth),
    }
}

/// An answered status the docs do not list.
fn status(e: &Evidence) -> Option<Vec<Value>> {
    let Location::Response(status) = &e.field.location else { return None };
    if !e.observed || e.docs.is_some() {
        return None;
    }
    let path = format!("/responses/{}", escape_pointer(status));
    Some(vec![
        json!({"op": "add", "path": path, "value": {"description": "Observed; not documented."}}),
    ])
}

/// A field the docs do not have: added to its parent object with what the evidence says.
fn presence(e: &Evidence, truth: &Facts) -> Option<Vec<Value>> {
    if e.docs.is_some() {
        return None;
    }
    let parent = e.parent?;
    let parent_rel = relative(e.site, &parent.pointer)?;
    let name = e.field.path.rsplit('/').next()?.replace("~1", "/").replace("~0", "~");
    if name == crate::fields::ITEMS || name == crate::fields::VALUES {
        return None;
    }
    let node = e.site.doc.raw.pointer(&parent.pointer)?;
    let mut ops = Vec::new();
    let schema = schema_of(truth);
    if node.get("properties").is_some() {
        let path = format!("{parent_rel}/properties/{}", escape_pointer(&name));
        ops.push(json!({"op": "add", "path": path, "value": schema}));
    } else {
        ops.push(json!({"op": "add", "path": format!("{parent_rel}/properties"), "value": {name.clone(): schema}}));
    }
    if truth.required && !e.observed {
        ops.push(add_required(node, &parent_rel, &name));
    }
    Some(ops)
}

/// Whether the field is required, on its parent's `required` list.
fn required(e: &Evidence, required: bool) -> Option<Vec<Value>> {
    let parent = e.parent?;
    let parent_rel = relative(e.site, &parent.pointer)?;
    let node = e.site.doc.raw.pointer(&parent.pointer)?;
    let name = e.field.path.rsplit('/').next()?.replace("~1", "/").replace("~0", "~");
    if e.field.location == Location::Query {
        // A parameter's `required` is on the parameter, beside its schema.
        let schema_rel = relative(e.site, &e.docs?.pointer)?;
        let parameter = stackspec_model::param::parameter_of(&schema_rel)?;
        return Some(vec![
            json!({"op": "add", "path": format!("{parameter}/required"), "value": required}),
        ]);
    }
    if required {
        return Some(vec![add_required(node, &parent_rel, &name)]);
    }
    let list = node.get("required")?.as_array()?;
    let index = list.iter().position(|n| n.as_str() == Some(name.as_str()))?;
    Some(vec![json!({"op": "remove", "path": format!("{parent_rel}/required/{index}")})])
}

fn add_required(parent: &Value, parent_rel: &str, name: &str) -> Value {
    if parent.get("required").is_some() {
        json!({"op": "add", "path": format!("{parent_rel}/required/-"), "value": name})
    } else {
        json!({"op": "add", "path": format!("{parent_rel}/required"), "value": [name]})
    }
}

/// A keyword of the field's own schema node set to what the evidence says, or removed.
fn keyword(e: &Evidence, aspect: Aspect, truth: &Facts) -> Option<Vec<Value>> {
    let docs = e.docs?;
    let rel = relative(e.site, &docs.pointer)?;
    let node = e.site.doc.raw.pointer(&docs.pointer)?;
    let (key, value) = match aspect {
        Aspect::Type => match truth.types.iter().collect::<Vec<_>>()[..] {
            [one] => ("type", Some(json!(one))),
            _ => return None,
        },
        Aspect::Nullable => ("nullable", truth.nullable.then_some(json!(true))),
        Aspect::Enum => ("enum", truth.enumeration.as_ref().map(enum_values)),
        Aspect::Format => ("format", truth.format.as_ref().map(|f| json!(f))),
        Aspect::MinItems => ("minItems", truth.min_items.map(|n| json!(n))),
        Aspect::Status | Aspect::Presence | Aspect::Required => return None,
    };
    let path = format!("{rel}/{key}");
    let op = match (value, node.get(key).is_some()) {
        (Some(value), true) => json!({"op": "replace", "path": path, "value": value}),
        (Some(value), false) => json!({"op": "add", "path": path, "value": value}),
        (None, true) => json!({"op": "remove", "path": path}),
        (None, false) => return None,
    };
    Some(vec![op])
}

/// The enum values back from their JSON text.
fn enum_values(values: &std::collections::BTreeSet<String>) -> Value {
    Value::Array(values.iter().filter_map(|v| serde_json::from_str(v).ok()).collect())
}

/// A schema saying what `facts` say (the type when there is one, null, enum, format).
fn schema_of(facts: &Facts) -> Value {
    let mut schema = Map::new();
    if let [one] = facts.types.iter().collect::<Vec<_>>()[..] {
        schema.insert("type".into(), json!(one));
    }
    if facts.nullable {
        schema.insert("nullable".into(), json!(true));
    }
    if let Some(values) = &facts.enumeration {
        schema.insert("enum".into(), enum_values(values));
    }
    if let Some(format) = &facts.format {
        schema.insert("format".into(), json!(format));
    }
    Value::Object(schema)
}

/// `pointer` relative to the operation, if it is inside it.
fn relative(site: &Site, pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix(&site.pointer)?;
    (rest.is_empty() || rest.starts_with('/')).then(|| rest.to_string())
}
