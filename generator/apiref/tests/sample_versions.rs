//! The microversion an unversioned sample is validated at: the first one at which every
//! documented key it has exists, wherever in the body the key is. Each test writes a small
//! source tree of its own.

use serde_json::Value;
use stackspec_apiref::fidelity;
use stackspec_apiref::transcribe::{ServiceProfile, Transcriber, Transcription};

const PARAMETERS: &str = "\
gadget_id_integer:
  description: The gadget, by number.
  in: body
  required: true
  type: integer
  max_version: 2.52
gadget_id_uuid:
  description: The gadget, by UUID.
  in: body
  required: true
  type: string
  min_version: 2.53
gadget_name:
  description: The gadget's name.
  in: body
  required: true
  type: string
gadget_size:
  description: The gadget's size, moved elsewhere at 2.6.
  in: body
  required: true
  type: integer
  max_version: 2.5
gadget_colour:
  description: The gadget's colour.
  in: body
  required: true
  type: string
  min_version: 2.10
";

const INC: &str = "\
Show Gadget
===========

.. rest_method:: GET /gadgets

Normal response codes: 200

Response
--------

.. rest_parameters:: parameters.yaml

  - id: gadget_id_integer
  - id: gadget_id_uuid
  - name: gadget_name
  - size: gadget_size
  - colour: gadget_colour

.. literalinclude:: samples/gadget-resp.json
";

/// The fixture's service, transcribed with `sample` as its one response sample.
fn transcribe(sample: &str) -> Transcription {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("samples")).unwrap();
    std::fs::write(dir.path().join("gadgets.inc"), INC).unwrap();
    std::fs::write(dir.path().join("parameters.yaml"), PARAMETERS).unwrap();
    std::fs::write(dir.path().join("samples/gadget-resp.json"), sample).unwrap();
    let profile = ServiceProfile {
        service_type: "gadgets".into(),
        ..ServiceProfile::builtin("compute").unwrap()
    };
    Transcriber::new(profile).transcribe(dir.path()).unwrap()
}

/// The microversion the sample was validated at.
fn validated_at(t: &Transcription) -> &Value {
    let examples = &t.document["paths"]["/gadgets"]["get"]["responses"]["200"]["content"]
        ["application/json"]["examples"];
    let example = examples.as_object().and_then(|e| e.values().next()).expect("one example");
    &example["x-stackspec"]["microversion"]
}

#[test]
fn a_key_added_later_inside_a_wrapper_dates_the_sample() {
    let t = transcribe(r#"{"gadget": {"id": 1, "name": "g", "colour": "red"}}"#);
    assert_eq!(validated_at(&t), "2.10");
    let f = fidelity::measure(&t);
    assert_eq!((f.samples, f.validating), (1, 1), "{}", fidelity::exceptions(&f));
}

#[test]
fn a_name_listed_at_two_versions_dates_the_sample_by_the_earlier() {
    let t = transcribe(r#"{"gadget": {"id": 1, "name": "g", "size": 3}}"#);
    assert_eq!(validated_at(&t), "2.1", "`id` exists from the base version on");
    let f = fidelity::measure(&t);
    assert_eq!((f.samples, f.validating), (1, 1), "{}", fidelity::exceptions(&f));
}
