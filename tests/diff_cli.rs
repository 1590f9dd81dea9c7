//! `stackspec diff` as CI runs it: the report on stdout and `--fail-on` in the exit code.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str, side: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("generator/diff/tests/fixtures/diff");
    dir.join(name).join(format!("{side}.yaml"))
}

fn stackspec_diff(name: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .arg("diff")
        .arg(fixture(name, "old"))
        .arg(fixture(name, "new"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn fail_on_sets_the_exit_code_at_the_chosen_severity() {
    // status-added: one warning (a new success status), no breaking change.
    let cases: &[(&[&str], i32)] =
        &[(&[], 0), (&["--fail-on", "breaking"], 0), (&["--fail-on", "warning"], 1)];
    for (args, code) in cases {
        let out = stackspec_diff("status-added", args);
        assert_eq!(out.status.code(), Some(*code), "{args:?}");
    }
    let breaking = stackspec_diff("required-property-added", &["--fail-on", "breaking"]);
    assert_eq!(breaking.status.code(), Some(1));
    let unchanged = stackspec_diff("renamed-path-parameter", &["--fail-on", "warning"]);
    assert_eq!(unchanged.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&unchanged.stdout), "no changes\n");
}

#[test]
fn json_output_parses_and_lists_ids_with_severities() {
    let out = stackspec_diff("status-added", &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["warning"], 1);
    assert_eq!(report["changes"][0]["id"], "success-status-added");
    assert_eq!(report["changes"][0]["severity"], "warning");
}

#[test]
fn an_unreadable_spec_exits_2_naming_the_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_stackspec"))
        .args(["diff", "does-not-exist.yaml"])
        .arg(fixture("path-added", "new"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does-not-exist.yaml: cannot read"), "{stderr}");
}

#[test]
fn acknowledged_changes_pass_fail_on_and_a_bad_file_exits_2_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let acks = dir.path().join("acks.yaml");
    let id = "request-required-property-added POST /servers \
        /paths/~1servers/post/requestBody/content/application~1json/schema/properties/key_name";
    std::fs::write(
        &acks,
        format!(
            "acknowledgements:\n  - id: {id}\n    class: accepted-break\n    reason: announced\n"
        ),
    )
    .unwrap();
    let acks_arg = acks.to_str().unwrap();
    let before = stackspec_diff("microversion-gated", &["--fail-on", "breaking"]);
    assert_eq!(before.status.code(), Some(1));
    let after = stackspec_diff(
        "microversion-gated",
        &["--fail-on", "breaking", "--acknowledged", acks_arg],
    );
    assert_eq!(after.status.code(), Some(0), "{}", String::from_utf8_lossy(&after.stdout));
    assert!(String::from_utf8_lossy(&after.stdout).contains("acknowledged accepted-break"));
    let released =
        stackspec_diff("microversion-gated", &["--fail-on", "breaking", "--released-max", "2.89"]);
    assert_eq!(released.status.code(), Some(0), "key_name is at 2.90, never released");

    std::fs::write(&acks, "acknowledgements:\n  - id: x\n    class: fine\n    reason: r\n")
        .unwrap();
    let bad = stackspec_diff("microversion-gated", &["--acknowledged", acks_arg]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("acks.yaml:3:"), "{stderr}");
}

/// Runs git in `dir` with a fixed identity, so that the test needs no git configuration.
fn git(dir: &std::path::Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn base_diffs_the_spec_at_a_git_revision_against_the_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    git(dir.path(), &["init", "-q"]);
    std::fs::copy(fixture("required-property-added", "old"), &spec).unwrap();
    git(dir.path(), &["add", "spec.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    std::fs::copy(fixture("required-property-added", "new"), &spec).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_stackspec"))
            .current_dir(dir.path())
            .arg("diff")
            .args(args)
            .output()
            .unwrap()
    };
    let changed = run(&["--base", "HEAD", "spec.yaml", "--fail-on", "breaking"]);
    assert_eq!(changed.status.code(), Some(1), "{}", String::from_utf8_lossy(&changed.stderr));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("request-required-property-added"));
    git(dir.path(), &["commit", "-q", "-am", "head"]);
    let same = run(&["--base", "HEAD", "spec.yaml", "--fail-on", "warning"]);
    assert_eq!(String::from_utf8_lossy(&same.stdout), "no changes\n");

    let unknown = run(&["--base", "no-such-branch", "spec.yaml"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("spec.yaml at no-such-branch: git show failed"), "{stderr}");
    let two = run(&["--base", "HEAD", "spec.yaml", "spec.yaml"]);
    assert_eq!(two.status.code(), Some(2));
    let option = run(&["--base=--output=x", "spec.yaml"]);
    assert_eq!(option.status.code(), Some(2), "a revision is never read as a git option");
}
