//! Constructs OpenAPI has no direct place for, on a fixture tree written for these tests
//! (`fixtures/shapes`): verbs outside OpenAPI's methods, query strings in paths, parameter
//! types outside the usual spellings, a path parameter the path lost, flat parameters
//! listed after a wrapper, and a body whose top-level kind changes with the microversion.

mod support;

use serde_json::{json, Value};
use stackspec_apiref::diagnostics::{Diagnostic, DiagnosticKind};
use stackspec_apiref::fidelity;
use stackspec_apiref::transcribe::{ServiceProfile, Transcription};
use support::at;

fn transcribe() -> Transcription {
    support::transcribe_fixture("shapes", ServiceProfile::generic("gadgets"))
}

/// The warnings of `kind`, as `file-name:line: message`.
fn warnings(t: &Transcription, kind: DiagnosticKind) -> Vec<String> {
    let named = |d: &Diagnostic| {
        let file = d.location.file.file_name().unwrap().to_string_lossy().to_string();
        format!("{file}:{}: {}", d.location.line, d.message)
    };
    t.diagnostics.iter().filter(|d| d.kind == kind).map(named).collect()
}

const CREATE: &str = "/paths/~1gadgets/post/requestBody/content/application~1json/schema";

#[test]
fn verbs_openapi_lacks_are_kept_under_x_stackspec_methods_with_a_warning() {
    let t = transcribe();
    let copy = at(&t, "/paths/~1gadgets~1{gadget_id}/x-stackspec-methods/COPY");
    assert_eq!(copy["operationId"], "copy_gadget");
    assert!(t.document["paths"]["/gadgets/{gadget_id}"].get("copy").is_none());
    let found = warnings(&t, DiagnosticKind::NotOpenApi);
    assert!(found.iter().any(|w| w.starts_with("gadgets.inc:36: `COPY` is not an HTTP method")));
    assert!(found.iter().any(|w| w.starts_with("gadgets.inc:50: `METHOD` is not an HTTP method")));
    assert!(fidelity::measure(&t).missing_methods.is_empty(), "every rest_method is kept");
}

#[test]
fn a_query_string_in_a_path_becomes_query_parameters() {
    let t = transcribe();
    assert!(t.document["paths"].as_object().unwrap().keys().all(|p| !p.contains('?')));
    let through = at(&t, "/paths/~1gadgets~1{gadget_id}~1through/x-stackspec-methods/METHOD");
    let query: Vec<(&str, &Value, &Value)> = through["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| (p["name"].as_str().unwrap(), &p["required"], &p["schema"]))
        .collect();
    assert_eq!(
        query,
        [
            ("call", &json!(true), &json!({"type": "string"})),
            ("verbose", &json!(true), &json!({"type": "string", "enum": ["True"]})),
        ]
    );
    let documented = &through["parameters"][1]["description"];
    assert_eq!(documented, "The name of the call to pass through.", "{through}");
    let found = warnings(&t, DiagnosticKind::NotOpenApi);
    assert!(
        found.iter().any(|w| w.starts_with(
            "gadgets.inc:50: the path `/gadgets/{gadget_id}/through` has a query string"
        )),
        "{found:?}"
    );
}

/// A dictionary in the query travels as one encoded value, which OpenAPI says with
/// `content` (a `schema` object would mean one query pair per member).
#[test]
fn a_dictionary_in_the_query_is_one_json_encoded_value() {
    let t = transcribe();
    let list = at(&t, "/paths/~1gadgets/get");
    let labels = list["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "labels");
    let labels = labels.unwrap_or_else(|| panic!("no labels parameter: {list}"));
    assert_eq!(labels["in"], "query");
    assert!(labels.get("schema").is_none(), "{labels}");
    assert_eq!(labels["content"], json!({"application/json": {"schema": {"type": "object"}}}));
}

#[test]
fn wild_type_spellings_keep_their_definition_and_unknown_ones_are_untyped_with_a_warning() {
    let t = transcribe();
    let gadget = at(&t, &format!("{CREATE}/properties/gadget/properties"));
    assert_eq!(gadget["settings"]["type"], "array", "JSON: the kind the sample shows");
    assert_eq!(
        gadget["made_at"],
        json!({"type": "string", "format": "date-time", "description": "When it was made."})
    );
    assert_eq!(gadget["host"]["format"], "hostname");
    assert_eq!(gadget["mood"], json!({"description": "A type nobody knows."}));
    assert_eq!(
        warnings(&t, DiagnosticKind::InvalidParameter),
        ["parameters.yaml:46: `mood`: unknown `type: frobnicate`; transcribed without a type"]
    );
    assert!(warnings(&t, DiagnosticKind::UnresolvedParameter).is_empty());
}

#[test]
fn a_path_parameter_the_path_lacks_is_dropped_with_a_warning_at_its_listing() {
    let t = transcribe();
    assert!(at(&t, &format!("{CREATE}/properties")).get("project_id").is_none());
    assert!(at(&t, "/paths/~1gadgets/post").get("parameters").is_none());
    assert_eq!(
        warnings(&t, DiagnosticKind::PathParameterMismatch),
        ["gadgets.inc:19: path parameter `project_id` is not in the path `/gadgets`; dropped"]
    );
}

#[test]
fn a_name_listed_between_a_wrapper_and_its_members_is_placed_inside_the_wrapper() {
    let t = transcribe();
    let schema = at(&t, CREATE);
    assert_eq!(schema["required"], json!(["gadget"]));
    assert_eq!(schema["properties"].as_object().unwrap().len(), 1, "{schema}");
    assert_eq!(schema["properties"]["gadget"]["properties"]["owner"]["type"], "string");
}

#[test]
fn a_body_whose_top_level_kind_changes_with_the_microversion_is_a_ranged_one_of() {
    let t = transcribe();
    let schema = at(
        &t,
        "/paths/~1gadgets~1{gadget_id}~1tags/put/requestBody/content/application~1json/schema",
    );
    let branches: Vec<(&Value, &Value)> = schema["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (&b["type"], &b["x-openstack"]))
        .collect();
    assert_eq!(
        branches,
        [
            (&json!("array"), &json!({"min-ver": "1.1", "max-ver": "1.9"})),
            (&json!("object"), &json!({"min-ver": "1.10"})),
        ]
    );
    assert_eq!(schema["oneOf"][1]["required"], json!(["tags", "generation"]));
    let f = fidelity::measure(&t);
    assert_eq!((f.samples, f.validating), (3, 3), "{}", fidelity::exceptions(&f));
}
