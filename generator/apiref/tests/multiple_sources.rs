//! An api-ref spread over several source directories (glance's `v2/` and `versions/`) is
//! transcribed as one document: every directory's operations, each parameter resolved from
//! its own directory's `parameters.yaml`, each sample from its own directory. What two
//! directories both document is an error naming both places.

mod support;

use std::path::{Path, PathBuf};

use serde_json::json;
use stackspec_apiref::corpus::{CorpusService, DEFAULT_CORPUS};
use stackspec_apiref::diagnostics::DiagnosticKind;
use stackspec_apiref::reader::{ApiRef, ReadError};
use stackspec_apiref::transcribe::conflict::Conflict;
use stackspec_apiref::transcribe::{ServiceProfile, TranscribeError, Transcriber, Transcription};
use support::{at, tree};

/// `tests/fixtures/split`: a `v1/` and a `versions/` directory, each with its own
/// `parameters.yaml` (both defining `name`, differently) and samples.
fn split_fixture() -> Transcription {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/split/api-ref/source");
    transcriber().transcribe_dirs(&[source.join("v1"), source.join("versions")]).unwrap()
}

fn transcriber() -> Transcriber {
    Transcriber::new(ServiceProfile::generic("kettles")).label("fixtures/split")
}

const KETTLE: &str = "/paths/~1v1~1kettles~1{kettle_id}/get";
const ROOT: &str = "/paths/~1/get";
const JSON_BODY: &str = "content/application~1json";

#[test]
fn merged_directories_give_every_directory_s_operations_and_tags() {
    let t = split_fixture();
    assert_eq!(at(&t, &format!("{KETTLE}/operationId")), "show_kettle");
    assert_eq!(at(&t, &format!("{ROOT}/operationId")), "list_versions");
    assert!(at(&t, &format!("{ROOT}/responses")).get("300").is_some());
    let tags: Vec<&str> = t.document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["kettles", "versions"]);
    assert_eq!(t.diagnostics, []);
}

#[test]
fn each_parameter_resolves_against_its_own_directory_s_parameters_file() {
    let t = split_fixture();
    let name = |op: &str, status: &str| {
        let pointer = format!("{op}/responses/{status}/{JSON_BODY}/schema/properties/name");
        at(&t, &pointer)["description"].clone()
    };
    assert_eq!(name(KETTLE, "200"), "The kettle's name.");
    assert_eq!(name(ROOT, "300"), "The name of the kettle API.");
    let required = &at(&t, &format!("{ROOT}/responses/300/{JSON_BODY}/schema"))["required"];
    assert_eq!(required, &json!(["versions"]));
}

#[test]
fn a_sample_of_the_second_directory_attaches_and_is_named_relative_to_the_first() {
    let t = split_fixture();
    let example = at(&t, &format!("{ROOT}/responses/300/{JSON_BODY}/examples/versions-resp"));
    assert_eq!(example["value"]["versions"][0]["status"], "CURRENT");
    assert_eq!(example["x-stackspec"]["sample"], "../versions/samples/versions-resp.json");
    assert_eq!(example["x-stackspec"]["source"], "../versions/versions.inc");
}

#[test]
fn one_directory_transcribes_as_before() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/split/api-ref/source");
    let t = transcriber().transcribe(&source.join("v1")).unwrap();
    assert!(t.document.pointer(KETTLE).is_some());
    assert!(t.document.pointer(ROOT).is_none());
}

/// An `.inc` file of one block, `title` over `method`, at line 4.
fn inc(title: &str, method: &str) -> String {
    format!(
        "{title}\n{}\n\n.. rest_method:: {method}\n\nNormal response codes: 200\n",
        "=".repeat(title.len())
    )
}

fn transcribe_two(
    one: &str,
    two: &str,
) -> (tempfile::TempDir, Result<Transcription, TranscribeError>) {
    let dir = tree(&[("one/a.inc", one), ("two/b.inc", two)]);
    let sources = [dir.path().join("one"), dir.path().join("two")];
    let result = transcriber().transcribe_dirs(&sources);
    (dir, result)
}

fn file_and_line(location: &stackspec_apiref::diagnostics::Location) -> (PathBuf, usize) {
    let parent = location.file.parent().unwrap().file_name().unwrap();
    (Path::new(parent).join(location.file.file_name().unwrap()), location.line)
}

