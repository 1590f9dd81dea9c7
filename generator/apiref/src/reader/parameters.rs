//! `parameters.yaml`: the definitions that `rest_parameters` lists point into. Each entry's
//! line is kept so that every later warning can name it. `min_version`/`max_version` are read
//! from the raw text, because a YAML float would turn `2.10` into `2.1`.

use std::collections::HashMap;
use std::path::Path;

use indexmap::IndexMap;
use serde_norway::Value;

use super::ReadError;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
use stackspec_model::version::{Microversion, VersionRange};
use stackspec_model::yaml::YamlError;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum In {
    Header,
    Path,
    Query,
    Body,
}

impl In {
    pub fn as_str(self) -> &'static str {
        match self {
            In::Header => "header",
            In::Path => "path",
            In::Query => "query",
            In::Body => "body",
        }
    }
}

/// The value type a parameter declares, with every spelling seen in api-refs folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamType {
    String,
    Uuid,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    /// `type: none`: the value is JSON `null` (nova's `{"pause": null}` actions).
    Null,
    /// `type: enum`: a string whose values the description lists.
    Enum,
    /// `type: JSON`: any JSON value; the samples show which kind it takes.
    Any,
}

/// What a `type:` spelling declares: a type, and the string format some spellings imply
/// (`datestamp` is a time stamp, `hostname` a host name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelling {
    pub ty: ParamType,
    pub format: Option<&'static str>,
}

impl ParamType {
    /// The type (and implied format) a spelling declares; `None` for a spelling no api-ref
    /// is known to use.
    pub fn parse(raw: &str) -> Option<Spelling> {
        let plain = |ty| Some(Spelling { ty, format: None });
        let string_as = |format| Some(Spelling { ty: Self::String, format: Some(format) });
        match raw.trim().to_ascii_lowercase().as_str() {
            "string" | "str" => plain(Self::String),
            "uuid" => plain(Self::Uuid),
            "int" | "integer" => plain(Self::Integer),
            "float" | "number" | "double" => plain(Self::Number),
            "bool" | "boolean" => plain(Self::Boolean),
            "array" | "list" => plain(Self::Array),
            "object" | "dict" | "dictionary" => plain(Self::Object),
            "none" | "null" => plain(Self::Null),
            "enum" => plain(Self::Enum),
            "json" => plain(Self::Any),
            "datestamp" | "datetime" | "date-time" | "timestamp" => string_as("date-time"),
            "hostname" | "domainname" => string_as("hostname"),
            _ => None,
        }
    }
}

/// One parameters.yaml entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDef {
    pub key: String,
    pub location: In,
    pub required: bool,
    /// `None` when the entry has no (known) type.
    pub ty: Option<ParamType>,
    pub description: String,
    pub default: Option<serde_json::Value>,
    pub format: Option<String>,
    pub range: VersionRange,
    pub defined_at: Location,
}

/// A parsed parameters file: usable entries by key. Entries that could not be used were
/// reported when the file was read and are absent from `defs`.
#[derive(Debug, Clone, Default)]
pub struct ParameterFile {
    pub defs: IndexMap<String, ParamDef>,
    /// Where each unusable entry is, so that a reference to it says so rather than "no key".
    pub invalid: IndexMap<String, Location>,
}

/// Whether a mapping anywhere in `value` still has a `<<` merge key, which
/// [`Value::apply_merge`] would resolve.
fn has_merge_key(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Mapping(mapping) => {
                if mapping.contains_key("<<") {
                    return true;
                }
                stack.extend(mapping.values());
            }
            Value::Sequence(items) => stack.extend(items),
            Value::Tagged(tagged) => stack.push(&tagged.value),
            _ => {}
        }
    }
    false
}

