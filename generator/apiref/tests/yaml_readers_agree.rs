//! The specs read the same under YAML 1.1 (PyYAML: Schemathesis, openapi-spec-validator and
//! most Python tooling) and YAML 1.2: no time stamp becomes a datetime, no `11:11:11` a
//! base-60 integer, no `yes` a boolean. Each document is read back by PyYAML and compared
//! with what stackspec wrote. Skipped, saying so, where `python3` has no `yaml` module.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

/// What PyYAML's `safe_load` reads from `yaml`, as JSON (anything JSON cannot hold, such as
/// a datetime, as its Python `repr`, which differs from every string stackspec writes);
/// `None` when PyYAML is not installed.
fn read_by_pyyaml(yaml: &str) -> Option<Value> {
    let script = "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(sys.stdin), default=lambda v: 'python:' + repr(v)))";
    let probe = Command::new("python3").args(["-c", "import yaml"]).output().ok()?;
    if !probe.status.success() {
        eprintln!("skipped: python3 has no yaml module (pip install pyyaml)");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child.stdin.take().expect("stdin").write_all(yaml.as_bytes()).expect("written");
    let out = child.wait_with_output().expect("python3 finishes");
    assert!(
        out.status.success(),
        "PyYAML cannot read it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("json from python"))
}

#[test]
fn values_yaml_1_1_would_misread_are_written_so_pyyaml_reads_them_back() {
    let document = json!({
        "created_at": "2017-05-10T18:14:44", "date": "2024-02-30", "hour_24": "2017-05-10T24:00:00Z",
        "mac": "11:11:11:11:11:11", "time": "12:30", "words": ["yes", "No", "on", "OFF", "y", "~", "null"],
        "numbers": ["0x1F", "017", "1_000", "1e3", ".5", "+1"], "real": [1, 2.5, true, null],
    });
    let yaml = stackspec_model::yaml::to_string(&document);
    let Some(read) = read_by_pyyaml(&yaml) else { return };
    assert_eq!(stackspec_model::first_difference(&document, &read), None, "{yaml}");
}

#[test]
fn the_checked_in_specs_read_the_same_under_yaml_1_1() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut files: Vec<_> =
        std::fs::read_dir(&spec).expect("spec/").flatten().map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    assert!(!files.is_empty(), "no spec in {}", spec.display());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let written: Value = stackspec_model::yaml::from_str(&text).expect("stackspec reads it");
        let Some(read) = read_by_pyyaml(&text) else { return };
        assert_eq!(stackspec_model::first_difference(&written, &read), None, "{}", file.display());
    }
}
