//! Reviewed corrections of a spec: where the docs are wrong (a finding of
//! `docs/findings.md`), `stackspec spec` writes the docs *plus* the correction into
//! `spec/`, so that the mock, the generated code, conform and diff all read the true API.
//!
//! One file per service (`spec/corrections/compute.yaml`), each entry naming its finding,
//! the operation (its `operationId`), why, and a JSON patch on the operation object
//! ([`crate::patch`]). Every node a correction changes carries its provenance,
//! `x-stackspec: {findings: [F2]}`, on the nearest object that may hold an extension (a
//! schema, a response, an example; never a map of names such as `properties`, nor sample
//! data). A correction that changes nothing (the docs were fixed upstream) is an error, so
//! that no correction outlives the defect it answers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::findings::{self, FindingsError};
use crate::patch::{self, PatchOp};
use crate::yaml::YamlError;
use crate::{escape_pointer, METHODS};

/// The extension key provenance is written under (the transcriber's own extension).
const EXTENSION: &str = "x-stackspec";

/// Why a corrections file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{}: {source}", path.display(), source.line())]
    Syntax {
        path: PathBuf,
        #[source]
        source: YamlError,
    },
    #[error(transparent)]
    Findings(#[from] FindingsError),
    #[error("{}:{line}: at {pointer}: {message}", path.display())]
    Entry { path: PathBuf, line: usize, pointer: String, message: String },
}

/// One reviewed correction.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// `F2`: a heading of the findings file.
    pub finding: String,
    /// The `operationId` of the corrected operation.
    pub operation: String,
    pub why: String,
    pub patch: Vec<PatchOp>,
    /// Where the entry starts in the file.
    pub line: usize,
    /// Its index in `corrections`, for JSON pointers in errors.
    pub index: usize,
}

/// A loaded corrections file, every finding checked against the findings file.
#[derive(Debug, Clone)]
pub struct CorrectionFile {
    pub path: PathBuf,
    pub entries: Vec<Correction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The findings file, relative to the corrections file.
    findings: PathBuf,
    corrections: Vec<RawCorrection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    finding: String,
    operation: String,
    why: String,
    patch: Vec<PatchOp>,
}

impl CorrectionFile {
    pub fn load(path: &Path) -> Result<Self, CorrectionError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| CorrectionError::Io { path: path.to_path_buf(), source })?;
        Self::parse(path, &text)
    }

    /// Parses the file's text; the findings file is read relative to `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, CorrectionError> {
        let raw: RawFile = crate::yaml::from_str(text)
            .map_err(|source| CorrectionError::Syntax { path: path.to_path_buf(), source })?;
        let findings_path = path.parent().unwrap_or(Path::new(".")).join(&raw.findings);
        let known = findings::read(&findings_path)?;
        let lines = crate::yaml::list_item_lines(text, "corrections");
        let mut file = Self { path: path.to_path_buf(), entries: Vec::new() };
        for (index, r) in raw.corrections.into_iter().enumerate() {
            let line = lines.get(index).copied().unwrap_or(1);
            let entry = Correction {
                finding: r.finding,
                operation: r.operation,
                why: r.why,
                patch: r.patch,
                line,
                index,
            };
            file.check(&entry, &known, &findings_path)?;
            file.entries.push(entry);
        }
        Ok(file)
    }

    fn check(
        &self,
        c: &Correction,
        known: &BTreeMap<String, String>,
        findings_path: &Path,
    ) -> Result<(), CorrectionError> {
        findings::check_citation(known, findings_path, &c.finding, &c.why)
            .map_err(|u| self.error(c, u.field, u.message))?;
        if c.patch.is_empty() {
            return Err(self.error(c, "/patch", "a correction changes at least one node"));
        }
        Ok(())
    }

    /// An error about entry `c` at `field` (a pointer below the entry).
    pub fn error(
        &self,
        c: &Correction,
        field: &str,
        message: impl Into<String>,
    ) -> CorrectionError {
        CorrectionError::Entry {
            path: self.path.clone(),
            line: c.line,
            pointer: format!("/corrections/{}{field}", c.index),
            message: message.into(),
        }
    }

    /// Applies every correction to `document` (an OpenAPI document as JSON), in file order,
    /// marking each corrected node with its finding. Fails on the first correction that does
    /// not apply or changes nothing; `document` is then partly corrected and must be dropped.
    pub fn apply(&self, document: &mut Value) -> Result<(), CorrectionError> {
        for c in &self.entries {
            let pointer = operation_pointer(document, &c.operation).ok_or_else(|| {
                self.error(
                    c,
                    "/operation",
                    format!("no operation has operationId `{}`", c.operation),
                )
            })?;
            let operation = document.pointer_mut(&pointer).expect("found just above");
            let before = operation.clone();
            for (j, op) in c.patch.iter().enumerate() {
                patch::apply(operation, op)
                    .map_err(|m| self.error(c, &format!("/patch/{j}/path"), m))?;
            }
            if *operation == before {
                let message = "changes nothing: the docs already say this; remove the correction";
                return Err(self.error(c, "", message));
            }
            for op in &c.patch {
                mark(operation, op.path(), &c.finding).map_err(|m| self.error(c, "/patch", m))?;
            }
        }
        Ok(())
    }
}

