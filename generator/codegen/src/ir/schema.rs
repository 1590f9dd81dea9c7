//! Schemas to Rust types. Inline schemas that need a declaration (objects with properties,
//! string enums, unions) are named by [`super::naming`] after what they are (`Flavor` for
//! a `flavor` property) and declared once per shape; component schemas keep their own name.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::naming::{Decision, Hint, Naming, Owners, Survey};
use super::{EnumVariant, Field, RustType, TypeDef, TypeKind, UnionVariant};
use crate::error::GenerateError;
use crate::names::{camel, snake, Namespace};
use stackspec_model::escape_pointer;
use stackspec_model::view::{range_of, range_of_extension, EXTENSION};
use stackspec_model::Spec;

const COMPONENT_PREFIX: &str = "#/components/schemas/";
/// How deep `allOf` may nest through references before it is taken for a cycle.
const MAX_ALL_OF_DEPTH: usize = 16;
/// Most values of one string enum. Each becomes a variant, its serde attribute and its
/// match arms in three modules; the largest real enum has a few dozen values, and a
/// million-value one made generation allocate gigabytes before failing.
pub const MAX_ENUM_VALUES: usize = 10_000;

/// Builds named types while the rest of the model asks for the types of schemas.
pub(crate) struct TypeBuilder<'a> {
    spec: &'a Spec,
    names: Namespace,
    /// Component key → Rust name.
    components: HashMap<String, String>,
    /// Pointer → declared type, so that a schema reached twice (a union branch that is a
    /// reference, say) is declared once.
    declared: HashMap<String, String>,
    naming: Naming,
    types: Vec<TypeDef>,
}

type Result<T> = std::result::Result<T, GenerateError>;

impl<'a> TypeBuilder<'a> {
    /// A builder naming contested names by `owners` (none on a first build).
    pub fn new(spec: &'a Spec, names: Namespace, owners: Owners) -> Self {
        Self {
            spec,
            names,
            components: HashMap::new(),
            declared: HashMap::new(),
            naming: Naming::with_owners(owners),
            types: Vec::new(),
        }
    }

    /// Declares every component schema. Names are claimed first so that references can be
    /// resolved in any order, including recursively.
    pub fn components(&mut self) -> Result<()> {
        let Some(schemas) = self.spec.component_schemas() else {
            return Ok(());
        };
        for key in schemas.keys() {
            let name = self.names.claim(&camel(key));
            self.components.insert(key.clone(), name);
        }
        for (key, schema) in schemas {
            let pointer = format!("/components/schemas/{}", escape_pointer(key));
            let name = self.components[key].clone();
            let node = as_schema(schema, &pointer)?;
            self.naming.enter(&name);
            let kind = self.named_kind(node, &pointer, &name);
            self.naming.leave();
            let kind = match kind? {
                Some(kind) => kind,
                None => TypeKind::Alias {
                    ty: self.type_of(schema, &pointer, &Hint::Part(name.clone()))?,
                },
            };
            self.naming.component(&kind, &name);
            self.push(name, node, pointer, kind);
        }
        Ok(())
    }

    /// Takes a unique type name for something the templates declare (operation types).
    pub fn claim(&mut self, wanted: &str) -> String {
        self.names.claim(wanted)
    }

    /// Types declared from here on are parts of `name` (an operation's type prefix, say):
    /// where their plain names are taken, they are qualified with it.
    pub fn enter(&mut self, name: &str) {
        self.naming.enter(name);
    }

    pub fn leave(&mut self) {
        self.naming.leave();
    }

    pub fn finish(self) -> Vec<TypeDef> {
        self.types
    }

    /// What this build's naming saw, for a second build to name by.
    pub fn survey(self) -> Survey {
        self.naming.into_survey()
    }

    /// The Rust type of `schema` at `pointer`; `hint` names it if it needs a declaration.
    pub fn type_of(&mut self, schema: &Value, pointer: &str, hint: &Hint) -> Result<RustType> {
        let node = as_schema(schema, pointer)?;
        let ty = self.non_null_type_of(node, pointer, hint)?;
        Ok(if is_nullable(node) { ty.option() } else { ty })
    }

