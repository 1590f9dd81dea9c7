//! A body schema from placed parameters and the samples' shape. Definitions decide types;
//! samples decide structure where the definitions are silent (intermediate objects, array
//! items), and show nullability. Where a definition and a sample disagree on a type, the
//! definition wins and the disagreement is reported.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Map, Value};

use super::key_template::{self, KeyTemplate};
use super::placement::Field;
use super::shape::{display, Path, Seg, Shape};
use super::types::{self, compatible, openapi_type, param_schema};
use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::reader::{ParamDef, ParamType, Section};
use stackspec_model::version::VersionRange;
use stackspec_model::view::set_range;

/// Builds the schema of the body rooted at `field`, for a request or a response.
pub fn schema(
    field: &Field<'_>,
    shape: Option<&Shape>,
    section: Section,
    diagnostics: &mut Vec<Diagnostic>,
) -> Value {
    let mut builder = Builder { diagnostics, path: Vec::new(), section, in_branch: false };
    Value::Object(builder.node(field, shape))
}

/// A schema for a body no parameter documents, from its samples alone: every key the
/// samples show, none required, marked so that readers know nothing vouches for it.
pub fn inferred(shape: &Shape) -> Value {
    let mut schema = match inferred_node(shape) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    schema.insert("x-stackspec".into(), json!({"inferred-from-samples": true}));
    Value::Object(schema)
}

fn inferred_node(shape: &Shape) -> Value {
    let mut schema = Map::new();
    if let Some(ty) = shape.single_kind().and_then(|k| k.openapi_type()) {
        schema.insert("type".into(), json!(ty));
    }
    if shape.has_null() {
        schema.insert("nullable".into(), json!(true));
    }
    if !shape.props.is_empty() {
        let props: Map<String, Value> =
            shape.props.iter().map(|(k, v)| (k.clone(), inferred_node(v))).collect();
        schema.insert("properties".into(), Value::Object(props));
    }
    if let Some(items) = &shape.items {
        schema.insert("items".into(), inferred_node(items));
    }
    Value::Object(schema)
}

struct Builder<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
    path: Path,
    section: Section,
    /// Inside a per-version branch the samples of other versions are in the shape too, so
    /// type agreement is not checked there.
    in_branch: bool,
}

/// Prose saying a response field is not always there ("Appears in the response for
/// administrative users only", "Will not be present on the last page", "It may not appear
/// in the response when its value is null"). Such a field is documented `required: true`
/// meaning "documented for every response", but a client must not rely on it.
static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(for administrative users only|only appears? in (the )?responses? for admin",
        r"|policy defaults enable only users with the administrative role|only be included if",
        r"|\bonly (be )?(present|shown|returned|included)\b|will not be present",
        r"|may not (be present|appear)|not (be )?present (when|if|on)|is omitted when)",
    ))
    .expect("valid regex")
});

