//! One `.inc` file: the RST reader must return a file or an error, never panic or hang.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stackspec_apiref::reader::rst::parse_inc;

fuzz_target!(|text: &str| {
    let mut diagnostics = Vec::new();
    let _ = parse_inc(Path::new("/src/x.inc"), Path::new("/src"), text, &mut diagnostics);
});
