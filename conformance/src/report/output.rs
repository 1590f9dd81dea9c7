//! Where reports go: `--report KIND=PATH`, `-` meaning standard output. Every path is
//! opened before the run, so that one that cannot be written is an error naming it (exit 2)
//! before the first request, not after a long run whose verdict it would then replace.

use std::fs::File;
use std::io::{Seek, Write};
use std::path::PathBuf;
use std::sync::Arc;

use super::ndjson::Ndjson;
use crate::events::Events;
use crate::rerun::Rerun;
use crate::run::Outcome;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Junit,
    Html,
    /// Events, one JSON object per line, streamed while the run goes when attached to it
    /// ([`Reports::events`]).
    Ndjson,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Json => "json",
            Kind::Junit => "junit",
            Kind::Html => "html",
            Kind::Ndjson => "ndjson",
        }
    }

    /// The report of `outcome` in this format.
    pub fn render(self, outcome: &Outcome) -> String {
        match self {
            Kind::Json => {
                let doc = super::json::render(outcome);
                serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
            }
            Kind::Junit => super::junit::render(outcome),
            Kind::Html => super::html::render(&super::doc::Report::of(outcome)),
            Kind::Ndjson => super::ndjson::render(outcome),
        }
    }
}

/// Why reports cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("--report `{0}`: expected KIND=PATH (KIND json, junit, html or ndjson, PATH `-` for stdout)")]
    Syntax(String),
    #[error("--report `{0}`: unknown kind (expected json, junit, html or ndjson)")]
    Kind(String),
    #[error("--report: only one report can go to standard output (`-`)")]
    TwoOnStdout,
    #[error("{path}: cannot write the {kind} report: {source}")]
    Write { path: String, kind: &'static str, source: std::io::Error },
}

/// One report's destination.
#[derive(Debug)]
enum Sink {
    Stdout,
    /// Opened without truncating (an existing report survives a run that never starts);
    /// `created`: the file did not exist before, so an unwritten one is removed again.
    File {
        path: PathBuf,
        file: File,
        created: bool,
        written: bool,
    },
}

/// The reports a run was asked for, their destinations open; the ndjson stream once
/// attached to the run.
#[derive(Debug, Default)]
pub struct Reports(Vec<(Kind, Sink)>, Option<Arc<Ndjson>>);

impl Reports {
    /// Parses `KIND=PATH` specs and opens every path for writing.
    pub fn open(specs: &[String]) -> Result<Self, OutputError> {
        // Filled as it goes: a later path that fails drops it, removing the files made.
        let mut reports = Self::default();
        for spec in specs {
            let (kind, path) =
                spec.split_once('=').ok_or_else(|| OutputError::Syntax(spec.clone()))?;
            let kind = match kind {
                "json" => Kind::Json,
                "junit" => Kind::Junit,
                "html" => Kind::Html,
                "ndjson" => Kind::Ndjson,
                _ => return Err(OutputError::Kind(spec.clone())),
            };
            if path.is_empty() {
                return Err(OutputError::Syntax(spec.clone()));
            }
            reports.0.push((kind, sink(kind, path)?));
        }
        if reports.0.iter().filter(|(_, s)| matches!(s, Sink::Stdout)).count() > 1 {
            return Err(OutputError::TwoOnStdout);
        }
        Ok(reports)
    }

    /// Whether a report goes to standard output (the terminal summary then goes to
    /// standard error, so that the report stays parseable).
    pub fn uses_stdout(&self) -> bool {
        self.0.iter().any(|(_, s)| matches!(s, Sink::Stdout))
    }

    /// The receiver of the run's events that streams the ndjson report, if one was asked
    /// for (`rerun`: what reruns a case, for each case's `rerun`). Its `end` event is
    /// written by [`Reports::write`].
    pub fn events(&mut self, rerun: Rerun) -> Result<Option<Arc<dyn Events>>, OutputError> {
        let Some((_, sink)) = self.0.iter().find(|(kind, _)| *kind == Kind::Ndjson) else {
            return Ok(None);
        };
        let out: Box<dyn Write + Send> = match sink {
            Sink::Stdout => Box::new(std::io::stdout()),
            Sink::File { path, file, .. } => {
                let clone = file.try_clone();
                Box::new(clone.map_err(|e| error(Kind::Ndjson, &path.display().to_string(), e))?)
            }
        };
        let stream = Arc::new(Ndjson::new(out, rerun));
        self.1 = Some(stream.clone());
        Ok(Some(stream))
    }

    /// Writes every report of `outcome` (of a streamed ndjson report, its `end` event).
    pub fn write(&mut self, outcome: &Outcome) -> Result<(), OutputError> {
        for (kind, sink) in &mut self.0 {
            if let (Kind::Ndjson, Some(stream)) = (*kind, &self.1) {
                let path = match sink {
                    Sink::Stdout => "-".to_string(),
                    Sink::File { path, written, .. } => {
                        *written = true;
                        path.display().to_string()
                    }
                };
                stream.finished(outcome).map_err(|e| error(Kind::Ndjson, &path, e))?;
                continue;
            }
            let text = kind.render(outcome);
            match sink {
                Sink::Stdout => {
                    let mut stdout = std::io::stdout().lock();
                    let done = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
                    done.map_err(|e| error(*kind, "-", e))?;
                }
                Sink::File { path, file, written, .. } => {
                    let done = file
                        .set_len(0)
                        .and_then(|()| file.rewind())
                        .and_then(|()| file.write_all(text.as_bytes()));
                    done.map_err(|e| error(*kind, &path.display().to_string(), e))?;
                    *written = true;
                }
            }
        }
        Ok(())
    }
}

impl Drop for Reports {
    /// Removes the files opened for a run that never wrote them (it stopped with an error).
    fn drop(&mut self) {
        for (_, sink) in &self.0 {
            if let Sink::File { path, created: true, written: false, .. } = sink {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

fn sink(kind: Kind, path: &str) -> Result<Sink, OutputError> {
    if path == "-" {
        return Ok(Sink::Stdout);
    }
    let path = PathBuf::from(path);
    let created = !path.exists();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| error(kind, &path.display().to_string(), e))?;
    Ok(Sink::File { path, file, created, written: false })
}

fn error(kind: Kind, path: &str, source: std::io::Error) -> OutputError {
    OutputError::Write { path: path.to_string(), kind: kind.name(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_cannot_be_opened_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("no/such/dir/out.xml");
        let spec = format!("junit={}", bad.display());
        let err = Reports::open(&[spec]).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}: cannot write the junit report", bad.display())));
    }

    #[test]
    fn a_dash_is_standard_output_once_at_most() {
        let one = Reports::open(&["json=-".into()]).unwrap();
        assert!(one.uses_stdout());
        drop(one);
        assert!(!std::path::Path::new("-").exists(), "no file named `-`");
        let two = Reports::open(&["json=-".into(), "junit=-".into()]);
        assert!(matches!(two, Err(OutputError::TwoOnStdout)));
    }

    #[test]
    fn a_report_opened_for_a_run_that_never_wrote_it_is_removed_but_an_old_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (new, old) = (dir.path().join("new.json"), dir.path().join("old.json"));
        std::fs::write(&old, "{\"kept\": true}").unwrap();
        let specs = [format!("json={}", new.display()), format!("json={}", old.display())];
        drop(Reports::open(&specs).unwrap());
        assert!(!new.exists());
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "{\"kept\": true}");
    }
}
