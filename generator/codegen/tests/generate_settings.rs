//! The generation settings a build script chooses: which side of a service is generated,
//! and the single-file output it includes.

use std::path::Path;

use stackspec_codegen::{Generator, Side, Spec};

fn operations() -> Spec {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generate/operations.yaml");
    Spec::load(&path).unwrap()
}

fn module_names(generator: Generator) -> Vec<String> {
    let generated = generator.generate(&operations(), "t").unwrap();
    generated.modules().map(|(name, _)| name.to_string()).collect()
}

#[test]
fn each_side_generates_the_types_and_only_its_own_modules() {
    assert_eq!(module_names(Generator::new().with_side(Side::Client)), ["types", "client"]);
    assert_eq!(module_names(Generator::new().with_side(Side::Server)), ["types", "server"]);
    assert_eq!(module_names(Generator::new().with_side(Side::Both)), ["types", "client", "server"]);
}

#[test]
fn both_sides_are_the_default() {
    assert_eq!(
        module_names(Generator::new()),
        module_names(Generator::new().with_side(Side::Both))
    );
}

#[test]
fn extra_modules_are_rendered_whatever_the_side() {
    let generator =
        Generator::new().with_side(Side::Client).extra_module("count", "pub const N: u8 = 1;");
    assert_eq!(module_names(generator), ["types", "client", "count"]);
}

#[test]
fn extra_modules_only_generates_them_alone_naming_the_stubs_by_the_path_given() {
    let template = "pub fn first(t: super::types::{{ operations[0].response_type }}) {}";
    let generated = Generator::new()
        .extra_module("count", template)
        .extra_modules_only("::stubs_crate::t")
        .generate(&operations(), "t")
        .unwrap();
    let modules: Vec<(&str, &str)> = generated.modules().collect();
    assert_eq!(modules.len(), 1, "{modules:?}");
    let (name, text) = modules[0];
    assert_eq!(name, "count");
    assert!(text.contains("t: ::stubs_crate::t::types::"), "{text}");
    assert!(!text.contains("super"), "{text}");
    assert_eq!(generated.files().count(), 0, "no schemas.json without the server module");
}

#[test]
fn an_extra_modules_only_path_that_is_not_a_rust_path_is_an_error_naming_it() {
    let generator = Generator::new().extra_module("count", "").extra_modules_only("stubs crate");
    let error = generator.generate(&operations(), "t").unwrap_err().to_string();
    assert!(
        error.starts_with("extra modules' stubs path `stubs crate` is not a Rust path"),
        "{error}"
    );
}

#[test]
fn the_single_file_holds_each_module_inline_allowing_dead_code_and_parses_as_rust() {
    let generated = Generator::new().with_side(Side::Client).generate(&operations(), "t").unwrap();
    let file = generated.to_single_file();
    let parsed: Vec<String> = syn_items(&file);
    assert_eq!(parsed, ["types", "client"]);
    for (_, text) in generated.modules() {
        assert!(file.contains(text), "every module's text is kept whole");
    }
}

#[test]
fn the_single_file_is_written_with_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/t.rs");
    let generated = Generator::new().generate(&operations(), "t").unwrap();
    generated.write_single_file(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), generated.to_single_file());
}

#[test]
fn an_unwritable_single_file_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let path = blocker.join("t.rs");
    let generated = Generator::new().generate(&operations(), "t").unwrap();
    let error = generated.write_single_file(&path).unwrap_err().to_string();
    assert!(error.starts_with(&blocker.display().to_string()), "{error}");
}

/// The names of the top-level inline modules of `file`, which must parse as Rust.
fn syn_items(file: &str) -> Vec<String> {
    let file = syn::parse_file(file).unwrap();
    file.items
        .iter()
        .map(|item| match item {
            syn::Item::Mod(m) => {
                assert!(m.content.is_some(), "module `{}` is inline", m.ident);
                let allows: Vec<String> = m
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("allow"))
                    .map(|a| a.parse_args::<syn::Ident>().unwrap().to_string())
                    .collect();
                assert_eq!(allows, ["dead_code"], "module `{}` allows unused items", m.ident);
                m.ident.to_string()
            }
            _ => panic!("only modules at the top level"),
        })
        .collect()
}
