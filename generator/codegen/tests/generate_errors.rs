//! Constructs the generator cannot translate faithfully are errors that name their JSON
//! pointer, never a panic and never code that silently means something else.

use std::path::Path;

use stackspec_codegen::Generator;
use stackspec_model::Spec;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn error_of(body: &str) -> String {
    let spec = Spec::parse(Path::new("t.yaml"), &format!("{HEAD}{body}")).unwrap();
    match Generator::new().generate(&spec, "t") {
        Ok(_) => panic!("generated code for:\n{body}"),
        Err(e) => e.to_string(),
    }
}

fn schemas(yaml: &str) -> String {
    error_of(&format!("paths: {{}}\ncomponents:\n  schemas:\n{yaml}"))
}

#[test]
fn not_is_refused_at_its_schema() {
    let err = schemas("    A: {type: object, properties: {x: {not: {type: string}}}}\n");
    assert_eq!(err, "/components/schemas/A/properties/x: unsupported: `not` has no Rust type");
}

#[test]
fn references_outside_components_and_dangling_ones_are_refused() {
    let err = schemas("    A: {$ref: 'other.yaml#/B'}\n");
    assert!(err.starts_with("/components/schemas/A/$ref: unsupported: `other.yaml#/B`"), "{err}");
    let err = schemas("    A: {type: array, items: {$ref: '#/components/schemas/Missing'}}\n");
    assert_eq!(err, "/components/schemas/A/items/$ref: `$ref` to `#/components/schemas/Missing` does not resolve");
}

#[test]
fn all_of_a_union_is_refused() {
    let err = schemas("    A: {allOf: [{oneOf: [{type: string}]}, {type: object, properties: {x: {type: string}}}]}\n");
    assert!(err.starts_with("/components/schemas/A/allOf/0: unsupported"), "{err}");
}

#[test]
fn bad_status_codes_cookie_parameters_and_adjacent_path_parameters_are_refused() {
    let op = |path: &str, extra: &str, code: &str| {
        error_of(&format!(
            "paths:\n  '{path}':\n    get:\n{extra}      responses:\n        '{code}': {{description: d}}\n"
        ))
    };
    // `default` and `2XX` are generated as undocumented statuses (fixture `undocumented`).
    let err = op("/a", "", "2O0");
    assert!(err.starts_with("/paths/~1a/get/responses/2O0:"), "{err}");
    assert!(err.contains("a status code, `default` or `NXX`"), "{err}");
    let cookie = "      parameters:\n        - {name: c, in: cookie, schema: {type: string}}\n";
    let err = op("/a", cookie, "200");
    assert!(err.starts_with("/paths/~1a/get/parameters/0/in: unsupported"), "{err}");
    let path = "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n";
    let two = "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: v, in: path, required: true, schema: {type: string}}\n";
    let err = op("/a/{id}{v}", two, "200");
    assert!(err.starts_with("/paths/~1a~1{id}{v}/get: unsupported: path parameters `id` and `v` with no text between them"), "{err}");
    let err = op("/a/{id", path, "200");
    assert!(err.contains("expected a `}` closing the path template expression at `{id`"), "{err}");
    let err = op("/a/{other}", path, "200");
    assert!(err.contains("a path parameter named `other`"), "{err}");
}

#[test]
fn an_extra_module_that_renders_no_rust_is_an_error_naming_its_template() {
    let spec = Spec::parse(Path::new("t.yaml"), &format!("{HEAD}paths: {{}}\n")).unwrap();
    let error = Generator::new().extra_module("mock", "fn {").generate(&spec, "t").unwrap_err();
    assert!(
        error.to_string().starts_with("template `mock.rs.j2` rendered code that does not parse"),
        "{error}"
    );
}

#[test]
fn object_parameters_outside_the_exploded_form_query_are_refused() {
    let op = |params: &str| {
        error_of(&format!(
            "paths:\n  /a/{{id}}:\n    get:\n      parameters:\n{params}      responses:\n        '200': {{description: d}}\n"
        ))
    };
    let id = "        - {name: id, in: path, required: true, schema: {type: string}}\n";
    let object = |extra: &str| {
        format!("        - {{name: m, in: query, schema: {{type: object}}{extra}}}\n")
    };
    let err = op(&format!("{id}{}", object(", style: deepObject")));
    assert!(err.starts_with("/paths/~1a~1{id}/get/parameters/1: unsupported: object-valued parameters other than in the query"), "{err}");
    assert!(err.contains("(found `in: query`, `style: deepObject`, `explode: false`)"), "{err}");
    let err = op(&format!("{id}{}", object(", explode: false")));
    assert!(err.contains("`style: form`, `explode: false`"), "{err}");
    let header = "        - {name: h, in: header, schema: {type: object}}\n";
    let err = op(&format!("{id}{header}"));
    assert!(err.contains("(found `in: header`, `style: simple`, `explode: false`)"), "{err}");
    let second = "        - {name: n, in: query, schema: {type: object, additionalProperties: {type: string}}}\n";
    let err = op(&format!("{id}{}{second}", object("")));
    assert_eq!(err, "/paths/~1a~1{id}/get: unsupported: two object-valued query parameters: whose members a query pair is cannot be told");
}
