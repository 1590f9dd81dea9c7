use super::*;

/// A string parameter defined at `parameters.yaml:line`.
fn def(key: &str, description: &str, line: usize) -> ParamDef {
    ParamDef {
        key: key.into(),
        location: crate::reader::In::Body,
        required: false,
        ty: Some(ParamType::String),
        description: description.into(),
        default: None,
        format: None,
        range: VersionRange::default(),
        defined_at: crate::diagnostics::Location::new("parameters.yaml", line),
    }
}

fn values(d: &str) -> Vec<String> {
    from_description(d).unwrap_or_default().into_iter().map(|v| v.value).collect()
}

#[test]
fn inline_list_stops_at_the_sentence_end() {
    let d = "The event status. A valid value is ``failed``, ``completed``, or ``in-progress``.\nDefault is ``completed``.";
    assert_eq!(values(d), ["failed", "completed", "in-progress"]);
    let d = "A valid value for the sort direction is ``asc`` (ascending) or ``desc``. If omitted, ``desc``.";
    assert_eq!(values(d), ["asc", "desc"]);
    let d = "Sorts by one of the following attributes: ``name``,\n``size``.  Default is ``name``.";
    assert_eq!(values(d), ["name", "size"]);
}

#[test]
fn bullets_keep_their_microversions() {
    let d = "The event name. A valid value is:\n\n- ``network-changed``\n- ``volume-extended`` (since microversion ``2.51``)\n\n";
    let got = from_description(d).unwrap();
    assert_eq!(
        got[0],
        EnumValue { value: "network-changed".into(), range: VersionRange::default() }
    );
    assert_eq!(got[1].range.min, Some(Microversion::new(2, 51)));
}

#[test]
fn bullets_separated_by_blank_lines_with_continuations() {
    let d = "A valid value is:\n\n- ``AUTO``. The API builds\n  one partition.\n\n- ``MANUAL``. The API keeps\n  the scheme.\nin: body";
    assert_eq!(values(d), ["AUTO", "MANUAL"]);
}

#[test]
fn a_sentence_saying_when_a_value_was_added_limits_that_value() {
    let d = "The type. The valid values are ``novnc``, ``spice-direct`` and ``webmks``.\nThe type ``webmks`` was added in Microversion ``2.8`` and the\ntype ``spice-direct`` was added in Microversion ``2.99``.";
    let got = from_description(d).unwrap();
    let min = |i: usize| got[i].range.min;
    assert_eq!(min(0), None);
    assert_eq!(min(1), Some(Microversion::new(2, 99)));
    assert_eq!(min(2), Some(Microversion::new(2, 8)));
}

#[test]
fn a_bullet_continuation_saying_when_its_value_was_added_limits_it() {
    let d = "The policy. A valid value is:\n\n- ``affinity`` - same host.\n- ``soft-affinity`` - same host if possible. This policy was\n  added in microversion 2.15.\n\nin: body";
    let got = from_description(d).unwrap();
    assert_eq!(got[0].range.min, None);
    assert_eq!(got[1].range.min, Some(Microversion::new(2, 15)));
}

#[test]
fn examples_and_plain_prose_are_not_enums() {
    assert!(from_description("Example formats are: ``ami``, ``ari``.").is_none());
    assert!(from_description("The name of the ``server``.").is_none());
    assert!(from_description("A valid value is a UUID.").is_none());
}

#[test]
fn the_value_can_be_a_list_of_literals() {
    let d = "The status of this task. The value can be ``pending``,\n``processing``, ``success`` or ``failure``.";
    assert_eq!(values(d), ["pending", "processing", "success", "failure"]);
}

#[test]
fn plain_leads_read_either_one_of_and_value_is() {
    assert_eq!(values("Mode of maintenance, either ``on`` or\n``off``."), ["on", "off"]);
    assert_eq!(values("The state. One of ``up`` or ``down``."), ["up", "down"]);
    assert_eq!(
        values("The type. Value is ``compute``, ``ec2``, or ``image``."),
        ["compute", "ec2", "image"]
    );
    assert_eq!(
        values("The state. One of:\n\n* ``active`` - done.\n* ``error`` - failed.\n"),
        ["active", "error"]
    );
}

#[test]
fn more_explicit_leads() {
    assert_eq!(values("The type. Allowed values are ``ssh`` or ``x509``."), ["ssh", "x509"]);
    assert_eq!(
        values("State. List of possible values:\n``active``, ``in_sync``, and ``error``."),
        ["active", "in_sync", "error"]
    );
    assert_eq!(values("The states; the only values that can be\nreturned are:  ``ON``, ``OFF`` and ``UNKNOWN``"), ["ON", "OFF", "UNKNOWN"]);
    assert_eq!(
        values("Possible values are  ``ACTIVE``,\n``DOWN``, and ``ERROR``."),
        ["ACTIVE", "DOWN", "ERROR"]
    );
}

#[test]
fn a_plain_lead_needs_two_values() {
    assert!(from_description("This parameter can be ``null``.").is_none());
    assert_eq!(values("A valid value is ``driver``."), ["driver"]);
}

#[test]
fn a_plain_lead_after_a_condition_or_another_literal_is_no_enum() {
    let d = "Returned if the type is ``live-migration`` and the status is one of ``queued``, ``running`` and ``done``.";
    assert!(from_description(d).is_none());
    let d = "When it is unset, the value can be ``a`` or ``b``.";
    assert!(from_description(d).is_none());
}

