//! Code generation from OpenStack's published, code-derived specs (OpenAPI 3.1.0, read in
//! their 3.0 form): every one generates, and what it generates parses as Rust (the
//! generator parses its output with `syn`), but designate's, which declares one route twice
//! (finding F38) and is refused saying so.

use stackspec_codegen::Generator;
use stackspec_model::Spec;

#[path = "../../model/tests/support/published.rs"]
mod support;
use support::published;

/// The one refusal, and why: designate's spec has `/v2/zones/tasks/imports/{import_id}`
/// and `/v2/zones/tasks/imports/{zone_import_id}`, both with a `get` (F38).
const REFUSED: (&str, &str) = ("dns", "two paths that differ only in parameter names");

#[test]
fn every_published_spec_generates_but_the_one_declaring_a_route_twice() {
    let mut generated = Vec::new();
    for file in published() {
        let spec = Spec::load(&file).unwrap_or_else(|e| panic!("{e}"));
        let service = file.parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
        match Generator::new().generate(&spec, &service) {
            Ok(_) => generated.push(service),
            Err(e) if service == REFUSED.0 => {
                assert!(e.to_string().contains(REFUSED.1), "{}: {e}", file.display())
            }
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
    assert_eq!(generated.len(), 10, "{generated:?}");
}