    fn non_null_type_of(
        &mut self,
        node: &Map<String, Value>,
        pointer: &str,
        hint: &Hint,
    ) -> Result<RustType> {
        if let Some(target) = node.get("$ref") {
            // A nullable component is nullable wherever it is referenced.
            let (name, schema, _) = self.resolve_ref(target, pointer)?;
            let ty = RustType::Named(name);
            let nullable = schema.as_object().is_some_and(is_nullable);
            return Ok(if nullable { ty.option() } else { ty });
        }
        if node.contains_key("not") {
            return Err(GenerateError::unsupported(pointer, "`not` has no Rust type"));
        }
        if let Some(branch) = single_all_of(node) {
            return self.type_of(branch, &format!("{pointer}/allOf/0"), hint);
        }
        if let Some(name) = self.declared.get(pointer) {
            return Ok(RustType::Named(name.clone()));
        }
        if needs_declaration(node) {
            self.naming.enter(hint.base());
            let kind = self.named_kind(node, pointer, hint.base());
            self.naming.leave();
            let kind =
                kind?.ok_or_else(|| GenerateError::invalid(pointer, "a declarable schema"))?;
            let name = self.declare(node, pointer, hint, kind);
            self.declared.insert(pointer.to_string(), name.clone());
            return Ok(RustType::Named(name));
        }
        self.plain_type_of(node, pointer, hint)
    }

    /// The name of the type `kind` declared at `pointer`: a declared type of the same shape,
    /// or a new declaration.
    fn declare(
        &mut self,
        node: &Map<String, Value>,
        pointer: &str,
        hint: &Hint,
        kind: TypeKind,
    ) -> String {
        match self.naming.decide(hint, &kind, pointer) {
            Decision::Existing(name) => {
                self.naming.declared(hint, &kind, pointer, &name, false);
                name
            }
            Decision::New(candidates) => {
                let name = self.names.claim_first(&candidates);
                self.naming.declared(hint, &kind, pointer, &name, true);
                self.push(name.clone(), node, pointer.to_string(), kind);
                name
            }
        }
    }

    fn plain_type_of(
        &mut self,
        node: &Map<String, Value>,
        pointer: &str,
        hint: &Hint,
    ) -> Result<RustType> {
        let format = node.get("format").and_then(Value::as_str);
        Ok(match node.get("type") {
            None => RustType::Json,
            Some(Value::String(t)) => match (t.as_str(), format) {
                ("string", _) => RustType::String,
                ("boolean", _) => RustType::Bool,
                ("integer", Some("int32")) => RustType::I32,
                ("integer", _) => RustType::I64,
                ("number", Some("float")) => RustType::F32,
                ("number", _) => RustType::F64,
                ("array", _) => match node.get("items") {
                    Some(items) => RustType::Vec(Box::new(self.type_of(
                        items,
                        &format!("{pointer}/items"),
                        &hint.items(),
                    )?)),
                    None => RustType::Vec(Box::new(RustType::Json)),
                },
                ("object", _) => match node.get("additionalProperties") {
                    Some(values @ Value::Object(_)) => RustType::Map(Box::new(self.type_of(
                        values,
                        &format!("{pointer}/additionalProperties"),
                        &hint.values(),
                    )?)),
                    _ => RustType::JsonObject,
                },
                (other, _) => {
                    return Err(GenerateError::invalid(
                        &format!("{pointer}/type"),
                        format!("one of the OpenAPI 3.0 types, not `{other}`"),
                    ))
                }
            },
            Some(_) => {
                return Err(GenerateError::invalid(
                    &format!("{pointer}/type"),
                    "a single type name (OpenAPI 3.0 has no type lists; use `nullable`)",
                ))
            }
        })
    }

    /// The declaration for a schema that needs one, or `None` if it is a plain type.
    fn named_kind(
        &mut self,
        node: &Map<String, Value>,
        pointer: &str,
        name: &str,
    ) -> Result<Option<TypeKind>> {
        if node.contains_key("$ref") || single_all_of(node).is_some() || !needs_declaration(node) {
            return Ok(None);
        }
        if let Some((key, branches)) = union_branches(node) {
            return self
                .union(branches, &format!("{pointer}/{key}"), name, key == "oneOf")
                .map(Some);
        }
        if let Some(Value::Array(values)) = node.get("enum") {
            return string_enum(values, node, pointer).map(Some);
        }
        let mut members = ObjectMembers::default();
        self.collect_members(node, pointer, &mut members, 0)?;
        self.structure(members, name).map(Some)
    }