impl Builder<'_> {
    fn node(&mut self, field: &Field<'_>, shape: Option<&Shape>) -> Map<String, Value> {
        if let Some(branches) = self.versioned_branches(field, shape) {
            return branches;
        }
        let mut schema = match field.defs.last() {
            Some((_, def)) => param_schema(def),
            None => Map::new(),
        };
        if field.defs.len() > 1 {
            schema.remove(stackspec_model::view::EXTENSION);
            set_range(&mut schema, field_range(field));
        }
        let declared = self.declared_with_members(field, &mut schema);
        if let (Some(ty), Some(shape), false) = (declared, shape, self.in_branch) {
            self.check_agreement(field, ty, shape);
        }
        let ty = declared.and_then(openapi_type).or_else(|| shape?.single_kind()?.openapi_type());
        if ty.is_none() && (field.items.is_some() || !field.children.is_empty()) {
            let inferred = if field.items.is_some() { "array" } else { "object" };
            schema.insert("type".into(), json!(inferred));
        } else if declared.is_none() {
            if let Some(ty) = ty {
                schema.insert("type".into(), json!(ty));
            }
        }
        if shape.is_some_and(Shape::has_null) && declared != Some(ParamType::Null) {
            types::make_nullable(&mut schema);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => self.array(&mut schema, field, shape),
            Some("object") => self.object(&mut schema, field, shape),
            _ => self.misplaced_members(field),
        }
        schema
    }

    /// A name listed once per microversion range with different types (an `id` that was an
    /// integer until 2.52 and a UUID since 2.53) becomes a `oneOf` of one branch per range,
    /// so that the view at any version keeps only the branch that version has.
    fn versioned_branches(
        &mut self,
        field: &Field<'_>,
        shape: Option<&Shape>,
    ) -> Option<Map<String, Value>> {
        let types: Vec<Option<ParamType>> = field.defs.iter().map(|(_, d)| d.ty).collect();
        if types.windows(2).all(|w| w[0] == w[1]) {
            return None;
        }
        let outer = std::mem::replace(&mut self.in_branch, true);
        let branches = field
            .defs
            .iter()
            .map(|listed| {
                let single = Field { defs: vec![*listed], ..field.clone() };
                Value::Object(self.node(&single, shape))
            })
            .collect();
        self.in_branch = outer;
        let mut schema = Map::new();
        schema.insert("oneOf".into(), Value::Array(branches));
        set_range(&mut schema, field_range(field));
        Some(schema)
    }

    /// The declared type, except that a scalar declaration with members listed under it is an
    /// object (parameters.yaml contradicts itself; reported).
    fn declared_with_members(
        &mut self,
        field: &Field<'_>,
        schema: &mut Map<String, Value>,
    ) -> Option<ParamType> {
        let declared = field.declared_type();
        let scalar = !matches!(declared, Some(ParamType::Object | ParamType::Array) | None);
        if !scalar || (field.children.is_empty() && field.values.is_none()) {
            return declared;
        }
        let message = format!(
            "`{}`: parameters.yaml says {}, but members are listed under it; transcribed as an object",
            display(&self.path),
            declared.and_then(openapi_type).unwrap_or("a scalar"),
        );
        self.push(field, DiagnosticKind::TypeDisagreement, message);
        schema.insert("type".into(), json!("object"));
        schema.remove("enum");
        schema.remove("format");
        Some(ParamType::Object)
    }

    fn is_required(&self, def: &ParamDef) -> bool {
        def.required
            && !(self.section == Section::Response && CONDITIONAL.is_match(&def.description))
    }

    /// Whether a member must be present: every parameter placed there says it is required;
    /// or, for a request object no parameter documents (a wrapper the samples imply, as
    /// nova's `server` around its create-multiple parameters), one of its members must be
    /// present, which it cannot be without the wrapper. Without this, a request branch of
    /// only implied wrappers requires nothing and any body (`{}`) matches it.
    fn must_be_present(&self, field: &Field<'_>) -> bool {
        match field.defs.as_slice() {
            [] => {
                self.section == Section::Request
                    && field.children.values().any(|c| self.must_be_present(c))
            }
            defs => defs.iter().all(|(_, d)| self.is_required(d)),
        }
    }

    fn object(
        &mut self,
        schema: &mut Map<String, Value>,
        field: &Field<'_>,
        shape: Option<&Shape>,
    ) {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (name, child) in &field.children {
            self.path.push(Seg::Key(name.clone()));
            let template = KeyTemplate::parse(name).filter(|_| !child.placeholder);
            // A placeholder stands for every key of the map: its values are all of them; a
            // templated name for the keys it matches.
            let values_shape = match &template {
                _ if child.placeholder => shape.map(any_value),
                Some(template) => shape.map(|s| family_value(s, template, field)),
                None => None,
            };
            let child_shape = values_shape.as_ref().or_else(|| shape?.props.get(name));
            let mut child_schema = self.node(child, child_shape);
            self.path.pop();
            if child.placeholder {
                schema.insert("additionalProperties".into(), Value::Object(child_schema));
                continue;
            }
            if template.is_some() {
                child_schema.insert(key_template::EXTENSION.into(), json!(name));
                key_template::add_values(schema, child_schema);
                continue;
            }
            properties.insert(name.clone(), Value::Object(child_schema));
            if self.must_be_present(child) {
                required.push(json!(name));
            }
        }
        if let Some(values) = &field.values {
            let mut value_schema = self.node(values, shape.map(any_value).as_ref());
            if let Some(doc) = &field.key_doc {
                value_schema.insert("x-stackspec-key".into(), json!(doc));
            }
            key_template::add_values(schema, value_schema);
        }
        if !properties.is_empty() {
            schema.insert("properties".into(), Value::Object(properties));
        }
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        if field.items.is_some() {
            self.report(field, "members are listed as array items, but the parameter is an object");
        }
    }

    fn array(&mut self, schema: &mut Map<String, Value>, field: &Field<'_>, shape: Option<&Shape>) {
        if !field.children.is_empty() {
            self.report(
                field,
                "members are listed as object members, but the parameter is an array",
            );
        }
        let empty = Field::default();
        self.path.push(Seg::Items);
        let items = self
            .node(field.items.as_deref().unwrap_or(&empty), shape.and_then(|s| s.items.as_deref()));
        self.path.pop();
        schema.insert("items".into(), Value::Object(items));
    }

    fn misplaced_members(&mut self, field: &Field<'_>) {
        if !field.children.is_empty() || field.items.is_some() {
            self.report(
                field,
                "members are listed under a parameter that is neither an object nor an array",
            );
        }
    }

    fn check_agreement(&mut self, field: &Field<'_>, ty: ParamType, shape: &Shape) {
        let clashing: Vec<&str> = shape
            .kinds
            .iter()
            .filter(|k| !compatible(ty, **k))
            .filter_map(|k| k.openapi_type())
            .collect();
        if !clashing.is_empty() {
            let message = format!(
                "`{}`: parameters.yaml says {}, a sample has {}; parameters.yaml wins",
                display(&self.path),
                openapi_type(ty).unwrap_or("any value"),
                clashing.join(", ")
            );
            self.push(field, DiagnosticKind::TypeDisagreement, message);
        }
    }

    fn report(&mut self, field: &Field<'_>, what: &str) {
        let message = format!("`{}`: {what}", display(&self.path));
        self.push(field, DiagnosticKind::Ignored, message);
    }

    fn push(&mut self, field: &Field<'_>, kind: DiagnosticKind, message: String) {
        if let Some((r, _)) = field.defs.last() {
            self.diagnostics.push(Diagnostic::new(kind, r.location.clone(), message));
        }
    }
}