/// `/paths/~1v2~1tasks/get` for the operation whose `operationId` is `id`.
fn operation_pointer(document: &Value, id: &str) -> Option<String> {
    let paths = document.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        METHODS.iter().find_map(|method| {
            let found = item.get(*method)?.get("operationId")?.as_str()? == id;
            found.then(|| format!("/paths/{}/{method}", escape_pointer(path)))
        })
    })
}

/// Keys whose value is a map of names (properties, media types, example names, statuses):
/// the map itself holds no extension, the named objects in it do.
const NAME_MAPS: [&str; 9] = [
    "properties",
    "patternProperties",
    "content",
    "examples",
    "headers",
    "encoding",
    "links",
    "callbacks",
    "responses",
];

/// Keys whose value is data (a sample, a default, enum values): nothing below is OpenAPI.
const DATA_KEYS: [&str; 5] = ["value", "example", "default", "enum", "const"];

/// Records `finding` on the deepest object along `pointer` (relative to `operation`) that
/// may carry an extension.
fn mark(operation: &mut Value, pointer: &str, finding: &str) -> Result<(), String> {
    let tokens: Vec<String> =
        pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let depth = markable_depth(operation, &tokens);
    // The first `depth` tokens of `pointer`, still escaped: a pointer to the node itself.
    let prefix = pointer.split('/').take(depth + 1).collect::<Vec<_>>().join("/");
    let node = operation.pointer_mut(&prefix);
    let Some(Value::Object(map)) = node else {
        return Err(format!("`{pointer}`: no object to record the finding on"));
    };
    let extension = map.entry(EXTENSION).or_insert_with(|| Value::Object(Default::default()));
    let Value::Object(extension) = extension else {
        return Err(format!("`{pointer}`: its `{EXTENSION}` is not a mapping"));
    };
    let list = extension.entry("findings").or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(list) = list else {
        return Err(format!("`{pointer}`: its `{EXTENSION}.findings` is not a list"));
    };
    if !list.iter().any(|f| f == finding) {
        list.push(Value::String(finding.to_string()));
    }
    Ok(())
}

