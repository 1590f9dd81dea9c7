//! The case of prose enums, as the samples show it. Prose often spells values differently
//! from the wire (manila's "``NFS``" where every sample says `nfs`), and the samples are what
//! a service really sent or accepted. The rule, for each enum a sample reaches:
//!
//! - a prose value that samples spell only in another case is replaced by their spelling(s);
//!   one the samples spell both ways keeps both;
//! - when every replaced value was the prose value lowercased (or every one uppercased), the
//!   prose was written in another case than the wire, so the other values of that enum are
//!   lowercased (uppercased) too: neutron's `Group14` becomes `group14` when a sample says
//!   `group5` for "``Group5``";
//! - values no sample spells otherwise stay as the prose says;
//! - the same documented list of values is one enum wherever it appears (a query parameter
//!   no sample reaches, a request body and the response that echoes it), so what samples show
//!   for any of its places applies to all of them.
//!
//! A sample value that matches no prose value in any case is left alone: the fidelity check
//! reports it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use stackspec_model::view::EXTENSION;

/// Applies the samples' case to every enum of `document` that a request or response example
/// reaches.
pub fn follow_samples(document: &mut Value) {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    collect_media(document, String::new(), &mut seen);
    let mut by_enum: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (pointer, spellings) in seen {
        if let Some(values) = document.pointer(&format!("{pointer}/enum")) {
            by_enum.entry(values.to_string()).or_default().extend(spellings);
        }
    }
    respell_all(document, &by_enum);
}

