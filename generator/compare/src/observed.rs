//! What a service answered, from HAR 1.2 files (`stackspec conform --record DIR` writes
//! them): each exchange routed to the docs operation whose path template fits its URL best,
//! and its JSON response body as fields with the facts the answer shows (the JSON types
//! seen, `null` seen, always present or not), in the form the documents' fields take, so
//! that the comparison can hold each document to them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use stackspec_model::version::Microversion;

use crate::fields::{Facts, ITEMS};
use crate::operations::{Field, Location};

/// Why recorded exchanges could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ObservedError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}: not JSON: {message}", path.display())]
    Json { path: PathBuf, line: usize, message: String },
    #[error("{}: at {pointer}: not HAR 1.2: {message}", path.display())]
    Shape { path: PathBuf, pointer: String, message: String },
}

/// One recorded exchange.
#[derive(Debug, Clone)]
struct Exchange {
    /// Lower case.
    method: String,
    /// The URL's path, split into segments.
    segments: Vec<String>,
    version: Option<Microversion>,
    status: u16,
    body: Option<Value>,
    /// `file.har#/log/entries/3`.
    pointer: String,
}

/// Every exchange of a directory of HAR files.
#[derive(Debug, Default)]
pub struct Observations {
    /// What was read (the directory), for reports.
    pub source: String,
    exchanges: Vec<Exchange>,
    /// Per docs operation (method, template): its exchanges, once routed.
    routed: BTreeMap<(String, String), Observed>,
}

/// The exchanges of one operation.
#[derive(Debug, Default, Clone)]
pub struct Observed {
    exchanges: Vec<Exchange>,
}

impl Observations {
    /// Reads every `*.har` file of `dir` (in name order).
    pub fn load(dir: &Path) -> Result<Self, ObservedError> {
        let io = |source| ObservedError::Io { path: dir.to_path_buf(), source };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "har"))
            .collect();
        files.sort();
        let mut out = Observations { source: dir.display().to_string(), ..Default::default() };
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|source| ObservedError::Io { path: file.clone(), source })?;
            out.exchanges.extend(read_har(&file, &text)?);
        }
        Ok(out)
    }

    /// Routes every exchange to the operation among `operations` (lower-case method, path
    /// template) whose template fits its URL with the most literal segments; a URL may have
    /// segments before the template (the endpoint's own path, `/v2.1`).
    pub fn route<'a>(&mut self, operations: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let operations: Vec<(String, Vec<String>)> = operations
            .into_iter()
            .map(|(m, t)| {
                (
                    format!("{m} {t}"),
                    t.split('/').filter(|s| !s.is_empty()).map(String::from).collect(),
                )
            })
            .collect();
        for exchange in &self.exchanges {
            let best = operations
                .iter()
                .filter(|(key, _)| key.split(' ').next() == Some(exchange.method.as_str()))
                .filter_map(|(key, template)| {
                    fits(template, &exchange.segments).map(|score| (score, key))
                })
                .max_by_key(|(score, _)| *score);
            if let Some((_, key)) = best {
                let (method, template) = key.split_once(' ').unwrap_or_default();
                let entry =
                    self.routed.entry((method.to_string(), template.to_string())).or_default();
                entry.exchanges.push(exchange.clone());
            }
        }
    }

    /// The exchanges routed to one operation.
    pub fn of(&self, method: &str, template: &str) -> Option<&Observed> {
        self.routed.get(&(method.to_string(), template.to_string()))
    }
}

/// How well `template` fits the end of `segments`: its literal segment count, or `None`.
fn fits(template: &[String], segments: &[String]) -> Option<usize> {
    if template.len() > segments.len() {
        return None;
    }
    let tail = &segments[segments.len() - template.len()..];
    let mut literal = 0;
    for (t, s) in template.iter().zip(tail) {
        if t.starts_with('{') && t.ends_with('}') {
            continue;
        }
        if t != s {
            return None;
        }
        literal += 1;
    }
    Some(literal)
}