    /// The type of a fault body that is one of the named `types` (an operation whose 401 is
    /// keystonemiddleware's and whose other errors are the service's): one untagged enum per
    /// distinct set, `NovaFaultOrKeystoneUnauthorized`, declared the first time it is asked.
    pub fn union_of(&mut self, types: &[RustType]) -> RustType {
        let idents: Vec<String> = types
            .iter()
            .map(|t| match t {
                RustType::Named(name) => name.clone(),
                other => camel(&other.to_string().replace("::", " ")),
            })
            .collect();
        let key = format!("union:{}", idents.join("|"));
        if let Some(name) = self.declared.get(&key) {
            return RustType::Named(name.clone());
        }
        let name = self.names.claim(&idents.join("Or"));
        let variants = idents
            .into_iter()
            .zip(types)
            .map(|(ident, ty)| UnionVariant {
                ident,
                wire: String::new(),
                ty: ty.clone(),
                doc: Vec::new(),
            })
            .collect();
        let doc =
            vec![" A fault body of any of these shapes; which one, the status tells.".to_string()];
        self.types.push(TypeDef {
            name: name.clone(),
            doc,
            pointer: String::new(),
            kind: TypeKind::Untagged { variants },
        });
        self.declared.insert(key, name.clone());
        RustType::Named(name)
    }

    fn push(&mut self, name: String, node: &Map<String, Value>, pointer: String, kind: TypeKind) {
        self.types.push(TypeDef { name, doc: doc_lines(node), pointer, kind });
    }

    /// The Rust name, raw schema and pointer a `$ref` designates.
    fn resolve_ref(&self, target: &Value, pointer: &str) -> Result<(String, &'a Value, String)> {
        let target = target
            .as_str()
            .ok_or_else(|| GenerateError::invalid(&format!("{pointer}/$ref"), "a string"))?;
        let key = target.strip_prefix(COMPONENT_PREFIX).ok_or_else(|| {
            GenerateError::unsupported(
                &format!("{pointer}/$ref"),
                format!("`{target}`: only references into {COMPONENT_PREFIX} are followed"),
            )
        })?;
        let key = key.replace("~1", "/").replace("~0", "~");
        let dangling = || GenerateError::DanglingRef {
            pointer: format!("{pointer}/$ref"),
            target: target.to_string(),
        };
        let name = self.components.get(&key).ok_or_else(dangling)?;
        let schema =
            self.spec.component_schemas().and_then(|s| s.get(&key)).ok_or_else(dangling)?;
        let target_pointer = format!("/components/schemas/{}", escape_pointer(&key));
        Ok((name.clone(), schema, target_pointer))
    }

    fn union(
        &mut self,
        branches: &[Value],
        pointer: &str,
        name: &str,
        one_of: bool,
    ) -> Result<TypeKind> {
        let mut resolved = Vec::with_capacity(branches.len());
        for (i, branch) in branches.iter().enumerate() {
            let branch_pointer = format!("{pointer}/{i}");
            let node = as_schema(branch, &branch_pointer)?;
            resolved.push(match node.get("$ref") {
                Some(target) => {
                    let (ref_name, schema, target_pointer) =
                        self.resolve_ref(target, &branch_pointer)?;
                    (as_schema(schema, &target_pointer)?, target_pointer, Some(ref_name), node)
                }
                None => (node, branch_pointer, None, node),
            });
        }
        let keys: Option<Vec<&String>> =
            resolved.iter().map(|(node, ..)| single_key(node)).collect();
        let mut idents = Namespace::default();
        let mut variants = Vec::with_capacity(resolved.len());
        match keys.filter(|k| one_of && all_distinct(k)) {
            Some(keys) => {
                for ((node, branch_pointer, _, original), key) in resolved.iter().zip(keys) {
                    let ident = idents.claim(&camel(key));
                    let prop_pointer =
                        format!("{branch_pointer}/properties/{}", escape_pointer(key));
                    let ty = self.type_of(
                        &node["properties"][key],
                        &prop_pointer,
                        &Hint::Part(ident.clone()),
                    )?;
                    let mut doc = doc_lines(original);
                    if !std::ptr::eq(*node, *original) {
                        doc.extend(version_note(node.get(EXTENSION)));
                    }
                    variants.push(UnionVariant { ident, wire: key.clone(), ty, doc });
                }
                Ok(TypeKind::Tagged { variants })
            }
            None => {
                for (i, (node, _, ref_name, original)) in resolved.iter().enumerate() {
                    let wanted = ref_name.clone().unwrap_or_else(|| branch_name(node, i));
                    let ident = idents.claim(&wanted);
                    let ty = self.type_of(
                        &branches[i],
                        &format!("{pointer}/{i}"),
                        &Hint::Part(format!("{name}{ident}")),
                    )?;
                    variants.push(UnionVariant {
                        ident,
                        wire: String::new(),
                        ty,
                        doc: doc_lines(original),
                    });
                }
                Ok(TypeKind::Untagged { variants })
            }
        }
    }

