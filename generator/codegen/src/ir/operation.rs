//! Operations: one client method and one server handler each, with typed parameters, body
//! and a response enum that has one variant per documented status.

use serde::Serialize;
use serde_json::{Map, Value};

use super::naming::Hint;
use super::outcome::Outcome;
use super::path::{self, Capture, PathSegment};
use super::schema::{doc_lines, single_key, TypeBuilder};
use super::{type_prefix, RustType, SchemaDocument};
use crate::error::GenerateError;
use crate::names::{camel, join, singular, snake, Namespace};
use stackspec_model::json_schema::convert_for_every_version;
use stackspec_model::param::{schema_of, Encoding};
use stackspec_model::version::Microversion;
use stackspec_model::view::range_of;
use stackspec_model::{escape_pointer, OperationRef, Spec};

type Result<T> = std::result::Result<T, GenerateError>;

/// Method names the client template defines itself.
const RESERVED_METHODS: &[&str] = &["new", "with_token", "with_microversion", "send"];

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `snake_case` method name.
    pub ident: String,
    /// Upper-case HTTP method (`GET`).
    pub method: String,
    /// The path template as documented (`/v2/tasks/{task_id}`).
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub doc: Vec<String>,
    pub path_params: Vec<Param>,
    /// Query and header parameters travel in one struct, named here (if there are any).
    pub params_type: Option<String>,
    pub query_params: Vec<Param>,
    pub header_params: Vec<Param>,
    pub body: Option<Body>,
    pub response_type: String,
    pub responses: Vec<Response>,
    /// What the client returns.
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub ident: String,
    pub wire: String,
    pub location: ParamLocation,
    /// `Option<..>` unless required.
    pub ty: RustType,
    /// The type a method takes it as (`&str` for a string).
    pub arg: String,
    pub required: bool,
    /// An array, sent as the key repeated once per element.
    pub repeated: bool,
    /// An object in the query, sent as one pair per member (`style: form`, `explode: true`,
    /// OpenAPI's default): the server reads every pair no other query parameter claims.
    pub object: bool,
    /// A `content` parameter: the whole value sent as one JSON text (cinder's `metadata`).
    pub json: bool,
    pub doc: Vec<String>,
    /// The microversions the parameter exists at (`x-openstack`), as `[major, minor]`:
    /// outside them a server ignores it, as the services do.
    pub since: Option<[u32; 2]>,
    pub until: Option<[u32; 2]>,
    /// A path parameter's place in the server's route.
    pub capture: Option<Capture>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    Json,
    Bytes,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub ty: RustType,
    /// The type a method takes it as (`&[u8]` for bytes).
    pub arg: String,
    pub content_type: String,
    pub kind: BodyKind,
    /// A JSON body's schema: its name under `$defs` of the service's JSON Schema document
    /// ([`super::SchemaDocument`]). The server holds bodies to it before serde reads them,
    /// since serde alone does not check lengths, bounds, patterns or unknown keys.
    pub schema: Option<String>,
    /// A JSON body the request may leave out (`requestBody.required` is not true): `ty` and
    /// `arg` are `Option`s.
    pub optional: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub status: u16,
    /// `Ok200`, `MultiStatus207`, `NotFound404`.
    pub variant: String,
    /// No type: the status has no body.
    pub ty: Option<RustType>,
    pub kind: BodyKind,
    pub doc: Vec<String>,
}

pub(crate) fn build_all(
    spec: &Spec,
    types: &mut TypeBuilder,
    schemas: &mut SchemaDocument,
) -> Result<Vec<Operation>> {
    let mut methods = Namespace::with_reserved(RESERVED_METHODS);
    spec.operations().map(|op| build(spec, op, types, schemas, &mut methods)).collect()
}

fn build(
    spec: &Spec,
    op: OperationRef,
    types: &mut TypeBuilder,
    schemas: &mut SchemaDocument,
    methods: &mut Namespace,
) -> Result<Operation> {
    let pointer = op.pointer();
    let raw = spec
        .at(&pointer)
        .and_then(Value::as_object)
        .ok_or_else(|| GenerateError::invalid(&pointer, "an operation object"))?;
    let wanted = match raw.get("operationId").and_then(Value::as_str) {
        Some(id) => snake(id),
        None => snake(&format!("{} {}", op.method, op.path.replace(['{', '}'], ""))),
    };
    let ident = methods.claim(&wanted);
    let prefix = type_prefix(&ident);
    // The operation's parts are qualified with its name where their plain names are taken.
    types.enter(&prefix);
    let built = build_parts(spec, op, raw, (ident, prefix.clone()), types, schemas);
    types.leave();
    built
}

