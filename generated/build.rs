//! Generates one module per spec in `../spec/` (and, for this crate's own tests, per fixture
//! spec of the generator) into `OUT_DIR`, through the same library call `stackspec generate`
//! makes. The specs of `../spec/` also get a `mock` module (`templates/mock.rs.j2`: the
//! spec-backed mock as an implementation of their server trait) and are listed, with their
//! text, in `BUILTIN_MOCKS`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stackspec_codegen::Generator;
use stackspec_model::Spec;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let root = manifest.join("..");
    for watched in
        ["spec", "templates", "generator/codegen/tests/fixtures/generate", "generated/templates"]
    {
        println!("cargo::rerun-if-changed={}", root.join(watched).display());
    }
    let services = Generator::new().extra_module("mock", include_str!("templates/mock.rs.j2"));
    let sets = [
        ("spec", "services.rs", services),
        ("generator/codegen/tests/fixtures/generate", "fixtures.rs", Generator::new()),
    ];
    for (dir, index, generator) in sets {
        if let Err(e) = generate_dir(&generator, &root.join(dir), &out, index) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

/// Generates every `*.yaml` of `dir` into `out/<stem>/` and writes `out/<index>`, which
/// declares one module per spec and, when they have a `mock` module, lists them in
/// `BUILTIN_MOCKS`.
fn generate_dir(generator: &Generator, dir: &Path, out: &Path, index: &str) -> Result<(), String> {
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
    if !mocks.is_empty() {
        writeln!(modules, "/// The services of `spec/` whose mocks are served by generated code.\npub static BUILTIN_MOCKS: &[crate::mock::Builtin] = &[\n{mocks}];").unwrap();
    }
    let path = out.join(index);
    std::fs::write(&path, modules).map_err(|e| format!("{}: {e}", path.display()))
}
