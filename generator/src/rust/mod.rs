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
mod render;

use std::path::{Path, PathBuf};

pub use error::GenerateError;
pub use render::MODULES;

use crate::model::Spec;

/// Generation settings.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    templates: Option<PathBuf>,
}

/// The generated modules of one service, formatted.
#[derive(Debug, Clone)]
pub struct GeneratedService {
    pub types: String,
    pub client: String,
    pub server: String,
}

impl Generator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Templates in `dir` replace the embedded ones of the same file name.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// Generates the modules of `spec`; `service_type` is the name the cloud uses in
    /// `OpenStack-API-Version` (`compute`, `image`).
    pub fn generate(
        &self,
        spec: &Spec,
        service_type: &str,
    ) -> Result<GeneratedService, GenerateError> {
        let service = ir::Service::build(spec, service_type)?;
        let env = render::environment(self.templates.as_deref())?;
        Ok(GeneratedService {
            types: render::module(&env, "types", &service)?,
            client: render::module(&env, "client", &service)?,
            server: render::module(&env, "server", &service)?,
        })
    }
}

impl GeneratedService {
    /// The modules by name, in [`MODULES`] order.
    pub fn modules(&self) -> [(&'static str, &str); 3] {
        [("types", &self.types), ("client", &self.client), ("server", &self.server)]
    }

    /// Writes `types.rs`, `client.rs`, `server.rs` and a `mod.rs` declaring them into `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), GenerateError> {
        let io = |path: PathBuf| move |source| GenerateError::Io { path, source };
        std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
        let mut declarations = String::new();
        for (name, text) in self.modules() {
            let path = dir.join(format!("{name}.rs"));
            std::fs::write(&path, text).map_err(io(path.clone()))?;
            declarations.push_str(&format!("pub mod {name};\n"));
        }
        let path = dir.join("mod.rs");
        std::fs::write(&path, declarations).map_err(io(path.clone()))
    }
}