fn build_parts(
    spec: &Spec,
    op: OperationRef,
    raw: &Map<String, Value>,
    (ident, prefix): (String, String),
    types: &mut TypeBuilder,
    schemas: &mut SchemaDocument,
) -> Result<Operation> {
    let pointer = op.pointer();
    let params = parameters(spec, op, raw, &pointer, types)?;
    let (mut path_params, rest): (Vec<_>, Vec<_>) =
        params.into_iter().partition(|p| p.location == ParamLocation::Path);
    let (query_params, header_params): (Vec<_>, Vec<_>) =
        rest.into_iter().partition(|p| p.location == ParamLocation::Query);
    if query_params.iter().filter(|p| p.object).count() > 1 {
        return Err(GenerateError::unsupported(
            &pointer,
            "two object-valued query parameters: whose members a query pair is cannot be told",
        ));
    }
    let segments = path::segments(op.path, &mut path_params, &pointer)?;
    let params_type = (!query_params.is_empty() || !header_params.is_empty())
        .then(|| types.claim(&format!("{prefix}Params")));
    let body = match raw.get("requestBody") {
        Some(body) => {
            let body_pointer = format!("{pointer}/requestBody");
            let def = ident.trim_start_matches("r#");
            Some(request_body(spec, body, &body_pointer, (&prefix, def), types, schemas)?)
        }
        None => None,
    };
    let responses = responses(spec, raw, (&pointer, &segments), &prefix, types)?;
    let mut doc = doc_lines(raw);
    if let Some(summary) = raw.get("summary").and_then(Value::as_str) {
        let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
        doc.insert(0, format!(" {}", crate::rst::to_markdown(&summary)));
        if doc.len() > 1 {
            doc.insert(1, String::new());
        }
    }
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(format!(" `{} {}`", op.method.to_uppercase(), op.path));
    let response_type = types.claim(&format!("{prefix}Response"));
    let outcome = Outcome::of(&responses, &response_type, types);
    Ok(Operation {
        ident,
        method: op.method.to_uppercase(),
        path: op.path.to_string(),
        segments,
        doc,
        path_params,
        params_type,
        query_params,
        header_params,
        body,
        response_type,
        responses,
        outcome,
    })
}

/// Path-level and operation-level parameters; an operation's own parameter replaces the
/// path-level one with the same name and location.
fn parameters(
    spec: &Spec,
    op: OperationRef,
    raw: &Map<String, Value>,
    pointer: &str,
    types: &mut TypeBuilder,
) -> Result<Vec<Param>> {
    let item_pointer = format!("/paths/{}/parameters", escape_pointer(op.path));
    let mut listed: Vec<(Value, String)> = Vec::new();
    let path_level = spec.at(&item_pointer).and_then(Value::as_array).into_iter().flatten();
    let own = raw.get("parameters").and_then(Value::as_array).into_iter().flatten();
    let sources = path_level
        .enumerate()
        .map(|(i, p)| (p, format!("{item_pointer}/{i}")))
        .chain(own.enumerate().map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))));
    for (param, param_pointer) in sources {
        let (param, param_pointer) = resolve_component(spec, param, &param_pointer, "parameters")?;
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
        listed.retain(|(p, _)| key(p) != key(param));
        listed.push((param.clone(), param_pointer));
    }
    let mut idents = Namespace::default();
    listed
        .iter()
        .map(|(param, param_pointer)| parameter(param, param_pointer, types, &mut idents))
        .collect()
}

fn parameter(
    param: &Value,
    pointer: &str,
    types: &mut TypeBuilder,
    idents: &mut Namespace,
) -> Result<Param> {
    let range = range_of(param);
    let found = schema_of(param);
    let param =
        param.as_object().ok_or_else(|| GenerateError::invalid(pointer, "a parameter object"))?;
    let text = |key: &str| {
        param
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| GenerateError::invalid(&format!("{pointer}/{key}"), "a string"))
    };
    let wire = text("name")?.to_string();
    let location = match text("in")? {
        "path" => ParamLocation::Path,
        "query" => ParamLocation::Query,
        "header" => ParamLocation::Header,
        other => {
            return Err(GenerateError::unsupported(
                &format!("{pointer}/in"),
                format!("parameters `in: {other}`"),
            ))
        }
    };
    let found = found.ok_or_else(|| {
        GenerateError::unsupported(
            pointer,
            "a parameter without `schema` or an `application/json` `content`",
        )
    })?;
    let json = found.encoding == Encoding::Json;
    if json && location != ParamLocation::Query {
        return Err(GenerateError::unsupported(pointer, "`content` parameters outside the query"));
    }
    let required =
        location == ParamLocation::Path || param.get("required") == Some(&Value::Bool(true));
    let hint = Hint::Part(camel(&wire));
    let ty = types.type_of(found.schema, &format!("{pointer}{}", found.pointer), &hint)?;
    let repeated = !json
        && (matches!(&ty, RustType::Vec(_))
            || matches!(&ty, RustType::Option(inner) if matches!(**inner, RustType::Vec(_))));
    if repeated && location != ParamLocation::Query {
        return Err(GenerateError::unsupported(pointer, "array parameters outside the query"));
    }
    let object = !json && matches!(ty, RustType::JsonObject | RustType::Map(_));
    if object {
        exploded_in_query(param, location, pointer)?;
    }
    let doc = doc_lines(param);
    let ty = if required { ty } else { ty.option() };
    let pair = |v: Microversion| [v.major, v.minor];
    Ok(Param {
        since: range.min.map(pair),
        until: range.max.map(pair),
        ident: idents.claim(&snake(&wire)),
        wire,
        location,
        arg: ty.borrowed(),
        ty,
        required,
        repeated,
        object,
        json,
        doc,
        capture: None,
    })
}