impl Observed {
    /// The response fields of the exchanges sent at a version in `[from, to)` (every
    /// exchange when `from` is `None`); `None` when no such exchange had a JSON body.
    pub fn fields(
        &self,
        from: Option<Microversion>,
        to: Option<Microversion>,
    ) -> Option<BTreeMap<Field, Facts>> {
        let within = |e: &&Exchange| match (from, e.version) {
            (None, _) => true,
            (Some(from), Some(v)) => v >= from && to.is_none_or(|to| v < to),
            (Some(_), None) => false,
        };
        let mut tally = Tally::default();
        for e in self.exchanges.iter().filter(within).filter(|e| (200..300).contains(&e.status)) {
            if let Some(body) = &e.body {
                let location = Location::Response(e.status.to_string());
                tally.value(&location, "", body, &e.pointer);
            }
        }
        (!tally.fields.is_empty()).then(|| tally.finish())
    }

    /// Every status answered, with the first exchange that got it.
    pub fn statuses(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for e in &self.exchanges {
            out.entry(e.status.to_string()).or_insert_with(|| e.pointer.clone());
        }
        out
    }
}

/// Counts, per field, how often it was seen and with which types.
#[derive(Default)]
struct Tally {
    fields: BTreeMap<Field, (Facts, usize)>,
    /// How many objects were seen at each path (a field's parent count).
    objects: BTreeMap<Field, usize>,
}

impl Tally {
    fn value(&mut self, location: &Location, path: &str, value: &Value, pointer: &str) {
        let field = Field { location: location.clone(), path: path.to_string() };
        let entry =
            self.fields.entry(field.clone()).or_insert_with(|| (Facts::seen_at(pointer), 0));
        entry.1 += 1;
        match json_type(value) {
            None => entry.0.nullable = true,
            Some(t) => {
                entry.0.types.insert(t.to_string());
            }
        }
        match value {
            Value::Object(map) => {
                *self.objects.entry(field).or_default() += 1;
                for (name, v) in map {
                    let child = format!("{path}/{}", stackspec_model::escape_pointer(name));
                    self.value(location, &child, v, pointer);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.value(location, &format!("{path}/{ITEMS}"), item, pointer);
                }
            }
            _ => {}
        }
    }

    /// A field is always present when seen as often as its parent object was.
    fn finish(self) -> BTreeMap<Field, Facts> {
        let objects = self.objects;
        self.fields
            .into_iter()
            .map(|(field, (mut facts, seen))| {
                if let Some((parent, name)) = field.path.rsplit_once('/') {
                    if name != ITEMS {
                        let parent =
                            Field { location: field.location.clone(), path: parent.to_string() };
                        facts.required = objects.get(&parent).is_some_and(|n| seen >= *n);
                    }
                }
                (field, facts)
            })
            .collect()
    }
}

/// The JSON Schema type of a value (`None` for `null`).
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// The exchanges of one HAR file.
fn read_har(path: &Path, text: &str) -> Result<Vec<Exchange>, ObservedError> {
    let har: Value = serde_json::from_str(text).map_err(|e| ObservedError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        message: e.to_string(),
    })?;
    let shape = |pointer: &str, message: &str| ObservedError::Shape {
        path: path.to_path_buf(),
        pointer: pointer.to_string(),
        message: message.to_string(),
    };
    let entries = har
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("/log/entries", "expected a list of entries"))?;
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("/log/entries/{i}");
        let method = entry
            .pointer("/request/method")
            .and_then(Value::as_str)
            .ok_or_else(|| shape(&format!("{at}/request/method"), "expected the method"))?;
        let url = entry
            .pointer("/request/url")
            .and_then(Value::as_str)
            .ok_or_else(|| shape(&format!("{at}/request/url"), "expected the URL"))?;
        let status = entry
            .pointer("/response/status")
            .and_then(Value::as_u64)
            .ok_or_else(|| shape(&format!("{at}/response/status"), "expected the status"))?;
        let body = entry
            .pointer("/response/content/text")
            .and_then(Value::as_str)
            .and_then(|t| serde_json::from_str(t).ok());
        out.push(Exchange {
            method: method.to_ascii_lowercase(),
            segments: url_path(url)
                .split('/')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            version: requested_version(entry.pointer("/request/headers")),
            status: u16::try_from(status).unwrap_or(0),
            body,
            pointer: format!("{name}#{at}"),
        });
    }
    Ok(out)
}

