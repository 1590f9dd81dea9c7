//! Why code could not be generated. Every error about the document names the JSON pointer
//! of the construct it is about.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A construct the generator does not translate; generating anyway would be wrong code.
    #[error("{pointer}: unsupported: {what}")]
    Unsupported { pointer: String, what: String },
    /// Something that is not valid OpenAPI 3.0 where the generator needs it to be.
    #[error("{pointer}: invalid: expected {expected}")]
    Invalid { pointer: String, expected: String },
    /// A `$ref` that points nowhere.
    #[error("{pointer}: `$ref` to `{target}` does not resolve")]
    DanglingRef { pointer: String, target: String },
    #[error("template `{name}`: {source}")]
    Template { name: String, source: minijinja::Error },
    /// The templates rendered text that is not Rust; `text` is kept to debug the template.
    #[error("template `{name}` rendered code that does not parse: {message}")]
    NotRust { name: String, message: String, text: String },
    /// The path given to `Generator::extra_modules_only` does not parse as a Rust path.
    #[error("extra modules' stubs path `{path}` is not a Rust path: {source}")]
    StubsPath { path: String, source: syn::Error },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl GenerateError {
    pub(crate) fn unsupported(pointer: &str, what: impl Into<String>) -> Self {
        Self::Unsupported { pointer: pointer.to_string(), what: what.into() }
    }

    pub(crate) fn invalid(pointer: &str, expected: impl Into<String>) -> Self {
        Self::Invalid { pointer: pointer.to_string(), expected: expected.into() }
    }
}
