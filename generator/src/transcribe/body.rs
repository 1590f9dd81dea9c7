//! A body schema from placed parameters and the samples' shape. Definitions decide types;
//! samples decide structure where the definitions are silent (intermediate objects, array
//! items), and show nullability. Where a definition and a sample disagree on a type, the
//! definition wins and the disagreement is reported.

use serde_json::{json, Map, Value};

use super::placement::Field;
use super::shape::{display, Path, Seg, Shape};
use super::types::{compatible, openapi_type, param_schema};
use crate::apiref::ParamType;
use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::model::view::set_range;

/// Builds the schema of the body rooted at `field`.
pub fn schema(
    field: &Field<'_>,
    shape: Option<&Shape>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Value {
    let mut builder = Builder {
        diagnostics,
        path: Vec::new(),
    };
    Value::Object(builder.node(field, shape))
}

struct Builder<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
    path: Path,
}

impl Builder<'_> {
    fn node(&mut self, field: &Field<'_>, shape: Option<&Shape>) -> Map<String, Value> {
        let mut schema = match field.defs.last() {
            Some((_, def)) => param_schema(def),
            None => Map::new(),
        };
        if field.defs.len() > 1 {
            let range = field
                .defs
                .iter()
                .map(|(_, d)| d.range)
                .reduce(|a, b| a.union(&b))
                .unwrap_or_default();
            schema.remove(crate::model::view::EXTENSION);
            set_range(&mut schema, range);
        }
        let declared = field.declared_type();
        if let (Some(ty), Some(shape)) = (declared, shape) {
            self.check_agreement(field, ty, shape);
        }
        let ty = declared
            .map(openapi_type)
            .or_else(|| shape?.single_kind()?.openapi_type());
        if ty.is_none() && (field.items.is_some() || !field.children.is_empty()) {
            let inferred = if field.items.is_some() {
                "array"
            } else {
                "object"
            };
            schema.insert("type".into(), json!(inferred));
        } else if declared.is_none() {
            if let Some(ty) = ty {
                schema.insert("type".into(), json!(ty));
            }
        }
        if shape.is_some_and(Shape::has_null) && declared != Some(ParamType::Null) {
            schema.insert("nullable".into(), json!(true));
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.push(Value::Null);
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => self.array(&mut schema, field, shape),
            Some("object") => self.object(&mut schema, field, shape),
            _ => self.misplaced_members(field),
        }
        schema
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
            let child_shape = shape.and_then(|s| s.props.get(name));
            properties.insert(name.clone(), Value::Object(self.node(child, child_shape)));
            self.path.pop();
            let all_required = !child.defs.is_empty() && child.defs.iter().all(|(_, d)| d.required);
            if all_required {
                required.push(json!(name));
            }
        }
        if let Some(values) = &field.values {
            let any_value = shape.map(|s| {
                let mut merged = Shape::default();
                for v in s.props.values() {
                    merge(&mut merged, v);
                }
                merged
            });
            let mut value_schema = self.node(values, any_value.as_ref());
            if let Some(doc) = &field.key_doc {
                value_schema.insert("x-stackspec-key".into(), json!(doc));
            }
            schema.insert("additionalProperties".into(), Value::Object(value_schema));
        }
        if !properties.is_empty() {
            schema.insert("properties".into(), Value::Object(properties));
        }
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        if field.items.is_some() {
            self.report(
                field,
                "members are listed as array items, but the parameter is an object",
            );
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
        let items = self.node(
            field.items.as_deref().unwrap_or(&empty),
            shape.and_then(|s| s.items.as_deref()),
        );
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
                openapi_type(ty),
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
            self.diagnostics
                .push(Diagnostic::new(kind, r.location.clone(), message));
        }
    }
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
