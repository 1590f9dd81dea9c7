//! The one place that reads OpenAPI documents for every later stage (generate, conform,
//! diff): loading with JSON-pointer errors, walking operations, a schema's view at one
//! microversion (`view`), and conversion to JSON Schema for validation (`json_schema`).
//!
//! A document is kept twice: typed, as `openapiv3::OpenAPI`, for consumers that want the
//! structure; and raw, as JSON, for consumers that address schemas by JSON pointer. Reading
//! OpenAPI 3.1 later means adding a second reader that produces the same `Spec`.

pub mod corrections;
pub mod findings;
pub mod json_schema;
pub mod microversion;
pub mod openapi31;
pub mod param;
pub mod patch;
pub mod paths;
pub mod service;
pub mod upgrade;
pub mod version;
pub mod view;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::yaml::YamlError;

/// Why a document could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: not YAML or JSON: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error("{}:{line}: YAML refused: {source}", path.display())]
    Limit { path: PathBuf, line: usize, source: crate::yaml::LimitExceeded },
    #[error("{}: at {pointer}: not OpenAPI 3.0: {message}", path.display())]
    Schema { path: PathBuf, pointer: String, message: String },
    #[error("{}: openapi version `{version}` is not supported (expected 3.0.x or 3.1.x)", path.display())]
    Version { path: PathBuf, version: String },
}

/// An OpenAPI 3.0 document.
#[derive(Debug, Clone)]
pub struct Spec {
    pub path: PathBuf,
    pub document: openapiv3::OpenAPI,
    pub raw: Value,
    /// `info.x-stackspec`, read once at load so that a malformed block is a load error.
    pub facts: service::ServiceFacts,
}

/// One operation, with the JSON pointer at which it lives.
#[derive(Debug, Clone, Copy)]
pub struct OperationRef<'a> {
    pub path: &'a str,
    /// Lower case, as OpenAPI spells it.
    pub method: &'a str,
    pub operation: &'a openapiv3::Operation,
}

impl OperationRef<'_> {
    pub fn pointer(&self) -> String {
        format!("/paths/{}/{}", escape_pointer(self.path), self.method)
    }
}

impl Spec {
    /// Reads a YAML (or JSON) OpenAPI 3.0 document.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| LoadError::Io { path: path.to_path_buf(), source })?;
        Self::parse(path, &text)
    }

    /// Parses a document's text; `path` is only used in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self, LoadError> {
        let path_buf = path.to_path_buf();
        let raw: Value = crate::yaml::from_str(text).map_err(|e| match e {
            YamlError::Limit(source) => {
                LoadError::Limit { path: path_buf, line: source.line(), source }
            }
            YamlError::Syntax(e) => LoadError::Syntax {
                path: path_buf,
                line: e.location().map_or(1, |l| l.line()),
                message: e.to_string(),
            },
        })?;
        Self::from_value(path, raw)
    }

    /// Takes an already-parsed document: OpenAPI 3.0, or 3.1 rewritten into its 3.0 form
    /// ([`openapi31`]; pointers in later errors are those of the rewritten document, which
    /// keeps every path and schema where it was).
    pub fn from_value(path: &Path, raw: Value) -> Result<Self, LoadError> {
        let version = raw.get("openapi").and_then(Value::as_str).unwrap_or("");
        let raw = match version.split('.').take(2).collect::<Vec<_>>()[..] {
            ["3", "0"] => raw,
            ["3", "1"] => openapi31::downgrade(raw),
            _ => {
                return Err(LoadError::Version {
                    path: path.to_path_buf(),
                    version: version.to_string(),
                })
            }
        };
        let document = typed(path, &raw)?;
        let facts = read_facts(path, &raw)?;
        Ok(Self { path: path.to_path_buf(), document, raw, facts })
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> impl Iterator<Item = OperationRef<'_>> {
        self.document.paths.paths.iter().flat_map(|(path, item)| {
            let item = item.as_item().into_iter();
            item.flat_map(move |item| {
                item.iter().map(move |(method, operation)| OperationRef { path, method, operation })
            })
        })
    }

    /// The raw JSON at a pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }

    /// The named schemas of `components/schemas`, raw.
    pub fn component_schemas(&self) -> Option<&serde_json::Map<String, Value>> {
        self.raw.pointer("/components/schemas")?.as_object()
    }
}

/// The typed form of `raw`. Tracking the deserializer's path costs work at every node of a
/// large document that is nearly always valid, so only a document that fails is read again,
/// tracked, to say where it fails.
fn typed(path: &Path, raw: &Value) -> Result<openapiv3::OpenAPI, LoadError> {
    openapiv3::OpenAPI::deserialize(raw).or_else(|_| {
        serde_path_to_error::deserialize(raw).map_err(|e| {
            let (pointer, message) = narrow(raw, path_to_pointer(e.path()), e.inner().to_string());
            LoadError::Schema { path: path.to_path_buf(), pointer, message }
        })
    })
}

/// The service facts of `info.x-stackspec`, or the defaults where the block is absent.
fn read_facts(path: &Path, raw: &Value) -> Result<service::ServiceFacts, LoadError> {
    const POINTER: &str = "/info/x-stackspec";
    let Some(block) = raw.pointer(POINTER) else {
        return Ok(service::ServiceFacts::default());
    };
    serde_path_to_error::deserialize(block).map_err(|e| {
        let inner = path_to_pointer(e.path());
        let pointer = if inner == "/" { POINTER.to_string() } else { format!("{POINTER}{inner}") };
        LoadError::Schema { path: path.to_path_buf(), pointer, message: e.inner().to_string() }
    })
}

