//! One parameters file (YAML with anchors and merge keys).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stackspec_apiref::reader::ParameterFile;

fuzz_target!(|text: &str| {
    let mut diagnostics = Vec::new();
    let _ = ParameterFile::parse(Path::new("parameters.yaml"), text, &mut diagnostics);
});
