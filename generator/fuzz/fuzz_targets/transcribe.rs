//! The transcriber end to end, on a source directory built from the input: the parts
//! between NUL bytes become `w.inc`, `parameters.yaml`, `status.yaml` and
//! `samples/x.json`, in that order (see `seed.sh`).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber};

const FILES: [&str; 4] = ["w.inc", "parameters.yaml", "status.yaml", "samples/x.json"];

/// One directory per process, rewritten for every input.
fn source() -> &'static PathBuf {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let source = dir.path().join("project/api-ref/source");
        std::fs::create_dir_all(source.join("samples")).expect("the source directory");
        (dir, source)
    })
    .1
}

fuzz_target!(|data: &[u8]| {
    let source = source();
    let mut parts = data.split(|b| *b == 0);
    for name in FILES {
        let part = parts.next().unwrap_or_default();
        std::fs::write(source.join(name), part).expect("a writable temporary directory");
    }
    let _ = Transcriber::new(ServiceProfile::generic("fuzz")).transcribe(source);
});
