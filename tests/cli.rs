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
