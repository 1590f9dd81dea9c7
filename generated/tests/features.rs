//! build.rs generates a spec of `spec/` only when the cargo feature named after it is on: a
//! spec without one would silently never be generated, and one missing from `all-services`
//! would never be compiled by CI. The generator takes every spec (issue 14), so
//! `all-services` has every one.

use std::path::Path;
use std::process::Command;

/// The features of this package as `cargo metadata` reads them from `Cargo.toml`.
fn features() -> serde_json::Map<String, serde_json::Value> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1", "--manifest-path"])
        .arg(&manifest)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == env!("CARGO_PKG_NAME"))
        .expect("this package is in the metadata");
    package["features"].as_object().unwrap().clone()
}

#[test]
fn every_spec_has_a_feature_of_its_own_and_all_services_has_every_one() {
    let features = features();
    let all: Vec<&str> =
        features["all-services"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut stems = Vec::new();
    for entry in std::fs::read_dir(&specs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "yaml") {
            stems.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(stems.len() >= 14, "expected the specs in {}", specs.display());
    for stem in stems {
        assert!(features.contains_key(&stem), "spec/{stem}.yaml has no cargo feature `{stem}`");
        assert!(all.contains(&stem.as_str()), "feature `{stem}` is not in `all-services`");
    }
}