/// The merged shape of every value of a map.
fn any_value(map: &Shape) -> Shape {
    let mut merged = Shape::default();
    for v in map.props.values() {
        merge(&mut merged, v);
    }
    merged
}

/// The merged shape of the values of a map's keys that `template` matches and no member
/// listed in `field` names.
fn family_value(map: &Shape, template: &KeyTemplate, field: &Field<'_>) -> Shape {
    let mut merged = Shape::default();
    let members = map.props.iter().filter(|(k, _)| !field.children.contains_key(*k));
    for (_, v) in members.filter(|(k, _)| template.matches(k)) {
        merge(&mut merged, v);
    }
    merged
}

fn merge(into: &mut Shape, other: &Shape) {
    into.kinds.extend(other.kinds.iter().copied());
    for (k, v) in &other.props {
        merge(into.props.entry(k.clone()).or_default(), v);
    }
    if let Some(items) = &other.items {
        merge(into.items.get_or_insert_with(Box::default), items);
    }
}

/// The union of the ranges of the definitions placed at `field`.
fn field_range(field: &Field<'_>) -> VersionRange {
    field.defs.iter().map(|(_, d)| d.range).reduce(|a, b| a.union(&b)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use crate::reader::{In, ParamRef};
    use crate::transcribe::placement::tests::{def, refs};
    use crate::transcribe::placement::{place, Listed};

    /// The schema of a body whose one documented parameter, `name` (required), the
    /// sample shows inside `{"server": {...}}`.
    fn wrapped(section: Section) -> Value {
        let reference = ParamRef {
            section,
            wire_name: "name".into(),
            key: "name".into(),
            file: "p.yaml".into(),
            location: Location::new("x.inc", 1),
            heading_range: VersionRange::default(),
        };
        let def = ParamDef {
            key: "name".into(),
            location: In::Body,
            required: true,
            ty: Some(ParamType::String),
            description: "d".into(),
            default: None,
            format: None,
            range: VersionRange::default(),
            defined_at: Location::new("p.yaml", 1),
        };
        let listed: Vec<Listed<'_>> = vec![(&reference, &def)];
        let shape = Shape::of(&json!({"server": {"name": "a"}}));
        let root = place(&listed, Some(&shape), &mut Vec::new());
        schema(&root, Some(&shape), section, &mut Vec::new())
    }

    #[test]
    fn a_templated_name_is_the_values_of_the_keys_it_matches_and_never_required() {
        let names = ["set", "count", "count_{kind}", "size_{kind}"];
        let refs = refs(&names);
        let defs = [ParamType::Object, ParamType::Integer, ParamType::Integer, ParamType::Object];
        let defs: Vec<ParamDef> = defs.into_iter().map(def).collect();
        let listed: Vec<Listed<'_>> = refs.iter().zip(&defs).collect();
        let shape = Shape::of(&json!({"set": {"count": 1, "count_gold": 2, "size_gold": {}}}));
        let root = place(&listed, Some(&shape), &mut Vec::new());
        let mut diagnostics = Vec::new();
        let body = schema(&root, Some(&shape), Section::Response, &mut diagnostics);
        let set = &body["properties"]["set"];
        assert_eq!(set["required"], json!(["count"]));
        assert_eq!(set["properties"].as_object().map(|p| p.len()), Some(1), "{set}");
        let families = &set["additionalProperties"]["anyOf"];
        assert_eq!(families[0]["type"], json!("integer"));
        assert_eq!(families[0]["x-stackspec-key-template"], json!("count_{kind}"));
        assert_eq!(families[1]["type"], json!("object"));
        assert!(diagnostics.is_empty(), "a family's samples agree with it: {diagnostics:?}");
    }

    #[test]
    fn a_request_wrapper_the_samples_imply_is_required_when_a_member_is() {
        let request = wrapped(Section::Request);
        assert_eq!(request["required"], json!(["server"]));
        assert_eq!(request["properties"]["server"]["required"], json!(["name"]));
    }

    #[test]
    fn a_response_wrapper_the_samples_imply_stays_optional() {
        let response = wrapped(Section::Response);
        assert_eq!(response.get("required"), None);
    }
}
