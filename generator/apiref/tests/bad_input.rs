//! Bad api-ref input gives an error or a warning naming the file and line, never a panic.
//! Each test writes a small source tree of its own.

mod support;

use std::path::Path;

use stackspec_apiref::diagnostics::{Diagnostic, DiagnosticKind};
use stackspec_apiref::reader::confine::ConfineError;
use stackspec_apiref::reader::substitution::SubstitutionError;
use stackspec_apiref::reader::{ApiRef, ReadError};
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber};
use stackspec_model::yaml::LimitExceeded;
use support::tree;

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
fn an_unclosed_directive_is_a_warning_naming_its_line() {
    let dir = with(&[(
        "w.inc",
        "Make\n====\n\n.. rest_method:: POST /w\n\n.. rest_parameters:: parameters.yaml\n",
    )]);
    let diags = diagnostics(dir.path());
    let d = only(&diags, DiagnosticKind::Malformed);
    assert_eq!(d.location.line, 6);
    assert!(d.message.starts_with("`rest_parameters` has no `- name: key` entries"), "{d}");
}

fn transcribe(dir: &Path) -> stackspec_apiref::transcribe::Transcription {
    Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir).unwrap()
}

/// The request body's properties of the fixture's one operation.
fn request_properties(t: &stackspec_apiref::transcribe::Transcription) -> Vec<String> {
    let schema = &t.document["paths"]["/widgets/{widget_id}"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn a_latin1_byte_in_an_inc_file_is_a_warning_and_the_service_is_still_transcribed() {
    let dir = with(&[]);
    let inc = INC.replace("Make Widget\n===========", "Make Widg\u{e9}t\n===========");
    let latin1: Vec<u8> = inc.chars().map(|c| c as u32 as u8).collect();
    write_bytes(dir.path(), "w.inc", &latin1);
    let t = transcribe(dir.path());
    let d = only(&t.diagnostics, DiagnosticKind::InvalidText);
    assert_eq!(
        (d.location.file.file_name().unwrap().to_str(), d.location.line),
        (Some("w.inc"), 1)
    );
    assert!(d.message.starts_with("byte 0xE9 is not UTF-8 at column 10"), "{d}");
    assert_eq!(request_properties(&t), ["name"]);
}

#[test]
fn bad_bytes_in_parameters_and_samples_are_warnings_naming_their_line() {
    let dir = with(&[]);
    let params = PARAMETERS.replace("The widget name.", "The widget\u{1} n\u{e4}me.");
    let mut bytes = params.into_bytes();
    let at = bytes.windows(2).position(|w| w == "\u{e4}".as_bytes()).unwrap();
    bytes.splice(at..at + 2, [0xe4]);
    write_bytes(dir.path(), "parameters.yaml", &bytes);
    write_bytes(dir.path(), "samples/make-req.json", b"{\n  \"name\": \"w\xff\"\n}");
    let t = transcribe(dir.path());
    let found: Vec<_> = t
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.location.file.file_name().unwrap().to_str().unwrap(), d.location.line))
        .collect();
    let text = DiagnosticKind::InvalidText;
    assert_eq!(
        found,
        [(text, "parameters.yaml", 7), (text, "parameters.yaml", 7), (text, "make-req.json", 2)]
    );
    assert_eq!(request_properties(&t), ["name"], "the definition and the sample are still read");
}

#[test]
fn a_broken_parameter_entry_is_a_warning_and_never_a_parameter() {
    let inc = INC.replace("  - name: name\n", "  - name: name\n - ``broken: widget_id\n");
    let dir = with(&[("w.inc", &inc)]);
    let t = transcribe(dir.path());
    let d = only(&t.diagnostics, DiagnosticKind::Malformed);
    assert_eq!(d.location.line, 15);
    assert!(d.message.contains("``broken"), "{d}");
    let yaml = t.to_yaml();
    assert!(!yaml.contains("broken"), "{yaml}");
}