/// `https://host:1/v2.1/servers?x=1` → `/v2.1/servers`.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    path.split(['?', '#']).next().unwrap_or_default()
}

/// The microversion a request asked for: the last word of any `*API-Version` header
/// (`OpenStack-API-Version: compute 2.84`, `X-OpenStack-Nova-API-Version: 2.84`).
fn requested_version(headers: Option<&Value>) -> Option<Microversion> {
    let headers = headers?.as_array()?;
    headers.iter().find_map(|h| {
        let name = h.get("name")?.as_str()?.to_ascii_lowercase();
        if !name.ends_with("api-version") {
            return None;
        }
        h.get("value")?.as_str()?.split_whitespace().last()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn har(entries: Value) -> String {
        json!({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}}).to_string()
    }

    fn entry(method: &str, url: &str, status: u16, body: Value) -> Value {
        json!({"request": {"method": method, "url": url, "headers": [{"name": "OpenStack-API-Version", "value": "compute 2.84"}]},
               "response": {"status": status, "content": {"mimeType": "application/json", "text": body.to_string()}}})
    }

    #[test]
    fn exchanges_go_to_the_template_with_most_literal_segments() {
        let text = har(json!([
            entry("GET", "http://h/v2.1/servers/detail", 200, json!({"servers": []})),
            entry(
                "GET",
                "http://h/v2.1/servers/abc?x=1",
                200,
                json!({"server": {"id": "abc", "name": null}})
            ),
            entry("GET", "http://h/v2.1/servers/abd", 404, json!({})),
        ]));
        let mut obs = Observations {
            exchanges: read_har(Path::new("a.har"), &text).unwrap(),
            ..Default::default()
        };
        obs.route([("get", "/servers/{id}"), ("get", "/servers/detail")]);
        assert_eq!(obs.of("get", "/servers/detail").unwrap().exchanges.len(), 1);
        let show = obs.of("get", "/servers/{id}").unwrap();
        assert_eq!(show.statuses().keys().collect::<Vec<_>>(), ["200", "404"]);
        let fields = show.fields(Some(Microversion::new(2, 84)), None).unwrap();
        let name = &fields
            [&Field { location: Location::Response("200".into()), path: "/server/name".into() }];
        assert!(name.nullable && name.types.is_empty() && name.required);
        assert_eq!(name.pointer, "a.har#/log/entries/1");
        assert!(show
            .fields(Some(Microversion::new(2, 1)), Some(Microversion::new(2, 84)))
            .is_none());
    }

    #[test]
    fn a_field_missing_from_one_object_is_not_always_present() {
        let text = har(json!([entry(
            "GET",
            "http://h/x",
            200,
            json!({"items": [{"a": 1, "b": 1.5}, {"a": 2}]})
        )]));
        let obs = Observed { exchanges: read_har(Path::new("a.har"), &text).unwrap() };
        let fields = obs.fields(None, None).unwrap();
        let get = |p: &str| {
            &fields[&Field { location: Location::Response("200".into()), path: p.into() }]
        };
        assert!(get("/items/[]/a").required);
        assert!(!get("/items/[]/b").required);
        assert_eq!(get("/items/[]/b").types, ["number".to_string()].into());
    }

    #[test]
    fn a_malformed_har_names_the_file_and_pointer() {
        let err =
            read_har(Path::new("a.har"), r#"{"log": {"entries": [{"request": {}}]}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.har: at /log/entries/0/request/method: not HAR 1.2: expected the method"
        );
        let err = read_har(Path::new("a.har"), "{\n nope").unwrap_err();
        assert!(err.to_string().starts_with("a.har:2: not JSON"), "{err}");
    }
}