/// An object-valued parameter must be in the query in OpenAPI's default serialization
/// (`style: form`, `explode: true`: one pair per member), the only one implemented.
fn exploded_in_query(
    param: &Map<String, Value>,
    location: ParamLocation,
    pointer: &str,
) -> Result<()> {
    let text = |key: &str| param.get(key).and_then(Value::as_str);
    // OpenAPI's defaults: `form` in the query, `simple` in the path and headers.
    let default_style = if location == ParamLocation::Query { "form" } else { "simple" };
    let style = text("style").unwrap_or(default_style);
    let explode = param.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
    if location != ParamLocation::Query || style != "form" || !explode {
        return Err(GenerateError::unsupported(
            pointer,
            format!(
                "object-valued parameters other than in the query, `style: form`, `explode: true` \
                 (found `in: {}`, `style: {style}`, `explode: {explode}`)",
                text("in").unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// A request body; `names` are the type-name prefix and the `$defs` name of its schema.
fn request_body(
    spec: &Spec,
    body: &Value,
    pointer: &str,
    names: (&str, &str),
    types: &mut TypeBuilder,
    schemas: &mut SchemaDocument,
) -> Result<Body> {
    let (prefix, def) = names;
    let (body, pointer) = resolve_component(spec, body, pointer, "requestBodies")?;
    let Content { media_type: content_type, kind, schema } = content(body, &pointer)?
        .ok_or_else(|| GenerateError::invalid(&pointer, "a request body with `content`"))?;
    let (ty, schema) = match (kind, schema) {
        (BodyKind::Json, Some((schema, schema_pointer))) => {
            let hint = Hint::Own(join(prefix, "Request"));
            let ty = types.type_of(schema, &schema_pointer, &hint)?;
            let json_schema = convert_for_every_version(schema, spec.component_schemas());
            (ty, Some(schemas.add(def, json_schema)))
        }
        (BodyKind::Json, None) => (RustType::Json, None),
        (BodyKind::Bytes, _) => (RustType::Bytes, None),
    };
    // `requestBody.required` is false unless said (OpenAPI's default): a JSON body that may
    // be left out is an `Option` on both sides (keystone's credential list, ironic's node
    // list). A bytes body is always sent.
    let optional = kind == BodyKind::Json && body.get("required") != Some(&Value::Bool(true));
    let (ty, arg) = match optional {
        true => (ty.clone().option(), format!("::std::option::Option<{}>", ty.borrowed())),
        false => (ty.clone(), ty.borrowed()),
    };
    Ok(Body { arg, ty, content_type, kind, schema, optional })
}

/// The documented responses, after the operation's pointer and path segments.
fn responses(
    spec: &Spec,
    raw: &Map<String, Value>,
    (pointer, segments): (&str, &[PathSegment]),
    prefix: &str,
    types: &mut TypeBuilder,
) -> Result<Vec<Response>> {
    let responses_pointer = format!("{pointer}/responses");
    let listed = raw
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| GenerateError::invalid(&responses_pointer, "a responses object"))?;
    let successes = listed.keys().filter_map(|code| code.parse::<u16>().ok()).filter(|s| *s < 400);
    let sole_success = successes.count() == 1;
    let mut out = Vec::with_capacity(listed.len());
    for (code, response) in listed {
        let response_pointer = format!("{responses_pointer}/{}", escape_pointer(code));
        // `default` and ranges (`2XX`) name no status: an answer the document does not
        // list by its status reaches the caller as an undocumented response, body kept.
        if code == "default" || code.ends_with("XX") {
            continue;
        }
        let status =
            code.parse::<u16>().ok().filter(|s| (100..=599).contains(s)).ok_or_else(|| {
                GenerateError::invalid(&response_pointer, "a status code, `default` or `NXX`")
            })?;
        let (response, response_pointer) =
            resolve_component(spec, response, &response_pointer, "responses")?;
        let variant = status_variant(status);
        let (ty, kind) = match content(response, &response_pointer)?.map(|c| (c.kind, c.schema)) {
            None => (None, BodyKind::Json),
            Some((BodyKind::Bytes, _)) => (Some(RustType::Bytes), BodyKind::Bytes),
            Some((BodyKind::Json, None)) => (Some(RustType::Json), BodyKind::Json),
            Some((BodyKind::Json, Some((schema, schema_pointer)))) => {
                let hint = if status < 400 && sole_success {
                    success_hint(schema, segments, prefix)
                } else {
                    Hint::Own(join(prefix, &status_name(status)))
                };
                let ty = types.type_of(schema, &schema_pointer, &hint)?;
                (Some(ty), BodyKind::Json)
            }
        };
        let doc = response.as_object().map(doc_lines).unwrap_or_default();
        out.push(Response { status, variant, ty, kind, doc });
    }
    Ok(out)
}

/// The name of an operation's only success body: the resource its path names where the
/// path ends in a parameter and the body is not a one-key wrapper (glance's `GET
/// /v2/tasks/{task_id}` answers a `Task`), else `<Operation>Output`.
fn success_hint(schema: &Value, segments: &[PathSegment], prefix: &str) -> Hint {
    let fallback = join(prefix, "Output");
    let wrapper = schema.as_object().and_then(single_key).is_some();
    let literal = |s: &&PathSegment| !s.is_param && !s.text.is_empty();
    let mut segments = segments.iter().rev().skip_while(|s| !s.is_param && s.text.is_empty());
    let item = segments.next().is_some_and(|last| last.is_param);
    match segments.find(literal) {
        Some(collection) if item && !wrapper => {
            let name = camel(&collection.text);
            Hint::Resource { base: singular(&name).unwrap_or(name), fallback }
        }
        _ => Hint::Own(fallback),
    }
}

/// What a request body or response carries.
struct Content<'v> {
    media_type: String,
    kind: BodyKind,
    /// The schema and its pointer, if the media type has one.
    schema: Option<(&'v Value, String)>,
}

/// The content of a request body or response; JSON media types are preferred when several
/// are listed.
fn content<'v>(node: &'v Value, pointer: &str) -> Result<Option<Content<'v>>> {
    let Some(content) = node.get("content") else {
        return Ok(None);
    };
    let content = content.as_object().ok_or_else(|| {
        GenerateError::invalid(&format!("{pointer}/content"), "a map of media types")
    })?;
    let Some((media, entry)) =
        content.iter().find(|(m, _)| m.contains("json")).or_else(|| content.iter().next())
    else {
        return Ok(None);
    };
    let kind = if media.contains("json") { BodyKind::Json } else { BodyKind::Bytes };
    let schema_pointer = format!("{pointer}/content/{}/schema", escape_pointer(media));
    Ok(Some(Content {
        media_type: media.clone(),
        kind,
        schema: entry.get("schema").map(|s| (s, schema_pointer)),
    }))
}

/// Follows a `$ref` into `components/<section>` (one level, as 3.0 allows).
fn resolve_component<'v>(
    spec: &'v Spec,
    node: &'v Value,
    pointer: &str,
    section: &str,
) -> Result<(&'v Value, String)> {
    let Some(target) = node.get("$ref") else {
        return Ok((node, pointer.to_string()));
    };
    let ref_pointer = format!("{pointer}/$ref");
    let target = target.as_str().ok_or_else(|| GenerateError::invalid(&ref_pointer, "a string"))?;
    let prefix = format!("#/components/{section}/");
    if !target.starts_with(&prefix) {
        return Err(GenerateError::unsupported(
            &ref_pointer,
            format!("`{target}`: expected a reference into {prefix}"),
        ));
    }
    let target_pointer = &target[1..];
    let resolved = spec.at(target_pointer).ok_or_else(|| GenerateError::DanglingRef {
        pointer: ref_pointer.clone(),
        target: target.to_string(),
    })?;
    Ok((resolved, target_pointer.to_string()))
}

/// `Ok200`, `MultiStatus207`: the reason phrase and the code, so that both read in a match.
fn status_variant(status: u16) -> String {
    format!("{}{status}", reason_phrase(status).unwrap_or("Status"))
}

/// The part of a body's type name that says which status it answers: the reason phrase
/// (`NotFound`), or `Status599` for a status without one here.
fn status_name(status: u16) -> String {
    reason_phrase(status).map_or_else(|| format!("Status{status}"), String::from)
}

fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}