#[test]
fn a_list_given_as_an_example_is_no_enum() {
    let d = "Some example bus values can be: ``ide``, ``sata`` and ``uml``.";
    assert!(from_description(d).is_none());
    let d =
        "Possible values are determined by faults, e.g., ``power failure`` or ``clean failure``.";
    assert!(from_description(d).is_none());
}

#[test]
fn literals_followed_by_other_words_are_no_enum() {
    assert!(from_description("The value is ``True`` or an empty string.").is_none());
    assert!(from_description("Specify either ``id`` or ``name`` to identify it.").is_none());
}

#[test]
fn two_different_lists_are_no_enum() {
    let d = "At first this could be ``new``, ``active`` or ``error``. Since 2.28 it\ncan be ``queued``, ``active`` or ``denying``.";
    assert!(from_description(d).is_none());
    let d = "For the ``ldap`` group, a valid value is ``url``. For the ``identity`` group, a valid value is ``driver``.";
    assert!(from_description(d).is_none());
}

#[test]
fn a_numbered_range_is_expanded() {
    let d = "PFS. A valid value is\n``Group2``, ``Group5``, ``Group14`` to ``Group17``. Default is\n``Group5``.";
    assert_eq!(values(d), ["Group2", "Group5", "Group14", "Group15", "Group16", "Group17"]);
}

#[test]
fn a_range_that_cannot_be_expanded_is_no_enum_with_a_reason() {
    for d in [
        "A valid value is ``alpha`` to ``omega``.",
        "A valid value is ``g31`` to ``g14``.",
        "A valid value is ``a1`` to ``b9``.",
        "A valid value is ``g1`` to ``g999``.",
    ] {
        assert!(matches!(read(d), Err(NotAnEnum::Range { .. })), "{d}");
        assert!(from_description(d).is_none(), "{d}");
    }
}

#[test]
fn a_literal_broken_after_a_hyphen_is_joined() {
    let d = "The protocol. A valid value is ``ESP``,\n``AH``, or ``AH- ESP``. Default is ``ESP``.";
    assert_eq!(values(d), ["ESP", "AH", "AH-ESP"]);
}

#[test]
fn a_parenthetical_starting_version_limits_its_value() {
    let d = "The protocol. A valid value is ``NFS``, ``CephFS``\n(supported starting with API v2.13), or ``MAPRFS``.";
    let got = from_description(d).unwrap();
    assert_eq!(
        got.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(),
        ["NFS", "CephFS", "MAPRFS"]
    );
    assert_eq!(got[1].range.min, Some(Microversion::new(2, 13)));
    assert_eq!(got[0].range, VersionRange::default());
}

#[test]
fn null_among_the_values_is_json_null_and_nullable() {
    let d = "Replication. Valid values are:\n\n- ``null``: none\n- ``dr``: disaster recovery\n";
    let def = def("k", d, 3);
    let mut schema = Map::new();
    add_prose_enum(&mut schema, &def);
    assert_eq!(schema["enum"], json!([null, "dr"]));
    assert_eq!(schema["nullable"], json!(true));
    let mut integer = Map::new();
    add_prose_enum(&mut integer, &ParamDef { ty: Some(ParamType::Integer), ..def });
    assert!(integer.is_empty(), "only strings carry prose enums");
}

#[test]
fn a_list_of_media_types_is_no_enum() {
    let d = "The MIME type of the list. It will be one of ``text/plain``,\n``application/json``, or ``text/xml``.";
    assert!(from_description(d).is_none());
}

#[test]
fn an_unexpandable_range_warns_with_the_definitions_place() {
    let mut file = crate::reader::ParameterFile::default();
    file.defs.insert("pfs".into(), def("pfs", "A valid value is ``alpha`` to ``omega``.", 7));
    file.defs.insert("ok".into(), def("ok", "A valid value is ``g1`` to ``g3``.", 9));
    let mut api = ApiRef::default();
    api.parameter_files.insert("parameters.yaml".into(), file);
    let warnings = warnings(&api);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].location.to_string(), "parameters.yaml:7");
    assert!(warnings[0].message.contains("``alpha`` to ``omega``"), "{}", warnings[0].message);
}

/// heat's resource-type filters: "Valid support status values are ``UNKNOWN``, ..." and "The
/// valid types are: ``cfn``, ``hot``." were no lead, so conform sent values heat refused.
#[test]
fn a_valid_noun_phrase_before_are_leads_a_list() {
    let d = "Filters by a support status. Valid support\nstatus values are ``UNKNOWN``, ``SUPPORTED``, and ``HIDDEN``.";
    assert_eq!(values(d), ["UNKNOWN", "SUPPORTED", "HIDDEN"]);
    let d = "Specify the resource template type. The valid types are: ``cfn``, ``hot``.";
    assert_eq!(values(d), ["cfn", "hot"]);
}

/// neutron's `protocol` lists names and numbers, then: "Additionally, any integer value
/// between [0-255] is also valid." A list that other values join is no enum.
#[test]
fn a_list_that_other_values_are_also_valid_beside_is_no_enum() {
    let d = "Valid string or integer values are ``any`` or ``0``, ``tcp`` or ``6``. Additionally, any\ninteger value between [0-255] is also valid.";
    assert!(values(d).is_empty(), "{:?}", values(d));
    let d = "Valid values are ``a`` and ``b``.";
    assert_eq!(values(d), ["a", "b"]);
}
