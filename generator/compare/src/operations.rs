//! Operations of the two documents paired by method and route, and what each says at one
//! microversion: its statuses, and the fields of its query, request body and success
//! response bodies.
//!
//! Routes are compared with path parameter names left out (`/servers/{id}` is
//! `/servers/{server_id}`), and, for operations still unpaired, without a leading version
//! segment: nova's api-ref documents `/servers`, OpenStack's published spec `/v2.1/servers`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;
use stackspec_model::param::schema_of;
use stackspec_model::paths::route_shape;
use stackspec_model::version::Microversion;
use stackspec_model::view::range_of;
use stackspec_model::{escape_pointer, Spec, METHODS};

use crate::fields::{Facts, Fields, Flattener};
use crate::resolve::Document;
use crate::CompareError;

/// One operation of one document.
#[derive(Debug, Clone)]
pub struct Site<'a> {
    pub doc: Document<'a>,
    pub path: &'a str,
    /// Lower case.
    pub method: &'a str,
    pub node: &'a Value,
    /// The path item (for parameters shared by its operations).
    pub item: &'a Value,
    pub pointer: String,
}

impl Site<'_> {
    /// The `operationId`, else `METHOD path`.
    pub fn id(&self) -> String {
        match self.node.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => format!("{} {}", self.method.to_uppercase(), self.path),
        }
    }
}

/// Where in an exchange a field is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The operation as a whole (its statuses).
    Operation,
    /// A query parameter (the field's path is its name).
    Query,
    Request,
    /// The body of a response with this status.
    Response(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Operation => f.write_str("operation"),
            Location::Query => f.write_str("query"),
            Location::Request => f.write_str("request"),
            Location::Response(status) => write!(f, "response {status}"),
        }
    }
}

/// A field of an operation: where, and its data path (`/events/[]/code`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Field {
    pub location: Location,
    pub path: String,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.location, self.path.as_str()) {
            (Location::Query, name) => write!(f, "query {}", name.trim_start_matches('/')),
            (location, "") => write!(f, "{location} body"),
            (location, path) => write!(f, "{location} {path}"),
        }
    }
}

/// Both documents' operations: those paired, and those only one of them has.
#[derive(Debug, Default)]
pub struct Pairing<'a> {
    pub pairs: Vec<(Site<'a>, Site<'a>)>,
    pub docs_only: Vec<Site<'a>>,
    pub published_only: Vec<Site<'a>>,
}

/// Every operation of `spec`, in document order.
pub fn sites(spec: &Spec) -> Vec<Site<'_>> {
    let doc = Document::new(&spec.path, &spec.raw);
    let paths = spec.raw.get("paths").and_then(Value::as_object).into_iter().flatten();
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(node) = item.get(method) {
                let pointer = format!("/paths/{}/{method}", escape_pointer(path));
                out.push(Site { doc, path, method, node, item, pointer });
            }
        }
    }
    out
}

/// Pairs the operations of the two documents (see the module documentation).
pub fn pair<'a>(docs: Vec<Site<'a>>, published: Vec<Site<'a>>) -> Pairing<'a> {
    let exact = |s: &Site| (s.method.to_string(), route_shape(s.path));
    let bare = |s: &Site| (s.method.to_string(), without_version(&route_shape(s.path)));
    let (pairs, docs, published) = pair_by(docs, published, exact);
    let (more, docs_only, published_only) = pair_by(docs, published, bare);
    let mut pairs = pairs;
    pairs.extend(more);
    Pairing { pairs, docs_only, published_only }
}

type Paired<'a> = (Vec<(Site<'a>, Site<'a>)>, Vec<Site<'a>>, Vec<Site<'a>>);

/// Pairs each docs operation with the first unpaired published one of the same key.
fn pair_by<'a, K: Ord>(
    docs: Vec<Site<'a>>,
    published: Vec<Site<'a>>,
    key: impl Fn(&Site) -> K,
) -> Paired<'a> {
    let mut by_key: BTreeMap<K, Vec<Site<'a>>> = BTreeMap::new();
    for site in published.into_iter().rev() {
        by_key.entry(key(&site)).or_default().push(site);
    }
    let (mut pairs, mut docs_only) = (Vec::new(), Vec::new());
    for site in docs {
        match by_key.get_mut(&key(&site)).and_then(Vec::pop) {
            Some(other) => pairs.push((site, other)),
            None => docs_only.push(site),
        }
    }
    let mut published_only: Vec<Site> = by_key.into_values().flatten().collect();
    published_only.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    (pairs, docs_only, published_only)
}