#[test]
fn a_curl_example_is_a_note_and_not_an_invalid_sample() {
    let inc = format!("{INC}\n.. literalinclude:: examples/make-curl\n   :language: bash\n");
    let curl = "curl -X POST -H \"X-Auth-Token: <token>\" http://198.51.100.7/widgets/1\n";
    let dir = with(&[("w.inc", &inc), ("examples/make-curl", curl)]);
    let t = transcribe(dir.path());
    let d = only(&t.diagnostics, DiagnosticKind::NonJsonSample);
    assert_eq!(d.location.line, 18);
    assert!(!d.is_warning());
    let f = stackspec_apiref::fidelity::measure(&t);
    assert_eq!((f.samples, f.validating, f.unreadable.len()), (1, 1, 0));
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
    let unresolved = only(&diags, DiagnosticKind::UnresolvedParameter);
    assert_eq!(unresolved.location.line, 14);
    assert!(
        unresolved.message.contains("the entry `name` at ")
            && unresolved.message.ends_with("parameters.yaml:6 is invalid (reported there)"),
        "not `no key`: {}",
        unresolved.message
    );
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
fn a_path_definition_the_path_lacks_and_no_sample_shows_is_dropped_at_its_listing() {
    let params = format!("{PARAMETERS}tenant_id:\n  description: A tenant.\n  in: path\n  required: true\n  type: string\n");
    let inc = INC.replace("  - name: name\n", "  - name: name\n  - tenant: tenant_id\n");
    let dir = with(&[("parameters.yaml", &params), ("w.inc", &inc)]);
    let t = Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir.path()).unwrap();
    let d = only(&t.diagnostics, DiagnosticKind::PathParameterMismatch);
    assert_eq!(d.location.line, 15, "the `- tenant: tenant_id` line");
    assert!(
        d.message.ends_with("`tenant` is not in the path `/widgets/{widget_id}`; dropped"),
        "{}",
        d.message
    );
    let post = &t.document["paths"]["/widgets/{widget_id}"]["post"];
    let schema = &post["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(schema["properties"].as_object().map(|p| p.len()), Some(1), "{schema}");
    assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1), "{post}");
}

#[test]
fn a_path_definition_the_path_lacks_is_a_body_field_where_the_request_sample_has_it() {
    let params = format!("{PARAMETERS}tenant_id:\n  description: A tenant.\n  in: path\n  required: true\n  type: string\n");
    let inc = INC.replace("  - name: name\n", "  - name: name\n  - tenant: tenant_id\n");
    let sample = "{\"name\": \"w\", \"tenant\": \"t\"}";
    let dir =
        with(&[("parameters.yaml", &params), ("w.inc", &inc), ("samples/make-req.json", sample)]);
    let t = Transcriber::new(ServiceProfile::generic("widgets")).transcribe(dir.path()).unwrap();
    let d = only(&t.diagnostics, DiagnosticKind::PathParameterMismatch);
    assert!(d.message.ends_with("transcribed as a body field"), "{}", d.message);
    let post = &t.document["paths"]["/widgets/{widget_id}"]["post"];
    let schema = &post["requestBody"]["content"]["application/json"]["schema"];
    assert!(schema["properties"]["tenant"].is_object(), "{schema}");
}

/// 2.1 KB of RST: `|s0|` uses `|s1|` sixty times, which uses `|s2|` sixty times, ... eight
/// deep; a parameter description that uses `|s0|` would expand to 60^7 copies of `lol`.
fn substitution_bomb() -> String {
    let mut inc = INC.to_string();
    for i in 0..7 {
        inc.push_str(&format!("\n.. |s{i}| replace:: {}\n", format!("|s{}|", i + 1).repeat(60)));
    }
    inc.push_str("\n.. |s7| replace:: lol\n");
    inc
}

#[test]
fn a_substitution_bomb_is_an_error_naming_the_description() {
    let inc = substitution_bomb();
    assert!((2_000..2_600).contains(&inc.len()), "{}", inc.len());
    let params = PARAMETERS.replace("The widget name.", "The |s0| name.");
    let dir = with(&[("w.inc", &inc), ("parameters.yaml", &params)]);
    let err = ApiRef::read(dir.path()).unwrap_err();
    let ReadError::Substitution { location, source } = &err else { panic!("{err}") };
    assert_eq!(
        (location.file.file_name().unwrap().to_str(), location.line),
        (Some("parameters.yaml"), 6)
    );
    assert!(matches!(source, SubstitutionError::TooMany { .. }), "{err}");
}

#[test]
fn substitutions_nested_too_deep_are_an_error() {
    let mut inc = INC.to_string();
    for i in 0..12 {
        inc.push_str(&format!("\n.. |s{i}| replace:: |s{}|\n", i + 1));
    }
    let params = PARAMETERS.replace("The widget name.", "The |s0| name.");
    let dir = with(&[("w.inc", &inc), ("parameters.yaml", &params)]);
    let err = ApiRef::read(dir.path()).unwrap_err().to_string();
    assert!(
        err.ends_with("parameters.yaml:6: `|s8|` nests substitutions more than 8 deep (a cycle?)"),
        "{err}"
    );
}