    /// Gathers properties from a schema and, through `allOf`, from the schemas it extends.
    fn collect_members(
        &self,
        node: &Map<String, Value>,
        pointer: &str,
        out: &mut ObjectMembers,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_ALL_OF_DEPTH {
            return Err(GenerateError::unsupported(
                pointer,
                "`allOf` nested through references too deeply (a cycle?)",
            ));
        }
        if let Some(target) = node.get("$ref") {
            let (_, schema, target_pointer) = self.resolve_ref(target, pointer)?;
            return self.collect_members(
                as_schema(schema, &target_pointer)?,
                &target_pointer,
                out,
                depth + 1,
            );
        }
        if node.contains_key("oneOf") || node.contains_key("anyOf") || node.contains_key("enum") {
            return Err(GenerateError::unsupported(
                pointer,
                "`allOf` of a union or an enum; only objects are merged",
            ));
        }
        if let Some(Value::Array(branches)) = node.get("allOf") {
            for (i, branch) in branches.iter().enumerate() {
                let branch_pointer = format!("{pointer}/allOf/{i}");
                self.collect_members(
                    as_schema(branch, &branch_pointer)?,
                    &branch_pointer,
                    out,
                    depth + 1,
                )?;
            }
        }
        if let Some(Value::Object(props)) = node.get("properties") {
            for (wire, schema) in props {
                let prop_pointer = format!("{pointer}/properties/{}", escape_pointer(wire));
                out.properties.retain(|(w, ..)| w != wire);
                out.properties.push((wire.clone(), schema.clone(), prop_pointer));
            }
        }
        if let Some(Value::Array(required)) = node.get("required") {
            out.required.extend(required.iter().filter_map(Value::as_str).map(String::from));
        }
        if let Some(values @ Value::Object(_)) = node.get("additionalProperties") {
            out.additional = Some((values.clone(), format!("{pointer}/additionalProperties")));
        }
        Ok(())
    }

    fn structure(&mut self, members: ObjectMembers, name: &str) -> Result<TypeKind> {
        let mut idents = Namespace::default();
        let mut fields = Vec::with_capacity(members.properties.len() + 1);
        for (wire, schema, pointer) in &members.properties {
            let ident = idents.claim(&snake(wire));
            let ty = self.type_of(schema, pointer, &Hint::Part(camel(wire)))?;
            // One type serves every microversion, and a field with a version range is
            // absent outside it: required only where the document says so for all versions.
            let required =
                members.required.iter().any(|r| r == wire) && range_of(schema).is_unbounded();
            // An optional field that may be null keeps null apart from absent.
            let keep_null = !required && matches!(ty, RustType::Option(_) | RustType::Json);
            fields.push(Field {
                ident,
                wire: wire.clone(),
                ty: match (required, ty) {
                    (true, ty) => ty,
                    (false, ty @ RustType::Option(_)) => RustType::Option(Box::new(ty)),
                    (false, ty) => ty.option(),
                },
                doc: doc_lines(as_schema(schema, pointer)?),
                skip_if_none: !required,
                keep_null,
                flatten: false,
            });
        }
        let default = fields.iter().all(|f| f.skip_if_none);
        if let Some((values, pointer)) = &members.additional {
            let ty = self.type_of(values, pointer, &Hint::Part(format!("{name}Value")))?;
            fields.push(Field {
                ident: idents.claim("additional_properties"),
                wire: String::new(),
                ty: RustType::Map(Box::new(ty)),
                doc: vec![" Properties not named above.".into()],
                skip_if_none: false,
                keep_null: false,
                flatten: true,
            });
        }
        Ok(TypeKind::Struct { fields, default })
    }
}

#[derive(Default)]
struct ObjectMembers {
    /// Wire name, schema, pointer; in document order, later `allOf` branches overriding.
    properties: Vec<(String, Value, String)>,
    required: Vec<String>,
    additional: Option<(Value, String)>,
}

fn as_schema<'v>(schema: &'v Value, pointer: &str) -> Result<&'v Map<String, Value>> {
    schema.as_object().ok_or_else(|| GenerateError::invalid(pointer, "a schema object"))
}

fn is_nullable(node: &Map<String, Value>) -> bool {
    node.get("nullable") == Some(&Value::Bool(true))
}

