//! Every generator change is a reviewable diff: the generated modules of each fixture spec
//! (one per construct) are snapshotted.

use std::path::Path;

use stackspec_codegen::Generator;
use stackspec_model::Spec;

/// Snapshots the `types` module, and the client and server too for fixtures with operations
/// (for the others they are the same empty shells).
fn snapshot(fixture: &str) {
    let spec = load(fixture);
    let generated = Generator::new().generate(&spec, fixture).unwrap();
    let all = !spec.document.paths.paths.is_empty();
    for (module, text) in generated.modules().filter(|(m, _)| all || *m == "types") {
        insta::assert_snapshot!(format!("{fixture}_{module}"), text);
    }
}

/// The fixture `tests/fixtures/generate/<fixture>.yaml`.
fn load(fixture: &str) -> Spec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generate");
    Spec::load(&dir.join(format!("{fixture}.yaml"))).unwrap()
}

#[test]
fn nullable_fields_are_options_and_only_optional_ones_are_skipped() {
    snapshot("nullable");
}

#[test]
fn string_enums_keep_unknown_values() {
    snapshot("enums");
}

#[test]
fn single_key_one_of_is_an_externally_tagged_enum_and_other_unions_are_untagged() {
    snapshot("one_of");
}

#[test]
fn all_of_merges_object_members() {
    snapshot("all_of");
}

#[test]
fn additional_properties_become_maps() {
    snapshot("additional_properties");
}

#[test]
fn recursive_references_are_boxed_only_where_held_by_value() {
    snapshot("recursion");
}

#[test]
fn odd_wire_names_become_unique_identifiers_with_renames() {
    snapshot("odd_names");
}

#[test]
fn operations_get_a_method_and_a_response_enum_per_status() {
    snapshot("operations");
}

#[test]
fn an_extra_module_renders_the_same_model_from_the_callers_template() {
    let spec = load("operations");
    let template = "{% for op in operations %}pub const {{ op.ident|upper }}: u16 = \
                    {{ op.responses[0].status }};\n{% endfor %}";
    let generated =
        Generator::new().extra_module("statuses", template).generate(&spec, "t").unwrap();
    let names: Vec<_> = generated.modules().map(|(name, _)| name).collect();
    assert_eq!(names, ["types", "client", "server", "statuses"]);
    let (_, text) = generated.modules().last().unwrap();
    assert!(text.contains("pub const CREATE_TASK: u16 = 201;"), "{text}");
}

#[test]
fn equal_inline_schemas_share_one_type_named_after_their_key() {
    snapshot("shared_types");
}

/// The names the naming rules give `shared_types.yaml`'s schemas, pinned one by one: a
/// snapshot shows them, this says which matter.
#[test]
fn types_are_named_after_what_they_are_and_declared_once_per_shape() {
    let spec = load("shared_types");
    let service = stackspec_codegen::ir::Service::build(&spec, "t").unwrap();
    let names: Vec<&str> = service.types.iter().map(|t| t.name.as_str()).collect();
    let declared = |name: &str| names.iter().filter(|n| **n == name).count();
    // The fullest `Task` (show's, a resource body) owns the plain name; the list's sparser
    // items are qualified with the body they are in, not numbered.
    assert_eq!(declared("Task"), 1, "{names:?}");
    assert_eq!(declared("ListTasksOutputTask"), 1, "{names:?}");
    // Equal shapes, doc comments aside, are one type: `Owner` in a task and in a server.
    assert_eq!(declared("Owner"), 1, "{names:?}");
    assert_eq!(declared("Server"), 1, "{names:?}");
    // A string enum is qualified by its parent; no name repeats a word or carries a status.
    assert_eq!(declared("TaskStatus"), 1, "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with("200")), "{names:?}");
    // An operation's own wrapper stays its own, so each method returns a type named after it.
    assert_eq!(declared("ShowServerOutput"), 1, "{names:?}");
    assert_eq!(declared("UpdateServerOutput"), 1, "{names:?}");
    let ok = |op: &str| {
        service.operations.iter().find(|o| o.ident == op).unwrap().outcome.ok_type.clone()
    };
    assert_eq!(ok("show_task"), "super::types::Task");
    assert_eq!(ok("list_tasks"), "super::types::ListTasksOutput");
}

#[test]
fn path_segments_mixing_text_and_parameters_and_parameter_names_with_a_slash() {
    snapshot("path_templates");
}

#[test]
fn object_query_parameters_are_one_pair_per_member() {
    snapshot("object_query");
}
