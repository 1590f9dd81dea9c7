//! The OpenAPI document: routes in document order, operation ids, tags, shared components
//! (microversion headers, the fault schema, the token security scheme).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::conflict::{self, Conflict};
use super::member;
use super::operation::{self, Body, Built, Response, STACKSPEC_EXTENSION};
use super::policy::set_policy;
use super::profile::ServiceProfile;
use super::routes::{self, Merged};
use super::target::{Method, EXTENSION_METHODS};
use crate::diagnostics::{Diagnostic, Location};
use crate::reader::ApiRef;
use stackspec_model::paths::{parameter_names, route_shape};
use stackspec_model::version::Microversion;
use stackspec_model::view::set_range;

/// The security scheme every OpenStack API uses: a Keystone token in `X-Auth-Token`.
const TOKEN_SCHEME: &str = "keystone_token";

/// Builds the whole document. Blocks on one route merge into one operation when they come
/// from one source directory; from two, they are a [`Conflict`], as are equal operation ids.
pub fn assemble(
    api: &ApiRef,
    profile: &ServiceProfile,
    label: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Value, Conflict> {
    let mut paths: IndexMap<String, Map<String, Value>> = IndexMap::new();
    let mut ids: HashMap<String, (usize, Location)> = HashMap::new();
    for ((path, method), (origin, blocks)) in group_by_route(api, profile, diagnostics)? {
        let merged = routes::merge(blocks);
        let item = paths.entry(path.clone()).or_default();
        match method {
            Method::OpenApi(method) => {
                let id = unique_id(&mut ids, &operation_id(&merged, &method, &path), &origin)?;
                item.insert(method, operation_object(&merged, &id, &path, profile, api));
            }
            Method::Extension(verb) => {
                let id = unique_id(&mut ids, &operation_id(&merged, &verb, &path), &origin)?;
                let op = operation_object(&merged, &id, &path, profile, api);
                let extension = item.entry(EXTENSION_METHODS).or_insert_with(|| json!({}));
                extension[verb.as_str()] = op;
            }
        }
    }
    let paths: Map<String, Value> =
        paths.into_iter().map(|(p, ops)| (p, Value::Object(ops))).collect();
    Ok(json!({
        "openapi": "3.0.3",
        "info": {
            "title": profile.title,
            "version": newest_version(api).map_or_else(|| "unversioned".to_string(), |v| v.to_string()),
            "description": format!("Transcribed by stackspec from the os-api-ref sources in `{label}`."),
            "x-stackspec": profile.facts(),
        },
        "tags": tags(api),
        "paths": paths,
        "components": components(profile),
        "security": [{ TOKEN_SCHEME: [] }],
    }))
}

/// The operations of every block, by route in document order, each with where its first
/// block is.
type Grouped = IndexMap<(String, Method), (Location, Vec<Built>)>;

/// Builds every block and groups them by route; path parameters are named as the route's
/// first block names them.
fn group_by_route(
    api: &ApiRef,
    profile: &ServiceProfile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Grouped, Conflict> {
    let mut routes = Grouped::new();
    let mut canonical: HashMap<String, String> = HashMap::new();
    for (file, block) in api.methods() {
        let mut built = operation::build(api, file, block, profile, diagnostics);
        let shape = route_shape(&built.path);
        let path = canonical.entry(shape).or_insert_with(|| built.path.clone()).clone();
        rename_path_parameters(&mut built, &path);
        let (origin, blocks) = routes
            .entry((path.clone(), built.method.clone()))
            .or_insert_with(|| (block.location.clone(), Vec::new()));
        if conflict::apart(origin, &block.location) {
            return Err(Conflict::Route {
                method: block.verb.clone(),
                path,
                first: origin.clone(),
                second: block.location.clone(),
            });
        }
        blocks.push(built);
    }
    Ok(routes)
}

/// The newest microversion the api-ref mentions: on a method, a parameter, or a sample.
fn newest_version(api: &ApiRef) -> Option<Microversion> {
    let methods = api.methods().flat_map(|(_, m)| [m.range.min, m.range.max]);
    let samples = api.methods().flat_map(|(_, m)| m.samples.iter().map(|s| s.version()));
    let params = api
        .parameter_files
        .values()
        .flat_map(|f| f.defs.values())
        .flat_map(|d| [d.range.min, d.range.max]);
    methods.chain(samples).chain(params).flatten().max()
}

/// Gives the path parameters of `built` the names `canonical` uses, by position.
fn rename_path_parameters(built: &mut Built, canonical: &str) {
    if built.path == canonical {
        return;
    }
    let renames: HashMap<String, String> = parameter_names(&built.path)
        .into_iter()
        .zip(parameter_names(canonical))
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
    built.parameters = std::mem::take(&mut built.parameters)
        .into_iter()
        .map(|((location, name), mut p)| match renames.get(&name).filter(|_| location == "path") {
            Some(to) => {
                p["name"] = json!(to);
                ((location, to.clone()), p)
            }
            None => ((location, name), p),
        })
        .collect();
    built.path = canonical.to_string();
}

fn operation_id(merged: &Merged, method: &str, path: &str) -> String {
    if merged.blocks == 1 && !merged.title.is_empty() {
        return slug(&merged.title);
    }
    let statics: Vec<&str> =
        path.split('/').filter(|s| !s.is_empty() && !s.starts_with('{')).collect();
    slug(&format!("{method} {}", statics.join(" ")))
}

/// `id`, numbered when an earlier operation of the same directory has it (`_2`, `_3`). `at`
/// is where the operation is documented.
fn unique_id(
    taken: &mut HashMap<String, (usize, Location)>,
    id: &str,
    at: &Location,
) -> Result<String, Conflict> {
    let (n, first) = taken.entry(id.to_string()).or_insert_with(|| (0, at.clone()));
    if conflict::apart(first, at) {
        return Err(Conflict::OperationId {
            id: id.to_string(),
            first: first.clone(),
            second: at.clone(),
        });
    }
    *n += 1;
    Ok(if *n == 1 { id.to_string() } else { format!("{id}_{n}") })
}

/// `List Actions For Server` → `list_actions_for_server`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

fn operation_object(
    merged: &Merged,
    id: &str,
    path: &str,
    profile: &ServiceProfile,
    api: &ApiRef,
) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(id));
    op.insert("summary".into(), json!(merged.title));
    if !merged.description.is_empty() {
        op.insert("description".into(), json!(merged.description));
    }
    op.insert("tags".into(), json!(merged.tags));
    let mut parameters: Vec<Value> = Vec::new();
    let profile_headers: Vec<String> = profile
        .microversions
        .iter()
        .flat_map(|m| m.headers.iter().map(|(n, _)| n.to_ascii_lowercase()))
        .collect();
    for ((location, name), p) in &merged.parameters {
        let replaced_by_profile =
            location == "header" && profile_headers.contains(&name.to_ascii_lowercase());
        if !replaced_by_profile {
            parameters.push(p.clone());
        }
    }
    for (name, _) in profile.microversions.iter().flat_map(|m| &m.headers) {
        parameters.push(json!({"$ref": format!("#/components/parameters/{name}")}));
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = &merged.request {
        let mut request = Map::new();
        request.insert("required".into(), json!(body.required));
        request.insert("content".into(), content(body, api));
        op.insert("requestBody".into(), Value::Object(request));
    }
    let mut responses = Map::new();
    for (code, r) in &merged.responses {
        responses.insert(code.clone(), response_object(r, api));
    }
    if responses.is_empty() {
        responses
            .insert("default".into(), json!({"description": "No response code is documented."}));
    }
    op.insert("responses".into(), Value::Object(responses));
    if is_version_discovery(path) {
        op.insert("security".into(), json!([]));
    }
    set_range(&mut op, merged.range);
    set_policy(&mut op, merged.policy);
    Value::Object(op)
}

/// Whether `path` is a version document: the root, glance's `/versions`, one version
/// segment (`/v2.1`), or one
/// parameter named for it (nova's and manila's `/{api_version}/`; not a lone `/{account}`),
/// which the services serve without a token.
fn is_version_discovery(path: &str) -> bool {
    let trimmed = path.trim_matches('/');
    let parameter = trimmed.starts_with('{')
        && trimmed.ends_with('}')
        && !trimmed.contains('/')
        && trimmed.contains("version");
    trimmed.is_empty()
        || trimmed == "versions"
        || parameter
        || (trimmed.starts_with('v')
            && trimmed[1..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn response_object(r: &Response, api: &ApiRef) -> Value {
    let mut out = Map::new();
    out.insert("description".into(), json!(r.description));
    if !r.headers.is_empty() {
        out.insert("headers".into(), Value::Object(r.headers.clone()));
    }
    if let Some(body) = &r.body {
        out.insert("content".into(), content(body, api));
    } else if let Some(fault) = &r.fault {
        out.insert("content".into(), json!({"application/json": {"schema": {"$ref": fault}}}));
    }
    stackspec_model::view::set_range(&mut out, r.range);
    Value::Object(out)
}

fn content(body: &Body, api: &ApiRef) -> Value {
    let mut media = Map::new();
    let mut schema = body.schema.clone();
    member::for_each_source(&mut schema, &mut |meta| relative_meta(meta, &api.root));
    media.insert("schema".into(), schema);
    if !body.examples.is_empty() {
        let examples: Map<String, Value> = body
            .examples
            .iter()
            .map(|(name, e)| (name.clone(), relative_sources(e, &api.root)))
            .collect();
        media.insert("examples".into(), Value::Object(examples));
    }
    json!({ body.media_type.clone(): media })
}

/// Rewrites an example's source paths relative to the api-ref root, so that the document does
/// not depend on where the sources were checked out.
fn relative_sources(example: &Value, root: &Path) -> Value {
    let mut example = example.clone();
    if let Some(meta) = example.get_mut(STACKSPEC_EXTENSION) {
        relative_meta(meta, root);
    }
    example
}

/// Rewrites the source paths of an example's `x-stackspec` metadata relative to `root`.
fn relative_meta(meta: &mut Value, root: &Path) {
    for key in ["source", "sample"] {
        if let Some(Value::String(s)) = meta.get_mut(key) {
            *s = relative(Path::new(s.as_str()), root).display().to_string();
        }
    }
}

/// `path` relative to `base`, with `..` steps where it lies outside it.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component<'_>> = path.components().collect();
    let b: Vec<Component<'_>> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

fn tags(api: &ApiRef) -> Value {
    let tags: Vec<Value> = api
        .files
        .iter()
        .filter(|f| !f.methods.is_empty())
        .map(|f| json!({"name": f.stem(), "description": f.title}))
        .collect();
    Value::Array(tags)
}

fn components(profile: &ServiceProfile) -> Value {
    let mut parameters = Map::new();
    for (name, description) in profile.microversions.iter().flat_map(|m| &m.headers) {
        parameters.insert(
            name.clone(),
            json!({"name": name, "in": "header", "required": false, "description": description, "schema": {"type": "string"}}),
        );
    }
    let mut schemas = Map::new();
    for fault in profile.fault.iter().chain(&profile.unauthorized) {
        schemas.insert(fault.name.clone(), fault.schema.clone());
    }
    let mut components = Map::new();
    if !parameters.is_empty() {
        components.insert("parameters".into(), Value::Object(parameters));
    }
    if !schemas.is_empty() {
        components.insert("schemas".into(), Value::Object(schemas));
    }
    components.insert(
        "securitySchemes".into(),
        json!({ TOKEN_SCHEME: {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "description": "A Keystone token."} }),
    );
    Value::Object(components)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_relative_paths() {
        assert_eq!(slug("List Actions For Server"), "list_actions_for_server");
        assert_eq!(slug("Show (v2.1) details!"), "show_v2_1_details");
        let rel = relative(Path::new("/a/nova/doc/x.json"), Path::new("/a/nova/api-ref/source"));
        assert_eq!(rel, Path::new("../../doc/x.json"));
        assert!(
            is_version_discovery("/")
                && is_version_discovery("/versions")
                && is_version_discovery("/v2.1")
                && is_version_discovery("/{api_version}/")
                && !is_version_discovery("/v2/tasks")
                && !is_version_discovery("/{tenant_id}/stacks")
                && !is_version_discovery("/{account}")
                && !is_version_discovery("/versions/{id}")
        );
    }
}
