//! Renders `templates/mock.rs.j2` for each spec of `../../spec/` into `OUT_DIR`: the mock
//! of that service as an implementation of its generated `server::Api`, over the server
//! stubs `stackspec-generated` generates from the same file (named by fully qualified
//! paths, `::stackspec_generated::image::server::Api`: see
//! `Generator::extra_modules_only`). Only the specs whose cargo feature is on (the file
//! stem) get a generated mock; the others are built in as their text, served by the
//! interpreter (`Mock::router`), so that a build of the binary does not compile every
//! service's server stubs. `services.rs` declares one module per generated mock and lists
//! every spec, with its text and router, in `BUILTIN_MOCKS`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stackspec_codegen::{Generator, Spec};

const TEMPLATE: &str = include_str!("templates/mock.rs.j2");

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let specs = manifest.join("../../spec");
    for watched in [&specs, &manifest.join("templates")] {
        println!("cargo::rerun-if-changed={}", watched.display());
    }
    if let Err(e) = generate(&specs, &out) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Whether cargo feature `name` of this crate is on.
fn feature(name: &str) -> bool {
    let var = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
    std::env::var_os(var).is_some()
}

/// Renders the mock module of every `*.yaml` of `specs` whose feature is on into
/// `out/<module>.rs` and writes `out/services.rs`, which `src/lib.rs` includes as module
/// `services`.
fn generate(specs: &Path, out: &Path) -> Result<(), String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(specs)
        .map_err(|e| format!("{}: {e}", specs.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    let mut modules = String::new();
    let mut builtins = String::new();
    for path in paths {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?;
        // The module `stackspec-generated`'s build script declares for this spec.
        let module = stem.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let spec_text = path.display().to_string();
        if !feature(stem) {
            writeln!(
                builtins,
                "    crate::Builtin {{ service: {stem:?}, spec: include_str!({spec_text:?}), router: crate::Mock::router }},"
            )
            .unwrap();
            continue;
        }
        let spec = Spec::load(&path).map_err(|e| e.to_string())?;
        let generated = Generator::new()
            .extra_module("mock", TEMPLATE)
            .extra_modules_only(format!("::stackspec_generated::{module}"))
            .generate(&spec, stem)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let file = out.join(format!("{module}.rs"));
        let text: String = generated.modules().map(|(_, text)| text).collect();
        std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
        let file = file.display().to_string();
        writeln!(
            modules,
            "#[doc = \"The mock of `{stem}.yaml`, over `::stackspec_generated::{module}`.\"]\npub mod {module} {{ include!({file:?}); }}"
        )
        .unwrap();
        writeln!(
            builtins,
            "    crate::Builtin {{ service: {stem:?}, spec: include_str!({spec_text:?}), router: {module}::router }},"
        )
        .unwrap();
    }
    writeln!(
        modules,
        "/// The services of `spec/`: those of the enabled features served by generated code, the\n/// others by the interpreter.\npub static BUILTIN_MOCKS: &[crate::Builtin] = &[\n{builtins}];"
    )
    .unwrap();
    let index = out.join("services.rs");
    std::fs::write(&index, modules).map_err(|e| format!("{}: {e}", index.display()))
}