/// How many tokens of `tokens` lead to the deepest node that is an object, is not a map of
/// names, and is not inside data.
fn markable_depth(root: &Value, tokens: &[String]) -> usize {
    let mut best = 0;
    let mut node = root;
    // The node reached is a map of names (`properties`), so the next token is a name.
    let mut in_map = false;
    for (i, token) in tokens.iter().enumerate() {
        let is_name = in_map;
        if !is_name && (DATA_KEYS.contains(&token.as_str()) || token.starts_with("x-")) {
            break;
        }
        let next = match node {
            Value::Object(map) => map.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|n| items.get(n)),
            _ => None,
        };
        let Some(next) = next else { break };
        in_map = !is_name && NAME_MAPS.contains(&token.as_str());
        if next.is_object() && !in_map {
            best = i + 1;
        }
        node = next;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FINDINGS: &str = "# Findings\n## F2: code is an integer\n## F5: id is missing\n";

    /// Parses `yaml` as `corrections/compute.yaml` beside a findings file.
    fn parse(yaml: &str) -> Result<CorrectionFile, CorrectionError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("findings.md"), FINDINGS).unwrap();
        let path = dir.path().join("compute.yaml");
        CorrectionFile::parse(&path, yaml)
    }

    fn document() -> Value {
        json!({"paths": {"/events": {"post": {
            "operationId": "run_events",
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "code": {"type": "string"},
                    "value": {"type": "string"}
                }},
                "examples": {"one": {"x-stackspec": {"line": 3}, "value": {"code": "200"}}}
            }}}}
        }}}})
    }

    const CODE: &str = "/responses/200/content/application~1json/schema/properties/code";

    fn file(patch: &str) -> String {
        format!("findings: findings.md\ncorrections:\n  - finding: F2\n    operation: run_events\n    why: nova sends integers\n    patch:\n{patch}")
    }

    #[test]
    fn a_correction_changes_the_node_and_records_its_finding_there() {
        let yaml = file(&format!("      - {{op: replace, path: {CODE}/type, value: integer}}\n"));
        let mut doc = document();
        parse(&yaml).unwrap().apply(&mut doc).unwrap();
        let code = doc.pointer(&format!("/paths/~1events/post{CODE}")).unwrap();
        assert_eq!(code, &json!({"type": "integer", "x-stackspec": {"findings": ["F2"]}}));
    }

    #[test]
    fn provenance_goes_on_the_example_object_not_into_its_value() {
        let path = "/responses/200/content/application~1json/examples/one/value/code";
        let yaml = file(&format!("      - {{op: replace, path: {path}, value: 200}}\n"));
        let mut doc = document();
        parse(&yaml).unwrap().apply(&mut doc).unwrap();
        let example = doc
            .pointer("/paths/~1events/post/responses/200/content/application~1json/examples/one");
        assert_eq!(
            example.unwrap(),
            &json!({"x-stackspec": {"line": 3, "findings": ["F2"]}, "value": {"code": 200}})
        );
    }

    #[test]
    fn a_property_named_like_a_keyword_is_still_a_schema() {
        let path = "/responses/200/content/application~1json/schema/properties/value/format";
        let yaml = file(&format!("      - {{op: add, path: {path}, value: uuid}}\n"));
        let mut doc = document();
        parse(&yaml).unwrap().apply(&mut doc).unwrap();
        let value = doc
            .pointer("/paths/~1events/post/responses/200/content/application~1json/schema/properties/value")
            .unwrap();
        assert_eq!(value["x-stackspec"], json!({"findings": ["F2"]}));
        let properties = doc
            .pointer(
                "/paths/~1events/post/responses/200/content/application~1json/schema/properties",
            )
            .unwrap();
        assert!(properties.get("x-stackspec").is_none(), "a map of names holds no extension");
    }

    #[test]
    fn a_new_response_carries_its_finding_and_the_responses_map_does_not() {
        let yaml = file("      - {op: add, path: /responses/400, value: {description: Bad}}\n");
        let mut doc = document();
        parse(&yaml).unwrap().apply(&mut doc).unwrap();
        let responses = doc.pointer("/paths/~1events/post/responses").unwrap();
        assert_eq!(
            responses["400"],
            json!({"description": "Bad", "x-stackspec": {"findings": ["F2"]}})
        );
        assert!(responses.get("x-stackspec").is_none());
    }

    #[test]
    fn a_correction_that_changes_nothing_is_stale() {
        let yaml = file(&format!("      - {{op: replace, path: {CODE}/type, value: string}}\n"));
        let err = parse(&yaml).unwrap().apply(&mut document()).unwrap_err().to_string();
        assert!(err.ends_with("compute.yaml:3: at /corrections/0: changes nothing: the docs already say this; remove the correction"), "{err}");
    }

    #[test]
    fn errors_name_the_file_line_and_pointer_of_the_entry() {
        let missing =
            file(&format!("      - {{op: replace, path: {CODE}/x/type, value: integer}}\n"));
        let err = parse(&missing).unwrap().apply(&mut document()).unwrap_err().to_string();
        assert!(err.contains("compute.yaml:3: at /corrections/0/patch/0/path: `"), "{err}");
        assert!(err.contains("/code/x` does not exist"), "{err}");

        let unknown = file("      - {op: remove, path: /x}\n").replace("run_events", "nope");
        let err = parse(&unknown).unwrap().apply(&mut document()).unwrap_err().to_string();
        assert!(
            err.contains("at /corrections/0/operation: no operation has operationId `nope`"),
            "{err}"
        );

        let finding = file("      - {op: remove, path: /x}\n").replace("F2", "F9");
        let err = parse(&finding).unwrap_err().to_string();
        assert!(
            err.contains(
                "compute.yaml:3: at /corrections/0/finding: finding `F9` is not a heading"
            ),
            "{err}"
        );

        let bad_op = file("      - {op: move, from: /a, path: /x}\n");
        let err = parse(&bad_op).unwrap_err().to_string();
        assert!(err.contains("compute.yaml:") && err.contains("unknown variant `move`"), "{err}");
    }
}
