//! A sample of one member of a body, on a fixture tree written for these tests
//! (`fixtures/members`): a lamp's request documents its shade in a section of its own, with an
//! example of the shade alone next to the example of the whole request.

mod support;

use serde_json::json;
use stackspec_apiref::fidelity;
use stackspec_apiref::transcribe::{ServiceProfile, Transcription};

fn transcribe() -> Transcription {
    support::transcribe_fixture("members", ServiceProfile::generic("lamps"))
}

const CREATE: &str = "/paths/~1lamps/post/requestBody/content/application~1json";

#[test]
fn a_sample_of_one_member_is_that_members_example_not_a_body() {
    let t = transcribe();
    let media = t.document.pointer(CREATE).expect("a request body");
    let schema = &media["schema"];
    assert_eq!(schema["required"], json!(["lamp"]), "the member's keys stay out of the root");
    let shade = &schema["properties"]["lamp"]["properties"]["shade"];
    assert_eq!(shade["required"], json!(["colour"]), "{shade}");
    assert_eq!(shade["example"], json!({"colour": "green"}));
    assert_eq!(shade["x-stackspec"]["example"]["sample"], "samples/shade-obj.json");
    let bodies: Vec<&String> = media["examples"].as_object().unwrap().keys().collect();
    assert_eq!(bodies, ["lamp-create-req"], "only the whole request is a body example");
}

#[test]
fn a_members_sample_is_measured_against_the_members_schema() {
    let f = fidelity::measure(&transcribe());
    assert_eq!((f.samples, f.validating), (2, 2), "{:?}", f.failures);
}
