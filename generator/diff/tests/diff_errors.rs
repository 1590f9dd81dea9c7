//! Documents the diff cannot compare give an error naming the file and JSON pointer.

use std::path::Path;

use stackspec_diff::{self as diff, DiffError};
use stackspec_model::Spec;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn spec(name: &str, paths: &str) -> Spec {
    Spec::parse(Path::new(name), &format!("{HEAD}{paths}")).unwrap()
}

fn body(schema: &str) -> String {
    format!(
        "paths:\n  /a:\n    post:\n      requestBody:\n        content: {{application/json: {{schema: {schema}}}}}\n      responses: {{'200': {{description: ok}}}}\n"
    )
}

#[test]
fn a_dangling_ref_names_file_pointer_and_reference() {
    let old = spec("old.yaml", &body("{type: object}"));
    let new = spec("new.yaml", &body("{$ref: '#/components/schemas/Missing'}"));
    let err = diff::diff(&old, &new).unwrap_err();
    assert!(matches!(err, DiffError::UnresolvedRef { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "new.yaml: at /paths/~1a/post/requestBody/content/application~1json/schema: `$ref` \
         `#/components/schemas/Missing` does not resolve (expected a local `#/...` pointer into the document)"
    );
}

#[test]
fn refs_that_only_refer_to_each_other_are_a_cycle_not_a_hang() {
    let cycle = "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n";
    let old = spec("old.yaml", &body("{type: object}"));
    let text = format!("{}{cycle}", body("{$ref: '#/components/schemas/A'}"));
    let new = spec("new.yaml", &text);
    let err = diff::diff(&old, &new).unwrap_err();
    assert!(matches!(err, DiffError::RefCycle { .. }), "{err}");
}

#[test]
fn two_paths_differing_only_in_parameter_names_are_ambiguous() {
    let paths = "paths:\n  /s/{id}:\n    get: {responses: {'200': {description: ok}}}\n  /s/{server_id}:\n    put: {responses: {'200': {description: ok}}}\n";
    let doc = spec("twice.yaml", paths);
    let err = diff::diff(&doc, &doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        "twice.yaml: paths `/s/{id}` and `/s/{server_id}` differ only in path parameter names"
    );
}
