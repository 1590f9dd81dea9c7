//! Bad api-ref input gives an error or a warning naming the file and line, never a panic.
//! Each test writes a small source tree of its own.

use std::path::Path;

use stackspec_apiref::diagnostics::{Diagnostic, DiagnosticKind};
use stackspec_apiref::reader::{ApiRef, ReadError};
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber};

const PARAMETERS: &str = "\
widget_id:
  description: The widget.
  in: path
  required: true
  type: string
name:
  description: The widget name.
  in: body
  required: true
  type: string
";

const INC: &str = "\
Make Widget
===========

.. rest_method:: POST /widgets/{widget_id}

Normal response codes: 200

Request
-------

.. rest_parameters:: parameters.yaml

  - widget_id: widget_id
  - name: name

.. literalinclude:: samples/make-req.json
";

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn with(overrides: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![
        ("w.inc", INC),
        ("parameters.yaml", PARAMETERS),
        ("samples/make-req.json", "{\"name\": \"w\"}"),
    ];
    for (name, text) in overrides {
        files.retain(|(n, _)| n != name);
        files.push((name, text));
    }
    tree(&files)
}

fn diagnostics(dir: &Path) -> Vec<Diagnostic> {
    ApiRef::read(dir).unwrap().diagnostics
}

fn only(diags: &[Diagnostic], kind: DiagnosticKind) -> &Diagnostic {
    let found: Vec<_> = diags.iter().filter(|d| d.kind == kind).collect();
    assert_eq!(found.len(), 1, "{diags:?}");
    found[0]
}

#[test]
fn a_clean_tree_has_no_warnings() {
    let dir = with(&[]);
    assert_eq!(diagnostics(dir.path()), []);
}

#[test]
fn a_missing_parameters_key_names_the_inc_line() {
    let dir = with(&[("w.inc", &INC.replace("- name: name", "- name: no_such_key"))]);
    let diags = diagnostics(dir.path());
    let d = only(&diags, DiagnosticKind::UnresolvedParameter);
    assert_eq!(
        (d.location.file.file_name().unwrap().to_str(), d.location.line),
        (Some("w.inc"), 14)
    );
    assert!(d.message.contains("no key `no_such_key`"), "{}", d.message);
}

#[test]
fn malformed_yaml_is_an_error_naming_the_parameters_file_and_line() {
    let dir = with(&[("parameters.yaml", "widget_id:\n  in: path\n  type: [string\nname: {\n")]);
    let err = ApiRef::read(dir.path()).unwrap_err();
    let ReadError::Yaml { location, .. } = &err else { panic!("{err}") };
    assert!(location.file.ends_with("parameters.yaml"));
    assert!(location.line >= 3, "{err}");
}

#[test]
fn an_unclosed_directive_is_an_error_naming_its_line() {
    let dir = with(&[(
        "w.inc",
        "Make\n====\n\n.. rest_method:: POST /w\n\n.. rest_parameters:: parameters.yaml\n",
    )]);
    let err = ApiRef::read(dir.path()).unwrap_err().to_string();
    assert!(err.contains("w.inc:6: `rest_parameters` has no `- name: key` entries"), "{err}");
}

#[test]
fn a_missing_sample_is_a_warning_naming_the_literalinclude() {
    let dir = with(&[("w.inc", &INC.replace("make-req.json", "gone.json"))]);
    let diags = diagnostics(dir.path());
    let d = only(&diags, DiagnosticKind::MissingSample);
    assert_eq!(d.location.line, 16);
    assert!(d.message.contains("gone.json"), "{}", d.message);
}

#[test]
fn an_unknown_in_is_a_warning_at_the_definition_and_the_reference() {
    let dir = with(&[("parameters.yaml", &PARAMETERS.replace("in: body", "in: cookie"))]);
    let diags = diagnostics(dir.path());
    let bad = only(&diags, DiagnosticKind::InvalidParameter);
    assert_eq!(
        (bad.location.file.file_name().unwrap().to_str(), bad.location.line),
        (Some("parameters.yaml"), 6)
    );
    assert!(bad.message.contains("unknown `in: cookie`"));
    assert_eq!(only(&diags, DiagnosticKind::UnresolvedParameter).location.line, 14);
}

#[test]
fn invalid_sample_json_is_a_warning_with_line_and_column() {
    let dir = with(&[("samples/make-req.json", "{\n  \"name\": \"w\",\n}\n")]);
    let diags = diagnostics(dir.path());
    let d = only(&diags, DiagnosticKind::InvalidSample);
    assert!(d.location.file.ends_with("samples/make-req.json"));
    assert_eq!(d.location.line, 3);
    assert!(d.message.contains("column"), "{}", d.message);
}

#[test]
fn a_directory_without_rest_methods_is_an_error() {
    let dir = tree(&[("notes.inc", "Just prose.\n")]);
    let err = ApiRef::read(dir.path()).unwrap_err().to_string();
    assert!(err.ends_with("no `.inc` file with a `rest_method` directive here"), "{err}");
    let err = ApiRef::read(&dir.path().join("missing")).unwrap_err().to_string();
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn a_type_disagreement_keeps_the_parameters_type_and_is_reported() {
    let dir = with(&[("samples/make-req.json", "{\"name\": 42}")]);
    let t = Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir.path()).unwrap();
    let d = only(&t.diagnostics, DiagnosticKind::TypeDisagreement);
    assert!(
        d.message.contains("parameters.yaml says string, a sample has integer"),
        "{}",
        d.message
    );
    let schema = &t.document["paths"]["/widgets/{widget_id}"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(schema["properties"]["name"]["type"], "string");
}

#[test]
fn a_path_parameter_declared_under_another_name_is_renamed_and_reported() {
    let dir = with(&[("w.inc", &INC.replace("- widget_id: widget_id", "- uuid: widget_id"))]);
    let t = Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir.path()).unwrap();
    let d = only(&t.diagnostics, DiagnosticKind::PathParameterMismatch);
    assert!(
        d.message.contains("`uuid` is declared but the path says `{widget_id}`"),
        "{}",
        d.message
    );
    let params = &t.document["paths"]["/widgets/{widget_id}"]["post"]["parameters"];
    assert_eq!(params[0]["name"], "widget_id");
}

#[test]
fn a_path_definition_the_path_lacks_is_a_body_field_only_where_a_body_exists() {
    let params = format!("{PARAMETERS}tenant_id:\n  description: A tenant.\n  in: path\n  required: true\n  type: string\n");
    let inc = INC.replace("  - name: name\n", "  - name: name\n  - tenant: tenant_id\n");
    let dir = with(&[("parameters.yaml", &params), ("w.inc", &inc)]);
    let t = Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir.path()).unwrap();
    let d = only(&t.diagnostics, DiagnosticKind::PathParameterMismatch);
    assert!(d.message.ends_with("transcribed as a body field"), "{}", d.message);
    let post = &t.document["paths"]["/widgets/{widget_id}"]["post"];
    assert!(post["requestBody"]["content"]["application/json"]["schema"]["properties"]["tenant"]
        .is_object());

    let get = inc.replace("POST", "GET").replace(".. literalinclude:: samples/make-req.json\n", "");
    let get = get.replace("  - name: name\n", "");
    let dir = with(&[("parameters.yaml", &params), ("w.inc", &get)]);
    let t = Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir.path()).unwrap();
    let d = only(&t.diagnostics, DiagnosticKind::PathParameterMismatch);
    assert!(d.message.ends_with("dropped (a GET has no body)"), "{}", d.message);
    assert!(t.document["paths"]["/widgets/{widget_id}"]["get"].get("requestBody").is_none());
}
