//! Rust code from an OpenAPI document: serde types, an async `reqwest` client and `axum`
//! server stubs, one module of each per service. Used by `generated/build.rs` and by
//! `stackspec generate`.
//!
//! The pipeline is document → [`ir::Service`] (names and types decided) → minijinja templates
//! → `syn` + `prettyplease`. Anything the generator cannot translate faithfully is an error
//! naming its JSON pointer.

mod error;
pub mod ir;
mod names;
mod rebase;
mod render;
mod rst;
mod side;

use std::path::{Path, PathBuf};

pub use error::GenerateError;
pub use render::MODULES;
pub use side::Side;
/// The document type [`Generator::generate`] takes, re-exported so that a build script
/// needs this crate alone.
pub use stackspec_model::Spec;

/// Generation settings.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    templates: Option<PathBuf>,
    /// Modules rendered after [`MODULES`] from the caller's own templates: `(name, source)`.
    extra: Vec<(String, String)>,
    side: Side,
    /// Set by [`Generator::extra_modules_only`]: the path of the crate's service module the
    /// extra modules name as `super`.
    stubs: Option<String>,
}

/// The generated modules of one service, formatted, by name: [`MODULES`], then the
/// extra ones in the order they were added.
#[derive(Debug, Clone)]
pub struct GeneratedService {
    modules: Vec<(String, String)>,
    /// Files beside the modules that they include: [`SCHEMAS_FILE`].
    files: Vec<(String, String)>,
}

/// The service's JSON Schema document, which the `server` module includes with
/// `include_str!` (so it must sit beside `server.rs`).
pub const SCHEMAS_FILE: &str = "schemas.json";

impl Generator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Templates in `dir` replace the embedded ones of the same file name.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// Generates only the modules of `side` ([`Side::Both`] by default): a client-only
    /// crate compiles neither the server stubs nor their dependencies.
    pub fn with_side(mut self, side: Side) -> Self {
        self.side = side;
        self
    }

    /// Also renders module `name` (a sibling of `types`, `client` and `server`) from the
    /// template text `source`, with the same model: how a crate adds code of its own
    /// over every operation, such as an implementation of the server trait.
    pub fn extra_module(mut self, name: impl Into<String>, source: impl Into<String>) -> Self {
        self.extra.push((name.into(), source.into()));
        self
    }

    /// Generates the extra modules only, for a crate of their own beside the one holding
    /// this service's `types` and `server` (generated there by another `Generator`): `stubs`
    /// is the path of that service's module (`::stackspec_generated::image`), and every
    /// path in the extra modules that starts with `super::` (how the templates and the
    /// model name a sibling module: `super::types::Task`) starts with `stubs::` instead.
    /// The side and its `schemas.json` are not generated.
    pub fn extra_modules_only(mut self, stubs: impl Into<String>) -> Self {
        self.stubs = Some(stubs.into());
        self
    }

    /// Generates the modules of `spec`. The service type the cloud uses in
    /// `OpenStack-API-Version` (`compute`, `image`) is the spec's own
    /// (`info.x-stackspec.service-type`), else `service_type`.
    pub fn generate(
        &self,
        spec: &Spec,
        service_type: &str,
    ) -> Result<GeneratedService, GenerateError> {
        let service = ir::Service::build(spec, service_type)?;
        let env = render::environment(self.templates.as_deref(), &self.extra)?;
        let stubs = self.stubs.as_deref();
        // Checked once here, so that a bad path is one error before any module is rendered.
        stubs.map(rebase::stubs_path).transpose()?;
        let extra = self.extra.iter().map(|(name, _)| name.as_str());
        let sides: Vec<&str> = MODULES
            .into_iter()
            .filter(|module| stubs.is_none() && self.side.includes(module))
            .collect();
        let names: Vec<&str> = sides.iter().copied().chain(extra).collect();
        let modules = render::modules(&env, &names, &service, stubs)?;
        // Only the server includes the schemas.
        let files = if service.schemas.is_empty() || !sides.contains(&"server") {
            Vec::new()
        } else {
            vec![(SCHEMAS_FILE.to_string(), service.schemas.to_json())]
        };
        Ok(GeneratedService { modules, files })
    }
}

impl GeneratedService {
    /// The modules as `(name, text)`, in [`MODULES`] order (those of the side generated),
    /// then the extra ones.
    pub fn modules(&self) -> impl Iterator<Item = (&str, &str)> {
        self.modules.iter().map(|(name, text)| (name.as_str(), text.as_str()))
    }

    /// The files the modules include, as `(file name, text)`: [`SCHEMAS_FILE`] where a
    /// request body has a JSON Schema.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(name, text)| (name.as_str(), text.as_str()))
    }

    /// Writes each module as `<name>.rs`, the [`files`](Self::files) beside them, and a
    /// `mod.rs` declaring the modules, into `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), GenerateError> {
        let io = |path: PathBuf| move |source| GenerateError::Io { path, source };
        std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
        for (name, text) in self.files() {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(io(path.clone()))?;
        }
        let mut declarations = String::new();
        for (name, text) in self.modules() {
            let path = dir.join(format!("{name}.rs"));
            std::fs::write(&path, text).map_err(io(path.clone()))?;
            declarations.push_str(&format!("pub mod {name};\n"));
        }
        let path = dir.join("mod.rs");
        std::fs::write(&path, declarations).map_err(io(path.clone()))
    }

    /// The modules as one Rust file of inline `pub mod NAME { ... }` blocks, for a build
    /// script to write into `OUT_DIR` and a crate to `include!` (an included file cannot
    /// declare `mod NAME;` of its neighbours: those paths would resolve from `src/`).
    /// Each module allows `dead_code`: a binary calls a few of a service's operations, and
    /// the hundreds of warnings about the rest would be about code its author never wrote.
    pub fn to_single_file(&self) -> String {
        let mut file = String::new();
        for (name, text) in self.modules() {
            file.push_str(&format!("#[allow(dead_code)]\npub mod {name} {{\n{text}}}\n"));
        }
        file
    }

    /// Writes [`Self::to_single_file`] to `path`, creating its directory.
    pub fn write_single_file(&self, path: &Path) -> Result<(), GenerateError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| GenerateError::Io { path, source }
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(path, self.to_single_file()).map_err(io(path))
    }
}