#[test]
fn the_same_route_in_two_directories_is_an_error_naming_both_files_and_lines() {
    let (_dir, result) = transcribe_two(
        &inc("Show thing", "GET /things/{id}"),
        &inc("Get thing", "GET /things/{thing_id}"),
    );
    let err = result.unwrap_err();
    let TranscribeError::Conflict(Conflict::Route { first, second, path, .. }) = &err else {
        panic!("{err}")
    };
    assert_eq!(file_and_line(first), (PathBuf::from("one/a.inc"), 4));
    assert_eq!(file_and_line(second), (PathBuf::from("two/b.inc"), 4));
    assert_eq!(path, "/things/{id}");
    let message = err.to_string();
    assert!(message.contains("one/a.inc:4") && message.contains("two/b.inc:4"), "{message}");
}

#[test]
fn the_same_operation_id_from_two_directories_is_an_error_naming_both() {
    let (_dir, result) =
        transcribe_two(&inc("List things", "GET /things"), &inc("List things", "GET /v2/things"));
    let err = result.unwrap_err();
    let TranscribeError::Conflict(Conflict::OperationId { id, first, second }) = &err else {
        panic!("{err}")
    };
    assert_eq!(id, "list_things");
    assert_eq!(file_and_line(first), (PathBuf::from("one/a.inc"), 4));
    assert_eq!(file_and_line(second), (PathBuf::from("two/b.inc"), 4));
}

#[test]
fn within_one_directory_equal_titles_are_still_numbered() {
    let text =
        format!("{}\n{}", inc("List things", "GET /things"), inc("List things", "GET /v2/things"));
    let dir = tree(&[("one/a.inc", &text)]);
    let t = transcriber().transcribe(&dir.path().join("one")).unwrap();
    assert_eq!(t.document["paths"]["/v2/things"]["get"]["operationId"], "list_things_2");
}

#[test]
fn no_directory_or_the_same_one_twice_is_an_error() {
    assert!(matches!(ApiRef::read_all(&[]), Err(ReadError::NoSources)));
    let dir = tree(&[("one/a.inc", &inc("List things", "GET /things"))]);
    let one = dir.path().join("one");
    let err = ApiRef::read_all(&[one.clone(), one.join("../one/.")]).unwrap_err();
    assert!(matches!(&err, ReadError::RepeatedSource(p) if *p == one), "{err}");
}

/// A directory of another project is confined to its own project, not to the first's.
#[test]
fn each_directory_reads_only_inside_its_own_project() {
    let included = ".. literalinclude:: ../../../first/api-ref/source/list-resp.json\n";
    let second = format!(
        "{}\nResponse Example\n----------------\n\n{included}",
        inc("Get thing", "GET /thing")
    );
    let dir = tree(&[
        ("first/api-ref/source/a.inc", &inc("List things", "GET /things")),
        ("first/api-ref/source/list-resp.json", "{\"things\": []}"),
        ("second/api-ref/source/b.inc", &second),
    ]);
    let sources = ["first", "second"].map(|p| dir.path().join(p).join("api-ref/source"));
    let api = ApiRef::read_all(&sources).unwrap();
    let refused: Vec<_> =
        api.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::MissingSample).collect();
    assert_eq!(refused.len(), 1, "{:?}", api.diagnostics);
    assert!(refused[0].location.file.ends_with("second/api-ref/source/b.inc"));
    assert!(refused[0].message.contains("outside"), "{}", refused[0].message);
    assert!(api.samples.is_empty());
}

/// glance documents its version discovery in `versions/`, beside `v2/`.
#[test]
fn the_image_transcription_has_glance_s_version_discovery() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(DEFAULT_CORPUS);
    let t = CorpusService::named("image").unwrap().transcribe(&corpus).unwrap();
    let statuses = |path: &str| -> Vec<String> {
        let responses = t.document["paths"][path]["get"]["responses"].as_object();
        responses.unwrap_or_else(|| panic!("no GET {path}")).keys().cloned().collect()
    };
    // versions.inc: `GET /versions` answers 200, `GET /` 300 (Multiple Choices).
    assert_eq!(statuses("/versions"), ["200"]);
    assert_eq!(statuses("/"), ["300"]);
    for (path, status) in [("/versions", "200"), ("/", "300")] {
        let op = &t.document["paths"][path]["get"];
        let examples = op["responses"][status]["content"]["application/json"]["examples"]
            .as_object()
            .unwrap_or_else(|| panic!("GET {path}: no example"));
        let sample = &examples.values().next().unwrap()["x-stackspec"]["sample"];
        assert_eq!(sample, "../versions/samples/image-versions-response.json", "GET {path}");
        assert_eq!(op["security"], json!([]), "GET {path} needs no token");
    }
    assert!(t.document["paths"].get("/v2/tasks").is_some(), "v2/ is still read");
}