/// Respells every enum of `node` whose prose values samples spelled (`by_enum`: the strings
/// samples put in each list of values, by the list as JSON).
fn respell_all(node: &mut Value, by_enum: &BTreeMap<String, Vec<String>>) {
    match node {
        Value::Object(map) => {
            let spellings = map.get("enum").and_then(|e| by_enum.get(&e.to_string()));
            if let Some(spellings) = spellings.cloned() {
                recase(map, &spellings);
            }
            for (key, child) in map.iter_mut() {
                if key != "examples" && key != "example" {
                    respell_all(child, by_enum);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| respell_all(item, by_enum)),
        _ => {}
    }
}

/// Finds every media type object (a `schema` with `examples`) under `node`.
fn collect_media(node: &Value, pointer: String, seen: &mut BTreeMap<String, Vec<String>>) {
    match node {
        Value::Object(map) => {
            if let (Some(schema), Some(Value::Object(examples))) =
                (map.get("schema"), map.get("examples"))
            {
                for example in examples.values().filter_map(|e| e.get("value")) {
                    collect(schema, example, format!("{pointer}/schema"), seen);
                }
            }
            for (key, child) in map {
                if key != "examples" && key != "schema" {
                    collect_media(child, format!("{pointer}/{}", escape(key)), seen);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_media(child, format!("{pointer}/{i}"), seen);
            }
        }
        _ => {}
    }
}

/// Records, for each enum schema that `value` reaches, the strings the sample puts there.
fn collect(
    schema: &Value,
    value: &Value,
    pointer: String,
    seen: &mut BTreeMap<String, Vec<String>>,
) {
    let Value::Object(schema) = schema else { return };
    for branch in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(branches)) = schema.get(branch) {
            for (i, b) in branches.iter().enumerate() {
                collect(b, value, format!("{pointer}/{branch}/{i}"), seen);
            }
        }
    }
    match value {
        Value::String(s) if schema.contains_key("enum") => {
            seen.entry(pointer).or_default().push(s.clone());
        }
        Value::Object(members) => {
            for (key, member) in members {
                let (sub, at) = match schema.get("properties").and_then(|p| p.get(key)) {
                    Some(sub) => (sub, format!("{pointer}/properties/{}", escape(key))),
                    None => match schema.get("additionalProperties") {
                        Some(sub) => (sub, format!("{pointer}/additionalProperties")),
                        None => continue,
                    },
                };
                collect(sub, member, at, seen);
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for item in items {
                    collect(sub, item, format!("{pointer}/items"), seen);
                }
            }
        }
        _ => {}
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Respells `schema`'s enum after `spellings`, the strings samples put there.
fn recase(schema: &mut Map<String, Value>, spellings: &[String]) {
    let Some(Value::Array(values)) = schema.get("enum") else { return };
    let mut renamed: Vec<(String, Vec<String>)> = Vec::new();
    for prose in values.iter().filter_map(Value::as_str) {
        let lower = prose.to_lowercase();
        let mut other: Vec<String> = spellings
            .iter()
            .filter(|s| s.as_str() != prose && s.to_lowercase() == lower)
            .cloned()
            .collect();
        other.sort();
        other.dedup();
        if !other.is_empty() {
            if spellings.iter().any(|s| s == prose) {
                other.insert(0, prose.to_string());
            }
            renamed.push((prose.to_string(), other));
        }
    }
    if renamed.is_empty() {
        return;
    }
    let all_are = |f: fn(&str) -> String| {
        renamed.iter().all(|(prose, to)| to.len() == 1 && to[0] == f(prose))
    };
    let convention: Option<fn(&str) -> String> = if all_are(str::to_lowercase) {
        Some(str::to_lowercase)
    } else if all_are(str::to_uppercase) {
        Some(str::to_uppercase)
    } else {
        None
    };
    let respell = |prose: &str| -> Vec<String> {
        match (renamed.iter().find(|(p, _)| p == prose), convention) {
            (Some((_, to)), _) => to.clone(),
            (None, Some(f)) => vec![f(prose)],
            (None, None) => vec![prose.to_string()],
        }
    };
    let mut respelled: Vec<Value> = Vec::new();
    for value in values {
        let spelled = match value.as_str() {
            Some(prose) => respell(prose).into_iter().map(Value::String).collect(),
            None => vec![value.clone()],
        };
        for v in spelled {
            if !respelled.contains(&v) {
                respelled.push(v);
            }
        }
    }
    respell_versions(schema, &respell);
    schema.insert("enum".into(), Value::Array(respelled));
}

/// Renames the keys of `x-openstack.enum-versions` the way their values were respelled.
fn respell_versions(schema: &mut Map<String, Value>, respell: &dyn Fn(&str) -> Vec<String>) {
    let Some(Value::Object(versions)) =
        schema.get_mut(EXTENSION).and_then(|e| e.get_mut("enum-versions"))
    else {
        return;
    };
    let old = std::mem::take(versions);
    for (prose, range) in old {
        for spelled in respell(&prose) {
            versions.insert(spelled, range.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A document with one response whose schema has `enum` at `status`, and `samples`.
    fn document(values: Value, samples: &[&str]) -> Value {
        let examples: Map<String, Value> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("e{i}"), json!({"value": {"items": [{"status": s}]}})))
            .collect();
        json!({"paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"type": "object", "properties": {"items": {"type": "array", "items": {
                "type": "object", "properties": {"status": {"type": "string", "enum": values}}}}}},
            "examples": examples,
        }}}}}}}})
    }

    fn enum_of(document: &Value) -> &Value {
        document
            .pointer("/paths/~1x/get/responses/200/content/application~1json/schema/properties/items/items/properties/status/enum")
            .unwrap()
    }

    #[test]
    fn a_sample_in_lowercase_lowercases_the_whole_enum() {
        let mut d = document(json!(["Group2", "Group5", "Group14"]), &["group5"]);
        follow_samples(&mut d);
        assert_eq!(enum_of(&d), &json!(["group2", "group5", "group14"]));
    }

    #[test]
    fn a_sample_in_uppercase_uppercases_the_whole_enum() {
        let mut d = document(json!(["Active", "Error"]), &["ACTIVE"]);
        follow_samples(&mut d);
        assert_eq!(enum_of(&d), &json!(["ACTIVE", "ERROR"]));
    }

    #[test]
    fn a_mixed_case_sample_respells_only_its_value() {
        let mut d = document(json!(["NFS", "CEPHFS"]), &["CephFS"]);
        follow_samples(&mut d);
        assert_eq!(enum_of(&d), &json!(["NFS", "CephFS"]));
    }

    #[test]
    fn samples_spelling_a_value_both_ways_keep_both() {
        let mut d = document(json!(["NFS", "CIFS"]), &["nfs", "NFS"]);
        follow_samples(&mut d);
        assert_eq!(enum_of(&d), &json!(["NFS", "nfs", "CIFS"]));
    }

    #[test]
    fn enums_no_sample_respells_stay_as_the_prose_says() {
        for samples in [&["NFS"][..], &["unknown"], &[]] {
            let mut d = document(json!(["NFS", "CIFS"]), samples);
            follow_samples(&mut d);
            assert_eq!(enum_of(&d), &json!(["NFS", "CIFS"]), "{samples:?}");
        }
    }

    #[test]
    fn the_same_list_elsewhere_is_respelled_alike() {
        let mut d = document(json!(["NFS", "CIFS"]), &["nfs"]);
        d["components"] = json!({"parameters": {"proto": {"in": "query", "schema": {"enum": ["NFS", "CIFS"]}}, "other": {"in": "query", "schema": {"enum": ["NFS"]}}}});
        follow_samples(&mut d);
        assert_eq!(
            d.pointer("/components/parameters/proto/schema/enum").unwrap(),
            &json!(["nfs", "cifs"])
        );
        assert_eq!(d.pointer("/components/parameters/other/schema/enum").unwrap(), &json!(["NFS"]));
    }

    #[test]
    fn per_value_versions_follow_the_respelling() {
        let mut d = document(json!(["NFS", "CephFS"]), &["nfs"]);
        let schema = "/paths/~1x/get/responses/200/content/application~1json/schema/properties/items/items/properties/status";
        d.pointer_mut(schema).unwrap()[EXTENSION] =
            json!({"enum-versions": {"CephFS": {"min-ver": "2.13"}}});
        follow_samples(&mut d);
        assert_eq!(
            d.pointer(schema).unwrap()[EXTENSION]["enum-versions"],
            json!({"cephfs": {"min-ver": "2.13"}})
        );
    }
}
