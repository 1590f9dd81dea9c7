//! Reading an os-api-ref source tree: the `.inc` files (`rst`), the parameters files they
//! name (`parameters`), `status.yaml` descriptions (`codes`), and the samples they include
//! (`samples`). The result is plain data; turning it into OpenAPI is `transcribe`'s job.

pub mod codes;
pub mod confine;
pub mod entries;
pub mod invisible;
pub mod parameters;
pub mod rst;
pub mod samples;
pub mod substitution;
pub mod text;
pub mod versions;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, DiagnosticKind, Location};
pub use codes::StatusCode;
use confine::{ConfineError, Confinement};
pub use parameters::{In, ParamDef, ParamType, ParameterFile};
use stackspec_model::version::{Microversion, VersionRange};

/// RST prose as plain words, for matching sentences: backquote markup and line breaks (a
/// sentence often wraps) are dropped, runs of whitespace become one space.
pub fn plain_words(rst: &str) -> String {
    // One buffer, no intermediate copies: the transcriber calls this for every use of every
    // parameter. A word of backquotes alone leaves nothing, not a double space.
    let mut out = String::with_capacity(rst.len());
    for word in rst.split_whitespace() {
        let end = out.len();
        if end > 0 {
            out.push(' ');
        }
        let start = out.len();
        out.extend(word.chars().filter(|&c| c != '`'));
        if out.len() == start {
            out.truncate(end);
        }
    }
    out
}

/// Input that cannot be read at all. Problems that only lose one parameter or sample are
/// `Diagnostic`s instead, so that one bad entry does not hide a whole service.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{location}: malformed YAML: {message}")]
    Yaml { location: Location, message: String },
    #[error("{location}: refused to read {}: {source}", path.display())]
    Confined { location: Location, path: PathBuf, source: ConfineError },
    #[error("{location}: {source}")]
    Substitution { location: Location, source: substitution::SubstitutionError },
    #[error("{location}: YAML refused: {source}")]
    YamlLimit { location: Location, source: stackspec_model::yaml::LimitExceeded },
    #[error("{}: no `.inc` file with a `rest_method` directive here", .0.display())]
    NoMethods(PathBuf),
    #[error("no api-ref source directory given")]
    NoSources,
    #[error("{}: the same api-ref source directory is given twice", .0.display())]
    RepeatedSource(PathBuf),
}

/// Which half of an operation a parameter list or sample documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Request,
    Response,
}

/// One `.inc` file.
#[derive(Debug, Clone, Default)]
pub struct IncFile {
    pub path: PathBuf,
    /// The file's first heading.
    pub title: String,
    pub methods: Vec<MethodBlock>,
    /// Prose (admonitions included) before the first `rest_method`: what the docs say of
    /// every operation in the file, such as a default policy.
    pub preamble: String,
    /// Prose and notes under the file's title, before any other heading: what the docs say
    /// of every operation in the file (placement's "Traits API requests are available
    /// starting from version 1.6.").
    pub overview: String,
    /// `.. |name| replace::` definitions (raw HTML ones map to nothing).
    pub substitutions: BTreeMap<String, String>,
}

impl IncFile {
    fn new(path: &Path) -> Self {
        Self { path: path.to_path_buf(), ..Self::default() }
    }

    /// The file name without `.inc`: the operation tag.
    pub fn stem(&self) -> String {
        self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string()
    }
}

/// One `.. rest_method::` and everything documented under it.
#[derive(Debug, Clone)]
pub struct MethodBlock {
    /// The heading above the directive (`Run Events`).
    pub title: String,
    pub verb: String,
    /// Always starts with `/`.
    pub path: String,
    pub range: VersionRange,
    pub location: Location,
    /// The RST prose between the directive and the first code line, list or sub-heading.
    pub description: String,
    pub success: Vec<StatusCode>,
    pub errors: Vec<StatusCode>,
    pub parameters: Vec<ParamRef>,
    pub samples: Vec<SampleRef>,
    /// The block's `.. versionadded::` notes, in order.
    pub added: Vec<VersionNote>,
    /// Prose and notes of the block's section outside its description: under its heading
    /// before the `rest_method`, and the notes (admonitions) after it ("Method is available
    /// starting from version 1.7.").
    pub notes: String,
}

/// A `.. versionadded:: 1.60` note and its text (`Introduced the ``owner`` field.`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionNote {
    pub version: Microversion,
    pub text: String,
    pub location: Location,
}

impl MethodBlock {
    fn new(verb: String, path: String, location: Location) -> Self {
        Self {
            title: String::new(),
            verb,
            path,
            range: VersionRange::default(),
            location,
            description: String::new(),
            success: Vec::new(),
            errors: Vec::new(),
            parameters: Vec::new(),
            samples: Vec::new(),
            added: Vec::new(),
            notes: String::new(),
        }
    }
}

/// A `- wire_name: key` line of a `rest_parameters` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRef {
    pub section: Section,
    pub wire_name: String,
    pub key: String,
    /// The parameters file the list names.
    pub file: PathBuf,
    pub location: Location,
    /// The microversions the heading of the list's section states (`Response (microversions
    /// 1.19 - )`); unbounded when it states none.
    pub heading_range: VersionRange,
}

