//! The 3.1 form `stackspec spec --openapi 3.1` writes (`upgrade::to_openapi31`) reads back,
//! through the 3.1 reader every command uses, as the 3.0 document it came from: for every
//! spec of `spec/`, after YAML text, nothing is lost or changed but the spellings the
//! reader normalizes (a nullable enum lists `null`, as JSON Schema validation reads it; a
//! schema of no type, which admits `null` anyway, loses its `nullable`).

use std::path::Path;

use serde_json::Value;
use stackspec_model::upgrade::to_openapi31;
use stackspec_model::Spec;

/// `null` added to the enum of each nullable schema (what 3.1 spells out and 3.0 implies),
/// and `nullable` dropped where it adds nothing.
fn null_in_nullable_enums(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
                let typed = ["type", "$ref", "allOf", "oneOf", "anyOf"]
                    .iter()
                    .any(|k| map.contains_key(*k));
                if !typed {
                    map.remove("nullable");
                }
            }
            map.values_mut().for_each(null_in_nullable_enums);
        }
        Value::Array(items) => items.iter_mut().for_each(null_in_nullable_enums),
        _ => {}
    }
}

#[test]
fn every_spec_written_as_3_1_reads_back_as_itself() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let spec = Spec::load(&path).unwrap();
        let text = stackspec_model::yaml::to_string(&to_openapi31(spec.raw.clone()));
        assert!(text.starts_with("openapi: \"3.1.0\"\n"), "{}", path.display());
        assert!(!text.contains("nullable:"), "{}: a 3.0 spelling is left", path.display());
        let back = Spec::parse(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let mut want = spec.raw.clone();
        null_in_nullable_enums(&mut want);
        let difference = stackspec_model::first_difference(&back.raw, &want);
        assert_eq!(difference, None, "{}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 14);
}