/// `/v2.1/servers/{}` → `/servers/{}`.
fn without_version(route: &str) -> String {
    let mut segments = route.splitn(3, '/').skip(1);
    let first = segments.next().unwrap_or_default();
    let rest = segments.next();
    let is_version = first.strip_prefix('v').is_some_and(|v| {
        !v.is_empty()
            && v.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    match (is_version, rest) {
        (true, Some(rest)) => format!("/{rest}"),
        (true, None) => "/".to_string(),
        (false, _) => route.to_string(),
    }
}

/// The statuses an operation documents, and the response pointer of each.
pub fn statuses(site: &Site) -> Result<BTreeMap<String, String>, CompareError> {
    let responses = site.node.get("responses").and_then(Value::as_object).into_iter().flatten();
    responses
        .map(|(status, response)| {
            let at = format!("{}/responses/{}", site.pointer, escape_pointer(status));
            let (_, at) = site.doc.node(response, &at)?;
            Ok((status.clone(), at))
        })
        .collect()
}

/// Every field of the operation at `version` (every version when `None`).
pub fn fields(
    site: &Site,
    version: Option<Microversion>,
) -> Result<BTreeMap<Field, Facts>, CompareError> {
    let mut out = BTreeMap::new();
    let mut add = |location: Location, fields: Fields| {
        for (path, facts) in fields {
            out.insert(Field { location: location.clone(), path }, facts);
        }
    };
    for (name, schema, pointer, required) in query_parameters(site, version)? {
        let flat = Flattener::new(&site.doc, version).flatten(schema, &pointer, "", required)?;
        // A parameter is one field: its name; what lies inside it is not compared.
        let facts = flat.get("").cloned();
        add(Location::Query, facts.map(|f| (format!("/{name}"), f)).into_iter().collect());
    }
    if let Some(body) = site.node.get("requestBody") {
        let (body, at) = site.doc.node(body, &format!("{}/requestBody", site.pointer))?;
        if let Some((schema, pointer)) = json_schema(body, &at) {
            let required = body.get("required") == Some(&Value::Bool(true));
            add(
                Location::Request,
                Flattener::new(&site.doc, version).flatten(schema, &pointer, "", required)?,
            );
        }
    }
    let responses = site.node.get("responses").and_then(Value::as_object).into_iter().flatten();
    for (status, response) in responses.filter(|(s, _)| s.starts_with('2')) {
        let at = format!("{}/responses/{}", site.pointer, escape_pointer(status));
        let (response, at) = site.doc.node(response, &at)?;
        if let Some((schema, pointer)) = json_schema(response, &at) {
            let flat = Flattener::new(&site.doc, version).flatten(schema, &pointer, "", true)?;
            add(Location::Response(status.clone()), flat);
        }
    }
    Ok(out)
}

/// The JSON schema of a request body or response (`application/json`, else the first media
/// type whose name has `json`), with its pointer.
fn json_schema<'a>(node: &'a Value, at: &str) -> Option<(&'a Value, String)> {
    let content = node.get("content")?.as_object()?;
    let (media, value) = content
        .get_key_value("application/json")
        .or_else(|| content.iter().find(|(m, _)| m.contains("json")))?;
    let schema = value.get("schema")?;
    Some((schema, format!("{at}/content/{}/schema", escape_pointer(media))))
}

type Parameter<'a> = (String, &'a Value, String, bool);

/// The query parameters of the operation and its path item at `version`: name, schema,
/// the schema's pointer, and whether it is required.
fn query_parameters<'a>(
    site: &Site<'a>,
    version: Option<Microversion>,
) -> Result<Vec<Parameter<'a>>, CompareError> {
    let item_pointer = site.pointer.rsplit_once('/').map_or("", |(item, _)| item).to_string();
    let lists = [(site.item, item_pointer), (site.node, site.pointer.clone())];
    let mut out: Vec<Parameter<'a>> = Vec::new();
    for (owner, at) in lists {
        let list = owner.get("parameters").and_then(Value::as_array).into_iter().flatten();
        for (i, parameter) in list.enumerate() {
            let (parameter, at) = site.doc.node(parameter, &format!("{at}/parameters/{i}"))?;
            let query = parameter.get("in").and_then(Value::as_str) == Some("query");
            let in_version = version.is_none_or(|v| range_of(parameter).contains(v));
            let (Some(name), Some(found)) =
                (parameter.get("name").and_then(Value::as_str), schema_of(parameter))
            else {
                continue;
            };
            if query && in_version {
                let required = parameter.get("required") == Some(&Value::Bool(true));
                // An operation's parameter replaces its path item's of the same name.
                out.retain(|(n, ..)| n != name);
                out.push((
                    name.to_string(),
                    found.schema,
                    format!("{at}{}", found.pointer),
                    required,
                ));
            }
        }
    }
    Ok(out)
}

/// The microversions at which what the two operations say may change: every bound any
/// `x-openstack` range below either operation names (a `max-ver` bounds the version after
/// it), within the versions both operations exist at, plus the lowest of those. `[None]`
/// when neither names a version.
pub fn samples(docs: &Site, published: &Site) -> Vec<Option<Microversion>> {
    let mut bounds = BTreeSet::new();
    for site in [docs, published] {
        let mut seen = BTreeSet::new();
        collect_bounds(&site.doc, site.node, &mut bounds, &mut seen);
    }
    let (a, b) = (range_of(docs.node), range_of(published.node));
    let min = a.min.max(b.min);
    let max = match (a.max, b.max) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let Some(lowest) = bounds.first().copied() else { return vec![None] };
    let floor = min.unwrap_or(Microversion::new(lowest.major, 0));
    bounds.insert(floor);
    bounds.into_iter().filter(|v| *v >= floor && max.is_none_or(|m| *v <= m)).map(Some).collect()
}

/// Every `min-ver`, and the version after every `max-ver`, under `node`, following `$ref`s
/// (each once).
fn collect_bounds<'a>(
    doc: &Document<'a>,
    node: &'a Value,
    out: &mut BTreeSet<Microversion>,
    seen: &mut BTreeSet<String>,
) {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                if seen.insert(reference.to_string()) {
                    if let Ok((target, _)) = doc.resolve(reference, "") {
                        collect_bounds(doc, target, out, seen);
                    }
                }
            }
            let read = |key: &str| map.get(key)?.as_str()?.parse::<Microversion>().ok();
            out.extend(read("min-ver"));
            out.extend(read("max-ver").map(|m| Microversion::new(m.major, m.minor + 1)));
            for (key, value) in map {
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    collect_bounds(doc, value, out, seen);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_bounds(doc, v, out, seen)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_version_segment_is_left_out_only_when_it_is_one() {
        assert_eq!(without_version("/v2.1/servers/{}"), "/servers/{}");
        assert_eq!(without_version("/v2"), "/");
        assert_eq!(without_version("/servers/{}"), "/servers/{}");
        assert_eq!(without_version("/vx/servers"), "/vx/servers");
    }
}
