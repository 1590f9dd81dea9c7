//! `stackspec diff OLD NEW`: the breaking-change report between two specs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stackspec_diff::{self as diff, report, Severity};
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
    /// Exit with 1 when a change at least this severe is found (for CI).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
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
    let found = diff::diff(&old, &new).context("cannot compare the specs")?;
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
