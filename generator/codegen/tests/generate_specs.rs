//! Every spec in `spec/` generates, and the generated code of each (but the largest five,
//! [`UNSNAPSHOTTED`]) is snapshotted, so that a change to the generator or to a spec shows
//! up as a reviewable diff of the Rust it produces. (The same
//! code is compiled, warning- and clippy-clean, by the `generated/` crate.)
//!
//! Each module is split by the first letter of its items' names (types, methods, handlers;
//! the methods of one `impl` or `trait` are split too), and the schema document by the
//! first letter of its `$defs` and components: one changed operation shows as a change to
//! a few small snapshots, not to a file of a megabyte.

use std::collections::BTreeMap;
use std::path::Path;

use stackspec_codegen::Generator;
use stackspec_model::Spec;

/// Specs that are generated (and so must generate) but not snapshotted: their generated code
/// (14,500 to 65,000 lines each, about 8 MB of snapshots for the five) would not be a
/// reviewable diff, and CI compiles it, clippy-clean, and serves it in the mock
/// (`cargo test -p stackspec-generated -p stackspec-mock --features all-services`). The
/// constructs they brought are snapshotted in small fixtures (`path_templates`,
/// `object_query`).
const UNSNAPSHOTTED: &[&str] =
    &["baremetal", "block-storage", "dns", "network", "shared-file-system"];

#[test]
fn every_spec_generates_its_snapshotted_modules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 4, "expected the transcribed specs in {}", dir.display());
    let mut refused = Vec::new();
    for path in specs {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let spec = Spec::load(&path).unwrap();
        let generated = match Generator::new().generate(&spec, stem) {
            Ok(generated) if UNSNAPSHOTTED.contains(&stem) => {
                assert!(generated.modules().count() >= 3, "{stem}: types, client and server");
                continue;
            }
            Ok(generated) => generated,
            Err(e) => {
                refused.push(format!("{stem}: {e}"));
                continue;
            }
        };
        for (module, text) in generated.modules() {
            for (letter, part) in split_module(text) {
                insta::assert_snapshot!(format!("spec_{stem}_{module}_{letter}"), part);
            }
        }
        for (file, text) in generated.files() {
            let document: serde_json::Value = serde_json::from_str(text).unwrap();
            for (letter, part) in split_schemas(&document) {
                let file = file.trim_end_matches(".json");
                insta::assert_snapshot!(format!("spec_{stem}_{file}_{letter}"), part);
            }
        }
    }
    assert_eq!(refused, Vec::<String>::new(), "specs the generator refuses");
}

/// The module's items, grouped by the first letter of their name, each group printed.
fn split_module(text: &str) -> BTreeMap<char, String> {
    let file = syn::parse_file(text).unwrap();
    let mut groups: BTreeMap<char, Vec<syn::Item>> = BTreeMap::new();
    for item in file.items {
        for (name, part) in units(item) {
            groups.entry(letter(&name)).or_default().push(part);
        }
    }
    groups
        .into_iter()
        .map(|(letter, items)| {
            (letter, prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items }))
        })
        .collect()
}

/// An item with its name; an `impl` or `trait` becomes one copy per member, so that its
/// members group by their own names.
fn units(item: syn::Item) -> Vec<(String, syn::Item)> {
    match item {
        syn::Item::Impl(block) if !block.items.is_empty() => {
            let members = block.items.clone();
            members
                .into_iter()
                .map(|member| {
                    let name = match &member {
                        syn::ImplItem::Fn(f) => f.sig.ident.to_string(),
                        syn::ImplItem::Const(c) => c.ident.to_string(),
                        syn::ImplItem::Type(t) => t.ident.to_string(),
                        _ => String::new(),
                    };
                    let name = if name.is_empty() { self_type(&block) } else { name };
                    let copy = syn::ItemImpl { items: vec![member], ..block.clone() };
                    (name, syn::Item::Impl(copy))
                })
                .collect()
        }
        syn::Item::Trait(block) if !block.items.is_empty() => {
            let members = block.items.clone();
            members
                .into_iter()
                .map(|member| {
                    let name = match &member {
                        syn::TraitItem::Fn(f) => f.sig.ident.to_string(),
                        _ => block.ident.to_string(),
                    };
                    (
                        name,
                        syn::Item::Trait(syn::ItemTrait { items: vec![member], ..block.clone() }),
                    )
                })
                .collect()
        }
        other => vec![(item_name(&other), other)],
    }
}

/// The last segment of an `impl`'s type (`Client`, `TaskStatus`).
fn self_type(block: &syn::ItemImpl) -> String {
    match &*block.self_ty {
        syn::Type::Path(p) => {
            p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

fn item_name(item: &syn::Item) -> String {
    let ident = match item {
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Const(i) => &i.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::Impl(block) => return self_type(block),
        _ => return String::new(),
    };
    ident.to_string()
}

/// The letter a name groups under: its first, lower-cased, past `r#`, `handle_` and `_`
/// (`_` for a name with none).
fn letter(name: &str) -> char {
    let name = name.trim_start_matches("r#").trim_start_matches("handle_").trim_start_matches('_');
    name.chars().next().map_or('_', |c| c.to_ascii_lowercase())
}

/// The schema document's `$defs` and components grouped by first letter, each group as
/// pretty JSON keyed by its pointer.
fn split_schemas(document: &serde_json::Value) -> BTreeMap<char, String> {
    let mut groups: BTreeMap<char, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    let sections = [
        ("/$defs", &document["$defs"]),
        ("/components/schemas", &document["components"]["schemas"]),
    ];
    for (pointer, section) in sections {
        for (name, schema) in section.as_object().into_iter().flatten() {
            groups
                .entry(letter(name))
                .or_default()
                .insert(format!("{pointer}/{name}"), schema.clone());
        }
    }
    groups
        .into_iter()
        .map(|(letter, map)| (letter, serde_json::to_string_pretty(&map).unwrap()))
        .collect()
}
