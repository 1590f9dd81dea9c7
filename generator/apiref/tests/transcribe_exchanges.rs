//! Blocks that merge into one operation, and blocks that document more than one exchange, on
//! a fixture tree written for these tests (`fixtures/exchanges`, a service whose base
//! microversion is 1.0): actions whose key says when they were added, and a two-step launch
//! answered 401 then 201.

mod support;

use serde_json::{json, Value};
use stackspec_apiref::fidelity;
use stackspec_apiref::transcribe::profile::Microversions;
use stackspec_apiref::transcribe::{ServiceProfile, Transcription};
use support::at;

fn transcribe() -> Transcription {
    let microversions = Microversions {
        headers: vec![("OpenStack-API-Version".into(), "kites 1.0".into())],
        base: "1.0".parse().unwrap(),
        service: None,
    };
    let profile =
        ServiceProfile { microversions: Some(microversions), ..ServiceProfile::generic("kites") };
    support::transcribe_fixture("exchanges", profile)
}

/// The example names of a media type object.
fn examples(media: &Value) -> Vec<&str> {
    media["examples"].as_object().unwrap().keys().map(String::as_str).collect()
}

const ACTION: &str = "/paths/~1kites~1{kite_id}~1action/post/requestBody/content/application~1json";
const LAUNCH: &str = "/paths/~1launches/post/responses";

#[test]
fn an_action_branch_exists_only_where_its_key_does() {
    let t = transcribe();
    let branches = at(&t, &format!("{ACTION}/schema/oneOf")).as_array().unwrap();
    let dye = branches.iter().find(|b| b["title"] == "dye").expect("a dye branch");
    assert_eq!(dye["x-openstack"]["min-ver"], "1.5");
    let fold = branches.iter().find(|b| b["title"] == "fold").expect("a fold branch");
    assert!(fold["x-openstack"].get("min-ver").is_none(), "{fold}");
}

#[test]
fn an_unversioned_sample_documents_the_first_version_its_keys_exist_at() {
    let t = transcribe();
    let spin = at(&t, &format!("{ACTION}/examples/spin-req/x-stackspec/microversion"));
    assert_eq!(spin, "1.7");
    let launch = "/paths/~1launches/post/requestBody/content/application~1json/examples";
    let wind = at(&t, &format!("{launch}/launch-wind-req/x-stackspec/microversion"));
    assert_eq!(wind, "1.0", "a sample whose keys have no minimum documents the base");
}

#[test]
fn each_action_sample_validates_against_its_own_branch_at_its_version() {
    // Before, the dye and spin branches seen at 1.2 had lost their only (required) key and
    // accepted the fold sample too, so it matched three `oneOf` branches; the spin sample,
    // read at the base version, matched none.
    let f = fidelity::measure(&transcribe());
    assert!(f.failures.is_empty(), "{}", fidelity::exceptions(&f));
    assert_eq!(f.validating, f.samples);
}

#[test]
fn each_exchange_of_a_block_answers_with_its_own_body_and_samples() {
    let t = transcribe();
    let permit = at(&t, &format!("{LAUNCH}/401/content/application~1json"));
    let launch = at(&t, &format!("{LAUNCH}/201/content/application~1json"));
    assert_eq!(examples(permit), ["permit-resp"]);
    assert_eq!(examples(launch), ["launch-resp"]);
    assert_eq!(permit["schema"]["required"], json!(["permit"]));
    assert_eq!(launch["schema"]["required"], json!(["launch"]));
    assert!(launch["schema"]["properties"].get("permit").is_none(), "{}", launch["schema"]);
}

/// glance's image data: a `Content-Type` header naming a media type that is not JSON, and
/// no body member or sample. The body was left out, so conform sent none and got 415.
#[test]
fn a_request_whose_content_type_names_bytes_takes_a_body_of_bytes() {
    let t = transcribe();
    let body = at(&t, "/paths/~1kites~1{kite_id}~1pattern/put/requestBody");
    assert_eq!(body["required"], true);
    let schema = &body["content"]["application/octet-stream"]["schema"];
    assert_eq!(schema, &json!({"type": "string", "format": "binary"}));
    assert_eq!(body["content"].as_object().unwrap().len(), 1, "{body}");
    let json_bodies = at(&t, "/paths/~1launches/post/requestBody/content");
    assert!(json_bodies.get("application/json").is_some(), "JSON bodies stay JSON");
}
