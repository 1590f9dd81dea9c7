//! Hostile OpenAPI documents: YAML bombs are refused by fixed limits while loading, and the
//! generator stays linear on long `$ref` chains and refuses enums too large to generate.
//! Each document is generated here, small in bytes.

use std::path::Path;

use stackspec_codegen::Generator;
use stackspec_model::yaml::LimitExceeded;
use stackspec_model::{LoadError, Spec};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

fn load_error(text: &str) -> LoadError {
    Spec::parse(Path::new("bomb.yaml"), text).unwrap_err()
}

#[test]
fn a_billion_laughs_block_in_a_spec_is_refused_naming_file_and_line() {
    let mut text = format!("{HEAD}x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        text.push_str(&format!(
            "x-a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let err = load_error(&text);
    assert!(
        matches!(
            &err,
            LoadError::Limit { line: 8, source: LimitExceeded::TooManyAliasNodes { .. }, .. }
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("bomb.yaml:8: YAML refused: aliases expand"), "{err}");
}

#[test]
fn a_hundred_thousand_nesting_levels_are_refused() {
    let depth = 100_000;
    let text = format!("{HEAD}x-deep: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    let err = load_error(&text);
    assert!(
        matches!(&err, LoadError::Limit { line: 4, source: LimitExceeded::TooDeep { .. }, .. }),
        "{err:?}"
    );
}

/// `S0` refers to `S1`, which refers to `S2`, ...; the last one is a string.
fn ref_chain(length: usize) -> String {
    let mut text = format!("{HEAD}components:\n  schemas:\n");
    for i in 0..length - 1 {
        text.push_str(&format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1));
    }
    text.push_str(&format!("    S{}: {{type: string}}\n", length - 1));
    text
}

#[test]
fn a_long_ref_chain_generates_plain_aliases() {
    let spec = Spec::parse(Path::new("chain.yaml"), &ref_chain(20_000)).unwrap();
    let generated = Generator::new().generate(&spec, "t").unwrap();
    let types = generated.modules().find(|(name, _)| *name == "types").unwrap().1;
    // Plain, not boxed: nothing in a chain holds itself.
    assert!(types.contains("pub type S0 = super::types::S1;"), "{}", &types[..200]);
    assert!(types.contains("pub type S19998 = super::types::S19999;"));
}

#[test]
fn a_string_enum_too_large_to_generate_is_refused_at_its_pointer() {
    let values: Vec<String> = (0..20_000).map(|i| format!("v{i}")).collect();
    let text = format!(
        "{HEAD}components:\n  schemas:\n    E: {{type: string, enum: [{}]}}\n",
        values.join(", ")
    );
    let spec = Spec::parse(Path::new("enum.yaml"), &text).unwrap();
    let err = Generator::new().generate(&spec, "t").unwrap_err().to_string();
    assert_eq!(
        err,
        "/components/schemas/E/enum: unsupported: 20000 values (at most 10000 are generated)"
    );
}
