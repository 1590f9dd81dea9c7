//! OpenStack's published, code-derived specs (`../shared/openstack-published-specs`, all
//! OpenAPI 3.1.0) load, as every command reads them, in their 3.0 form.

use stackspec_model::Spec;

#[path = "support/published.rs"]
mod support;
use support::published;

#[test]
fn every_published_spec_loads_with_its_operations() {
    let files = published();
    assert_eq!(files.len(), 11, "{files:?}");
    let mut operations = 0;
    for file in &files {
        let spec = Spec::load(file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.raw["openapi"], "3.0.3");
        operations += spec.operations().count();
    }
    // The README of the published specs: 1,784 operations over the eleven services.
    assert_eq!(operations, 1784);
}

#[test]
fn no_3_1_spelling_is_left_in_a_schema() {
    for file in published() {
        let spec = Spec::load(&file).unwrap();
        let mut left = Vec::new();
        spec3_1_keywords(&spec.raw, String::new(), &mut left);
        assert!(left.is_empty(), "{}: {:?}", file.display(), &left[..left.len().min(5)]);
    }
}

/// Pointers of schema keywords only 3.1 has (`const`, a `type` array, `prefixItems`),
/// skipping samples, which are data.
fn spec3_1_keywords(node: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match node {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{}", stackspec_model::escape_pointer(key));
                match key.as_str() {
                    "example" | "examples" | "default" | "enum" => continue,
                    "const" | "prefixItems" => out.push(here.clone()),
                    "type" if value.is_array() => out.push(here.clone()),
                    _ => {}
                }
                spec3_1_keywords(value, here, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                spec3_1_keywords(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