/// `a0` is ten `lol`s; `a{i}` is ten `a{i-1}`s.
fn billion_laughs() -> String {
    let mut text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_string();
    for i in 1..10 {
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    text
}

#[test]
fn a_billion_laughs_parameters_file_is_refused_naming_the_file() {
    let dir = with(&[("parameters.yaml", &format!("{PARAMETERS}{}", billion_laughs()))]);
    let err = ApiRef::read(dir.path()).unwrap_err();
    let ReadError::YamlLimit { location, source } = &err else { panic!("{err}") };
    assert!(location.file.ends_with("parameters.yaml"));
    assert!(matches!(source, LimitExceeded::TooManyAliasNodes { .. }), "{err}");
}

#[test]
fn a_status_file_nested_a_hundred_thousand_deep_is_refused() {
    let inc = INC.replace(
        "Normal response codes: 200",
        ".. rest_status_code:: success status.yaml\n\n   - 200\n",
    );
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let dir = with(&[("w.inc", &inc), ("status.yaml", &deep)]);
    let err = ApiRef::read(dir.path()).unwrap_err();
    let ReadError::YamlLimit { location, source } = &err else { panic!("{err}") };
    assert!(location.file.ends_with("status.yaml"));
    assert!(matches!(source, LimitExceeded::TooDeep { .. }), "{err}");
}

/// An api-ref at `<tmp>/project/api-ref/source`, with `secret.json` next to `project`.
fn project_tree(inc: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = with(&[]);
    let source = dir.path().join("project/api-ref/source");
    std::fs::create_dir_all(source.join("samples")).unwrap();
    for name in ["parameters.yaml", "samples/make-req.json"] {
        std::fs::rename(dir.path().join(name), source.join(name)).unwrap();
    }
    std::fs::remove_file(dir.path().join("w.inc")).unwrap();
    std::fs::write(source.join("w.inc"), inc).unwrap();
    std::fs::write(dir.path().join("secret.json"), "{\"password\": \"s\"}").unwrap();
    (dir, source)
}

fn sample_warning(source: &Path) -> Diagnostic {
    only(&diagnostics(source), DiagnosticKind::MissingSample).clone()
}

#[test]
fn a_sample_in_the_project_outside_the_source_directory_is_read() {
    let (dir, source) =
        project_tree(&INC.replace("samples/make-req.json", "../../doc/make-req.json"));
    let doc = dir.path().join("project/doc");
    std::fs::create_dir_all(&doc).unwrap();
    std::fs::copy(source.join("samples/make-req.json"), doc.join("make-req.json")).unwrap();
    assert_eq!(diagnostics(&source), []);
}

#[test]
fn a_sample_outside_the_project_is_a_warning_naming_the_literalinclude() {
    let (_dir, source) =
        project_tree(&INC.replace("samples/make-req.json", "../../../secret.json"));
    let d = sample_warning(&source);
    assert_eq!(d.location.line, 16);
    assert!(d.message.contains("outside"), "{}", d.message);
}

#[test]
fn a_symlinked_sample_leaving_the_project_is_a_warning() {
    let (dir, source) = project_tree(INC);
    let sample = source.join("samples/make-req.json");
    std::fs::remove_file(&sample).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.json"), &sample).unwrap();
    assert!(sample_warning(&source).message.contains("outside"));
}

#[test]
fn special_files_are_not_read() {
    let (_dir, source) = project_tree(INC);
    let sample = source.join("samples/make-req.json");
    std::fs::remove_file(&sample).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &sample).unwrap();
    // /dev is outside the project: refused before its type matters.
    assert!(sample_warning(&source).message.contains("outside"));
    std::fs::remove_file(&sample).unwrap();
    let status = std::process::Command::new("mkfifo").arg(&sample).status().unwrap();
    assert!(status.success());
    let d = sample_warning(&source);
    assert!(d.message.contains("not a regular file"), "{}", d.message);
}

#[test]
fn a_parameters_file_outside_the_project_is_an_error_naming_the_directive() {
    let inc =
        INC.replace("rest_parameters:: parameters.yaml", "rest_parameters:: ../../../secret.json");
    let (_dir, source) = project_tree(&inc);
    let err = ApiRef::read(&source).unwrap_err();
    let ReadError::Confined { location, source: why, .. } = &err else { panic!("{err}") };
    // The first entry of the list, where the file is first needed.
    assert_eq!((location.file.file_name().unwrap().to_str(), location.line), (Some("w.inc"), 13));
    assert!(matches!(why, ConfineError::Outside { .. }), "{err}");
}

#[test]
fn invisible_characters_in_a_rest_method_path_are_dropped_with_a_warning_naming_the_line() {
    let path = "/widgets/\u{200b}{widget_id}\u{200b}";
    let dir = with(&[("w.inc", &INC.replace("/widgets/{widget_id}", path))]);
    let t = transcribe(dir.path());
    let d = only(&t.diagnostics, DiagnosticKind::InvalidText);
    assert_eq!(
        (d.location.file.file_name().unwrap().to_str(), d.location.line),
        (Some("w.inc"), 4)
    );
    assert!(d.message.ends_with("path dropped: U+200B, U+200B"), "{}", d.message);
    let paths: Vec<_> = t.document["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(paths, ["/widgets/{widget_id}"]);
    assert_eq!(request_properties(&t), ["name"], "the path parameter is matched, not a field");
}
