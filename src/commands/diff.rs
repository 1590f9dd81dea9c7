//! `stackspec diff OLD NEW`: the breaking-change report between two specs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_diff::{self as diff, report, Acknowledgements, Severity};
use stackspec_model::version::Microversion;
use stackspec_model::Spec;

/// Report what changed between two OpenAPI documents and which changes break clients.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec clients were written against.
    old: PathBuf,
    /// The spec under review.
    new: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when an unacknowledged change at least this severe is found (for CI); a
    /// stale acknowledgement counts as a warning.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// A reviewed YAML file of acknowledged changes (`id`, `class`: doc-correction or
    /// accepted-break, `reason`); see the README.
    #[arg(long, value_name = "FILE")]
    acknowledged: Option<PathBuf>,
    /// The newest microversion released to clients (e.g. 2.101): changes only at newer
    /// microversions are info, even where OLD already documents them.
    #[arg(long, value_name = "VERSION")]
    released_max: Option<Microversion>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Warning,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let old = Spec::load(&args.old)?;
    let new = Spec::load(&args.new)?;
    let acknowledgements = match &args.acknowledged {
        Some(path) => Acknowledgements::load(path)?,
        None => Acknowledgements::default(),
    };
    let options = diff::Options { released_max: args.released_max };
    let mut found = diff::diff_with(&old, &new, options).context("cannot compare the specs")?;
    acknowledgements.apply(&mut found);
    let format = match args.format {
        Format::Text => report::Format::Text,
        Format::Json => report::Format::Json,
        Format::Markdown => report::Format::Markdown,
    };
    print!("{}", report::render(&found, format));
    let threshold = args.fail_on.map(|f| match f {
        FailOn::Breaking => Severity::Breaking,
        FailOn::Warning => Severity::Warning,
    });
    let failed = threshold.is_some_and(|t| found.reaches(t));
    Ok(ExitCode::from(u8::from(failed)))
}
