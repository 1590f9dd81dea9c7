//! Microversions a block states outside the parameters file: the one an unversioned sample
//! is validated at (the first at which every documented key it has exists, wherever in the
//! body the key is), and those a section heading limits its parameter list to. Each test
//! writes a small source tree of its own.

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
gadget_parts:
  description: The gadget's parts.
  in: body
  required: true
  type: object
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

/// A service of one `.inc` file and `PARAMETERS`, transcribed with `sample` as
/// `samples/gadget-resp.json`.
fn transcribe_tree(inc: &str, sample: &str) -> Transcription {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("samples")).unwrap();
    std::fs::write(dir.path().join("gadgets.inc"), inc).unwrap();
    std::fs::write(dir.path().join("parameters.yaml"), PARAMETERS).unwrap();
    std::fs::write(dir.path().join("samples/gadget-resp.json"), sample).unwrap();
    let profile = ServiceProfile {
        service_type: "gadgets".into(),
        ..ServiceProfile::builtin("compute").unwrap()
    };
    Transcriber::new(profile).transcribe(dir.path()).unwrap()
}

/// The fixture's service, transcribed with `sample` as its one response sample.
fn transcribe(sample: &str) -> Transcription {
    transcribe_tree(INC, sample)
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

/// `name`, `size` and `parts` listed under a heading for 2.1 (the base) - 2.5; `name`, a `tags` (defined
/// without a version) and a member of `parts` under one for 2.6 and later.
const HEADED_INC: &str = "\
Show Gadget
===========

.. rest_method:: GET /gadgets

Normal response codes: 200

Response (microversions 2.1 - 2.5)
----------------------------------

.. rest_parameters:: parameters.yaml

  - name: gadget_name
  - size: gadget_size
  - parts: gadget_parts

Response (microversions 2.6 - )
-------------------------------

.. rest_parameters:: parameters.yaml

  - name: gadget_name
  - tags: gadget_name
  - parts.name: gadget_name

.. literalinclude:: samples/gadget-resp.json
";

#[test]
fn a_section_heading_range_limits_the_parameters_it_lists() {
    let t = transcribe_tree(HEADED_INC, r#"{"name": "g", "size": 3}"#);
    let schema = &t.document["paths"]["/gadgets"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    let properties = &schema["properties"];
    assert_eq!(properties["tags"]["x-openstack"]["min-ver"], "2.6", "{schema}");
    assert_eq!(properties["size"]["x-openstack"]["max-ver"], "2.5", "its own bound is kept");
    assert_eq!(properties["name"].get("x-openstack"), None, "listed under both: every version");
    assert_eq!(properties["parts"].get("x-openstack"), None, "a member is listed from 2.6 on");
}
