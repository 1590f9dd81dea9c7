//! What the transcriber makes of the os-api-ref shapes that matter most, on a fixture tree
//! written for these tests (`fixtures/apiref/widgets`): nesting flat parameters into the
//! samples' arrays, 200/207 multi-status, prose enums with per-value microversions, action
//! blocks on one route becoming a `oneOf`, and conditional response fields.

mod support;

use serde_json::{json, Value};
use stackspec_apiref::fidelity;
use stackspec_apiref::transcribe::{ServiceProfile, Transcription};
use support::at;

fn transcribe() -> Transcription {
    let profile = ServiceProfile {
        service_type: "widgets".into(),
        ..ServiceProfile::builtin("compute").unwrap()
    };
    support::transcribe_fixture("widgets", profile)
}

const POKE: &str = "/paths/~1widgets~1poke/post";

#[test]
fn flat_parameters_nest_inside_the_array_the_samples_show() {
    let t = transcribe();
    let items =
        at(&t, &format!("{POKE}/requestBody/content/application~1json/schema/properties/items"));
    assert_eq!(items["type"], "array");
    assert_eq!(items["items"]["required"], json!(["name", "target"]));
    assert_eq!(items["items"]["properties"]["target"]["format"], "uuid");
}

#[test]
fn multi_status_documents_both_codes_with_per_item_code() {
    let t = transcribe();
    let responses = at(&t, &format!("{POKE}/responses"));
    assert!(responses["200"]["description"].as_str().unwrap().contains("Every item was accepted"));
    assert!(responses["207"]["description"].as_str().unwrap().contains("At least one item"));
    let item =
        &responses["207"]["content"]["application/json"]["schema"]["properties"]["items"]["items"];
    assert_eq!(item["properties"]["code"]["type"], "integer");
    assert_eq!(
        responses["404"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NovaFault"
    );
}

#[test]
fn prose_enums_keep_per_value_microversions_and_admin_only_fields_are_optional() {
    let t = transcribe();
    let item = at(
        &t,
        &format!("{POKE}/responses/200/content/application~1json/schema/properties/items/items"),
    );
    assert_eq!(item["properties"]["name"]["enum"], json!(["nudge", "shove"]));
    assert_eq!(
        item["properties"]["name"]["x-openstack"]["enum-versions"]["shove"]["min-ver"],
        "2.5"
    );
    let required: Vec<&str> =
        item["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(!required.contains(&"updated") && required.contains(&"code"), "{required:?}");
}

#[test]
fn action_blocks_on_one_route_become_a_one_of_named_by_action_key() {
    let t = transcribe();
    let op = at(&t, "/paths/~1widgets~1{widget_id}~1action/post");
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    let titles: Vec<&str> =
        schema["oneOf"].as_array().unwrap().iter().map(|b| b["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["spin", "stop"]);
    assert_eq!(schema["oneOf"][1]["x-openstack"]["min-ver"], "2.3");
    assert_eq!(schema["oneOf"][1]["properties"]["stop"]["enum"], json!([null]));
    assert_eq!(
        schema["oneOf"][0]["properties"]["spin"]["properties"]["speed"]["x-openstack"]["min-ver"],
        "2.10"
    );
    assert_eq!(op["operationId"], "post_widgets_action");
    assert!(
        t.document["paths"].get("/widgets/{id}/action").is_none(),
        "path parameter names unified"
    );
}

#[test]
fn default_policy_sentences_become_x_openstack_policy_per_block_or_from_the_file_warning() {
    let t = transcribe();
    let poke = at(&t, "/paths/~1widgets~1poke/post");
    assert_eq!(poke["x-openstack"]["policy"], "admin", "from the file's warning");
    let action = at(&t, "/paths/~1widgets~1{widget_id}~1action/post");
    let branches = &action["requestBody"]["content"]["application/json"]["schema"]["oneOf"];
    assert_eq!(branches[0]["x-openstack"]["policy"], "admin-or-owner", "the block's own sentence");
    assert_eq!(branches[1]["x-openstack"]["policy"], "admin");
    assert!(action["x-openstack"].get("policy").is_none(), "the blocks disagree: {action}");
}

#[test]
fn a_401_has_keystonemiddlewares_body_and_other_errors_the_services_fault() {
    let t = transcribe();
    let list = at(&t, "/paths/~1widgets/get");
    let schema = |code: &str| {
        list["responses"][code]["content"]["application/json"]["schema"]["$ref"].clone()
    };
    assert_eq!(schema("401"), "#/components/schemas/KeystoneUnauthorized");
    assert_eq!(schema("403"), "#/components/schemas/NovaFault");
    let body = json!({"error": {"code": 401, "title": "Unauthorized", "message": "no token"}});
    let unauthorized = at(&t, "/components/schemas/KeystoneUnauthorized");
    assert_eq!(unauthorized["required"], json!(["error"]));
    assert!(body["error"]
        .as_object()
        .unwrap()
        .keys()
        .all(|k| unauthorized["properties"]["error"]["properties"].get(k).is_some()));
}

#[test]
fn paths_get_a_leading_slash_and_bullet_error_codes_are_read() {
    let t = transcribe();
    let list = at(&t, "/paths/~1widgets/get");
    assert!(list["responses"]["401"].is_object() && list["responses"]["403"].is_object());
    let header_refs: Vec<&str> =
        list["parameters"].as_array().unwrap().iter().filter_map(|p| p["$ref"].as_str()).collect();
    assert_eq!(
        header_refs,
        [
            "#/components/parameters/OpenStack-API-Version",
            "#/components/parameters/X-OpenStack-Nova-API-Version"
        ]
    );
}

#[test]
fn each_status_keeps_the_microversions_its_note_gives_from_the_service_base_on() {
    let t = transcribe();
    let responses = at(&t, "/paths/~1widgets/get/responses");
    assert_eq!(responses["200"]["x-openstack"], json!({"max-ver": "2.41"}), "2.1 is the base");
    assert_eq!(responses["206"]["x-openstack"], json!({"min-ver": "2.42"}));
    assert_eq!(responses["401"].get("x-openstack"), None);
}

#[test]
fn every_fixture_sample_validates_at_its_microversion() {
    let f = fidelity::measure(&transcribe());
    assert_eq!((f.samples, f.validating), (4, 4), "{}", fidelity::exceptions(&f));
}

#[test]
fn the_fixture_document_is_pinned() {
    insta::assert_snapshot!(transcribe().to_yaml());
}
