//! The intermediate model between an OpenAPI document and the templates: named Rust types
//! and operations, with every name already a unique, valid identifier and every type
//! already a fully qualified Rust type expression. Templates only lay it out.

mod boxing;
mod naming;
mod operation;
mod outcome;
mod path;
mod schema;
mod schemas;

use std::fmt;

use serde::Serialize;

use super::error::GenerateError;
use super::names::{camel, Namespace};
use stackspec_model::Spec;

pub use operation::{Body, BodyKind, Operation, Param, ParamLocation, Response};
pub use outcome::{Arm, Outcome};
pub use path::{Capture, PathSegment, Piece};
pub use schemas::SchemaDocument;

use naming::Owners;

/// Everything generated for one service.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// The service type (`compute`, `image`).
    pub service_type: String,
    /// The service as `OpenStack-API-Version` names it: the service type, unless the spec's
    /// facts say otherwise (cinder's `volume`).
    pub version_service: String,
    /// The service's own microversion header from before `OpenStack-API-Version`, sent too
    /// so that older clouds see the version.
    pub legacy_version_header: Option<String>,
    /// The lowest microversion the document names, `[major, minor]`: what a request with no
    /// version header gets.
    pub min_version: Option<[u32; 2]>,
    /// Which shape the server's own error bodies take: the variant of the runtime's
    /// `FaultStyle` the spec names (`info.x-stackspec.fault-style`), as `NamedFault`.
    pub fault_style: String,
    /// The URI the service's JSON Schema document (`schemas.json`) is registered under.
    pub schemas_uri: String,
    /// Request bodies' JSON Schemas, one document; written beside the modules.
    #[serde(skip)]
    pub schemas: SchemaDocument,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub uses: Uses,
    pub routes: Vec<Route>,
}

/// Which shared helpers the operations need, so that templates emit no unused code.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Uses {
    pub path: bool,
    pub query: bool,
    pub header: bool,
    /// Any parameter, all of which travel as text.
    pub text: bool,
    pub json_body: bool,
    /// A JSON body with a schema to check it against.
    pub body_schema: bool,
    pub bytes_body: bool,
    pub bytes_response: bool,
    pub empty_response: bool,
    /// A field with [`Field::keep_null`].
    pub keep_null: bool,
    /// A query parameter with a microversion range: the router reads the requested version.
    pub versioned_query: bool,
}

impl Uses {
    fn of(operations: &[Operation], types: &[TypeDef]) -> Self {
        let any = |f: &dyn Fn(&Operation) -> bool| operations.iter().any(f);
        let body =
            |kind: BodyKind| move |op: &Operation| op.body.as_ref().is_some_and(|b| b.kind == kind);
        let response = |kind: BodyKind| {
            move |op: &Operation| op.responses.iter().any(|r| r.ty.is_some() && r.kind == kind)
        };
        let path = any(&|op| !op.path_params.is_empty());
        let query = any(&|op| !op.query_params.is_empty());
        let header = any(&|op| !op.header_params.is_empty());
        Self {
            path,
            query,
            header,
            text: path || query || header,
            json_body: any(&body(BodyKind::Json)),
            body_schema: any(&|op| op.body.as_ref().is_some_and(|b| b.schema.is_some())),
            bytes_body: any(&body(BodyKind::Bytes)),
            bytes_response: any(&response(BodyKind::Bytes)),
            empty_response: any(&|op| op.responses.iter().any(|r| r.ty.is_none())),
            versioned_query: any(&|op| {
                op.query_params.iter().any(|p| p.since.is_some() || p.until.is_some())
            }),
            keep_null: types.iter().any(|t| {
                matches!(&t.kind, TypeKind::Struct { fields, .. } if fields.iter().any(|f| f.keep_null))
            }),
        }
    }
}

/// One axum route: a path with positional parameter names (`{p0}`), so that documented
/// paths that differ only in parameter names share a route, and the methods on it.
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub path: String,
    /// Lower-case method and the operation's identifier.
    pub methods: Vec<(String, String)>,
}