/// The methods OpenAPI 3.0 allows on a path item, in the order reports list them; a path
/// item's other keys (`parameters`, `summary`) are not operations.
pub const METHODS: [&str; 8] =
    ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The JSON pointer of the first place where `a` and `b` differ, with both values there
/// (`None`: they are equal). For tests that hold a document written one way and read back
/// another (YAML readers, 3.1 output) to name where it changed, not just that it did.
pub fn first_difference(a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
    difference_at(a, b, String::new())
}

fn difference_at(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().find_map(|(k, v)| {
                let here = format!("{at}/{}", escape_pointer(k));
                match y.get(k) {
                    Some(w) => difference_at(v, w, here),
                    None => Some(format!("{here}: only in the first")),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| difference_at(v, w, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} != {b}")),
    }
}

/// Escapes one JSON pointer token (`/` → `~1`, `~` → `~0`).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// serde cannot see through `openapiv3`'s flattened and untagged types, so an error inside
/// `paths` or `components` is first reported at that level. Re-deserialize the pieces below
/// it one by one to find the smallest one that fails.
fn narrow(raw: &Value, pointer: String, message: String) -> (String, String) {
    fn first_failure<T: serde::de::DeserializeOwned>(
        base: &str,
        entries: Option<&serde_json::Map<String, Value>>,
    ) -> Option<(String, String, Value)> {
        first_failure_among::<T>(base, entries, |_| true)
    }
    fn first_failure_among<T: serde::de::DeserializeOwned>(
        base: &str,
        entries: Option<&serde_json::Map<String, Value>>,
        wanted: impl Fn(&str) -> bool,
    ) -> Option<(String, String, Value)> {
        entries?.iter().filter(|(key, _)| wanted(key)).find_map(|(key, value)| {
            let err = serde_json::from_value::<T>(value.clone()).err()?;
            Some((format!("{base}/{}", escape_pointer(key)), err.to_string(), value.clone()))
        })
    }
    type Ref<T> = openapiv3::ReferenceOr<T>;
    let found = match pointer.as_str() {
        "/paths" => first_failure::<Ref<openapiv3::PathItem>>("/paths", raw["paths"].as_object())
            .map(|(p, m, item)| {
                let op = first_failure_among::<openapiv3::Operation>(&p, item.as_object(), |k| {
                    // Only the methods of a path item are operations (not `parameters`).
                    METHODS.contains(&k)
                });
                op.map(|(p, m, op)| {
                    first_failure::<Ref<openapiv3::Response>>(
                        &format!("{p}/responses"),
                        op["responses"].as_object(),
                    )
                    .map_or((p, m), |(p, m, _)| (p, m))
                })
                .unwrap_or((p, m))
            }),
        "/components" => {
            let schemas = raw.pointer("/components/schemas").and_then(Value::as_object);
            first_failure::<Ref<openapiv3::Schema>>("/components/schemas", schemas)
                .map(|(p, m, _)| (p, m))
        }
        _ => None,
    };
    found.unwrap_or((pointer, message))
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&escape_pointer(key)),
            Segment::Enum { variant } => out.push_str(&escape_pointer(variant)),
            Segment::Unknown => out.push('?'),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_escaped_pointer_of_the_first_change_and_none_when_equal() {
        let a = serde_json::json!({"paths": {"/v2/tasks": {"get": [1, {"x": true}]}}});
        assert_eq!(first_difference(&a, &a.clone()), None);
        let b = serde_json::json!({"paths": {"/v2/tasks": {"get": [1, {"x": "true"}]}}});
        let found = first_difference(&a, &b).unwrap();
        assert_eq!(found, r#"/paths/~1v2~1tasks/get/1/x: true != "true""#);
    }

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v2/tasks/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n";

    #[test]
    fn loads_and_lists_operations_with_pointers() {
        let spec = Spec::parse(Path::new("t.yaml"), MINIMAL).unwrap();
        let ops: Vec<_> = spec.operations().map(|o| o.pointer()).collect();
        assert_eq!(ops, ["/paths/~1v2~1tasks~1{id}/get"]);
        assert!(spec.at("/paths/~1v2~1tasks~1{id}/get/responses/200").is_some());
    }

    #[test]
    fn a_wrong_shape_is_reported_at_its_pointer() {
        let bad = MINIMAL.replace("'200': {description: ok}", "'200': [not, a, response]");
        let err = Spec::parse(Path::new("t.yaml"), &bad).unwrap_err().to_string();
        assert!(err.starts_with("t.yaml: at /paths/~1v2~1tasks~1{id}/get/responses"), "{err}");
    }

    #[test]
    fn syntax_errors_name_the_line_and_other_versions_are_refused() {
        let err = Spec::parse(Path::new("t.yaml"), "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        assert!(matches!(err, LoadError::Syntax { line: 2.., .. }), "{err}");
        for version in ["2.0", "3.2.0", "3", ""] {
            let err = Spec::parse(Path::new("t.yaml"), &MINIMAL.replace("3.0.3", version));
            assert!(matches!(err, Err(LoadError::Version { .. })), "{version}: {err:?}");
        }
    }

    #[test]
    fn a_3_1_document_loads_in_its_3_0_form() {
        let doc = MINIMAL.replace("3.0.3", "3.1.0").replace(
            "'200': {description: ok}",
            "'200': {description: ok, content: {application/json: {schema: {type: [string, 'null']}}}}",
        );
        let spec = Spec::parse(Path::new("t.yaml"), &doc).unwrap();
        let schema =
            spec.at("/paths/~1v2~1tasks~1{id}/get/responses/200/content/application~1json/schema");
        assert_eq!(schema, Some(&serde_json::json!({"type": "string", "nullable": true})));
    }
}