/// A `literalinclude` of a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRef {
    /// The section it sits in, when a heading says.
    pub section: Option<Section>,
    pub path: PathBuf,
    /// The bold line or heading above it.
    pub caption: String,
    /// Its `:language:` option (`javascript`, `bash`), if any.
    pub language: Option<String>,
    pub location: Location,
}

impl SampleRef {
    pub fn version(&self) -> Option<Microversion> {
        samples::documented_version(&self.path, &self.caption)
    }

    /// The section, from its heading, else from its file name (`-req`, `-resp`).
    pub fn section(&self) -> Section {
        self.section.unwrap_or_else(|| {
            let name = self.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.contains("-req") || name.contains("request") {
                Section::Request
            } else {
                Section::Response
            }
        })
    }
}

/// A whole api-ref, read: one source directory, or the merge of several (an api-ref may be
/// spread over sibling directories, as glance's `v2/` and `versions/`).
#[derive(Debug, Clone, Default)]
pub struct ApiRef {
    /// The (first) source directory: the document names sample files relative to it.
    pub root: PathBuf,
    pub files: Vec<IncFile>,
    pub parameter_files: BTreeMap<PathBuf, ParameterFile>,
    /// Sample contents by path; samples that could not be read are absent (and reported).
    pub samples: BTreeMap<PathBuf, serde_json::Value>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ApiRef {
    /// Reads every `*.inc` file directly in `root` (in name order) and everything they name.
    pub fn read(root: &Path) -> Result<Self, ReadError> {
        let root = &normalize(root);
        let mut api = ApiRef { root: root.to_path_buf(), ..Self::default() };
        let confinement = Confinement::of_source(root)
            .map_err(|source| ReadError::Io { path: root.to_path_buf(), source })?;
        for path in inc_files(root)? {
            let text = api.read_text(&confinement, &path, &Location::new(&path, 1))?;
            let file = rst::parse_inc(&path, root, &text, &mut api.diagnostics);
            api.files.push(file);
        }
        if api.files.iter().all(|f| f.methods.is_empty()) {
            return Err(ReadError::NoMethods(root.to_path_buf()));
        }
        api.load_parameter_files(&confinement)?;
        api.load_status_descriptions(&confinement)?;
        api.load_samples(&confinement);
        api.check_references();
        api.diagnostics.sort();
        api.diagnostics.dedup();
        Ok(api)
    }

    /// Reads each of `roots` as [`ApiRef::read`] does (each confined to its own project) and
    /// merges them in order: the files of every directory, each `rest_parameters` list still
    /// resolved against the parameters file its own directory names, every sample, and every
    /// diagnostic at its own file and line. Whether two directories document the same
    /// operation is the transcriber's to say, where operations are keyed.
    pub fn read_all(roots: &[PathBuf]) -> Result<Self, ReadError> {
        let mut seen = std::collections::BTreeSet::new();
        if let Some(again) = roots.iter().map(|r| normalize(r)).find(|r| !seen.insert(r.clone())) {
            return Err(ReadError::RepeatedSource(again));
        }
        let (first, rest) = roots.split_first().ok_or(ReadError::NoSources)?;
        let mut api = Self::read(first)?;
        for root in rest {
            api.absorb(Self::read(root)?);
        }
        api.diagnostics.sort();
        api.diagnostics.dedup();
        Ok(api)
    }

    /// Adds what `other` read after what `self` read. A parameters file two directories
    /// both name keeps the first reading.
    fn absorb(&mut self, other: ApiRef) {
        self.files.extend(other.files);
        for (path, file) in other.parameter_files {
            self.parameter_files.entry(path).or_insert(file);
        }
        for (path, sample) in other.samples {
            self.samples.entry(path).or_insert(sample);
        }
        self.diagnostics.extend(other.diagnostics);
    }

    /// The text of `path` (named at `named_at`); bytes that are not text are warnings.
    fn read_text(
        &mut self,
        confinement: &Confinement,
        path: &Path,
        named_at: &Location,
    ) -> Result<String, ReadError> {
        let bytes = read_named(confinement, path, named_at)?;
        Ok(text::decode(path, bytes, &mut self.diagnostics))
    }

    /// Every block in document order.
    pub fn methods(&self) -> impl Iterator<Item = (&IncFile, &MethodBlock)> {
        self.files.iter().flat_map(|f| f.methods.iter().map(move |m| (f, m)))
    }

    /// The definition a `rest_parameters` line points at, if it resolved.
    pub fn resolve(&self, r: &ParamRef) -> Option<&ParamDef> {
        self.parameter_files.get(&r.file)?.defs.get(&r.key)
    }

    fn load_parameter_files(&mut self, confinement: &Confinement) -> Result<(), ReadError> {
        let substitutions: BTreeMap<String, String> =
            self.files.iter().flat_map(|f| f.substitutions.clone()).collect();
        let wanted: Vec<(PathBuf, Location)> = self
            .methods()
            .flat_map(|(_, m)| m.parameters.iter().map(|p| (p.file.clone(), p.location.clone())))
            .collect();
        for (path, named_at) in wanted {
            if self.parameter_files.contains_key(&path) {
                continue;
            }
            let text = self.read_text(confinement, &path, &named_at)?;
            let mut file = ParameterFile::parse(&path, &text, &mut self.diagnostics)?;
            for def in file.defs.values_mut() {
                def.description = substitution::substitute(&def.description, &substitutions)
                    .map_err(|source| ReadError::Substitution {
                        location: def.defined_at.clone(),
                        source,
                    })?;
            }
            self.parameter_files.insert(path, file);
        }
        Ok(())
    }

    fn load_status_descriptions(&mut self, confinement: &Confinement) -> Result<(), ReadError> {
        let mut files: BTreeMap<PathBuf, serde_norway::Value> = BTreeMap::new();
        let diagnostics = &mut self.diagnostics;
        for file in &mut self.files {
            for code in file
                .methods
                .iter_mut()
                .flat_map(|m| m.success.iter_mut().chain(m.errors.iter_mut()))
            {
                let Some(status) = &code.status else { continue };
                if !files.contains_key(&status.file) {
                    let bytes = read_named(confinement, &status.file, &code.location)?;
                    let text = text::decode(&status.file, bytes, diagnostics);
                    let value = stackspec_model::yaml::from_str(&text)
                        .map_err(|e| parameters::yaml_error(&status.file, e))?;
                    files.insert(status.file.clone(), value);
                }
                let entry = files[&status.file]
                    .get(serde_norway::Value::from(code.code))
                    .and_then(|c| c.get(status.key.as_str()));
                match entry.and_then(|d| d.as_str()) {
                    Some(text) => code.description = text.trim().to_string(),
                    None => {
                        code.description = codes::describe(code.code, "");
                        diagnostics.push(Diagnostic::new(
                            DiagnosticKind::UnresolvedParameter,
                            code.location.clone(),
                            format!(
                                "`{}: {}` is not in {}",
                                code.code,
                                status.key,
                                status.file.display()
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads every sample once. What is not JSON is kept out: an invalid JSON sample is a
    /// warning, an example in another format (a curl command, an HTTP transcript) a note.
    fn load_samples(&mut self, confinement: &Confinement) {
        let wanted: Vec<SampleRef> = self.methods().flat_map(|(_, m)| m.samples.clone()).collect();
        let mut seen = std::collections::BTreeSet::new();
        for sample in wanted {
            if !seen.insert(sample.path.clone()) {
                continue;
            }
            let bytes = match confinement.read(&sample.path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    let message = format!("sample {} cannot be read: {e}", sample.path.display());
                    self.diagnostics.push(Diagnostic::new(
                        DiagnosticKind::MissingSample,
                        sample.location.clone(),
                        message,
                    ));
                    continue;
                }
            };
            let text = text::decode(&sample.path, bytes, &mut self.diagnostics);
            match samples::parse(&sample, &text) {
                Ok(value) => {
                    self.samples.insert(sample.path, value);
                }
                Err(d) => self.diagnostics.push(d),
            }
        }
    }

    fn check_references(&mut self) {
        let mut missing = Vec::new();
        for (_, m) in self.methods() {
            for r in m.parameters.iter().filter(|r| self.resolve(r).is_none()) {
                let file = &self.parameter_files[&r.file];
                let why = match file.invalid.get(&r.key) {
                    Some(at) => {
                        format!("the entry `{}` at {at} is invalid (reported there)", r.key)
                    }
                    None => format!("no key `{}` in {}", r.key, r.file.display()),
                };
                missing.push(Diagnostic::new(
                    DiagnosticKind::UnresolvedParameter,
                    r.location.clone(),
                    format!("`{}: {}`: {why}", r.wire_name, r.key),
                ));
            }
        }
        self.diagnostics.extend(missing);
    }
}

fn inc_files(root: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let io = |source| ReadError::Io { path: root.to_path_buf(), source };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "inc") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads `path`, which the directive at `named_at` names, within `confinement`.
fn read_named(
    confinement: &Confinement,
    path: &Path,
    named_at: &Location,
) -> Result<Vec<u8>, ReadError> {
    confinement.read(path).map_err(|e| match e {
        ConfineError::Io(source) => ReadError::Io { path: path.to_path_buf(), source },
        source => {
            ReadError::Confined { location: named_at.clone(), path: path.to_path_buf(), source }
        }
    })
}

/// Removes `.` and `..` components without touching the file system, so that paths compare
/// equal however a document spelled them.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if out.file_name().is_some() && !out.ends_with("..") =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn plain_words_drop_backquotes_and_join_wrapped_lines_with_one_space() {
        assert_eq!(
            plain_words("  The ``id`` of\n   the `server` ` , or ``\tnull``.\n"),
            "The id of the server , or null."
        );
        assert_eq!(plain_words("`` ``"), "");
        assert_eq!(plain_words("``a``"), "a");
    }
}