impl ParameterFile {
    /// Parses `text`, the contents of `path`. Malformed YAML is an error; an unusable entry
    /// is a diagnostic.
    pub fn parse(
        path: &Path,
        text: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Self, ReadError> {
        let mut value: Value =
            stackspec_model::yaml::from_str(text).map_err(|e| yaml_error(path, e))?;
        // Entries share fields through anchors and `<<: *base` merge keys, and an anchored
        // entry may itself merge another: resolve until no merge key is left (bounded). Each
        // pass removes every merge key it meets, so looking for one (no copy of the file, no
        // comparison) says whether another pass can change anything.
        for _ in 0..8 {
            if !has_merge_key(&value) {
                break;
            }
            value.apply_merge().map_err(|e| yaml_error(path, e.into()))?;
        }
        let Value::Mapping(entries) = value else {
            return Err(ReadError::Yaml {
                location: Location::new(path, 1),
                message: "expected a mapping of parameter names to definitions".into(),
            });
        };
        let lines = key_lines(text);
        let anchors = anchored_keys(text);
        let mut defs = IndexMap::new();
        let mut invalid = IndexMap::new();
        for (key, entry) in entries {
            let Some(key) = key.as_str().map(str::to_string).or_else(|| scalar_text(&key)) else {
                continue;
            };
            let line = lines.get(&key).map_or(1, |(line, _)| *line);
            let at = Location::new(path, line);
            let raw = merged_raw(&key, &lines, &anchors);
            let mut unknown_type = Vec::new();
            match parse_entry(&key, &entry, &raw, &at, &mut unknown_type) {
                Ok(def) => {
                    defs.insert(key, def);
                }
                Err(message) => {
                    let d = Diagnostic::new(DiagnosticKind::InvalidParameter, at.clone(), message);
                    diagnostics.push(d);
                    invalid.insert(key, at.clone());
                }
            }
            diagnostics.extend(unknown_type.into_iter().map(|message| {
                Diagnostic::new(DiagnosticKind::InvalidParameter, at.clone(), message)
            }));
        }
        Ok(Self { defs, invalid })
    }
}

/// A YAML file's error, located in `path`.
pub(super) fn yaml_error(path: &Path, e: YamlError) -> ReadError {
    let location = Location::new(path, e.line());
    match e {
        YamlError::Limit(source) => ReadError::YamlLimit { location, source },
        YamlError::Syntax(e) => ReadError::Yaml { location, message: e.to_string() },
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// For each top-level key, its 1-based line and the raw lines of its entry.
fn key_lines(text: &str) -> IndexMap<String, (usize, Vec<String>)> {
    let mut out: IndexMap<String, (usize, Vec<String>)> = IndexMap::new();
    let mut current: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let top = !line.starts_with([' ', '\t', '#']) && !line.trim().is_empty();
        if top {
            if let Some(key) = mapping_key(line) {
                out.entry(key.to_string()).or_insert((n + 1, Vec::new()));
                current = Some(key.to_string());
                continue;
            }
        }
        if let Some(entry) = current.as_ref().and_then(|k| out.get_mut(k)) {
            entry.1.push(line.to_string());
        }
    }
    out
}

/// For each anchor a top-level entry defines (`name: &anchor`), the entry's key.
fn anchored_keys(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter(|line| !line.starts_with([' ', '\t', '#']))
        .filter_map(|line| {
            let key = mapping_key(line)?;
            let anchor = line[key.len()..].split_once('&')?.1.split_whitespace().next()?;
            Some((anchor.to_string(), key.to_string()))
        })
        .collect()
}

/// The raw lines of `key`'s entry, then those of the entries it merges (`<<: *anchor`,
/// `<<: [*a, *b]`), theirs in turn (bounded): where the versions are read as text, an
/// entry's own line wins and a merged one's counts too (nova's
/// `injected_files_quota_class` merges `injected_files` and its `max_version: 2.56`).
fn merged_raw(
    key: &str,
    lines: &IndexMap<String, (usize, Vec<String>)>,
    anchors: &HashMap<String, String>,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut queue = vec![key.to_string()];
    while let Some(next) = queue.pop().filter(|_| out.len() < 8) {
        let Some((_, raw)) = lines.get(&next) else { continue };
        let merged = raw.iter().filter_map(|l| l.trim_start().strip_prefix("<<:"));
        let named = merged.flat_map(|rest| rest.split('*').skip(1).map(str::to_string));
        let mut found: Vec<String> = named
            .filter_map(|a| {
                let anchor = a.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == ']');
                anchors.get(anchor).cloned()
            })
            .collect();
        found.reverse();
        queue.extend(found);
        out.push(raw.clone());
    }
    out
}

/// The key of a top-level `key: value` line as YAML reads it. A plain key ends at the first
/// colon followed by a space or the line's end, not at any colon: cinder's
/// `os-backup-project-attr:project_id:` is one key, whose `min_version` must be found.
/// A quoted key ends at its closing quote.
fn mapping_key(line: &str) -> Option<&str> {
    let line = line.trim_end();
    if let Some(quote) = line.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let (key, rest) = line[1..].split_once(quote)?;
        return rest.trim_start().starts_with(':').then_some(key);
    }
    let end = line
        .char_indices()
        .find(|&(i, c)| c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map(|(i, _)| i)?;
    Some(line[..end].trim_end())
}

fn parse_entry(
    key: &str,
    entry: &Value,
    raw: &[Vec<String>],
    at: &Location,
    unknown_type: &mut Vec<String>,
) -> Result<ParamDef, String> {
    let field = |name: &str| entry.get(name);
    let location = match field("in").and_then(Value::as_str) {
        Some("header") => In::Header,
        Some("path") => In::Path,
        Some("query") => In::Query,
        Some("body") => In::Body,
        Some(other) => {
            return Err(format!(
                "`{key}`: unknown `in: {other}` (expected header, path, query or body)"
            ))
        }
        None => {
            return Err(format!("`{key}`: has no `in:` (expected header, path, query or body)"))
        }
    };
    let required = match field("required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(other) => {
            return Err(format!("`{key}`: `required` must be true or false, found {other:?}"))
        }
    };
    let spelling = match field("type") {
        None => None,
        Some(v) => {
            let raw_ty =
                v.as_str().map(str::to_string).or_else(|| scalar_text(v)).unwrap_or_default();
            let spelling = ParamType::parse(&raw_ty);
            if spelling.is_none() {
                unknown_type
                    .push(format!("`{key}`: unknown `type: {raw_ty}`; transcribed without a type"));
            }
            spelling
        }
    };
    let description =
        field("description").and_then(Value::as_str).unwrap_or("").trim_end().to_string();
    let default =
        field("default").map(|v| serde_json::to_value(v).unwrap_or(serde_json::Value::Null));
    let format = field("format")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| spelling?.format.map(str::to_string));
    let ty = spelling.map(|s| s.ty);
    let range = VersionRange {
        min: raw_version(raw, "min_version", key)?,
        max: raw_version(raw, "max_version", key)?,
    };
    Ok(ParamDef {
        key: key.to_string(),
        location,
        required,
        ty,
        description,
        default,
        format,
        range,
        defined_at: at.clone(),
    })
}

