//! Generates one module per spec in `../spec/` (and, for this crate's own tests, per fixture
//! spec of the generator) into `OUT_DIR`, through the same library call `stackspec generate`
//! makes. The specs of `../spec/` also get a `mock` module (`templates/mock.rs.j2`: the
//! spec-backed mock as an implementation of their server trait) and are listed, with their
//! text, in `BUILTIN_MOCKS`.
//!
//! Cargo features choose what is generated: a spec only when its feature is on (the file
//! stem: `baremetal-introspection`), the client with `client`, the server stubs with
//! `server`, the mock modules with `mock`. A service needs a side: with neither, this script
//! fails saying so rather than generating types nobody asked for.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stackspec_codegen::{Generator, Side};
use stackspec_model::Spec;

/// Whether cargo feature `name` is enabled for this build.
fn feature(name: &str) -> bool {
    let var = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
    std::env::var_os(var).is_some()
}

/// The side the `client` and `server` features ask for; `None` with neither.
fn side() -> Option<Side> {
    match (feature("client"), feature("server")) {
        (true, true) => Some(Side::Both),
        (true, false) => Some(Side::Client),
        (false, true) => Some(Side::Server),
        (false, false) => None,
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let root = manifest.join("..");
    for watched in
        ["spec", "templates", "generator/codegen/tests/fixtures/generate", "generated/templates"]
    {
        println!("cargo::rerun-if-changed={}", root.join(watched).display());
    }
    let side = side();
    let mut services = Generator::new().with_side(side.unwrap_or_default());
    if feature("mock") {
        services = services.extra_module("mock", include_str!("templates/mock.rs.j2"));
    }
    let fixtures = Generator::new().with_side(side.unwrap_or_default());
    let sets = [
        ("spec", "services.rs", services, Selection::Features(side)),
        (
            "generator/codegen/tests/fixtures/generate",
            "fixtures.rs",
            fixtures,
            Selection::All(side),
        ),
    ];
    for (dir, index, generator, selection) in sets {
        if let Err(e) = generate_dir(&generator, &root.join(dir), &out, index, selection) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

/// Which specs of a directory to generate.
#[derive(Clone, Copy)]
enum Selection {
    /// Those whose cargo feature (the file stem) is on; one without a side is an error.
    Features(Option<Side>),
    /// All of them when a side is on, else none (the fixtures, compiled by tests only).
    All(Option<Side>),
}

impl Selection {
    fn includes(self, stem: &str) -> Result<bool, String> {
        match self {
            Selection::Features(side) if feature(stem) && side.is_none() => {
                Err(format!("feature `{stem}` needs a side: enable `client`, `server` or both"))
            }
            Selection::Features(_) => Ok(feature(stem)),
            Selection::All(side) => Ok(side.is_some()),
        }
    }
}

/// Generates every `*.yaml` of `dir` into `out/<stem>/` and writes `out/<index>`, which
/// declares one module per spec and, when they have a `mock` module, lists them in
/// `BUILTIN_MOCKS`.
fn generate_dir(
    generator: &Generator,
    dir: &Path,
    out: &Path,
    index: &str,
    selection: Selection,
) -> Result<(), String> {
    let mut specs: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    specs.sort();
    let mut modules = String::new();
    let mut mocks = String::new();
    for path in specs {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?;
        if !selection.includes(stem)? {
            continue;
        }
        let spec = Spec::load(&path).map_err(|e| e.to_string())?;
        let generated =
            generator.generate(&spec, stem).map_err(|e| format!("{}: {e}", path.display()))?;
        let module = stem.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let service_dir = out.join(&module);
        generated.write(&service_dir).map_err(|e| e.to_string())?;
        writeln!(modules, "#[doc = \"Generated from `{stem}.yaml`.\"]\npub mod {module} {{")
            .unwrap();
        for (name, _) in generated.modules() {
            let file = service_dir.join(format!("{name}.rs"));
            writeln!(
                modules,
                "    pub mod {name} {{ include!({:?}); }}",
                file.display().to_string()
            )
            .unwrap();
            if name == "mock" {
                let spec = path.display().to_string();
                writeln!(mocks, "    crate::mock::Builtin {{ service: {stem:?}, spec: include_str!({spec:?}), router: {module}::mock::router }},").unwrap();
            }
        }
        modules.push_str("}\n");
    }
    if feature("mock") && matches!(selection, Selection::Features(_)) {
        writeln!(modules, "/// The services of `spec/` whose mocks are served by generated code.\npub static BUILTIN_MOCKS: &[crate::mock::Builtin] = &[\n{mocks}];").unwrap();
    }
    let path = out.join(index);
    std::fs::write(&path, modules).map_err(|e| format!("{}: {e}", path.display()))
}
