//! One sample file, and the microversion its path and caption name.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stackspec_apiref::reader::samples;
use stackspec_apiref::diagnostics::Location;

fuzz_target!(|text: &str| {
    let path = Path::new("samples/v2.1/x.json");
    let _ = samples::parse(path, text, &Location::new("x.inc", 1));
    // The first line doubles as a path and a caption.
    let first = text.lines().next().unwrap_or("");
    let _ = samples::documented_version(Path::new(first), first);
});
