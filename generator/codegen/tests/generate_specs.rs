//! The generated code of every spec in `spec/` is snapshotted, so that a change to the
//! generator or to a spec shows up as a reviewable diff of the Rust it produces. (The same
//! code is compiled, warning- and clippy-clean, by the `generated/` crate.)

use std::path::Path;

use stackspec_codegen::Generator;
use stackspec_model::Spec;

#[test]
fn every_spec_generates_its_snapshotted_modules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 4, "expected the transcribed specs in {}", dir.display());
    for path in specs {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let spec = Spec::load(&path).unwrap();
        let generated = Generator::new().generate(&spec, stem).unwrap();
        for (module, text) in generated.modules() {
            insta::assert_snapshot!(format!("spec_{stem}_{module}"), text);
        }
    }
}
