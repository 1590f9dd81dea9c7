//! What the tests on fixture trees (`tests/fixtures/NAME`, written for them) share.

// Each test binary uses part of this.
#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber, Transcription};

/// The fixture tree `tests/fixtures/NAME` transcribed with `profile`, labelled
/// `fixtures/NAME` so that the output does not depend on where the checkout is.
pub fn transcribe_fixture(name: &str, profile: ServiceProfile) -> Transcription {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    Transcriber::new(profile).label(format!("fixtures/{name}")).transcribe(&source).unwrap()
}

/// The node of `t`'s document at `pointer`, which must be there.
pub fn at<'a>(t: &'a Transcription, pointer: &str) -> &'a Value {
    t.document.pointer(pointer).unwrap_or_else(|| panic!("no {pointer}"))
}

/// A new temporary directory holding `files` (path, text), parent directories made.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}