/// `allOf: [one]` with nothing beside it is how 3.0 documents attach a description to a
/// reference; it is that one schema.
fn single_all_of(node: &Map<String, Value>) -> Option<&Value> {
    match node.get("allOf") {
        Some(Value::Array(branches)) if branches.len() == 1 && !node.contains_key("properties") => {
            branches.first()
        }
        _ => None,
    }
}

fn union_branches(node: &Map<String, Value>) -> Option<(&'static str, &[Value])> {
    ["oneOf", "anyOf"].into_iter().find_map(|key| match node.get(key) {
        Some(Value::Array(branches)) => Some((key, branches.as_slice())),
        _ => None,
    })
}

/// Schemas that become a declared type rather than a type expression.
fn needs_declaration(node: &Map<String, Value>) -> bool {
    let non_empty = |key: &str| match node.get(key) {
        Some(Value::Object(m)) => !m.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        _ => false,
    };
    let string_enum = match node.get("enum") {
        Some(Value::Array(values)) => {
            values.iter().any(Value::is_string)
                && values.iter().all(|v| v.is_string() || v.is_null())
        }
        _ => false,
    };
    non_empty("oneOf")
        || non_empty("anyOf")
        || non_empty("allOf")
        || non_empty("properties")
        || string_enum
}

fn string_enum(values: &[Value], node: &Map<String, Value>, pointer: &str) -> Result<TypeKind> {
    if values.len() > MAX_ENUM_VALUES {
        return Err(GenerateError::unsupported(
            &format!("{pointer}/enum"),
            format!("{} values (at most {MAX_ENUM_VALUES} are generated)", values.len()),
        ));
    }
    let mut idents = Namespace::with_reserved(&["Other"]);
    let enum_versions =
        node.get(stackspec_model::view::EXTENSION).and_then(|e| e.get("enum-versions"));
    let mut variants = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let wire = match value {
            Value::String(s) => s,
            Value::Null => continue,
            _ => {
                return Err(GenerateError::unsupported(
                    &format!("{pointer}/enum/{i}"),
                    "an enum mixing strings and other values",
                ))
            }
        };
        let doc = enum_versions
            .and_then(|versions| versions.get(wire))
            .map(|range| version_note(Some(range)))
            .unwrap_or_default();
        variants.push(EnumVariant { ident: idents.claim(&camel(wire)), wire: wire.clone(), doc });
    }
    Ok(TypeKind::StringEnum { variants })
}

/// The property name of an object schema with exactly one property (a nova action).
pub(crate) fn single_key(node: &Map<String, Value>) -> Option<&String> {
    match (node.get("properties"), node.get("additionalProperties")) {
        (Some(Value::Object(props)), None | Some(Value::Bool(false))) if props.len() == 1 => {
            props.keys().next()
        }
        _ => None,
    }
}

fn all_distinct(keys: &[&String]) -> bool {
    keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k))
}

fn branch_name(node: &Map<String, Value>, index: usize) -> String {
    match node.get("type").and_then(Value::as_str) {
        Some("object") | None => format!("Variant{index}"),
        Some(t) => camel(t),
    }
}

/// `#[doc]` lines: the description (one line per paragraph, so that Markdown sees no lazy
/// continuations; RST inline markup as Markdown), the format, and the microversion range from `x-openstack`.
pub(crate) fn doc_lines(node: &Map<String, Value>) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(description) = node.get("description").and_then(Value::as_str) {
        for paragraph in description.split("\n\n") {
            let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                if !lines.is_empty() {
                    lines.push(String::new());
                }
                lines.push(format!(" {}", crate::rst::to_markdown(&text)));
            }
        }
    }
    if let Some(format) = node.get("format").and_then(Value::as_str) {
        push_paragraph(&mut lines, format!(" Format: `{format}`."));
    }
    for note in version_note(node.get(EXTENSION)) {
        push_paragraph(&mut lines, note);
    }
    lines
}

fn push_paragraph(lines: &mut Vec<String>, text: String) {
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(text);
}

/// "Since microversion X.Y" / "Up to microversion X.Y" from a node's `x-openstack` value.
pub(crate) fn version_note(extension: Option<&Value>) -> Vec<String> {
    let range = range_of_extension(extension);
    let mut notes = Vec::new();
    if let Some(min) = range.min {
        notes.push(format!(" Since microversion {min}."));
    }
    if let Some(max) = range.max {
        notes.push(format!(" Up to microversion {max}."));
    }
    if notes.len() == 2 {
        notes = vec![format!("{}{}", notes[0], notes[1])];
    }
    notes
}
