//! One OpenAPI document, loaded as every command loads it, then walked.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stackspec_model::Spec;

fuzz_target!(|text: &str| {
    if let Ok(spec) = Spec::parse(Path::new("spec.yaml"), text) {
        for operation in spec.operations() {
            let _ = operation.pointer();
        }
    }
});
