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
    // A block that does not parse is a warning naming its line; the rest is transcribed.
    let inc = ".. rest_method:: GET\n\nText.\n\n.. rest_method:: GET /things\n\nList.\n";
    std::fs::write(dir.path().join("x.inc"), inc).unwrap();
    let out = dir.path().join("o.yaml");
    let run = stackspec(&[
        "transcribe",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--verbose",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("x.inc:1: Malformed: `rest_method` needs `VERB /path`"), "{stderr}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("/things:"));
}

#[test]
fn transcribe_merges_several_source_directories_and_exits_2_on_one_operation_in_two() {
    let split = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("generator/apiref/tests/fixtures/split/api-ref/source");
    let [v1, versions] = ["v1", "versions"].map(|d| split.join(d).display().to_string());
    let run = stackspec(&["transcribe", &v1, &versions]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let yaml = String::from_utf8_lossy(&run.stdout);
    assert!(yaml.contains("  /v1/kettles/{kettle_id}:\n") && yaml.contains("  /:\n"), "{yaml}");

    let dir = tempfile::tempdir().unwrap();
    for name in ["one", "two"] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        let inc = "Show\n====\n\n.. rest_method:: GET /things/{id}\n";
        std::fs::write(dir.path().join(name).join("x.inc"), inc).unwrap();
    }
    let [one, two] = ["one", "two"].map(|d| dir.path().join(d).display().to_string());
    let run = stackspec(&["transcribe", &one, &two]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&format!("{one}/x.inc:4 and again at {two}/x.inc:4")), "{stderr}");
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

/// `stackspec spec` into `out`, the corpus read from `../shared`, with `extra` arguments.
fn spec_into(out: &Path, extra: &[&str]) -> Output {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/openstack-api-ref");
    let mut args = vec!["spec", "--corpus", corpus.to_str().unwrap()];
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    stackspec(&args)
}

#[test]
fn spec_docs_only_leaves_the_reviewed_corrections_out() {
    let dir = tempfile::tempdir().unwrap();
    let corrections = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/corrections");
    let with = ["--corrections", corrections.to_str().unwrap()];
    let run = spec_into(dir.path(), &[&with[..], &["--docs-only"]].concat());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let docs = std::fs::read_to_string(dir.path().join("compute.yaml")).unwrap();
    assert!(!docs.contains("findings:"), "no correction is applied with --docs-only");
    let run = spec_into(dir.path(), &with);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let corrected = std::fs::read_to_string(dir.path().join("compute.yaml")).unwrap();
    assert!(corrected.contains("findings:\n") && corrected.contains("- F2\n"), "F2 is applied");
}

#[test]
fn spec_refuses_a_correction_that_changes_nothing_naming_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let findings = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/findings.md");
    std::fs::create_dir(dir.path().join("corrections")).unwrap();
    let pointer = "/responses/200/content/application~1json/schema/properties/events/items/properties/code/type";
    let stale = format!(
        "findings: {}\ncorrections:\n  - finding: F2\n    operation: run_events\n    why: fixed upstream\n    patch:\n      - {{op: replace, path: {pointer}, value: string}}\n",
        findings.display()
    );
    std::fs::write(dir.path().join("corrections/compute.yaml"), stale).unwrap();
    let run = spec_into(dir.path(), &["--check"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("compute.yaml:3: at /corrections/0: changes nothing"), "{stderr}");
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