/// Reads `name: 2.10` as text from an entry's raw lines, else from those of the entries it
/// merges ([`merged_raw`]). `null`, `~` or nothing after the colon (YAML's null) means "no
/// bound": an entry that merges a versioned anchor clears its inherited bound that way.
fn raw_version(raw: &[Vec<String>], name: &str, key: &str) -> Result<Option<Microversion>, String> {
    for line in raw.iter().flatten() {
        let Some(rest) = line.trim_start().strip_prefix(name) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
            return Ok(None);
        }
        return value.parse().map(Some).map_err(|e| format!("`{key}`: `{name}`: {e}"));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (ParameterFile, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let file = ParameterFile::parse(Path::new("p.yaml"), text, &mut diags).unwrap();
        (file, diags)
    }

    #[test]
    fn versions_are_read_as_text_so_two_ten_stays_two_ten() {
        let (file, _) = parse("a:\n  description: x\n  in: body\n  required: true\n  type: string\n  min_version: 2.10\n  max_version: 2.9\n");
        let def = &file.defs["a"];
        assert_eq!(def.range.min, Some(Microversion::new(2, 10)));
        assert_eq!(def.range.max, Some(Microversion::new(2, 9)));
        assert!(def.required);
        assert_eq!(def.defined_at.line, 1);
    }

    #[test]
    fn a_key_holding_a_colon_keeps_its_line_and_versions() {
        let text = "a:b:\n  in: body\n  type: string\n  min_version: 3.18\n\"q: r\":\n  in: body\n  type: string\n  max_version: 3.2\n";
        let (file, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.defs["a:b"].range.min, Some(Microversion::new(3, 18)));
        assert_eq!(file.defs["a:b"].defined_at.line, 1);
        assert_eq!(file.defs["q: r"].range.max, Some(Microversion::new(3, 2)));
        assert_eq!(file.defs["q: r"].defined_at.line, 5);
    }

    #[test]
    fn a_null_version_means_no_bound() {
        for null in ["null", "~", "", "Null"] {
            let text = format!(
                "a:\n  in: body\n  type: string\n  min_version: {null}\n  max_version: 2.3\n"
            );
            let (file, diags) = parse(&text);
            assert!(diags.is_empty(), "{null}: {diags:?}");
            assert_eq!(file.defs["a"].range.min, None, "{null}");
            assert_eq!(file.defs["a"].range.max, Some(Microversion::new(2, 3)));
        }
    }

    #[test]
    fn every_type_spelling_is_understood() {
        let spellings = [
            "string", "uuid", "int", "integer", "float", "boolean", "bool", "array", "list",
            "object", "dict", "none", "enum",
        ];
        for s in spellings {
            assert!(ParamType::parse(s).is_some(), "{s}");
        }
        let (file, _) = parse("a:\n  in: query\n  type: bool\n");
        assert_eq!(file.defs["a"].ty, Some(ParamType::Boolean));
        assert!(!file.defs["a"].required, "missing `required` means optional");
    }

    #[test]
    fn spellings_from_the_wild_map_to_a_type_and_format() {
        let (file, diags) = parse("a:\n  in: body\n  type: JSON\nb:\n  in: body\n  type: datestamp\nc:\n  in: body\n  type: domainname\nd:\n  in: body\n  type: dictionary\n");
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(Option<ParamType>, Option<&str>)> =
            file.defs.values().map(|d| (d.ty, d.format.as_deref())).collect();
        assert_eq!(
            got,
            [
                (Some(ParamType::Any), None),
                (Some(ParamType::String), Some("date-time")),
                (Some(ParamType::String), Some("hostname")),
                (Some(ParamType::Object), None),
            ]
        );
    }

    #[test]
    fn an_unknown_type_keeps_the_entry_untyped_with_a_warning_at_its_line() {
        let (file, diags) =
            parse("a:\n  in: body\n  type: string\nb:\n  in: body\n  type: key-only\n");
        assert_eq!(file.defs["b"].ty, None);
        assert!(file.invalid.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].location.line, diags[0].kind), (4, DiagnosticKind::InvalidParameter));
        assert!(diags[0].message.contains("unknown `type: key-only`"), "{}", diags[0].message);
    }

    #[test]
    fn merge_keys_inherit_from_their_anchor() {
        let (file, diags) = parse("base: &base\n  in: body\n  required: true\n  type: integer\nchild: &child\n  <<: *base\n  required: false\ngrandchild:\n  <<: *child\n  description: x\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.defs["child"].location, In::Body);
        assert_eq!(file.defs["child"].ty, Some(ParamType::Integer));
        assert!(!file.defs["child"].required);
        assert_eq!(file.defs["grandchild"].ty, Some(ParamType::Integer), "merges chain");
    }

    /// nova's `injected_files_quota_class` merges `injected_files` (`max_version: 2.56`):
    /// the versions, read as text from an entry's own lines, were lost, and the spec
    /// required the field at 2.104.
    #[test]
    fn merged_entries_inherit_their_anchors_versions_unless_they_clear_them() {
        let (file, diags) = parse("base: &base\n  in: body\n  type: integer\n  max_version: 2.56\nchild: &child\n  <<: *base\n  description: x\ngrandchild:\n  <<: [*child]\n  min_version: 2.10\ncleared:\n  <<: *base\n  max_version: null\n");
        assert!(diags.is_empty(), "{diags:?}");
        let max = |k: &str| file.defs[k].range.max.map(|v| v.to_string());
        assert_eq!(max("child").as_deref(), Some("2.56"));
        assert_eq!(max("grandchild").as_deref(), Some("2.56"), "through a chain and a list");
        assert_eq!(
            file.defs["grandchild"].range.min.map(|v| v.to_string()).as_deref(),
            Some("2.10")
        );
        assert_eq!(max("cleared"), None, "an entry's own null clears the bound");
    }

    #[test]
    fn an_unknown_in_is_a_diagnostic_with_the_entry_line() {
        let (file, diags) =
            parse("ok:\n  in: path\n  type: string\nbad:\n  in: cookie\n  type: string\n");
        assert!(file.defs.contains_key("ok") && !file.defs.contains_key("bad"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location.line, 4);
        assert!(diags[0].message.contains("unknown `in: cookie`"), "{}", diags[0].message);
    }

    #[test]
    fn malformed_yaml_is_an_error_with_its_line() {
        let mut diags = Vec::new();
        let err = ParameterFile::parse(
            Path::new("p.yaml"),
            "a:\n  in: body\n  type: [unclosed\nb: 1\n",
            &mut diags,
        )
        .unwrap_err();
        let ReadError::Yaml { location, .. } = &err else { panic!("{err}") };
        assert_eq!(location.file, Path::new("p.yaml"));
        assert!(location.line >= 3, "{err}");
    }
}