fn routes(operations: &[Operation]) -> Result<Vec<Route>, GenerateError> {
    let mut routes: Vec<Route> = Vec::new();
    for op in operations {
        let mut index = 0;
        let mut path = String::new();
        for segment in &op.segments {
            path.push('/');
            if segment.is_param {
                path.push_str(&format!("{{p{index}}}"));
                index += 1;
            } else {
                path.push_str(&segment.text);
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        let method = op.method.to_lowercase();
        let position = routes.iter().position(|r| r.path == path);
        let index = position.unwrap_or_else(|| {
            routes.push(Route { path, methods: Vec::new() });
            routes.len() - 1
        });
        let route = &mut routes[index];
        if route.methods.iter().any(|(m, _)| *m == method) {
            return Err(GenerateError::unsupported(
                &format!("/paths/{}/{method}", stackspec_model::escape_pointer(&op.path)),
                "two paths that differ only in parameter names with the same method",
            ));
        }
        route.methods.push((method, op.ident.clone()));
    }
    Ok(routes)
}

impl Service {
    /// Builds the model of `spec`. The service type the standard microversion header names
    /// is the spec's (`info.x-stackspec`), else `fallback_service_type`.
    pub fn build(spec: &Spec, fallback_service_type: &str) -> Result<Self, GenerateError> {
        // The first build surveys which shapes want which names; the second names by it.
        let (first, ..) = Self::types_and_operations(spec, Owners::default())?;
        let (types, operations, schemas) =
            Self::types_and_operations(spec, first.survey().owners())?;
        let service_type = spec.service_type().unwrap_or(fallback_service_type).to_string();
        let version_service =
            spec.facts.microversion_service().unwrap_or(fallback_service_type).to_string();
        let schemas_uri = format!("https://stackspec.invalid/{service_type}/schemas.json");
        let mut types = types.finish();
        boxing::box_recursive_fields(&mut types);
        Ok(Self {
            uses: Uses::of(&operations, &types),
            routes: routes(&operations)?,
            service_type,
            version_service,
            legacy_version_header: spec.facts.legacy_microversion_header().map(String::from),
            min_version: spec.min_microversion().map(|v| [v.major, v.minor]),
            fault_style: format!("{:?}", spec.facts.fault_style),
            schemas_uri,
            schemas,
            types,
            operations,
        })
    }
}

impl Service {
    fn types_and_operations(
        spec: &Spec,
        owners: Owners,
    ) -> Result<(schema::TypeBuilder<'_>, Vec<Operation>, SchemaDocument), GenerateError> {
        let mut types = schema::TypeBuilder::new(spec, Namespace::default(), owners);
        types.components()?;
        let mut schemas = SchemaDocument::default();
        let operations = operation::build_all(spec, &mut types, &mut schemas)?;
        Ok((types, operations, schemas))
    }
}

/// A Rust type expression. Named types live in the generated `types` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// Any JSON: a schema that says nothing about its instances.
    Json,
    /// A JSON object with unknown keys and values.
    JsonObject,
    /// A raw, non-JSON body.
    Bytes,
    Named(String),
    Vec(Box<RustType>),
    Map(Box<RustType>),
    Option(Box<RustType>),
    Box(Box<RustType>),
}

impl RustType {
    pub(crate) fn option(self) -> Self {
        match self {
            Self::Option(_) => self,
            other => Self::Option(Box::new(other)),
        }
    }

    /// How a function borrows a value of this type (`&str`, `&[u8]`, `&T`).
    pub fn borrowed(&self) -> String {
        match self {
            Self::String => "&str".into(),
            Self::Bytes => "&[u8]".into(),
            other => format!("&{other}"),
        }
    }
}

impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String => f.write_str("::std::string::String"),
            Self::Bool => f.write_str("bool"),
            Self::I32 => f.write_str("i32"),
            Self::I64 => f.write_str("i64"),
            Self::F32 => f.write_str("f32"),
            Self::F64 => f.write_str("f64"),
            Self::Json => f.write_str("::serde_json::Value"),
            Self::JsonObject => {
                f.write_str("::serde_json::Map<::std::string::String, ::serde_json::Value>")
            }
            Self::Bytes => f.write_str("::std::vec::Vec<u8>"),
            Self::Named(name) => write!(f, "super::types::{name}"),
            Self::Vec(t) => write!(f, "::std::vec::Vec<{t}>"),
            Self::Map(t) => write!(f, "::std::collections::BTreeMap<::std::string::String, {t}>"),
            Self::Option(t) => write!(f, "::std::option::Option<{t}>"),
            Self::Box(t) => write!(f, "::std::boxed::Box<{t}>"),
        }
    }
}

impl Serialize for RustType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A named type of the `types` module.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    /// `#[doc]` lines.
    pub doc: Vec<String>,
    /// Where in the document it comes from.
    pub pointer: String,
    #[serde(flatten)]
    pub kind: TypeKind,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// Every field optional, so `Default` makes sense.
        default: bool,
    },
    /// A string enum that also keeps values it does not know (`Other`).
    StringEnum {
        variants: Vec<EnumVariant>,
    },
    /// `oneOf` of single-key objects: serde's externally tagged enum is exactly that shape.
    Tagged {
        variants: Vec<UnionVariant>,
    },
    /// Any other `oneOf`/`anyOf`: the first branch that deserializes wins.
    Untagged {
        variants: Vec<UnionVariant>,
    },
    Alias {
        ty: RustType,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub ident: String,
    pub wire: String,
    pub ty: RustType,
    pub doc: Vec<String>,
    /// Left out of the JSON when `None` (optional fields; required nullable ones send null).
    pub skip_if_none: bool,
    /// An optional field that may be null (`Option<Option<T>>`, or `Option<Value>` for any
    /// JSON): read with `deserialize_present`, so that null is `Some(None)` (or
    /// `Some(Value::Null)`) and absent is `None`, and both survive a round trip.
    pub keep_null: bool,
    /// `additionalProperties` next to `properties`: the remaining keys.
    pub flatten: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    pub ident: String,
    pub wire: String,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    pub ident: String,
    /// The key of a tagged variant.
    pub wire: String,
    pub ty: RustType,
    pub doc: Vec<String>,
}

/// The `UpperCamelCase` type-name prefix for things derived from an operation.
pub(crate) fn type_prefix(op_ident: &str) -> String {
    camel(op_ident.trim_start_matches("r#"))
}
