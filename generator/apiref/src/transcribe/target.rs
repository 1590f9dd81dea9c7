//! What a `rest_method` line names, in the terms OpenAPI allows. OpenAPI knows eight methods
//! and paths without a query string; api-refs also write other verbs (swift's `COPY`,
//! ironic's placeholder `METHOD` for "whatever the driver's method takes") and put query
//! strings into paths (`/vendor_passthru?method={method_name}`, `/bios/?detail=True`). Such a
//! verb's operation is kept under the path item's [`EXTENSION_METHODS`] extension, and each
//! `key=value` of a query string becomes a query parameter; both are reported.

use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};

/// The path item extension holding the operations whose verb is not an OpenAPI method,
/// keyed by the verb as written (non-token bytes escaped, so a NUL stays visible).
pub const EXTENSION_METHODS: &str = "x-stackspec-methods";

/// The methods OpenAPI 3.0 has path item fields for.
const OPENAPI_METHODS: [&str; 8] =
    ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// How an operation is keyed in its path item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    /// An OpenAPI method, lower case: the path item's field.
    OpenApi(String),
    /// Any other verb, as written: a key of [`EXTENSION_METHODS`].
    Extension(String),
}

/// One `key=value` of a query string in a documented path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPart {
    pub key: String,
    pub value: QueryValue,
}

/// What a query string says a key's value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryValue {
    /// `{name}` or `<name>`: a value the caller chooses, documented (if at all) as `name`.
    Placeholder(String),
    /// A fixed value (`detail=True`), or none (`?all_tenants`).
    Literal(String),
}

/// A `rest_method`'s verb and path, split into what OpenAPI keys operations by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub method: Method,
    /// The path without its query string.
    pub path: String,
    pub query: Vec<QueryPart>,
}

impl Target {
    /// Splits `verb` and `path` as the reader gave them.
    pub fn of(verb: &str, path: &str) -> Self {
        let lower = verb.to_ascii_lowercase();
        let method = if OPENAPI_METHODS.contains(&lower.as_str()) {
            Method::OpenApi(lower)
        } else {
            Method::Extension(visible(verb))
        };
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let query = query.split('&').filter(|p| !p.is_empty()).map(query_part).collect();
        Self { method, path: path.to_string(), query }
    }

    /// A warning for each thing OpenAPI could not take as written, at the `rest_method`.
    pub fn warnings(&self, verb: &str, at: &Location) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Method::Extension(key) = &self.method {
            let why = if is_token(verb) {
                "is not an HTTP method OpenAPI has"
            } else {
                "is not an HTTP method token (RFC 9110)"
            };
            out.push(format!(
                "`{key}` {why}; the operation is kept under `{EXTENSION_METHODS}` of `{}`",
                self.path
            ));
        }
        if !self.query.is_empty() {
            let keys: Vec<&str> = self.query.iter().map(|q| q.key.as_str()).collect();
            out.push(format!(
                "the path `{}` has a query string, which OpenAPI paths cannot; transcribed as query parameters `{}`",
                self.path,
                keys.join("`, `")
            ));
        }
        out.into_iter()
            .map(|message| Diagnostic::new(DiagnosticKind::NotOpenApi, at.clone(), message))
            .collect()
    }
}

/// Parameter objects keyed by `(in, name)`, as an operation holds them.
pub type Parameters = IndexMap<(String, String), Value>;

/// Makes each part of the path's query string a query parameter of `parameters`: a
/// placeholder takes the definition listed under its name (`{method_name}` documented as
/// `method_name`, whatever `in:` it says) renamed to the query's key; a literal is a
/// required one-value string. An undocumented placeholder is a required string, reported.
pub fn query_parameters(
    query: &[QueryPart],
    parameters: &mut Parameters,
    at: &Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for part in query {
        let key = ("query".to_string(), part.key.clone());
        let parameter = match &part.value {
            QueryValue::Placeholder(name) => {
                let documented = ["query", "path"]
                    .into_iter()
                    .find_map(|l| parameters.shift_remove(&(l.to_string(), name.clone())));
                documented.map(|mut p| {
                    p["name"] = json!(part.key);
                    p["in"] = json!("query");
                    p
                })
            }
            QueryValue::Literal(_) => None,
        };
        let parameter = parameter.unwrap_or_else(|| {
            let schema = match &part.value {
                QueryValue::Literal(value) => json!({"type": "string", "enum": [value]}),
                QueryValue::Placeholder(name) => {
                    let message = format!(
                        "query parameter `{}={{{name}}}` is not documented; added as a string",
                        part.key
                    );
                    diagnostics.push(Diagnostic::new(
                        DiagnosticKind::NotOpenApi,
                        at.clone(),
                        message,
                    ));
                    json!({"type": "string"})
                }
            };
            json!({"name": part.key, "in": "query", "required": true, "schema": schema})
        });
        parameters.insert(key, parameter);
    }
}

