//! The `stackspec` binary as a user runs it: exit codes and messages.

use std::path::Path;
use std::process::{Command, Output};

fn stackspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackspec")).args(args).output().expect("runs")
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("generator/apiref/tests/fixtures/widgets")
        .display()
        .to_string()
}

#[test]
fn transcribe_writes_a_loadable_document_and_reports_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("widgets.yaml");
    let run = stackspec(&[
        "transcribe",
        &fixture(),
        "-o",
        out.to_str().unwrap(),
        "--service-type",
        "compute",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let spec = stackspec_model::Spec::load(&out).unwrap();
    assert_eq!(spec.operations().count(), 3);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("transcribed 3 operations from 4 rest_method blocks"), "{stderr}");
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    let run = stackspec(&["transcribe", "/nonexistent/api-ref"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("/nonexistent/api-ref: cannot read"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.inc"), ".. rest_method:: GET\n").unwrap();
    let run = stackspec(&["transcribe", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("x.inc:1: `rest_method` needs `VERB /path`"), "{stderr}");
}

#[test]
fn spec_check_exits_1_when_a_spec_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/openstack-api-ref");
    std::fs::write(dir.path().join("image.yaml"), "stale").unwrap();
    let run = stackspec(&[
        "spec",
        "--check",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("image.yaml"), "{stderr}");
    assert!(!dir.path().join("compute.yaml").exists(), "--check writes nothing");
}

/// The files `stackspec generate --side SIDE` writes for the operations fixture.
fn generated_files(side: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("generator/codegen/tests/fixtures/generate/operations.yaml");
    let run = stackspec(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--side",
        side,
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn generate_side_writes_only_that_sides_modules() {
    assert_eq!(generated_files("client"), ["client.rs", "mod.rs", "types.rs"]);
    // The server includes the request bodies' JSON Schemas from `schemas.json`.
    assert_eq!(generated_files("server"), ["mod.rs", "schemas.json", "server.rs", "types.rs"]);
    assert_eq!(
        generated_files("both"),
        ["client.rs", "mod.rs", "schemas.json", "server.rs", "types.rs"]
    );
}

#[test]
fn generate_refuses_an_unknown_side_with_exit_2() {
    let run = stackspec(&["generate", "--spec", "x.yaml", "-o", "out", "--side", "clients"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("invalid value 'clients' for '--side"), "{stderr}");
}
