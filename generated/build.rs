//! Generates one module per spec in `../spec/` (and, for this crate's own tests, per fixture
//! spec of the generator) into `OUT_DIR`, through the same library call `stackspec generate`
//! makes.
//!
//! Cargo features choose what is generated: a spec only when its feature is on (the file
//! stem: `baremetal-introspection`), the client with `client`, the server stubs with
//! `server`. A service needs a side: with neither, this script fails saying so rather than
//! generating types nobody asked for.

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
    for watched in ["spec", "templates", "generator/codegen/tests/fixtures/generate"] {
        println!("cargo::rerun-if-changed={}", root.join(watched).display());
    }
    let side = side();
    let services = Generator::new().with_side(side.unwrap_or_default());
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
/// declares one module per spec.
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
        }
        modules.push_str("}\n");
    }
    let path = out.join(index);
    std::fs::write(&path, modules).map_err(|e| format!("{}: {e}", path.display()))
}