/// `key={name}`, `key=<name>`, `key=literal`, a bare `key`, or a bare `{name}` (a parameter
/// named and documented as `name`); a key written as a placeholder (cinder's
/// `?{usage}=True`) is that name.
fn query_part(part: &str) -> QueryPart {
    let (key, value) = match part.split_once('=') {
        Some((key, value)) => (placeholder(key).unwrap_or(key), value),
        None => (placeholder(part).unwrap_or(part), part),
    };
    let value = match placeholder(value) {
        Some(name) => QueryValue::Placeholder(name.to_string()),
        None if value == part => QueryValue::Literal(String::new()),
        None => QueryValue::Literal(value.to_string()),
    };
    QueryPart { key: key.to_string(), value }
}

/// `name` of `{name}` or `<name>`.
fn placeholder(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .or_else(|| text.strip_prefix('<').and_then(|v| v.strip_suffix('>')))?;
    (!inner.is_empty()).then_some(inner)
}

/// Whether `verb` is an RFC 9110 token (what a request line's method must be).
fn is_token(verb: &str) -> bool {
    !verb.is_empty()
        && verb.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `verb` with anything outside a token escaped (`GE\u{0}T`), so that the key and every
/// warning show what the source has.
fn visible(verb: &str) -> String {
    if is_token(verb) {
        verb.to_string()
    } else {
        verb.chars().flat_map(char::escape_default).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_methods_are_path_item_fields_and_other_verbs_extension_keys() {
        assert_eq!(Target::of("GET", "/a").method, Method::OpenApi("get".into()));
        assert_eq!(Target::of("COPY", "/a").method, Method::Extension("COPY".into()));
        assert_eq!(Target::of("GE\0T", "/a").method, Method::Extension("GE\\u{0}T".into()));
    }

    #[test]
    fn a_query_string_becomes_placeholders_and_literals() {
        let t = Target::of(
            "GET",
            "/pools?pool={pool_name}&host=<host>&detail=True&all&{usage}&{full}=yes",
        );
        assert_eq!(t.path, "/pools");
        let parts: Vec<(&str, &QueryValue)> =
            t.query.iter().map(|q| (q.key.as_str(), &q.value)).collect();
        assert_eq!(
            parts,
            [
                ("pool", &QueryValue::Placeholder("pool_name".into())),
                ("host", &QueryValue::Placeholder("host".into())),
                ("detail", &QueryValue::Literal("True".into())),
                ("all", &QueryValue::Literal(String::new())),
                ("usage", &QueryValue::Placeholder("usage".into())),
                ("full", &QueryValue::Literal("yes".into())),
            ]
        );
    }

    #[test]
    fn each_construct_openapi_lacks_is_warned_at_the_rest_method() {
        let at = Location::new("x.inc", 7);
        let t = Target::of("METHOD", "/p?method={name}");
        let warnings = t.warnings("METHOD", &at);
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| w.location == at && w.kind == DiagnosticKind::NotOpenApi));
        assert!(warnings[0].message.contains("`METHOD` is not an HTTP method OpenAPI has"));
        assert!(warnings[1].message.contains("query parameters `method`"));
        let nul = Target::of("GE\0T", "/p").warnings("GE\0T", &at);
        assert!(nul[0].message.contains("`GE\\u{0}T` is not an HTTP method token"), "{nul:?}");
        assert!(Target::of("GET", "/p").warnings("GET", &at).is_empty());
    }
}
