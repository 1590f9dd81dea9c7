//! One sample file's bytes: decoded as text (bytes that are not UTF-8 become warnings),
//! parsed as JSON or classified as another format, and the microversion its path and caption
//! name.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stackspec_apiref::diagnostics::Location;
use stackspec_apiref::reader::{samples, text, SampleRef};

fuzz_target!(|bytes: &[u8]| {
    let mut diagnostics = Vec::new();
    let path = Path::new("samples/v2.1/x");
    let text = text::decode(path, bytes.to_vec(), &mut diagnostics);
    let sample = SampleRef {
        section: None,
        path: path.to_path_buf(),
        caption: String::new(),
        language: None,
        location: Location::new("x.inc", 1),
    };
    let _ = samples::parse(&sample, &text);
    // The first line doubles as a path and a caption.
    let first = text.lines().next().unwrap_or("");
    let _ = samples::documented_version(Path::new(first), first);
});
